"""Example-driven tests for the quantities stage: every row of tests/data/quantity_cases.tsv."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

import derek
from tests.conftest import assert_offsets

CASES = Path(__file__).resolve().parent.parent / "data" / "quantity_cases.tsv"
STAGES = ["normalize", "tokenize", "structure", "dates", "quantities"]


def _cases():
    for n, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        yield pytest.param(cols, id=f"L{n}:{cols[0][:40]}")


def _none(x: str):
    return None if x == "-" else x


def analyze(text: str):
    return derek.analyze(text, stages=STAGES)


@pytest.mark.parametrize("cols", list(_cases()))
def test_case(cols):
    text = cols[0]
    doc = analyze(text)
    assert_offsets(doc)
    if cols[1] == "NONE":
        assert doc.quantities == [], [(q.text, q.value) for q in doc.quantities]
        return
    value, unit, qualifier, per, value_max = cols[1:6]
    assert doc.quantities, f"no quantity in {text!r}"
    q = doc.quantities[0]
    got = (q.text, q.value, q.unit, q.qualifier, q.per, q.value_max)
    assert math.isclose(q.value, float(value), rel_tol=1e-4), got
    assert q.unit == _none(unit), got
    assert q.qualifier == qualifier, got
    assert q.per == _none(per), got
    if _none(value_max) is None:
        assert q.value_max is None, got
    else:
        assert math.isclose(q.value_max, float(value_max), rel_tol=1e-4), got
    assert doc.text[q.start:q.end] == q.text


def test_case_count():
    rows = list(_cases())
    assert len(rows) >= 200


@pytest.mark.parametrize("text, value", [
    ("Экспорт 4,1 млрд доллар болды.", 4_100_000_000),
    ("Қарыз 0,7 млн теңге болды.", 700_000),
    ("Жобаға 1,1 миллиард 300 миллион теңге жұмсалды.", 1_400_000_000),
    ("Бюджет 2,3-тен 4,7 трлн теңгеге дейін өсті.", 2_300_000_000_000),
    ("Қорға екі бүтін үш миллиард теңге түсті.", 2_300_000_000),
])
def test_scaled_value_is_exact(text, value):
    """A decimal times a scale word is the amount a reader means, with no binary noise in the
    JSON (4,1 млрд is 4100000000, not 4099999999.9999995)."""
    q = analyze(text).quantities[0]
    assert q.value == value, (q.text, q.value)


@pytest.mark.parametrize("text, surface", [
    ("Тапшылық ЖІӨ-нің 3,2 % -інен аспауы тиіс.", "3,2 % -інен"),
    ("Жалақы 7 % -ға, ал зейнетақы 5 % -ға көбейді.", "7 % -ға"),
    ("Трасса 18 км -ге қысқарды.", "18 км -ге"),
    ("Өсім 4 % - бұл жоспардан жоғары.", "4 %"),
])
def test_ending_typed_after_a_space(text, surface):
    """A unit's hyphenated ending typed with a space before the hyphen is still its ending (the
    share '%-інен', the start of a change '%-дан' are read from it); a dash with a space after
    it is no ending."""
    q = analyze(text).quantities[0]
    assert q.text == surface
