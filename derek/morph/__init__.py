"""Kazakh nominal morphology: analyzer, lemmatizer and canonical entity names.

    from derek.morph import lemmatize, canonical_name
    lemmatize("Алматыға")                    -> "Алматы"
    canonical_name("Владимир Путиннің")      -> "Владимир Путин"

Data: derek/data/suffixes.toml (suffix tables) and derek/data/kk_stems.tsv (stem lexicon
derived from the unlabeled corpus by derek/training/stem_lexicon.py).  Imports are lazy so
`import derek.morph` costs nothing until a word is analysed.
"""
from __future__ import annotations


def lemmatize(word: str, pos: str | None = None) -> str:
    from derek.morph.lemmatizer import lemmatize as _lemmatize

    return _lemmatize(word, pos)


def canonical_name(surface: str, label: str | None = None) -> str:
    from derek.morph.canonical import canonical_name as _canonical_name

    return _canonical_name(surface, label)


def split(word: str) -> tuple[str, str, tuple[str, ...]]:
    """(stem, suffix string, suffix tags) of the chosen analysis, for features:
    split("Алматыға") -> ("алматы", "ға", ("DAT",)).  Lower-case, Cyrillic."""
    from derek.morph.lemmatizer import best_analysis

    a = best_analysis(word.lower(), word[:1].isupper())
    return a.stem, a.suffix, a.tags


def analyze(word: str):
    """All candidate analyses (stem, suffix chain) of a word, bare word first."""
    from derek.morph.analyzer import analyze_lower

    return analyze_lower(word.lower())


__all__ = ["lemmatize", "canonical_name", "analyze", "split"]
