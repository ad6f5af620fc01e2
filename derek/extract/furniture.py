"""Digits that are not amounts: codes, times, phone numbers, list and section numbering, house
numbers, table cells of a page's widgets, names in quotes ('«102» телефоны'), outlet names
('7kun.kz', '24.kz'); and the sign of a signed amount ('+7,4%', '−0,3 п.т.').

The quantity finder (quantities.py) asks `excluded_digits` before it reads a number: each test
looks at a few tokens around it, so the cost per digit run is bounded.  Word lists:
derek/data/numerals.toml [not_amounts].
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.extract.date_parts import DASHES
from derek.extract.numerals import Number, Tok, match_stem, scale_words
from derek.extract.qualifiers import at
from derek.extract.units import Unit, read_unit
from derek.langdata import load_toml
from derek.text.web import tlds

_SIGNS = {"+": 1, "−": -1, "-": -1, "‑": -1, "–": -1}
# what may stand right before a sign: an opening bracket or quote, a slash, a list separator
_BEFORE_SIGN = {"(", "[", "«", "\"", "“", "/", ";", ":", ","}

# phone numbers: '+7 701 123 45 67', '8 (727) 123-45-67' (bounded pieces: no backtracking blow-up)
PHONE = re.compile(r"(?:\+\s?\d{1,3}|(?<!\d)8)[\s\-]?\(?\d{3}\)?[\s\-]?\d{3}[\s\-]?\d{2}[\s\-]?\d{2}(?!\d)")


@lru_cache(maxsize=None)
def _lists() -> dict:
    return load_toml("numerals.toml")["not_amounts"]


@lru_cache(maxsize=1)
def _domain_endings() -> frozenset[str]:
    """'24.kz', '7kun.kz': digits before a domain ending are an outlet's name (web.toml)."""
    return frozenset(t.lower() for t in tlds())


def sign(toks: list[Tok], i: int) -> int:
    """+1/-1 when the digits at i carry a sign of their own, else 0.  '+' and the minus sign
    '−' are signs wherever they are not between two numbers ('+7,4%', 'жылына +9,9 пайыз',
    '−0,3 п.т.').  A hyphen or a dash is a minus only after a bracket, a comma or at the start
    of a line ('(-5,5 пайыз)', ', -0,4%') or before degrees ('Астана -14°'): after a word it
    is mostly a copula typed without its space ('аудармашыда -312 мың теңге'), and between
    numbers a range ('15 -20')."""
    prev = at(toks, i - 1)
    if prev is None or prev.low not in _SIGNS:
        return 0
    before = at(toks, i - 2)
    if before is not None and before.kind == "s":
        before = at(toks, i - 3)
    if before is not None and before.kind in "d" or (before is not None and before.low in "%°"):
        return 0  # '15 -20', '5% -7%': a range
    if prev.low == "+" and _phone_after(toks, i):
        return 0
    if prev.low in "+−":
        return _SIGNS[prev.low]
    if before is None or before.kind == "n" or before.low in _BEFORE_SIGN:
        return -1
    if prev.low != "–" and _degrees_after(toks, i):
        return -1
    return 0


def _phone_after(toks: list[Tok], i: int) -> bool:
    """'+7 707 37 300 37', '+7(727)…': a country code, then more groups of digits."""
    if len(toks[i].low) > 3:
        return len(toks[i].low) >= 10  # '+77003159822'
    k = i + 1
    if at(toks, k) is not None and toks[k].kind == "s":
        k += 1
    nxt = at(toks, k)
    return nxt is not None and (nxt.low == "(" or (nxt.kind == "d" and k > i + 1 and len(nxt.low) >= 2
                                                   and at(toks, k + 1) is not None
                                                   and toks[k + 1].kind == "s"
                                                   and at(toks, k + 2) is not None
                                                   and toks[k + 2].kind == "d"))


def _degrees_after(toks: list[Tok], i: int) -> bool:
    """'-14°', '-5 градус', '-3,5°C': a temperature after the digits at i."""
    k = i + 1
    if at(toks, k) is not None and toks[k].low in ",." and at(toks, k + 1) is not None and \
            toks[k + 1].kind == "d":
        k += 2
    unit = read_unit(toks, k, counted=False)
    return unit is not None and unit.unit == "degree"


FIGURE_RUN = 8  # this many numbers in a row with no word among them: a table, not prose


def figure_runs(toks: list[Tok], text: str | None = None) -> list[tuple[int, int]]:
    """Token ranges that are tables of figures, not prose: FIGURE_RUN or more numbers with
    no word among them (a table pasted without its labels, or hostile input '1 1 1 …'),
    and widget lines (see _widget_line).  Nothing says what such figures count, so none is
    a quantity.  Linear: regexes over the string of token kinds."""
    kinds = "".join([t.kind for t in toks])
    if kinds.count("d") < 3:
        return []
    out = [m.span() for m in _NO_WORD.finditer(kinds) if m.group().count("d") >= FIGURE_RUN
           and len(_NUMBER.findall(m.group())) >= FIGURE_RUN]
    if text is not None:
        out += [m.span() for m in _LINE.finditer(kinds) if _widget_line(toks, text, *m.span())]
    return out


