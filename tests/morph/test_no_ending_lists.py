"""Case, possessive and plural endings are derek.morph.grammar's (from derek/data/suffixes.toml):
no module outside derek/morph/ (and derek/claims/, out of scope for now) writes a list of them by
hand, so a fix to the endings reaches every reader.  A tuple, list or set literal of two or more
strings that are all such endings is taken for one.  The few left are listed with the reason
they are not the grammar's lists."""
from __future__ import annotations

import ast
from pathlib import Path

from derek.morph import grammar

PACKAGE = Path(__file__).resolve().parents[2] / "derek"
SKIP = ("claims", "morph")
LEFT = {
    # the locative after a weekday's name, which always ends in a vowel ('сейсенбіде', 'жұмада')
    "extract/date_periods.py: ('де', 'да')",
    # the conjunction 'and' between two dates ('1 наурыз бен 5 сәуір'), a word of its own
    "extract/dates.py: ('мен', 'пен', 'бен')",
}


def ending_forms() -> frozenset[str]:
    tags = grammar.CASES + grammar.POSSESSIVES + ("PL",)
    return frozenset(f for tag in tags for f in grammar.forms(tag))


def ending_lists(path: Path, rel: str, forms: frozenset[str]) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) >= 2 and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value in forms for e in node.elts):
            out.append(f"{rel}: ({', '.join(repr(e.value) for e in node.elts)})")
    return out


def test_no_hand_written_ending_lists_outside_morph():
    forms = ending_forms()
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.split("/", 1)[0] not in SKIP:
            found.update(ending_lists(path, rel, forms))
    assert found <= LEFT


def test_the_check_sees_a_list(tmp_path):
    src = tmp_path / "m.py"
    src.write_text('GEN = ("ның", "нің", "дың")\nWORDS = ("ның", "үй")\n', encoding="utf-8")
    assert ending_lists(src, "m.py", ending_forms()) == ["m.py: ('ның', 'нің', 'дың')"]
