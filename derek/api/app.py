"""The FastAPI app: analysis, the corpus store, and the web page, in one process.

Handlers are plain `def` functions: analysis is CPU-bound and the store is synchronous, so
FastAPI runs them in its thread pool and the event loop stays free.  Store endpoints answer
with `_json` (json.dumps straight to bytes): FastAPI's default path runs every answer
through `jsonable_encoder`, which walks each value in Python — several ms for an article
with all its layers, the larger part of a request under load.  Everything an
endpoint returns is JSON built from the contract (`Document.to_dict`) or from store
queries; the optional `html` field is rendered by derek.render_html, which escapes all
article text.
"""
from __future__ import annotations

import hmac
import json
import os
from importlib import resources
from typing import Any, Optional

from fastapi import Depends, FastAPI, File, Header, HTTPException, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, field_validator

from derek.api.guards import Guards

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
WEB = resources.files("derek.web")


class AnalyzeIn(BaseModel):
    text: str = Field(..., description="The article text (plain text; offsets in the answer refer to it).")
    published: Optional[str] = Field(None, pattern=DATE_PATTERN, description="Publication date YYYY[-MM[-DD]].")
    url: Optional[str] = Field(None, max_length=2048, description="Where the article was published.")
    headline: Optional[str] = Field(None, max_length=1000)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("text is empty")
        return v

    def meta(self) -> dict[str, Any]:
        return {k: v for k, v in (("published", self.published), ("source", self.url),
                                  ("headline", self.headline)) if v}


class ArticleIn(AnalyzeIn):
    id: Optional[str] = Field(None, max_length=512, description="Your id for the article (kept as ext_id).")


def api_token(explicit: str | None = None) -> str | None:
    """The token POST /articles requires: argument, $DEREK_API_TOKEN, or `token` under
    [api] in the user config file (platformdirs user_config_dir/derek/config.toml)."""
    if explicit:
        return explicit
    if os.environ.get("DEREK_API_TOKEN"):
        return os.environ["DEREK_API_TOKEN"]
    import tomllib
    from pathlib import Path

    from platformdirs import user_config_dir

    path = Path(user_config_dir("derek", appauthor=False)) / "config.toml"
    try:
        with open(path, "rb") as fh:
            return (tomllib.load(fh).get("api") or {}).get("token") or None
    except (OSError, tomllib.TOMLDecodeError):
        return None


