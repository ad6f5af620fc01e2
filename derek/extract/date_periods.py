"""Periods a date may name besides days, months and years: the edges and seasons of a year
('жыл басынан', '2023 жылдың көктемінде'), days of the week ('бейсенбіде'), the first
months of a year ('8 айдың қорытындысы'), centuries ('ХХІ ғасырда').  Word lists:
derek/data/date_words.toml.  Used by dates.py.
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.extract.date_parts import DASHES, Found, Walker, is_word, shift_day, weekday_before, words
from derek.extract.numerals import match_stem, numeral_words
from derek.morph import grammar
from derek.morph.grammar import case_endings, has_case


def season(word: str) -> tuple[int, int] | None:
    """'көктемінде', 'жазда', 'күзгі', 'қысында': (first month, last month) of the season
    (date_words.toml [seasons]); only an inflected form ('жаз' alone is also 'write')."""
    m = match_stem(word, _season_stems())
    if m is None or not m[1]:
        return None
    return tuple(words()["seasons"][m[0]])


@lru_cache(maxsize=None)
def _season_stems() -> dict[str, int]:
    return {s: 1 for s in words()["seasons"]}


def season_iso(year: int | str | None, months: tuple[int, int]) -> str | None:
    """A season of `year` as a month range; winter runs into the next year."""
    if year is None or len(str(year)) < 4:
        return None
    y = int(str(year)[:4])
    first, last = months
    return f"{y:04d}-{first:02d}/{y + (last < first):04d}-{last:02d}"


def century(w: Walker, i: int) -> list[Found] | None:
    """'ХХІ ғасырда', 'XX ғасырдың басында', '19-ғасыр': a century, a date of its own
    (iso null: the document's ISO forms stop at years)."""
    t = w.at(i)
    if t.kind == "d":  # the ordinal needs its dash: '5 ғасыр' is five centuries
        if len(t.low) > 2 or not 1 <= int(t.low) <= 21 or w.at(i + 1) is None or w.at(i + 1).low not in DASHES:
            return None
        k = i + 2
    elif t.kind == "w" and ROMAN.fullmatch(t.low):
        k = w.skip(i + 1)
    else:
        return None
    word = w.word(k)
    if word is None or k == i + 1 and t.kind == "w" or not is_word(word, "ғасыр"):
        return None
    f = Found(i, k + 1, None)
    k2, w2 = w.next_word(f.j)
    if w2 is not None and period_part(w2):
        f.j = k2 + 1
    return [f]


ROMAN = re.compile(r"[ivxхі]{1,5}")  # Latin and Cyrillic look-alikes: 'XXI', 'ХХІ'


def period_part(word: str, possessed: bool = False) -> bool:
    """'басында', 'соңына', 'аяғында', 'ортасы': a part of a year (date_words.toml).  After a
    bare 'жыл' the part must carry the possessive ('жыл басы', 'жыл соңына'), as the
    izafet needs: 'жыл бас бостандығы' is no date."""
    m = match_stem(word, _period_stems())
    return m is not None and (not possessed or m[1].startswith(grammar.forms("POSS3")))


@lru_cache(maxsize=None)
def _period_stems() -> dict[str, int]:
    return {s: 1 for s in words()["period_part"]["stems"]}


def year_edge(year_iso: str | None, word: str) -> str | None:
    """'(жыл) басынан' starts with January, '(жыл) соңына / аяғына (дейін)' ends with December:
    the edge month of the year a period runs from or to (date_words.toml [year_edge]).  Other
    parts ('басында' at the beginning, 'ортасында') keep the year."""
    if year_iso is None or len(year_iso) != 4:
        return year_iso
    m = match_stem(word, _period_stems())
    edges = words()["year_edge"]
    stem, rest = m if m else (word, "")
    if stem in edges["from_start"] and has_case(rest, "ABL"):
        return f"{year_iso}-01"
    # (the dative -а/-е follows only 1st/2nd-person possessives, which these words never take:
    # 'соңында' is a locative, at the end, not up to it)
    if stem in edges["to_end"] and rest.endswith(case_endings("DAT", min_len=2)):
        return f"{year_iso}-12"
    return year_iso



def weekday(w: Walker, i: int, published: str | None) -> list[Found] | None:
    """'бейсенбіде', 'сәрсенбі күні', 'өткен жұмада', 'келесі дүйсенбіде': a day of the week
    in a news story is the latest such day on or before publication, or the first on or after
    it when the sentence ends in the future ('… өтеді', '… болмақ'); the last one before it
    after 'өткен', the first after it after 'келесі', the publication's week after 'осы'.
    'жұма' (also 'week': 'өткен жұмада' = last week) needs 'күні'; the bare nominative
    ('Бейсенбі, 5 қыркүйек') is a heading."""
    table = words()["weekday"]
    start, word = i, w.word(i)
    shift = table["modifiers"].get(word)
    if shift is not None:
        k, word = w.next_word(i + 1)
        if word is None:
            return None
        i = k
    m = match_stem(word, table["days"])
    if m is None:
        return None
    stem, rest = m
    j = i + 1
    k, after = w.next_word(j)
    if after == "күні":
        j = k + 1
    elif rest not in ("де", "да") or stem in table["ambiguous"]:
        return None
    day = table["days"][stem]
    if shift is None and _future_tense(w, j):  # 'сейсенбіде жиын өтеді': the next one
        iso = weekday_before(shift_day(published, 6), day) if published and len(published) == 10 else None
    elif shift is None:
        iso = weekday_before(published, day)
    elif shift == 0:  # 'осы сенбіде': that day of the publication's week (Monday first)
        monday = weekday_before(published, 0)
        iso = shift_day(monday, day) if monday else None
    elif shift < 0:  # 'өткен сәрсенбіде': strictly before publication
        iso = weekday_before(shift_day(published, -1), day)
    else:  # 'келесі дүйсенбіде': strictly after it
        iso = weekday_before(shift_day(published, 7), day) if published and len(published) == 10 else None
        if iso is not None and iso <= published:
            iso = None
    return [Found(start, j, iso)]


def _future_tense(w: Walker, j: int) -> bool:
    """Whether the clause after token j ends in a verb of the present-future ('… өтеді',
    'ашылады', 'болмақ'): the first clause-final word (one before a comma, a dash or the full
    stop, within 30 tokens) that has a tense ending decides; '… өтеді, деді ол' is future."""
    future = _FUTURE_ENDINGS
    for k in range(j, j + 30):
        t = w.at(k)
        if t is None or t.kind == "n" or (t.kind == "p" and t.low in ".!?"):
            return False
        nxt = w.at(k + 1)
        if t.kind != "w" or nxt is None or not (nxt.kind == "p" or nxt.kind == "n" or (
                nxt.kind == "s" and w.at(k + 2) is not None and w.at(k + 2).low in DASHES)):
            continue
        if t.low in _PAST_LOOKALIKES:
            return False
        if t.low.endswith(future):
            return True
        if t.low.endswith(_PAST_ENDINGS):
            return False
    return False


_FUTURE_ENDINGS = grammar.verb_form_endings("present", "intention", "intention_after_consonant", "intention_planned")
# (the present's -ады/-еді end in -ды/-ді too: the future is tested first)
_PAST_ENDINGS = grammar.verb_form_endings("finite", "past_participle")
_PAST_LOOKALIKES = frozenset(grammar.verb_form_endings("lookalikes"))  # 'де+ді' said, the auxiliary 'еді'


def months_of_year(w: Walker, i: int, published: str | None) -> list[Found] | None:
    """'8 айдың қорытындысы бойынша', 'тоғыз айдың қорытындысында': the first N months of the
    publication year (iso: that year), not a count of months."""
    t = w.at(i)
    n = int(t.low) if t.kind == "d" and len(t.low) <= 2 else numeral_words().get(t.low)
    if n is None or not 1 <= n <= 12:
        return None
    k, word = w.next_word(i + 1)
    if word not in words()["months_of_year"]["month_words"]:
        return None
    k2, w2 = w.next_word(k + 1)
    if w2 is None or not w2.startswith("қорытынды"):
        return None
    return [Found(i, k + 1, published[:4] if published else None)]
