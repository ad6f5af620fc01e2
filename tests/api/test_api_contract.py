"""The API keeps its OpenAPI contract: every status and error body it answers is in
/openapi.json, and no request the schema allows is refused.

The main test runs schemathesis (a real OpenAPI fuzzer) against `derek serve` as a user
starts it, with all its checks, the stateful phase (POST /articles, then reading the id back
through the schema's links) and the write token.  It is sized for CI's 2 cores: a fixed seed
and a fixed number of examples per operation (DEREK_SCHEMATHESIS_EXAMPLES to go further)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import httpx
import pytest

from api_fixtures import TOKEN, api  # noqa: F401  (fixture; puts tests/store on the path)
from docfactory import corpus

warnings.filterwarnings("ignore", category=DeprecationWarning)
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXAMPLES = int(os.environ.get("DEREK_SCHEMATHESIS_EXAMPLES", "25"))
SEED = 20261206


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """`derek serve` in its own process on a random port, over a store holding our
    hand-built articles; yields its base URL."""
    from derek.store import Store

    db = tmp_path / "contract.sqlite"
    with Store(str(db)) as store:
        for doc in corpus().values():
            store.add(doc)
    port = _free_port()
    env = {**os.environ, "DEREK_API_TOKEN": TOKEN}
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-c", "from derek.cli import main; main()", "serve",
                             "--port", str(port), "--db", str(db)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.time() < deadline, "derek serve did not come up"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def test_schemathesis_finds_no_contract_failures(served, tmp_path):
    pytest.importorskip("schemathesis", reason="the contract test needs schemathesis (pip install -e '.[test]')")
    report = tmp_path / "schemathesis"
    cmd = [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()", "run",
           served + "/openapi.json", "--checks", "all", "--header", f"Authorization: Bearer {TOKEN}",
           "--max-examples", str(EXAMPLES), "--seed", str(SEED), "--workers", "1",
           "--phases", "examples,coverage,fuzzing,stateful", "--request-timeout", "60",
           "--report", "junit", "--report-dir", str(report)]
    # in the test's own folder: schemathesis keeps its example database in ./.schemathesis
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=tmp_path,
                         env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"})
    out = res.stdout + res.stderr
    print(f"schemathesis report: {report}")
    assert res.returncode == 0, out[-8000:]
    assert "No issues found" in out, out[-8000:]
    for phase in ("Coverage", "Fuzzing", "Stateful"):  # every phase ran, none was skipped
        assert f"✅ {phase}" in out, out[-4000:]
    tested = next(line for line in out.splitlines() if "Tested:" in line)
    assert tested.split()[-1] == "9", tested  # every operation of the schema


# -- the same contract, one promise at a time (fast, in-process) --------------------------------
def _documented(spec, path: str, method: str) -> set[str]:
    return set(spec["paths"][path][method]["responses"])


def _is_error(body) -> bool:
    return isinstance(body, dict) and isinstance(body.get("detail"), str) and set(body) <= {"detail", "errors"}


def test_every_error_is_one_documented_error_object(api):
    client, store = api
    ids = [store.add(d).id for d in corpus().values()]
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # FastAPI's list-in-detail is gone
    cases = [
        ("get", "/articles/{article_id}", f"/articles/{max(ids) + 100}", {}, 404),
        ("get", "/articles/{article_id}", "/articles/0", {}, 422),
        ("get", "/articles/{article_id}", "/articles/99999999999999999999", {}, 422),  # beyond any integer id
        ("get", "/entities/{canonical}", "/entities/Пингвин", {}, 404),
        ("get", "/entities/{canonical}", "/entities/Ресей?kind=planets", {}, 422),
        ("get", "/entities", "/entities?top=0", {}, 422),
        ("get", "/search", "/search?since=yesterday", {}, 422),
        ("get", "/search", "/search?offset=-1", {}, 422),
        ("get", "/indicators/{indicator}/timeline", "/indicators/тауар/timeline", {}, 422),
        ("post", "/articles", "/articles", {"json": {"text": "Ресей."}}, 401),
        ("post", "/articles", "/articles", {"json": {"text": "Ресей."}, "headers": {"X-Derek-Token": "wrong"}}, 401),
        ("post", "/articles", "/articles", {"json": {"text": " \n"}, "headers": AUTH}, 422),
        ("post", "/analyze", "/analyze", {"json": {"text": "Ресей", "published": "2023-02-30"}}, 422),
        ("post", "/analyze", "/analyze", {"content": b"\xff\xfe{", "headers": {"content-type": "application/json"}}, 400),
        ("post", "/analyze/file", "/analyze/file", {"files": {"file": ("a.bin", b"\x00\x01" * 50)}}, 422),
    ]
    for method, template, url, kwargs, status in cases:
        res = getattr(client, method)(url, **kwargs)
        assert res.status_code == status, (url, res.status_code, res.text)
        assert _is_error(res.json()), (url, res.text)
        assert str(status) in _documented(spec, template, method), (template, status)
        if status == 422 and "errors" in res.json():
            assert all(set(e) == {"loc", "msg", "type"} for e in res.json()["errors"])


def test_storing_without_a_server_token_is_a_documented_403(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from derek.api import app as app_module
    from derek.store import Store

    monkeypatch.setattr(app_module, "api_token", lambda explicit=None: None)  # no token anywhere
    with Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store, TestClient(app_module.create_app(store=store)) as client:
        res = client.post("/articles", json={"text": "Ресей."}, headers=AUTH)
        assert res.status_code == 403 and _is_error(res.json())
        assert "403" in client.get("/openapi.json").json()["paths"]["/articles"]["post"]["responses"]


def test_the_write_token_is_a_security_scheme_and_ids_link_to_reads(api):
    client, _ = api
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/articles"]["post"]
    schemes = spec["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert all(len(req) == 1 for req in post["security"])  # either one, not both
    link = post["responses"]["201"]["links"]["read"]
    assert link["operationId"] == "get_article" and link["parameters"] == {"article_id": "$response.body#/id"}
    assert {"201", "200", "401", "403", "413", "422", "503"} <= set(post["responses"])


def test_requests_the_schema_allows_are_accepted(api):
    """Values that today's checks refused although the schema allowed them."""
    client, store = api
    for d in corpus().values():
        store.add(d)
    assert client.get("/search", params={"q": "?!"}).json() == {"query": "?!", "count": 0, "results": []}
    # an unpaired surrogate in JSON becomes U+FFFD (one character: offsets unchanged)
    res = client.post("/analyze", content='{"text": "Ресей \\ud800 мен Қазақстан"}'.encode(),
                      headers={"content-type": "application/json"})
    assert res.status_code == 200 and res.json()["text"] == "Ресей \ufffd мен Қазақстан"
    for published in ("2024", "2024-02", "2024-02-29"):
        assert client.post("/analyze", json={"text": "Ресей.", "published": published}).json()["meta"]["published"] == published
    # a UTF-8 text file is text, whatever characters it holds; a form field works as well as a file
    odd = "Астана \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd қаласы \x01\x02\x03\x04\x05\x06\x07\x08\x0e"
    for files in ({"file": ("odd.txt", odd.encode())}, {"file": (None, odd)}):
        res = client.post("/analyze/file", files=files)
        assert res.status_code == 200, res.text
        assert res.json()["text"] == odd


