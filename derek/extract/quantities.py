"""Quantities: money, percentages, counts, measures and rates, with qualifiers and ranges.

    'шамамен 30 млрд теңгеден асты'   -> 3e10 KZT more_than (the verb states the bound)
    '23 мыңнан астам компаниясы'      -> 23000 company more_than
    '1 АҚШ доллары үшін 549,07 теңге' -> 549.07 KZT per USD
    '15-20 м/с'                        -> 15 m/s range, value_max 20

A number is read by numerals.py; this module looks around it for a qualifier before it, a
unit or counted noun after it (units.py), qualifiers after that ('астам', 'жуық', '-дан асты',
'-ға дейін'), and ranges.  Years used as dates, day numbers, times, phone numbers, ordinals and
list numbering are left out: so are the dates, the dates stage's layer (or dates.find_dates on a
bare token list).  See docs/quantities.md.
"""
from __future__ import annotations

import bisect
from functools import lru_cache

from derek.doc import Document, Quantity
from derek.extract import body_filter
from derek.extract.date_parts import DASHES as _DASHES
from derek.extract.dates import find_dates
from derek.extract.furniture import PHONE, excluded_digits, figure_runs, is_time, is_year, score, sign
from derek.extract.numerals import (Number, Tok, collective_words, half_words, is_ablative, is_dative,
                                    is_ordinal_ending, match_stem, numeral_words, read_digits, read_words,
                                    scale_words, times_scale, view_tokens)
from derek.extract.qualifiers import (NEED_ABLATIVE, approx_ending, at, match_phrase, next_word,
                                      post_qualifier, pre_qualifier, quals, within)
from derek.extract.quantity_links import Q, borrow_units, falling_to, link_rates, part_of_previous, rate_sentences
from derek.extract.units import Unit, age, counted_noun, fixed_phrases, read_unit
from derek.langdata import load_toml
from derek.pipeline import stage

@lru_cache(maxsize=None)
def _numeral_prefixes() -> frozenset[str]:
    words = list(numeral_words()) + list(scale_words()) + list(half_words()) + list(collective_words())
    return frozenset(w[:2] for w in words)


def _sentence_ids(toks: list[Tok]) -> list[int]:
    ids, sid = [], 0
    append, last = ids.append, len(toks) - 1
    for n, t in enumerate(toks):  # every token of the article: kept free of calls
        append(sid)
        kind = t.kind
        if kind == "n" or (kind == "p" and t.low in ".!?" and n < last and toks[n + 1].kind in "sn"):
            sid += 1
    return ids


def find_quantities(toks: list[Tok], published: str | None = None, text: str | None = None,
                    dates: list[tuple[int, int]] | None = None) -> list[Q]:
    """Quantities in a token list (numerals.tokenize of the analysis view `text`).  `dates`:
    the token ranges [i, j) that are dates, which hold no amount (default: find_dates(toks,
    published))."""
    blocked = [False] * len(toks)
    if dates is None:
        dates = [(f.i, f.j) for f in find_dates(toks, published)]
    for i, j in dates:
        blocked[i:j] = [True] * (j - i)
    for a, b in figure_runs(toks, text):
        blocked[a:b] = [True] * (b - a)
    if text is not None:
        starts = [t.start for t in toks]
        for m in PHONE.finditer(text):
            for k in range(bisect.bisect_left(starts, m.start()), bisect.bisect_left(starts, m.end())):
                blocked[k] = True
    sids = _sentence_ids(toks)
    rates = rate_sentences(toks, sids)
    found: list[Q] = []
    numeral_prefixes = _numeral_prefixes()
    i = 0
    while i < len(toks):
        t = toks[i]
        num = None
        if blocked[i]:
            i += 1
            continue
        if t.kind == "d" and (end := score(toks, i)) is not None:
            found.append(Q(i, end, float(t.low), "score", sentence=sids[i]))
            i = end
            continue
        if t.kind == "d" and excluded_digits(toks, i, text):
            phone = i > 0 and toks[i - 1].low == "+"
            i += 1  # and the rest of the code/section number/time: '1.4.2', '13:12', '0.00'
            while i < len(toks) and (toks[i].kind == "d" or toks[i].low in ".,:/-" or (
                    phone and toks[i].low in " ()" and i + 1 < len(toks) and toks[i + 1].kind in "dp")):
                i += 1  # a phone number's groups: '+7 707 37 300 37'
            continue
        if t.kind == "d":
            num = read_digits(toks, i, stray_decimal=sids[i] in rates)
            signed = sign(toks, i)
            if num is not None and signed:
                num.i, num.value = i - 1, num.value * signed  # '+7,4%', '−0,3 п.т.'
                num.signed = True
        elif t.kind == "w" and t.low[:2] in numeral_prefixes and \
                (i == 0 or toks[i - 1].kind != "w"):
            num = read_words(toks, i)
        if num is None:
            i += 1
            continue
        got = _assemble(toks, num, blocked, text)
        if got:
            for q in got:
                q.sentence = sids[q.i]
            found.extend(got)
            i = got[-1].j
        else:
            i = max(num.j, i + 1)
    link_rates(toks, found, rates)
    falling_to(toks, found)
    borrow_units(toks, found)
    part_of_previous(toks, found)
    return found


