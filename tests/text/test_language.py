"""Paragraph and article language (derek/text/language.py, language_stage.py): the cases in
tests/data/language_cases.tsv, whole articles in Kazakh, Russian, Latin and mixed, and the
Kazakh part that the Kazakh-model stages read."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import derek
from derek.doc import Document
from derek.pipeline import Pipeline, PipelineError
from derek.text.language import ANALYSED, LANGUAGES, judge, word_score
from derek.text.language_stage import kazakh_part
from derek.text.normalize import build_view
from derek.text.translit import to_latin

from conftest import assert_offsets, needs_shared, SHARED

CASES = Path(__file__).resolve().parents[1] / "data" / "language_cases.tsv"


def _cases() -> list[tuple[str, str]]:
    out = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, label = line.split("\t")
            out.append((text, label))
    return out


CASE_LIST = _cases()
KAZAKH = [t for t, label in CASE_LIST if label == "kk" and not t.isascii() and "ı" not in t and "ū" not in t.lower()]
RUSSIAN = [t for t, label in CASE_LIST if label == "ru"]


def paragraph_language(text: str) -> str:
    """The label the language stage gives `text` as a paragraph of its own ('short': none)."""
    view, _ = build_view(text)
    return judge(view.text).label or "short"


@pytest.mark.parametrize("text,label", CASE_LIST, ids=[t[:30] for t, _ in CASE_LIST])
def test_cases(text, label):
    assert label in LANGUAGES + ("short",)
    assert paragraph_language(text) == label


def test_cases_cover_every_label():
    assert {label for _, label in CASE_LIST} == set(LANGUAGES) | {"short"}


def test_kazakh_letters_and_russian_letters_weigh_as_they_should():
    assert word_score("қала") > 0 and word_score("өңір") > 0
    assert word_score("ещё") < 0 and word_score("объявил") < 0
    # Kazakh without a Kazakh letter is still Kazakh, by its endings
    assert word_score("барды") > 0 and word_score("мектепке") > 0
    assert word_score("Almaty") is None and word_score("їхній") is None  # not the kk/ru alphabet


def _article(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs) + "\n"


def test_kazakh_article_is_its_own_kazakh_part():
    doc = derek.analyze(_article(["Ауыл шаруашылығы министрлігі егін науқанының қорытындысын шығарды"] + KAZAKH))
    assert doc.meta.language == "kk" and doc.meta.language_notice is None
    assert {p.language for p in doc.paragraphs} == {"kk"}
    assert kazakh_part(doc) is doc  # nothing copied, nothing masked
    assert "language_notice" not in json.loads(doc.to_json())["meta"]


@pytest.mark.parametrize("variant", ["latn2018", "latn2021"])
def test_latin_kazakh_article_is_kazakh(variant):
    text = to_latin(_article(KAZAKH), variant)
    doc = derek.analyze(text)
    assert doc.script == "latn"
    assert doc.meta.language == "kk"
    assert [p.language for p in doc.paragraphs] == ["kk"] * len(KAZAKH)
    assert_offsets(doc)


def test_russian_article_gets_the_notice_and_no_kazakh_facts():
    headline = "Правительство Казахстана утвердило план развития сельского хозяйства"
    doc = derek.analyze(_article([headline] + RUSSIAN))
    assert doc.meta.language == "ru"
    assert "Russian" in doc.meta.language_notice
    assert {p.language for p in doc.paragraphs} == {"ru"}
    assert doc.entities == [] and doc.quotes == [] and doc.quantities == [] and doc.dates == []
    assert doc.claims == []
    # the structure of the text is still there, and the JSON contract holds
    assert len(doc.paragraphs) == len(RUSSIAN) + 1 and doc.sentences and doc.meta.headline == headline
    data = json.loads(doc.to_json())
    assert data["meta"]["language"] == "ru" and data["meta"]["language_notice"] == doc.meta.language_notice
    assert_offsets(doc)


KK_PARAGRAPH = ("Қаржы министрлігінің хабарлауынша, биыл республикалық бюджетке 2,5 трлн теңге салық түсті, "
                "бұл былтырғыдан 12 пайызға көп.")
RU_PARAGRAPH = ("По данным министерства финансов, в этом году в республиканский бюджет поступило "
                "1,5 трлн тенге налогов, что на 8 процентов больше, чем годом ранее.")


def test_russian_paragraph_in_a_kazakh_article_is_left_out():
    headline = "Бюджетке түскен салық көбейді"
    doc = derek.analyze(_article([headline, KK_PARAGRAPH, RU_PARAGRAPH,
                                  "Министрдің айтуынша, түсім алдағы айларда да өседі."]))
    langs = [p.language for p in doc.paragraphs]
    assert langs == ["kk", "kk", "ru", "kk"]
    assert doc.meta.language in ("kk", "mixed")
    assert doc.meta.language_notice.startswith("1 of 4 paragraphs is in Russian")
    ru = doc.paragraphs[2]
    kk = doc.paragraphs[1]
    items = doc.entities + doc.quantities + doc.dates + doc.quotes + doc.claims
    assert not [i for i in items if ru.start <= i.start < ru.end]
    # the Kazakh paragraph is analysed as before: its money and its percentage
    found = {q.text for q in doc.quantities if kk.start <= q.start < kk.end}
    assert "2,5 трлн теңге" in found and any("12 пайыз" in t for t in found)
    # the same Kazakh facts as without the Russian paragraph
    alone = derek.analyze(_article([headline, KK_PARAGRAPH]))
    assert [q.text for q in alone.quantities] == [q.text for q in doc.quantities]
    assert_offsets(doc)


def test_kazakh_paragraph_quoting_russian_keeps_its_quote_and_speaker():
    text = _article(["Жанармай бағасы өзгермейді",
                     "«Цены на бензин в ближайшее время не вырастут», – деді вице-министр Асқар Бекболатов "
                     "брифингте сөйлеген сөзінде."])
    doc = derek.analyze(text)
    assert doc.paragraphs[1].language == "mixed"
    assert doc.meta.language_notice is None  # nothing was left out
    assert len(doc.quotes) == 1
    assert doc.quotes[0].speaker is not None and "Бекболатов" in (doc.quotes[0].speaker.text or "")


def test_short_paragraphs_take_the_article_language():
    doc = derek.analyze(_article(["Читать на русском"] + KAZAKH[:3] + ["Фото: Ақорда"]))
    assert [p.language for p in doc.paragraphs] == ["kk"] * 5
    ru = derek.analyze(_article(["Фото: пресс-служба"] + RUSSIAN[:3]))
    assert [p.language for p in ru.paragraphs] == ["ru"] * 4


def test_kazakh_part_masks_the_view_and_keeps_offsets():
    text = _article([KK_PARAGRAPH, RU_PARAGRAPH])
    doc = Pipeline(["normalize", "tokenize", "structure", "language"])(Document.from_text(text))
    part = kazakh_part(doc)
    assert part is not doc
    ru = doc.paragraphs[1]
    assert len(part.view.text) == len(doc.view.text)
    assert part.view.text[:ru.start] == doc.view.text[:ru.start]
    assert part.view.text[ru.start:ru.end].strip() == ""
    assert part.paragraphs == [doc.paragraphs[0]]
    assert all(t.start < ru.start for t in part.tokens) and len(part.tokens) < len(doc.tokens)
    assert part.meta is doc.meta and part.layers is doc.layers


def test_kazakh_stages_must_follow_the_language_stage():
    with pytest.raises(PipelineError, match="after 'language'"):
        Pipeline(["normalize", "tokenize", "structure", "ner", "language"])
    # without the language stage the Kazakh stages read everything, as they always did
    doc = Pipeline(["normalize", "tokenize", "structure", "dates", "quantities"])(Document.from_text(RU_PARAGRAPH))
    assert doc.quantities and doc.meta.language is None


def test_analyze_many_matches_analyze_on_mixed_input():
    texts = [_article([KK_PARAGRAPH, RU_PARAGRAPH]), _article(RUSSIAN[:2]), _article(KAZAKH[:2])]
    many = list(derek.analyze_many(texts))
    for text, doc in zip(texts, many):
        assert doc.to_dict() == derek.analyze(text).to_dict()


@needs_shared("data", "kk_corpus")
def test_no_held_out_kazakh_paragraph_is_left_out():
    """kk_corpus paragraphs of 20+ words that no training run saw (derek/training/langid.py
    holds one line in ten out): none may be judged Russian or other, and at least 98 % are kk
    (the rest are mixed: the web part of the corpus has Russian sentences in it)."""
    from derek.training.langid import kk_test_paragraphs

    paragraphs = kk_test_paragraphs(SHARED / "data" / "kk_corpus", per_source=25)
    assert len(paragraphs) >= 150
    labels = [judge(text).label for _, text in paragraphs]
    assert not [t for (_, t), label in zip(paragraphs, labels) if label not in ANALYSED]
    assert labels.count("kk") >= 0.98 * len(labels)


def test_article_in_russian_and_english_is_not_kazakh():
    english = ("The ministry said the new plant would open next spring and employ about three "
               "hundred people from the region.")
    doc = derek.analyze(_article(RUSSIAN[:2] + [english, english]))
    assert [p.language for p in doc.paragraphs] == ["ru", "ru", "other", "other"]
    assert doc.meta.language in ("ru", "other")
    assert doc.meta.language_notice.startswith("the article is not in Kazakh")
    assert doc.entities == [] and doc.quantities == []


def test_a_stage_of_ones_own_can_read_the_kazakh_part():
    """stage(..., kazakh=True): after the language stage the stage is handed the Kazakh part,
    and what it assigns lands in the article (one document and several)."""
    from derek.doc import Entity
    from derek.pipeline import REGISTRY, stage, stage_many

    seen = []

    @stage("t_kazakh_probe", requires=("view",), assigns=("entities",), kazakh=True)
    def probe(doc):
        seen.append(doc.view.text)
        doc.entities = [Entity(0, 5, doc.text[0:5], "TEST")]

    @stage_many("t_kazakh_probe")
    def probe_many(docs):
        for d in docs:
            probe(d)

    try:
        text = _article([KK_PARAGRAPH, RU_PARAGRAPH])
        pipe = Pipeline(["normalize", "tokenize", "structure", "language", "t_kazakh_probe"])
        doc = pipe(Document.from_text(text))
        ru = doc.paragraphs[1]
        assert seen[0][ru.start:ru.end].strip() == "" and seen[0][:20] == text[:20]
        assert [e.label for e in doc.entities] == ["TEST"] and "entities" in doc.layers
        seen.clear()
        docs = pipe.pipe([Document.from_text(text), Document.from_text(_article(KAZAKH[:2]))])
        assert [d.entities[0].label for d in docs] == ["TEST", "TEST"]
        assert seen[0][ru.start:ru.end].strip() == "" and seen[1] == docs[1].view.text
    finally:
        REGISTRY.pop("t_kazakh_probe", None)


def test_training_weights_and_test_paragraphs(tmp_path):
    """derek/training/langid.py on toy counts: a letter seen only in Kazakh weighs for Kazakh,
    one seen only in Russian against it, one equally common in both is dropped; CoNLL-U
    sentences are joined until a paragraph has enough words."""
    from collections import Counter

    from derek.training.langid import ngram_counts, paragraphs_from, weights

    kk = ngram_counts(Counter({"қала": 50, "ана": 50}))
    ru = ngram_counts(Counter({"щука": 50, "ана": 50}))
    w = weights(kk, ru, min_count=10, min_weight=0.05)
    assert w["қ"] > 0 and w["щ"] < 0 and "ана" not in w and "^ан" not in w
    conllu = tmp_path / "x.conllu"
    conllu.write_text("# text = Один два три.\n1\tОдин\n\n# text = Четыре пять шесть семь.\n1\tx\n\n"
                      "# text = Восемь.\n1\tx\n", encoding="utf-8")
    assert paragraphs_from(conllu, min_words=5) == ["Один два три. Четыре пять шесть семь."]
