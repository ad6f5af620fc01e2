"""Every claim case of tests/data/claims_cases.toml again in Latin script, 2018 and 2021
(derek.text.translit.to_latin of the text, the layers' surfaces, the quotes' cues and speakers and
the expected surfaces): a word list or rule that only knows Cyrillic fails here.  Cases about
Russian words (a Russian month name) say `cyrillic_only = true`; the explanation's wording is
not compared (it quotes the claim)."""
from __future__ import annotations

import copy

import pytest

from derek.text.translit import to_latin
from tests.claims.test_cases import CASES, check_case

KAZAKH = [c for c in CASES if not c.get("cyrillic_only") and any("\u0400" <= ch <= "\u04ff" for ch in c["text"])]


def in_latin(case: dict, variant: str) -> dict:
    tr = lambda s: to_latin(s, variant)  # noqa: E731
    out = copy.deepcopy(case)
    out["text"] = tr(case["text"])
    for layer in ("quantities", "dates", "quotes"):
        for item in out.get(layer, []):
            for key in ("surface", "speaker", "speaker_text", "cue"):
                if item.get(key):
                    item[key] = tr(item[key])
    out["reported_by"] = [tr(x) for x in case.get("reported_by", [])]
    exp = out["expect"]
    for key in ("quantity", "sentence"):
        if key in exp and exp[key] != "none":
            exp[key] = tr(exp[key])
    if exp.get("speaker") and exp["speaker"] != "author":
        exp["speaker"] = tr(exp["speaker"])
    exp.pop("explanation_has", None)
    return out


@pytest.mark.parametrize("variant", ["latn2018", "latn2021"])
@pytest.mark.parametrize("case", KAZAKH, ids=[c["name"] for c in KAZAKH])
def test_case_in_latin(case, variant):
    check_case(in_latin(case, variant))
