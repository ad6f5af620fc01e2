"""The stage contract: every default stage's `requires` / `optional` / `assigns` are what it
really reads and writes.

- The order check: a stage whose required layer no earlier stage assigns is refused; so is
  one that reads a layer when present (`optional`) while the stage that assigns it comes
  later, and a Kazakh-scoped stage before the language stage.
- The run: each stage runs on a document that holds ONLY its declared layers, every other
  layer replaced by a value that fails on any use (`Undeclared`), and must give what it gives
  on the whole document; and it leaves the undeclared layers as they were.  Once without the
  language layer, once scoped to the Kazakh part of an article with a Russian paragraph.
"""
from __future__ import annotations

import copy
from dataclasses import fields

import pytest

import derek
from derek.doc import Document, Meta
from derek.pipeline import DEFAULT_STAGES, LAYERS, Pipeline, PipelineError, REGISTRY, load_stage, stage
from derek.text.translit import to_latin

# our own article: a dateline, a cited agency, a statistic with a date, a quote with its
# speaker, a Russian paragraph (left out of the Kazakh stages), reported speech with a forecast
ARTICLE = "\n\n".join([
    "Бағалар өсімі баяулады",
    "Автор: Әсел Нұрланқызы",
    "Астана. 12 ақпан 2024",
    "Ұлттық статистика бюросының мәліметінше, қаңтарда жылдық инфляция 9,5 пайыз болды, "
    "деп хабарлайды Kazinform.kz.",
    "«Азық-түлік бағасы бұрынғыдай қымбаттамайды», – деді Ұлттық банк төрағасы Тимур Сүлейменов "
    "кеше Алматыда өткен жиында.",
    "По словам аналитиков, к концу года цены на продукты вырастут примерно на 6 процентов.",
    "Оның айтуынша, 2025 жылы инфляция 7 пайызға дейін төмендейді, ал бюджетке 300 млрд теңге түседі.",
]) + "\n"
KAZAKH_ONLY = "\n\n".join(p for p in ARTICLE.split("\n\n") if not p.startswith("По ")) + "\n"
TEXTS = {"mixed": ARTICLE, "kazakh": KAZAKH_ONLY, "latin": to_latin(KAZAKH_ONLY, "latn2018"),
         "example": derek.example()}


class UndeclaredRead(BaseException):
    """A stage used a layer it does not declare (BaseException: no `except Exception` in a
    stage can swallow it)."""


class Undeclared:
    """Stands in for a layer the stage under test does not declare: any use fails."""

    def __init__(self, name: str):
        object.__setattr__(self, "_name", name)

    def _fail(self, *args, **kwargs):
        raise UndeclaredRead(f"read of undeclared layer field {object.__getattribute__(self, '_name')!r}")

    def __repr__(self) -> str:
        return f"<undeclared {object.__getattribute__(self, '_name')}>"

    __getattr__ = __setattr__ = __iter__ = __len__ = __getitem__ = __contains__ = __bool__ = _fail
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = __str__ = __add__ = __radd__ = _fail
    __call__ = __index__ = __int__ = __float__ = _fail


STAGES = [load_stage(name) for name in DEFAULT_STAGES]
_FIELD_LAYER = {f: layer for layer, names in LAYERS.items() for f in names}


def _layer_of(field: str) -> str:
    got = _FIELD_LAYER.get(field)
    assert got is not None, f"Document field {field!r} belongs to no layer in derek.pipeline.LAYERS"
    return got


def test_every_document_field_belongs_to_a_layer():
    for f in fields(Document):
        if f.name not in ("layers", "meta"):
            _layer_of(f.name)
    for f in fields(Meta):
        _layer_of(f"meta.{f.name}")
    for st in STAGES:
        for layer in (*st.requires, *st.optional, *st.assigns):
            assert layer in LAYERS, f"stage {st.name!r} names an unknown layer {layer!r}"


def test_the_default_order_satisfies_every_declaration():
    Pipeline(list(DEFAULT_STAGES)).check()


# -- the order check ---------------------------------------------------------------------
_made: list[str] = []


def _provider(layers) -> str:
    """A throw-away stage that assigns `layers` (and does nothing)."""
    name = f"t_provides_{len(_made)}"

    @stage(name, assigns=tuple(layers))
    def _provide(doc):
        pass

    _made.append(name)
    return name


@pytest.fixture(autouse=True)
def _drop_providers():
    yield
    while _made:
        REGISTRY.pop(_made.pop(), None)


@pytest.mark.parametrize("st", STAGES, ids=lambda s: s.name)
def test_each_required_layer_missing_is_refused(st):
    needed = [r for r in st.requires if r != "text"]
    Pipeline([_provider(needed), st.name])  # everything declared: accepted
    for layer in needed:
        with pytest.raises(PipelineError, match=rf"stage '{st.name}' requires {layer}\b"):
            Pipeline([_provider([r for r in needed if r != layer]), st.name])


@pytest.mark.parametrize("st", [s for s in STAGES if s.optional], ids=lambda s: s.name)
def test_each_optional_layer_made_later_is_refused(st):
    needed = [r for r in st.requires if r != "text"]
    Pipeline([_provider(needed), st.name])  # without it: accepted
    for layer in st.optional:
        Pipeline([_provider(needed + [layer]), st.name])
        with pytest.raises(PipelineError, match=rf"stage '{st.name}' reads {layer} when"):
            Pipeline([_provider(needed), st.name, _provider([layer])])


@pytest.mark.parametrize("st", [s for s in STAGES if s.kazakh], ids=lambda s: s.name)
def test_a_kazakh_stage_before_the_language_stage_is_refused(st):
    needed = [r for r in st.requires if r != "text"]
    with pytest.raises(PipelineError, match="after 'language'"):
        Pipeline([_provider(needed), st.name, _provider(["language"])])


