"""Stages and the pipeline that runs them in a checked order.

Like spaCy's component registry, each stage declares the layers it `requires` and the
layers it `assigns`; `Pipeline` refuses an order in which a stage would run before what it
needs.  The declarations are what the stages really read and write (tests/test_stage_contract.py
runs every stage on a document that holds only its declared layers): docs/architecture.md
has the table.  A stage may also read a layer only when an earlier stage made it
(`optional`: quotes reads the entities when the ner stage ran, and finds names itself when it
did not); the pipeline then refuses an order that puts that layer's stage after it.  Stage
modules are imported lazily so `import derek` stays cheap (cold start).

A stage may also register a many-documents form (`stage_many`), which `Pipeline.pipe` uses
on a batch of documents: the NER model then runs the sentences of several articles as one
batch, like spaCy's `nlp.pipe` (docs/benchmarks.md has the gain).

A stage that reads the article's words with Kazakh models or rules (`@stage(..., kazakh=True)`)
reads, once the "language" stage has run, only the paragraphs in Kazakh or Kazakh mixed with
another language: it is handed the document's Kazakh part (derek/text/language_stage.py) and
the layers it assigns are taken back.  A Kazakh article is its own Kazakh part, so this costs
nothing there.
"""
from __future__ import annotations

import dataclasses
import importlib
import os
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, repeat
from typing import Any, Callable, Iterable, Iterator, Sequence

from derek.doc import Document


class PipelineError(RuntimeError):
    pass


# What each layer name stands for: the Document fields ("meta.x": a Meta field) that hold it.
# "text" is the input itself: every document has it.  Two layers live inside others' items:
# "language" also labels each paragraph, "canonical" fills each entity's canonical form.
LAYERS: dict[str, tuple[str, ...]] = {
    "text": ("text",),
    "view": ("view",),
    "script": ("script",),
    "tokens": ("tokens",),
    "sentences": ("sentences",),
    "paragraphs": ("paragraphs",),
    # the article's frame: what the structure stage reads off the page, or the caller gave
    "meta": ("meta.headline", "meta.author", "meta.published", "meta.photo_credit", "meta.source"),
    "language": ("meta.language", "meta.language_notice"),
    "reported_by": ("meta.reported_by",),
    "entities": ("entities", "meta.ner_engine"),
    "canonical": (),
    "quotes": ("quotes",),
    "quantities": ("quantities",),
    "dates": ("dates",),
    "claims": ("claims",),
}


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]  # layers it reads: an earlier stage must assign each
    assigns: tuple[str, ...]
    func: Callable[[Document], None]
    many: Callable[[list[Document]], None] | None = None  # the same work on several documents
    # reads the text with Kazakh models: after the language stage, only the Kazakh paragraphs
    kazakh: bool = False
    # layers it reads when an earlier stage assigned them (and does without otherwise)
    optional: tuple[str, ...] = ()
    # components the pipeline passes in, by keyword ("ner": the NER tagger)
    uses: tuple[str, ...] = ()

    @property
    def reads(self) -> tuple[str, ...]:
        return self.requires + self.optional

    def __call__(self, doc: Document, component: Callable[[str], Any] | None = None) -> None:
        """Run on `doc`; `component(name)` gives the components the stage uses (default: the
        default pipeline's)."""
        given = self._components(component)
        part = _kazakh_part(doc, self.reads) if self.kazakh else doc
        if part is doc:
            self.func(doc, **given)
        else:
            try:
                self.func(part, **given)
            finally:
                _take_results(part, doc, self.assigns)
        doc.layers.update(self.assigns)

    def _components(self, component: Callable[[str], Any] | None) -> dict[str, Any]:
        if not self.uses:
            return {}
        get = component or default_pipeline().component
        return {name: get(name) for name in self.uses}

    def run_many(self, docs: list[Document], component: Callable[[str], Any] | None = None
                 ) -> list[BaseException | None]:
        """Run on every document; per document, the exception it raised (or None).  A
        failing many-documents call is redone one document at a time, so one bad
        document fails alone."""
        if self.many is not None and len(docs) > 1:
            given = self._components(component)
            parts = [_kazakh_part(d, self.reads) for d in docs] if self.kazakh else docs
            try:
                self.many(parts, **given)
            except Exception:  # noqa: BLE001 - isolated below, document by document
                pass
            else:
                for doc, part in zip(docs, parts):
                    if part is not doc:
                        _take_results(part, doc, self.assigns)
                    doc.layers.update(self.assigns)
                return [None] * len(docs)
        errors: list[BaseException | None] = []
        for doc in docs:
            try:
                self(doc, component)
                errors.append(None)
            except Exception as exc:  # noqa: BLE001 - reported to the caller per document
                errors.append(exc)
        return errors


