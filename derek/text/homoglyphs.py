"""Homoglyph repair: Latin/Greek look-alikes inside Cyrillic words and the reverse.

Kazakh text is often typed on mixed layouts: "бiр" (Latin i), "әлeм" (Latin e), "ТikTok"
(Cyrillic Т).  Such words defeat lexicons and the NER model, so the analysis view repairs
them.  Only words that mix scripts are touched, and each is pulled toward the script of its
distinctive letters (derek/data/homoglyphs.toml explains the rule); "Azattyq Rýhy", URLs and
all other single-script words stay as typed.  The repair is one character for one character,
so offsets are unchanged.
"""
from __future__ import annotations

import re
from functools import lru_cache

_CYR = re.compile("[\u0400-\u04ff]")
_LAT = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0259\u0275\u0370-\u03ff\u1e00-\u1eff]")
_CYR_RUN = re.compile(_CYR.pattern + "+")
_LAT_RUN = re.compile(_LAT.pattern + "+")
_FRONT = set("еәіөүЕӘІӨҮ")


@lru_cache(maxsize=None)
def _tables() -> tuple[dict, dict]:
    from derek.langdata import load_toml

    data = load_toml("homoglyphs.toml")
    return dict(data["to_cyrillic"]), dict(data["to_latin"])


def _is_word_char(c: str) -> bool:
    """A letter or a combining accent: what a word is made of (repair() tests it inline)."""
    return c.isalpha() or "\u0300" <= c <= "\u036f"


def _repair_word(w: str) -> str:
    to_cyr, to_lat = _tables()
    cyr_all = lat_all = cyr_strong = lat_strong = 0
    for c in w:
        if "\u0400" <= c <= "\u04ff":
            cyr_all += 1
            cyr_strong += c not in to_lat
        elif _LAT.match(c):
            lat_all += 1
            lat_strong += c not in to_cyr
    if not cyr_all or not lat_all:
        return w
    if cyr_strong != lat_strong:
        toward_cyr = cyr_strong > lat_strong
    elif cyr_all != lat_all:
        toward_cyr = cyr_all > lat_all
    else:
        return w
    if toward_cyr:
        front = any(c in _FRONT for c in w)
        out = []
        for c in w:
            if c == "Y":
                out.append("Ү" if front else "У")
            else:
                out.append(to_cyr.get(c, c))
        return "".join(out)
    return "".join(to_lat.get(c, c) for c in w)


def _repaired(word: str) -> str:
    """_repair_word, remembered for short words (bounded): the same mixed words recur."""
    if len(word) > 40:
        return _repair_word(word)
    got = _WORD_MEMO.get(word)
    if got is None:
        if len(_WORD_MEMO) >= 50_000:
            _WORD_MEMO.clear()
        got = _WORD_MEMO[word] = _repair_word(word)
    return got


_WORD_MEMO: dict[str, str] = {}


def repair(text: str) -> str:
    """`text` with mixed-script words repaired; same length, same offsets."""
    has_cyr = _CYR.search(text)
    has_lat = _LAT.search(text)
    if not has_cyr or not has_lat:
        return text
    # walk the letters of the rarer script; each word is looked at once
    head = text[:200_000]
    n_cyr = sum(map(len, _CYR_RUN.findall(head)))  # runs, not one list item per letter
    n_lat = sum(map(len, _LAT_RUN.findall(head)))
    rare = _LAT_RUN if n_lat <= n_cyr else _CYR_RUN
    pieces: list[str] = []
    changed = False
    done = 0  # text[:done] is already in `pieces`
    n = len(text)
    # each letter of the rarer script at or after `done` starts a look at its word; letters
    # come in runs, and within a run the next such letter is simply `done`
    for m in rare.finditer(text):
        i, run_end = max(m.start(), done), m.end()
        while i < run_end:
            # the word around letter i (_is_word_char, inlined: these loops see every letter
            # of every mixed-script word)
            a = i
            while a > done and ((c := text[a - 1]).isalpha() or "\u0300" <= c <= "\u036f"):
                a -= 1
            b = i + 1
            while b < n and ((c := text[b]).isalpha() or "\u0300" <= c <= "\u036f"):
                b += 1
            word = text[a:b]
            fixed = _repaired(word)
            if fixed != word:
                pieces.append(text[done:a])
                pieces.append(fixed)
                changed = True
            else:  # continue the scan after this word either way
                pieces.append(text[done:b])
            done = i = b
    if not changed:
        return text
    pieces.append(text[done:])
    return "".join(pieces)
