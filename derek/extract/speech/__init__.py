"""Quotes, reported speech and their speakers (the "quotes" stage's work; docs/quotes.md).

The public surface:

    find_quotes(doc)        -> [Quote]                 what the stage stores
    attributed_quotes(doc)  -> [Attributed(detector, quote)]   which detector found each
    DETECTORS                  the named detector table, in priority order

Modules: spans (candidates, paragraphs, sentences), cues (the cue table from
speech_verbs.toml), names (person names, roles, nominative forms), people (a document's
person registry), resolver (mention -> speaker), marks / turns / reported (the detectors),
detect (the table and the run).
"""
from __future__ import annotations

__all__ = ["DETECTORS", "Attributed", "attributed_quotes", "find_quotes", "quote_pairs"]


def __getattr__(name: str):
    # imported on first use, so that agencies.py can use names.py without importing the
    # detectors (which use agencies.py)
    if name == "quote_pairs":
        from derek.extract.speech.marks import quote_pairs

        return quote_pairs
    if name in __all__:
        from derek.extract.speech import detect

        return getattr(detect, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