def test_entity_lists_and_pages_default_to_names(api):
    client, store = api
    from docfactory import make_doc

    store.add(make_doc("Екі мың адам Астанада жиналды. Екі күн бойы.", entities=[
        ("Екі мың", "CARDINAL", None), ("Астанада", "GPE", "Астана"), ("Екі күн", "DATE", None)]))
    named = {e["label"] for e in client.get("/entities").json()["entities"]}
    assert named == {"GPE"}
    assert {e["label"] for e in client.get("/entities?kind=numbers").json()["entities"]} == {"CARDINAL"}
    assert {e["label"] for e in client.get("/entities?kind=dates").json()["entities"]} == {"DATE"}
    assert {e["label"] for e in client.get("/entities?kind=all").json()["entities"]} == {"GPE", "CARDINAL", "DATE"}
    assert client.get("/entities/Екі мың").status_code == 404  # a number has no page among names …
    page = client.get("/entities/Екі мың", params={"kind": "numbers"}).json()  # … but has one among numbers
    assert page["labels"] == {"CARDINAL": 1} and len(page["articles"]) == 1


def test_search_filters_by_outlet_and_date(api):
    client, store = api
    for d in corpus().values():
        store.add(d)
    hits = client.get("/search", params={"outlet": "https://www.News.Example.kz/any/page"}).json()["results"]
    assert [h["outlet"] for h in hits] == ["news.example.kz"]
    hits = client.get("/search", params={"q": "Ресей", "outlet": "other.example.kz", "since": "2024-03"}).json()["results"]
    assert [h["outlet"] for h in hits] == ["other.example.kz"]
    assert client.get("/search", params={"outlet": "other.example.kz", "until": "2024-02"}).json()["count"] == 0
    assert client.get("/search", params={"outlet": "Kazinform"}).json()["count"] == 1
