"""Pipeline.pipe / derek.analyze_many: the batched path gives exactly the documents that
analyze gives one at a time, and a document that fails does not take its batch with it."""
from __future__ import annotations

import json

import pytest

import derek
from derek.pipeline import REGISTRY, Pipeline, stage, stage_many

# our own small articles: names, a POSITION with a country in it, numbers, a quote
TEXTS = [
    "Астана. Ресей Федерациясының президенті Владимир Путин 2024 жылғы 27 қарашада Қазақстанға келді.\n\n"
    "«Екі ел арасындағы тауар айналымы 28 млрд долларға жетті», – деді Қасым-Жомарт Тоқаев.",
    "Алматыда өткен форумға 300-ден астам адам қатысты. Ұлттық банк базалық мөлшерлемені 15,25 пайызда "
    "қалдырды, деп хабарлайды ҚазАқпарат.",
    "ҚР Мәдениет және спорт министрі Айда Балаева Түркістан облысына барды.",
    "Бүгін жаңбыр жауады.",
    "",
    "Ақтөбе облысының әкімі Асхат Шахаров фермерлермен кездесті. Оның айтуынша, биыл 1,2 млн тонна астық жиналады.",
    # POSITIONs whose openings the model tags again on their own (the second, batched model call)
    "Мадагаскар Республикасының сыртқы істер министрі Рафаэль Ракутумалала Астанаға келді.",
    "Ұлытау облысы әкімінің орынбасары Берік Әбдіғалиев мәлімдеді.",
]


def as_json(doc) -> dict:
    return json.loads(doc.to_json(tokens=True))


@pytest.mark.parametrize("batch_size", [1, 2, 16])
def test_analyze_many_equals_analyze(batch_size):
    one_by_one = [as_json(derek.analyze(t)) for t in TEXTS]
    many = [as_json(d) for d in derek.analyze_many(TEXTS, batch_size=batch_size)]
    assert many == one_by_one
    names = {(e["text"], e["label"]) for d in many for e in d["entities"]}
    assert {("Мадагаскар Республикасының", "GPE"), ("Ұлытау облысы", "GPE")} <= names  # the region, whole (gazetteer)


def test_analyze_many_seed(seed_text):
    texts = [seed_text, TEXTS[0], seed_text]
    many = list(derek.analyze_many(texts))
    assert [as_json(d) for d in many] == [as_json(derek.analyze(t)) for t in texts]
    assert {"Владимир Путин", "Дамир Белгібаев"} <= {e.canonical for e in many[0].entities}


def test_analyze_many_keeps_metas_and_order():
    metas = [{"published": "2024-11-27"}, None, {"published": "2023-03-01"}]
    docs = list(derek.analyze_many(TEXTS[:3], metas=metas, batch_size=2))
    assert [d.text for d in docs] == TEXTS[:3]
    assert docs[0].meta.published == "2024-11-27" and docs[2].meta.published == "2023-03-01"


def test_metas_of_another_length_are_an_error_not_dropped_texts():
    with pytest.raises(ValueError):
        list(derek.analyze_many(TEXTS[:3], metas=[None, None]))


def test_not_a_text_is_reported_in_place():
    out = list(derek.analyze_many([TEXTS[3], 42, TEXTS[1]], batch_size=3))
    assert isinstance(out[1], TypeError) and "str" in str(out[1])
    assert isinstance(out[0], derek.Document) and isinstance(out[2], derek.Document)
    assert as_json(out[2]) == as_json(derek.analyze(TEXTS[1]))


@pytest.fixture()
def boom_stages():
    """Two throw-away stages: `t_boom` fails on a text containing BOOM, in its batched form
    (whole batch) as well as alone; `t_after` records what reaches it."""
    seen: list[str] = []

    @stage("t_boom", assigns=("boom",))
    def boom(doc):
        if "BOOM" in doc.text:
            raise ValueError("boom in " + doc.text[:10])

    @stage_many("t_boom")
    def boom_many(docs):
        for doc in docs:
            boom(doc)

    @stage("t_after", requires=("boom",), assigns=("after",))
    def after(doc):
        seen.append(doc.text)

    yield seen
    REGISTRY.pop("t_boom")
    REGISTRY.pop("t_after")


def test_failing_document_fails_alone(boom_stages):
    pipe = Pipeline(["t_boom", "t_after"])
    docs = [derek.Document.from_text(t) for t in ("one", "BOOM two", "three")]
    out = pipe.pipe(docs)
    assert out[0] is docs[0] and out[2] is docs[2]
    assert isinstance(out[1], ValueError) and "boom in BOOM two" in str(out[1])
    assert boom_stages == ["one", "three"]  # the failed document skips the later stages
    assert {"boom", "after"} <= docs[0].layers and "after" not in docs[1].layers


def test_many_form_must_follow_a_stage():
    with pytest.raises(KeyError):
        stage_many("t_never_registered")(lambda docs: None)


def test_a_batch_finds_each_documents_agencies_once(monkeypatch):
    """The ner stage and the agencies stage both need where an article cites its agencies;
    in a batch the ner stage runs over every document before the agencies stage starts, so
    the answer is kept on each document (a small shared cache was evicted and recomputed)."""
    from derek.extract import agencies

    calls = []
    real = agencies._agency_hits
    monkeypatch.setattr(agencies, "_agency_hits", lambda view: calls.append(view) or real(view))
    texts = [t + f" Хабар {i}." for i in range(3) for t in TEXTS if t]  # 21 distinct articles
    docs = list(derek.analyze_many(texts, batch_size=16))
    assert len(calls) == len(texts)
    assert sum("ҚазАқпарат" in d.meta.reported_by for d in docs) == 3  # and still found
