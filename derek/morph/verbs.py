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
from derek.morph.tables import tables


@lru_cache(maxsize=1)
def verb_tables() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(endings longest first, voice suffixes, negation suffixes) of suffixes.toml [verb],
    [verb_stem]."""
    data = load_toml("suffixes.toml")
    ends = dict.fromkeys(e for e in data["verb"]["endings"] if " " not in e)  # data order: no set's hash order
    return (tuple(sorted(ends, key=len, reverse=True)),
            tuple(data["verb_stem"]["voice"]), tuple(data["verb_stem"]["negation"]))


def _roots(base: str):
    """(root, peeled_voice_or_negation) pairs for a base left after the ending."""
    _, voice, neg = verb_tables()
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
            if len(v) == 1 and root[-1] not in tables().vowels:  # -л/-н/-с only after a vowel
                continue
            yield root, k + 1
    for b, k in bases[1:]:
        yield b, k


@lru_cache(maxsize=1)
def verb_roots() -> dict[str, int]:
    from derek.langdata import read_text

    out = {}
    for line in read_text("kk_verb_roots.tsv").splitlines():
        if line and line[0] != "#":
            root, score = line.split("\t")
            out[root] = int(score)
    return out


def is_y_stem_past(word: str) -> bool:
    """Is a word in -йды/-йді the simple past of a verb whose root ends in -й ("азайды" =
    азай+ды, "көбейді", "ұлғайды") rather than the present-future of a stem in a vowel
    ("төмендейді" = төменде+йді; a -й root's present is "азаяды", "көбейеді")?  The verb lexicon
    tells: the word less its -ды/-ді is a root in -й."""
    from derek.morph import grammar

    stem = word[:-2]
    return stem.endswith("й") and word.endswith(grammar.verb_form_endings("present_after_vowel")) \
        and stem in verb_roots()


@lru_cache(maxsize=100_000)
def verb_lemma(lower: str) -> str:
    """The root with the best-attested verbal paradigm among all ways to peel the word."""
    from derek.morph.analyzer import analyze_lower

    roots = verb_roots()
    endings = verb_tables()[0]
    best: tuple[float, str] | None = None
    # participles and verbal nouns take nominal endings too: келгенді, көруіміз, кредиттеуге
    words = {a.surface_stem for a in analyze_lower(lower, alternations=False)}
    person = load_toml("suffixes.toml")["verb_stem"]["person"]
    words |= {lower[: -len(p)] for p in person if lower.endswith(p) and len(lower) - len(p) >= 3}
    for word in words:
        for e in endings + ("",):
            if not word.endswith(e) or len(word) - len(e) < 2:
                continue
            base = word[: len(word) - len(e)] if e else word
            for root, _ in _roots(base):
                for cand in root_variants(root, e):
                    score = roots.get(cand)
                    if score is not None and (best is None or score > best[0]):
                        best = (score, cand)
    return best[1] if best else _verb_lemma_by_stems(lower)


def _verb_lemma_by_stems(lower: str) -> str:
    from derek.morph.lemmatizer import lexicon

    lex = lexicon()
    endings = verb_tables()[0]
    best: tuple[float, str] | None = None
    for e in endings + ("",):
        if not lower.endswith(e) or len(lower) - len(e) < 2:
            continue
        base = lower[: len(lower) - len(e)] if e else lower
        for root, peeled in _roots(base):
            short = len(root) < 3 and len(e) < 2  # тұр is not тұ+р, but деп is де+п
            for cand in root_variants(root, e):
                s = lex.get(cand)
                if s is None or s[0] < (150 if short and len(cand) < 3 else 5):
                    continue
                # prefer more peeled material, then the better attested root
                key = (len(lower) - len(root)) + 0.02 * s[0] ** 0.5
                if best is None or key > best[0]:
                    best = (key, cand)
    return best[1] if best else lower


def root_variants(root: str, ending: str):
    """The roots a peeled `root` may stand for before `ending`: itself, unvoiced (шығ -> шық),
    with the final vowel the ending absorbed (оқ+ып -> оқы), тау -> тап, дами -> дамы."""
    t = tables()
    yield root
    if root[-1] in t.alternation:
        yield root[:-1] + t.alternation[root[-1]]
    if root[-1] not in t.vowels and ending[:1] in ("у", "п", "й", ""):
        # оқы+у -> оқу, оқы+п -> оқып: the root's final ы/і is absorbed
        yield root + ("і" if any(c in "әеөүі" for c in root) else "ы")
    if root.endswith("у") and ending[:1] in ("ы", "і", "а", "е"):  # тап -> тауып
        yield root[:-1] + "п"
    if root.endswith("и"):  # дамы+й -> дами
        yield root[:-1] + "ы"
        yield root[:-1] + "і"
