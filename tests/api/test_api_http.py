"""The HTTP API through FastAPI's TestClient: contract JSON, auth, limits, errors, store
endpoints, the offline docs page and the security headers."""
from __future__ import annotations

import warnings

import pytest

from derek.schema import validate_document
from api_fixtures import TOKEN, api  # noqa: F401  (fixture; puts tests/store on the path)
from docfactory import corpus

warnings.filterwarnings("ignore", category=DeprecationWarning)
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_analyze_returns_the_contract_json(api, seed_text):
    client, _ = api
    res = client.post("/analyze", json={"text": seed_text})
    assert res.status_code == 200
    data = res.json()
    validate_document(data)
    assert data["text"] == seed_text and "html" not in data
    import derek

    assert data == derek.analyze(seed_text).to_dict()  # the same JSON `derek analyze` prints


def test_analyze_with_html_view_escapes_text(api):
    client, _ = api
    text = "Ресей <b>бас</b> & <script>alert(1)</script>"
    data = client.post("/analyze?html=true", json={"text": text, "published": "2024-05-01"}).json()
    assert "<script>" not in data["html"] and "&lt;script&gt;" in data["html"]
    assert data["meta"]["published"] == "2024-05-01"


def test_analyze_file_upload_text_and_html(api):
    client, _ = api
    res = client.post("/analyze/file", files={"file": ("a.txt", "Астанада мектеп ашылды.".encode("cp1251", "replace"))})
    assert res.status_code == 200 and res.json()["meta"]["source"] == "a.txt"
    html = ("<html><head><title>Тақырып</title></head><body><article><p>Астанада жаңа мектеп ашылды. "
            "Оны қала әкімі салтанатты түрде ашты, деп хабарлайды тілші.</p></article></body></html>")
    res = client.post("/analyze/file", files={"file": ("page.html", html.encode())})
    assert res.status_code == 200 and "мектеп" in res.json()["text"] and "<p>" not in res.json()["text"]
    bad = client.post("/analyze/file", files={"file": ("x.bin", b"\x00\x01\x02" * 100)})
    assert bad.status_code == 422 and "binary" in bad.json()["detail"]


@pytest.mark.parametrize("body,message", [
    ({}, "text: Field required"),
    ({"text": "   "}, "text is empty"),
    ({"text": 5}, "text: Input should be a valid string"),
    ({"text": "Ресей", "published": "yesterday"}, "published: 'yesterday' is not a date"),
    ({"text": "Ресей", "published": "2023-02-30"}, "published: '2023-02-30' is not a date of the calendar"),
    ({"text": "Ресей", "published": "2024-13"}, "published: '2024-13' is not a date of the calendar"),
])
def test_validation_errors_are_422_with_a_message(api, body, message):
    client, _ = api
    res = client.post("/analyze", json=body)
    assert res.status_code == 422
    assert message in res.json()["detail"] and isinstance(res.json()["errors"], list)


def test_malformed_json_is_422(api):
    client, _ = api
    res = client.post("/analyze", content=b"{not json", headers={"content-type": "application/json"})
    assert res.status_code == 422 and res.json()["detail"]


