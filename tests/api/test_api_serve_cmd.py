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


def test_serve_answers_analyze_with_the_contract_json(tmp_path, seed_text):
    import derek
    from derek.schema import validate_document

    port = _free_port()
    env = {**os.environ, "DEREK_DB": str(tmp_path / "serve.sqlite"), "DEREK_API_TOKEN": "s3cret"}
    proc = subprocess.Popen([sys.executable, "-c", "from derek.cli import main; main()", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stderr.read()
            assert time.time() < deadline, "derek serve did not come up"
            time.sleep(0.2)
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


def test_serve_with_an_unusable_store_is_a_one_line_error(tmp_path):
    res = subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", "serve",
                          "--db", "postgresql://nobody:x@127.0.0.1:1/none"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "cannot open the store" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
