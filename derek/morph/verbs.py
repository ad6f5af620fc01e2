"""A deliberately small verb lemmatizer, for UD's convention that a verb's lemma is its
root (the 2sg imperative): ашылды -> аш, жоспарланып -> жоспарла, келмейді -> кел.

Peel one common ending (suffixes.toml [verb]), then optionally negation and one voice
suffix ([verb_stem]); undo the voicing of a final consonant (шығады -> шық, табылады ->
тап) and restore the root vowel that -у/-п/-й absorb (оқу, оқып -> оқы; дами -> дамы).
Every root proposed must be an attested word (stem lexicon); the longest peel whose root
is well attested wins.  Compound verbs and causatives are not undone.
"""
from __future__ import annotations

from functools import lru_cache

from derek.langdata import load_toml

_VOICING = {"ғ": "қ", "г": "к", "б": "п"}
_VOWELS = set("аәеиоөуұүыіэюя")


@lru_cache(maxsize=1)
def _tables() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    data = load_toml("suffixes.toml")
    ends = {e for e in data["verb"]["endings"] if " " not in e}
    return (tuple(sorted(ends, key=len, reverse=True)),
            tuple(data["verb_stem"]["voice"]), tuple(data["verb_stem"]["negation"]))


def _roots(base: str):
    """(root, peeled_voice_or_negation) pairs for a base left after the ending."""
    _, voice, neg = _tables()
    yield base, 0
    bases = [(base, 0)]
    for n in neg:
        if base.endswith(n) and len(base) - len(n) >= 2:
            bases.append((base[: -len(n)], 1))
    for b, k in list(bases):
        for v in voice:
            root = b[: -len(v)]
            if not b.endswith(v) or len(root) < (2 if len(v) == 2 else 3):
                continue
            if len(v) == 1 and root[-1] not in _VOWELS:  # -л/-н/-с only after a vowel
                continue
            yield root, k + 1
    for b, k in bases[1:]:
        yield b, k


@lru_cache(maxsize=100_000)
def verb_lemma(lower: str) -> str:
    from derek.morph.lemmatizer import lexicon

    lex = lexicon()
    endings = _tables()[0]
    best: tuple[float, str] | None = None
    for e in endings + ("",):
        if not lower.endswith(e) or len(lower) - len(e) < 2:
            continue
        base = lower[: len(lower) - len(e)] if e else lower
        for root, peeled in _roots(base):
            short = len(root) < 3 and len(e) < 2  # тұр is not тұ+р, but деп is де+п
            for cand in _variants(root, e):
                s = lex.get(cand)
                if s is None or s[0] < (150 if short and len(cand) < 3 else 5):
                    continue
                # prefer more peeled material, then the better attested root
                key = (len(lower) - len(root)) + 0.02 * s[0] ** 0.5
                if best is None or key > best[0]:
                    best = (key, cand)
    return best[1] if best else lower


def _variants(root: str, ending: str):
    yield root
    if root[-1] in _VOICING:
        yield root[:-1] + _VOICING[root[-1]]
    if root[-1] not in _VOWELS and ending[:1] in ("у", "п", "й", ""):
        # оқы+у -> оқу, оқы+п -> оқып: the root's final ы/і is absorbed
        yield root + ("і" if any(c in "әеөүі" for c in root) else "ы")
    if root.endswith("и"):  # дамы+й -> дами
        yield root[:-1] + "ы"
        yield root[:-1] + "і"
