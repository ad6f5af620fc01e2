"""Hypothesis: normalize + tokenize never raise on arbitrary Unicode, and every offset is valid."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import derek
from derek.text.homoglyphs import repair
from derek.text.translit import to_cyrillic, to_latin

# text that looks like Kazakh news in any script, plus the characters the rules care about
KAZAKH_ALPHABET = ("абвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяӘҒҚҢӨҰҮІ"
                   "aábcdeǵghıijklmnńoópqrstuúvwxyýzäğñöüūşçIİAÁSQÓÚÝ"
                   "0123456789 .,;:!?…«»“”\"'-–—%№/()@\n\t\u00a0\u0301\u0308")
news_like = st.text(alphabet=KAZAKH_ALPHABET, max_size=300)
any_text = st.text(max_size=200)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    doc = derek.analyze(text, stages=["normalize", "tokenize", "structure"])
    assert doc.script in ("cyrl", "latn", "mixed")
    assert doc.view.original == text
    n = len(text)
    prev = 0
    for t in doc.tokens:
        assert 0 <= t.start < t.end <= n
        assert t.start >= prev
        prev = t.end
        assert text[t.start:t.end] == t.text
        assert not t.text.isspace()
        assert t.kind in {"word", "number", "punct", "quote", "dash", "url", "email", "time", "abbr", "symbol"}
    for s in doc.sentences:
        assert 0 <= s.start < s.end <= n
    for a, b in zip(doc.sentences, doc.sentences[1:]):
        assert a.end <= b.start
    for p in doc.paragraphs:
        assert 0 <= p.start <= p.end <= n
    # every view position maps into the original
    v = len(doc.view.text)
    for i in range(0, v, max(1, v // 20)):
        a, b = doc.view.to_original(i, i + 1)
        assert 0 <= a <= b <= n


@SETTINGS
@given(any_text)
def test_any_unicode(text):
    _check(text)


@SETTINGS
@given(news_like)
def test_news_like_text(text):
    _check(text)


@SETTINGS
@given(news_like)
def test_repair_is_same_length(text):
    assert len(repair(text)) == len(text)


@SETTINGS
@given(news_like, st.sampled_from(["latn2018", "latn2021", "informal", None]))
def test_to_cyrillic_offsets_are_monotone(text, variant):
    view = to_cyrillic(text, variant)
    assert view.original == text
    last = 0
    for i in range(len(view.text)):
        a, b = view.to_original(i, i + 1)
        assert last <= a < b <= len(text) or (a == b == len(text))
        last = a


@SETTINGS
@given(news_like, st.sampled_from(["latn2018", "latn2021"]))
def test_to_latin_never_raises(text, variant):
    out = to_latin(text, variant)
    assert isinstance(out, str)
