"""Dates: '2022 жылы', '2023 жылдың наурызында', '7 Қараша 2023', '27.11.2024', 'биыл', 'өткен жылы',
'2023 жылдың II тоқсанында', '2024 жылға дейін' (until), '2022 жылдан бері' (since).

Matching walks the token list of the analysis view (see numerals.tokenize), so Latin-script
articles are handled once transliterated.  Relative expressions resolve against
meta.published when it is known, otherwise iso is null.  Word lists: derek/data/date_words.toml
and months.toml.
"""
from __future__ import annotations

from functools import lru_cache

from derek.doc import DateMention, Document
from derek.extract import body_filter
from derek.extract.date_parts import DASHES as _DASHES
from derek.extract.date_parts import anchor
from derek.extract.date_parts import Walker as _Walker
from derek.extract.date_parts import is_word as _is_word
from derek.extract.date_parts import is_year_word as _is_year_word
from derek.extract.date_parts import iso as _iso
from derek.extract.date_parts import month as _month
from derek.extract.date_parts import months as _months
from derek.extract.date_parts import shift_day as _shift_day
from derek.extract.date_parts import shift_month as _shift_month
from derek.extract.date_parts import shift_year as _shift_year
from derek.extract.date_parts import Found, day_range_end, ordinal_mark, same_month, school_words, short_year_end
from derek.extract.date_periods import (ROMAN, century, months_of_year, period_part, season, season_iso,
                                        weekday, year_edge)
from derek.extract.date_parts import words as _words
from derek.extract.date_parts import year_value as _year_value
from derek.extract.numerals import Tok, match_stem, numeral_words, view_tokens
from derek.morph import grammar
from derek.morph.grammar import is_genitive
from derek.pipeline import stage


def find_dates(toks: list[Tok], published: str | None = None) -> list[Found]:
    w = _Walker(toks)
    found: list[Found] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        got: list[Found] | None = None
        if t.kind == "d":
            got = (_dotted(w, i) or _day_month(w, i, published) or _year(w, i) or _quarter(w, i, published)
                   or months_of_year(w, i, published) or century(w, i))
        elif t.kind == "w" and _may_start_date(t.low):
            got = (_relative(w, i, published) or weekday(w, i, published) or _month_alone(w, i, published)
                   or _quarter(w, i, published) or months_of_year(w, i, published) or century(w, i))
        if got:
            got = [x for f in got for x in (f, f.then) if x is not None]
            found.extend(_with_relation(w, f) for f in got)
            i = got[-1].j
        else:
            i += 1
    _between(w, found)
    return found


def _dotted(w: _Walker, i: int) -> list[Found] | None:
    """27.11.2024, 27-11-2024 (the same mark twice); year first, as in laws' and registers'
    dates: 2015.03.12, 2023-03-15."""
    t = [w.at(i + n) for n in range(5)]
    if not all(t) or t[1].low not in ".-" or t[3].low != t[1].low or t[2].kind != "d" or t[4].kind != "d":
        return None
    if len(t[0].low) == 4 and len(t[2].low) == 2 and len(t[4].low) == 2:
        y, m, d = _year_value(t[0]), int(t[2].low), int(t[4].low)
    elif len(t[0].low) <= 2:
        y, m, d = _year_value(t[4]), int(t[2].low), int(t[0].low)
    else:
        return None
    if y is None or not (1 <= d <= 31 and 1 <= m <= 12):
        return None
    return [Found(i, i + 5, _iso(y, m, d))]


