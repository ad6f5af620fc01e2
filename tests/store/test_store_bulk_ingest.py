"""The fast ingest path: JSONL of already-analysed documents (what `derek batch --out`
writes) stored without re-analysis, in chunked transactions; and the JSONL walker it
shares with `derek batch` (derek.io.iter_jsonl)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from derek.io import InputError, iter_jsonl, parse_record
from derek.store import Store
from derek.store.bulk import plain_dict
from derek.store.ingest import ingest
from docfactory import corpus, make_doc
from store_fixtures import pg_url, store, store_url  # noqa: F401  (fixtures)


def batch_lines(docs: dict) -> list[str]:
    """Lines as `derek batch --out` writes them: {"id", "document": contract JSON}."""
    return [json.dumps({"id": key, "document": doc.to_dict()}, ensure_ascii=False) for key, doc in docs.items()]


def small_doc(i: int):
    words = ["Ресей", "Қазақстан", "Алматы", "Астана"]
    city = words[i % 4]
    return make_doc(f"{city} туралы хабар {i}\n\n{city} {i} млн теңге бөлді.", published="2024-05-01",
                    entities=[(city, "GPE", city)], quantities=[(f"{i} млн теңге", i * 1e6, "KZT")])


def test_plain_dict_is_to_dict(seed_doc):
    for doc in [seed_doc, *corpus().values()]:
        assert plain_dict(doc) == doc.to_dict()


def test_analysed_jsonl_round_trips_every_layer(store, tmp_path):
    docs = corpus()
    feed = tmp_path / "out.jsonl"
    feed.write_text("\n".join(batch_lines(docs)) + "\n", encoding="utf-8")
    report = ingest(store, [str(feed)])
    assert (report.added, report.skipped, report.failed) == (4, 0, [])
    with store.session() as s:
        rows = dict(s.execute(text("SELECT ext_id, id FROM articles")).all())
        assert s.execute(text("SELECT count(*) FROM entities")).scalar() == sum(len(d.entities) for d in docs.values())
    for key, doc in docs.items():
        got = store.get(rows[key])
        got.pop("id")
        got["meta"].pop("outlet")
        assert got == doc.to_dict(), key
    # the layer tables answer queries as for analysed-and-added articles
    assert {h["ext_id"] for h in store.search("Ресейдің")} == {"kz_ru_trade", "ru_companies"}
    assert store.timeline("trade_turnover")["claims"][0]["article_id"] == rows["kz_ru_trade"]


def test_reingest_and_duplicates_add_nothing(store, tmp_path):
    docs = corpus()
    lines = batch_lines(docs)
    bare = corpus()["school"].to_json()  # the same text as a bare document: stored once
    feed = tmp_path / "out.jsonl"
    feed.write_text("\n".join(lines + [bare, lines[0], ""]) + "\n", encoding="utf-8")
    first = ingest(store, [str(feed)], chunk=3)
    assert (first.added, first.skipped, first.failed) == (4, 2, [])
    again = ingest(store, [str(feed)], chunk=3)
    assert (again.added, again.skipped, again.failed) == (0, 6, [])
    assert store.count() == 4
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM quantities")).scalar() == 4
        if store.dialect == "sqlite":
            assert s.execute(text("SELECT count(*) FROM articles_fts")).scalar() == 4


def test_a_bad_analysed_document_fails_alone(store, tmp_path):
    good = batch_lines({"a": small_doc(1), "b": small_doc(2)})
    wrong = small_doc(3).to_dict()
    wrong["entities"][0]["start"] += 1  # offsets no longer slice the entity's text
    outside = small_doc(4).to_dict()
    outside["quantities"][0]["end"] = 10_000
    feed = tmp_path / "out.jsonl"
    feed.write_text("\n".join([good[0], json.dumps({"id": "w", "document": wrong}),
                               json.dumps({"id": "o", "document": outside}), "{not json", good[1]]) + "\n",
                    encoding="utf-8")
    report = ingest(store, [str(feed)])
    assert report.added == 2
    reasons = dict(report.failed)
    assert set(reasons) == {f"{feed}:2", f"{feed}:3", f"{feed}:4"}
    assert "does not match the text" in reasons[f"{feed}:2"]
    assert "outside the text" in reasons[f"{feed}:3"]
    assert "not valid JSON" in reasons[f"{feed}:4"]


def test_raw_text_ingest_in_two_processes_matches_one(tmp_path):
    records = [{"id": f"r{i}", "text": small_doc(i).text} for i in range(6)]
    feed = tmp_path / "raw.jsonl"
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    stored = {}
    for workers in (1, 2):
        with Store(str(tmp_path / f"w{workers}.sqlite")) as st:
            report = ingest(st, [str(feed)], workers=workers)
            assert (report.added, report.failed) == (6, [])
            with st.session() as s:
                stored[workers] = s.execute(text("SELECT ext_id, doc_json FROM articles ORDER BY id")).all()
    assert stored[1] == stored[2]


def test_two_ingesters_on_one_sqlite_file_both_complete(tmp_path):
    """Two `derek ingest` processes write overlapping analysed feeds into one SQLite file
    at the same time: both exit 0, every text is stored exactly once."""
    docs = {f"d{i}": small_doc(i) for i in range(600)}
    keys = list(docs)
    feeds = []
    for name, part in (("a", keys[:400]), ("b", keys[200:])):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("\n".join(batch_lines({k: docs[k] for k in reversed(part)} if name == "b"
                                              else {k: docs[k] for k in part})) + "\n", encoding="utf-8")
        feeds.append(path)
    db = tmp_path / "shared.sqlite"
    Store(str(db)).close()  # migrate once; both ingesters then race on the data only
    env = {**os.environ, "DEREK_DB": str(db)}
    procs = [subprocess.Popen([sys.executable, "-c", "from derek.cli import main; main()", "ingest", "-q", str(f)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in feeds]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    added = [int(out.split("added ")[1].split(",")[0]) for out, _ in outs]
    assert sum(added) == 600
    with Store(str(db)) as st, st.session() as s:
        assert st.count() == 600
        assert s.execute(text("SELECT count(DISTINCT content_hash) FROM articles")).scalar() == 600
        assert s.execute(text("SELECT count(*) FROM entities")).scalar() == 600
        assert s.execute(text("SELECT count(*) FROM articles_fts")).scalar() == 600


def test_iter_jsonl_offsets_reread_the_line(tmp_path):
    path = tmp_path / "f.jsonl"
    lines = [b'{"id": 1, "text": "\xd0\x90\xd0\xb1"}\n', b"\n", b"[1, 2]\n", b'{"id": 3, "html": "<p>x</p>"}']
    path.write_bytes(b"".join(lines))
    got = list(iter_jsonl(str(path)))
    assert [(lineno, type(r).__name__) for _, lineno, r in got] == [(1, "dict"), (3, "InputError"), (4, "dict")]
    assert isinstance(got[1][2], InputError) and "JSON object" in str(got[1][2])
    with open(path, "rb") as fh:
        for offset, _, record in got:
            fh.seek(offset)
            line = fh.readline()
            if isinstance(record, dict):
                assert parse_record(line) == record
    with pytest.raises(OSError):
        next(iter_jsonl(str(tmp_path / "missing.jsonl")))


def test_normalise_is_from_dict_to_dict(seed_doc):
    """The bulk path's JSON normalisation gives what Document.from_dict(...).to_dict() gives,
    also for JSON with extra keys, missing optional fields and tokens."""
    from derek.doc import Document
    from derek.store.bulk import normalise

    for doc in [seed_doc, *corpus().values()]:
        data = doc.to_dict(tokens=True)
        data["extra"] = 1
        for e in data["entities"]:
            e.pop("canonical")
            e["score"] = 0.5
        data["meta"].pop("reported_by")
        assert normalise(data) == Document.from_dict(data).to_dict()
    with pytest.raises(TypeError):
        normalise({"text": "x", "entities": [{"start": 0, "end": 1}]})


def _recount(store) -> set:
    with store.session() as s:
        return set(s.execute(text(
            "SELECT key, label, max(coalesce(canonical, text)), count(*), count(DISTINCT article_id) "
            "FROM entities GROUP BY key, label")).all())


def _counts(store) -> set:
    with store.session() as s:
        return set(s.execute(text("SELECT key, label, name, mentions, articles FROM entity_counts")).all())


def test_entity_counts_follow_adds_bulk_ingest_and_deletes(store, tmp_path):
    """entity_counts (what top entities and entity pages read) always equals the GROUP BY
    over the mentions it replaces."""
    ids = {key: store.add(doc, ext_id=key).id for key, doc in corpus().items()}
    assert _counts(store) == _recount(store)
    feed = tmp_path / "out.jsonl"
    feed.write_text("\n".join(batch_lines({f"s{i}": small_doc(i) for i in range(9)})) + "\n", encoding="utf-8")
    ingest(store, [str(feed)], chunk=4)
    ingest(store, [str(feed)], chunk=4)  # nothing new: counts unchanged
    assert _counts(store) == _recount(store)
    assert store.delete(ids["ru_companies"]) and store.delete(ids["school"])
    assert _counts(store) == _recount(store)
    top = store.top_entities(2)
    # 4 articles each (2 hand-built + 2 or 3 small ones, one deleted); ties go by key
    assert [(t["name"], t["articles"]) for t in top] == [("Ресей", 4), ("Қазақстан", 4)]
