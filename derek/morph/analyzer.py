"""Candidate analyses of a Kazakh nominal word form: (stem, suffix chain).

Right to left: every ending of the word that is a whole suffix chain (see tables.py) and
whose first suffix may follow the remaining stem — by the stem's last sound (Астана+ға,
Путин+ге, Медведев+тің) and its vowel harmony — gives one analysis.  Before a
vowel-initial chain the stem may also have voiced its last consonant (кітаб+ы <- кітап,
тілег+і <- тілек) or lost its last vowel (халқ+ы <- халық, мойн+ы <- мойын); those stems
are proposed too and the lemmatizer's lexicon decides.  Input is lower-case Cyrillic.
"""
from __future__ import annotations

from dataclasses import dataclass

from derek.morph.tables import Chain, tables

MIN_STEM = 2
_LINKED = ("кті", "нті", "сті", "кты", "нты", "сты")


@dataclass(frozen=True)
class Analysis:
    stem: str
    chain: Chain | None
    # the stem as it stands in the word (differs from `stem` after an alternation)
    surface_stem: str

    @property
    def tags(self) -> tuple[str, ...]:
        return self.chain.tags if self.chain else ()

    @property
    def suffix(self) -> str:
        return self.chain.text if self.chain else ""

    def __str__(self) -> str:
        if not self.chain:
            return self.stem
        return self.stem + "+" + "+".join(f"{m.form}:{m.tag}" for m in self.chain.morphs)


def analyze_lower(word: str, alternations: bool = True) -> list[Analysis]:
    """All analyses of a lower-case Cyrillic word, the bare word first."""
    t = tables()
    out = [Analysis(word, None, word)]
    n = len(word)
    for k in range(1, min(t.max_len, n - MIN_STEM) + 1):
        chains = t.chains.get(word[n - k:])
        if not chains:
            continue
        stem = word[: n - k]
        last = stem[-1]
        if last in "ьъ" and len(stem) > 1:  # модель+ге: the sign is silent
            last = stem[-2]
        left = t.classes_of(last)
        stem_h = t.harmony_of(stem)
        for ch in chains:
            if not (ch.first_after & left):
                continue
            if stem_h != "any" and ch.harmony not in ("any", stem_h):
                continue
            out.append(Analysis(stem, ch, stem))
            if alternations:
                if ch.text[0] in t.vowels:
                    out.extend(_alternants(stem, ch, t))
                elif last not in t.vowels and len(stem) > 3:
                    # процесс+ке is written процеске: a doubled final consonant is simplified
                    out.append(Analysis(stem + last, ch, stem))
                elif stem.endswith(_LINKED):
                    out.append(Analysis(stem[:-1], ch, stem))
    return out


def _alternants(stem: str, ch: Chain, t) -> list[Analysis]:
    """Stems that surface as `stem` before a vowel: voicing (б/г/ғ <- п/к/қ) and the
    dropped vowel of халық/ауыз/мойын/ерін."""
    found: list[str] = []
    base = stem[:-1] + t.alternation[stem[-1]] if stem[-1] in t.alternation else None
    if base:
        found.append(base)
    for s in (stem, base):
        if s and len(s) >= 3 and s[-1] not in t.vowels and s[-2] not in t.vowels - {"у", "и"} \
                and s[-2] not in "ьъ":
            ins = "ы" if ch.harmony == "back" or (ch.harmony == "any" and t.harmony_of(s) == "back") else "і"
            found.append(s[:-1] + ins + s[-1])
    if stem[-1] not in t.vowels and stem[-1] not in "йу":  # модель+і+н is written моделін
        found.append(stem + "ь")
    # Russian final clusters take a linking vowel: факт -> фактілері, субъект -> субъектісі
    if stem.endswith(_LINKED):
        found.append(stem[:-1])
    return [Analysis(s, ch, stem) for s in found if s != stem]
