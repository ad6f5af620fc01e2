"""Every Cyrillic claim case of tests/data/claims_cases.toml again, typed with Latin look-alikes
(each word that keeps a letter only Cyrillic has gets one Latin twin: "жaлақы", "Aстана"), as
text pasted from a Latin keyboard is: the claims, their frames and verdicts must not change.
The view repairs the letters; a rule that reads the original text instead would see them.
Expected surfaces are typed the same way; speakers are expected repaired (a name is stored in
one spelling)."""
from __future__ import annotations

import copy
import re

import pytest

from tests.claims.test_cases import CASES, check_case

_TWINS = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i",
          "А": "A", "Е": "E", "О": "O", "Р": "P", "С": "C", "Х": "X", "Т": "T", "М": "M", "Н": "H"}
_DISTINCT = re.compile("[бвгджзийклнптфцчшщъыьэюяәғқңөұүһБГДЖЗИЙЛПФЦЧШЩЭЮЯӘҒҚҢӨҰҮҺ]")


def typed(text: str) -> str:
    def one(m: re.Match) -> str:
        w = m.group()
        at = next((i for i, ch in enumerate(w) if ch in _TWINS), None)
        if at is None or not _DISTINCT.search(w[:at] + w[at + 1:]):
            return w
        return w[:at] + _TWINS[w[at]] + w[at + 1:]
    return re.sub(r"[^\W\d_]+", one, text)


KAZAKH = [c for c in CASES if any("\u0400" <= ch <= "\u04ff" for ch in c["text"])]


def with_look_alikes(case: dict) -> dict:
    out = copy.deepcopy(case)
    out["text"] = typed(case["text"])
    for layer in ("quantities", "dates", "quotes"):
        for item in out.get(layer, []):
            for key in ("surface", "speaker_text", "cue"):
                if item.get(key):
                    item[key] = typed(item[key])
    exp = out["expect"]
    for key in ("quantity", "sentence"):
        if key in exp and exp[key] != "none":
            exp[key] = typed(exp[key])
    exp.pop("explanation_has", None)
    return out


@pytest.mark.parametrize("case", KAZAKH, ids=[c["name"] for c in KAZAKH])
def test_case_typed_with_look_alikes(case):
    check_case(with_look_alikes(case))
