"""Units and counted nouns after a number ('теңгеден', 'АҚШ доллары', '%-ға', 'шаршы метрді',
'компаниясы'), read from derek/data/units.toml."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from derek.extract.numerals import Tok, is_ending, match_stem
from derek.langdata import load_toml
from derek.morph import grammar
from derek.morph.lemmatizer import best_analysis

# derivations that make an adjective of a noun ('қазақстандық', 'жылғы', 'жақты'): after a
# numeral they make a compound adjective ('екі жақты' bilateral, 'бес жылдық' five-year), not a
# count of that noun; with the locative's -дағы ('облыстағы') they are the adjectives that may
# stand between a number and its noun ('42 мың қазақстандық компания')
_COMPOUND_ADJECTIVE = grammar.adjective_endings("derived", "having")
_ADJECTIVE_ENDINGS = _COMPOUND_ADJECTIVE + grammar.chain_forms("LOC", "REL")
# participles, converbs, the intention form: 'екі еселенген', 'үш жүріп' are verbs, not counted nouns
_VERB_FORMS = grammar.verb_form_endings("past_participle", "converb", "habitual_participle", "intention")
# ordinals: 'мыңыншы' is no counted noun
_ORDINAL = grammar.endings("ORD", min_len=3)
# the words of a per cent ('пайыз', 'процент': units.toml [percent])
_PERCENT_WORDS = tuple(k for k, unit in load_toml("units.toml")["percent"].items() if unit == "%" and k.isalpha())


@dataclass
class Unit:
    j: int  # one past the last token of the unit
    unit: str
    kind: str  # currency | percent | measure | counted
    last: str  # last word/suffix (for case checks: ablative before 'асты', dative before 'дейін')
    stem: str = ""


@lru_cache(maxsize=None)
def _tables() -> tuple[dict[str, tuple[str, str]], list[tuple[tuple[str, ...], str, str]], dict[str, str]]:
    data = load_toml("units.toml")
    singles: dict[str, tuple[str, str]] = {}
    multis: list[tuple[tuple[str, ...], str, str]] = []
    for kind in ("currency", "percent", "measure", "counted"):
        for key, unit in data[kind].items():
            words = tuple(key.split())
            if len(words) == 1:
                singles[key] = (unit, kind)
            else:
                multis.append((words, unit, kind))
    multis.sort(key=lambda m: -len(m[0]))
    # a Latin article's view reads "баррел", "рубл", "протсент" (translit.VIEW_SPELLING):
    # each unit word is known in that spelling too
    from derek.text.translit import view_spelling

    for key in list(singles):
        singles.setdefault(view_spelling(key), singles[key])
    return singles, multis, dict(data["symbols"])


@lru_cache(maxsize=None)
def fixed_phrases() -> frozenset[str]:
    return frozenset(load_toml("units.toml")["fixed_phrases"]["phrases"])


def _at(toks: list[Tok], k: int) -> Tok | None:
    return toks[k] if 0 <= k < len(toks) else None


def _word_after(toks: list[Tok], k: int) -> int | None:
    """Index of the word right after position k (exactly one horizontal space between)."""
    sp, w = _at(toks, k), _at(toks, k + 1)
    if sp is not None and sp.kind == "s" and w is not None and w.kind == "w":
        return k + 1
    return None


def read_unit(toks: list[Tok], k: int, *, counted: bool = True) -> Unit | None:
    """The unit starting right after position k (a symbol, or a word after one space)."""
    singles, multis, symbols = _tables()
    t = _at(toks, k)
    if t is None:
        return None
    if t.kind == "s" and _at(toks, k + 1) is not None and toks[k + 1].kind == "p" and \
            toks[k + 1].low in symbols and t.low != "\n":
        k, t = k + 1, toks[k + 1]
    if t.kind == "p" and t.low in symbols:
        return _after_symbol(toks, k, symbols[t.low])
    w = _word_after(toks, k)
    if w is None:
        return None
    # 'п.т.': an abbreviation written with dots
    dotted = _dotted(toks, w, singles)
    if dotted is not None:
        return dotted
    # 'м/с', 'км/сағ', 'ц/га'
    sl, w2 = _at(toks, w + 1), _at(toks, w + 2)
    if sl is not None and sl.low == "/" and w2 is not None and w2.kind == "w":
        key = f"{toks[w].low}/{w2.low}"
        if key in singles:
            unit, kind = singles[key]
            return Unit(w + 3, unit, kind, w2.low, key)
    # every multi-word unit starts with its exact first word: test that once, not per unit
    for words, unit, kind in multis if toks[w].low in _multi_first_words() else ():
        end = _match_words(toks, w, words)
        if end is not None and (counted or kind != "counted"):
            return Unit(end, unit, kind, toks[end - 1].low, " ".join(words))
    m = match_stem(toks[w].low, singles)
    if m is not None:
        unit, kind = singles[m[0]]
        if counted or kind != "counted":
            j = w + 1
            j, last = _hyphen_ending(toks, j, m[1] or toks[w].low)
            return Unit(j, unit, kind, last, m[0])
    if counted and is_adjective(toks[w].low) and not toks[w].low.startswith(_PERCENT_WORDS) \
            and not _compound_adjective(toks[w].low, singles):
        inner = read_unit(toks, w + 1, counted=True)
        if inner is not None and inner.kind == "counted":
            return inner
    return None


def age(toks: list[Tok], k: int, value: float) -> Unit | None:
    """'19 жастағы', '63 жастан', '18 жасқа толмаған', '3-6 жас аралығындағы' after a number
    (`value`: its largest): an age in years (units.toml [age]), not the adjective 'жас'
    (young) nor young people counted."""
    table = _age()
    w = _word_after(toks, k)
    if w is None or value > table["max"] or not toks[w].low.startswith(table["stem"]):
        return None
    ending = toks[w].low[len(table["stem"]):]
    if ending not in table["endings"]:
        nxt = _word_after(toks, w + 1)
        if ending not in table["endings_before"] or nxt is None or \
                not toks[nxt].low.startswith(tuple(table["before_stems"])):
            return None
    return Unit(w + 1, table["unit"], "measure", toks[w].low, table["stem"])


@lru_cache(maxsize=1)
def _age() -> dict:
    return load_toml("units.toml")["age"]


def is_adjective(word: str) -> bool:
    """An adjective that may stand between a number and its noun: derived ('қазақстандық',
    'облыстағы') or one of the common plain ones ('ірі', 'жаңа'; units.toml [adjectives]) —
    not a noun in the plural or with a possessive ending, whatever its last letters
    ('қандастарымызды' ends like 'қабатты' but is "our compatriots", in the accusative)."""
    if word in _plain_adjectives():
        return True
    return word.endswith(_ADJECTIVE_ENDINGS) and not _inflected_noun(word)


@lru_cache(maxsize=20_000)
def _inflected_noun(word: str) -> bool:
    return any(t == "PL" or t.startswith("POSS") for t in best_analysis(word, False).tags)


@lru_cache(maxsize=1)
def _plain_adjectives() -> frozenset[str]:
    return frozenset(load_toml("units.toml")["adjectives"]["words"])


def _compound_adjective(word: str, singles: dict) -> bool:
    """'жылдық', 'жақты', 'қабатты', 'тілді': an adjective made of a counted noun, which after
    a number is one compound ('5 жылдық жоспар' a five-year plan, 'екі жақты келісім' a
    bilateral agreement) — the number counts the inner noun, not the next one."""
    for end in _COMPOUND_ADJECTIVE:
        if word.endswith(end) and len(word) > len(end) + 1:
            stem = word[:-len(end)]
            known = singles.get(stem)
            if stem in _not_counted()["compound_stems"] or (known is not None and (
                    known[1] == "measure" or known[0] in _SPAN_UNITS)):
                return True  # not 'ауылдық' (rural), 'облыстық' (regional): places make adjectives
    return False


_SPAN_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "times", "point"}


def counted_noun(toks: list[Tok], start: int, k: int, text: str | None) -> int | None:
    """After numeral words (tokens start..k: 'тоғыз ойын', 'төрт өндіріс', 'үш ірі жоба'):
    the end of the noun they count, known or not (Kazakh numerals stand before the noun;
    one outside units.toml leaves the unit null), or None where the next word is not a
    counted noun: a name (capitalised), a compound adjective ('екі жақты', 'бес жылдық'), a
    particle or a verb (units.toml [not_counted]), a word no Kazakh stem explains, a title
    in quotes.  Checked on 3,000 random corpus paragraphs: see docs/quantities.md."""
    w = _word_after(toks, k)
    if w is None:
        return None
    stop = _not_counted()
    if toks[w].low in _plain_adjectives():  # 'үш ірі жоба'
        w2 = _word_after(toks, w + 1)
        if w2 is None:
            return None
        w = w2
    word = toks[w].low
    if text is not None and not text[toks[w].start:toks[w].end].islower():
        return None
    if word in stop["words"] or word.startswith(tuple(stop["stems"])) or word in _plain_adjectives():
        return None
    if word.endswith(_COMPOUND_ADJECTIVE) or word.endswith(_VERB_FORMS):
        return None  # also 'екі кітапты' (accusative): abstain, it reads like 'екі жақты'
    if not _kazakh_noun(word):
        return None  # 'Он стоял' (Russian 'he'), a letter of a word spaced out
    after, before = _at(toks, w + 1), _at(toks, start - 1)
    if after is not None and after.low == "»" and before is not None and before.low == "«":
        return None  # '«Бес саусақ»': a title
    return w + 1


def _kazakh_noun(word: str) -> bool:
    """A word whose stem the Kazakh stem lexicon knows (kk_stems.tsv), and not an ordinal
    ('мыңыншы')."""
    from derek.morph.lemmatizer import best_analysis, lexicon  # only for numeral words: rare

    if word.endswith(_ORDINAL):
        return False
    stem = best_analysis(word).stem
    return len(stem) >= 2 and stem in lexicon()


@lru_cache(maxsize=1)
def _not_counted() -> dict:
    return load_toml("units.toml")["not_counted"]


def _dotted(toks: list[Tok], w: int, singles: dict) -> Unit | None:
    """'п.т.' (percentage points): letters joined by dots; the last dot joins the span."""
    dot, w2 = _at(toks, w + 1), _at(toks, w + 2)
    if dot is None or dot.low != "." or w2 is None or w2.kind != "w" or len(toks[w].low) > 3:
        return None
    key = f"{toks[w].low}.{w2.low}"
    if key not in singles:
        return None
    unit, kind = singles[key]
    end = w + 3
    last = _at(toks, end)
    if last is not None and last.low == ".":
        end += 1
    return Unit(end, unit, kind, w2.low, key)


@lru_cache(maxsize=1)
def _multi_first_words() -> frozenset[str]:
    return frozenset(words[0] for words, _, _ in _tables()[1])


def _hyphen_ending(toks: list[Tok], j: int, last: str) -> tuple[int, str]:
    """A case or possessive ending hyphenated to the unit: '%-ға', 'км-ге'; also typed with a
    space before the hyphen ('5 % -ға', '8,4 % -інен'), never after it (a dash: '5 % - бұл')."""
    h = _at(toks, j)
    k = j + 1 if h is not None and h.kind == "s" and h.low == " " else j
    h, e = _at(toks, k), _at(toks, k + 1)
    if h is not None and h.low in "-‑" and e is not None and e.kind == "w" and is_ending(e.low):
        return k + 2, e.low
    return j, last


def _after_symbol(toks: list[Tok], k: int, unit: str) -> Unit:
    """'%', '%-ға', '1,9% пайыз' (the redundant word joins the span)."""
    j, last = _hyphen_ending(toks, k + 1, "")
    if unit == "%":
        w = _word_after(toks, j)
        if w is not None and toks[w].low.startswith(_PERCENT_WORDS) and \
                match_stem(toks[w].low, dict.fromkeys(_PERCENT_WORDS, 1)):
            j, last = w + 1, toks[w].low
    kind = "percent" if unit == "%" else "measure" if unit == "degree" else "currency"
    return Unit(j, unit, kind, last, unit)


def _match_words(toks: list[Tok], w: int, words: tuple[str, ...]) -> int | None:
    """End index when the words starting at token w are `words` (the last one inflected)."""
    k = w
    for n, word in enumerate(words):
        t = _at(toks, k)
        if t is None or t.kind != "w":
            return None
        if n < len(words) - 1:
            if t.low != word:
                return None
            k2 = _word_after(toks, k + 1)
            if k2 is None:
                return None
            k = k2
        elif not (t.low == word or match_stem(t.low, {word: 1})):
            return None
    return k + 1
