"""Pipeline stages of the text layer (baseline; the text layer refines them)."""
from __future__ import annotations

import re

from derek.doc import Document, Sentence, Token
from derek.pipeline import stage
from derek.text.view import TextView

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|\S", re.UNICODE)
_SENT_END = re.compile(r"[.!?…]+[»\"”)]*(?=\s+[«\"“(]?[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ0-9])|\n\s*\n|\n")


@stage("normalize", assigns=("view", "script"))
def normalize(doc: Document) -> None:
    doc.view = TextView.identity(doc.text)
    doc.script = "cyrl"


@stage("tokenize", requires=("view",), assigns=("tokens", "sentences"))
def tokenize(doc: Document) -> None:
    v = doc.view.text
    doc.tokens = []
    for m in _TOKEN.finditer(v):
        a, b = doc.span(m.start(), m.end())
        doc.tokens.append(Token(a, b, doc.text[a:b], m.group()))
    doc.sentences = []
    pos = 0
    for m in _SENT_END.finditer(v):
        _add_sentence(doc, v, pos, m.end())
        pos = m.end()
    _add_sentence(doc, v, pos, len(v))


def _add_sentence(doc: Document, v: str, a: int, b: int) -> None:
    while a < b and v[a].isspace():
        a += 1
    while b > a and v[b - 1].isspace():
        b -= 1
    if a < b:
        oa, ob = doc.span(a, b)
        doc.sentences.append(Sentence(oa, ob))
