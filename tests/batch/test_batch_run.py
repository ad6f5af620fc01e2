"""`derek batch` end to end: in-process, local Dask cluster, a real scheduler + workers,
bad documents in the middle, and kill -9 then resume (every id exactly once)."""
from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time

import pytest

from derek.batch import run_batch
from derek.schema import validate_document

from batchkit import read_output, run_cli, seed_variants, start_dask_pair, stop_all, write_jsonl


# (a fixture here, not in a tests/batch/conftest.py: a second module named "conftest" would
# shadow tests/conftest.py for the `from conftest import …` of other test files)
@pytest.fixture(scope="module")
def dask_pair(tmp_path_factory):
    """(address, worker_count) of a running `dask scheduler` with 2 `dask worker` processes."""
    address, procs = start_dask_pair(tmp_path_factory.mktemp("dask"), nworkers=2)
    try:
        yield address, 2
    finally:
        stop_all(procs)

# records that must fail, each for its own reason, mixed into good ones
BAD = [
    "{not json",
    '{"id": "no-text"}',
    '{"id": "empty-html", "html": "<html><head><script>var x = 1;</script></head><body><img src=a.png></body></html>"}',
    '["a", "list"]',
]


def corpus(tmp_path, n: int, bad: bool = True):
    records = seed_variants(n)
    mixed = list(records)
    if bad:
        for i, line in enumerate(BAD):
            mixed.insert((i + 1) * n // (len(BAD) + 1), line)
    path = write_jsonl(tmp_path / "in.jsonl", mixed)
    return path, [r["id"] for r in records]


def assert_exactly_once(out, ids):
    got = [r["id"] for r in read_output(out)]
    counts = collections.Counter(got)
    assert sorted(counts) == sorted(ids), "lost or foreign ids"
    assert max(counts.values()) == 1, f"duplicated: {[k for k, v in counts.items() if v > 1][:5]}"


def test_in_process_bad_documents_skipped_and_resume(tmp_path):
    src, ids = corpus(tmp_path, 12)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "docs" / "good.txt").write_text(seed_variants(1)[0]["text"], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    failed = []
    summary = run_batch([src, tmp_path / "docs"], out=out, workers=0, on_error=lambda i, r: failed.append(i))
    assert summary.done == 13 and len(summary.failed) == 5 == len(failed)
    reasons = dict(summary.failed)
    assert "empty-html" in reasons and "no article text" in reasons["empty-html"]
    assert any("binary" in r for r in reasons.values())
    rows = read_output(out)
    for row in rows[:3]:
        validate_document(row["document"])
    first = next(r for r in rows if r["id"] == ids[0])
    assert first["document"]["meta"]["published"] == "2024-03-05"
    assert first["document"]["meta"]["source"] == "https://example.kz/0"
    again = run_batch([src, tmp_path / "docs"], out=out, workers=0)
    assert again.done == 0 and again.skipped == 13 and len(again.failed) == 5
    assert_exactly_once(out, ids + [str(tmp_path / "docs" / "good.txt")])


def test_cli_local_cluster_resumes_and_reports(tmp_path):
    src, ids = corpus(tmp_path, 40)
    out = tmp_path / "out.jsonl"
    half = tmp_path / "half.jsonl"
    write_jsonl(half, seed_variants(20))
    r = run_cli("batch", half, "--out", out, "--workers", "2", "--chunk", "4")
    assert r.returncode == 0, r.stderr
    r = run_cli("batch", src, "--out", out, "--workers", "2", "--chunk", "4")
    assert r.returncode == 1, r.stderr  # the bad records fail; the batch still completes
    assert "Traceback" not in r.stderr
    assert "20 analyzed, 20 already done, 4 failed" in r.stderr
    assert r.stderr.count("derek: failed") == 4
    assert_exactly_once(out, ids)


def test_real_scheduler_and_workers(tmp_path, dask_pair):
    address, nworkers = dask_pair
    src, ids = corpus(tmp_path, 40, bad=False)
    out = tmp_path / "out.jsonl"
    r = run_cli("batch", src, "--out", out, "--scheduler", address, "--chunk", "2")
    assert r.returncode == 0, r.stderr
    assert f"on {nworkers} workers" in r.stderr
    assert_exactly_once(out, ids)
    from distributed import Client

    with Client(address, timeout="10s", set_as_default=False) as client:
        loads = client.run(lambda: __import__("derek.batch.work", fromlist=["x"]).PIPELINE_LOADS)
    assert sorted(loads.values()) == [1] * nworkers, loads  # 20 tasks, one pipeline per worker


# the engines disagree here: the feature CRF alone also tags the title as a POSITION
PAVLODAR = "Павлодар облысының әкімі Асайын Байханов жаңа мектепті ашты.\n"


def test_ner_engine_reaches_real_workers(tmp_path, dask_pair):
    """`--ner crf` reaches workers that do not share the client's environment, and the next
    batch, without it, tags with the ensemble again on the same workers."""
    address, _ = dask_pair
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": f"p{i}", "text": PAVLODAR} for i in range(4)])
    env = {k: v for k, v in os.environ.items() if k != "DEREK_NER_ENGINE"}
    found = {}
    for engine in ("crf", None):
        out = tmp_path / f"{engine}.jsonl"
        r = run_cli("batch", src, "--out", out, "--scheduler", address, "--chunk", "1",
                    *(["--ner", engine] if engine else []), env=env)
        assert r.returncode == 0, r.stderr
        found[engine] = [{(e["text"], e["label"]) for e in row["document"]["entities"]} for row in read_output(out)]
        if engine:  # provenance travels with each result (meta.ner_engine)
            assert all(row["document"]["meta"]["ner_engine"] == engine for row in read_output(out))
        else:
            assert all("ner_engine" not in row["document"]["meta"] for row in read_output(out))
    assert all(("Павлодар облысының әкімі", "POSITION") in ents for ents in found["crf"])
    assert all(("Павлодар облысының", "GPE") in ents and not any(lab == "POSITION" for _, lab in ents)
               for ents in found[None])


def test_in_process_batch_takes_the_ner_engine(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "p", "text": PAVLODAR}])
    env = {k: v for k, v in os.environ.items() if k.startswith("DEREK")}
    run_batch([src], out=tmp_path / "out.jsonl", workers=0, ner="crf")
    ents = {(e["text"], e["label"]) for e in read_output(tmp_path / "out.jsonl")[0]["document"]["entities"]}
    assert ("Павлодар облысының әкімі", "POSITION") in ents
    assert {k: v for k, v in os.environ.items() if k.startswith("DEREK")} == env  # handed over, not written