def _kazakh_part(doc: Document, layers: Iterable[str]) -> Document:
    from derek.text.language_stage import kazakh_part

    return kazakh_part(doc, layers)


def _take_results(part: Document, doc: Document, assigns: Iterable[str]) -> None:
    """The layers a stage assigned on the Kazakh part, onto the article (the two share text,
    meta and offsets; the part's own view, paragraphs, sentences and tokens stay its own)."""
    for layer in assigns:
        for name in LAYERS.get(layer, ()):
            if name in _PART_RESULTS:
                setattr(doc, name, getattr(part, name))


# the Document fields a stage on the Kazakh part may fill: the rest are the part's own cut
# (view, paragraphs, sentences, tokens) or shared with the article (text, script, meta)
_PART_RESULTS = frozenset({"entities", "quotes", "quantities", "dates", "claims"})


REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = (),
          optional: Iterable[str] = (), kazakh: bool = False, uses: Iterable[str] = ()):
    """Decorator: register `func(doc) -> None` as a pipeline stage that reads the layers
    `requires` (and `optional` when an earlier stage made them) and fills `assigns`.
    `kazakh`: the stage reads the text with Kazakh models, so after the language stage it
    reads the Kazakh part only.  `uses`: the components the pipeline passes it by keyword
    (`func(doc, ner=tagger)`)."""

    def wrap(func: Callable[..., None]) -> Callable[..., None]:
        REGISTRY[name] = Stage(name, tuple(requires), tuple(assigns), func, kazakh=kazakh,
                               optional=tuple(optional), uses=tuple(uses))
        return func

    return wrap


def stage_many(name: str):
    """Decorator: register `func(docs) -> None` as the many-documents form of the stage
    `name` (registered first, with `stage`); it must leave each document as the stage would."""

    def wrap(func: Callable[[list[Document]], None]) -> Callable[[list[Document]], None]:
        REGISTRY[name] = dataclasses.replace(REGISTRY[name], many=func)
        return func

    return wrap


