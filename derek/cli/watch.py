"""`derek watch URL… --db URL [--every 15m] [--once]` — bring in the new articles of
outlets' feeds and sitemaps, now and every so often (derek.watch; docs/watch.md)."""
from __future__ import annotations

import re
import time
from datetime import datetime
from typing import List, Optional

import typer

from derek.cli import NerEngine, UsageError, app, ner_option, use_ner
from derek.cli.ingest import DB_HELP, open_store

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {None: 60, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_every(value: str) -> float:
    """"15m", "90s", "1h", "1d" or a number of minutes, in seconds (at least 1 s)."""
    m = _EVERY.match(value or "")
    if m is None:
        raise UsageError(f"--every {value!r}: give a duration such as 30s, 15m, 1h or 1d")
    seconds = float(m.group(1)) * _UNITS[(m.group(2) or "").lower() or None]
    if seconds < 1:
        raise UsageError(f"--every {value!r}: at least 1s")
    return seconds


def check_sources(urls: List[str]) -> List[str]:
    from urllib.parse import urlsplit

    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{url!r} is not an http(s) URL of a feed, sitemap or outlet page")
    return urls


@app.command()
def watch(
    urls: List[str] = typer.Argument(..., help="Feeds (RSS, Atom, JSON Feed), sitemaps, or outlets' pages that link to a feed."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    every: str = typer.Option("15m", "--every", help="How often to look again: 30s, 15m, 1h, 1d."),
    once: bool = typer.Option(False, "--once", help="One cycle, then stop (exit 1 if a source could not be read)."),
    max_pages: int = typer.Option(200, "--max-pages", min=1, help="Pages fetched in one cycle at most; the rest wait for the next."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Seconds a request may take, however slowly it answers."),
    retries: int = typer.Option(2, "--retries", min=0, max=10, help="Tries again after a timeout, a failed connection, 429 or 5xx."),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help="Seconds between two requests to one host at least (robots.txt Crawl-delay wins when longer)."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Also read hosts on private or loopback addresses (an intranet)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only problems and the line per cycle."),
    ner: Optional[NerEngine] = ner_option(),
) -> None:
    """Watch outlets: each cycle reads the feeds and sitemaps, fetches the pages not seen
    before (robots.txt obeyed, one host at a time, retried with backoff) and stores their
    articles with URL, outlet and the page's date.  Resumes where a killed run stopped."""
    from derek.watch import Fetcher, Watcher

    period = parse_every(every)
    check_sources(urls)
    import derek

    pipeline = derek.load(ner=use_ner(ner))
    store = open_store(db)

    def problem(url: str, why: str) -> None:
        typer.echo(f"derek: watch: {url}: {why}", err=True)

    fetcher = Fetcher(timeout=timeout, retries=retries, delay=delay, allow_private=allow_private)
    watcher = Watcher(store, urls, fetcher, max_pages=max_pages, on_problem=problem,
                      analyse=lambda text, meta: pipeline.analyze(text, meta=meta))
    if not quiet:
        typer.echo(f"derek watch: {len(watcher.sources)} source(s) into {store.engine.url.render_as_string(hide_password=True)}"
                   + ("" if once else f", every {every}"), err=True)
    try:
        while True:
            started = time.monotonic()
            report = watcher.cycle()
            line = f"derek watch: cycle {report.number} at {datetime.now():%H:%M:%S}: {report.line()}"
            if once:
                typer.echo(line, err=True)
                if report.sources_failed:
                    raise typer.Exit(1)
                return
            wait = max(0.0, period - (time.monotonic() - started))
            typer.echo(f"{line}; next at {datetime.fromtimestamp(time.time() + wait):%H:%M:%S}", err=True)
            time.sleep(wait)
    except KeyboardInterrupt:
        typer.echo("derek watch: stopped (the next run resumes where this one stopped)", err=True)
        raise typer.Exit(130) from None
    finally:
        fetcher.close()
        store.close()
