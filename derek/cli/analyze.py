"""`derek analyze FILE…` — run the pipeline and print text, JSON or JSON lines."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from derek.cli import NerEngine, UsageError, app, ner_option, parse_published, published_option, use_ner


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


@app.command()
def analyze(
    files: Optional[List[Path]] = typer.Argument(None, help="Article files (text or HTML); '-' reads standard input.",
                                                 show_default=False),
    example: bool = typer.Option(False, "--example", help="Analyze the example article that ships with derek "
                                 "(a Kazakh news article; derek.example() in Python), before any FILES."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (readable view), json, or jsonl (one line per file)."),
    tokens: bool = typer.Option(False, "--tokens", help="Include the token layer in JSON output."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
    published: Optional[str] = published_option(),
    ner: Optional[NerEngine] = ner_option(),
) -> None:
    """Analyze Kazakh news articles: structure, entities, quotes, quantities, dates, claims."""
    published = parse_published(published)
    files = list(files or [])
    if not files and not example:
        raise UsageError("give an article file, '-' for standard input, or --example")
    use_ner(ner)
    import derek
    from derek.io import read_bytes, read_path

    if fmt is Format.json and len(files) + example > 1:
        raise UsageError("--format json takes one file; use --format jsonl for several")
    texts, metas = [], []  # every input read first: a bad one stops the run before any output
    if example:
        from derek.examples import SOURCE

        texts.append(derek.example())
        metas.append({"source": SOURCE, **({"published": published} if published else {})})
    for path in files:
        if str(path) == "-":
            src = read_bytes(sys.stdin.buffer.read(), name="<stdin>")
            meta = dict(src.meta)
        else:
            src = read_path(str(path))
            meta = dict(src.meta)
            meta.setdefault("source", src.name)
        if published:
            meta["published"] = published
        texts.append(src.text)
        metas.append(meta)
    docs = []
    for doc in derek.analyze_many(texts, metas=metas):  # several files: batched through the NER model
        if isinstance(doc, BaseException):
            raise doc
        docs.append(doc)
    for doc in docs:
        language_notice(doc)
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        if fmt is Format.json:
            out.write(docs[0].to_json(indent=2, tokens=tokens) + "\n")
        elif fmt is Format.jsonl:
            for doc in docs:
                out.write(doc.to_json(tokens=tokens) + "\n")
        else:
            from derek.render_text import print_document

            for doc in docs:
                print_document(doc, file=out if output else None)
    finally:
        if output:
            out.close()


def language_notice(doc) -> None:
    """Tell the user on standard error when paragraphs in another language were left out (a
    Russian article, Russian paragraphs in a Kazakh one); the JSON has it as meta.language_notice."""
    if doc.meta.language_notice:
        typer.echo(f"derek: notice: {doc.meta.source or '<input>'}: {doc.meta.language_notice}", err=True)
