"""`derek analyze FILE…` — run the pipeline and print text, JSON or JSON lines."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

import derek
from derek.cli import NerEngine, UsageError, app, ner_option, parse_published, published_option, use_ner
from derek.cli.inputs import example_option, files_argument, read_articles


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


@app.command()
def analyze(
    files: Optional[List[Path]] = files_argument(),
    example: bool = example_option("Analyze"),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (readable view), json, or jsonl (one line per file)."),
    tokens: bool = typer.Option(False, "--tokens", help="Include the token layer in JSON output."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
    published: Optional[str] = published_option(),
    ner: Optional[NerEngine] = ner_option(),
) -> None:
    """Analyze Kazakh news articles: structure, entities, quotes, quantities, dates, claims."""
    published = parse_published(published)
    if not files and not example:
        raise UsageError("give an article file, '-' for standard input, or --example")
    pipeline = derek.load(ner=use_ner(ner))
    articles = read_articles(files, example, published,
                             one_only="--format json takes one file; use --format jsonl for several"
                             if fmt is Format.json else None)
    docs = []
    # several files: batched through the NER model
    for doc in pipeline.analyze_many([text for text, _ in articles], metas=[meta for _, meta in articles]):
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
