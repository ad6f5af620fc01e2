"""Search terms: what the full-text index holds for an article and what a query asks for.

Kazakh is agglutinative: "Ресейдің", "Ресейден", "Ресейге" are one word.  Both sides go
through the same function — every word is indexed as its lower-cased surface form AND its
lemma, and every query word matches either of them — so a search for "Ресейдің" finds an
article that says "Ресей" and the other way round.  Words are read from the analysis view
(Cyrillic), so Latin-script articles and queries meet the same terms.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from derek.morph import lemmatize

WORD = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=100_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The index terms of one word (original case in, lower-case terms out)."""
    surface = word.lower()
    lemma = (lemmatize(word) or surface).lower()
    return (surface,) if lemma == surface else (surface, lemma)


def analysis_text(text: str) -> str:
    """The Cyrillic analysis form of a text (Latin transliterated, homoglyphs repaired)."""
    try:
        import derek

        return derek.analyze(text, stages=["normalize"]).view.text
    except Exception:
        return text


def index_terms(words: Iterable[str]) -> str:
    """Space-separated terms for the index, in text order."""
    out: list[str] = []
    for w in words:
        out.extend(word_terms(w))
    return " ".join(out)


def document_terms(doc) -> str:
    view = getattr(doc, "view", None)
    if view is not None and not view.is_identity or doc.script == "cyrl":
        text = view.text if view is not None else doc.text
    else:
        # rebuilt from JSON (identity view) but not Cyrillic: recompute the analysis form
        text = analysis_text(doc.text)
    return index_terms(WORD.findall(text))


def query_groups(query: str) -> list[tuple[str, ...]]:
    """One group of alternative terms per query word; a hit must match every group."""
    return [word_terms(w) for w in WORD.findall(analysis_text(query))]


def query_lemmas(query: str) -> set[str]:
    return {t for group in query_groups(query) for t in group}