def test_the_old_order_is_refused():
    """Before the declarations were true, quantities ran before dates and ner before the
    agencies it reads: the check accepted it."""
    old = ["normalize", "tokenize", "structure", "language", "ner", "canonical", "agencies", "quantities",
           "dates", "quotes", "claims"]
    with pytest.raises(PipelineError, match="'ner' reads reported_by"):
        Pipeline(old)
    with pytest.raises(PipelineError, match="'quantities' requires dates"):
        Pipeline([s for s in old if s not in ("ner", "canonical")])
    with pytest.raises(PipelineError, match="'quotes' reads entities"):
        Pipeline(["normalize", "tokenize", "structure", "quotes", "ner"])


# -- the run on declared layers only ------------------------------------------------------
@pytest.fixture(scope="module")
def before_each_stage() -> dict[tuple[str, str], Document]:
    """(text name, stage name) -> the document as the default pipeline hands it to that stage."""
    out = {}
    for key, text in TEXTS.items():
        doc = Document.from_text(text)
        for st in STAGES:
            out[(key, st.name)] = copy.deepcopy(doc)
            st(doc)
    return out


def _restricted(doc: Document, allowed: set[str]) -> Document:
    """A copy of `doc` whose fields outside the `allowed` layers fail on any use."""
    def keep(name: str, value):
        return copy.deepcopy(value) if _layer_of(name) in allowed else Undeclared(name)

    meta = Meta(**{f.name: keep(f"meta.{f.name}", getattr(doc.meta, f.name)) for f in fields(Meta)})
    values = {f.name: keep(f.name, getattr(doc, f.name)) for f in fields(Document)
              if f.name not in ("meta", "layers")}
    return Document(**values, meta=meta, layers=set(doc.layers))


def _results(doc: Document, st) -> dict:
    """What the stage assigned, comparable across documents."""
    out = {}
    for layer in st.assigns:
        for name in LAYERS[layer]:
            holder, attr = (doc.meta, name[5:]) if name.startswith("meta.") else (doc, name)
            out[name] = copy.deepcopy(getattr(holder, attr))
    if "canonical" in st.assigns:
        out["canonical"] = [e.canonical for e in doc.entities]
    if "language" in st.assigns:
        out["paragraph languages"] = [p.language for p in doc.paragraphs]
    return out


def _check_stage_on_declared_layers(before: Document, st, scoped: bool) -> None:
    whole = copy.deepcopy(before)
    if not scoped:
        whole.layers.discard("language")
    allowed = {"text", *st.requires, *st.optional, *st.assigns}
    if scoped:
        # the scoping reads the language layer: each paragraph's label, and the view it masks
        allowed |= {"language", "paragraphs", "view"}
    part = _restricted(whole, allowed)
    st(whole)
    undeclared = {f.name: getattr(part, f.name) for f in fields(Document) if isinstance(getattr(part, f.name), Undeclared)}
    undeclared_meta = {f.name: getattr(part.meta, f.name) for f in fields(Meta)
                       if isinstance(getattr(part.meta, f.name), Undeclared)}
    try:
        st(part)
    except UndeclaredRead as exc:
        pytest.fail(f"stage {st.name!r} ({'Kazakh part' if scoped else 'whole text'}): {exc}")
    assert _results(part, st) == _results(whole, st), f"stage {st.name!r} gives another result on its declared layers"
    for name, value in undeclared.items():
        assert getattr(part, name) is value, f"stage {st.name!r} wrote {name}, which it does not declare"
    for name, value in undeclared_meta.items():
        assert getattr(part.meta, name) is value, f"stage {st.name!r} wrote meta.{name}, which it does not declare"


@pytest.mark.parametrize("text", list(TEXTS))
@pytest.mark.parametrize("st", STAGES, ids=lambda s: s.name)
def test_stage_runs_on_its_declared_layers_alone(before_each_stage, st, text):
    _check_stage_on_declared_layers(before_each_stage[(text, st.name)], st, scoped=False)


@pytest.mark.parametrize("st", [s for s in STAGES if s.kazakh], ids=lambda s: s.name)
def test_kazakh_stage_runs_on_its_declared_layers_of_the_kazakh_part(before_each_stage, st):
    before = before_each_stage[("mixed", st.name)]
    assert "language" in before.layers and any(p.language == "ru" for p in before.paragraphs)
    _check_stage_on_declared_layers(before, st, scoped=True)


def test_the_article_exercises_every_stage(before_each_stage):
    """The test article gives every stage something to find (else the run above proves little)."""
    doc = derek.analyze(ARTICLE)
    assert doc.meta.reported_by and doc.meta.author and doc.meta.language_notice
    assert {"PERSON", "ORGANISATION", "GPE"} <= {e.label for e in doc.entities}
    assert doc.dates and doc.quantities and doc.claims
    assert any(q.speaker and q.speaker.text for q in doc.quotes)


@pytest.mark.parametrize("st", STAGES, ids=lambda s: s.name)
def test_each_declared_input_is_read(before_each_stage, st):
    """No declaration is there for show: without any one of its declared inputs the stage
    fails, or finds something else, on one of the test texts."""
    for layer in (*st.requires, *st.optional):
        if layer == "text":
            continue
        allowed = {"text", *st.requires, *st.optional, *st.assigns} - {layer}
        used = False
        for key in TEXTS:
            whole = copy.deepcopy(before_each_stage[(key, st.name)])
            whole.layers.discard("language")
            part = _restricted(whole, allowed)
            st(whole)
            try:
                st(part)
            except UndeclaredRead:
                used = True
                break
            if _results(part, st) != _results(whole, st):
                used = True
                break
        assert used, f"stage {st.name!r} declares {layer} but never reads it"
