"""Every Cyrillic attribution case of tests/data/attribution_cases.toml again in Latin script,
2018 and 2021 (derek.text.translit.to_latin of the headline, the text and the expected quote
starts, ends, speakers and reported_by): a speech rule or word list that only knows Cyrillic,
or a name from derek's tables left in Cyrillic in a Latin article, fails here."""
from __future__ import annotations

import copy

import pytest

from derek.text.translit import to_latin
from tests.quotes.test_attribution_cases import CASES, HEADLINE, check_attribution

CYRILLIC = [c for c in CASES if not c.get("latin") and any("\u0400" <= ch <= "\u04ff" for ch in c["text"])]


def in_latin(case: dict, variant: str) -> dict:
    tr = lambda s: to_latin(s, variant)  # noqa: E731
    out = copy.deepcopy(case)
    out["headline"] = tr(case.get("headline", HEADLINE.strip()))
    out["text"] = tr(case["text"])
    for q in out["quotes"]:
        for key in ("start", "end", "speaker"):
            if q.get(key):
                q[key] = tr(q[key])
    if "reported_by" in out:
        out["reported_by"] = [tr(x) for x in case["reported_by"]]
    return out


@pytest.mark.parametrize("variant", ["latn2018", "latn2021"])
@pytest.mark.parametrize("case", CYRILLIC, ids=[c["id"] for c in CYRILLIC])
def test_attribution_in_latin(case, variant):
    check_attribution(in_latin(case, variant))
