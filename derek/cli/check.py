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
    table = "table"  # the claims as blocks (the name is kept for scripts that pass it)
    blocks = "blocks"
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
    width: Optional[int] = typer.Option(None, "--width", "-w", min=40, max=400,
                                        help="Output width in columns (default: the terminal's, 80 when piped)."),
) -> None:
    """Find check-worthy claims and verify them against sourced statistics."""
    published = parse_published(published)
    import derek
    from derek.claims import check_document
    from derek.cli.analyze import language_notice
    from derek.claims.reference import StatsError
    from derek.io import read_bytes

    from derek.io import read_path

    pipeline = derek.load(ner=use_ner(ner))  # the command line's NER choice, passed in
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
        doc = pipeline.analyze(src.text, meta=meta)
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
            _print_blocks(doc, claims, lang.value, SOURCE if path is None else str(path), width)


LABELS = {
    "en": {"claim": "claim", "speaker": "speaker", "frame": "frame", "evidence": "evidence", "rate": "rate",
           "conflict": "conflict", "verdict": "verdict", "source": "source", "assumed": "assumed",
           "claims": "claim(s)", "published": "published", "missing": "the pipeline did not fill {layers}; claims need them."},
    "kk": {"claim": "мәлімдеме", "speaker": "айтушы", "frame": "өлшем", "evidence": "дерек", "rate": "бағам",
           "conflict": "қайшы дерек", "verdict": "қорытынды", "source": "дереккөз", "assumed": "болжамды",
           "claims": "мәлімдеме", "published": "жарияланды", "missing": "конвейер {layers} қабаттарын толтырмады."},
}


def frame_line(frame: dict | None) -> str:
    """A claim's frame on one line: indicator · geography · statistic · period · unit · scope."""
    if not frame:
        return "—"
    parts = [frame.get("indicator") or "no indicator", frame.get("geography"), frame.get("stat_type")
             + (f" ({frame['basis']})" if frame.get("basis") else ""), frame.get("period") or "no period",
             frame.get("unit") or "no unit", frame.get("scope")]
    return " · ".join(str(p) for p in parts if p)


def _print_blocks(doc, claims, lang: str, name: str, width: int | None) -> None:
    """Each claim as a block of labelled lines (claim, frame, verdict, evidence, source) that
    wraps inside the width instead of a table whose columns collapse at 80 columns."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from derek.claims.explain import row_amount
    from derek.claims.reference import RefRow

    L = LABELS[lang]
    console = Console(width=width, highlight=False) if width else Console(highlight=False)
    title = f"{name}: {len(claims)} {L['claims']}"
    if doc.meta.published:
        title += f", {L['published']} {doc.meta.published}"
    console.print(Text(title, style="bold"))
    for i, c in enumerate(claims, 1):
        v = c.verdict or {}
        status = v.get("status", "—")
        head = Text(f"{i}. ", style="bold")
        head.append(f"«{c.quantity.text}»  " if c.quantity else "")
        head.append(status.upper(), style=STATUS_STYLE.get(status, ""))
        if v.get("diagnosis"):
            head.append(f" · {v['diagnosis']}", style="bold")
        elif v.get("reason"):
            head.append(f" · {v['reason']}", style="dim")
        console.print()
        console.print(head)
        grid = Table.grid(padding=(0, 1))
        add = lambda label, value: grid.add_row(label, Text(value))  # noqa: E731 (plain text, no markup)
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        add(L["claim"], c.text)
        period = c.period or "—"
        if v.get("period_basis") == "latest_reference":
            period += f" ({L['assumed']})"
        add(L["speaker"], f"{c.speaker or '—'} · {period}" + (f" · {c.modality}" if c.modality != "fact" else ""))
        add(L["frame"], frame_line(c.frame))
        ref = v.get("reference")
        if ref and ref.get("period"):
            row = RefRow(**{k: ref[k] for k in RefRow.__dataclass_fields__ if k in ref})
            add(L["evidence"], f"{row_amount(row, lang)} ({row.period}) — {row.source} [{row.kind}]")
        ev = v.get("evidence") or {}
        for conv in ev.get("conversion") or []:
            add(L["rate"], f"{conv['kzt_per_unit']:g} KZT / {conv['currency']} ({conv['period']}; {conv['source']})")
        if ev.get("conflicting"):
            other = ev["conflicting"]
            add(L["conflict"], f"{other['value']:g} ({other['period']}) — {other['source']}")
        add(L["verdict"], (v.get("explanation") or {}).get(lang, ""))
        if ref and ref.get("url") and (status != "unverifiable" or v.get("diagnosis")):
            add(L["source"], ref["url"])
        console.print(grid)
    missing = [layer for layer in ("quantities", "dates", "quotes") if layer not in doc.layers]
    if missing:
        console.print(L["missing"].format(layers=", ".join(missing)), style="yellow")
