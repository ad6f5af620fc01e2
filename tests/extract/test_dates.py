"""Example-driven tests for the dates stage: every row of tests/data/date_cases.tsv."""
from __future__ import annotations

from pathlib import Path

import pytest

import derek
from tests.conftest import assert_offsets

CASES = Path(__file__).resolve().parent.parent / "data" / "date_cases.tsv"
STAGES = ["normalize", "tokenize", "structure", "dates"]


def _cases():
    for n, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        yield pytest.param(cols, id=f"L{n}:{cols[0][:40]}:{cols[1]}")


@pytest.mark.parametrize("cols", list(_cases()))
def test_case(cols):
    text, published, iso, relation = cols
    # a leading line keeps the case out of the headline position
    doc = derek.analyze(text, meta={"published": None if published == "-" else published}, stages=STAGES)
    assert_offsets(doc)
    if iso == "NONE":
        assert doc.dates == [], [(d.text, d.iso) for d in doc.dates]
        return
    assert doc.dates, f"no date in {text!r}"
    d = doc.dates[0]
    got = (d.text, d.iso, d.relation)
    assert d.iso == (None if iso == "-" else iso), got
    assert d.relation == relation, got
    assert doc.text[d.start:d.end] == d.text


def test_case_count():
    assert len(list(_cases())) >= 100
