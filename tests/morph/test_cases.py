"""Example-driven tests for the suffix tables, lemmatizer and canonical names
(cases in tests/data/lemma_cases.tsv, written by hand)."""
from __future__ import annotations

from pathlib import Path

import pytest

from derek.morph import canonical_name, lemmatize

CASES = Path(__file__).resolve().parents[1] / "data" / "lemma_cases.tsv"


def _load(kind: str) -> list[tuple[str, str | None, str]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        k, text, tag, expected = line.split("\t")[:4]
        if k == kind:
            rows.append((text, None if tag == "-" else tag, expected))
    return rows


LEMMA = _load("lemma")
CANONICAL = _load("canonical")


def test_enough_cases():
    assert len(LEMMA) + len(CANONICAL) >= 100


@pytest.mark.parametrize("word,pos,expected", LEMMA, ids=[r[0] for r in LEMMA])
def test_lemma(word, pos, expected):
    assert lemmatize(word, pos) == expected


@pytest.mark.parametrize("surface,label,expected", CANONICAL, ids=[r[0] for r in CANONICAL])
def test_canonical(surface, label, expected):
    assert canonical_name(surface, label) == expected
