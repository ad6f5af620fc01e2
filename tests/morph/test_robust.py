"""Any string in, a string out: the lemmatizer and canonical names never raise."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from derek.morph import canonical_name, lemmatize

KAZ = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяАӘБҒҚҢӨҰҮІЕ-.«» '0123456789abcxyzǵáı"
POS = st.sampled_from([None, "NOUN", "PROPN", "VERB", "AUX", "PRON", "NUM", "ADJ", "ADV", "X"])
LABEL = st.sampled_from([None, "PERSON", "GPE", "ORGANISATION", "LOCATION", "EVENT"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=KAZ, max_size=30), POS)
def test_lemmatize_total(word, pos):
    out = lemmatize(word, pos)
    assert isinstance(out, str)
    if word.strip() and pos in (None, "NOUN", "PROPN"):
        assert out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=KAZ, max_size=40), LABEL)
def test_canonical_total(surface, label):
    out = canonical_name(surface, label)
    assert isinstance(out, str)
    if any(ch.isalnum() for ch in surface):
        assert out.strip()


def test_canonical_is_idempotent_on_examples():
    for s in ("Владимир Путиннің", "Ресей Федерациясының", "Еуразиялық экономикалық одағының",
              "Қазақстанға", "ЕАЭО-ға", "Ұлттық статистика бюросының"):
        once = canonical_name(s)
        assert canonical_name(once) == once
