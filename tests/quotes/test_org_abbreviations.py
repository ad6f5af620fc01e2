"""tests/data/org_abbreviation_cases.tsv: a speaker written as a state body's abbreviation
gets the body's full name; an unknown abbreviation stays as written."""
from __future__ import annotations

from pathlib import Path

import pytest

import derek

CASES = [line.split("\t") for line in (Path(__file__).parent.parent / "data" / "org_abbreviation_cases.tsv")
         .read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("text,want", CASES, ids=[c[1] for c in CASES])
def test_abbreviation_speaker(text, want):
    doc = derek.analyze("Жаңалық\n\n" + text)
    assert [q.speaker.canonical for q in doc.quotes] == [want]