def _day_month(w: _Walker, i: int, published: str | None) -> list[Found] | None:
    """'7 Қараша 2023', '5 наурызда', '1 қазан күні', '15 қаңтарына'."""
    t = w.at(i)
    if len(t.low) > 2 or not 1 <= int(t.low) <= 31:
        return None
    end = day_range_end(w, i)
    if end is not None:  # '12-19 наурыз': the first day starts the period, the last ends it
        got = _day_month(w, end, published)
        if not got:
            return None
        last = got[0]
        last.relation = "until"
        return [Found(i, i + 1, same_month(last.iso, int(t.low)), "since"), last]
    k, word = w.next_word(ordinal_mark(w, i))
    if word is None:
        return None
    month = _month(word)
    if month is None:
        return None
    j = k + 1
    year: int | str | None = None
    k2 = w.skip(j)
    y = _year_value(w.at(k2)) if k2 != j else None
    if y is not None:
        year, j = y, k2 + 1
        k3, word3 = w.next_word(j)
        if word3 is not None and (_is_year_word(word3) or word3 == "ж"):
            j = k3 + 1
            if word3 == "ж" and w.at(j) and w.at(j).low == ".":
                j += 1
    else:
        year = published[:4] if published else None
    k4, word4 = w.next_word(j)
    if word4 is not None and (_is_word(word4, "күн") or _is_word(word4, "ай")):
        j = k4 + 1
    return [Found(i, j, _iso(year, month, int(t.low)))]


def _year(w: _Walker, i: int) -> list[Found] | None:
    """'2022 жылы', '2022-жылы', '2022 ж.', '2017–2021 жылдары' (+ month/quarter/part after).
    Years before 1900 count only with a year word ('1722 жылы'), checked below."""
    y = _year_value(w.at(i), earliest=1000)
    if y is None:
        return None
    prev = w.at(i - 1)
    if prev is not None and prev.kind == "p" and prev.low in ",." and w.at(i - 2) and w.at(i - 2).kind == "d":
        return None  # the decimals of '1,2024'
    first: Found | None = None
    k = i + 1
    dash = w.at(w.skip(k))
    if dash is not None and dash.low in _DASHES:
        k2 = w.skip(w.skip(k) + 1)
        y2 = _year_value(w.at(k2))
        if y2 is None:
            y2 = short_year_end(w, k2, y)
        if y2 is not None and y2 > y:
            first = Found(i, i + 1, str(y), "since")
            i, y, k = k2, y2, k2 + 1
    k2 = w.skip(k)
    t = w.at(k2)
    if t is not None and t.low in _DASHES:  # '2022-жылы'
        k2 = w.skip(k2 + 1)
        t = w.at(k2)
    if t is not None and t.low in school_words():  # '2023-2024 оқу жылында'
        k3, word = w.next_word(k2 + 1)
        if word is not None and _is_year_word(word):
            k2, t = k3, w.at(k3)
    if t is None or t.kind != "w" or (y < 1900 and not _is_year_word(t.low)):
        return [first, Found(i, i + 1, str(y), "until")] if first and y >= 1900 else None
    if t.low == "ж" and w.at(k2 + 1) is not None and w.at(k2 + 1).low == ".":
        j = k2 + 2
    elif _is_year_word(t.low):
        j = k2 + 1
    else:
        return [first, Found(i, i + 1, str(y), "until")] if first else None
    last = _continue_year(w, Found(i, j, str(y)), y)
    if first:
        last.relation = "until"
        return [first, last]
    return [last]