# The default order, stage name -> module that registers it: every stage after the stages
# whose layers it reads (the agencies an article cites are organisations for ner, dates are
# not amounts for quantities, quotes and claims read the entities).  Each module is imported
# on first use.
DEFAULT_STAGES: dict[str, str] = {
    "normalize": "derek.text.stages",
    "tokenize": "derek.text.stages",
    "structure": "derek.structure",
    "language": "derek.text.language_stage",
    "agencies": "derek.extract.agencies",
    "ner": "derek.ner.stage",
    "canonical": "derek.morph.stage",
    "dates": "derek.extract.dates",
    "quantities": "derek.extract.quantities",
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
    """Stages in a checked order, and the components they use.

        Pipeline()                                   the default stages, the shipped NER model
        Pipeline(ner="crf")                          … tagging with its feature CRF alone
        Pipeline(ner="/path/to/model")               … with a model you trained
        Pipeline(ner=NerTagger.load(d, engine="crf"))  a tagger you loaded
        Pipeline(["normalize", "tokenize"])          a subset (checked for order)

    `ner`: "ensemble" | "crf" | a model directory | a NerChoice | a loaded NerTagger.  A model
    named by choice is loaded on first use and shared by the pipelines of this process that
    make the same choice (derek.ner.choice); two pipelines with two choices hold both."""

    def __init__(self, names: Iterable[str] | None = None, *, ner: Any = None):
        from derek.ner.choice import NerChoice

        self.stages = [load_stage(n) for n in (names or DEFAULT_STAGES)]
        self.check()
        if ner is None or isinstance(ner, (str, os.PathLike, NerChoice)):
            # which model: what a worker process is sent to build the same pipeline
            self.ner: NerChoice | None = NerChoice.of(ner)
            self._tagger = None
        else:  # a tagger loaded by the caller: used as it is
            self.ner = None
            self._tagger = ner

    def component(self, name: str) -> Any:
        """The component `name` that stages use ("ner": the NER tagger, loaded on first use)."""
        if name == "ner":
            if self._tagger is None:
                self._tagger = self.ner.load()
            return self._tagger
        raise PipelineError(f"no component {name!r} (a stage's `uses` names one the pipeline does not have)")

    def check(self) -> None:
        """Refuse an order in which a stage reads a layer before the stage that assigns it:
        a required layer no earlier stage assigns, or an optional one (the language layer,
        for a Kazakh-scoped stage) that a later stage assigns."""
        have = {"text"}
        for k, st in enumerate(self.stages):
            missing = [r for r in st.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"stage {st.name!r} requires {', '.join(missing)}, which no earlier stage assigns"
                )
            later = {layer: other.name for other in reversed(self.stages[k + 1:]) for layer in other.assigns}
            if st.kazakh and "language" in later and "language" not in have:
                raise PipelineError(f"stage {st.name!r} reads Kazakh text: it must run after 'language', "
                                    "or it would read the paragraphs in other languages too")
            for layer in st.optional:
                if layer in later and layer not in have:
                    raise PipelineError(f"stage {st.name!r} reads {layer} when an earlier stage assigns it: "
                                        f"{later[layer]!r} must run before it")
            have.update(st.assigns)

    def __call__(self, doc: Document) -> Document:
        for st in self.stages:
            st(doc, self.component)
        return doc

    def pipe(self, docs: Sequence[Document]) -> list[Document | BaseException]:
        """Every stage over all `docs` (many-documents forms where stages have them): the
        same documents as calling the pipeline on each, faster.  A document whose stage
        raised is dropped from the later stages and comes back as that exception."""
        out: list[Document | BaseException] = list(docs)
        alive = list(range(len(out)))
        for st in self.stages:
            errors = st.run_many([out[i] for i in alive], self.component)
            for i, exc in zip(alive, errors):
                if exc is not None:
                    out[i] = exc
            alive = [i for i, exc in zip(alive, errors) if exc is None]
        return out

    def analyze(self, text: str, *, meta: dict | None = None) -> Document:
        """Run the pipeline on `text` (the exact input; offsets refer to it).  `meta`
        pre-fills Document.meta (e.g. the published date known from a feed: YYYY-MM-DD,
        YYYY-MM or YYYY; anything else is a ValueError)."""
        return self(new_document(text, meta))

    def analyze_many(self, texts: Iterable[str], *, metas: Iterable[dict | None] | None = None,
                     batch_size: int = 16) -> Iterator[Document | BaseException]:
        """Analyze many texts, yielding one result per text in order: its Document, or the
        exception its analysis raised (the others go on).  The same documents as `analyze`
        on each, faster: the NER model runs the sentences of `batch_size` articles together."""
        # strict: a metas list of another length is an error, not texts silently dropped
        pairs = zip(texts, metas, strict=True) if metas is not None else zip(texts, repeat(None))
        while batch := list(islice(pairs, max(1, batch_size))):
            docs: list = []
            for text, meta in batch:
                try:
                    docs.append(new_document(text, meta))
                except (TypeError, ValueError) as exc:  # not a text, a bad meta: reported in its place
                    docs.append(exc)
            done = iter(self.pipe([d for d in docs if isinstance(d, Document)]))
            yield from (d if not isinstance(d, Document) else next(done) for d in docs)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]


def new_document(text: str, meta: dict | None) -> Document:
    """A Document for `text` with `meta` filled in (the published date checked)."""
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


def shared_pipeline(ner: Any = None) -> Pipeline:
    """The default stages with the NER model `ner` ("ensemble" | "crf" | a model directory | a
    NerChoice; None: the shipped ensemble), built once per process and choice: what
    derek.analyze and the worker processes of batch, ingest and serve analyse with."""
    from derek.ner.choice import NerChoice

    return _shared_pipeline(NerChoice.of(ner))


@lru_cache(maxsize=4)
def _shared_pipeline(ner) -> Pipeline:
    return Pipeline(ner=ner)


def default_pipeline() -> Pipeline:
    """The default stages with the shipped NER model (derek.analyze's pipeline)."""
    return shared_pipeline(None)
