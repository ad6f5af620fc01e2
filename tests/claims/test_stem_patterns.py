"""The speed forms of the claims stem patterns must match exactly what the plain form
`(?<!\\w)(?:stem…)` matches, and the word-start gate must never hide a country."""
import re

from hypothesis import given, settings, strategies as st

from derek.claims.indicators import fold, lexicon, stem_keys, stems_regex, word_starts
from derek.langdata import load_toml


def plain_regex(phrases):
    alts = []
    for phrase in phrases:
        words = [re.escape(fold(w)) for w in re.split(r"[\s]+", phrase.strip()) if w]
        if words:
            alts.append(r"\w*[\s\-]+".join(words))
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")") if alts else None


_PHRASES = ["қазақстан", "ресей", "екі ел", "a", "ж.", "-ға", "ішкі жалпы өнім", "x y"]
_PIECES = ["қазақстан", "ресей", "екі", "ел", "елдер", "ішкі", "жалпы", "өнім", "a", "x", "y", "ж.",
           "-ға", " ", "  ", "-", "\n", "1", "_", "ба", "«", "Ə"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_fast_pattern_matches_the_plain_one(text):
    fast, plain = stems_regex(_PHRASES), plain_regex(_PHRASES)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_word_start_gate_is_a_superset(text):
    keys = stem_keys(["қазақстан", "ресей", "екі ел", "a"])
    if stems_regex(["қазақстан", "ресей", "екі ел", "a"]).search(text):
        assert not keys.isdisjoint(word_starts(text))


def test_every_country_is_found_with_the_gate():
    lex = lexicon()
    countries = load_toml("indicators.toml")["countries"]
    for name, stems in countries.items():
        for stem in stems:
            sentence = fold(f"Биыл {stem}ның экспорты өсті.")
            assert name in lex.countries_in(sentence, sentence), (name, stem)
    assert stem_keys(["«цитата"]) is None  # no word-start promise: always searched


def test_indicator_positions_same_with_the_word_start_gate():
    from tests.conftest import seed_or_skip

    text = fold(seed_or_skip())
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    sentences += ["ішкі жалпы өнім 4,8 пайызға өсті", "inflıatsııa 8,4 paıyz boldy", "экспорт-импорт көлемі"]
    lex = lexicon()
    checked = 0
    for ind in lex.indicators.values():
        for s in sentences:
            plain = ind.phrase_positions(s, s)
            assert ind.phrase_positions(s, s, word_starts(s), word_starts(s)) == plain, (ind.id, s)
            checked += bool(plain)
    assert checked > 5  # the seed names several indicators
