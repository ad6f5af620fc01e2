"""The `derek` command line (typer + rich).

Each command lives in its own module under derek/cli/ and attaches itself to `app`; heavy
imports happen inside the command functions so `derek --help` stays fast.  User errors
(`InputError`, `UsageError`) print one line and exit 2 — never a traceback.
"""
from __future__ import annotations

import importlib
import os
import sys
from enum import Enum
from typing import Optional

import typer

app = typer.Typer(
    name="derek",
    help="derek — structured, checkable facts from Kazakh news (Cyrillic, Latin 2018/2021, mixed).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

@app.callback()
def _root() -> None:
    """derek — structured, checkable facts from Kazakh news."""


# modules that register commands on `app`, in the order shown by --help
COMMAND_MODULES = [
    "derek.cli.analyze",
    "derek.cli.evaluate",
    "derek.cli.train",
    "derek.cli.batch",
    "derek.cli.check",
    "derek.cli.stats",
    "derek.cli.ingest",
    "derek.cli.watch",
    "derek.cli.search",
    "derek.cli.serve",
    "derek.cli.translit",
]


class UsageError(Exception):
    """A wrong combination of options or arguments; one-line message, exit 2."""


class NerEngine(str, Enum):
    ensemble = "ensemble"
    crf = "crf"


NER_HELP = ("NER engine: ensemble (the default: BiLSTM-CRF + feature CRF, KazNERD micro-F1 0.892) or crf "
            "(the feature CRF alone: ~1.35x the articles/s, F1 0.878). Default: $DEREK_NER_ENGINE, else ensemble.")


def ner_option():
    """`--ner`, shared by the commands that analyse articles."""
    return typer.Option(None, "--ner", help=NER_HELP, case_sensitive=False)


NER_ENGINE_ENV = "DEREK_NER_ENGINE"
NER_MODEL_ENV = "DEREK_NER_MODEL"


def use_ner(engine: Optional[NerEngine]):
    """The NER model a command analyses with (a derek.ner.choice.NerChoice): --ner, else
    $DEREK_NER_ENGINE, else the ensemble; the model directory $DEREK_NER_MODEL names, else the
    shipped one.  The command line is the one place that reads the environment: the choice is
    passed on explicitly (to derek.load, Dask workers, ingest's processes, serve's workers),
    and a mistyped $DEREK_NER_ENGINE fails here, before any work starts."""
    from derek.ner.choice import ENGINES, NerChoice
    from derek.ner.errors import NerModelError

    if engine is not None:
        name = engine.value
    else:
        name = os.environ.get(NER_ENGINE_ENV, "").strip().lower() or "ensemble"
        if name not in ENGINES:
            raise NerModelError(f"${NER_ENGINE_ENV} is {name!r}: use one of {', '.join(ENGINES)}")
    return NerChoice(model=os.environ.get(NER_MODEL_ENV) or None, engine=name)


PUBLISHED_HELP = ("When the article appeared: YYYY-MM-DD, YYYY-MM or YYYY. Relative dates (биыл, былтыр, кеше) "
                  "and claim periods resolve against it; it wins over a dateline or the page's own date.")
PUBLISHED_DEFAULT_HELP = ("Publication date (YYYY-MM-DD, YYYY-MM or YYYY) for inputs that carry none of their own "
                          "(a JSONL record's \"published\", the HTML page's date, a SOURCES.tsv row, a dateline).")


def published_option(help: str = PUBLISHED_HELP):
    """`--published DATE`, shared by the commands that analyse articles."""
    return typer.Option(None, "--published", help=help, metavar="DATE")


def parse_published(value: Optional[str]) -> Optional[str]:
    """--published as meta.published keeps it.  A value whose year (and month) are sound but
    whose rest is not ("2024-20") keeps the sound part, with a warning; one with no sound year
    is a one-line usage error."""
    if value is None:
        return None
    from derek.extract.date_parts import published_date

    try:
        return published_date(value)
    except ValueError as exc:
        try:
            kept = published_date(value, keep_known=True)
        except ValueError:
            raise UsageError(f"--published {exc}") from None
        typer.echo(f"derek: warning: --published {exc}; using {kept}", err=True)
        return kept


def fail(message: str, code: int = 2) -> "typer.Exit":
    typer.echo(f"derek: error: {message}", err=True)
    return typer.Exit(code)


def _register() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name)


def _command() -> str:
    """The command word of this run ("serve"), "" when none was given."""
    words = [a for a in sys.argv[1:] if not a.startswith("-")]
    return words[0] if words else ""


def main() -> None:
    _register()
    from derek.io import InputError
    from derek.ner.errors import NerModelError

    try:
        # standalone_mode=False makes click *return* the code of a typer.Exit
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except (InputError, UsageError, NerModelError) as exc:  # NerModelError: $DEREK_NER_MODEL/_ENGINE
        typer.echo(f"derek: error: {exc}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("derek: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("derek: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # click usage errors and anything unexpected
        # typer >= 0.20 raises its vendored click's exceptions, not `click`'s: recognise a
        # usage error by its interface (show + exit_code) so both kinds exit 2 with one message
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        from derek.cli.extras import missing_extra

        needs = missing_extra(exc, _command())  # a command of an extra this install does not have
        if needs:
            typer.echo(f"derek: error: derek {_command()} needs {needs}", err=True)
            sys.exit(2)
        if os.environ.get("DEREK_DEBUG"):
            raise
        typer.echo(f"derek: internal error: {type(exc).__name__}: {exc} "
                   "(set DEREK_DEBUG=1 for a traceback)", err=True)
        sys.exit(1)
