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
import math
import os
from importlib import resources
from typing import Annotated, Any, Optional, Union

from fastapi import Depends, FastAPI, File, HTTPException, Path, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from derek.api.contract import (DATE_PATTERN, INDICATOR_PATTERN, KIND_DESCRIPTION, Added, AnalyzeIn, ArticleIn,
                                EntitiesOut, EntityKind, EntityOut, Health, Lang, SearchOut, TimelineOut, document_answer,
                                errors, openapi_document)
from derek.api.guards import Guards

WEB = resources.files("derek.web")
# the largest id SQLite and PostgreSQL integers hold: a larger one can name no article
MAX_ID = 2**63 - 1
BEARER = HTTPBearer(auto_error=False, description="Authorization: Bearer TOKEN")
TOKEN_HEADER = APIKeyHeader(name="X-Derek-Token", auto_error=False, description="The token in a header of its own.")


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
    jsonable_encoder pass before it).  JSON has no NaN or Infinity: a value that is one (a
    400-digit number read as a float) is sent as null, which the contract allows."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError:
        text = json.dumps(_finite(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _answer(body: bytes) -> Response:
    return Response(body, media_type="application/json")


def preload() -> None:
    """Load before serving what the read endpoints load on first use: the lemmatizer's stem
    lexicon (~0.1 s under the GIL) would otherwise be paid by the first search after a
    restart, with every request behind it waiting too."""
    from derek.morph.lemmatizer import lexicon

    lexicon()


def _message(errors: list[dict]) -> str:
    parts = []
    for err in errors:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
        msg = str(err.get("msg"))
        msg = msg[len("Value error, "):] if msg.startswith("Value error, ") else msg  # our validators' own words
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts) or "invalid request"


def create_app(store=None, db: str | None = None, token: str | None = None, max_bytes: int = 2_000_000,
               cache_ttl: float | None = None, ner=None) -> FastAPI:
    """The app; `cache_ttl` seconds is how long a read answer may be reused at most
    (derek.api.cache; 0 = never; default 300 s for a SQLite file, whose changes the cache
    sees at once, else 2 s); a POST /articles clears it.  `ner`: the NER model POST /analyze
    and /articles tag with (derek.load's `ner`; default the shipped ensemble)."""
    from derek.api.cache import TTL_BLIND, TTL_WATCHED, AnswerCache, CachedReads, StoreVersion
    from derek.store import QueryError, Store, StoreError
    from derek.store.db import resolve_url

    app = FastAPI(title="derek", version=__import__("derek").__version__,
                  description="Structured, checkable facts from Kazakh news: analyse articles, store and search them.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = openapi_document(app)
        return app.openapi_schema

    app.openapi = openapi
    app.add_middleware(Guards, max_bytes=max_bytes)
    watcher = StoreVersion.of(store.url if store is not None else resolve_url(db)) if cache_ttl != 0 else None
    if cache_ttl is None:
        cache_ttl = TTL_WATCHED if watcher else TTL_BLIND
    # outermost: replays Guards' headers too
    app.add_middleware(CachedReads, cache=AnswerCache(cache_ttl, version=watcher))
    state: dict[str, Any] = {"store": store, "token": api_token(token)}

    def pipeline():
        from derek.pipeline import shared_pipeline

        return shared_pipeline(ner)

    def answer(make) -> Response:
        return _answer(_body(make()))

    def get_store():
        if state["store"] is None:
            state["store"] = Store(db)
        return state["store"]

    # every error is one Error object (derek.api.contract): {"detail": "...", "errors"?: [...]}
    @app.exception_handler(RequestValidationError)
    async def _invalid(_req: Request, exc: RequestValidationError):
        errors = [{"loc": list(err.get("loc", ())), "msg": str(err.get("msg")), "type": str(err.get("type"))}
                  for err in exc.errors()]
        return JSONResponse({"detail": _message(errors), "errors": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_req: Request, exc: StarletteHTTPException):
        return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(QueryError)
    async def _bad_query(_req: Request, exc: QueryError):
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(StoreError)
    async def _no_store(_req: Request, exc: StoreError):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    def analysed(text: str, meta: dict, html: bool, lang: str) -> dict[str, Any]:
        doc = pipeline().analyze(text, meta=meta)
        out = doc.to_dict()
        if html:
            from derek.render_html import document_html

            out["html"] = document_html(doc, inline_style=False, lang=lang)
        return out

    # -- web page and docs ---------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(str(WEB.joinpath("index.html")), media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return FileResponse(str(WEB.joinpath("docs.html")), media_type="text/html")

    app.mount("/static", StaticFiles(directory=str(WEB)), name="static")

    @app.get("/health", tags=["service"], response_model=Health, responses=errors(503))
    def health():
        """The service is up; how many articles the store holds."""
        return answer(lambda: {"status": "ok", "articles": get_store().count()})

    # -- analysis ------------------------------------------------------------------------
    def html_flag():
        return Query(False, description="Add an `html` field: the highlighted view.")

    def lang_choice():
        return Query("kk", description="The language of the `html` view's words: kk (Kazakh), en or ru.")

    @app.post("/analyze", tags=["analysis"], responses={**document_answer("The contract JSON (derek.document/1)."),
                                                        **errors(400, 413, 422)})
    def analyze(body: AnalyzeIn, html: bool = html_flag(), lang: Lang = lang_choice()):
        """Analyse one article; answers the contract JSON (derek.document/1)."""
        return answer(lambda: analysed(body.text, body.meta(), html, lang))

    @app.post("/analyze/file", tags=["analysis"], responses={**document_answer("The contract JSON (derek.document/1)."),
                                                             **errors(400, 413, 422)})
    def analyze_file(file: Annotated[Union[UploadFile, str], File(description="A text or HTML file (encoding detected).")],
                     html: bool = html_flag(), lang: Lang = lang_choice()):
        """Analyse an uploaded file (text or HTML)."""
        from derek.api.contract import upload_source
        from derek.io import InputError

        # a file part, or a plain text field (a form without a file name)
        if isinstance(file, str):
            name, data = "upload", file.encode("utf-8", "surrogatepass")
        else:
            name, data = os.path.basename(file.filename or "upload"), file.file.read()
        try:
            src = upload_source(data, name)
        except InputError as exc:
            raise HTTPException(422, str(exc)) from None
        return answer(lambda: analysed(src.text, {"source": name, **src.meta}, html, lang))

    # -- store ---------------------------------------------------------------------------
    def require_token(bearer: Optional[HTTPAuthorizationCredentials] = Depends(BEARER),
                      header: Optional[str] = Depends(TOKEN_HEADER)):
        expected = state["token"]
        if not expected:
            raise HTTPException(403, "storing articles is disabled: start the server with DEREK_API_TOKEN set")
        given = [t for t in (header, bearer.credentials if bearer else None) if t]
        if not any(hmac.compare_digest(t.encode(), expected.encode()) for t in given):
            raise HTTPException(401, "missing or wrong token (send 'Authorization: Bearer TOKEN')",
                                headers={"WWW-Authenticate": "Bearer"})

    read_link = {"read": {"operationId": "get_article", "parameters": {"article_id": "$response.body#/id"},
                          "description": "The stored article."}}

    @app.post("/articles", tags=["store"], status_code=201, dependencies=[Depends(require_token)],
              responses={201: {"model": Added, "description": "Stored: a new article.", "links": read_link},
                         200: {"model": Added, "description": "The same text was stored before: its id.",
                               "links": read_link},
                         **errors(400, 401, 403, 413, 422, 503)})
    def add_article(body: ArticleIn, response: Response):
        """Analyse and store an article (idempotent: the same text answers 200 with the
        id it already has; a new one answers 201)."""
        from derek.store import content_hash

        store = get_store()
        known = store.find_hash(content_hash(body.text))
        if known is not None:
            return JSONResponse({"id": known, "added": False, "url": f"/articles/{known}"}, status_code=200)
        res = store.add(pipeline().analyze(body.text, meta=body.meta()), ext_id=body.id)
        return JSONResponse({"id": res.id, "added": res.added, "url": f"/articles/{res.id}"},
                            status_code=201 if res.added else 200)

    @app.get("/articles/{article_id}", tags=["store"], operation_id="get_article",
             responses={**document_answer("The stored contract JSON, its store `id` and `meta.outlet`.", stored=True),
                        **errors(404, 422, 503)})
    async def get_article(article_id: int = Path(ge=1, le=MAX_ID), html: bool = html_flag(), lang: Lang = lang_choice()):
        """A stored article: the contract JSON plus its store `id` and `meta.outlet`."""
        def make():
            data = get_store().get(article_id)
            if data is None:
                raise HTTPException(404, f"no article {article_id}")
            from derek.render_html import document_html
            from derek.store.store import document_from_dict

            data["html"] = document_html(document_from_dict(data), inline_style=False, lang=lang)
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

    @app.get("/search", tags=["store"], response_model=SearchOut, responses=errors(422, 503))
    def search(q: Optional[str] = Query(None, max_length=500, description="Words, any inflected form (a query with no words finds nothing)."),
               entity: Optional[str] = Query(None, max_length=200, description="Only articles mentioning this entity (any inflected form)."),
               speaker: Optional[str] = Query(None, max_length=200, description="Only articles quoting this speaker."),
               indicator: Optional[str] = Query(None, max_length=128, description="Only articles with a claim on this indicator."),
               outlet: Optional[str] = Query(None, max_length=256, description="Only this outlet: a host (kazinform.kz, or a URL on it) or an agency."),
               since: Optional[str] = Query(None, pattern=DATE_PATTERN, description="Published on or after YYYY[-MM[-DD]]."),
               until: Optional[str] = Query(None, pattern=DATE_PATTERN, description="Published on or before YYYY[-MM[-DD]]."),
               limit: int = Query(20, ge=1, le=500), offset: int = Query(0, ge=0, le=100_000)):
        """Full-text search through the Kazakh lemmatizer, with filters; without words, the
        newest articles the filters admit."""
        def make():
            from derek.store.terms import query_groups

            if q and q.strip() and not list(query_groups(q)):  # "?!": no word, so no article has it
                return {"query": q, "count": 0, "results": []}
            hits = get_store().search(q, entity=entity, speaker=speaker, indicator=indicator, outlet=outlet,
                                      since=since, until=until, limit=limit, offset=offset)
            return {"query": q, "count": len(hits), "results": hits}

        return answer(make)

    @app.get("/entities", tags=["store"], response_model=EntitiesOut, responses=errors(422, 503))
    def top_entities(top: int = Query(20, ge=1, le=1000),
                     kind: EntityKind = Query("named", description=KIND_DESCRIPTION),
                     label: Optional[str] = Query(None, max_length=32, description="Only this label (PERSON, GPE, CARDINAL…).")):
        """The most mentioned entities (by articles, then mentions)."""
        return answer(lambda: {"entities": get_store().top_entities(top, label=label, kind=kind)})

    @app.get("/entities/{canonical}", tags=["store"], response_model=EntityOut, responses=errors(404, 422, 503))
    def entity(canonical: str = Path(max_length=200), kind: EntityKind = Query("named", description=KIND_DESCRIPTION)):
        """Mentions of an entity (any inflected form of its name) across the corpus."""
        def make():
            data = get_store().entity(canonical, kind=kind)
            if data is None:
                raise HTTPException(404, f"no entity {canonical!r} in the store")
            return data

        return answer(make)

    @app.get("/indicators/{indicator}/timeline", tags=["store"], response_model=TimelineOut, responses=errors(422, 503))
    def timeline(indicator: str = Path(pattern=INDICATOR_PATTERN, description="An indicator id: kz_ru_trade_turnover, or its tail (trade_turnover)."),
                 limit: int = Query(200, ge=1, le=10_000, description="The latest N claims (count says how many there are).")):
        """Claimed values of an indicator by outlet and date, and the reference series."""
        return answer(lambda: get_store().timeline(indicator, limit=limit))

    return app
