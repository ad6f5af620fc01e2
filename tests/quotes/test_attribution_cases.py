"""Runs tests/data/attribution_cases.toml: every case's quotes (kind, span start/end, speaker)
and, where given, its reported_by list.  A case's text follows a headline line: its own
`headline`, else a neutral one."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import derek
from tests.conftest import assert_offsets

CASES = tomllib.loads((Path(__file__).parent.parent / "data" / "attribution_cases.toml").read_text("utf-8"))["case"]
HEADLINE = "Жаңалық\n\n"  # the structure stage takes the first line as the headline


def test_enough_cases():
    assert len(CASES) >= 120
    assert len({c["id"] for c in CASES}) == len(CASES)


def _latin_view() -> bool:
    """Latin-script cases need the text layer's transliterated view."""
    view = derek.analyze("Sálem\n\nMınıstr dedi.").view.text
    return "деді" in view


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_attribution(case):
    if case.get("latin") and not _latin_view():
        pytest.skip("the text layer does not transliterate Latin script yet")
    check_attribution(case)


def check_attribution(case: dict) -> None:
    """Analyse the case (after its headline line) and compare quotes and reported_by."""
    headline = case["headline"] + "\n\n" if "headline" in case else HEADLINE
    doc = derek.analyze(headline + case["text"])
    got = [(q.kind, q.text, q.speaker.canonical if q.speaker else None) for q in doc.quotes]
    want = case["quotes"]
    assert len(got) == len(want), f"quotes found: {got}"
    for (kind, text, speaker), w in zip(got, want):
        assert kind == w["kind"], got
        assert text.startswith(w["start"]), f"{text!r} should start with {w['start']!r}"
        if "end" in w:
            assert text.rstrip().endswith(w["end"]), f"{text!r} should end with {w['end']!r}"
        assert (speaker or "") == w["speaker"], f"speaker of {text[:30]!r}: {speaker!r}"
    if "reported_by" in case:
        assert doc.meta.reported_by == case["reported_by"]
    assert_offsets(doc)
