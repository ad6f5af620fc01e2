"""`derek translit --to latn2021|latn2018|cyrl FILE` — Kazakh Cyrillic <-> Latin."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from derek.cli import UsageError, app


TARGETS = ("latn2021", "latn2018", "cyrl")
SOURCES = ("auto", "latn2018", "latn2021", "informal")


@app.command()
def translit(
    file: Path = typer.Argument(..., help="Text file ('-' reads standard input)."),
    to: str = typer.Option(..., "--to", "-t", help="latn2021, latn2018 (Latin alphabets) or cyrl."),
    source: str = typer.Option("auto", "--from",
                               help="Latin spelling of the input when --to cyrl: auto (detected), "
                                    "latn2018, latn2021 or informal."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
) -> None:
    """Transliterate Kazakh text between Cyrillic and the official Latin alphabets.

    2018: á ǵ ń ó ú ý, sh ch (lat.egemen.kz).  2021: ä ğ ñ ö ū ü ş ç.  Latin -> Cyrillic also reads informal Turkic-style Latin; URLs, e-mails and domains stay as written."""
    from derek.io import read_bytes, read_path
    from derek.text.homoglyphs import repair
    from derek.text.translit import to_cyrillic, to_latin

    # plain strings checked here (not an Enum) so a wrong value is a one-line usage error
    if to not in TARGETS:
        raise UsageError(f"--to must be one of {', '.join(TARGETS)}, not {to!r}")
    if source not in SOURCES:
        raise UsageError(f"--from must be one of {', '.join(SOURCES)}, not {source!r}")
    if to != "cyrl" and source != "auto":
        raise UsageError("--from only applies with --to cyrl")
    if str(file) == "-":
        text = read_bytes(sys.stdin.buffer.read(), name="<stdin>").text
    else:
        text = read_path(str(file)).text
    if to == "cyrl":
        result = to_cyrillic(text, None if source == "auto" else source).text
    else:
        result = to_latin(repair(text), to)
    if output:
        try:
            output.write_text(result, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(result)
        if result and not result.endswith("\n"):
            sys.stdout.write("\n")
