"""Runs tests/data/tokenizer_cases.tsv: tokens, sentence splits and token kinds."""
from __future__ import annotations

from pathlib import Path

import pytest

import derek

CASES = Path(__file__).resolve().parent.parent / "data" / "tokenizer_cases.tsv"


def _unescape(s: str) -> str:
    return s.replace("\\n", "\n").replace("\\r", "\r").replace("\\u00a0", "\u00a0")


def _load():
    out = []
    for no, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or not line.strip("\n"):
            continue
        cols = line.split("\t")
        text = _unescape(cols[0])
        expected = cols[1] if len(cols) > 1 else ""
        kinds = cols[2] if len(cols) > 2 else ""
        out.append(pytest.param(text, expected, kinds, id=f"L{no}"))
    return out


CASE_LIST = _load()


def test_enough_cases():
    assert len(CASE_LIST) >= 150


def _sentences_as_tokens(doc):
    out = []
    for s in doc.sentences:
        out.append([t.text for t in doc.tokens if s.start <= t.start and t.end <= s.end])
    return out


@pytest.mark.parametrize("text,expected,kinds", CASE_LIST)
def test_case(text, expected, kinds):
    doc = derek.analyze(text, stages=["normalize", "tokenize"])
    want = [[t for t in sent.split(" | ")] for sent in expected.split(" || ")] if expected.strip() else []
    got = _sentences_as_tokens(doc)
    assert got == want, f"{text!r}"
    # every token lies in exactly one sentence
    assert sum(len(s) for s in got) == len(doc.tokens)
    for t in doc.tokens:
        assert doc.text[t.start:t.end] == t.text
    for spec in filter(None, (k.strip() for k in kinds.split(" ; "))):
        tok, kind = spec.rsplit("=", 1)
        matches = [t for t in doc.tokens if t.text == tok]
        assert matches, f"no token {tok!r}"
        assert matches[0].kind == kind, f"{tok!r}: {matches[0].kind} != {kind}"
