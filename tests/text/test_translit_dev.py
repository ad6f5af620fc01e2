"""Round trip Cyrillic -> Latin -> Cyrillic on every Cyrillic news_dev article (needs ../shared)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from derek.text.translit import to_cyrillic, to_latin

ROOT = Path(__file__).resolve().parents[2]
NEWS_DEV = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared")) / "data" / "news_dev"
needs_news_dev = pytest.mark.skipif(not list(NEWS_DEV.glob("0*.txt")) if NEWS_DEV.exists() else True,
                                    reason=f"evaluation data not found: {NEWS_DEV}")

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
KAZAKH = re.compile("[а-яәғқңөұүһі]", re.IGNORECASE)
# letters that native Kazakh words do not use (loanwords: в ф х һ ц ч щ ъ ь э ё)
NON_NATIVE = set("вфхһцчщъьэёВФХҺЦЧЩЪЬЭЁ")


def round_trip_stats(variant: str) -> tuple[int, int, int, int, list]:
    native = native_ok = total = total_ok = 0
    misses = []
    for path in sorted(NEWS_DEV.glob("0*.txt")):
        for w in WORD.findall(path.read_text(encoding="utf-8")):
            if not KAZAKH.search(w):
                continue
            ok = to_cyrillic(to_latin(w, variant), variant).text == w
            total += 1
            total_ok += ok
            if not set(w) & NON_NATIVE:
                native += 1
                native_ok += ok
                if not ok:
                    misses.append(w)
    return native_ok, native, total_ok, total, misses


@needs_news_dev
@pytest.mark.parametrize("variant", ["latn2018", "latn2021"])
def test_round_trip_native_words(variant):
    native_ok, native, total_ok, total, misses = round_trip_stats(variant)
    print(f"{variant}: native {native_ok}/{native} = {native_ok / native:.4f}; "
          f"all Cyrillic words {total_ok}/{total} = {total_ok / total:.4f}; misses {sorted(set(misses))}")
    assert native > 1000
    assert native_ok / native >= 0.99, sorted(set(misses))
    assert total_ok / total >= 0.96


@needs_news_dev
@pytest.mark.parametrize("variant", ["latn2018", "latn2021"])
def test_whole_article_round_trip_keeps_non_letters(variant):
    """Digits, punctuation, spacing and line breaks survive the round trip exactly."""
    for path in sorted(NEWS_DEV.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        back = to_cyrillic(to_latin(text, variant), variant).text
        strip = re.compile(r"[^\W\d_]+")
        assert strip.sub("", back) == strip.sub("", text), path.name
