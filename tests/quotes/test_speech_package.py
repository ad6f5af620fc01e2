"""The speech package: each detector of the named table fires on its own kind of speech, and
no module reaches into another's private names."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import derek
from derek.extract.speech import DETECTORS, attributed_quotes

HEADLINE = "Жаңалық\n\n"

# one sentence per detector, in our own words: (detector, text, the quote's first words)
FIRES = [
    ("quote_marks", "«Көктемде жолдар жөнделеді», – деді Арман Сейітов.", "Көктемде жолдар"),
    ("dash_speech", "– Көктемде жолдар жөнделеді, – деді Арман Сейітов.", "Көктемде жолдар"),
    ("interview_turns", "– Жолдар қашан жөнделеді?\n\n– Көктемде бастаймыз, жоспар дайын.", "Жолдар қашан"),
    ("colon_lines", "Арман Сейітов, жол басқармасының басшысы:\n\nКөктемде барлық көшелер жөнделеді.",
     "Көктемде барлық"),
    ("caption_speech", "Жол жөнделді. Арман Сейітов, жол басқармасының басшысы: – Көктемде көшелер жөнделеді.",
     "Көктемде көшелер"),
    ("transcript_lines", "Тілші: Жолдар қашан жөнделеді, айта аласыз ба?", "Жолдар қашан"),
    ("indirect_markers", "Арман Сейітовтің айтуынша, көктемде жолдар жөнделеді.", "көктемде жолдар"),
    ("dep_no_dash", "Көктемде барлық жолдар жөнделеді, деп мәлімдеді Арман Сейітов.", "Көктемде барлық"),
    ("reporting_clauses", "Арман Сейітов көктемде барлық жолдар жөнделетінін айтты.", "көктемде барлық"),
]


def test_the_table_names_every_detector_once():
    names = [n for n, _ in DETECTORS]
    assert len(names) == len(set(names))
    assert {n for n, _, _ in FIRES} <= set(names)


@pytest.mark.parametrize("name,text,start", FIRES, ids=[f[0] for f in FIRES])
def test_detector_fires(name, text, start):
    found = attributed_quotes(derek.analyze(HEADLINE + text))
    assert [(a.detector, a.quote.text[:len(start)]) for a in found][:1] == [(name, start)]


def test_find_quotes_is_what_the_stage_stores():
    doc = derek.analyze(HEADLINE + FIRES[0][1])
    assert [a.quote for a in attributed_quotes(doc)] == doc.quotes


def test_no_private_imports_across_modules():
    root = Path(derek.__file__).parent
    bad = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("derek.extract"):
                bad += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert not bad
