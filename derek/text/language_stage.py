"""Pipeline stage "language": each paragraph's language, the article's, and the Kazakh part
that the Kazakh-model stages read.

After the structure stage has cut the article into paragraphs, each paragraph's stretch of
the analysis view is judged (derek/text/language.py): kk, ru, mixed or other, a short one
taking the article's label.  `meta.language` is the article's; `meta.language_notice` says
which paragraphs were left out, when some were.

Paragraphs in Russian or another language are not presented as Kazakh facts: the stages that
read the text with Kazakh models (`@stage(..., kazakh=True)`) are handed `kazakh_part(doc)`,
a Document that shares the article's text, meta and result layers but whose analysis view is
blank over those paragraphs and whose paragraphs, sentences and tokens are the Kazakh ones.
Nothing else changes: offsets are the article's, the view keeps its length and its map to the
input.  A Kazakh article (every paragraph kk or mixed) is its own Kazakh part: no copy, no
cost.  The part is cut from the language layer (each paragraph's label) when a stage asks,
so the layer is all the language stage leaves on the document.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable

from derek.doc import Document
from derek.pipeline import stage
from derek.text.language import ANALYSED, Judgement, article_label, judge
from derek.text.view import TextView

_JUDGED_ROLES = frozenset({"headline", "lead", "body"})
_WHAT = {"ru": "in Russian", "other": "in another language"}  # a left-out paragraph


@stage("language", requires=("view", "paragraphs"), assigns=("language",))
def language(doc: Document) -> None:
    view = doc.view.text
    spans = view_spans(doc, [(p.start, p.end) for p in doc.paragraphs])
    # labelled lines (Автор:, Фото:) and datelines hold names and numbers, not sentences: they
    # take the article's language, as short paragraphs do
    judgements = [judge(view[a:b]) if p.role in _JUDGED_ROLES else Judgement(None)
                  for p, (a, b) in zip(doc.paragraphs, spans)]
    if any(j.label for j in judgements):
        article = article_label(judgements)
    else:  # only short paragraphs (a headline, a caption): the whole text together
        article = judge(view).label or "kk"  # too little to tell: read as Kazakh, as before
    for p, j in zip(doc.paragraphs, judgements):
        p.language = j.label or article
    doc.meta.language = article
    skipped = [p.language for p in doc.paragraphs if p.language not in ANALYSED]
    doc.meta.language_notice = notice(article, skipped, len(doc.paragraphs))


def notice(article: str, skipped: list[str], paragraphs: int) -> str | None:
    """One line for the user when paragraphs were left out (None when none were)."""
    if not skipped:
        return None
    if len(skipped) == paragraphs:
        what = "in Russian" if article == "ru" else "not in Kazakh"
        return (f"the article is {what}: derek reads Kazakh, so it found no entities, quotes, quantities, "
                "dates or claims in it")
    what = " or ".join(_WHAT[k] for k in sorted(set(skipped)))
    verb = "is" if len(skipped) == 1 else "are"
    return (f"{len(skipped)} of {paragraphs} paragraphs {verb} {what}, not Kazakh: derek left them out "
            "(no entities, quotes, quantities, dates or claims from them)")


def view_spans(doc: Document, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches of the analysis view that the input's [start, end) spans became."""
    view = doc.view
    if view.is_identity:
        return spans
    starts = view.original_starts()  # sorted: bisect finds the first view char at or after an offset
    return [(bisect_left(starts, a), bisect_left(starts, b)) for a, b in spans]


def kazakh_part(doc: Document, layers: Iterable[str] | None = None) -> Document:
    """What the Kazakh-model stages read: `doc` itself, or, once the language stage has left
    paragraphs out, its Kazakh part (see the module doc).  `layers`: what the stage reads
    (None: everything); of the sentences and tokens only those are cut, the stage's own
    results are handed over as they are."""
    if "language" not in doc.layers:
        return doc
    skipped = [p for p in doc.paragraphs if p.language not in ANALYSED]
    if not skipped:
        return doc
    reads = _ALL if layers is None else frozenset(layers)
    spans = [(p.start, p.end) for p in skipped]
    view = doc.view
    pieces, pos = [], 0
    for a, b in view_spans(doc, spans):  # in order: paragraphs do not overlap
        pieces.append(view.text[pos:a])
        pieces.append(" " * (b - a))
        pos = b
    pieces.append(view.text[pos:])
    masked = TextView(original=view.original, text="".join(pieces), _starts=view._starts, _ends=view._ends)
    return type(doc)(text=doc.text, view=masked, script=doc.script, meta=doc.meta,
                     paragraphs=[p for p in doc.paragraphs if p.language in ANALYSED],
                     sentences=_outside(doc.sentences, spans) if "sentences" in reads else doc.sentences,
                     tokens=_outside(doc.tokens, spans) if "tokens" in reads else doc.tokens,
                     entities=doc.entities, quotes=doc.quotes, quantities=doc.quantities, dates=doc.dates,
                     claims=doc.claims, layers=doc.layers)


_ALL = frozenset({"sentences", "tokens"})


def _outside(items: list, spans: list[tuple[int, int]]) -> list:
    """The items (sorted by start) whose start lies in none of the sorted `spans`."""
    out, k = [], 0
    for item in items:
        while k < len(spans) and spans[k][1] <= item.start:
            k += 1
        if k < len(spans) and spans[k][0] <= item.start:
            continue
        out.append(item)
    return out
