"""The CRF feature's organisation heads (ner_rules.toml [crf_org_heads]):
tests/data/crf_org_head_cases.tsv."""
from __future__ import annotations

from pathlib import Path

import pytest

from derek.ner.features import is_org_head

CASES = [line.split("\t") for line in (Path(__file__).parents[1] / "data" / "crf_org_head_cases.tsv")
         .read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("word,want", CASES, ids=[c[0] for c in CASES])
def test_org_head(word, want):
    assert is_org_head(word) is (want == "yes")
