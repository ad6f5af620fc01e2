"""Kazakh nominal grammar for the rest of derek: endings by morpheme, name forms.

One place for what the extractors ask about Kazakh inflection, read from the analyzer's own
data (derek/data/suffixes.toml), so that an ending fixed there reaches the lemmatizer, the
number and date readers, the name finder and the quote code alike:

    forms("GEN")                -> ('ның', 'нің', 'дың', 'дің', 'тың', 'тің')
    case_endings("DAT")         -> every dative allomorph, longest first (на, не, ға … а, е)
    endings_after("POSS3")      -> the case chains a 3rd-person possessive takes (ның, на, н, нда …)
    is_genitive("Ресейдің")     -> True
    strip_case("Белгібаевтың")  -> 'Белгібаев'        (one name word)
    nominative("Владимир Путиннің") -> 'Владимир Путин'  (a whole name)
    is_surname("Тоқаев")        -> True

Tags are those of suffixes.toml: PL, POSS3, POSS_M, POSS1PL, POSS2POL, GEN, DAT, ACC, LOC,
ABL, INS, SIM, REL, and its [closed_list_endings] (TEMP, EQU, SIM_ACC, ABL_EMPH, COLL_POSS).
Everything is computed once (lru_cache); the per-word functions are cached too.
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.langdata import load_toml

# the six cases a noun phrase takes in news text (similative -дай is left out: 'министрдей'
# is 'like a minister', no mention of one)
CASES = ("GEN", "DAT", "ACC", "LOC", "ABL", "INS")
POSSESSIVES = ("POSS3", "POSS_M", "POSS1PL", "POSS2POL")
CYRILLIC_WORD = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі-]+")


@lru_cache(maxsize=None)
def forms(tag: str) -> tuple[str, ...]:
    """The allomorphs of one morpheme, in the order suffixes.toml lists them."""
    data = load_toml("suffixes.toml")
    found: list[str] = []
    for groups in data["slot"].values():
        for group in groups:
            if group["tag"] == tag:
                found.extend(f["form"] for f in group["forms"])
    found.extend(data["closed_list_endings"].get(tag, ()))
    if not found:
        raise KeyError(f"no morpheme {tag!r} in derek/data/suffixes.toml")
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=None)
def endings(*tags: str, min_len: int = 1) -> tuple[str, ...]:
    """The forms of all `tags`, each once, longest first (ties keep the data's order), so
    that a caller trying them in turn strips 'нан' before 'ан'."""
    out = dict.fromkeys(f for tag in tags for f in forms(tag) if len(f) >= min_len)
    return tuple(sorted(out, key=len, reverse=True))


def case_endings(*cases: str, min_len: int = 1) -> tuple[str, ...]:
    """Case endings, longest first: of the given cases, or of all six (CASES)."""
    return endings(*(cases or CASES), min_len=min_len)


def possessive_endings(*tags: str) -> tuple[str, ...]:
    """Possessive endings, longest first: of the given persons, or all (POSSESSIVES)."""
    return endings(*(tags or POSSESSIVES))


def plural_endings() -> tuple[str, ...]:
    return endings("PL")


@lru_cache(maxsize=None)
def endings_after(tag: str) -> tuple[str, ...]:
    """The case endings (with a relative -ғы after the locative) that follow a morpheme,
    by the tables' morphotactics, longest first: after POSS3 'ның', 'на', 'н', 'нда',
    'ндағы', 'нан', 'мен' … (Сәтбайұлы+на, never *Сәтбайұлы+ға)."""
    from derek.morph.tables import tables

    out: dict[str, None] = {}
    for chains in tables().chains.values():
        for ch in chains:
            ms = ch.morphs
            if len(ms) >= 2 and ms[0].tag == tag and all(m.tag in CASES + ("REL",) for m in ms[1:]):
                out[ch.text[len(ms[0].form):]] = None
    return tuple(sorted(out, key=len, reverse=True))


@lru_cache(maxsize=None)
def chain_forms(*tags: str) -> tuple[str, ...]:
    """Every spelling of one sequence of morphemes, whatever comes before it, longest first:
    chain_forms("LOC", "REL") -> ('ндағы', 'ндегі', 'дағы', 'дегі', 'тағы', 'тегі')."""
    from derek.morph.tables import tables

    n = len(tags)
    out = dict.fromkeys("".join(m.form for m in ch.morphs[-n:])
                        for chains in tables().chains.values() for ch in chains if ch.tags[-n:] == tags)
    return tuple(sorted(out, key=len, reverse=True))


def alternation(*tags: str, min_len: int = 1) -> str:
    """A regex group matching any form of `tags`, longest first: '(?:ның|нің|…)'."""
    return "(?:" + "|".join(map(re.escape, endings(*tags, min_len=min_len))) + ")"


def has_case(word: str, case: str) -> bool:
    """Does a lower-case word end in a form of `case` ('ресейден', 'ABL' -> True)?  The
    ending alone is asked about, as the callers' closed word lists settle the stem."""
    return word.endswith(forms(case))


def is_genitive(word: str) -> bool:
    """'Ресейдің', 'министрлігінің' -> True: the word ends in a genitive ending."""
    return word.lower().endswith(forms("GEN"))


@lru_cache(maxsize=None)
def _name_endings() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in load_toml("suffixes.toml")["names"].items()}


