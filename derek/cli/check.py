"""`derek check FILE…` — the article's check-worthy claims with their verdicts."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from derek.cli import NerEngine, UsageError, app, ner_option, parse_published, published_option, use_ner


class Lang(str, Enum):
    en = "en"
    kk = "kk"


class CheckFormat(str, Enum):
    table = "table"
    json = "json"


STATUS_STYLE = {"consistent": "green", "inconsistent": "bold red", "unverifiable": "yellow"}


@app.command()
def check(
    files: Optional[List[Path]] = typer.Argument(None, help="Article files (text or HTML); '-' reads standard input.",
                                                 show_default=False),
    example: bool = typer.Option(False, "--example", help="Check the example article that ships with derek "
                                 "(derek.example() in Python), before any FILES."),
    lang: Lang = typer.Option(Lang.en, "--lang", "-l", help="Language of the explanations: en or kk."),
    fmt: CheckFormat = typer.Option(CheckFormat.table, "--format", "-f", help="table (rich) or json (the claims layer)."),
    checked_only: bool = typer.Option(False, "--checked-only", help="Hide claims no reference series covers."),
    published: Optional[str] = published_option(),
    ner: Optional[NerEngine] = ner_option(),
) -> None:
    """Find check-worthy claims and verify them against sourced statistics."""
    published = parse_published(published)
    use_ner(ner)
    import derek
    from derek.claims import check_document
    from derek.cli.analyze import language_notice
    from derek.claims.reference import StatsError
    from derek.io import read_bytes

    from derek.io import read_path

    files = list(files or [])
    if not files and not example:
        raise UsageError("give an article file, '-' for standard input, or --example")
    if fmt is CheckFormat.json and len(files) + example > 1:
        raise UsageError("--format json takes one file")
    from derek.examples import SOURCE
    from derek.io import Source

    for path in [None] * example + files:  # None: the example article
        if path is None:
            src = Source(text=derek.example(), name=SOURCE, encoding="utf-8")
        else:
            src = read_bytes(sys.stdin.buffer.read(), name="<stdin>") if str(path) == "-" else read_path(str(path))
        meta = dict(src.meta)
        meta.setdefault("source", src.name)
        if published:
            meta["published"] = published
        doc = derek.analyze(src.text, meta=meta)
        language_notice(doc)  # a Russian article: say why it has no claims
        if "claims" not in doc.layers:  # the stage is not in the default pipeline yet
            try:
                check_document(doc)
            except StatsError as exc:
                raise UsageError(str(exc)) from None
        claims = [c for c in doc.claims
                  if not checked_only
                  or (c.verdict or {}).get("reason") not in ("no_indicator", "qualitative", "no_reference")]
        if fmt is CheckFormat.json:
            from dataclasses import asdict

            sys.stdout.write(json.dumps([asdict(c) for c in claims], ensure_ascii=False, indent=2) + "\n")
        else:
            _print_table(doc, claims, lang.value, SOURCE if path is None else str(path))


def _print_table(doc, claims, lang: str, name: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    missing = [layer for layer in ("quantities", "dates", "quotes") if layer not in doc.layers]
    title = f"{name}: {len(claims)} claim(s)"
    if doc.meta.published:
        title += f", published {doc.meta.published}"
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("claim", ratio=3)
    table.add_column("subject / indicator", ratio=2)
    table.add_column("period", no_wrap=True)
    table.add_column("speaker", ratio=1)
    table.add_column("verdict", no_wrap=True)
    table.add_column("reference", ratio=2)
    from derek.claims.explain import row_amount

    for i, c in enumerate(claims, 1):
        v = c.verdict or {}
        claim_text = Text(c.quantity.text if c.quantity else "", style="bold")
        sentence = c.text if len(c.text) <= 140 else c.text[:137] + "…"
        claim_text.append("\n" + sentence)
        subject = (c.subject or "—") + (f"\n[{c.indicator}]" if c.indicator else "")
        if c.modality != "fact":
            subject += f"\n({c.modality})"
        period = (c.period or "—") + ("\n(assumed)" if v.get("period_basis") == "latest_reference" else "")
        status = v.get("status", "—")
        verdict = Text(status, style=STATUS_STYLE.get(status, ""))
        if v.get("diagnosis"):
            verdict.append("\n" + v["diagnosis"], style="bold")
        ref = v.get("reference")
        ref_text = ""
        if ref:
            from derek.claims.reference import RefRow

            row = RefRow(**{k: ref[k] for k in RefRow.__dataclass_fields__})
            ref_text = f"{row_amount(row, lang)} ({row.period})\n{row.source[:80]}"
        table.add_row(str(i), claim_text, subject, period, c.speaker or "—", verdict, ref_text)
    console.print(table)
    for i, c in enumerate(claims, 1):
        v = c.verdict or {}
        expl = (v.get("explanation") or {}).get(lang, "")
        ref = v.get("reference") or {}
        console.print(f"[bold]{i}.[/bold] {expl}", highlight=False)
        if ref.get("url") and (v.get("status") != "unverifiable" or v.get("diagnosis")):
            console.print(f"   source: {ref['url']}", style="dim", highlight=False)
    if missing:
        console.print(f"note: the pipeline did not fill {', '.join(missing)}; claims need them.", style="yellow")
