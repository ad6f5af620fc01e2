"""derek — structured, checkable facts from Kazakh news.

    >>> import derek
    >>> doc = derek.analyze(text)
    >>> doc.entities, doc.quotes, doc.quantities, doc.claims
    >>> doc.to_json()
    >>> for doc in derek.analyze_many(texts): ...   # many articles, batched through the NER model
    >>> derek.analyze(derek.example())              # the example article that ships with derek
"""
from __future__ import annotations

from derek.doc import Document

__version__ = "0.1.0"
__all__ = ["Document", "analyze", "analyze_many", "analyze_file", "example", "__version__"]


def analyze(text: str, *, meta: dict | None = None, stages: list[str] | None = None) -> Document:
    """Run the pipeline on `text` (the exact input; offsets refer to it).

    `meta` pre-fills Document.meta (e.g. the published date known from a feed: YYYY-MM-DD,
    YYYY-MM or YYYY; anything else is a ValueError); `stages` picks
    a subset of the default pipeline (checked for order)."""
    from derek.pipeline import Pipeline, default_pipeline

    pipe = Pipeline(stages) if stages else default_pipeline()
    return pipe(_new_document(text, meta))


def analyze_many(texts, *, metas=None, batch_size: int = 16):
    """Analyze many texts, yielding one result per text in order: its Document, or the
    exception its analysis raised (the others go on).  The same documents as `analyze` on
    each, faster: the NER model runs the sentences of `batch_size` articles together."""
    from itertools import islice, repeat

    from derek.pipeline import default_pipeline

    pipe = default_pipeline()
    # strict: a metas list of another length is an error, not texts silently dropped
    pairs = zip(texts, metas, strict=True) if metas is not None else zip(texts, repeat(None))
    while batch := list(islice(pairs, max(1, batch_size))):
        docs: list = []
        for text, meta in batch:
            try:
                docs.append(_new_document(text, meta))
            except (TypeError, ValueError) as exc:  # not a text, a bad meta: reported in its place
                docs.append(exc)
        ready = pipe.pipe([d for d in docs if isinstance(d, Document)])
        done = iter(ready)
        yield from (d if not isinstance(d, Document) else next(done) for d in docs)


def _new_document(text: str, meta: dict | None) -> Document:
    if not isinstance(text, str):
        raise TypeError(f"analyze() needs str, got {type(text).__name__}")
    doc = Document.from_text(text)
    for key, value in (meta or {}).items():
        if hasattr(doc.meta, key) and value is not None:
            setattr(doc.meta, key, value)
    if doc.meta.published is not None:
        from derek.extract.date_parts import published_date

        doc.meta.published = published_date(doc.meta.published)  # ValueError: says what is wrong
    return doc


def analyze_file(path: str) -> Document:
    """Read a text or HTML file (encoding detected) and analyze it."""
    from derek.io import read_path

    src = read_path(path)
    meta = dict(src.meta)
    meta.setdefault("source", src.name)
    return analyze(src.text, meta=meta)


def example() -> str:
    """The text of the example article that ships with derek: a Kazakh news article (Cyrillic,
    with a Latin outlet name), the project's reference article.  `derek analyze --example`
    analyses it."""
    from derek.examples import example_text

    return example_text()
