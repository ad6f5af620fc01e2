"""`derek serve` as a user runs it: a real uvicorn process, then HTTP from outside."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(args: list[str], env: dict) -> tuple[subprocess.Popen, str]:
    """`derek serve ARGS` on a free port, once /health answers: (the process, its base URL)."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from derek.cli import main; main()", "serve", "--port", str(port),
                             *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.terminate()
            raise AssertionError(f"derek serve did not come up: {proc.communicate(timeout=20)[1]}")
        time.sleep(0.2)


def test_serve_answers_analyze_with_the_contract_json(tmp_path, seed_text):
    import derek
    from derek.schema import validate_document

    env = {**os.environ, "DEREK_DB": str(tmp_path / "serve.sqlite"), "DEREK_API_TOKEN": "s3cret"}
    proc, base = _serve([], env)
    try:
        res = httpx.post(base + "/analyze", json={"text": seed_text}, timeout=60)
        assert res.status_code == 200
        validate_document(res.json())
        assert res.json() == derek.analyze(seed_text).to_dict()
        stored = httpx.post(base + "/articles", json={"text": seed_text}, headers={"Authorization": "Bearer s3cret"}, timeout=60)
        assert stored.status_code == 201
        assert httpx.get(base + "/search", params={"q": "Ресейдің"}).json()["count"] == 1
    finally:
        proc.terminate()
        proc.wait(20)


def test_serve_workers_are_handed_the_settings(tmp_path):
    """`--workers 2`: each process builds the app from the settings uvicorn hands it (store,
    token, NER choice), not from the environment: the CLI's --token and --ner reach them."""
    text = "Павлодар облысының әкімі Асайын Байханов жаңа мектепті ашты."
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEREK_")}
    proc, base = _serve(["--workers", "2", "--db", f"sqlite:///{tmp_path / 'w.sqlite'}", "--token", "t0ken",
                         "--ner", "crf"], env)
    try:
        for _ in range(4):  # several requests: both processes answer some
            doc = httpx.post(base + "/analyze", json={"text": text}, timeout=60).json()
            assert doc["meta"]["ner_engine"] == "crf"
            assert ["Павлодар облысының әкімі", "POSITION"] in [[e["text"], e["label"]] for e in doc["entities"]]
        stored = httpx.post(base + "/articles", json={"text": text}, headers={"Authorization": "Bearer t0ken"},
                            timeout=60)
        assert stored.status_code == 201, stored.text
        assert httpx.get(base + "/health").json()["articles"] == 1
    finally:
        proc.terminate()
        proc.wait(20)


def test_serve_with_an_unusable_store_is_a_one_line_error(tmp_path):
    res = subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", "serve",
                          "--db", "postgresql://nobody:x@127.0.0.1:1/none"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "cannot open the store" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
