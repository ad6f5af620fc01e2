"""What a quantity takes from the ones around it, once all are found: the rate it is the
price in ('1 АҚШ доллары үшін 549,07 теңге', a sentence about the тенге's бағам), the period
of a wage ('айлық жалақы'), the noun of the count it is a part of ('оның 4 мыңы'), the unit of
the percentage it is listed with, and the level a fall ends at ('512-ден 480-ге дейін').
Used by quantities.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from derek.extract.numerals import Tok, is_ablative, is_dative
from derek.extract.qualifiers import next_word
from derek.extract.units import read_unit
from derek.langdata import load_toml
from derek.morph import grammar

_STRICT = {"KZT", "USD", "RUB", "EUR", "CNY", "%"}
_LINKS = load_toml("units.toml")["links"]
_FOREIGN = tuple(_LINKS["foreign_currency_stems"])
_RATE_WORDS = tuple(_LINKS["rate_words"])
# 'айлық' (monthly), 'айына' (a month), 'жылдық', 'жылына', 'күніне', 'тәулігіне', 'сағатына'
_PERIODS = dict(load_toml("units.toml")["per_period"])


@dataclass
class Q:
    i: int
    j: int
    value: float
    unit: str | None = None
    qualifier: str = "exact"
    per: str | None = None
    value_max: float | None = None
    sentence: int = 0
    bare: bool = False  # a number with no unit
    suffix: str = ""  # the number's own ending ('ы' in '4 мыңы')


def rate_sentences(toks: list[Tok], sids: list[int]) -> dict[int, str]:
    """Sentences that talk about an exchange rate ('теңге бағамы … долларға'): sid -> currency."""
    rate, foreign = set(), {}
    for t, sid in zip(toks, sids):
        if t.kind != "w":
            continue
        if t.low.startswith(_RATE_WORDS):
            rate.add(sid)
        elif t.low.startswith(_FOREIGN) and sid not in foreign:
            unit = read_unit([Tok("s", 0, 0, " "), t], 0, counted=False)
            if unit is not None and unit.kind == "currency":
                foreign[sid] = unit.unit
    # the currency may be named a sentence or two before the rate ('… долларға шаққанда …
    # болған. Ал бүгін … курс 536, 88')
    out = {}
    for sid in rate:
        for back in (0, 1, 2):
            if sid - back in foreign:
                out[sid] = foreign[sid - back]
                break
    return out


def link_rates(toks: list[Tok], found: list[Q], rates: dict[int, str]) -> None:
    """'1 АҚШ доллары үшін 549,07 теңге': drop the '1 USD' base, give the price per=USD; in
    a sentence about an exchange rate, bare amounts are tenge per that currency."""
    drop = []
    for n, q in enumerate(found):
        w = next_word(toks, q.j)
        base = (w is not None and toks[w].low == "үшін") or (  # '1 АҚШ доллары үшін'
            q.qualifier == "exact" and is_dative(toks[q.j - 1].low))  # '1 долларға 477,73 теңге'
        if q.value == 1 and q.unit in _STRICT and q.unit != "KZT" and base:
            for q2 in found[n + 1:n + 3]:
                if q2.sentence == q.sentence and q2.unit in (None, "KZT"):
                    q2.per, q2.unit = q.unit, "KZT"
                    drop.append(n)
                    break
    for n in reversed(drop):
        del found[n]
    for q in found:
        if q.per is None and q.unit in _STRICT and q.unit != "%":
            q.per = _period(toks, q)
        cur = rates.get(q.sentence)
        if cur is None:
            continue
        if q.bare and q.qualifier == "exact":
            q.unit, q.per, q.bare = "KZT", cur, False
        elif q.unit == "KZT" and q.per is None:
            q.per = cur


def _period(toks: list[Tok], q: Q) -> str | None:
    """Money per period: 'орташа айлық жалақы 365 502 теңге' -> per month; '… теңге жылына'."""
    words = [t.low for t in toks[max(0, q.i - 8):q.i] if t.kind == "w"][-3:]
    w = next_word(toks, q.j)
    if w is not None:
        words.append(toks[w].low)
    for word in words:
        for stem, period in _PERIODS.items():
            if word.startswith(stem):
                return period
    return None


_OF_THEM = frozenset(_LINKS["part_pronouns"])


def part_of_previous(toks: list[Tok], found: list[Q]) -> None:
    """'23 мың компания … Оның 4 мыңы', 'соның 21-і': a possessive number after 'оның/соның'
    counts a part of the thing counted just before, so it takes that noun as its unit."""
    for n, q in enumerate(found):
        if not q.bare or q.suffix not in grammar.forms("POSS3"):
            continue
        before = [t.low for t in toks[max(0, q.i - 4):q.i] if t.kind == "w"]
        if not before or before[-1] not in _OF_THEM:
            continue
        for prev in reversed(found[max(0, n - 3):n]):
            if prev.unit is not None and q.sentence - prev.sentence <= 2:
                q.unit, q.bare = prev.unit, False
                break


def falling_to(toks: list[Tok], found: list[Q]) -> None:
    """'6341-ден 6208-ге дейін (азайды)': from a higher level down to a lower one — both are
    levels the count stood at, so the second is exact, not 'up to' (a rise, '5-тен 10-ға
    дейін', is read as one range by _range)."""
    for a, b in zip(found, found[1:]):
        if b.qualifier != "up_to" or a.sentence != b.sentence or b.value >= a.value:
            continue
        if is_ablative(a.suffix) and all(t.kind == "s" for t in toks[a.j:b.i]):
            b.qualifier = "exact"


def borrow_units(toks: list[Tok], found: list[Q]) -> None:
    """'тозуы 56, … 50 пайызды': a bare number listed before a percentage shares its unit."""
    for a, b in zip(found, found[1:]):
        if not a.bare or b.unit not in _STRICT or a.sentence != b.sentence:
            continue
        between = toks[a.j:b.i]
        words = [t for t in between if t.kind == "w"]
        if between and between[0].low in (",", "және") or (words and words[0].low == "және"):
            if len(words) <= 5 and not any(t.kind == "d" for t in between):
                a.unit, a.bare = b.unit, False
