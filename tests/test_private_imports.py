"""No module of derek reaches into another module's private names (`from derek.x import _y`,
or `x._y` on an imported derek module or class): what two modules share is public, so a
module can rename its internals without breaking a neighbour.  bench/ is held to the same rule."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def private_uses(path: Path, rel: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found, derek_names = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "derek":
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{rel}: from {node.module} import {alias.name}")
                else:
                    derek_names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            derek_names.update(a.asname or a.name.split(".")[0] for a in node.names if a.name.split(".")[0] == "derek")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in derek_names):
            found.append(f"{rel}: {node.value.id}.{node.attr}")
    return found


def all_private_uses() -> list[str]:
    return [hit for folder in ("derek", "bench") for path in sorted((ROOT / folder).rglob("*.py"))
            for hit in private_uses(path, path.relative_to(ROOT).as_posix())]


def test_no_module_imports_another_modules_private_names():
    assert all_private_uses() == []


def test_the_check_sees_both_forms(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("from derek.text.language import _KK_ONLY, ngrams\nfrom derek import pipeline as pl\n"
                   "from os import _exit\nimport derek.io\nx = pl._default\ny = pl.default_pipeline\n"
                   "z = derek.io\n", encoding="utf-8")
    assert private_uses(src, "m.py") == ["m.py: from derek.text.language import _KK_ONLY", "m.py: pl._default"]
