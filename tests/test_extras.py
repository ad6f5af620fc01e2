"""A command whose install extra is missing says, in one line, what to pip install (exit 2);
the core install's modules import nothing an extra installs."""
from __future__ import annotations

import subprocess
import sys

import pytest

from derek.cli.extras import missing_extra


def run_without(modules: list[str], *args: str, cwd=None) -> subprocess.CompletedProcess:
    """`derek ARGS` in a process where `modules` cannot be imported (as in a core install)."""
    code = ("import sys\n"
            f"for m in {modules!r}: sys.modules[m] = None\n"
            f"sys.argv = ['derek', *{list(args)!r}]\n"
            "from derek.cli import main\nmain()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.mark.parametrize("blocked, args, extra", [
    (["uvicorn", "fastapi"], ["serve"], "api"),
    (["sqlalchemy"], ["ingest", "x.txt"], "store"),
    (["sqlalchemy"], ["search", "тауар"], "store"),
    (["sqlalchemy", "protego"], ["watch", "https://example.com/rss", "--once"], "watch"),
    (["distributed", "dask"], ["batch", "in.txt", "--out", "out.jsonl"], "batch"),
])
def test_a_missing_extra_is_one_line_naming_it(tmp_path, blocked, args, extra):
    (tmp_path / "x.txt").write_text("Астана.\n", encoding="utf-8")
    (tmp_path / "in.txt").write_text("Астана.\n", encoding="utf-8")
    r = run_without(blocked, *args, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert lines[0].startswith(f"derek: error: derek {args[0]} needs ") and lines[0].endswith(
        f"pip install 'derek[{extra}]'"), lines[0]


def test_analyze_needs_no_extra(tmp_path):
    """The core: `derek analyze --example` with every extra's modules blocked."""
    blocked = ["sqlalchemy", "alembic", "psycopg", "fastapi", "uvicorn", "starlette", "dask", "distributed",
               "protego", "pycrfsuite", "torch"]
    r = run_without(blocked, "analyze", "--example", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert '"entities"' in r.stdout


def test_missing_extra_names_the_commands_extra():
    err = ModuleNotFoundError("No module named 'sqlalchemy'", name="sqlalchemy")
    assert missing_extra(err, "watch").endswith("pip install 'derek[watch]'")  # watch includes the store
    assert missing_extra(err, "batch").endswith("pip install 'derek[store]'")  # batch --db: the store's
    crf = ModuleNotFoundError("No module named 'pycrfsuite'", name="pycrfsuite")
    assert missing_extra(crf, "train").endswith("pip install 'derek[train]'")  # training needs torch too
    assert missing_extra(crf, "analyze").endswith("pip install 'derek[crf]'")  # a crf model directory
    assert missing_extra(ModuleNotFoundError("x", name="yaml"), "serve") is None  # not an extra's: a real bug