def surname_endings() -> tuple[str, ...]:
    return _name_endings()["surname_endings"]


def patronymic_endings() -> tuple[str, ...]:
    return _name_endings()["patronymic_endings"]


def ner_feature_endings() -> tuple[str, ...]:
    """The endings of the NER model's `ne=` feature, in the order it was trained on."""
    return _name_endings()["ner_feature_endings"]


def is_surname(word: str) -> bool:
    """Does a name word, in the nominative, end like a surname ('Тоқаев', 'Сәтбайұлы')?"""
    return word.lower().endswith(surname_endings())


def is_patronymic(word: str) -> bool:
    """'Салахатдинұлы', 'Петрович', 'Nurlanuly' -> True."""
    return word.lower().endswith(patronymic_endings())


@lru_cache(maxsize=None)
def adjective_endings(*groups: str) -> tuple[str, ...]:
    """Adjective endings of suffixes.toml [adjective], by group (derived, privative, russian,
    having); without groups, those that mark an adjective on an unknown word (all but
    'having', which as often ends a noun: Алматы, Қарағанды)."""
    data = load_toml("suffixes.toml")["adjective"]
    return tuple(e for g in (groups or ("derived", "privative", "russian")) for e in data[g])


@lru_cache(maxsize=None)
def verb_form_endings(*groups: str) -> tuple[str, ...]:
    """Endings of verb forms, suffixes.toml [verb_form], of the given groups in data order:
    participle (-ған, -атын), converb (-ып), verbal_noun_locative (-уда), intention (-мақ),
    finite (past and present: -ды, -ады, -ыпты); and "lookalikes", whole words that end like
    a tense and are none ('деді', the auxiliary 'еді')."""
    data = load_toml("suffixes.toml")["verb_form"]
    return tuple(e for g in groups for e in data[g])


_CASE_TAGS = frozenset(CASES)


@lru_cache(maxsize=1 << 16)
def strip_case(word: str) -> str:
    """Nominative of one name word by removing a case ending ('Белгібаевтың' -> 'Белгібаев').
    A Cyrillic word goes through the morphology's analysis, which knows that 'Сатыбалды' and
    'Қали' carry no ending and 'Айдарды' does; another word (mixed letters, digits: 'COVID-19-ға')
    loses a listed case ending of two letters or more, keeping three letters of stem."""
    if CYRILLIC_WORD.fullmatch(word):
        from derek.morph.analyzer import analyze_lower
        from derek.morph.lemmatizer import best_analysis

        low = word.lower()
        a = best_analysis(low, word[:1].isupper())
        if not a.tags:
            return word
        if not set(a.tags) <= _CASE_TAGS:  # a name takes no possessive: 'Бекбердінің' is Бекберді + нің
            cases = [x for x in analyze_lower(low) if x.tags and set(x.tags) <= _CASE_TAGS and x.suffix]
            if not cases:
                return word
            a = min(cases, key=lambda x: len(x.suffix))
        if a.suffix and low.endswith(a.suffix):
            return word[:-len(a.suffix)]
        return word
    low = word.lower()
    for end in _loose_case_endings():
        if low.endswith(end) and len(word) - len(end) >= 3:
            # a female surname's own ending is not a case ending: Ильина, Әлназарова
            if end in ("на", "не") and low.endswith(("ина", "ына", "іна")):
                continue
            return word[: -len(end)]
    return word


@lru_cache(maxsize=1)
def _loose_case_endings() -> tuple[str, ...]:
    # one-letter endings (-а, -н) are too weak a clue on a word the analyzer cannot read;
    # the instrumental also comes after the possessive (-ымен)
    ins = [e for e in endings_after("POSS3") if e in forms("INS")]
    poss_ins = tuple(p + i for p in forms("POSS3") if len(p) == 1 for i in ins)
    return tuple(sorted(dict.fromkeys(case_endings(min_len=2) + poss_ins), key=len, reverse=True))


@lru_cache(maxsize=1 << 16)
def nominative(name: str) -> str:
    """Nominative form of a (multi-word) name: the last word carries the case ending
    (derek.morph.canonical_name; a word it cannot read loses its case ending by strip_case)."""
    from derek.morph.canonical import canonical_name

    name = name.strip()
    if not name:
        return name
    out = canonical_name(name)
    if out:
        return out
    words = name.split(" ")
    words[-1] = strip_case(words[-1])
    return " ".join(words)


def is_nominative(name: str) -> bool:
    """Is a name in the nominative: its last word carries no case ending ('Путин', not 'Путиннің')?"""
    last = name.split()[-1] if name.split() else name
    return strip_case(last) == last


__all__ = ["CASES", "POSSESSIVES", "CYRILLIC_WORD", "forms", "endings", "case_endings",
           "possessive_endings", "plural_endings", "endings_after", "chain_forms", "alternation",
           "adjective_endings", "has_case", "is_genitive", "surname_endings", "patronymic_endings",
           "ner_feature_endings", "is_surname", "is_patronymic", "strip_case", "nominative",
           "is_nominative"]
