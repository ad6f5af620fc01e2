"""Adversarial inputs stay linear: time at 4n is compared with time at n.

Linear code gives a ratio near 4, quadratic code near 16; the bound (8) is loose so a
shared, noisy CI machine does not fail it, and the small sizes keep a quadratic stage from
hanging the suite.  On failure the message names the stages whose own time grew fastest.
"""
from __future__ import annotations

import time

import pytest

from fuzzkit import ADVERSARIAL, seconds_to_analyze

N = 2000
RATIO = 8.0
SLOW_AT_N_S = 3.0
MEASURABLE_S = 0.1  # beyond this at n, 4n would take too long; fail without running it


def stage_growth(text_n: str, text_4n: str) -> str:
    from derek.doc import Document
    from derek.pipeline import Pipeline

    rows = []
    times: dict[str, list[float]] = {}
    for text in (text_n, text_4n):
        doc = Document.from_text(text)
        for st in Pipeline().stages:
            t0 = time.process_time()
            st(doc)
            times.setdefault(st.name, []).append(time.process_time() - t0)
    for name, (a, b) in sorted(times.items(), key=lambda kv: -kv[1][1]):
        rows.append(f"{name} {a:.3f}s -> {b:.3f}s")
    return "; ".join(rows[:3])


@pytest.mark.parametrize("pattern", list(ADVERSARIAL))
def test_linear_in_input_size(pattern):
    make = ADVERSARIAL[pattern]
    n = N
    small = make(n)
    t1 = seconds_to_analyze(small, repeat=2)
    # a few milliseconds is mostly timer and scheduler noise: grow n until it is measurable
    while t1 < MEASURABLE_S and n < 16 * N:
        n *= 2
        small = make(n)
        t1 = seconds_to_analyze(small, repeat=2)
    assert t1 < SLOW_AT_N_S, f"{pattern}: {t1:.2f}s already at {len(small)} chars ({stage_growth(small, small)})"
    large = make(4 * n)
    t4 = seconds_to_analyze(large, repeat=1)
    if t4 > RATIO * t1:  # measure again before blaming the code for a noisy neighbour
        t1 = min(t1, seconds_to_analyze(small, repeat=2))
        t4 = min(t4, seconds_to_analyze(large, repeat=1))
    assert t4 <= RATIO * t1, (f"{pattern}: {len(small)} chars {t1:.3f}s -> {len(large)} chars {t4:.3f}s "
                              f"(x{t4 / t1:.1f}); slowest stages n -> 4n: {stage_growth(small, large)}")


def test_100k_char_line_in_bounded_time():
    """One 100k-character line of ordinary words (no newline) analyzes within the linear
    budget (1 MB < 10 s target => 100 KB well under 5 s even on a loaded machine)."""
    text = ("Қазақстан үкіметі 2024 жылы 12,5 млрд теңге бөлді, деді министр. " * 1600)[:100_000]
    t = seconds_to_analyze(text, repeat=1)
    assert t < 5.0, f"100k-char line took {t:.1f}s"