_NO_WORD = re.compile(r"[^w]+")  # over the token kinds: a stretch without a word
_NUMBER = re.compile(r"d(?:pd)?")  # one number: "5", "5,2" (a decimal is one number, not two)
_LINE = re.compile(r"[^n]+")


def _widget_line(toks: list[Tok], text: str, a: int, b: int) -> bool:
    """'Астана -14° Ақтөбе -12° Қостанай -18°', 'USD 470,5 EUR 510,2 RUB 5,1': a line of three
    or more figures whose words are all names, codes or labels (capitalised, none longer
    than a code in capitals) — a weather or rates widget, an index, not a sentence: a
    sentence has a lower-case word (its verb).  All-capitals headlines are sentences."""
    if b - a > _WIDGET_TOKENS or sum(1 for k in range(a, b) if toks[k].kind == "d") < 3:
        return False
    if toks[b - 1].end - toks[a].start > _WIDGET_CHARS:
        return False
    for k in range(a, min(b, a + 6)):  # 'Ауа райы: …', 'Бағам: …': a label before a colon
        if toks[k].low == ":":
            a = k + 1
            break
    for k in range(a, b):
        t = toks[k]
        if t.kind == "w":
            word = text[t.start:t.end]
            if word[0].islower() or (len(word) > 4 and word.isupper()):
                return False
    return True


_WIDGET_TOKENS = 120
_WIDGET_CHARS = 200


def excluded_digits(toks: list[Tok], i: int, text: str | None = None) -> bool:
    """Codes, times, phone numbers, list numbering, '№ 5', house numbers, widget cells,
    quoted names, outlet names."""
    prev, prev2 = at(toks, i - 1), at(toks, i - 2)
    nxt, nxt2 = at(toks, i + 1), at(toks, i + 2)
    if len(toks[i].low) > MAX_DIGITS:
        return True  # '201420152016…': years of an archive menu run together, a code
    if prev is not None and prev.kind == "w":
        return not _glued_typo(toks, i, text)  # 'COVID19', 'A320' ('ішінде13 млрд' is a typo)
    if prev is not None and prev.low in DASHES | {"/"} and prev2 is not None and prev2.kind in "wd":
        return True  # 'Су-30', '2017-2021' handled by dates, '1/2'
    if nxt is not None and nxt.low in DASHES and _hyphen_chain(toks, i):
        return True  # '«7-20-25» бағдарламасы', '14-03-2023': a name or a code, no range
    if prev is not None and prev.low in ":№#" or (prev2 is not None and prev2.low in "№#" and prev.kind == "s"):
        return True
    if prev is not None and prev.low == "+" and not sign(toks, i):
        return True
    if nxt is not None and nxt.low == ":" and nxt2 is not None and nxt2.kind == "d":
        return True  # 13:12 (scores are read before: see score())
    if nxt is not None and nxt.kind == "w" and not _unit_glued(nxt.low):
        return True  # '7kun', '5G', '3D'
    if nxt is not None and nxt.low == "." and nxt2 is not None and nxt2.kind == "w" and \
            nxt2.low in _domain_endings():
        return True  # '24.kz'
    if prev is not None and prev.low == "«" and nxt is not None and nxt.low == "»":
        return True  # '«102» телефоны': a name
    if prev is not None and prev.kind == "p" and prev.low in _CURRENCY_SIGNS and prev2 is not None and \
            (prev2.low == "/" or (prev2.kind == "s" and at(toks, i - 3) is not None and toks[i - 3].low == "/")):
        return True  # '378,79 теңге / $1': the base of a rate
    if _table_cell(toks, i) or _house_number(toks, i):
        return True
    before = prev if prev is None or prev.kind != "s" else prev2
    if before is not None and before.kind == "w" and before.low in _lists()["clock_words"] and not _counted(toks, i):
        return True  # 'сағат 12-де', 'сағат 12-00-де': a clock time (not '1 сағат 7 минут')
    if nxt is not None and nxt.low == ")" and before is not None and before.low in _LIST_OPENERS:
        return True  # 'Мақсаты: 1) …. 2) …': list numbering inside a line
    if before is None or before.kind == "n":  # at the start of a line
        if nxt is not None and nxt.low in ".)" and (nxt2 is None or nxt2.kind in "snw"):
            return True  # '1. ', '2) ', '1.Мемлекет'
        if nxt is not None and nxt.low == "." and nxt2 is not None and nxt2.kind == "d":
            after = at(toks, i + 3)
            if after is None or after.low == "." or after.kind == "n" or \
                    (after.kind == "s" and at(toks, i + 4) is not None and toks[i + 4].kind == "w"
                     and toks[i + 4].low not in scale_words() and read_unit(toks, i + 3) is None):
                return True  # section numbers '1.4.', '2.2 Салық кодексі'
    return False


