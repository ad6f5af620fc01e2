"""derek — structured, checkable facts from Kazakh news.

    >>> import derek
    >>> doc = derek.analyze(text)
    >>> doc.entities, doc.quotes, doc.quantities, doc.claims
    >>> doc.to_json()
"""
from __future__ import annotations

from derek.doc import Document

__version__ = "0.1.0"
__all__ = ["Document", "analyze", "analyze_file", "__version__"]


def analyze(text: str, *, meta: dict | None = None, stages: list[str] | None = None) -> Document:
    """Run the pipeline on `text` (the exact input; offsets refer to it).

    `meta` pre-fills Document.meta (e.g. published date known from a feed); `stages` picks
    a subset of the default pipeline (checked for order)."""
    from derek.pipeline import Pipeline, default_pipeline

    if not isinstance(text, str):
        raise TypeError(f"analyze() needs str, got {type(text).__name__}")
    doc = Document.from_text(text)
    for key, value in (meta or {}).items():
        if hasattr(doc.meta, key) and value is not None:
            setattr(doc.meta, key, value)
    pipe = Pipeline(stages) if stages else default_pipeline()
    return pipe(doc)


def analyze_file(path: str) -> Document:
    """Read a text or HTML file (encoding detected) and analyze it."""
    from derek.io import read_path

    src = read_path(path)
    meta = dict(src.meta)
    meta.setdefault("source", src.name)
    return analyze(src.text, meta=meta)
