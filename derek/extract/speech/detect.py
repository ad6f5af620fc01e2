"""Quotes and who said them: the detectors run from a named table, then speakers resolved.

Detectors run on the analysis view in the table's order; a later detector never claims text
an earlier one holds.  Each candidate carries where its speaker phrase is; speakers are
resolved afterwards in text order, because a pronoun or a role noun ("– деді ол",
"сарапшы") points at whoever spoke before it.
"""
from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass
from typing import Callable

from derek.doc import Document, Quote
from derek.extract import agencies
from derek.extract.speech.marks import marked_quotes
from derek.extract.speech.names import roles
from derek.extract.speech.people import PersonRegistry
from derek.extract.speech.reported import dep_no_dash, indirect_markers, reporting_clauses
from derek.extract.speech.resolver import SpeakerResolver
from derek.extract.speech.spans import SKIP_ROLES, Candidate, Context, trim, view_paragraphs
from derek.extract.speech.turns import (caption_speech, colon_lines, dash_paragraphs, dash_speech, interview_turns,
                                        transcript_lines)

Detector = Callable[[Context], list[Candidate]]

# In priority order: text one detector holds is not offered to the ones after it.
DETECTORS: list[tuple[str, Detector]] = [
    ("quote_marks", marked_quotes),         # «…», – деді X. / X: «…» / a paragraph in quotes
    ("dash_speech", dash_speech),           # – …, – деді X.
    ("interview_turns", interview_turns),   # – Question? / – Answer.
    ("dash_paragraphs", dash_paragraphs),   # – Speech without a cue. (Бұл туралы X айтты.)
    ("colon_lines", colon_lines),           # Name, role: / speech paragraph
    ("caption_speech", caption_speech),     # … . Name, role: – speech
    ("transcript_lines", transcript_lines),  # Name: speech … / Сұрақ: … / Жауап: …
    ("indirect_markers", indirect_markers),  # X-тің айтуынша, …
    ("dep_no_dash", dep_no_dash),           # …, деп мәлімдеді X.
    ("reporting_clauses", reporting_clauses),  # X … екенін айтты. / Бұл туралы X хабарлады.
]


@dataclass
class Attributed:
    detector: str  # the name of the DETECTORS row that found the quote
    quote: Quote


def find_quotes(doc: Document) -> list[Quote]:
    return [a.quote for a in attributed_quotes(doc)]


def attributed_quotes(doc: Document) -> list[Attributed]:
    """Every quote of the document with the detector that found it, in text order."""
    view = doc.view.text
    all_paras = view_paragraphs(doc)
    paras = [p for p in all_paras if p[2] not in SKIP_ROLES]
    if not paras:
        return []
    spans: list[tuple[int, int]] = []  # disjoint, sorted: the text quotes already hold

    def taken(a: int, b: int) -> bool:
        i = bisect_left(spans, (b, -1)) - 1
        return i >= 0 and spans[i][1] > a

    people = PersonRegistry(doc, byline=[(a, b) for a, b, r in all_paras if r == "author"])
    for name in doc.meta.reported_by:  # a cited organisation speaks for its statements
        words = name.split()
        if len(words) >= 2 and any(name.endswith(h) for h in _org_heads()):
            people.note_org(0, name)
    ctx = Context(view, paras, taken, people, [p for p in all_paras if p[2] == "headline"])
    found: list[tuple[Candidate, str]] = []
    for name, detector in DETECTORS:
        for c in detector(ctx):
            if not taken(c.start, c.end):
                insort(spans, (c.start, c.end))
                found.append((c, name))
    found.sort(key=lambda x: x[0].start)
    for c, _ in found:
        if c.kind == "indirect":  # "…, деп хабарлайды ҚазАқпарат тілшісі." names the source
            c.start, c.end = _cut_agency_tail(view, c.start, c.end)

    people.set_quoted(spans)  # people named inside any quote are not its speakers
    resolver = SpeakerResolver(people)
    out = []
    for c, name in found:
        if c.end <= c.start:  # "Оның айтуынша, деп хабарлайды": the agency tail was all it held
            continue
        sp = resolver.resolve(c)
        resolver.remember(c.end, sp)
        oa, ob = doc.span(c.start, c.end)
        cue = c.cue
        if isinstance(cue, tuple):  # the cue as written ('dedi' in a Latin-script article)
            ca, cb = doc.span(*cue)
            cue = " ".join(doc.text[ca:cb].split())
        out.append(Attributed(name, Quote(oa, ob, doc.text[oa:ob], c.kind, cue, sp)))
    return out


def _cut_agency_tail(view: str, a: int, b: int) -> tuple[int, int]:
    pos = view.find("деп", a, b)
    while pos >= 0:
        if agencies.is_agency_cue(view, pos):
            return trim(view, a, pos)
        pos = view.find("деп", pos + 3, b)
    return a, b


def _org_heads() -> list[str]:
    return [h for h in roles()["org_heads"] if len(h) > 3]
