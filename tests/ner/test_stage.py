"""The "ner" pipeline stage on the seed article and on Latin-script input."""
import pytest

from derek.doc import Document, Token
from derek.pipeline import DEFAULT_STAGES, Pipeline

from tests.conftest import assert_offsets

# the stages up to and including ner (later stages belong to other modules' tests); agencies:
# the outlets an article cites are organisations
UP_TO_NER = ["normalize", "tokenize", "structure", "agencies", "ner"]


def analyze(text: str) -> Document:
    return Pipeline(UP_TO_NER)(Document.from_text(text))


@pytest.fixture(scope="module")
def seed_doc(seed_text):
    return analyze(seed_text)


def test_registered_after_structure_and_agencies():
    names = list(DEFAULT_STAGES)
    # the language stage sits between them: ner reads the Kazakh paragraphs only; the agencies
    # stage before it: the agencies an article cites are organisations
    assert names.index("ner") == names.index("agencies") + 1 == names.index("language") + 2 \
        == names.index("structure") + 3


def test_seed_entities(seed_doc):
    assert_offsets(seed_doc)
    found = {(e.text, e.label) for e in seed_doc.entities}
    texts = " | ".join(sorted(t for t, _ in found))
    # surfaces include their suffixes (KazNERD convention); the canonical stage strips them
    for prefix, label in [("Владимир Путин", "PERSON"), ("Дамир Белгібаев", "PERSON"), ("Темірхан Айжан", "PERSON"),
                          ("Қазақстан", "GPE"), ("Ресей", "GPE"), ("Еуразиялық экономикалық одақ", "ORGANISATION")]:
        assert any(t.startswith(prefix) and lab == label for t, lab in found), f"{prefix} not in {texts}"
    for e in seed_doc.entities:
        assert e.text == seed_doc.text[e.start:e.end]
        assert e.text == e.text.strip()


def test_latin_script_input_offsets_point_to_original():
    text = "Qasym-Jomart Toqaev keshe Almatyǵa keldi."
    doc = analyze(text)
    assert_offsets(doc)
    found = {(e.text, e.label) for e in doc.entities}
    # the model reads the Cyrillic view; the entities point at the Latin original
    assert ("Qasym-Jomart Toqaev", "PERSON") in found, found
    assert ("Almatyǵa", "GPE") in found, found


def test_latin_names_in_cyrillic_text_are_organisations():
    doc = analyze("Бұл туралы The Steppe Times басылымы хабарлады. Ақпаратты Kazinform.kz-ке Ерлан Қарин берді.")
    found = {(e.text, e.label) for e in doc.entities}
    assert ("The Steppe Times", "ORGANISATION") in found, found
    assert ("Kazinform.kz-ке", "ORGANISATION") in found, found
    assert ("Ерлан Қарин", "PERSON") in found, found


def test_one_label_per_name_in_an_article():
    from derek.ner.stage import consistent_labels

    words = ["Ахметовтың", "сапары", ".", "Серік", "Ахметов", "Алматыға", "келді", ".", "Алматы", "Алматы", "Алматыда"]
    toks = [Token(i, i + 1, w, w) for i, w in enumerate(words)]
    found = [(0, 1, "GPE"), (3, 5, "PERSON"), (5, 6, "GPE"), (8, 9, "ORGANISATION"), (9, 10, "GPE"), (10, 11, "GPE")]
    stem = {"ахметовтың": "ахметов", "алматыға": "алматы", "алматыда": "алматы"}.get
    got = consistent_labels(found, toks, lambda w: stem(w) or w)
    assert got[0] == (0, 1, "PERSON")  # the surname of "Серік Ахметов"
    assert got[3] == (8, 9, "GPE")  # outvoted 3 to 1
    assert got[1:3] == found[1:3]


def test_country_at_the_head_of_a_position():
    from types import SimpleNamespace

    from derek.ner.stage import tag_sentence

    words = ["Ресей", "Федерациясының", "президенті", "Владимир", "Путин", "келді", "."]
    fake = SimpleNamespace(
        entities=lambda ws: [(0, 3, "POSITION"), (3, 5, "PERSON")] if len(ws) == 7 else [],
        names={"ресей": ("GPE", "75", "1.00")},
        fx=SimpleNamespace(stem=lambda w: {"федерациясының": "федерация"}.get(w, w)),
    )
    assert set(tag_sentence(fake, words)) == {(0, 3, "POSITION"), (3, 5, "PERSON"), (0, 1, "GPE")}


def test_lone_capital_abbreviations_are_not_people():
    from derek.ner.stage import abbreviation_label

    assert abbreviation_label(["ҚР"], "PERSON") == "GPE"
    assert abbreviation_label(["ІІМ"], "PERSON") == "ORGANISATION"
    assert abbreviation_label(["ІІМ"], "ORGANISATION") == "ORGANISATION"
    assert abbreviation_label(["Путин"], "PERSON") == "PERSON"
    assert abbreviation_label(["ҚР", "Үкіметі"], "ORGANISATION") == "ORGANISATION"


def test_lower_case_ministries_are_organisations():
    from derek.ner.stage import ministry_spans

    words = "Жаңа тәртіп туралы ауыл шаруашылығы министрлігінің өкілі түсіндірді .".split()
    assert ministry_spans(words, []) == [(3, 6, "ORGANISATION")]  # stops at "туралы"
    assert ministry_spans(words, [(3, 6, "ORGANISATION")]) == []  # already an entity
    words = "Ғылым және жоғары білім министрлігіне".split()
    assert ministry_spans(words, []) == [(1, 5, "ORGANISATION")]  # the overlap is what news_dev scores
