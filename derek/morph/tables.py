"""Compile derek/data/suffixes.toml into a lookup of every valid suffix chain.

The analyzer works right to left: for each ending of a word it asks "is this a whole
chain of suffixes, and may it follow the rest as a stem?".  So the slot tables are
expanded once into `chain string -> [Chain]`, each Chain carrying the morphemes, the left
contexts its first morpheme accepts and the vowel harmony it demands.  Expansion applies
the morphotactics (slot order, allomorph choice by the preceding sound or morpheme).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from derek.langdata import load_toml


@dataclass(frozen=True)
class Morph:
    tag: str
    form: str
    after: frozenset[str]
    harmony: str  # back | front | any


@dataclass(frozen=True)
class Chain:
    text: str
    morphs: tuple[Morph, ...]
    first_after: frozenset[str]
    harmony: str

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(m.tag for m in self.morphs)


@dataclass(frozen=True)
class Tables:
    chains: dict[str, tuple[Chain, ...]]
    max_len: int
    vowels: frozenset[str]
    back: frozenset[str]
    front: frozenset[str]
    letter_classes: dict[str, frozenset[str]]
    alternation: dict[str, str]
    keep_endings: tuple[str, ...]
    surname_endings: tuple[str, ...]

    def classes_of(self, letter: str) -> frozenset[str]:
        """Sound classes (and the letter itself) that a left context ending in `letter` has."""
        return self.letter_classes.get(letter, frozenset((letter, "consonant")))

    def harmony_of(self, stem: str) -> str:
        """back | front | any — from the stem's last vowel (ambiguous loan vowels: any).
        Surnames in -ов/-ев follow the root (Тоқаевтың, Белгібаевтың, Әуезовтің)."""
        if stem.endswith(("ев", "ёв", "ов")):
            return "any"
        # a back-vowel stem ending in к/г is a loanword and takes front suffixes (банкке,
        # Гонконгте); a native one would end in қ/ғ
        if stem[-1:] in ("к", "г"):
            return "any"
        if stem[-1:] == "ь":  # a soft sign makes a loan front: Шольдің, модельге
            return "front"
        for ch in reversed(stem):
            if ch in self.back:
                return "back"
            if ch in self.front:
                return "front"
            if ch in self.vowels:
                return "any"
        return "any"


def _harmony_join(a: str, b: str) -> str | None:
    if a == "any":
        return b
    if b == "any" or a == b:
        return a
    return None


@lru_cache(maxsize=1)
def tables() -> Tables:
    data = load_toml("suffixes.toml")
    cls = data["classes"]
    vowels = frozenset(cls["vowel"])
    letter_classes: dict[str, set[str]] = {}
    for name in ("vowel", "sonorant", "nasal", "zh_z", "voiceless"):
        for ch in cls[name]:
            letter_classes.setdefault(ch, {ch}).add(name)
            if name != "vowel":
                letter_classes[ch].add("consonant")
    slots: list[list[tuple[str, str | None, list[Morph]]]] = []
    for slot_name in data["order"]:
        groups = []
        for group in data["slot"][slot_name]:
            morphs = [Morph(group["tag"], f["form"], frozenset(f["after"]), f["harmony"])
                      for f in group["forms"]]
            groups.append((group["tag"], group.get("requires"), morphs))
        slots.append(groups)

    lc = {k: frozenset(v) for k, v in letter_classes.items()}

    def classes(letter: str) -> frozenset[str]:
        return lc.get(letter, frozenset((letter, "consonant")))

    chains: dict[str, list[Chain]] = {}

    def extend(i: int, morphs: tuple[Morph, ...], harmony: str) -> None:
        if morphs:
            text = "".join(m.form for m in morphs)
            first = morphs[0].after - {"POSS3", "POSS_M"}  # a stem is never a morpheme
            chains.setdefault(text, []).append(Chain(text, morphs, first, harmony))
        for j in range(i, len(slots)):
            for tag, requires, group in slots[j]:
                prev = morphs[-1] if morphs else None
                if requires and (prev is None or prev.tag != requires):
                    continue
                for m in _allowed(group, prev, classes):
                    h = _harmony_join(harmony, m.harmony)
                    if h is not None:
                        extend(j + 1, morphs + (m,), h)

    extend(0, (), "any")
    names = data.get("names", {})
    return Tables(
        chains={k: tuple(v) for k, v in chains.items()},
        max_len=max(len(k) for k in chains),
        vowels=vowels,
        back=frozenset(cls["back_vowels"]),
        front=frozenset(cls["front_vowels"]),
        letter_classes=lc,
        alternation=dict(data.get("alternation", {})),
        keep_endings=tuple(names.get("keep_endings", ())),
        surname_endings=tuple(names.get("surname_endings", ())),
    )


def _allowed(group: list[Morph], prev: Morph | None, classes) -> list[Morph]:
    """Allomorphs of one morpheme that may follow `prev` (None: the stem, checked later)."""
    if prev is None:
        return [m for m in group if m.after - {"POSS3", "POSS_M"}]
    special = [m for m in group if prev.tag in m.after]
    if special:
        return special
    left = classes(prev.form[-1])
    return [m for m in group if m.after & left]