def _continue_year(w: _Walker, f: Found, year: int | str | None) -> Found:
    """What may follow 'YYYY жылдың' / 'өткен жылдың': a month, a day and month, 'N айы',
    a quarter, a part of the year ('басында')."""
    k, word = w.next_word(f.j)
    if word is None:
        nxt = w.at(w.skip(f.j))
        if nxt is not None and nxt.kind == "d" and len(nxt.low) <= 2:
            return _continue_number(w, f, year, w.skip(f.j))
        return f
    month = _month(word)
    if month is not None:
        f.j, f.iso = k + 1, _iso(year, month)
        rng = _month_range_end(w, f.j)
        if rng is not None:  # 'қаңтар-қараша', 'қаңтар – қыркүйек'
            f.j = rng[0]
            if year is not None:
                f.iso = f"{f.iso}/{_iso(year, rng[1])}"
        k2, w2 = w.next_word(f.j)
        if w2 is not None and _is_word(w2, "ай"):
            f.j = k2 + 1
        return f
    q = _words()["quarter_ordinal"].get(word)
    if q is not None:
        k2, w2 = w.next_word(k + 1)
        if w2 is not None and _is_word(w2, "тоқсан"):
            f.j, f.iso = k2 + 1, f"{year}-Q{q}" if year is not None else None
        return f
    if word in _words()["quarter_deictic"]["words"]:
        k2, w2 = w.next_word(k + 1)
        if w2 is not None and _is_word(w2, "тоқсан"):
            f.j = k2 + 1
        return f
    months = season(word)
    if months is not None:  # '2023 жылдың көктемінде', 'биылғы жазда'
        f.j = k + 1
        f.iso = season_iso(year, months)
    elif period_part(word):
        f.j = k + 1
        f.iso = year_edge(f.iso, word)
    elif word in numeral_words():  # 'биылғы тоғыз айдағы'
        k2, w2 = w.next_word(k + 1)
        if w2 is not None and _is_word(w2, "ай"):
            f.j = k2 + 1
    return f


def _continue_number(w: _Walker, f: Found, year: int | str | None, k: int) -> Found:
    """'2026 жылдың 15 қаңтарына', '2025 жылдың 11 айында', '2023 жылғы 2-тоқсан'."""
    n = int(w.at(k).low)
    end = day_range_end(w, k) if 1 <= n <= 31 else None
    if end is not None:  # '2022 жылдың 5-6 сәуірінде': both days in the year named
        k3, word = w.next_word(end + 1)
        month = _month(word) if word is not None else None
        if month is not None:
            last = int(w.at(end).low)
            f.j, f.relation = k + 1, "since"
            f.iso = _iso(year, month, n) if year is not None else None
            j = k3 + 1
            k4, word4 = w.next_word(j)
            if word4 is not None and _is_word(word4, "күн"):  # '14-16 желтоқсан күндері'
                j = k4 + 1
            f.then = Found(end, j, _iso(year, month, last) if year is not None else None, "until")
        return f
    k2 = k + 1
    t = w.at(k2)
    if t is not None and t.low in _DASHES and w.word(k2 + 1) and _is_word(w.word(k2 + 1), "тоқсан"):
        if 1 <= n <= 4:
            f.j, f.iso = k2 + 2, f"{year}-Q{n}" if year is not None else None
        return f
    if t is not None and t.low in _DASHES and w.word(k2 + 1) and _month(w.word(k2 + 1)):  # '10-наурыз'
        if 1 <= n <= 31:
            f.j, f.iso = k2 + 2, _iso(year, _month(w.word(k2 + 1)), n) if year is not None else None
        return f
    k3, word = w.next_word(ordinal_mark(w, k))  # '2024 жылдың 20-шы мамырында'
    if word is None:
        return f
    month = _month(word)
    if month is not None and 1 <= n <= 31:
        f.j, f.iso = k3 + 1, _iso(year, month, n) if year is not None else None
    elif _is_word(word, "ай") and 1 <= n <= 12:
        f.j = k3 + 1
    return f


@lru_cache(maxsize=65536)
def _relative_day_stem(word: str) -> tuple[str, str] | None:
    # asked of every word of every article; the table (date_words.toml) never changes
    return match_stem(word, _words()["relative_day"])


def _may_start_date(word: str) -> bool:
    """False when no word-led date (_relative, _month_alone, _quarter) can start at `word`:
    a superset of their first tests, remembered per word, so the ~95% of words that are
    not date words cost one lookup instead of three walks."""
    if len(word) > 40:
        return _word_gate(word)
    return _word_gate_cached(word)


