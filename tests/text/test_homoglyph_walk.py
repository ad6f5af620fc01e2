"""homoglyphs.repair walks runs of the rarer script (and remembers repaired words); it must
give what the letter-by-letter walk gave, on any text."""
from hypothesis import given, settings, strategies as st

from derek.text import homoglyphs as H


def letter_walk(text: str) -> str:
    """The letter-by-letter reference."""
    if not H._CYR.search(text) or not H._LAT.search(text):
        return text
    head = text[:200_000]
    n_lat, n_cyr = len(H._LAT.findall(head)), len(H._CYR.findall(head))
    rare = H._LAT if n_lat <= n_cyr else H._CYR
    tie = None if n_cyr == n_lat else n_cyr > n_lat
    pieces, changed, done = [], False, 0
    for m in rare.finditer(text):
        i = m.start()
        if i < done:
            continue
        a = i
        while a > done and H._is_word_char(text[a - 1]):
            a -= 1
        b = m.end()
        while b < len(text) and H._is_word_char(text[b]):
            b += 1
        word = text[a:b]
        fixed = H._repair_word(word, tie)
        if fixed != word:
            pieces += [text[done:a], fixed]
            changed = True
        else:
            pieces.append(text[done:b])
        done = b
    return H._lone_letters("".join(pieces) + text[done:] if changed else text)


_CHARS = list("бiрәлeмТikToкoрcaxyYеүАВ ;,-\u037e\u0483\u0301ΣαНн1\n") + ["Ә"]


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.sampled_from(_CHARS), max_size=40).map("".join))
def test_run_walk_equals_letter_walk(text):
    assert H.repair(text) == letter_walk(text)


def test_repair_examples():
    assert H.repair("бiр әлeм") == "бір әлем"
    assert H.repair("ТikTok Azattyq") == "TikTok Azattyq"
