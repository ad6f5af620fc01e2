"""Pieces the date normalizer is built from: word lists (date_words.toml, months.toml), a token
walker that steps over single spaces, and resolution of relative dates against a publication
date."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from derek.extract.numerals import Tok, match_stem
from derek.langdata import load_toml, month_numbers

DASHES = {"-", "–", "—", "‑"}


@dataclass
class Found:
    i: int  # token span [i, j)
    j: int
    iso: str | None
    relation: str = "at"
    then: "Found | None" = None  # a day range's last day, read with its first ('2022 жылдың 5-6 сәуірі')

_YEAR_WORD = "жыл"


@lru_cache(maxsize=None)
def words() -> dict:
    return load_toml("date_words.toml")


@lru_cache(maxsize=None)
def months() -> dict[str, int]:
    kk = load_toml("months.toml")
    out = dict(kk["kk"])
    out.update(kk.get("kk_alternations", {}))
    return out


@lru_cache(maxsize=None)
def _month_stems() -> dict[str, int]:
    """The Kazakh stems and the Russian ones that take Kazakh endings, in one table: one
    (remembered) look-up per word."""
    return {**months(), **load_toml("months.toml").get("ru_stems", {})}


def month(word: str) -> int | None:
    """A month name's number: a Kazakh stem with any case ending, a Russian stem with a
    Kazakh ending ('апрельде', 'ноябрінде'), or a Russian form."""
    m = match_stem(word, _month_stems())
    if m is not None:
        return _month_stems()[m[0]]
    return month_numbers().get(word)  # Russian forms ('ноября'), exact


def is_year_word(word: str) -> bool:
    """'жыл', 'жылы', 'жылдың', 'жылдардағы' — but not 'жылу' (heat) or 'жылдам' (fast)."""
    return word == _YEAR_WORD or bool(match_stem(word, {_YEAR_WORD: 1}))


def is_word(word: str, stem: str) -> bool:
    return word == stem or bool(match_stem(word, {stem: 1}))


class Walker:
    """Token access that steps over one horizontal space between words."""

    def __init__(self, toks: list[Tok]):
        self.toks = toks

    def at(self, k: int) -> Tok | None:
        return self.toks[k] if 0 <= k < len(self.toks) else None

    def skip(self, k: int) -> int:
        t = self.at(k)
        return k + 1 if t is not None and t.kind == "s" else k

    def word(self, k: int) -> str | None:
        t = self.at(k)
        return t.low if t is not None and t.kind == "w" else None

    def next_word(self, k: int) -> tuple[int, str] | tuple[None, None]:
        """The word after position k (one space between), as (index, lower text)."""
        k2 = self.skip(k)
        if k2 == k:
            return None, None
        w = self.word(k2)
        return (k2, w) if w is not None else (None, None)


def year_value(t: Tok | None, earliest: int = 1900) -> int | None:
    if t is None or t.kind != "d" or len(t.low) != 4:
        return None
    y = int(t.low)
    return y if earliest <= y <= 2100 else None


def shift_year(published: str | None, years: int) -> str | None:
    """The year `years` from publication: needs the year only ('биыл', 'былтыр')."""
    return f"{int(published[:4]) + years:04d}" if published else None


def shift_month(published: str | None, months: int) -> str | None:
    """The month `months` from publication: needs the month ('осы айда', 'өткен айда')."""
    if not published or len(published) < 7:
        return None
    y, m = int(published[:4]), int(published[5:7]) + months
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return f"{y:04d}-{m:02d}"


def shift_day(published: str | None, days: int) -> str | None:
    """The day `days` from publication.  With only a month or a year known, 'бүгін' (today)
    still lies inside it, so it resolves at that precision; 'кеше'/'ертең' may fall across the
    boundary (the 1st of a month), so they need the day."""
    if not published:
        return None
    if len(published) < 10:
        return published if days == 0 else None
    return (dt.date.fromisoformat(published) + dt.timedelta(days=days)).isoformat()


def weekday_before(published: str | None, weekday: int, weeks: int = 0) -> str | None:
    """The latest `weekday` (0 = Monday) on or before the publication day, moved by `weeks`
    ('бейсенбіде' in a story of Thursday 5 September = that day; 'келесі дүйсенбіде' = +1
    week from the one after).  Needs the day."""
    if not published or len(published) < 10:
        return None
    day = dt.date.fromisoformat(published)
    back = (day.weekday() - weekday) % 7
    return (day - dt.timedelta(days=back) + dt.timedelta(weeks=weeks)).isoformat()


def iso(year: int | str | None, month: int | None = None, day: int | None = None) -> str | None:
    if year is None:
        return None
    out = str(year)[:4]
    if month:
        out += f"-{month:02d}"
        if day:
            out += f"-{day:02d}"
    return out


def published_date(value: object, *, keep_known: bool = False) -> str:
    """A publication date as derek keeps it (meta.published): YYYY-MM-DD, YYYY-MM or YYYY, what
    a user knows of when an article appeared.  A timestamp ("2024-03-05T10:00:00+05:00") keeps
    its date.  ValueError, with a message for the user, when it is no such date — unless
    `keep_known`: then a value whose year (and month) are sound but whose rest is not
    ("2024-20", "2024-02-30") keeps what is sound ("2024", "2024-02"); nothing is guessed."""
    text = str(value).strip() if value is not None else ""
    try:
        return _strict_published(text)
    except ValueError:
        if not keep_known:
            raise
        for size in (7, 4):
            if len(text) > size and text[size] in "-/.":
                try:
                    return _strict_published(text[:size])
                except ValueError:
                    continue
        raise


def _strict_published(text: str) -> str:
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?", text)
    if m is None:
        raise ValueError(f"{text!r} is not a date: expected YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"{text!r} is not a date of the calendar") from None
    return "-".join(p for p in (year, month, day) if p)


def anchor(published: object) -> str | None:
    """meta.published as relative dates may use it: YYYY-MM-DD, YYYY-MM or YYYY (a partial date
    resolves what its precision allows: 'биыл' with a year, 'осы айда' with a month, 'кеше' with
    a day), or None for anything else (a malformed value resolves nothing)."""
    if not isinstance(published, str):
        return None
    try:
        return published_date(published)
    except ValueError:
        return None


# -- ranges and ordinal days (dates.py) ---------------------------------------------------
def day_range_end(w: Walker, i: int) -> int | None:
    """'12-19', '5 – 9': the index of a range's last day after the day at i (a later day, the
    spaces around the dash alike: '5 -6' is no range), else None.  The caller checks that a
    month follows."""
    k = w.skip(i + 1)
    dash = w.at(k)
    if dash is None or dash.low not in DASHES or (k > i + 1) != (w.skip(k + 1) > k + 1):
        return None
    k2 = w.skip(k + 1)
    last = w.at(k2)
    if last is None or last.kind != "d" or len(last.low) > 2 or not int(w.at(i).low) < int(last.low) <= 31:
        return None
    return k2


def ordinal_mark(w: Walker, i: int) -> int:
    """After the day at i, the end of an ordinal ending written after a dash ('20-шы мамыр',
    '5-ші қазанда'): the index past it, else i + 1."""
    t = w.at(i + 1)
    word = w.word(i + 2)
    if t is not None and t.low in DASHES and word is not None and word in _ordinal_endings():
        return i + 3
    return i + 1


@lru_cache(maxsize=None)
def _ordinal_endings() -> frozenset[str]:
    from derek.morph import grammar

    return frozenset(grammar.forms("ORD"))


def same_month(iso_date: str | None, day: int) -> str | None:
    """Another day of the month a full date names."""
    return f"{iso_date[:8]}{day:02d}" if iso_date is not None and len(iso_date) == 10 else None


@lru_cache(maxsize=None)
def school_words() -> frozenset[str]:
    """'оқу' of 'оқу жылы' (a school year, named by the years it spans): date_words.toml."""
    return frozenset(words()["school_year"]["words"])


def short_year_end(w: Walker, k: int, first: int) -> int | None:
    """'1975 — 82 жылдары', '2024-25 оқу жылында': a range's last year written with two
    digits, a later year of the next 30 (a year word must follow: '2022-23' alone is no range)."""
    t = w.at(k)
    if t is None or t.kind != "d" or len(t.low) != 2:
        return None
    year = first // 100 * 100 + int(t.low)
    if year <= first:
        year += 100
    k2, word = w.next_word(k + 1)
    if word in school_words():
        k2, word = w.next_word(k2 + 1)
    if year - first > 30 or word is None or not is_year_word(word):
        return None
    return year