def _assemble(toks: list[Tok], num: Number, blocked: list[bool], text: str | None) -> list[Q] | None:
    if num.suffix and is_ordinal_ending(num.suffix) or is_time(toks, num):
        return None  # '1-ші', '5-інші', '7.00-де'
    h = at(toks, num.j)
    if h is not None and h.low in _DASHES and at(toks, num.j + 1) is not None and \
            toks[num.j + 1].kind == "w" and not num.suffix and num.kind == "digits":
        return None  # '2-тоқсан', '5-сынып': a label, not an amount
    frac = _fraction(toks, num)
    if frac is not None:
        return [Q(num.i, frac, _fraction_value(toks, num, frac), "fraction")]
    out: list[Q] = []
    value, value_max, qualifier, start = num.value, None, None, num.i
    end = num.j
    # ranges: '15-20', '10–15 мың', '5-тен 10-ға дейін', 'бір-екі', '34, тіпті, 35 миллиард'
    high, alt = _range(toks, num, blocked)
    if high is not None:
        if not num.scaled and high.scaled:
            value = times_scale(value, high.scale) if high.kind == "digits" else value
        if alt:
            lo = Q(num.i, num.j, value, qualifier="range", value_max=high.value)
            value, end, start = high.value, high.j, high.i
            qualifier, value_max = "range", high.value
            out.append(lo)
        else:
            value_max, qualifier, end = high.value, "range", high.j
        last_num = high
    else:
        last_num = num
    # a qualifier right after the number: '23 мыңнан астам компаниясы', '5 миллионға жуық'
    mid = match_phrase(toks, end, quals()["after"])
    if mid is not None and mid[1] in ("up_to",):
        mid = None  # 'дейін' is read after the unit (it may follow the unit too)
    if mid is not None and toks[mid[0] - 1].low in NEED_ABLATIVE and not is_ablative(last_num.suffix):
        mid = None
    unit_at = mid[0] if mid else end
    unit = read_unit(toks, unit_at, counted=not (last_num.suffix and mid is None)
                     or approx_ending(last_num.suffix) is not None)
    if unit is None and mid is None and not last_num.suffix:
        unit = age(toks, unit_at, max(value, value_max or 0))  # '19 жастағы', '3-6 жас аралығында'
    if unit is not None and any(blocked[unit_at:unit.j]):
        unit = None  # '4 мыңы соңғы жылда': the noun belongs to a date
    if is_year(num, unit) and high is None:
        return None
    noun_end = None
    if num.kind == "words" and unit is None and not mid and not num.suffix and not num.scaled \
            and (toks[num.i].low not in _NOT_ALONE or num.j > num.i + 1):
        noun_end = counted_noun(toks, num.i, unit_at, text)  # 'тоғыз ойын', 'төрт өндіріс'
        if noun_end is not None and _fixed(toks, num, noun_end):
            noun_end = None
    if num.kind == "words" and noun_end is None and not _words_ok(toks, num, unit, mid, ranged=high is not None):
        return None
    j = unit.j if unit else noun_end or unit_at
    last = unit.last if unit else (last_num.suffix or toks[last_num.j - 1].low)
    post_q, j = post_qualifier(toks, j, last)
    if post_q is None and unit is not None:
        post_q, j = within(toks, j, unit.unit)
    if qualifier != "range":
        qualifier = (post_q or (mid[1] if mid else None) or pre_qualifier(toks, num.i)
                     or approx_ending(last_num.suffix) or "exact")
    q = Q(start, j, value, unit.unit if unit else None, qualifier, value_max=value_max,
          bare=unit is None and noun_end is None, suffix=last_num.suffix)
    if out:
        out[0].unit = q.unit
        out[0].bare = q.bare
    out.append(q)
    return out


