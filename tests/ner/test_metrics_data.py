"""IOB2 reading and seqeval-style entity scoring, on hand-made cases."""
import pytest

from derek.training.ner.data import IOBFormatError, read_iob
from derek.training.ner.metrics import score, spans


def test_spans_follow_seqeval_lenient_iob2():
    assert spans(["B-PERSON", "I-PERSON", "O", "B-GPE"]) == {(0, 2, "PERSON"), (3, 4, "GPE")}
    # an I- after O (or after another type) starts an entity, as seqeval does by default
    assert spans(["O", "I-GPE", "I-GPE"]) == {(1, 3, "GPE")}
    assert spans(["B-GPE", "I-ORGANISATION"]) == {(0, 1, "GPE"), (1, 2, "ORGANISATION")}
    assert spans(["B-GPE", "B-GPE"]) == {(0, 1, "GPE"), (1, 2, "GPE")}


def test_score_exact_match_only():
    gold = [["B-PERSON", "I-PERSON", "O", "B-GPE"]]
    pred = [["B-PERSON", "O", "O", "B-GPE"]]  # truncated person is a miss and a false alarm
    t = score(gold, pred)
    assert t["GPE"]["f1"] == 1.0
    assert t["PERSON"]["f1"] == 0.0
    assert t["micro"]["p"] == 0.5 and t["micro"]["r"] == 0.5


def test_read_iob(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Ресей B-GPE\nпен O\n\n\nҚытай B-GPE\n", encoding="utf-8")
    assert read_iob(p) == [(["Ресей", "пен"], ["B-GPE", "O"]), (["Қытай"], ["B-GPE"])]
    p.write_text("Ресей GPE\n", encoding="utf-8")
    with pytest.raises(IOBFormatError, match=":1:"):
        read_iob(p)
