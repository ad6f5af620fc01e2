"""The "quotes" stage: quotes, reported speech and their speakers, found by the
derek.extract.speech package (detectors, person registry, speaker resolver)."""
from __future__ import annotations

from derek.doc import Document
from derek.extract.speech import find_quotes
from derek.pipeline import stage


@stage("quotes", requires=("view", "script", "paragraphs"), optional=("entities", "reported_by"),
       assigns=("quotes",), kazakh=True)
def quotes(doc: Document) -> None:
    doc.quotes = find_quotes(doc)
