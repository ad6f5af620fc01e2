"""A deliberately small verb lemmatizer: strip the longest common verbal ending
(suffixes.toml [verb]) whose remainder is an attested stem (the imperative, a word of
its own).  Negation and voice suffixes are not undone; see docs/morphology.md."""
from __future__ import annotations

from functools import lru_cache

from derek.langdata import load_toml


@lru_cache(maxsize=1)
def _endings() -> tuple[str, ...]:
    ends = {e for e in load_toml("suffixes.toml")["verb"]["endings"] if " " not in e}
    return tuple(sorted(ends, key=len, reverse=True))


@lru_cache(maxsize=100_000)
def verb_lemma(lower: str) -> str:
    from derek.morph.lemmatizer import lexicon

    lex = lexicon()
    best = None
    for e in _endings():
        if lower.endswith(e) and len(lower) - len(e) >= 2:
            stem = lower[: -len(e)]
            if stem in lex:
                score = lex[stem][0]
                if best is None or score > best[0]:
                    best = (score, stem)
    return best[1] if best else lower