def _body(data: Any) -> bytes:
    """JSON serialised once, by the C encoder (what JSONResponse writes, without the
    jsonable_encoder pass before it)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _answer(body: bytes) -> Response:
    return Response(body, media_type="application/json")


def preload() -> None:
    """Load before serving what the read endpoints load on first use: the lemmatizer's stem
    lexicon (~0.1 s under the GIL) would otherwise be paid by the first search after a
    restart, with every request behind it waiting too."""
    from derek.morph.lemmatizer import lexicon

    lexicon()


def create_app_from_env() -> FastAPI:
    """The app for `derek serve --workers N` (uvicorn imports it in each worker process):
    the store URL and limits come from the environment `derek serve` sets."""
    preload()
    return create_app(db=os.environ.get("DEREK_SERVE_DB") or None,
                      max_bytes=int(os.environ.get("DEREK_SERVE_MAX_BYTES", "2000000")),
                      cache_ttl=float(os.environ["DEREK_SERVE_CACHE_TTL"]) if os.environ.get("DEREK_SERVE_CACHE_TTL") else None)


def _message(errors: list[dict]) -> str:
    parts = []
    for err in errors:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


def create_app(store=None, db: str | None = None, token: str | None = None, max_bytes: int = 2_000_000,
               cache_ttl: float | None = None) -> FastAPI:
    """The app; `cache_ttl` seconds is how long a read answer may be reused at most
    (derek.api.cache; 0 = never; default 300 s for a SQLite file, whose changes the cache
    sees at once, else 2 s); a POST /articles clears it."""
    from derek.api.cache import TTL_BLIND, TTL_WATCHED, AnswerCache, CachedReads, StoreVersion
    from derek.store import QueryError, Store, StoreError
    from derek.store.db import resolve_url

    app = FastAPI(title="derek", version=__import__("derek").__version__,
                  description="Structured, checkable facts from Kazakh news: analyse articles, store and search them.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.add_middleware(Guards, max_bytes=max_bytes)
    watcher = StoreVersion.of(store.url if store is not None else resolve_url(db)) if cache_ttl != 0 else None
    if cache_ttl is None:
        cache_ttl = TTL_WATCHED if watcher else TTL_BLIND
    # outermost: replays Guards' headers too
    app.add_middleware(CachedReads, cache=AnswerCache(cache_ttl, version=watcher))
    state: dict[str, Any] = {"store": store, "token": api_token(token)}

    def answer(make) -> Response:
        return _answer(_body(make()))

    def get_store():
        if state["store"] is None:
            state["store"] = Store(db)
        return state["store"]

    @app.exception_handler(RequestValidationError)
    async def _invalid(_req: Request, exc: RequestValidationError):
        errors = [{k: v for k, v in err.items() if k in ("loc", "msg", "type")} for err in exc.errors()]
        return JSONResponse({"detail": _message(errors), "errors": errors}, status_code=422)

    @app.exception_handler(QueryError)
    async def _bad_query(_req: Request, exc: QueryError):
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(StoreError)
    async def _no_store(_req: Request, exc: StoreError):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    def analysed(text: str, meta: dict, html: bool) -> dict[str, Any]:
        import derek

        doc = derek.analyze(text, meta=meta)
        out = doc.to_dict()
        if html:
            from derek.render_html import document_html

            out["html"] = document_html(doc, inline_style=False)
        return out

    # -- web page and docs ---------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(str(WEB.joinpath("index.html")), media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return FileResponse(str(WEB.joinpath("docs.html")), media_type="text/html")

    app.mount("/static", StaticFiles(directory=str(WEB)), name="static")

    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        return answer(lambda: {"status": "ok", "articles": get_store().count()})

    # -- analysis ------------------------------------------------------------------------
    @app.post("/analyze", tags=["analysis"])
    def analyze(body: AnalyzeIn, html: bool = Query(False, description="Add an `html` field: the highlighted view.")):
        """Analyse one article; answers the contract JSON (derek.document/1)."""
        return analysed(body.text, body.meta(), html)

    @app.post("/analyze/file", tags=["analysis"])
    def analyze_file(file: UploadFile = File(..., description="A text or HTML file (encoding detected)."),
                     html: bool = Query(False)):
        """Analyse an uploaded file (text or HTML)."""
        from derek.io import InputError, read_bytes

        name = os.path.basename(file.filename or "upload")
        try:
            src = read_bytes(file.file.read(), name=name,
                             html=True if name.lower().endswith((".html", ".htm", ".xhtml")) else None)
        except InputError as exc:
            raise HTTPException(422, str(exc)) from None
        return analysed(src.text, {"source": name, **src.meta}, html)

    # -- store ---------------------------------------------------------------------------
    def require_token(authorization: Optional[str] = Header(None), x_derek_token: Optional[str] = Header(None)):
        expected = state["token"]
        if not expected:
            raise HTTPException(403, "storing articles is disabled: start the server with DEREK_API_TOKEN set")
        given = x_derek_token or (authorization[7:] if authorization and authorization[:7].lower() == "bearer " else None)
        if not given or not hmac.compare_digest(given.encode(), expected.encode()):
            raise HTTPException(401, "missing or wrong token (send 'Authorization: Bearer TOKEN')")

    @app.post("/articles", tags=["store"], status_code=201, dependencies=[Depends(require_token)])
    def add_article(body: ArticleIn, response: Response):
        """Analyse and store an article (idempotent: the same text answers 200 with the
        id it already has; a new one answers 201)."""
        import derek
        from derek.store import content_hash

        store = get_store()
        known = store.find_hash(content_hash(body.text))
        if known is not None:
            response.status_code = 200
            return {"id": known, "added": False, "url": f"/articles/{known}"}
        res = store.add(derek.analyze(body.text, meta=body.meta()), ext_id=body.id)
        response.status_code = 201 if res.added else 200
        return {"id": res.id, "added": res.added, "url": f"/articles/{res.id}"}

    @app.get("/articles/{article_id}", tags=["store"])
    async def get_article(article_id: int, html: bool = Query(False)):
        """A stored article: the contract JSON plus its store `id` and `meta.outlet`."""
        def make():
            data = get_store().get(article_id)
            if data is None:
                raise HTTPException(404, f"no article {article_id}")
            from derek.render_html import document_html
            from derek.store.store import document_from_dict

            data["html"] = document_html(document_from_dict(data), inline_style=False)
            return data

        if html:  # rendering takes milliseconds: off the loop
            from starlette.concurrency import run_in_threadpool

            return await run_in_threadpool(answer, make)
        # answered on the event loop, not the thread pool: a read by primary key takes
        # ~0.2 ms, less than the hop to a worker thread and back, and under load the hop's
        # GIL hand-offs (not the read) made these the slowest answers (bench/api_load.py).
        # The stored JSON is sent as it is, with the store's fields spliced in (get_json)
        text = get_store().get_json(article_id)
        if text is None:
            raise HTTPException(404, f"no article {article_id}")
        return _answer(text.encode("utf-8"))

    @app.get("/search", tags=["store"])
    def search(q: Optional[str] = Query(None, max_length=500, description="Words, any inflected form."),
               entity: Optional[str] = Query(None, max_length=200), speaker: Optional[str] = Query(None, max_length=200),
               indicator: Optional[str] = Query(None, max_length=128),
               since: Optional[str] = Query(None, pattern=DATE_PATTERN), until: Optional[str] = Query(None, pattern=DATE_PATTERN),
               limit: int = Query(20, ge=1, le=500), offset: int = Query(0, ge=0)):
        """Full-text search through the Kazakh lemmatizer, with filters."""
        def make():
            hits = get_store().search(q, entity=entity, speaker=speaker, indicator=indicator,
                                      since=since, until=until, limit=limit, offset=offset)
            return {"query": q, "count": len(hits), "results": hits}

        return answer(make)

    @app.get("/entities", tags=["store"])
    def top_entities(top: int = Query(20, ge=1, le=1000), label: Optional[str] = Query(None, max_length=32)):
        return answer(lambda: {"entities": get_store().top_entities(top, label=label)})

    @app.get("/entities/{canonical}", tags=["store"])
    def entity(canonical: str):
        """Mentions of an entity (any inflected form of its name) across the corpus."""
        def make():
            data = get_store().entity(canonical)
            if data is None:
                raise HTTPException(404, f"no entity {canonical!r} in the store")
            return data

        return answer(make)

    @app.get("/indicators/{indicator}/timeline", tags=["store"])
    def timeline(indicator: str, limit: int = Query(200, ge=1, le=10_000, description="The latest N claims (count says how many there are).")):
        """Claimed values of an indicator by outlet and date, and the reference series."""
        if not indicator.replace("_", "").isalnum() or len(indicator) > 128:
            raise HTTPException(422, "indicator ids are letters, digits and underscores")
        return answer(lambda: get_store().timeline(indicator, limit=limit))

    return app