def test_request_size_limit_is_413(api):
    client, _ = api
    res = client.post("/analyze", json={"text": "Ресей " * 50_000})
    assert res.status_code == 413
    assert "too large" in res.json()["detail"] and "200000" in res.json()["detail"]

    def chunks():  # no Content-Length: counted while reading
        for _ in range(30):
            yield b"x" * 10_000

    res = client.post("/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert res.status_code == 413


def test_storing_needs_the_token(api, seed_text):
    client, store = api
    assert client.post("/articles", json={"text": seed_text}).status_code == 401
    assert client.post("/articles", json={"text": seed_text}, headers={"Authorization": "Bearer nope"}).status_code == 401
    res = client.post("/articles", json={"text": seed_text, "id": "seed", "url": "https://example.kz/seed"}, headers=AUTH)
    assert res.status_code == 201 and res.json()["added"] is True
    again = client.post("/articles", json={"text": seed_text}, headers={"X-Derek-Token": TOKEN})
    assert again.status_code == 200 and again.json() == {**res.json(), "added": False}
    assert store.count() == 1
    art = client.get(res.json()["url"]).json()
    assert art["text"] == seed_text and art["meta"]["outlet"] == "example.kz"
    validate_document({k: v for k, v in art.items() if k != "id"})


def test_storing_is_disabled_without_a_token(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from derek.api import create_app

    monkeypatch.delenv("DEREK_API_TOKEN", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    client = TestClient(create_app(db=f"sqlite:///{tmp_path / 'x.sqlite'}"))
    res = client.post("/articles", json={"text": "Ресей"}, headers=AUTH)
    assert res.status_code == 403 and "DEREK_API_TOKEN" in res.json()["detail"]


def test_token_from_the_user_config_file(tmp_path, monkeypatch):
    from derek.api.app import api_token

    monkeypatch.delenv("DEREK_API_TOKEN", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "derek").mkdir()
    (tmp_path / "derek" / "config.toml").write_text('[api]\ntoken = "from-file"\n')
    assert api_token() == "from-file"
    monkeypatch.setenv("DEREK_API_TOKEN", "from-env")
    assert api_token() == "from-env"


@pytest.fixture
def stored(api):
    client, store = api
    ids = {k: store.add(d, ext_id=k).id for k, d in corpus().items()}
    return client, ids


def test_search_and_filters(stored):
    client, ids = stored
    res = client.get("/search", params={"q": "Ресейдің"}).json()
    assert {h["id"] for h in res["results"]} == {ids["kz_ru_trade"], ids["ru_companies"]}
    res = client.get("/search", params={"q": "Қазақстан", "since": "2024"}).json()
    assert [h["id"] for h in res["results"]] == [ids["kz_ru_trade"]]
    res = client.get("/search", params={"speaker": "Серік Жұманов"}).json()
    assert [h["id"] for h in res["results"]] == [ids["ru_companies"]]
    bad = client.get("/search", params={"q": "Ресей", "limit": 0})
    assert bad.status_code == 422 and "limit" in bad.json()["detail"]


def test_articles_entities_timeline(stored):
    client, ids = stored
    art = client.get(f"/articles/{ids['kz_ru_trade']}?html=true").json()
    assert "verdict-inconsistent" in art["html"] and "unit_error" in art["html"]
    assert client.get("/articles/99999").status_code == 404
    assert client.get("/articles/abc").status_code == 422
    ent = client.get("/entities/Ресейден").json()
    assert ent["canonical"] == "Ресей" and ent["mentions"] == 3
    assert client.get("/entities/Жапония").status_code == 404
    top = client.get("/entities", params={"top": 2}).json()["entities"]
    assert len(top) == 2
    tl = client.get("/indicators/trade_turnover/timeline").json()
    assert tl["claims"][0]["diagnosis"] == "unit_error" and tl["reference"]
    assert client.get("/indicators/bad id!/timeline").status_code == 422


def test_openapi_and_offline_docs(api):
    client, _ = api
    spec = client.get("/openapi.json").json()
    for path in ("/analyze", "/articles", "/articles/{article_id}", "/search", "/entities/{canonical}",
                 "/indicators/{indicator}/timeline"):
        assert path in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/docs.js" in docs.text
    assert "http" not in docs.text.replace("http-equiv", "")  # nothing loaded from elsewhere
    assert client.get("/static/docs.js").status_code == 200


def test_web_page_is_self_contained_with_csp(api):
    client, _ = api
    page = client.get("/")
    assert page.status_code == 200
    assert "https://" not in page.text and "http://" not in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    for asset in ("app.js", "app.css", "derek.css"):
        assert client.get(f"/static/{asset}").status_code == 200


def test_read_answers_are_cached_until_the_store_changes(tmp_path):
    """On a SQLite file, GET answers are replayed (with the security headers) until the
    file changes: a repeat does not query the store, a write behind the server's back
    (another process's ingest) shows at once, a POST /articles too; cache_ttl=0 reads
    the store every time."""
    from fastapi.testclient import TestClient

    from derek.api import create_app
    from derek.store import Store
    from docfactory import corpus

    for ttl in (None, 0):
        store = Store(f"sqlite:///{tmp_path / f'c{ttl}.sqlite'}")
        searches = []
        search = store.search
        store.search = lambda *a, **k: searches.append(a) or search(*a, **k)
        with TestClient(create_app(store=store, token=TOKEN, cache_ttl=ttl)) as client:
            first = client.get("/search", params={"q": "мектеп"})
            assert first.json()["count"] == 0
            repeat = client.get("/search", params={"q": "мектеп"})
            assert repeat.content == first.content
            assert repeat.headers["content-security-policy"] == first.headers["content-security-policy"]
            assert len(searches) == (1 if ttl is None else 2)
            Store(store.url).add(corpus()["school"])  # behind the server's back, another connection
            assert client.get("/search", params={"q": "мектеп"}).json()["count"] == 1
            res = client.post("/articles", json={"text": "Алматыда жаңа мектеп ашылды."},
                              headers={"Authorization": f"Bearer {TOKEN}"})
            assert res.status_code == 201
            assert client.get("/search", params={"q": "мектеп"}).json()["count"] == 2
            assert client.get("/search", params={"q": "мектеп", "limit": 0}).status_code == 422
        store.close()


def test_answer_cache_keeps_an_answer_while_its_version_and_ttl_hold(monkeypatch):
    """The cache's own rules: an answer computed at one store version is not served at
    another, nor after its ttl (the only limit for stores that cannot report changes);
    the least recently used go beyond `size`."""
    from derek.api import cache as cache_mod

    now = [100.0]
    monkeypatch.setattr(cache_mod.time, "monotonic", lambda: now[0])
    cache = cache_mod.AnswerCache(ttl=2.0, size=2)
    cache.put("a", "A", version=7)
    assert cache.get("a", 7) == "A"
    assert cache.get("a", 8) is None  # the store changed since
    now[0] += 2.5
    assert cache.get("a", 7) is None  # too old
    cache.put("a", "A2", 7)
    cache.put("b", "B", 7)
    assert cache.get("a", 7) == "A2"  # used: "b" is now the least recently used
    cache.put("c", "C", 7)
    assert cache.get("b", 7) is None and cache.get("a", 7) == "A2" and cache.get("c", 7) == "C"


def test_store_version_changes_with_any_commit(tmp_path):
    """PRAGMA data_version on the watcher's own connection moves when another connection
    commits; a store that is not a SQLite file has no watcher (the ttl rules alone)."""
    from derek.api.cache import StoreVersion
    from derek.store import Store
    from docfactory import corpus

    store = Store(f"sqlite:///{tmp_path / 'v.sqlite'}")
    watch = StoreVersion.of(store.url)
    before = watch()
    assert watch() == before
    store.add(corpus()["school"])
    assert watch() != before
    store.close()
    assert StoreVersion.of("sqlite://") is None
    assert StoreVersion.of("postgresql+psycopg://u@localhost/derek") is None
