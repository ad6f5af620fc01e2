"""Kazakh numbers on the analysis view: digits, numeral words, scale words, case endings.

Everything works on a flat token list (`tokenize`) made by one linear regex, so no pattern
can backtrack over long digit/space runs: a number is read by walking tokens with bounded
look-ahead (at most `_MAX_GROUPS` thousands groups).  Language data lives in
derek/data/numerals.toml; this module only knows how the pieces combine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from derek.langdata import load_toml
from derek.morph import grammar

# digits | letters | horizontal space | newline | any other single character
_TOKEN = re.compile(r"(\d+)|([^\W\d_]+)|([^\S\n]+)|(\n)|(.)", re.S)
_KINDS = ("d", "w", "s", "n", "p")
_NUMBER_SPACES = {" ", "\u00a0", "\u202f", "\u2009"}
_MAX_GROUPS = 5  # 999 999 999 999 999 999: enough for any amount, bounds the look-ahead

# Kazakh inflection after a stem: plural? possessive? case?  (derivational suffixes such as
# -лық are deliberately absent: "айлық" is "monthly", not a form of "ай").  The endings come
# from derek/data/suffixes.toml through derek.morph.grammar, built once on first use.


@lru_cache(maxsize=1)
def _ending() -> re.Pattern:
    g = grammar
    plural = g.plural_endings()
    possessive = g.possessive_endings() + g.forms("COLL_POSS")
    case = g.case_endings() + g.chain_forms("LOC", "REL") + g.endings("TEMP", "SIM", "EQU", "SIM_ACC", "ABL_EMPH")
    return re.compile("".join(_group(xs) + "?" for xs in (plural, possessive, case)))


def _group(forms) -> str:
    return "(?:" + "|".join(map(re.escape, dict.fromkeys(forms))) + ")"


@lru_cache(maxsize=1)
def _ordinal() -> re.Pattern:
    return re.compile(_group(grammar.endings("ORD", "ORD_DIGITS")))


# Not frozen: a frozen dataclass's __init__ goes through object.__setattr__, and tokenize
# makes one per token of every article (frozen cost 40% of tokenize).  Nothing mutates a
# Tok; unsafe_hash keeps the field-based hash and equality a frozen one had.
@dataclass(slots=True, unsafe_hash=True)
class Tok:
    kind: str  # d digits, w word, s space, n newline, p punctuation/symbol
    start: int  # view offsets
    end: int
    low: str  # lower-cased text


def tokenize(text: str) -> list[Tok]:
    # _TOKEN's branches tile the text (the last takes any character) and are told apart by
    # their first character, so plain findall strings carry everything: offsets are running
    # sums, and kind and lower-case form are remembered per token text (one lookup)
    out = []
    append, memo = out.append, _TOKEN_MEMO
    pos = 0
    for g in _TOKEN_TEXT.findall(text):
        got = memo.get(g)
        if got is None:
            got = _token_facts(g)
            if len(g) <= 40:
                if len(memo) >= _LOWER_MAX:
                    memo.clear()
                memo[g] = got
        end = pos + len(g)
        append(Tok(got[0], pos, end, got[1]))
        pos = end
    return out


def view_tokens(view) -> tuple[Tok, ...]:
    """The token list of an analysis view (derek.text.view.TextView), made once per view:
    the dates and the quantities stages both walk it.  A tuple: it is shared, not to be changed."""
    return view.derived("numerals.tokens", _token_tuple)


def _token_tuple(text: str) -> tuple[Tok, ...]:
    return tuple(tokenize(text))


def _token_facts(g: str) -> tuple[str, str]:
    """(kind, lower-case form) of one token text."""
    return _KINDS[_TOKEN.match(g[0]).lastindex - 1], g.lower().replace("ё", "е")


_TOKEN_TEXT = re.compile(r"\d+|[^\W\d_]+|[^\S\n]+|\n|.", re.S)  # _TOKEN without groups

# token text -> (kind, lower-cased form); the same few thousand words recur in every article.
# Bounded: only short tokens, cleared when full, so a long batch of novel words cannot grow
# it without limit (≤ 100k entries of ≤ 40 chars).
_TOKEN_MEMO: dict[str, tuple[str, str]] = {}
_LOWER_MAX = 100_000


def is_ending(rest: str) -> bool:
    """True when `rest` is an inflectional ending (or empty)."""
    return _ending().fullmatch(rest) is not None


def is_ordinal_ending(rest: str) -> bool:
    return _ordinal().fullmatch(rest) is not None


def is_ablative(word: str) -> bool:
    return grammar.has_case(word, "ABL")


def is_dative(word: str) -> bool:
    return grammar.has_case(word, "DAT")


def match_stem(word: str, stems: dict[str, object]) -> tuple[str, str] | None:
    """Longest stem of `stems` that `word` starts with, followed by a valid ending.
    One-letter stems ("т", "м") must match the whole word."""
    if len(stems) <= 8 and id(stems) not in _LONG_LIVED:
        return _match_stem(word, stems)
    # long-lived tables (months, numerals, relative days) are asked about the same words in
    # every article: remember their answers, per table, bounded
    entry = _STEM_MEMO.get(id(stems))
    if entry is None or entry[0] is not stems:
        if len(_STEM_MEMO) >= _TABLES_MAX:  # a caller passing fresh big tables: stay bounded
            _STEM_MEMO.clear()
        entry = _STEM_MEMO[id(stems)] = (stems, {})
    memo = entry[1]
    if word in memo:
        return memo[word]
    if len(memo) > 50_000:
        memo.clear()
    got = memo[word] = _match_stem(word, stems)
    return got


_STEM_MEMO: dict[int, tuple[dict, dict]] = {}
_TABLES_MAX = 256  # distinct tables remembered (the language data has a few dozen)
# ids of small tables that live as long as the process (the lru_cached word lists below):
# remembered like the big ones; other small tables are dict literals made per call
_LONG_LIVED: set[int] = set()


def long_lived(table: dict) -> dict:
    """Mark a table that is never rebuilt, so match_stem remembers its answers."""
    _LONG_LIVED.add(id(table))
    return table


def _match_stem(word: str, stems: dict[str, object]) -> tuple[str, str] | None:
    for n in range(min(len(word), _longest(stems)), 0, -1):
        stem = word[:n]
        if stem in stems:
            rest = word[n:]
            if (n == 1 and rest) or not is_ending(rest):
                continue
            return stem, rest
    return None


# longest key per (long-lived, cached) table; small throw-away tables are measured each time
_LONGEST: dict[int, tuple[dict, int]] = {}


def _longest(stems: dict) -> int:
    if len(stems) <= 8:
        return max(map(len, stems), default=0)
    entry = _LONGEST.get(id(stems))
    if entry is None or entry[0] is not stems:
        if len(_LONGEST) >= _TABLES_MAX:
            _LONGEST.clear()
        entry = _LONGEST[id(stems)] = (stems, max(map(len, stems), default=0))
    return entry[1]


@lru_cache(maxsize=None)
def numeral_words() -> dict[str, float]:
    data = load_toml("numerals.toml")
    out: dict[str, float] = {}
    for table in ("units", "tens", "hundred"):
        out.update(data[table])
    return out


@lru_cache(maxsize=None)
def scale_words() -> dict[str, float]:
    return long_lived(dict(load_toml("numerals.toml")["scales"]))


@lru_cache(maxsize=None)
def collective_words() -> dict[str, float]:
    return long_lived(dict(load_toml("numerals.toml")["collectives"]))


@lru_cache(maxsize=None)
def _pronoun_forms() -> frozenset[str]:
    return frozenset(load_toml("numerals.toml")["pronoun_forms"]["words"])


@lru_cache(maxsize=None)
def half_words() -> dict[str, float]:
    return long_lived(dict(load_toml("numerals.toml")["halves"]))


@dataclass
class Number:
    i: int  # first token index
    j: int  # one past the last token index
    value: float
    kind: str  # digits | words
    suffix: str = ""  # case/possessive ending on the last piece ("нан" in "90-нан")
    scaled: bool = False
    digits: str = ""  # the raw integer digits (for year/phone checks)
    scale: float = 1.0  # the scale word's factor ('млрд' -> 1e9), shared with a range's low end
    decimal: bool = False
    signed: bool = False  # '+7,4%': the sign token is num.i


def _peek(toks: list[Tok], k: int) -> Tok | None:
    return toks[k] if 0 <= k < len(toks) else None


def read_digits(toks: list[Tok], i: int, *, stray_decimal: bool = False) -> Number | None:
    """Digits at token i: '365 502', '1 234,5', '1,5', '1.5', with '-нан' or a scale word after."""
    t = toks[i]
    if t.kind != "d":
        return None
    int_part = t.low
    k = i + 1
    # thousands groups separated by a single (no-break) space: 30 000, 365 502
    if len(t.low) <= 3:
        groups = 0
        while groups < _MAX_GROUPS:
            sp, g = _peek(toks, k), _peek(toks, k + 1)
            if not (sp and g and sp.kind == "s" and sp.low in _NUMBER_SPACES and g.kind == "d"
                    and len(g.low) == 3):
                break
            int_part += g.low
            k += 2
            groups += 1
    frac = ""
    p, d = _peek(toks, k), _peek(toks, k + 1)
    if p and d and p.kind == "p" and p.low in ",." and d.kind == "d":
        nxt = _peek(toks, k + 2)
        dotted_thousands = p.low == "." and len(d.low) == 3 and nxt and nxt.low == "."
        if not dotted_thousands and not (nxt and nxt.kind == "p" and nxt.low in ".:" and
                                         _peek(toks, k + 3) and toks[k + 3].kind == "d"):
            frac = d.low
            k += 2
    elif stray_decimal and p and p.low == "," and d and d.kind == "s" and d.low == " ":
        # '536, 88': an exchange rate typed with a stray space (rate contexts only)
        dd = _peek(toks, k + 2)
        if dd and dd.kind == "d" and len(dd.low) == 2:
            after = _peek(toks, k + 3)
            if not (after and after.kind == "p" and after.low in ",." and _peek(toks, k + 4)
                    and toks[k + 4].kind == "d"):
                frac = dd.low
                k += 3
    value = float(int_part + ("." + frac if frac else ""))
    num = Number(i, k, value, "digits", digits=int_part, decimal=bool(frac))
    _read_suffix(toks, num)
    _read_scale(toks, num)
    return num


def _read_suffix(toks: list[Tok], num: Number) -> None:
    """'-нан', '-і', '-ға' after a number (hyphenated), kept as the number's ending."""
    h, w = _peek(toks, num.j), _peek(toks, num.j + 1)
    if h and w and h.low in "-‑" and w.kind == "w" and is_ending(w.low):
        num.suffix = w.low
        num.j += 2


