"""Stages and the pipeline that runs them in a checked order.

Like spaCy's component registry, each stage declares the layers it `requires` and the
layers it `assigns`; `Pipeline` refuses an order in which a stage would run before what it
needs.  Stage modules are imported lazily so `import derek` stays cheap (cold start).

A stage may also register a many-documents form (`stage_many`), which `Pipeline.pipe` uses
on a batch of documents: the NER model then runs the sentences of several articles as one
batch, like spaCy's `nlp.pipe` (docs/benchmarks.md has the gain).

A stage that reads the article's words with Kazakh models or rules (`Stage.kazakh`: the
default stages in KAZAKH_TEXT_STAGES) reads, once the "language" stage has run, only the
paragraphs in Kazakh or Kazakh mixed with another language: it is handed the document's
Kazakh part (derek/text/language_stage.py) and its result layers are taken back.  A Kazakh
article is its own Kazakh part, so this costs nothing there.
"""
from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from derek.doc import Document


class PipelineError(RuntimeError):
    pass


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    func: Callable[[Document], None]
    many: Callable[[list[Document]], None] | None = None  # the same work on several documents
    # reads the text with Kazakh models: after the language stage, only the Kazakh paragraphs
    kazakh: bool = False

    def __call__(self, doc: Document) -> None:
        if self.kazakh and "language" in doc.layers:
            part = _kazakh_part(doc)
            if part is not doc:
                _copy_results(doc, part)
                try:
                    self.func(part)
                finally:
                    _copy_results(part, doc)
                doc.layers.update(self.assigns)
                return
        self.func(doc)
        doc.layers.update(self.assigns)

    def run_many(self, docs: list[Document]) -> list[BaseException | None]:
        """Run on every document; per document, the exception it raised (or None).  A
        failing many-documents call is redone one document at a time, so one bad
        document fails alone."""
        if self.many is not None and len(docs) > 1:
            parts = [_kazakh_part(d) if self.kazakh and "language" in d.layers else d for d in docs]
            for doc, part in zip(docs, parts):
                if part is not doc:
                    _copy_results(doc, part)
            try:
                self.many(parts)
            except Exception:  # noqa: BLE001 - isolated below, document by document
                pass
            else:
                for doc, part in zip(docs, parts):
                    if part is not doc:
                        _copy_results(part, doc)
                    doc.layers.update(self.assigns)
                return [None] * len(docs)
        errors: list[BaseException | None] = []
        for doc in docs:
            try:
                self(doc)
                errors.append(None)
            except Exception as exc:  # noqa: BLE001 - reported to the caller per document
                errors.append(exc)
        return errors


def _kazakh_part(doc: Document) -> Document:
    from derek.text.language_stage import kazakh_part

    return kazakh_part(doc)


def _copy_results(src: Document, dst: Document) -> None:
    """The result layers (entities, quotes, …) of `src` onto `dst`: a document and its Kazakh
    part share text, meta and layer names, and hand each other what the stages found."""
    from derek.text.language_stage import result_fields

    for name in result_fields():
        setattr(dst, name, getattr(src, name))


REGISTRY: dict[str, Stage] = {}

# The default stages that read the article's words with Kazakh models and rules: after the
# language stage they see only its Kazakh (and mixed) paragraphs.  "canonical" reads the
# entities only, so it needs no scoping.
KAZAKH_TEXT_STAGES = frozenset({"ner", "agencies", "quantities", "dates", "quotes", "claims"})


def stage(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = (),
          kazakh: bool | None = None):
    """Decorator: register `func(doc) -> None` as a pipeline stage.  `kazakh`: the stage reads
    the text with Kazakh models, so after the language stage it reads the Kazakh part only
    (default: whether `name` is in KAZAKH_TEXT_STAGES)."""

    def wrap(func: Callable[[Document], None]) -> Callable[[Document], None]:
        scoped = name in KAZAKH_TEXT_STAGES if kazakh is None else kazakh
        REGISTRY[name] = Stage(name, tuple(requires), tuple(assigns), func, kazakh=scoped)
        return func

    return wrap


def stage_many(name: str):
    """Decorator: register `func(docs) -> None` as the many-documents form of the stage
    `name` (registered first, with `stage`); it must leave each document as the stage would."""

    def wrap(func: Callable[[list[Document]], None]) -> Callable[[list[Document]], None]:
        REGISTRY[name] = dataclasses.replace(REGISTRY[name], many=func)
        return func

    return wrap


# The default order, stage name -> module that registers it.  Each module is imported on
# first use.  "text" is the input itself: every document has it.
DEFAULT_STAGES: dict[str, str] = {
    "normalize": "derek.text.stages",
    "tokenize": "derek.text.stages",
    "structure": "derek.structure",
    "language": "derek.text.language_stage",
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
        names = [st.name for st in self.stages]
        for st in self.stages:
            missing = [r for r in st.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"stage {st.name!r} requires {', '.join(missing)}, which no earlier stage assigns"
                )
            if st.kazakh and "language" in names and "language" not in have:
                raise PipelineError(f"stage {st.name!r} reads Kazakh text: it must run after 'language', "
                                    "or it would read the paragraphs in other languages too")
            have.update(st.assigns)

    def __call__(self, doc: Document) -> Document:
        for st in self.stages:
            st(doc)
        return doc

    def pipe(self, docs: Sequence[Document]) -> list[Document | BaseException]:
        """Every stage over all `docs` (many-documents forms where stages have them): the
        same documents as calling the pipeline on each, faster.  A document whose stage
        raised is dropped from the later stages and comes back as that exception."""
        out: list[Document | BaseException] = list(docs)
        alive = list(range(len(out)))
        for st in self.stages:
            errors = st.run_many([out[i] for i in alive])
            for i, exc in zip(alive, errors):
                if exc is not None:
                    out[i] = exc
            alive = [i for i, exc in zip(alive, errors) if exc is None]
        return out

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default
