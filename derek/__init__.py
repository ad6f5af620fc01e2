"""derek — structured, checkable facts from Kazakh news.

    >>> import derek
    >>> doc = derek.analyze(text)
    >>> doc.entities, doc.quotes, doc.quantities, doc.claims
    >>> doc.to_json()
    >>> for doc in derek.analyze_many(texts): ...   # many articles, batched through the NER model
    >>> derek.analyze(derek.example())              # the example article that ships with derek
    >>> fast = derek.load(ner="crf")                # a pipeline of one's own: the NER model passed in
    >>> fast.analyze(text), fast.analyze_many(texts)
"""
from __future__ import annotations

from derek.doc import Document

__version__ = "0.1.0"
__all__ = ["Document", "analyze", "analyze_many", "analyze_file", "example", "load", "__version__"]


def load(ner=None, *, stages: list[str] | None = None):
    """A pipeline (derek.pipeline.Pipeline: `.analyze(text, meta=…)`, `.analyze_many(texts)`,
    `.pipe(documents)`) with its NER model passed in: `ner` is "ensemble" (the shipped model,
    the default), "crf" (its feature CRF alone: faster, a little less accurate), a model
    directory you trained, or a loaded NerTagger.  Several pipelines can live side by side;
    the environment is not read (the command line reads $DEREK_NER_ENGINE / $DEREK_NER_MODEL)."""
    from derek.pipeline import Pipeline

    return Pipeline(stages, ner=ner)


def analyze(text: str, *, meta: dict | None = None, stages: list[str] | None = None) -> Document:
    """Run the pipeline on `text` (the exact input; offsets refer to it).

    `meta` pre-fills Document.meta (e.g. the published date known from a feed: YYYY-MM-DD,
    YYYY-MM or YYYY; anything else is a ValueError); `stages` picks
    a subset of the default pipeline (checked for order)."""
    from derek.pipeline import Pipeline, default_pipeline

    pipe = Pipeline(stages) if stages else default_pipeline()
    return pipe.analyze(text, meta=meta)


def analyze_many(texts, *, metas=None, batch_size: int = 16):
    """Analyze many texts, yielding one result per text in order: its Document, or the
    exception its analysis raised (the others go on).  The same documents as `analyze` on
    each, faster: the NER model runs the sentences of `batch_size` articles together."""
    from derek.pipeline import default_pipeline

    return default_pipeline().analyze_many(texts, metas=metas, batch_size=batch_size)


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
