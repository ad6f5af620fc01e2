"""Canonical (nominative, dictionary) form of a multi-word entity name.

Only the last word of a name inflects in Kazakh (Владимир Путиннің, Ресей
Федерациясының, Ғылым және жоғары білім министрлігіне), so only it is analysed.  Its
case, plural-less case chain is stripped; a 3rd-person possessive -ы/-сы is kept when it
is the izafet marker that belongs to the name (Ресей Федерациясы, Ұлттық статистика
бюросы: the word before is a noun) and dropped when the words before are adjectives
(Еуразиялық экономикалық одағы -> одақ), the convention of the news_dev annotators.
Acronyms keep their letters and lose a hyphenated ending (ЕАЭО-ға -> ЕАЭО).
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.morph.analyzer import Analysis
from derek.morph.grammar import adjective_endings
from derek.morph.lemmatizer import best_analysis, lexicon, patronymic_cut, restore_case
from derek.morph.tables import tables

# quote marks around a name: «…», "…", “…”, „…“ (a straight ' too, inside a surface only)
OPENING_QUOTES, CLOSING_QUOTES = "«\"“„", "»\"”“"
_QUOTED = re.compile(r"[«\"“„']([^»\"”']+)[»\"”']")
_TRIM = "«»\"“”„'’.,;:!?()[]"


def is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return 1 < len(letters) <= 8 and all(ch.isupper() for ch in letters) and word.isalpha()


def canonical_name(surface: str, label: str | None = None) -> str:
    """Nominative form of an entity mention (Cyrillic view text)."""
    return _canonical(surface.strip(), label)


@lru_cache(maxsize=50_000)
def _canonical(surface: str, label: str | None) -> str:
    m = _QUOTED.search(surface)
    if m and m.group(1).strip():
        rest = surface[m.end():].split()
        if all(is_acronym(w.strip(_TRIM)) for w in rest):
            # «Қазгидромет» РМК -> Қазгидромет: a quoted name before a legal form
            return " ".join(m.group(1).split())
        # «Астана» халықаралық қаржы орталығының -> Астана халықаралық қаржы орталығы
        surface = surface[: m.start()] + " " + m.group(1) + " " + surface[m.end():]
    words = [w for w in (bare_word(x) for x in surface.split()) if w]
    if not words:
        return surface.strip()
    words[-1] = canonical_last_word(words[-1], words[:-1], label)
    return " ".join(words)


# initials: "Ә.", "Ж.Б." (their dots are part of the name, not punctuation around it)
_INITIALS = re.compile(r"(?:[^\W\d_a-zа-яәғқңөұүһі]\.)*[^\W\d_a-zа-яәғқңөұүһі]")


def bare_word(word: str) -> str:
    """A word of a name without the quotes and punctuation around it; an initial keeps its dot."""
    bare = word.strip(_TRIM)
    if bare and word.rstrip("»\"“”„'’,;:!?)]").endswith(".") and _INITIALS.fullmatch(bare) and bare.isupper():
        return bare + "."
    return bare


def canonical_last_word(word: str, before: list[str], label: str | None = None,
                        prefix_only: bool = False) -> str:
    """The nominative of the inflected last word of a name; `before` are the words that
    precede it in the name.  `prefix_only`: never rewrite letters (for Latin-script input,
    whose original characters are kept): одағының -> одағы rather than одақ."""
    word = word.strip(_TRIM)
    spans, text = last_word_plan(word, before, label, prefix_only)
    return "".join(word[a:b] for a, b in spans) if spans is not None else text


Spans = list[tuple[int, int]]


def last_word_plan(word: str, before: list[str], label: str | None = None,
                   prefix_only: bool = False) -> tuple[Spans | None, str]:
    """How to build the canonical last word: the spans of `word` to keep (so a Latin
    original can be cut the same way), or None and the rewritten Cyrillic text when
    letters change (одағы -> одақ)."""
    whole: tuple[Spans | None, str] = ([(0, len(word))], word)
    if "-" in word:
        head, _, tail = word.rpartition("-")
        if head and tail.lower() in tables().chains:  # ЕАЭО-ға, Zakon.kz-ке, ҰБТ-сына
            return [(0, len(head))], head
        if head and tail.isalpha() and not is_acronym(tail):  # Нью-Йорктен, ЭКСПО-қалашығының
            off = len(head) + 1
            spans, text = last_word_plan(tail, before + [head], label, prefix_only)
            if spans is None:
                return None, head + "-" + text
            return [(0, off)] + [(a + off, b + off) for a, b in spans], ""
    if is_acronym(word) or not word.isalpha():
        return whole
    cut = patronymic_cut(word.lower())
    if cut:  # Сагидрахманұлына -> Сагидрахманұлы
        return [(0, cut)], ""
    a = best_analysis(word.lower(), word[:1].isupper())
    if not a.chain:
        return whole
    if label == "PERSON" and "POSS3" in a.tags and lexicon().get(a.stem, (0, 0))[1] < 5:
        # an unknown name ending in -ы/-ын: not a possessive (Жаңылсын); its -і, -ы is the
        # name's own, before a case ending (Бекберді+нің, not Бекберд+і+нің)
        own = _case_only(word.lower(), len(a.stem))
        return ([(0, own)], "") if own else whole
    if before and label not in ("PERSON", None) and "PL" in a.tags and word[:1].isupper():
        # the plural belongs to the name: Біріккен Араб Әмірліктері, Америка Құрама Штаттары
        return [(0, _end_of(a, _PLURAL_AND_POSS))], ""
    keep = _keeps_possessive(a, before)
    if prefix_only and a.stem != a.surface_stem:
        keep = keep or "POSS3" in a.tags
        if not keep:
            return [(0, len(a.surface_stem))], ""
    if keep:
        if "PL" in a.tags:  # Батыс Қазақстан облыстарында -> облысы: the plural goes
            n = len(a.surface_stem)
            poss = _span_of(a, "POSS3")
            if a.surface_stem[-1] not in tables().vowels and word[poss[0]:poss[1]].lower() in ("ы", "і"):
                voiced = _VOICED.get(a.stem[-1])
                if voiced is None:
                    return [(0, n), poss], ""
                if prefix_only:  # орталықтары -> орталығы rewrites a letter: the plural stays
                    return [(0, _end_of(a, ("POSS3",)))], ""
                # a voiceless stem end voices before the vowel: сауда орталықтары -> орталығы
                return None, restore_case(word, a.stem[:-1] + voiced) + word[poss[0]:poss[1]]
            poss3 = ("сы" if _back(a.stem) else "сі") if a.stem[-1] in tables().vowels else \
                ("ы" if _back(a.stem) else "і")
            return None, restore_case(word, a.stem) + poss3
        return [(0, _end_of(a, ("POSS3",)))], ""
    if a.stem == a.surface_stem:
        return [(0, len(a.stem))], ""
    return None, restore_case(word, a.stem)


_PLURAL_AND_POSS = ("PL", "POSS3")
_VOICED = {"қ": "ғ", "к": "г", "п": "б"}  # a stem's last consonant before a vowel-initial ending
_CASES = frozenset({"GEN", "DAT", "ACC", "LOC", "ABL", "INS"})


def _case_only(low: str, longer_than: int) -> int | None:
    """The length of the longest stem, longer than `longer_than`, that `low` reads as with
    one case ending and no other suffix or letter change (None when it has none)."""
    from derek.morph.analyzer import analyze_lower

    best = None
    for x in analyze_lower(low):
        if x.chain and x.tags and set(x.tags) <= _CASES and x.stem == x.surface_stem \
                and len(x.stem) > longer_than and (best is None or len(x.stem) > best):
            best = len(x.stem)
    return best


def _end_of(a: Analysis, tags: tuple[str, ...]) -> int:
    """Offset just after the last morpheme of `a` whose tag is in `tags`."""
    n = end = len(a.surface_stem)
    for m in a.chain.morphs:
        n += len(m.form)
        if m.tag in tags:
            end = n
    return end


def _span_of(a: Analysis, tag: str) -> tuple[int, int]:
    n = len(a.surface_stem)
    for m in a.chain.morphs:
        if m.tag == tag:
            return n, n + len(m.form)
        n += len(m.form)
    return n, n


def _back(stem: str) -> bool:
    return tables().harmony_of(stem) != "front"


def _keeps_possessive(a: Analysis, before: list[str]) -> bool:
    """Izafet: a possessive on the head noun is part of the name when a noun comes before
    it in the name (Корей Халық Демократиялық Республикасы: "Халық"), not when only
    adjectives do (Еуразиялық экономикалық одағы)."""
    if "POSS3" not in a.tags or not before:
        return False
    return any(_is_noun_modifier(w) for w in before)


def _is_noun_modifier(prev: str) -> bool:
    prev = prev.strip(_TRIM)
    if not prev:
        return False
    if is_acronym(prev):
        return True
    if prev.lower() in ("және", "мен", "пен", "бен", "атындағы", "туралы", "жөніндегі"):
        return False
    low = prev.lower()
    pa = best_analysis(low, prev[:1].isupper())
    if pa.chain:  # Ауыл шаруашылығы министрлігі: the modifier is itself possessed/inflected
        return True
    if low in _adjectives():
        return False  # Еуразиялық экономикалық одағы -> одақ
    if low in lexicon():
        return True  # a known word that is not an adjective: Азаттық Рухы stays whole
    return not low.endswith(adjective_endings())


@lru_cache(maxsize=1)
def _adjectives() -> frozenset[str]:
    from derek.langdata import read_text

    return frozenset(w for w in read_text("kk_adjectives.txt").split("\n")[1:] if w)
