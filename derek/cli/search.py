"""Corpus queries: `derek search`, `derek facts`, `derek entities`."""
from __future__ import annotations

from typing import Optional

import typer

from derek.cli import UsageError, app
from derek.cli.ingest import DB_HELP, open_store


# an article with neither a URL nor an agency credited (derek.store.store.outlet_of)
UNKNOWN_OUTLET = "unknown outlet"


def _run(fn, *args, **kwargs):
    from derek.store import QueryError

    try:
        return fn(*args, **kwargs)
    except QueryError as exc:
        raise UsageError(str(exc)) from None


@app.command()
def search(
    query: str = typer.Argument("", help='Words to find, any form: "Ресейдің" finds "Ресей".'),
    entity: Optional[str] = typer.Option(None, "--entity", help="Only articles mentioning this entity."),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Only articles quoting this speaker."),
    indicator: Optional[str] = typer.Option(None, "--indicator", help="Only articles with a claim on this indicator (e.g. trade_turnover)."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Only this outlet: a host (kazinform.kz, or a URL on it) or an agency."),
    since: Optional[str] = typer.Option(None, "--since", help="Published on or after YYYY[-MM[-DD]]."),
    until: Optional[str] = typer.Option(None, "--until", help="Published on or before YYYY[-MM[-DD]]."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=500),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Search the stored articles (full text through the Kazakh lemmatizer, plus filters)."""
    import json

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if not (query.strip() or entity or speaker or indicator or outlet or since or until):
        raise UsageError("give search words or a filter (--entity, --speaker, --indicator, --outlet, --since, --until)")
    from derek.store.query import check_date

    _run(check_date, since)  # a bad argument is reported before a missing store
    _run(check_date, until, "until")
    with open_store(db, must_exist=True) as store:
        hits = _run(store.search, query or None, entity=entity, speaker=speaker, indicator=indicator,
                    outlet=outlet, since=since, until=until, limit=limit)
    if as_json:
        for h in hits:
            typer.echo(json.dumps(h, ensure_ascii=False))
        return
    console = Console(highlight=False)
    if not hits:
        console.print("no articles found")
        return
    table = Table(show_lines=True)
    for col in ("id", "published", "outlet", "headline / snippet"):
        table.add_column(col, overflow="fold")
    for h in hits:
        cell = Text(h["headline"] or "(no headline)", style="bold")
        snip = Text(h["snippet"])
        if h["match"]:
            snip.stylize("reverse", *h["match"])
        cell.append("\n").append(snip)
        table.add_row(str(h["id"]), h["published"] or "", h["outlet"] or UNKNOWN_OUTLET, cell)
    console.print(table)
    console.print(f"{len(hits)} article(s)")


@app.command()
def facts(
    indicator: str = typer.Option(..., "--indicator", help="Indicator id, e.g. trade_turnover or kz_ru_trade_turnover."),
    as_json: bool = typer.Option(False, "--json", help="Print the timeline as JSON."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Timeline of an indicator: claimed values per outlet and date beside the reference."""
    import json

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    with open_store(db, must_exist=True) as store:
        tl = store.timeline(indicator)
    if as_json:
        typer.echo(json.dumps(tl, ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    if not tl["claims"] and not tl["reference"]:
        console.print(f"no claims and no reference data for indicator {indicator!r}")
        return
    table = Table(title=f"{indicator}: claimed vs reference")
    for col in ("period", "published", "outlet", "claimed", "reference", "verdict"):
        table.add_column(col, overflow="fold")
    ref_by_period = {}
    for r in tl["reference"]:
        ref_by_period.setdefault(r["period"][:4], r)
    shown_periods = set()
    for c in tl["claims"]:
        period = (c["period"] or c["published"] or "")[:4]
        ref = ref_by_period.get(period)
        shown_periods.add(period)
        verdict = " ".join(x for x in (c["status"], c["diagnosis"]) if x)
        style = {"inconsistent": "bold red", "consistent": "green"}.get(c["status"] or "", "yellow")
        table.add_row(c["period"] or "", c["published"] or "", escape(c["outlet"]) if c["outlet"] else f"[dim]{UNKNOWN_OUTLET}[/]",
                      c["quantity"] or _value(c), _ref(ref), f"[{style}]{verdict or '—'}[/]")
    for period, r in sorted(ref_by_period.items()):
        if period not in shown_periods:
            table.add_row(r["period"], "", "[dim]reference[/]", "", _ref(r), "")
    console.print(table)


def _value(c) -> str:
    if c.get("value") is None:
        return ""
    return f"{c['value']:g} {c.get('unit') or ''}".strip()


def _ref(r) -> str:
    if not r or r.get("value") is None:
        return ""
    parts = [f"{r['value']:g}", r.get("scale") or "", r.get("currency") or r.get("unit") or ""]
    return " ".join(p for p in parts if p)


@app.command()
def entities(
    top: int = typer.Option(20, "--top", min=1, max=1000, help="How many entities."),
    kind: str = typer.Option("named", "--kind",
                             help="named (people, organisations, places, events: the default), numbers, dates, other or all."),
    label: Optional[str] = typer.Option(None, "--label", help="Only this label (PERSON, GPE, CARDINAL…); wins over --kind."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """The most mentioned entities in the store (by articles, then mentions): names by
    default; `--kind numbers` and `--kind dates` list the numbers and dates."""
    from rich.console import Console
    from rich.table import Table

    from derek.store.kinds import KIND_NAMES

    if kind not in KIND_NAMES:
        raise UsageError(f"--kind must be one of {', '.join(KIND_NAMES)}, got {kind!r}")
    with open_store(db, must_exist=True) as store:
        rows = _run(store.top_entities, top, label=label, kind=kind)
    console = Console(highlight=False)
    if not rows:
        console.print("no entities stored yet" if kind == "all" and not label else "no such entities stored yet")
        return
    table = Table()
    for col in ("entity", "label", "articles", "mentions"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"] or r["key"], r["label"], str(r["articles"]), str(r["mentions"]))
    console.print(table)
