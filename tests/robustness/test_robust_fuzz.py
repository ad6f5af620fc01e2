"""Hypothesis over `derek.analyze` and each stage of DEFAULT_STAGES (whatever is registered
when the tests run): no exception, every offset valid, JSON schema-valid output."""
from __future__ import annotations

import importlib.util
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import derek
from derek.pipeline import DEFAULT_STAGES, Pipeline

from fuzzkit import check_offsets, run_each_stage, texts
from tests.conftest import needs_seed

_ROOT_CONFTEST = importlib.util.spec_from_file_location(
    "derek_root_conftest", __import__("pathlib").Path(__file__).resolve().parents[1] / "conftest.py")
_conftest = importlib.util.module_from_spec(_ROOT_CONFTEST)
_ROOT_CONFTEST.loader.exec_module(_conftest)
assert_offsets = _conftest.assert_offsets

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(texts)
def test_analyze_never_raises_and_offsets_hold(text):
    doc = derek.analyze(text)
    assert doc.text is text or doc.text == text
    assert_offsets(doc)


@pytest.mark.parametrize("upto", list(DEFAULT_STAGES))
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=texts)
def test_each_stage_keeps_offsets(upto, text):
    """The pipeline up to `upto`, offsets checked after every stage (a failure names it)."""
    names = list(DEFAULT_STAGES)
    stages = Pipeline(names[: names.index(upto) + 1]).stages
    doc = run_each_stage(text, stages)
    json.loads(doc.to_json(tokens=True))


@FUZZ
@given(st.text(max_size=300))
def test_analyze_plain_unicode(text):
    check_offsets(derek.analyze(text))


@pytest.mark.parametrize("text", ["", " ", "\n", "\x00", "\ufeff", "«", "»", "1", "-", "\r\n\r\n",
                                  "Автор:", "Фото:\n", "«»", "\u0301", "😀", "a" * 5000])
def test_edge_inputs(text):
    assert_offsets(derek.analyze(text))


def test_analyze_rejects_non_str():
    with pytest.raises(TypeError):
        derek.analyze(b"bytes")


@needs_seed
def test_fuzz_script_small_run():
    """bench/fuzz.py (the ≥100k-input run) works end to end on a few inputs."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "bench" / "fuzz.py"
    r = subprocess.run([sys.executable, str(script), "--n", "25", "--schema-every", "5", "--json"],
                       capture_output=True, text=True, timeout=300)
    summary = json.loads(r.stdout)
    assert summary["inputs"] == 25 and summary["stages"] == list(DEFAULT_STAGES)
    assert r.returncode == 0 and summary["distinct_failures"] == 0, summary.get("failures")


@pytest.mark.parametrize("text", ["Қазақстан \ud800 өсті 12 %.", "\udcff" * 10])
def test_lone_surrogates(text):
    """A str may hold lone surrogates (json.loads of "\\ud800" gives one); analyze must cope.
    (The ner stage's crfsuite tagger raised SystemError on them at one point.)"""
    assert_offsets(derek.analyze(text))


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(texts, min_size=1, max_size=5), st.integers(1, 4))
def test_analyze_many_equals_analyze(batch, batch_size):
    """The batched path (NER over several articles' sentences at once) gives exactly what
    analyze gives one article at a time, whatever the articles."""
    many = list(derek.analyze_many(batch, batch_size=batch_size))
    assert [d.to_json(tokens=True) for d in many] == [derek.analyze(t).to_json(tokens=True) for t in batch]