def _word_gate(word: str) -> bool:
    words = _words()
    if word in words["relative_day"] or word == "жыл" or word in words["modifier"] \
            or word in words["vague"]["words"] or word in words["quarter_ordinal"]:
        return True
    m = _relative_day_stem(word)
    if m is not None and len(m[0]) >= 5:
        return True
    if any(word.startswith(stem) for stem in words["relative_year"]):
        return True
    if word in _small_numerals() or match_stem(word, words["weekday"]["days"]) is not None:
        return True
    if ROMAN.fullmatch(word):
        return True
    return _month(word) is not None


@lru_cache(maxsize=None)
def _small_numerals() -> frozenset[str]:
    """Numeral words of 1..12 ('сегіз айдың қорытындысы')."""
    return frozenset(k for k, v in numeral_words().items() if v <= 12) | {"он бір", "он екі"}


_word_gate_cached = lru_cache(maxsize=65536)(_word_gate)


def _relative(w: _Walker, i: int, published: str | None) -> list[Found] | None:
    words = _words()
    word = w.word(i)
    day = words["relative_day"].get(word)
    if day is None and (m := _relative_day_stem(word)) is not None and len(m[0]) >= 5:
        day = words["relative_day"][m[0]]  # 'бүгінге (дейін)'; not 'кеше' in 'кешені' (complex)
    if day is not None:
        return [Found(i, i + 1, _shift_day(published, day))]
    for stem, off in words["relative_year"].items():
        if word == stem or (word.startswith(stem) and match_stem(word, {stem: 1})):
            f = Found(i, i + 1, _shift_year(published, off))
            f = _continue_year(w, f, f.iso)
            k, w2 = w.next_word(f.j)
            if f.j == i + 1 and w2 == "қорытынды":  # 'биылғы қорытынды бойынша'
                k2, w3 = w.next_word(k + 1)
                f.j = k2 + 1 if w3 == "бойынша" else k + 1
            return [f]
    if word == "жыл":  # 'жыл басынан бері', 'жыл соңына дейін'
        k, w2 = w.next_word(i + 1)
        if w2 is not None and period_part(w2, possessed=True) and not w2.startswith("қорытынды"):
            return [Found(i, k + 1, year_edge(_shift_year(published, 0), w2))]
        return None  # '20 жыл бас бостандығынан': 'бас' without the possessive is no part of it
    mods = words["modifier"]
    if word in mods:
        k, w2 = w.next_word(i + 1)
        if w2 is None:
            return None
        if _is_year_word(w2):
            iso = _shift_year(published, mods[word]) if word != "алдағы" else None
            f = _continue_year(w, Found(i, k + 1, iso), iso)
            return [f]
        if _is_word(w2, "ай"):
            return [Found(i, k + 1, _shift_month(published, mods[word]) if word != "алдағы" else None)]
    if word in words["vague"]["words"]:
        k = w.skip(i + 1)
        t = w.at(k)
        if t is not None and (t.kind == "d" or t.low in numeral_words()):
            k = w.skip(k + 1)
        w2 = w.word(k)
        if w2 is not None and (_is_year_word(w2) or _is_word(w2, "ай")) and k > i + 1:
            return [Found(i, k + 1, None)]
    return None


def _month_alone(w: _Walker, i: int, published: str | None) -> list[Found] | None:
    """'Мамырда', 'Қыркүйектің', 'тамыз айындағы', 'қаңтар-қараша айларында'."""
    word = w.word(i)
    month = _month(word)
    if month is None or match_stem(word, _months()) is None:
        return None  # Russian month names only inside full dates ('Октябрь революциясы')
    j = i + 1
    month2 = None
    rng = _month_range_end(w, j)
    if rng is not None:
        j, month2 = rng
    k, w2 = w.next_word(j)
    has_ai = w2 is not None and _is_word(w2, "ай")
    if has_ai:
        j = k + 1
    day = _genitive_day(w, i, j)
    if day is not None:
        year = published[:4] if published else None
        return [Found(i, day[1], _iso(year, month, day[0]))]
    stem = match_stem(word, _months())[0] if match_stem(word, _months()) else word
    if stem in _words()["ambiguous_months"]["words"] and not has_ai:
        return None
    year = published[:4] if published else None
    iso = _iso(year, month)
    if month2 and year:
        iso = f"{year}-{month:02d}/{year}-{month2:02d}"
    return [Found(i, j, iso)]


