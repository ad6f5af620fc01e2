import json

import pytest

import derek
from derek.doc import Document
from derek.pipeline import Pipeline, PipelineError, stage
from derek.text.view import TextView

from conftest import assert_offsets


def test_seed_meta(seed_doc):
    m = seed_doc.meta
    assert m.headline == "Путиннің сапары Қазақстан экономикасына қалай әсер етуі мүмкін – сарапшы пікірі"
    assert m.author == "Темірхан Айжан"
    assert m.photo_credit == "Дамир Белгібаевтың жеке мұрағатынан"
    assert m.published is None


def test_seed_offsets_and_schema(seed_doc):
    assert_offsets(seed_doc)
    assert seed_doc.sentences and seed_doc.tokens


def test_json_round_trip(seed_doc):
    data = json.loads(seed_doc.to_json(tokens=True))
    again = Document.from_dict(data)
    assert json.loads(again.to_json(tokens=True)) == data


def test_pipeline_refuses_wrong_order():
    @stage("needs_entities_test", requires=("entities",), assigns=("x",))
    def _needs(doc):
        pass

    with pytest.raises(PipelineError, match="requires entities"):
        Pipeline(["normalize", "needs_entities_test"])


def test_unknown_stage():
    with pytest.raises(PipelineError, match="unknown stage"):
        Pipeline(["no-such-stage"])


def test_analyze_rejects_bytes():
    with pytest.raises(TypeError):
        derek.analyze(b"abc")


def test_view_from_pieces_maps_back():
    original = "Qazaqstan shaǵym"
    pieces = [(0, 1, "Қ"), (1, 2, "а"), (2, 3, "з"), (3, 4, "а"), (4, 5, "қ"), (5, 6, "с"), (6, 7, "т"),
              (7, 8, "а"), (8, 9, "н"), (9, 10, " "), (10, 12, "ш"), (12, 13, "а"), (13, 14, "ғ"),
              (14, 15, "ы"), (15, 16, "м")]
    v = TextView.from_pieces(original, pieces)
    assert v.text == "Қазақстан шағым"
    i = v.text.index("шағым")
    assert v.to_original(i, i + 5) == (10, 16)
    assert original[slice(*v.to_original(i, i + 1))] == "sh"


def test_view_pieces_must_tile():
    with pytest.raises(ValueError):
        TextView.from_pieces("abc", [(0, 1, "a"), (2, 3, "c")])
