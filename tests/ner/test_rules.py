"""News post-rules of the ner stage (derek/data/ner_rules.toml), from example sentences in
tests/data/ner_rules_cases.tsv; each runs through the pipeline up to ner."""
from pathlib import Path

import pytest


from tests.conftest import check_entity_case, entity_cases

CASES = Path(__file__).parents[1] / "data" / "ner_rules_cases.tsv"


@pytest.mark.parametrize("sentence,expected", list(entity_cases(CASES)), ids=lambda x: x if isinstance(x, str) else None)
def test_rule_cases(sentence, expected):
    check_entity_case(sentence, expected)
