"""derek/data/name_words.toml through its readers: tests/data/name_words_cases.tsv."""
from __future__ import annotations

from pathlib import Path

import pytest

import derek
from derek.extract.agency_frames import marker_hits
from derek.extract.speech.names import find_person_names

CASES = [line.split("\t") for line in (Path(__file__).parent.parent / "data" / "name_words_cases.tsv")
         .read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("kind,text,want", CASES, ids=[c[1][:40] for c in CASES])
def test_name_words(kind, text, want):
    if kind == "names":
        got = [text[a:b] for a, b in find_person_names(text)]
    elif kind == "press":
        got = [hit[4] for hit in marker_hits(text)]
    else:
        got = [q.speaker.canonical for q in derek.analyze("Жаңалық\n\n" + text).quotes]
    assert got == want.split(" | ")