_CURRENCY_SIGNS = {"$", "€", "₽", "₸", "¥"}
_LIST_OPENERS = {":", ".", ";", "!", "?"}  # what ends the text before a list item "2)"
MAX_DIGITS = 15  # an amount written in digits alone is at most a quadrillion


def _counted(toks: list[Tok], i: int) -> bool:
    """Is the word two tokens before the digits at i (a space between) itself counted by a
    number: '1 сағат 7 минут'?"""
    t = at(toks, i - 3)
    if t is not None and t.kind == "s":
        t = at(toks, i - 4)
    return t is not None and t.kind == "d"


def _hyphen_chain(toks: list[Tok], i: int) -> bool:
    """Three or more numbers joined by hyphens with no space ('7-20-25'): not a range."""
    for k in (i + 1, i + 3):
        dash, d = at(toks, k), at(toks, k + 1)
        if dash is None or d is None or dash.low not in DASHES or d.kind != "d":
            return False
    return True


def _glued_typo(toks: list[Tok], i: int, text: str | None) -> bool:
    """'ішінде13 млрд теңге': a lower-case word run into an amount (a lost space) — read the
    amount when a scale word or a currency follows; codes ('A320', 'COVID19') are capitals."""
    prev = toks[i - 1]
    if text is None or prev.end - prev.start < 3 or not text[prev.start:prev.end].islower():
        return False
    sp, w = at(toks, i + 1), at(toks, i + 2)
    if sp is None or w is None or sp.kind != "s" or w.kind != "w":
        return False
    if match_stem(w.low, scale_words()) is not None:
        return True
    unit = read_unit(toks, i + 1, counted=False)
    return unit is not None and unit.kind in ("currency", "percent")


def _unit_glued(word: str) -> bool:
    """'5км', '10млн', '3га': a scale or measure written against the digits."""
    if match_stem(word, scale_words()) is not None:
        return True
    unit = read_unit([Tok("s", 0, 0, " "), Tok("w", 0, 0, word)], 0, counted=False)
    return unit is not None


def _table_cell(toks: list[Tok], i: int) -> bool:
    """'| 0.00 | 0.00 |': a cell of a rates or weather widget pasted with the article."""
    k = i - 1
    while k >= 0 and toks[k].kind == "s":
        k -= 1
    if k < 0 or toks[k].low != "|":
        return False
    k = i + 1
    while k < len(toks) and k <= i + 4 and toks[k].kind != "s" and toks[k].low != "|" and toks[k].kind != "n":
        k += 1  # over '0.00', '-1,2'
    while k < len(toks) and toks[k].kind == "s":
        k += 1
    return k < len(toks) and toks[k].low in "|\n"


def _house_number(toks: list[Tok], i: int) -> bool:
    """'Абай көшесі, 7', 'Тұран даңғылы 12': a house number after a street."""
    k = i - 1
    if k >= 0 and toks[k].kind == "s":
        k -= 1
    if k >= 0 and toks[k].low == ",":
        k -= 1
        if k >= 0 and toks[k].kind == "s":
            k -= 1
    return k >= 0 and toks[k].kind == "w" and toks[k].low in _lists()["address_words"]


def is_time(toks: list[Tok], num: Number) -> bool:
    """'7.00-де', 'сағат 9.30': a time of day written with a dot."""
    i = num.i + num.signed
    if not num.decimal or toks[i + 1].low != "." or num.j < i + 3:
        return False
    hours, minutes = num.value // 1, toks[i + 2].low
    if len(minutes) != 2 or int(minutes) > 59 or hours > 24:
        return False
    prev = at(toks, i - 2)
    return bool(num.suffix) or (prev is not None and prev.low.startswith("сағат"))


def is_year(num: Number, unit: Unit | None) -> bool:
    return (unit is None and num.kind == "digits" and not num.decimal and not num.scaled
            and len(num.digits) == 4 and 1900 <= num.value <= 2100)


def score(toks: list[Tok], i: int) -> int | None:
    """'Есеп – 3:1', '4:4 есебімен': a match score (the first side's goals, unit 'score');
    returns the end index.  Without a word of score around it, N:M is a time."""
    a, colon, b = at(toks, i), at(toks, i + 1), at(toks, i + 2)
    if b is None or colon.low != ":" or b.kind != "d" or len(a.low) > 2 or len(b.low) > 2:
        return None
    nxt = at(toks, i + 3)
    if nxt is not None and (nxt.kind in "dw" or nxt.low == ":"):
        return None  # '12:30:15', '3:1a'
    words = tuple(_lists()["score_words"])
    after = at(toks, i + 4) if nxt is not None and nxt.kind == "s" else None
    if after is not None and after.kind == "w" and after.low.startswith(words):
        return i + 3
    k = i - 1  # 'Есеп – 3:1', 'есеппен 2:0'
    while k >= 0 and i - k <= 4 and (toks[k].kind == "s" or toks[k].low in DASHES | {":"}):
        k -= 1
    if k >= 0 and toks[k].kind == "w" and toks[k].low.startswith(words):
        return i + 3
    return None
