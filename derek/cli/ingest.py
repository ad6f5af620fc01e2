"""`derek ingest PATH…` — analyse articles into the corpus store (idempotent)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import List, Optional

import typer

from derek.cli import (PUBLISHED_DEFAULT_HELP, NerEngine, UsageError, app, ner_option, parse_published,
                       published_option, use_ner)

DB_HELP = "Database URL (sqlite:///file.sqlite, postgresql://user:pw@host/db) or a SQLite file path; default: $DEREK_DB or the user data dir."


def open_store(db: Optional[str], must_exist: bool = False):
    """The store for a CLI command; a store that cannot be opened is a one-line error.
    `must_exist` (the read-only commands): a SQLite file that is not there is an error, not
    a new empty store — a mistyped --db must not answer "no articles found"."""
    from sqlalchemy.engine import make_url

    from derek.store import Store, StoreError
    from derek.store.db import resolve_url

    if must_exist:
        url = resolve_url(db)
        try:
            path = make_url(url).database if make_url(url).get_backend_name() == "sqlite" else None
        except Exception:  # not a URL at all: Store() below says so
            path = None
        if path and path != ":memory:" and not Path(path).exists():
            raise UsageError(f"no store at {path} (store articles first: derek ingest FILE… --db {db or path})")
    try:
        return Store(db)
    except StoreError as exc:
        raise UsageError(str(exc)) from None


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Text/HTML files, folders, or JSONL files of {id, url, published, text|html} or of analysed documents."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, max=64,
                                help="Processes that analyse raw articles (analysed JSONL is stored without analysis)."),
    published: Optional[str] = published_option(PUBLISHED_DEFAULT_HELP),
    ner: Optional[NerEngine] = ner_option(),
) -> None:
    """Analyse articles and store them; re-ingesting the same text adds nothing.

    JSONL lines that are already-analysed documents (`derek batch --out`, or
    `derek analyze --format json` output) are stored as they are, without re-analysis."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from derek.store.ingest import ingest as run

    published = parse_published(published)
    choice = use_ner(ner)  # handed to the analysis processes with every article
    store = open_store(db)
    err = Console(stderr=True, highlight=False)
    t0 = time.perf_counter()
    with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[name]}"), console=err, disable=quiet, transient=True) as bar:
        task = bar.add_task("ingest", total=None, name="")

        def on_total(n: int) -> None:
            bar.update(task, total=n)

        def step(item, outcome) -> None:
            bar.update(task, advance=1, name=item.name[-50:])

        report = run(store, [str(p) for p in paths], progress=step, on_total=on_total, workers=workers,
                     published=published, ner=choice)
    secs = time.perf_counter() - t0
    total = store.count()
    store.close()
    rate = f", {report.added / secs:.1f} articles/s" if report.added and secs > 0 else ""
    typer.echo(f"added {report.added}, already stored {report.skipped}, failed {len(report.failed)} "
               f"in {secs:.1f}s{rate}; the store has {total} articles")
    for name, msg in report.failed:
        typer.echo(f"derek: {name}: {msg}", err=True)
    if report.failed:
        raise typer.Exit(1)
