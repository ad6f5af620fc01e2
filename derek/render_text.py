"""The readable terminal view of a Document (rich): meta, highlighted text, fact tables."""
from __future__ import annotations

from typing import IO

from derek.doc import Document

LABEL_STYLES = {
    "PERSON": "bold cyan", "ORGANISATION": "bold magenta", "GPE": "bold green",
    "LOCATION": "green", "NORP": "yellow", "EVENT": "bold yellow",
}
VERDICT_STYLES = {"consistent": "green", "inconsistent": "bold red", "unverifiable": "yellow"}


def _fmt_value(q) -> str:
    if q is None or q.value is None:
        return ""
    v = q.value
    s = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4g}"
    if q.value_max is not None:
        s += f"–{q.value_max:,.4g}"
    return s


def print_document(doc: Document, file: IO[str] | None = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=file, highlight=False, soft_wrap=False)
    m = doc.meta
    console.rule(Text(m.headline or "(no headline)", style="bold"))
    facts = [("script", doc.script), ("author", m.author), ("published", m.published),
             ("reported by", ", ".join(m.reported_by) or None), ("photo", m.photo_credit),
             ("ner engine", m.ner_engine)]  # shown only when not the default ensemble
    for key, value in facts:
        if value:
            console.print(f"[dim]{key:>12}[/dim]  {value}")

    body = Text(doc.text)
    for e in doc.entities:
        body.stylize(LABEL_STYLES.get(e.label, "underline"), e.start, e.end)
    for q in doc.quantities:
        body.stylize("reverse", q.start, q.end)
    console.print()
    console.print(body)

    if doc.entities:
        t = Table(title="Entities", show_lines=False)
        for col in ("label", "text", "canonical"):
            t.add_column(col)
        for e in doc.entities:
            t.add_row(e.label, e.text, e.canonical or "")
        console.print(t)
    if doc.quotes:
        t = Table(title="Quotes")
        for col in ("kind", "speaker", "cue", "quote"):
            t.add_column(col, overflow="fold")
        for q in doc.quotes:
            who = (q.speaker.canonical or q.speaker.text) if q.speaker else ""
            t.add_row(q.kind, who or "", q.cue or "", _short(q.text))
        console.print(t)
    if doc.quantities:
        t = Table(title="Quantities")
        for col in ("text", "value", "unit", "qualifier", "per"):
            t.add_column(col)
        for q in doc.quantities:
            t.add_row(q.text, _fmt_value(q), q.unit or "", q.qualifier, q.per or "")
        console.print(t)
    if doc.dates:
        t = Table(title="Dates")
        for col in ("text", "iso", "relation"):
            t.add_column(col)
        for d in doc.dates:
            t.add_row(d.text, d.iso or "", d.relation)
        console.print(t)
    if doc.claims:
        t = Table(title="Claims")
        for col in ("claim", "frame", "value", "speaker", "verdict"):
            t.add_column(col, overflow="fold")
        from derek.cli.check import frame_line

        for c in doc.claims:
            v = c.verdict or {}
            status = v.get("status", c.modality if c.modality != "fact" else "")
            diag = f" ({v['diagnosis'] or v.get('reason') or ''})" if v.get("diagnosis") or v.get("reason") else ""
            t.add_row(_short(c.text, 60), frame_line(c.frame) if c.frame else (c.indicator or c.period or ""),
                      _fmt_value(c.quantity), c.speaker or "",
                      Text(status + diag, style=VERDICT_STYLES.get(status, "")))
        console.print(t)


def _short(s: str, n: int = 90) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
