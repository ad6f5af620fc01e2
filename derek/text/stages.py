"""Pipeline stages of the text layer: `normalize` (analysis view + script) and `tokenize`
(tokens + sentences).  Both are linear in the input size."""
from __future__ import annotations

import gc

from derek.doc import Document, Sentence, Token
from derek.pipeline import stage
from derek.text.normalize import build_view
from derek.text.script import coarse
from derek.text.tokenize import split_sentences, tokenize as _tokenize


@stage("normalize", assigns=("view", "script"))
def normalize(doc: Document) -> None:
    view, label = build_view(doc.text)
    doc.view = view
    doc.script = coarse(label)


@stage("tokenize", requires=("view",), assigns=("tokens", "sentences"))
def tokenize(doc: Document) -> None:
    # millions of small acyclic objects: the cyclic collector would rescan them again and
    # again while they are created, so it is paused for the duration
    enabled = gc.isenabled()
    gc.disable()
    try:
        _tokenize_doc(doc)
    finally:
        if enabled:
            gc.enable()


def _tokenize_doc(doc: Document) -> None:
    v = doc.view.text
    original = doc.text
    toks = _tokenize(v)
    tokens: list[Token] = []
    if v is original:
        for t in toks:
            s = original[t.start:t.end]
            tokens.append(Token(t.start, t.end, s, s, t.kind))
    elif doc.view.is_identity:
        for t in toks:
            tokens.append(Token(t.start, t.end, original[t.start:t.end], v[t.start:t.end], t.kind))
    else:
        span = doc.view.to_original
        for t in toks:
            a, b = span(t.start, t.end)
            tokens.append(Token(a, b, original[a:b], v[t.start:t.end], t.kind))
    doc.tokens = tokens
    doc.sentences = [Sentence(tokens[i].start, tokens[j - 1].end)
                     for i, j in split_sentences(v, toks)]
