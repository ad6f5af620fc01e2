"""The article inputs of the commands that analyse articles (`derek analyze`, `derek check`):
the files argument, --example, and reading them all before any output."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from derek.cli import UsageError

FILES_HELP = "Article files (text or HTML); '-' reads standard input."


def files_argument():
    return typer.Argument(None, help=FILES_HELP, show_default=False)


def example_option(what: str):
    """--example: `what` is done to the example article before any FILES."""
    return typer.Option(False, "--example", help=f"{what} the example article that ships with derek "
                        "(a Kazakh news article; derek.example() in Python), before any FILES.")


def read_articles(files: Optional[List[Path]], example: bool, published: Optional[str],
                  one_only: str | None = None) -> list[tuple[str, dict]]:
    """(text, meta) of the example (when asked) and each file, in order, every input read first:
    a bad one stops the run before any output.  `one_only`: the usage error when more than one
    input is given (a format that holds one document)."""
    from derek.examples import SOURCE
    from derek.io import read_bytes, read_path

    files = list(files or [])
    if not files and not example:
        raise UsageError("give an article file, '-' for standard input, or --example")
    if one_only and len(files) + example > 1:
        raise UsageError(one_only)
    out = []
    if example:
        import derek

        out.append((derek.example(), {"source": SOURCE}))
    for path in files:
        src = read_bytes(sys.stdin.buffer.read(), name="<stdin>") if str(path) == "-" else read_path(str(path))
        meta = dict(src.meta)
        if str(path) != "-":
            meta.setdefault("source", src.name)
        out.append((src.text, meta))
    if published:
        for _, meta in out:
            meta["published"] = published
    return out
