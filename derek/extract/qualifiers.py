"""Qualifiers around a number: 'шамамен' before it; 'астам', 'жуық', 'шамасында', 'дейін',
'немесе одан да жоғары' after it; '-дан (сәл) асты' (more_than after an ablative amount); and
'-ға дейін <verb of change>' (the level reached: exact).  Words: derek/data/qualifiers.toml."""
from __future__ import annotations

from functools import lru_cache

from derek.extract.numerals import Tok, is_ablative, is_dative
from derek.langdata import load_toml

_DASHES = {"-", "–", "—", "‑"}
# qualifier words that only qualify an ablative amount ('мыңнан аса', 'адамнан кем')
NEED_ABLATIVE = frozenset(load_toml("qualifiers.toml")["need_ablative"]["words"])


@lru_cache(maxsize=None)
def quals() -> dict:
    return load_toml("qualifiers.toml")


def at(toks: list[Tok], k: int) -> Tok | None:
    return toks[k] if 0 <= k < len(toks) else None


def next_word(toks: list[Tok], k: int) -> int | None:
    sp, w = at(toks, k), at(toks, k + 1)
    if sp is not None and sp.kind == "s" and w is not None and w.kind == "w":
        return k + 1
    return None


def match_phrase(toks: list[Tok], k: int, table: dict[str, str]) -> tuple[int, str] | None:
    """Longest phrase of `table` whose words follow position k; (end index, value)."""
    w = next_word(toks, k)
    if w is None:
        return None
    best = None
    for words, value in _by_first_word(id(table), table).get(toks[w].low, ()):
        pos, end = w + 1, w + 1
        for word in words[1:]:
            nxt = next_word(toks, pos)
            if nxt is None or toks[nxt].low != word:
                end = None
                break
            pos = end = nxt + 1
        if end is not None and (best is None or end > best[0]):
            best = (end, value)
    return best


_FIRST_WORD: dict[int, tuple[dict, dict]] = {}


def _by_first_word(key: int, table: dict[str, str]) -> dict[str, list[tuple[list[str], str]]]:
    """Phrases indexed by their first word (tables are the cached TOML dicts)."""
    entry = _FIRST_WORD.get(key)
    if entry is None or entry[0] is not table:
        index: dict[str, list[tuple[list[str], str]]] = {}
        for phrase, value in table.items():
            words = phrase.split()
            index.setdefault(words[0], []).append((words, value))
        entry = _FIRST_WORD[key] = (table, index)
    return entry[1]


def post_qualifier(toks: list[Tok], j: int, last: str) -> tuple[str | None, int]:
    table = quals()
    m = match_phrase(toks, j, table["after"])
    if m is not None:
        end, q = m
        word = toks[end - 1].low
        if word in NEED_ABLATIVE and end == next_word(toks, j) + 1 and not is_ablative(last):
            return None, j
        if q == "up_to":
            if not is_dative(last):
                return None, j
            verb = next_word(toks, end)
            if verb is not None and toks[verb].low.startswith(tuple(table["change_verbs"]["stems"])) \
                    and word == "дейін":
                return "exact", end
        return q, end
    if is_ablative(last):  # 'теңгеден (сәл) асты'
        w = next_word(toks, j)
        if w is not None and toks[w].low in table["exceed_verbs"]["fillers"]:
            w = next_word(toks, w + 1)
        if w is not None and _is_exceed_verb(toks[w].low):
            return "more_than", w + 1
    return None, j


@lru_cache(maxsize=1)
def _exceed_stems() -> tuple[tuple[str, ...], frozenset[str]]:
    """qualifiers.toml [exceed_verbs] stems: (prefixes, whole words: those ending in "$")."""
    stems = quals()["exceed_verbs"]["stems"]
    return tuple(x for x in stems if not x.endswith("$")), frozenset(x[:-1] for x in stems if x.endswith("$"))


def _is_exceed_verb(word: str) -> bool:
    prefixes, whole = _exceed_stems()
    return word in whole or word.startswith(prefixes)


def pre_qualifier(toks: list[Tok], i: int) -> str | None:
    before = quals()["before"]
    k = i - 1
    if at(toks, k) is not None and toks[k].kind == "s":
        k -= 1
    if at(toks, k) is not None and toks[k].low in _DASHES:  # 'Бұл –шамамен 22,5'
        k -= 1
        if at(toks, k) is not None and toks[k].kind == "s":
            k -= 1
    if at(toks, k) is None or toks[k].kind != "w":
        return None
    word = toks[k].low
    if word in before:
        two = f"{toks[k - 2].low} {word}" if k >= 2 and toks[k - 1].kind == "s" else ""
        return before.get(two, before[word])
    if k >= 2 and toks[k - 1].kind == "s" and f"{toks[k - 2].low} {word}" in before:
        return before[f"{toks[k - 2].low} {word}"]
    return None


def approx_ending(suffix: str) -> str | None:
    """'4 700-дей', 'жүздей': the similative ending on an amount means 'about' (approx)."""
    return "approx" if suffix in quals()["approx_endings"]["endings"] else None


def within(toks: list[Tok], j: int, unit: str) -> tuple[str | None, int]:
    """'15 күннің ішінде', '30 минут ішінде': a span of time one stays within (up_to)."""
    table = quals()["within"]
    w = next_word(toks, j)
    if unit in table["units"] and w is not None and toks[w].low in table["words"]:
        return "up_to", w + 1
    return None, j