def times_scale(value: float, scale: float) -> float:
    """value × scale without binary noise: '4,1 млрд' is 4100000000, not 4099999999.9999995
    (12 significant digits: more than any amount written with a scale word holds)."""
    return float(f"{value * scale:.12g}")


def _read_scale(toks: list[Tok], num: Number) -> None:
    """'30 млрд', '23 мыңнан', '10 млн-нан', '1,6 миллион' (one scale word; 'мың' may follow
    a larger one only in words)."""
    if num.suffix:
        return
    sp, w = _peek(toks, num.j), _peek(toks, num.j + 1)
    if not (sp and w and sp.kind == "s" and w.kind == "w"):
        return
    m = match_stem(w.low, scale_words())
    if m is None:
        return
    stem, rest = m
    num.scale = scale_words()[stem]
    num.value = times_scale(num.value, num.scale)
    num.scaled = True
    num.j += 2
    num.suffix = rest
    _abbreviation_dot(toks, num, stem)
    # compound amounts: '3 млн 215 мың тонна', '1 триллион 852 миллиард', '77 млн 800 мың'
    while not num.suffix:
        sp, d, sp2, w2 = (_peek(toks, num.j + n) for n in range(4))
        if not (sp and d and sp2 and w2 and sp.kind == "s" and d.kind == "d" and len(d.low) <= 3
                and sp2.kind == "s" and w2.kind == "w"):
            break
        m2 = match_stem(w2.low, scale_words())
        if m2 is None or scale_words()[m2[0]] >= num.scale:
            break
        num.scale = scale_words()[m2[0]]
        num.value += int(d.low) * num.scale
        num.j += 4
        num.suffix = m2[1]
        _abbreviation_dot(toks, num, m2[0])
    if not num.suffix and num.scale == 1000:
        _read_units_after_thousands(toks, num)
    _read_suffix(toks, num)


