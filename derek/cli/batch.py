"""`derek batch INPUT… --out results.jsonl` — analyze many articles on Dask, resumably."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from derek.cli import (PUBLISHED_DEFAULT_HELP, NerEngine, UsageError, app, ner_option, parse_published,
                       published_option, use_ner)


@app.command()
def batch(
    inputs: List[Path] = typer.Argument(..., help="Article files, folders (searched for .txt/.html/.jsonl), "
                                                  "or JSONL files of {\"id\",\"url\",\"published\",\"text\"|\"html\"} records."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Append results here as JSON lines "
                                                                 "(ids already in it are skipped: re-run to resume)."),
    db: Optional[str] = typer.Option(None, "--db", help="Store results in this database (sqlite:///file.db, postgresql://…)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=0,
                                          help="Local Dask worker processes (default: one per core; 0 = no Dask, this process)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Use a running Dask scheduler, e.g. tcp://host:8786."),
    chunk: int = typer.Option(32, "--chunk", min=1, help="Articles per Dask task."),
    tokens: bool = typer.Option(False, "--tokens", help="Include the token layer in the output."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bar (default: when standard error is a terminal)."),
    published: Optional[str] = published_option(PUBLISHED_DEFAULT_HELP),
    ner: Optional[NerEngine] = ner_option(),
) -> None:
    """Analyze many articles in parallel on Dask; resumable, one bad article never stops the batch."""
    import signal

    from derek.batch import run_batch
    from derek.batch.cluster import SchedulerError
    from derek.io import shown

    published = parse_published(published)
    if (out is None) == (db is None):
        raise UsageError("give one of --out FILE or --db URL")
    if scheduler and workers is not None:
        raise UsageError("--workers starts a local cluster; with --scheduler the cluster's workers are used")
    if scheduler and "://" not in scheduler:
        scheduler = f"tcp://{scheduler}"
    choice = use_ner(ner)  # sent to every worker and with every task: the workers' environment is not read
    show = sys.stderr.isatty() if progress is None else progress

    def on_error(rid: str, reason: str) -> None:
        print(f"derek: failed {shown(rid)}: {reason}", file=sys.stderr, flush=True)

    # SIGTERM (e.g. from a job scheduler) stops like Ctrl-C: results so far are kept
    signal.signal(signal.SIGTERM, _interrupt)
    sink = _db_sink(db) if db else None
    try:
        summary = run_batch([str(p) for p in inputs], out=str(out) if out else None, sink=sink,
                            workers=workers, scheduler=scheduler, chunk_size=chunk, tokens=tokens,
                            progress=show, on_error=on_error, ner=choice, published=published)
    except SchedulerError as exc:
        typer.echo(f"derek: error: {exc} (finished articles are kept; re-run to resume)", err=True)
        raise typer.Exit(1)
    finally:
        if sink is not None:
            sink.close()
    if summary.repaired_bytes:
        typer.echo(f"derek: cut a torn last line ({summary.repaired_bytes} bytes) from the output; "
                   "its article was redone", err=True)
    typer.echo(f"derek: {summary.line()}", err=True)
    if summary.interrupted:
        typer.echo("derek: re-run the same command to resume", err=True)
        raise typer.Exit(130)
    if summary.failed:
        raise typer.Exit(1)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _db_sink(url: str):
    try:
        from derek.batch.dbsink import DbSink
    except ImportError:
        raise UsageError("--db needs the derek.store package, which this install lacks; use --out FILE") from None
    return DbSink(url)
