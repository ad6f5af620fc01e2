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
from dataclasses import dataclass
from functools import lru_cache

_UP = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
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
    tld = r"(?:kz|ru|com|org|net|info|gov|edu|uz|kg|tv|io|me|news|қаз|рф)"
    url_tail = r"[^\s<>«»\"“”]*[^\s<>«»\"“”.,;:!?)\]}'’]"
    word = rf"{_L}[\w\u0300-\u036f]*(?:[-'’ʼ](?=[^\W_])[\w\u0300-\u036f]+)*"
    # Leading whitespace is eaten inside the match (one match per token), and the common
    # case comes first: a word not followed by "." "@" "://" (those may be part of an
    # abbreviation, initial, domain or e-mail and go through the slower alternatives).
    pattern = r"\s*(?:" + "|".join([
        rf"(?P<fastword>(?>{word}))(?![.@]|://)",  # atomic: no backing off
        rf"(?P<time>(?<![\d.,:])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?![\d:])(?:-{_L}+)?)",
        rf"(?P<number>(?:(?<![\d.,])\d{{1,3}}(?:{_SPACE_GROUP}\d{{3}})+(?![\d])(?:,\d+)?"
        rf"|\d+(?:[.,]\d+)*)(?:-{_L}+)?)",
        r"(?P<quote>[«»“”„‟\"‘’‚‹›'`])",
        r"(?P<dash>[‐‑‒–—―]+|-+)",
        r"(?P<punct>\.\.\.|[.!?]+|…|[,;:()\[\]{}/\\|])",
        rf"(?P<url>(?:https?|ftp)://{url_tail}|www\.{url_tail}"
        rf"|(?<![\w.@])[^\W_][\w-]*(?:\.[\w-]+)*\.(?i:{tld})(?![\w]))",
        r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,})",
        rf"(?P<abbr>(?<!{_L})(?:{dotted_alt})(?!{_L})|(?<!{_L})[{_UP}]\.(?=[ \u00a0]?[{_UP}]))",
        rf"(?P<word>{word})",
        r"(?P<symbol>[%‰№§$€£₸°](?:-[^\W\d_]+)?)",
        r"(?P<other>\S)",
    ]) + ")"
    return re.compile(pattern)


@lru_cache(maxsize=None)
def _word_sets() -> tuple[frozenset, frozenset, frozenset, frozenset]:
    ab = _abbreviations()
    return (frozenset(ab["plain"]), frozenset(ab["dotted_final"]),
            frozenset(ab["stray_decimal"]["units"]), frozenset(ab["stray_decimal"]["rate_words"]))


_CAPS_ABBR = re.compile(rf"[{_UP}]{{2,4}}")


def tokenize(text: str) -> list[Tok]:
    """Tokens of `text` (view offsets) with their kind."""
    plain, _, _, _ = _word_sets()
    toks: list[Tok] = []
    append = toks.append
    for m in _master().finditer(text):
        group = kind = m.lastgroup
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


def _glue_stray_decimals(text: str, toks: list[Tok]) -> list[Tok]:
    """'536, 88' -> one number token, under the conditions of abbreviations.toml."""
    if ", " not in text:
        return toks
    _, _, units, rates = _word_sets()
    out: list[Tok] = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if (t.kind == "number" and i + 2 < n and toks[i + 1].end - toks[i + 1].start == 1
                and text[toks[i + 1].start] == "," and toks[i + 2].kind == "number"
                and toks[i + 1].start == t.end and text[toks[i + 1].end:toks[i + 2].start] == " "
                and _stray_ok(text, toks, i, units, rates)):
            out.append(Tok(t.start, toks[i + 2].end, "number"))
            i += 3
            continue
        out.append(t)
        i += 1
    return out


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


def split_sentences(text: str, toks: list[Tok]) -> list[tuple[int, int]]:
    """(first token index, last token index + 1) of each sentence.  A line break always ends a
    sentence (headlines, bylines have no final stop); a stop ends one when the next token
    looks like a sentence start (capital, digit, opening quote or dash before a capital)."""
    _, final, _, _ = _word_sets()
    bounds: list[tuple[int, int]] = []
    n = len(toks)
    first = 0
    last_terminal = False  # the previous non-closer token ended the sentence (. ! ? … т.б.)
    for i in range(n):
        t = toks[i]
        if i + 1 == n:
            bounds.append((first, n))
            break
        nxt = toks[i + 1]
        gap = text[t.end:nxt.start]
        if "\n" in gap or "\r" in gap or "\u2029" in gap or "\u2028" in gap:
            bounds.append((first, i + 1))
            first = i + 1
            last_terminal = False
            continue
        kind = t.kind
        if kind == "punct" and _TERMINAL.match(text, t.start, t.end):
            # "1. Бірінші" — a list number is not a sentence
            last_terminal = not (i - first == 1 and toks[first].kind == "number")
        elif kind == "abbr" and text[t.start:t.end] in final:
            # "т.б. Келесі" ends, "б.з.б. 500 жыл" does not: only a capital follows an end
            last_terminal = text[nxt.start].isupper()
        elif not ((kind == "quote" or kind == "punct") and _is_closer(text, toks, i)):
            last_terminal = False
        if last_terminal and gap and _starts_sentence(text, toks, i + 1):
            bounds.append((first, i + 1))
            first = i + 1
            last_terminal = False
    return bounds