def _read_units_after_thousands(toks: list[Tok], num: Number) -> None:
    """'5 мың 800 рубль' (5 800), '3 млн 215 мың 400 тонна': a bare number of up to three
    digits right after 'мың' is its units, unless a decimal part or a scale word follows it
    (then it is a number of its own: '5 мың, 800', '5 мың 800 млн')."""
    sp, d, after = _peek(toks, num.j), _peek(toks, num.j + 1), _peek(toks, num.j + 2)
    if not (sp and d and sp.kind == "s" and sp.low == " " and d.kind == "d" and len(d.low) <= 3):
        return
    if after and after.kind == "p" and after.low in ",." and (_peek(toks, num.j + 3) or after).kind == "d":
        return
    word = _peek(toks, num.j + 3)
    if after and after.kind == "s" and word and word.kind == "w" and match_stem(word.low, scale_words()):
        return
    num.value += int(d.low)
    num.j += 2


def _abbreviation_dot(toks: list[Tok], num: Number, stem: str) -> None:
    """'млн.' / 'mlrd.': the abbreviation's dot joins the number when a word or a number
    follows ('3 млн. тонна', '5 млрд. 200 млн')."""
    dot = _peek(toks, num.j)
    if not num.suffix and dot and dot.low == "." and stem in _ABBREVIATED:
        nxt, after = _peek(toks, num.j + 1), _peek(toks, num.j + 2)
        if nxt and nxt.kind == "s" and after and after.kind in "wd":
            num.j += 1


_ABBREVIATED = ("млн", "млрд", "трлн")