# numeral words that before an unknown noun are mostly something else: 'тоқсан' a quarter
# ('тоқсан жоспары'), 'жарты' half of a compound ('жарты арал' a peninsula, 'жарты ай')
_NOT_ALONE = frozenset(load_toml("units.toml")["not_alone"]["words"])
# words between two numbers that make the second an alternative: '34, тіпті, 35'
_ALTERNATIVE = frozenset(load_toml("units.toml")["alternative_words"]["words"])


def _fixed(toks: list[Tok], num: Number, end: int) -> bool:
    """'екі арада', 'төрт түлік': numeral + noun phrases that name something, not a count;
    and a lone 'бір' before a noun is the indefinite article."""
    words = [toks[k].low for k in range(num.i, end) if toks[k].kind == "w"]
    if words[:-1] == ["бір"]:
        return True
    phrase = " ".join(words[:-1])
    return any(p.startswith(phrase + " ") and match_stem(words[-1], {p[len(phrase) + 1:]: 1})
               for p in fixed_phrases())


def _words_ok(toks: list[Tok], num: Number, unit: Unit | None, mid, ranged: bool = False) -> bool:
    """Numeral words count only as amounts: with a scale, a unit/noun, a qualifier, or in the
    collective form; never the fixed 'екі ел', nor the bare article-like 'бір'."""
    words = [toks[k].low for k in range(num.i, num.j) if toks[k].kind == "w"]
    if num.suffix.startswith("еу"):  # 'үшеуі'; not 'біреуі де' (not one of them)
        nxt = next_word(toks, num.j)
        return not (num.value == 1 and nxt is not None and toks[nxt].low in _negative_particles())
    if approx_ending(num.suffix):  # 'жүздей', 'отыздай'; 'ондай' (such), 'бірдей' (same) are words
        return num.value >= 20
    if num.suffix and not (mid or is_ablative(num.suffix) and _fraction(toks, num)):
        return False
    if unit is None and not num.scaled and not mid:
        return False
    if unit is not None and f"{' '.join(words)} {unit.stem}" in fixed_phrases():
        return False
    if words == ["бір"] and not num.scaled and not ranged and (unit is None or unit.unit != "person"):
        return False  # 'бір айда' (the indefinite article); 'бір адам қаза тапты' counts
    return True


@lru_cache(maxsize=1)
def _negative_particles() -> frozenset[str]:
    return frozenset(load_toml("numerals.toml")["negative_one"]["particles"])


