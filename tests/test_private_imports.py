"""No module of derek reaches into another module's private names (`from derek.x import _y`,
`x._y` on an imported derek module): what two modules share is public, so a module can
rename its internals without breaking a neighbour.  derek/claims/ is out of scope for now.

The few uses left are in files another branch owns today; they are listed here by the exact
use and may only shrink."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "derek"
SKIP = ("claims",)
# owned elsewhere this round (API, batch, NER tagger): each to become a public name there
LEFT = {
    "api/contract.py: from derek.io import _HTML_START",   # derek.io.HTML_START is public
    "batch/work.py: pl._default",                          # derek.pipeline
    "training/ner/silver.py: NerTagger._crf_features",     # derek.ner.tagger
}


def private_uses(path: Path, rel: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found, derek_names = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("derek"):
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{rel}: from {node.module} import {alias.name}")
                else:
                    derek_names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            derek_names.update(a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("derek"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in derek_names):
            found.append(f"{rel}: {node.value.id}.{node.attr}")
    return found


def all_private_uses() -> set[str]:
    out = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.split("/", 1)[0] not in SKIP:
            out.update(private_uses(path, rel))
    return out


def test_no_module_imports_another_modules_private_names():
    assert all_private_uses() <= LEFT


def test_the_check_sees_both_forms(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("from derek.text.language import _KK_ONLY, ngrams\nfrom derek import pipeline as pl\n"
                   "x = pl._default\ny = pl.default_pipeline\n", encoding="utf-8")
    assert private_uses(src, "m.py") == ["m.py: from derek.text.language import _KK_ONLY", "m.py: pl._default"]
