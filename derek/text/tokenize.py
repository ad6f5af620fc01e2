"""Tokenizer and sentence splitter for Kazakh news, run on the analysis view.

One master regular expression finds the tokens (so the work is linear and mostly in C);
a single pass over the tokens then glues stray-space decimals and finds sentence ends.
Conventions follow KazNERD where it matters for the NER model: a word keeps its suffixes
("Қазақстанның", "АҚШ-та"), a number keeps a hyphenated suffix ("90-нан", "2023-жылы"),
"%" is its own token ("15", "%-ға"), punctuation is separate.  Unlike KazNERD a decimal
("549,07"), a spaced thousand ("365 502"), a time ("13:12"), a URL/e-mail/domain
("Zakon.kz"), a dotted abbreviation ("т.б.", "ж.") and an initial ("А.") are one token each,
because later stages read them as units.  Rules and examples: docs/text.md and
tests/data/tokenizer_cases.tsv.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from derek.text.alphabet import UPPER_CLASS
from derek.text.web import tld_pattern

_UP = UPPER_CLASS
_L = r"[^\W\d_]"
_SPACE_GROUP = "[ \u00a0\u202f\u2009]"
_CLOSERS = set("»”’\")]}›")
_OPENERS = set("«“„‘([{‹\"")
_TERMINAL = re.compile(r"[.!?…]+$")


@dataclass(slots=True)
class Tok:
    start: int  # view offsets
    end: int
    kind: str


@lru_cache(maxsize=None)
def _abbreviations() -> dict:
    from derek.langdata import load_toml

    return load_toml("abbreviations.toml")


@lru_cache(maxsize=None)
def _master() -> re.Pattern:
    ab = _abbreviations()
    dotted = sorted(set(ab["dotted"]) | set(ab["dotted_final"]), key=len, reverse=True)
    dotted_alt = "|".join(re.escape(d) for d in dotted)
    tld = tld_pattern()  # derek/data/web.toml
    url_tail = r"[^\s<>«»\"“”]*[^\s<>«»\"“”.,;:!?)\]}'’]"
    word = rf"{_L}[\w\u0300-\u036f]*(?:[-'’ʼ](?=[^\W_])[\w\u0300-\u036f]+)*"
    # Leading whitespace is eaten inside the match (one match per token), and the common
    # case comes first: a word not followed by "." "@" "://" (those may be part of an
    # abbreviation, initial, domain or e-mail and go through the slower alternatives).
    # "\s*+" never gives back whitespace, and a bare whitespace run (text ending in spaces or
    # newlines) is matched by the last alternative: otherwise a long blank tail would be
    # rescanned from every position (quadratic)
    pattern = r"\s*+(?:" + "|".join([
        rf"(?P<fastword>(?>{word}))(?![.@]|://)",  # atomic: no backing off
        rf"(?P<time>(?<![\d.,:])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?![\d:])(?:-{_L}+)?)",
        rf"(?P<number>(?:(?<![\d.,])\d{{1,3}}(?:{_SPACE_GROUP}\d{{3}})+(?![\d])(?:,\d+)?"
        rf"|\d+(?:[.,]\d+)*)(?:-{_L}+)?)",
        r"(?P<quote>[«»“”„‟\"‘’‚‹›'`])",
        r"(?P<dash>[‐‑‒–—―]+|-+)",
        r"(?P<punct>\.\.\.|[.!?]+|…|[,;:()\[\]{}/\\|])",
        rf"(?P<url>(?:https?|ftp)://{url_tail}|www\.{url_tail}"
        rf"|(?<![\w.@])[^\W_][\w-]*(?:\.[\w-]+)*\.{tld}(?![\w]))",
        r"(?P<email>(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,})",
        rf"(?P<abbr>(?<!{_L})(?:{dotted_alt})(?!{_L})|(?<!{_L})[{_UP}]\.(?=[ \u00a0]?[{_UP}]))",
        rf"(?P<word>{word})",
        r"(?P<symbol>[%‰№§$€£₸°](?:-[^\W\d_]+)?)",
        r"(?P<other>\S)",
    ]) + r")|\s+"
    return re.compile(pattern)


@lru_cache(maxsize=None)
def _word_sets() -> tuple[frozenset, frozenset, frozenset, frozenset]:
    ab = _abbreviations()
    return (frozenset(ab["plain"]), frozenset(ab["dotted_final"]),
            frozenset(ab["stray_decimal"]["units"]), frozenset(ab["stray_decimal"]["rate_words"]))


@lru_cache(maxsize=None)
def qualifying_abbreviations() -> frozenset[str]:
    """Dotted abbreviations that never end a sentence ("доц.", "т.ғ.к.", "обл."): what they
    qualify follows them."""
    return frozenset(_abbreviations()["dotted"])


_CAPS_ABBR = re.compile(rf"[{_UP}]{{2,4}}")


def tokenize(text: str) -> list[Tok]:
    """Tokens of `text` (view offsets) with their kind."""
    plain, _, _, _ = _word_sets()
    toks: list[Tok] = []
    append = toks.append
    for m in _master().finditer(text):
        group = kind = m.lastgroup
        if kind is None:
            continue  # whitespace at the end of the text
        if kind == "fastword" or kind == "word":
            kind = "word"
            w = m.group(group)
            if w[0].isupper() or w in plain:
                base = w.split("-", 1)[0]
                if base in plain or w in plain or (base.isupper() and _CAPS_ABBR.fullmatch(base)):
                    kind = "abbr"
        elif kind == "other":
            kind = "symbol"
        append(Tok(m.start(group), m.end(), kind))
    return _glue_stray_decimals(text, toks)


_STRAY = re.compile(r"\d, \d")


def _glue_stray_decimals(text: str, toks: list[Tok]) -> list[Tok]:
    """'536, 88' -> one number token, under the conditions of abbreviations.toml.  Only the
    places where the text has "digit, digit" are examined."""
    hits = [m.start() + 1 for m in _STRAY.finditer(text)]  # offsets of the commas
    if not hits:
        return toks
    _, _, units, rates = _word_sets()
    starts = [t.start for t in toks]
    glue = []
    for comma in hits:
        i = bisect_left(starts, comma) - 1  # the token before the comma
        if (i >= 0 and i + 2 < len(toks) and toks[i].kind == "number" and toks[i].end == comma
                and toks[i + 1].start == comma and toks[i + 2].kind == "number"
                and _stray_ok(text, toks, i, units, rates)):
            glue.append(i)
    if not glue:
        return toks
    for i in reversed(glue):
        toks[i:i + 3] = [Tok(toks[i].start, toks[i + 2].end, "number")]
    return toks


def _stray_ok(text: str, toks: list[Tok], i: int, units, rates) -> bool:
    left = text[toks[i].start:toks[i].end]
    right = text[toks[i + 2].start:toks[i + 2].end]
    if not (left.isdigit() and len(left) <= 4 and right.isdigit() and len(right) == 2):
        return False
    # a list: "3, 5, 88" or "5, 10 және 15"
    if i >= 2 and text[toks[i - 1].start:toks[i - 1].end] == "," and toks[i - 2].kind == "number":
        return False
    after = [text[t.start:t.end] for t in toks[i + 3:i + 5]]
    if after and after[0] in (",", "және", "мен", "-", "–", "—") and len(after) > 1 \
            and toks[i + 4].kind == "number":
        return False
    if after and after[0].lower() in units:
        return True
    before = [text[t.start:t.end].lower() for t in toks[max(0, i - 3):i]]
    return any(w in rates for w in before)


def _is_closer(text: str, toks: list[Tok], j: int) -> bool:
    """A closing quote or bracket; a straight quote closes when it touches the previous token."""
    t = toks[j]
    c = text[t.start]
    if c in "»”’›)]}":
        return True
    if c in "\"'" and j > 0:
        return toks[j - 1].end == t.start
    return False


def _starts_sentence(text: str, toks: list[Tok], j: int) -> bool:
    """Does token j look like the first token of a sentence?"""
    t = toks[j]
    c = text[t.start]
    if c.isupper() or c.isdigit():
        return True
    if (c in _OPENERS and not _is_closer(text, toks, j)) or t.kind == "dash":
        # «Бұл …  /  – Біз …  : look at the first word inside
        k = j + 1
        while k < len(toks) and toks[k].kind in ("quote", "dash", "punct") and k - j < 3:
            k += 1
        if k < len(toks):
            c2 = text[toks[k].start]
            return c2.isupper() or c2.isdigit()
    return False


def _glued_sentence_start(text: str, toks: list[Tok], i: int) -> bool:
    """A full stop with no space after it ("аяқталды.Келесі", text pasted from a web page) ends
    a sentence when a lower-case word of three letters or more touches it before and a
    capitalised word (not one in capitals, not a name part followed by another stop: "Gov.kz")
    after.  Initials ("Қ.Жұмабеков") and site names ("Egemen.kz") stay whole."""
    prev, nxt = toks[i - 1], toks[i + 1]
    if text[toks[i].start] != "." or prev.kind != "word" or nxt.kind != "word" or prev.end != toks[i].start:
        return False
    before, after = text[prev.start:prev.end], text[nxt.start:nxt.end]
    if len(before) < 3 or not before.isalpha() or not before.islower():
        return False
    if len(after) < 2 or not after[0].isupper() or not after[1].islower():
        return False
    return not (i + 2 < len(toks) and toks[i + 2].start == nxt.end and text[toks[i + 2].start] == ".")


_LINE_BREAK = re.compile("[\n\r\u2028\u2029]+")
_STOP_CHARS = frozenset(".!?…")


def split_sentences(text: str, toks: list[Tok]) -> list[tuple[int, int]]:
    """(first token index, last token index + 1) of each sentence.  A line break always ends a
    sentence (headlines, bylines have no final stop); a stop ends one when the next token
    looks like a sentence start (capital, digit, opening quote or dash before a capital), or
    with no space, between a lower-case word and a capitalised one (`_glued_sentence_start`).
    Only line breaks and stop tokens are examined, not every token."""
    n = len(toks)
    if not n:
        return []
    _, final, _, _ = _word_sets()
    starts = [t.start for t in toks]
    ends: set[int] = set()  # i: a sentence ends after token i
    for m in _LINE_BREAK.finditer(text):
        j = bisect_left(starts, m.start())
        if 0 < j < n:
            ends.add(j - 1)
    stops = [i for i, t in enumerate(toks)
             if (t.kind == "punct" and text[t.start] in _STOP_CHARS) or t.kind == "abbr"]
    cut = sorted(ends)
    bounds: list[tuple[int, int]] = []
    first = 0
    ci = 0  # next line-break end in `cut`
    for i in stops:
        # flush the line-break ends that come before this stop
        while ci < len(cut) and cut[ci] < i:
            bounds.append((first, cut[ci] + 1))
            first = cut[ci] + 1
            ci += 1
        if i < first or i in ends:
            continue
        t = toks[i]
        if t.kind == "abbr":
            if text[t.start:t.end] not in final or i + 1 >= n or not text[toks[i + 1].start].isupper():
                continue  # "т.б. Келесі" ends, "ж. 5 қараша", "А. Әлназарова" do not
        elif not _TERMINAL.match(text, t.start, t.end):
            continue
        elif i - first == 1 and toks[first].kind == "number":
            continue  # "1. Бірінші": a list number is not a sentence
        # closing quotes / brackets that touch the stop belong to this sentence
        j = i
        while j + 1 < n and j not in ends and toks[j + 1].start == toks[j].end and _is_closer(text, toks, j + 1):
            j += 1
        if j in ends or j + 1 >= n:
            continue
        if (toks[j + 1].start > toks[j].end and _starts_sentence(text, toks, j + 1)) or \
                (j == i and i > first and _glued_sentence_start(text, toks, i)):
            bounds.append((first, j + 1))
            first = j + 1
    while ci < len(cut):
        if cut[ci] >= first:
            bounds.append((first, cut[ci] + 1))
            first = cut[ci] + 1
        ci += 1
    if first < n:
        bounds.append((first, n))
    return bounds