def _quarter(w: _Walker, i: int, published: str | None) -> list[Found] | None:
    """A quarter without a year: 'бірінші тоқсанда', 'II тоқсан', '2-тоқсанда' (publication year)."""
    t = w.at(i)
    if t.kind == "d":
        dash, word = w.at(i + 1), w.word(i + 2)
        if len(t.low) > 1 or dash is None or dash.low not in _DASHES or word is None:
            return None
        n, j = int(t.low), i + 3
    else:
        n = _words()["quarter_ordinal"].get(t.low)
        k, word = w.next_word(i + 1)
        j = k + 1 if k is not None else None
    if n is None or not 1 <= n <= 4 or word is None or not _is_word(word, "тоқсан"):
        return None
    return [Found(i, j, f"{published[:4]}-Q{n}" if published else None)]


def _month_range_end(w: _Walker, j: int) -> tuple[int, int] | None:
    """After a month at j-1: '-наурыз', ' – қыркүйекте' (the dash with or without spaces);
    (end index, second month) or None."""
    k = w.skip(j)
    dash = w.at(k)
    if dash is None or dash.low not in _DASHES or (k > j) != (w.skip(k + 1) > k + 1):
        return None  # 'қаңтар -наурыз' is no range: the spaces around a dash match
    k = w.skip(k + 1)
    word = w.word(k)
    month = _month(word) if word is not None else None
    return (k + 1, month) if month is not None else None


def _genitive_day(w: _Walker, i: int, j: int) -> tuple[int, int] | None:
    """'Қыркүйектің 11-інде', 'наурыздың 8-і': (day, end) after a month in the genitive."""
    if not is_genitive(w.word(i)) or j != i + 1:
        return None
    k = w.skip(j)
    d, h, e = w.at(k), w.at(k + 1), w.at(k + 2)
    if k == j or d is None or d.kind != "d" or len(d.low) > 2 or not 1 <= int(d.low) <= 31:
        return None
    if h is not None and h.low in _DASHES and e is not None and e.kind == "w" and \
            e.low.startswith(grammar.forms("POSS3")):
        return int(d.low), k + 3
    return None


def _with_relation(w: _Walker, f: Found) -> Found:
    k, word = w.next_word(f.j)
    rel = _words()["relation_after"].get(word) if word else None
    if rel:
        f.j, f.relation = k + 1, rel
    elif f.relation == "at":
        last = w.word(f.j - 1) or ""
        if last.endswith(("дан бері", "ден бері")):
            f.relation = "since"
    return f


def _between(w: _Walker, found: list[Found]) -> None:
    """'X мен Y дейін' (from X until Y): X starts the period."""
    for a, b in zip(found, found[1:]):
        k, word = w.next_word(a.j)
        if word in ("мен", "пен", "бен") and k is not None and w.skip(k + 1) == b.i \
                and b.relation == "until" and a.relation == "at":
            a.relation = "since"


@stage("dates", requires=("view", "paragraphs", "meta"), assigns=("dates",), kazakh=True)
def extract_dates(doc: Document) -> None:
    toks = view_tokens(doc.view)
    dates = find_dates(toks, anchor(doc.meta.published))
    keep = body_filter(doc)
    doc.dates = []
    for f in dates:
        a, b = doc.span(toks[f.i].start, toks[f.j - 1].end)
        if keep(a, b):
            doc.dates.append(DateMention(a, b, doc.text[a:b], f.iso, f.relation))
