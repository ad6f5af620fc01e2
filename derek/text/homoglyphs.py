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


def _repair_word(w: str, tie: bool | None = None) -> str:
    """`w` toward the script of its distinctive letters, else of most of its letters; a word
    that ties both ways goes toward `tie` (True: Cyrillic, False: Latin, None: unchanged)."""
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
    elif tie is not None:
        toward_cyr = tie
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
    # a word that ties ("тy", "кe") goes to the script most of the text is in
    tie = None if n_cyr == n_lat else n_cyr > n_lat
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
            if fixed == word and tie is not None and _CYR.search(word) and _LAT.search(word):
                fixed = _repair_word(word, tie)
            if fixed != word:
                pieces.append(text[done:a])
                pieces.append(fixed)
                changed = True
            else:  # continue the scan after this word either way
                pieces.append(text[done:b])
            done = i = b
    if changed:
        pieces.append(text[done:])
        text = "".join(pieces)
    return _lone_letters(text)


# a one-letter Latin word glued by "." or "/" to a Cyrillic one is a look-alike too: an initial
# ("H.Валуев") or a unit ("м/c"); a word of one letter has no script of its own to go by
# ("км/h" keeps its h: һ is no unit letter)
_LONE = re.compile(r"[A-Za-gi-z](?<![^\W\d_][A-Za-z])"
                   r"(?:(?=[./][\u0400-\u04ff])|(?<=[\u0400-\u04ff][./][A-Za-z]))(?![^\W\d_])")


def _lone_letters(text: str) -> str:
    to_cyr = _tables()[0]
    return _LONE.sub(lambda m: to_cyr.get(m.group(), m.group()), text)


_WORD = re.compile(r"[^\W\d_]+")


def repaired_name(text: str) -> str:
    """A name as written, but a Cyrillic word's stray Latin look-alikes repaired ("Жақып Aсанов"
    -> "Жақып Асанов": a name found, stored and searched in one spelling).  A word the repair
    turns to Latin ("АМАNАТ", a brand's own lettering) and every one-script word stay as written."""
    if not _CYR.search(text) or not _LAT.search(text):
        return text

    def fix(m: re.Match) -> str:
        w = m.group()
        r = _repaired(w)
        return r if r != w and not _LAT.search(r) else w
    return _lone_letters(_WORD.sub(fix, text))
