"""The shipped model: loads fast, fits the size budget, tags our own sentences."""
import time
from pathlib import Path

import pytest

from derek.ner.stage import tag_sentence
from derek.ner.tagger import NerTagger, default_model_dir, iob_spans

CASES = Path(__file__).parent / "data" / "tagged_sentences.tsv"
_TOKEN = __import__("re").compile(r"\w+(?:[-'’]\w+)*|\S")


def cases():
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            sent, expected = line.split("\t")
            yield sent, [tuple(e.rsplit("=", 1)) for e in expected.split(" | ")]


def test_model_files_within_budget():
    d = default_model_dir()
    files = [p for p in d.iterdir() if p.is_file()]
    # the shipped engine: feature CRF weights + the BiLSTM-CRF, no crfsuite model file needed
    assert {"config.json", "crf_weights.npz", "neural.npz", "neural.json", "neural_words.txt"} <= {p.name for p in files}
    assert all(p.stat().st_size <= 30_000_000 for p in files)


def test_model_loads_quickly():
    # imports are done (module level); this times reading the model files (bench/ner_speed.py
    # reports the cold load in a fresh interpreter).  CPU time, so a busy machine does not fail it.
    NerTagger.load()  # the stemmer's tables load once per process
    t = time.process_time()
    NerTagger.load()
    assert time.process_time() - t < 1.0


@pytest.fixture(scope="module")
def tagger():
    return NerTagger.load()


@pytest.mark.parametrize("sentence,expected", list(cases()), ids=lambda x: x if isinstance(x, str) else None)
def test_tags_own_sentences(tagger, sentence, expected):
    words = _TOKEN.findall(sentence)
    # the stage's tagging: the model plus the names inside a POSITION ("Ресей президенті")
    found = {(" ".join(words[a:b]), label) for a, b, label in tag_sentence(tagger, words)}
    for surface, label in expected:
        assert (" ".join(_TOKEN.findall(surface)), label) in found, found


def test_iob_spans_and_empty_input(tagger):
    assert tagger.tag_words([]) == []
    assert iob_spans(["B-GPE", "I-GPE", "O", "I-PERSON"]) == [(0, 2, "GPE"), (3, 4, "PERSON")]


def test_crf_only_engine_from_the_shipped_ensemble():
    """engine="crf" runs the ensemble's feature CRF alone (the fast setting)."""
    from derek.ner.ensemble import CrfOnlyNer

    fast = NerTagger.load(engine="crf")
    assert isinstance(fast.engine, CrfOnlyNer)
    words = ["Қасым-Жомарт", "Тоқаев", "Астанада", "сөйледі", "."]
    assert fast.entities(words)[:2] == [(0, 2, "PERSON"), (2, 3, "GPE")]
    assert not isinstance(NerTagger.load().engine, CrfOnlyNer)