def read_words(toks: list[Tok], i: int, *, scaled: bool = True) -> Number | None:
    """Numeral words at token i: 'екі жүз он бес мың', 'бір жарым', 'үшеуінде'.
    Every piece but the last must be bare (numerals before a noun do not inflect).
    scaled=False stops before a scale word (a decimal's fraction: the scale is the whole's)."""
    nums, scales, halves = numeral_words(), scale_words(), half_words()
    if toks[i].low in _pronoun_forms():
        return None  # 'оның' (its), 'онда' (there): 'ол', not 'он'
    total = current = 0.0
    k = i
    last_suffix = ""
    pieces = 0
    while True:
        t = _peek(toks, k)
        if not t or t.kind != "w":
            break
        word = t.low
        stem, rest = word, ""
        if word not in nums and word not in scales and word not in halves:
            m = match_stem(word, nums) or match_stem(word, scales) or match_stem(word, halves)
            if m is None:
                break
            stem, rest = m
        if stem in scales:
            if not scaled:
                k -= 1 if pieces else 0  # end before the space this word follows
                break
            if pieces == 0 and stem in _ABBREVIATED:
                break  # a lone 'млрд' whose digits were not read ('ішінде13 млрд'): no number
            total += times_scale(current or 1.0, scales[stem])
            current = 0.0
        elif stem in halves:
            if pieces == 0 and stem == "жарым":
                break
            current += halves[stem]
        elif stem == "жүз":
            current = (current or 1.0) * 100
        else:
            small, value = current % 100, nums[stem]
            if pieces and ((value < 10 and small % 10) or (10 <= value < 100 and small)):
                break  # 'бес алты', 'бес он' are lists, not one number
            current += value
        pieces += 1
        k += 1
        if rest:
            last_suffix = rest
            break
        sp, nxt = _peek(toks, k), _peek(toks, k + 1)
        if not (sp and nxt and sp.kind == "s" and nxt.kind == "w"):
            break
        k += 1
        if not _is_numeral_word(nxt.low):
            k -= 1
            break
    if pieces == 0:
        coll = match_stem(toks[i].low, collective_words()) if toks[i].kind == "w" else None
        if coll:
            # the suffix keeps the collective marker 'еу' so callers can tell 'үшеуі' from 'үші'
            return Number(i, i + 1, float(collective_words()[coll[0]]), "words", suffix="еу" + coll[1])
        return None
    num = Number(i, k, total + current, "words", suffix=last_suffix,
                 scaled=any(match_stem(toks[x].low, scales) for x in range(i, k) if toks[x].kind == "w"))
    if not last_suffix and toks[k - 1].low in _ABBREVIATED:
        _abbreviation_dot(toks, num, toks[k - 1].low)  # 'үш млн. тонна' as '3 млн. тонна'
    if not last_suffix:
        _read_decimal_words(toks, num)
    return num


def _read_decimal_words(toks: list[Tok], num: Number) -> None:
    """'он екі бүтін бес' (12.5), 'он екі бүтін оннан бес' (12 and five tenths), 'үш бүтін
    жүзден жиырма бес' (3.25): 'бүтін' (whole) ends the integer part; the fraction is read
    in words after it, over a denominator in the ablative ('оннан', 'жүзден', 'мыңнан') or,
    without one, over the power of ten its digits need (бес -> 0.5, жиырма бес -> 0.25)."""
    sp, word = _peek(toks, num.j), _peek(toks, num.j + 1)
    if not (sp and word and sp.kind == "s" and word.low == _WHOLE):
        return
    k = num.j + 2
    denominator = None
    sp, w = _peek(toks, k), _peek(toks, k + 1)
    if sp and w and sp.kind == "s" and w.kind == "w":
        m = match_stem(w.low, _DENOMINATORS)
        if m is not None and m[1] in grammar.forms("ABL"):
            denominator = _DENOMINATORS[m[0]]
            k += 2
    sp = _peek(toks, k)
    if not (sp and sp.kind == "s") or k + 1 >= len(toks) or toks[k + 1].low in _pronoun_forms():
        return
    frac = read_words(toks, k + 1, scaled=False)
    if frac is None or frac.value != int(frac.value) or frac.value <= 0:
        return
    digits = len(str(int(frac.value)))
    denominator = denominator or 10 ** digits
    if frac.value >= denominator:
        return
    num.value += frac.value / denominator
    num.j, num.suffix, num.decimal = frac.j, frac.suffix, True
    if not num.scaled:  # 'екі бүтін үш миллиард': the scale multiplies the whole number
        _read_scale(toks, num)


_WHOLE = "бүтін"
_DENOMINATORS = {"он": 10, "жүз": 100, "мың": 1000}


def _is_numeral_word(word: str) -> bool:
    for table in (numeral_words(), scale_words(), half_words()):
        if word in table or match_stem(word, table):
            return True
    return False
