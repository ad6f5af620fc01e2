"""`derek stats list | show ID | import FILE.csv` — the sourced reference statistics."""
from __future__ import annotations

from pathlib import Path

import typer

from derek.cli import UsageError, app

stats_app = typer.Typer(help="The sourced reference statistics claims are checked against.",
                        no_args_is_help=True)
app.add_typer(stats_app, name="stats")


def _table():
    from derek.claims.reference import StatsError, load_table

    try:
        return load_table()
    except StatsError as exc:
        raise UsageError(str(exc)) from None


@stats_app.command("list")
def list_() -> None:
    """Indicators: their subject, number of reference rows and latest period."""
    from rich.console import Console
    from rich.table import Table

    from derek.claims.indicators import lexicon

    table = _table()
    known = lexicon().indicators
    out = Table(title="derek reference statistics")
    for col in ("indicator", "subject", "rows", "latest", "user rows"):
        out.add_column(col)
    for ind in sorted(set(known) | set(table.by_indicator)):
        rows = table.rows_for(ind)
        subject = known[ind].subject if ind in known else "(not in indicators.toml: not detected in text)"
        out.add_row(ind, subject, str(len(rows)), max((r.end for r in rows), default="—"),
                    str(sum(r.origin == "user" for r in rows)))
    Console().print(out)


@stats_app.command("show")
def show(indicator: str = typer.Argument(..., help="Indicator id, e.g. kz_ru_trade_turnover.")) -> None:
    """Every row of one indicator, with its source."""
    from rich.console import Console
    from rich.table import Table

    from derek.claims.explain import row_amount

    table = _table()
    rows = table.rows_for(indicator)
    if not rows:
        raise UsageError(f"no reference rows for {indicator!r} (see `derek stats list`)")
    out = Table(title=indicator, show_lines=True)
    for col in ("period", "value", "kind", "confidence", "source", "note"):
        out.add_column(col, overflow="fold")
    for r in sorted(rows, key=lambda r: r.period):
        out.add_row(r.period, row_amount(r, "en"), r.kind,
                    r.confidence + (" (user)" if r.origin == "user" else ""), f"{r.source}\n{r.url}", r.note)
    Console().print(out)


@stats_app.command("import")
def import_(csv_file: Path = typer.Argument(..., help="CSV with the columns of derek/data/reference_stats.csv.")) -> None:
    """Validate a CSV completely, then add its rows to your user table (nothing is written
    if any row is malformed)."""
    from derek.claims.reference import StatsError, import_table

    try:
        n, path = import_table(csv_file)
    except StatsError as exc:
        raise UsageError(str(exc)) from None
    typer.echo(f"imported {n} row(s) into {path}")
