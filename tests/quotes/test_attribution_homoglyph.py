"""Every Cyrillic attribution case of tests/data/attribution_cases.toml again, typed with Latin
look-alikes (tests/claims/test_cases_homoglyph.typed: one Latin twin in each word that keeps a
letter only Cyrillic has): the same quotes, cut at the same places, and the same speakers —
a speaker's name repaired, as it is stored and searched in one spelling."""
from __future__ import annotations

import copy

import pytest

from tests.claims.test_cases_homoglyph import typed
from tests.quotes.test_attribution_cases import CASES, HEADLINE, check_attribution

CYRILLIC = [c for c in CASES if not c.get("latin") and any("\u0400" <= ch <= "\u04ff" for ch in c["text"])]


def with_look_alikes(case: dict) -> dict:
    out = copy.deepcopy(case)
    out["headline"] = typed(case.get("headline", HEADLINE.strip()))
    out["text"] = typed(case["text"])
    for q in out["quotes"]:
        for key in ("start", "end"):
            if q.get(key):
                q[key] = typed(q[key])
    return out


@pytest.mark.parametrize("case", CYRILLIC, ids=[c["id"] for c in CYRILLIC])
def test_attribution_typed_with_look_alikes(case):
    check_attribution(with_look_alikes(case))
