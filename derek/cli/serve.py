"""`derek serve` — the HTTP API and web page (FastAPI + uvicorn)."""
from __future__ import annotations

from typing import Optional

import typer

from derek.cli import NerEngine, app, ner_option, use_ner
from derek.cli.ingest import DB_HELP, open_store


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 exposes it to the network)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    token: Optional[str] = typer.Option(None, "--token", envvar="DEREK_API_TOKEN",
                                        help="Token that POST /articles requires (default: $DEREK_API_TOKEN; unset = storing disabled)."),
    max_bytes: int = typer.Option(2_000_000, "--max-bytes", help="Largest request body accepted (413 beyond)."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Server processes (each with its own store connections)."),
    cache_ttl: Optional[float] = typer.Option(
        None, "--cache-ttl", min=0,
        help="Most seconds a read answer (search, article, entities) is reused; 0 = no cache. "
             "Default 300 for a SQLite file (answers are dropped as soon as the file changes), 2 otherwise."),
    ner: Optional[NerEngine] = ner_option(),
) -> None:
    """Serve the API (OpenAPI at /docs) and the web page at http://HOST:PORT/."""
    import uvicorn

    from derek.api import create_app

    choice = use_ner(ner)  # POST /analyze and /articles; handed to every --workers process

    store = open_store(db)  # fail here, with a one-line error, not on the first request
    typer.echo(f"derek: serving http://{host}:{port}/ (store {store.engine.url.render_as_string(hide_password=True)})", err=True)
    if workers == 1:
        from derek.api.app import preload

        preload()
        uvicorn.run(create_app(store=store, token=token, max_bytes=max_bytes, cache_ttl=cache_ttl, ner=choice),
                    host=host, port=port, log_level="warning")
        return
    # several processes: each builds the app from these settings, handed over by uvicorn
    from derek.api.serving import serve_workers

    store.close()
    serve_workers({"db": store.url, "token": token, "max_bytes": max_bytes, "cache_ttl": cache_ttl, "ner": choice},
                  workers=workers, host=host, port=port)
