"""Pipeline stage "ner": fills `doc.entities` from the shipped CRF model.

Tags each sentence's tokens by their analysis form (Token.norm: Cyrillic even for
Latin-script input) and emits entities over whole tokens, suffixes included
("Путиннің" is one PERSON token; the canonical stage strips the suffix).  Offsets come from
the tokens, so they are original-text offsets whatever the script.
"""
from __future__ import annotations

from derek.doc import Document, Entity
from derek.pipeline import stage


def sentence_token_ranges(doc: Document) -> list[tuple[int, int]]:
    """[(first_token, last_token + 1)] per sentence; tokens outside every sentence form
    their own runs so nothing is skipped."""
    toks, sents = doc.tokens, doc.sentences
    out: list[tuple[int, int]] = []
    i, n = 0, len(toks)
    for s in sents:
        a = i
        while i < n and toks[i].end <= s.start:
            i += 1
        if i > a:
            out.append((a, i))  # stray tokens before this sentence
        a = i
        while i < n and toks[i].start < s.end:
            i += 1
        if i > a:
            out.append((a, i))
    if i < n:
        out.append((i, n))
    return out


@stage("ner", requires=("tokens", "sentences"), assigns=("entities",))
def ner(doc: Document) -> None:
    from derek.ner.tagger import default_tagger

    tagger = default_tagger()
    toks = doc.tokens
    ents: list[Entity] = []
    for a, b in sentence_token_ranges(doc):
        words = [t.norm for t in toks[a:b]]
        for i, j, label in tagger.entities(words):
            start, end = toks[a + i].start, toks[a + j - 1].end
            ents.append(Entity(start, end, doc.text[start:end], label, None))
    doc.entities = ents