def _range(toks: list[Tok], num: Number, blocked: list[bool]) -> tuple[Number | None, bool]:
    """The high end of a range starting at `num`, and whether it is an 'A, тіпті, B' alternative."""
    k = num.j
    sp = at(toks, k)
    if sp is not None and sp.kind == "s":
        k += 1
    d = at(toks, k)
    reader = read_digits if num.kind == "digits" else read_words
    if d is not None and d.low in _DASHES and not num.suffix:
        k2 = k + 1
        if at(toks, k2) is not None and toks[k2].kind == "s":
            k2 += 1
        hi = _readat(toks, k2, reader, blocked)
        if hi is not None and (num.scaled or hi.value > num.value):
            return hi, False
        return None, False
    if d is not None and d.low == "," and num.kind == "digits" and not num.suffix and not num.scaled:
        w = next_word(toks, k + 1) if at(toks, k + 1) is not None else None
        if w is not None and toks[w].low in _ALTERNATIVE and at(toks, w + 1) is not None:
            k2 = w + 1
            if toks[k2].low == ",":
                k2 += 1
            if at(toks, k2) is not None and toks[k2].kind == "s":
                k2 += 1
            hi = _readat(toks, k2, reader, blocked)
            if hi is not None and hi.value > num.value:
                return hi, True
    if is_ablative(num.suffix) and sp is not None and sp.kind == "s":  # '5-тен 10-ға дейін'
        hi = _readat(toks, k, reader, blocked)
        if hi is not None and is_dative(hi.suffix):
            w = next_word(toks, hi.j)
            if w is not None and toks[w].low == "дейін" and hi.value > num.value:
                hi.j, hi.suffix = w + 1, ""  # the range ends with its 'дейін'; a noun may follow
                return hi, False
        # '85-тен 90%-ке дейін', '2,7-ден 3,4 млн адамға': from one amount to another, the
        # high end's unit in the dative (the scale, read on the high end, applies to both)
        low = times_scale(num.value, hi.scale) if hi is not None and hi.scaled and not num.scaled else num.value
        if hi is not None and not hi.suffix and hi.value > low:
            unit = read_unit(toks, hi.j)
            if unit is not None and is_dative(unit.last):
                return hi, False
    return None, False


def _readat(toks, k, reader, blocked) -> Number | None:
    if k >= len(toks) or blocked[k]:
        return None
    return reader(toks, k)


def _fraction(toks: list[Tok], num: Number) -> int | None:
    """'үштен бірі', 'төрттен бірі': end index of the numerator word, if present."""
    if num.kind != "words" or not is_ablative(num.suffix):
        return None
    w = next_word(toks, num.j)
    if w is not None and toks[w].low in load_toml("numerals.toml")["fraction_numerators"]:
        return w + 1
    return None


def _fraction_value(toks: list[Tok], num: Number, end: int) -> float:
    numerator = load_toml("numerals.toml")["fraction_numerators"][toks[end - 1].low]
    return round(numerator / num.value, 4) if num.value else 0.0


def date_ranges(doc: Document, toks: list[Tok]) -> list[tuple[int, int]]:
    """The token ranges [i, j) of `toks` (numerals.tokenize of the view) that the document's
    dates cover: the dates layer is in original offsets, the tokens in view offsets."""
    if not doc.dates:
        return []
    view = doc.view
    vstarts = None if view.is_identity else view.original_starts()
    starts = [t.start for t in toks]
    out = []
    for d in doc.dates:
        a, b = (d.start, d.end) if vstarts is None else (bisect.bisect_left(vstarts, d.start),
                                                          bisect.bisect_left(vstarts, d.end))
        out.append((bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)))
    return out


@stage("quantities", requires=("view", "paragraphs", "dates"), assigns=("quantities",), kazakh=True)
def extract_quantities(doc: Document) -> None:
    toks = view_tokens(doc.view)
    keep = body_filter(doc)
    doc.quantities = []
    for q in find_quantities(toks, None, doc.view.text, date_ranges(doc, toks)):
        a, b = doc.span(toks[q.i].start, toks[q.j - 1].end)
        if keep(a, b):
            doc.quantities.append(Quantity(a, b, doc.text[a:b], q.value, q.unit, q.qualifier, q.per,
                                           q.value_max))
