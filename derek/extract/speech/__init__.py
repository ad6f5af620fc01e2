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

from derek.extract.speech.detect import DETECTORS, Attributed, attributed_quotes, find_quotes
from derek.extract.speech.marks import quote_pairs

__all__ = ["DETECTORS", "Attributed", "attributed_quotes", "find_quotes", "quote_pairs"]
