"""Which NER model tags: a small value, so that it can travel to worker processes.

    NerChoice()                        the shipped ensemble (the default)
    NerChoice(engine="crf")            the shipped ensemble's feature CRF alone (faster)
    NerChoice(model="/path/to/model")  a model you trained (`derek train ner`)
    NerChoice.of("crf"), NerChoice.of("/path/to/model")

A pipeline is given its model (derek.load(ner=…), Pipeline(ner=…)); the command line turns
--ner, $DEREK_NER_ENGINE and $DEREK_NER_MODEL into a NerChoice and hands it on explicitly, to
Dask workers, ingest's analysis processes and `derek serve --workers` alike.  Importing this
module loads no model (cold start).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from derek.ner.errors import NerModelError

if TYPE_CHECKING:
    from derek.ner.tagger import NerTagger

# Which part of an ensemble model tags: the whole ensemble (default), or its feature CRF
# alone, ~1.35x the articles/s for ~1.4 points less micro-F1 on KazNERD (docs/models.md).
ENGINES = ("ensemble", "crf")


@dataclass(frozen=True)
class NerChoice:
    """`model`: a model directory (None: the shipped one); `engine`: "ensemble" (the
    directory's own engine) or "crf" (an ensemble's feature CRF alone)."""

    model: str | None = None
    engine: str = "ensemble"

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise NerModelError(f"unknown NER engine {self.engine!r}: use one of {', '.join(ENGINES)}")
        if self.model is not None:
            object.__setattr__(self, "model", os.fspath(self.model))

    @classmethod
    def of(cls, spec: "NerChoice | str | os.PathLike | None") -> "NerChoice":
        """"ensemble" or "crf" (the shipped model), a model directory, or a NerChoice."""
        if spec is None:
            return cls()
        if isinstance(spec, NerChoice):
            return spec
        spec = os.fspath(spec)
        return cls(engine=spec) if spec in ENGINES else cls(model=spec)

    def load(self) -> "NerTagger":
        """The tagger, loaded once per process and choice: pipelines that make the same
        choice share it, and pipelines that make different ones hold each their own."""
        return _loaded(None if self.model is None else str(Path(self.model).resolve()), self.engine)


@lru_cache(maxsize=8)
def _loaded(model_dir: str | None, engine: str) -> "NerTagger":
    from derek.ner.tagger import NerTagger

    return NerTagger.load(model_dir, engine=engine)
