"""News post-rules of the ner stage (derek/data/ner_rules.toml), from example sentences in
tests/data/ner_rules_cases.tsv; each runs through the pipeline up to ner."""
from pathlib import Path

import pytest

from derek.doc import Document
from derek.pipeline import Pipeline

from tests.conftest import assert_offsets

CASES = Path(__file__).parents[1] / "data" / "ner_rules_cases.tsv"
NAME_LABELS = {"PERSON", "ORGANISATION", "GPE", "LOCATION"}


def cases():
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            sentence, expected = line.split("\t")
            yield sentence, [e.strip() for e in expected.split("|")]


@pytest.mark.parametrize("sentence,expected", list(cases()), ids=lambda x: x if isinstance(x, str) else None)
def test_rule_cases(sentence, expected):
    doc = Pipeline(["normalize", "tokenize", "structure", "ner"])(Document.from_text(sentence))
    assert_offsets(doc)
    found = {(e.text, e.label) for e in doc.entities}
    names = {t for t, label in found if label in NAME_LABELS}
    for e in expected:
        if e.startswith("-"):
            assert e[1:] not in names, found
        else:
            surface, label = e.rsplit("=", 1)
            assert (surface, label) in found, found
