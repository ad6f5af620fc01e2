"""Script detection: tests/data/script_cases.tsv and the news_dev gold labels."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from derek.text.script import LABELS, coarse, detect_script, sentence_scripts

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "data" / "script_cases.tsv"
NEWS_DEV = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared")) / "data" / "news_dev"
needs_news_dev = pytest.mark.skipif(not NEWS_DEV.exists(), reason=f"evaluation data not found: {NEWS_DEV}")


def _load():
    out = []
    for no, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or "\t" not in line:
            continue
        text, label = line.split("\t")[:2]
        out.append(pytest.param(text, label, id=f"L{no}-{label}"))
    return out


@pytest.mark.parametrize("text,label", _load())
def test_case(text, label):
    assert label in LABELS
    assert detect_script(text) == label


def test_coarse_labels_are_schema_values():
    assert {coarse(label) for label in LABELS} == {"cyrl", "latn", "mixed"}


def test_sentence_labels():
    text = "Қазақстан экономикасы өсті.\nQazaqstan ekonomıkasy ósti.\nСледующая страница."
    labels = [label for _, _, label in sentence_scripts(text)]
    assert labels == ["kk_cyrl", "latn2018", "ru_cyrl"]


@needs_news_dev
def test_news_dev_gold_script():
    """Document.script matches the gold "script" field of every dev article."""
    import derek

    wrong = []
    for gold_path in sorted(NEWS_DEV.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
        doc = derek.analyze(text, stages=["normalize"])
        if doc.script != gold["script"]:
            wrong.append((gold_path.name, doc.script, gold["script"]))
    assert not wrong
