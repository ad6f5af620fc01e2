"""Hostile input for the quote and agency stages: unbalanced quote marks, long dash runs,
cue words without quotes.  Never an exception, offsets always exact, time linear in size."""
from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from derek.doc import Document
from derek.pipeline import Pipeline
from derek.schema import validate_document

PIPE = Pipeline(["normalize", "tokenize", "structure", "agencies", "quotes"])

# the pieces quote detection reacts to, mixed with ordinary words and line breaks
PIECES = ["«", "»", "“", "”", "„", '"', "–", "—", "-", " – ", ", – ", ":", ".", ",", "\n", "\n\n", " ",
          "деді", "дейді", "деп", "деп хабарлайды", "Zakon.kz", "сөзінше", "Оның айтуынша,", "айтты",
          "Бұл туралы", "сарапшы", "министр", "ол", "Дамир Белгібаев", "А.", "Ержан Сәденов:", "тілшісі",
          "сілтеме жасап", "Министрлік", "хабарламада", "АСТАНА.", "KAZINFORM", "сөз", "Біз", "ҚазАқпарат"]
hostile = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=80).map("".join)


def _check(text: str) -> Document:
    doc = PIPE(Document.from_text(text))
    for q in doc.quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.kind in ("direct", "indirect")
        if q.speaker and q.speaker.start is not None:
            assert text[q.speaker.start:q.speaker.end] == q.speaker.text
    validate_document(doc.to_dict())
    return doc


@settings(max_examples=150, deadline=None)
@given(hostile)
def test_hostile_text_never_raises(text):
    _check("Тақырып\n\n" + text)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_random_unicode_never_raises(text):
    _check(text)


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        PIPE(Document.from_text(text))
        best = min(best, time.perf_counter() - t0)
    return best


def _linear(unit: str, n: int = 1500) -> None:
    small, big = "Т\n\n" + unit * n, "Т\n\n" + unit * (4 * n)
    t_small, t_big = _seconds(small), _seconds(big)
    # 4x the text: linear is ~4x the time, quadratic 16x; leave room for a busy machine
    assert t_big < 9 * t_small + 0.5, (unit, t_small, t_big)


def test_linear_unbalanced_openers():
    _linear("«сөз ")


def test_linear_unbalanced_straight_quotes():
    _linear('"сөз ')


def test_linear_openers_per_paragraph():
    _linear("«сөз сөз\n")


def test_linear_closers_only():
    _linear("сөз» ")


def test_linear_long_dash_runs():
    _linear("––––––––––— ")


def test_linear_dash_speech_cues():
    _linear("сөз, – деді ол. ")


def test_linear_agency_cues_without_sentence_end():
    _linear("сөз, деп хабарлайды ")


def test_linear_quotes_with_speakers():
    _linear("«Сөз сөз сөз», – деді Дамир Белгібаев. Оның айтуынша, сөз. ", n=400)


def test_indirect_cue_with_only_an_agency_tail_gives_no_empty_quote():
    # found by the hypothesis run above: cutting "деп хабарлайды" left a zero-length quote
    doc = _check("Тақырып\n\nОның айтуынша,деп хабарлайды")
    assert all(q.end > q.start for q in doc.quotes)
