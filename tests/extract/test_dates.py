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


@pytest.mark.parametrize("text, published, first, last", [
    ("Кеңес 2023 жылдың 14-16 қазан аралығында өтті.", None, "2023-10-14", "2023-10-16"),
    ("Слет 7–11 тамызда ұйымдастырылады.", "2026-05-20", "2026-08-07", "2026-08-11"),
    ("Конгресс 2019 жылғы 22-24 мамырда болды.", None, "2019-05-22", "2019-05-24"),
    ("Байқау 3 - 6 ақпан аралығында жалғасады.", None, None, None),
])
def test_day_range(text, published, first, last):
    """A day range before a month is two dates, from the first day until the last, and no
    quantity: its first day is no count of anything."""
    doc = derek.analyze(text, meta={"published": published}, stages=STAGES + ["quantities"])
    assert [(d.iso, d.relation) for d in doc.dates] == [(first, "since"), (last, "until")]
    assert doc.quantities == []


@pytest.mark.parametrize("text", ["Бағасы 12-19 мың теңге болды.", "Топта 14-18 адам бар.",
                                  "Бөлмелер 5 -6 наурызда жөнделеді."])
def test_no_day_range(text):
    """A range of amounts, and a dash spaced on one side only, are no day range."""
    doc = derek.analyze(text, stages=STAGES)
    assert all(d.relation != "since" for d in doc.dates), [(d.text, d.relation) for d in doc.dates]


@pytest.mark.parametrize("text, last, surface", [
    ("Ол 1968 — 74 жылдары мектепте сабақ берді.", "1974", "74 жылдары"),
    ("Жаңа пән 2025-26 оқу жылында енгізіледі.", "2026", "26 оқу жылында"),
    ("Құрылыс 1997-03 жылдары созылды.", "2003", "03 жылдары"),
])
def test_short_year_range_end(text, last, surface):
    """A range's last year in two digits is the next year ending so, within 30 years."""
    doc = derek.analyze(text, stages=STAGES)
    assert [(d.relation, d.iso) for d in doc.dates][-1] == ("until", last)
    assert doc.dates[-1].text == surface