def test_unreachable_scheduler_is_one_line_error(tmp_path):
    from batchkit import free_port

    src, _ = corpus(tmp_path, 2, bad=False)
    r = run_cli("batch", src, "--out", tmp_path / "o.jsonl", "--scheduler", f"127.0.0.1:{free_port()}")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "cannot reach the Dask scheduler" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_kill_9_mid_batch_then_resume(tmp_path):
    n = 200
    src, ids = corpus(tmp_path, n, bad=False)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-c", "from derek.cli import main; main()",
           "batch", str(src), "--out", str(out), "--workers", "1", "--chunk", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if out.exists() and out.stat().st_size and sum(1 for _ in open(out, "rb")) >= 10:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "batch finished before it could be killed: " + proc.stderr.read().decode()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # any worker left behind
        except ProcessLookupError:
            pass
    done_before = len(read_output_lenient(out))
    assert 0 < done_before < n
    with open(out, "ab") as fh:  # and as if the kill had landed inside a write
        fh.write(b'{"id": "art-00199", "document": {"schema": "derek.docu')
    r = run_cli("batch", src, "--out", out, "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert "torn last line" in r.stderr
    assert_exactly_once(out, ids)


def read_output_lenient(path):
    import json

    return [json.loads(x) for x in path.read_bytes().split(b"\n") if x.strip().endswith(b"}")]


def test_cli_usage_errors(tmp_path):
    src, _ = corpus(tmp_path, 1, bad=False)
    for args in (["batch", src], ["batch", src, "--out", tmp_path / "o", "--db", "sqlite://"],
                 ["batch", tmp_path / "missing", "--out", tmp_path / "o"],
                 ["batch", src, "--out", tmp_path]):
        r = run_cli(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr and r.stderr.startswith("derek: error:"), r.stderr


def test_db_output_resumes_by_id(tmp_path):
    """--db: each article stored once with the batch id as ext_id; a re-run adds nothing."""
    import sqlite3

    src, ids = corpus(tmp_path, 6)
    db = tmp_path / "store.sqlite"
    r = run_cli("batch", src, "--db", f"sqlite:///{db}", "--workers", "0")
    assert r.returncode == 1 and "6 analyzed" in r.stderr and "4 failed" in r.stderr, r.stderr
    r = run_cli("batch", src, "--db", f"sqlite:///{db}", "--workers", "0")
    assert "0 analyzed, 6 already done" in r.stderr, r.stderr
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT ext_id FROM articles").fetchall()
    assert sorted(x for (x,) in rows) == sorted(ids)


def test_progress_bar_and_summary(tmp_path):
    src, ids = corpus(tmp_path, 5, bad=False)
    r = run_cli("batch", src, "--out", tmp_path / "o.jsonl", "--workers", "0", "--progress", "--chunk", "2")
    assert r.returncode == 0, r.stderr
    assert "5/5" in r.stderr and "5 analyzed, 0 already done, 0 failed" in r.stderr


def test_chunk_that_kills_workers_is_retried_article_by_article():
    """KilledWorker on a chunk: its articles are resubmitted alone; a lone article that still
    kills workers fails with a clear reason, the others are unaffected."""
    from distributed.scheduler import KilledWorker

    from derek.batch.runner import _outcome

    class Dead:
        def result(self):
            raise KilledWorker("task", "worker", 3)

    class Broken:
        def result(self):
            raise TypeError("cannot unpickle")

    resubmitted = []
    chunk = [{"id": "a"}, {"id": "b"}]
    assert _outcome(Dead(), chunk, resubmitted.append, KilledWorker) is None
    assert resubmitted == [[{"id": "a"}], [{"id": "b"}]]
    (rid, line, reason), = _outcome(Dead(), [{"id": "b"}], resubmitted.append, KilledWorker)
    assert rid == "b" and line is None and "worker died" in reason
    assert [r[0] for r in _outcome(Broken(), chunk, None, KilledWorker)] == ["a", "b"]
