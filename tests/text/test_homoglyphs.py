"""tests/data/homoglyph_cases.tsv and properties of the repair."""
from __future__ import annotations

from pathlib import Path

import pytest

from derek.text.homoglyphs import repair

CASES = Path(__file__).resolve().parent.parent / "data" / "homoglyph_cases.tsv"


def _load():
    out = []
    for no, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or "\t" not in line:
            continue
        src, want = line.split("\t")[:2]
        out.append(pytest.param(src, want, id=f"L{no}"))
    return out


@pytest.mark.parametrize("src,want", _load())
def test_case(src, want):
    got = repair(src)
    assert got == want
    assert len(got) == len(src)


def test_untouched_text_is_the_same_object():
    text = "Қазақстан экономикасы өсті. Azattyq Rýhy."
    assert repair(text) is text


def test_repair_inside_long_text_keeps_offsets():
    text = ("Мәтін басы. " * 1000) + "бiр" + (" соңы" * 1000)
    got = repair(text)
    assert len(got) == len(text)
    i = text.index("бiр")
    assert got[i:i + 3] == "бір"
    assert got[:i] == text[:i] and got[i + 3:] == text[i + 3:]
