"""Stages and the pipeline that runs them in a checked order.

Like spaCy's component registry, each stage declares the layers it `requires` and the
layers it `assigns`; `Pipeline` refuses an order in which a stage would run before what it
needs.  Stage modules are imported lazily so `import derek` stays cheap (cold start).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Iterable

from derek.doc import Document


class PipelineError(RuntimeError):
    pass


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    func: Callable[[Document], None]

    def __call__(self, doc: Document) -> None:
        self.func(doc)
        doc.layers.update(self.assigns)


REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()):
    """Decorator: register `func(doc) -> None` as a pipeline stage."""

    def wrap(func: Callable[[Document], None]) -> Callable[[Document], None]:
        REGISTRY[name] = Stage(name, tuple(requires), tuple(assigns), func)
        return func

    return wrap


# The default order, stage name -> module that registers it.  Each module is imported on
# first use.  "text" is the input itself: every document has it.
DEFAULT_STAGES: dict[str, str] = {
    "normalize": "derek.text.stages",
    "tokenize": "derek.text.stages",
    "structure": "derek.structure",
    "ner": "derek.ner.stage",
    "canonical": "derek.morph.stage",
    "agencies": "derek.extract.agencies",
    "quantities": "derek.extract.quantities",
    "dates": "derek.extract.dates",
    "quotes": "derek.extract.quotes",
    "claims": "derek.claims.stage",
}


def load_stage(name: str) -> Stage:
    if name not in REGISTRY:
        module = DEFAULT_STAGES.get(name)
        if module is None:
            raise PipelineError(f"unknown stage {name!r}")
        importlib.import_module(module)
        if name not in REGISTRY:
            raise PipelineError(f"module {module} did not register stage {name!r}")
    return REGISTRY[name]


class Pipeline:
    def __init__(self, names: Iterable[str] | None = None):
        self.stages = [load_stage(n) for n in (names or DEFAULT_STAGES)]
        self.check()

    def check(self) -> None:
        have = {"text"}
        for st in self.stages:
            missing = [r for r in st.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"stage {st.name!r} requires {', '.join(missing)}, which no earlier stage assigns"
                )
            have.update(st.assigns)

    def __call__(self, doc: Document) -> Document:
        for st in self.stages:
            st(doc)
        return doc

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default
