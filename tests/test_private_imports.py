"""No module imports another module's private names (`from derek.x import _y`): what a module
keeps private can change without breaking another; a name others need is made public."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def private_imports(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "derek":
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(root)}:{node.lineno}: from {node.module} import {alias.name}")
    return found


def test_no_module_imports_another_modules_private_names():
    found = [hit for folder in ("derek", "bench") for p in sorted((ROOT / folder).rglob("*.py"))
             for hit in private_imports(p)]
    assert found == []


def test_the_check_sees_a_private_import(tmp_path):
    probe = tmp_path / "derek" / "probe.py"
    probe.parent.mkdir()
    probe.write_text("from derek.pipeline import _kazakh_part\nfrom derek import __version__\n"
                     "from os import _exit\n", encoding="utf-8")
    assert private_imports(probe, tmp_path) == ["derek/probe.py:1: from derek.pipeline import _kazakh_part"]
