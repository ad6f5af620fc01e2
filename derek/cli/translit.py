"""`derek translit --to latn2021|latn2018|cyrl FILE` — Kazakh Cyrillic <-> Latin."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from derek.cli import UsageError, app


class Target(str, Enum):
    latn2021 = "latn2021"
    latn2018 = "latn2018"
    cyrl = "cyrl"


class Source(str, Enum):
    auto = "auto"
    latn2018 = "latn2018"
    latn2021 = "latn2021"
    informal = "informal"


@app.command()
def translit(
    file: Path = typer.Argument(..., help="Text file ('-' reads standard input)."),
    to: Target = typer.Option(..., "--to", "-t", help="latn2021, latn2018 (Latin alphabets) or cyrl."),
    source: Source = typer.Option(Source.auto, "--from",
                                  help="Latin spelling of the input when --to cyrl (default: detected)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
) -> None:
    """Transliterate Kazakh text between Cyrillic and the official Latin alphabets.

    Cyrillic -> Latin follows the 2018 decree (á ǵ ń ó ú ý, sh ch) or the 2021 alphabet
    (ä ğ ñ ö ū ü ş ç); Latin -> Cyrillic also reads informal Turkic-style Latin.  URLs,
    e-mail addresses and domains are left as written; homoglyphs are repaired first."""
    from derek.io import read_bytes, read_path
    from derek.text.homoglyphs import repair
    from derek.text.translit import to_cyrillic, to_latin

    if to is not Target.cyrl and source is not Source.auto:
        raise UsageError("--from only applies with --to cyrl")
    if str(file) == "-":
        text = read_bytes(sys.stdin.buffer.read(), name="<stdin>").text
    else:
        text = read_path(str(file)).text
    if to is Target.cyrl:
        result = to_cyrillic(text, None if source is Source.auto else source.value).text
    else:
        result = to_latin(repair(text), to.value)
    if output:
        try:
            output.write_text(result, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(result)
        if result and not result.endswith("\n"):
            sys.stdout.write("\n")
