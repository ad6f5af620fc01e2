"""Claim detection + verification on the hand-written cases in tests/data/claims_cases.toml.

Documents are built by hand (Document + the foundation stages for sentences), with the
quantities/dates/quotes layers filled from the case, so these tests do not depend on the
extractors' progress."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import derek
from derek.claims import check_document
from derek.doc import DateMention, Quantity, Quote, Speaker
from tests.conftest import assert_offsets

CASES = tomllib.loads((Path(__file__).parent.parent / "data" / "claims_cases.toml").read_text("utf-8"))["case"]


def build(case: dict):
    text = case["text"]
    meta = {"published": case["published"]} if case.get("published") else None
    doc = derek.analyze(text, meta=meta, stages=["normalize", "tokenize", "structure"])

    def at(surface: str) -> int:
        i = text.find(surface)
        assert i >= 0, f"{surface!r} not in case text"
        return i

    for q in case.get("quantities", []):
        i = at(q["surface"])
        doc.quantities.append(Quantity(i, i + len(q["surface"]), q["surface"], q["value"], q.get("unit"),
                                       q.get("qualifier", "exact"), q.get("per")))
    for d in case.get("dates", []):
        i = at(d["surface"])
        doc.dates.append(DateMention(i, i + len(d["surface"]), d["surface"], d["iso"]))
    for qt in case.get("quotes", []):
        i = at(qt["surface"])
        # speaker = "" is a quote with no speaker; speaker_text alone, a speaker with no name
        speaker = Speaker(None, None, qt.get("speaker_text"), qt["speaker"] or None) \
            if qt["speaker"] or qt.get("speaker_text") else None
        doc.quotes.append(Quote(i, i + len(qt["surface"]), qt["surface"], qt.get("kind", "direct"),
                                qt.get("cue", "деді"), speaker))
    doc.meta.reported_by = list(case.get("reported_by", []))
    return doc


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    check_case(case)


def check_case(case: dict) -> None:
    """Build the case's document, run the claims stage and check what `expect` says."""
    doc = build(case)
    check_document(doc)
    exp = case["expect"]
    if "event" in exp:
        found = [c for c in doc.claims if c.indicator == exp["event"]]
    elif "sentence" in exp:
        found = [c for c in doc.claims if c.text.startswith(exp["sentence"])]
    else:
        found = [c for c in doc.claims if c.quantity and c.quantity.text == exp["quantity"]]
    if exp.get("absent"):  # no claim at all, or none of this quantity
        assert (found if "quantity" in exp else doc.claims) == [], [(c.text, c.modality) for c in doc.claims]
        return
    assert len(found) == 1, [(c.indicator, c.quantity and c.quantity.text) for c in doc.claims]
    claim = found[0]
    v = claim.verdict
    if "indicator" in exp:
        assert (claim.indicator or "") == exp["indicator"]
    for key in ("period", "modality", "speaker"):
        if key in exp:
            assert (getattr(claim, key) or "") == exp[key], key  # "" = left open (None)
    if "basis" in exp:
        assert v["period_basis"] == exp["basis"]
    assert v["status"] == exp["status"], v["explanation"]["en"]
    if "diagnosis" in exp:
        assert (v["diagnosis"] or "") == exp["diagnosis"], v["explanation"]["en"]
    if "reason" in exp:
        assert v.get("reason") == exp["reason"]
    for needle in exp.get("explanation_has", []):
        assert needle in v["explanation"]["en"], v["explanation"]["en"]
    assert v["explanation"]["kk"] and v["explanation"]["en"]
    if v["status"] != "unverifiable" or v["diagnosis"]:
        assert v["reference"]["source"], "a verdict always names its source"
    assert_offsets(doc)  # claims are schema-valid and their offsets exact


def test_claim_sentence_offsets_are_exact():
    doc = build(CASES[0])
    check_document(doc)
    for c in doc.claims:
        assert doc.text[c.start:c.end] == c.text
        assert c.quantity is None or doc.text[c.quantity.start:c.quantity.end] == c.quantity.text


FRAME_CASES = tomllib.loads((Path(__file__).parent.parent / "data" / "claims_cases.toml").read_text("utf-8"))["frame_case"]


@pytest.mark.parametrize("case", FRAME_CASES, ids=[c["name"] for c in FRAME_CASES])
def test_frame_case(case):
    """The frame slots read from the number's clause, and the gate that stops a verdict."""
    doc = build(case)
    check_document(doc)
    for want in case["frames"]:
        found = [c for c in doc.claims if c.quantity and c.quantity.text == want["quantity"]]
        assert len(found) == 1, [(c.quantity and c.quantity.text) for c in doc.claims]
        claim = found[0]
        for slot in ("indicator", "scope", "stat_type", "basis", "period", "geography"):
            if slot in want:
                assert claim.frame[slot] == want[slot], (slot, claim.frame)
        if "reason" in want:
            assert claim.verdict["status"] == "unverifiable"
            assert claim.verdict.get("reason") == want["reason"], claim.verdict["explanation"]["en"]
