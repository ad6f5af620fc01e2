"""numerals.tokenize builds tokens from plain findall strings (running offsets, kind from the
first character); it must equal the straightforward match-object reading of _TOKEN."""
from hypothesis import given, settings, strategies as st

from derek.extract import numerals as N


def _by_matches(text):
    return [N.Tok(N._KINDS[m.lastindex - 1], m.start(), m.end(), m.group().lower().replace("ё", "е"))
            for m in N._TOKEN.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1٣²_ \t\n\r.,-ЁёәAΣİ\u0301\u00a0\U0001F600")), max_size=30))
def test_tokens_equal_the_match_reading(text):
    assert N.tokenize(text) == _by_matches(text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_tokens_tile_any_text(text):
    toks = N.tokenize(text)
    assert toks == _by_matches(text)
    assert "".join(text[t.start:t.end] for t in toks) == text


def test_lower_memo_is_bounded():
    N.tokenize(" ".join(f"сөз{i}" for i in range(50)))
    assert len(N._TOKEN_MEMO) <= N._LOWER_MAX
    N.tokenize("ж" * 100)  # long tokens are not remembered
    assert "ж" * 100 not in N._TOKEN_MEMO


def test_stem_memo_is_bounded_even_for_fresh_tables():
    for k in range(N._TABLES_MAX + 50):
        table = {f"сөз{j}": j for j in range(12)}  # a fresh big table each call
        N.match_stem("сөз3ке", table)
    assert len(N._STEM_MEMO) <= N._TABLES_MAX and len(N._LONGEST) <= N._TABLES_MAX
