"""The "claims" stage: detect check-worthy claims and attach their verdicts."""
from __future__ import annotations

import dataclasses

from derek.doc import Document
from derek.pipeline import stage


# "Opinions and forecasts are not claims" (the annotation spec): no record could show them
# true or false yet, so the layer leaves them out; a goal or a target a statement of fact
# carries ("4-6% нысаналы дәліз") stays, unchecked (reason not_fact)
NOT_CLAIMS = ("forecast", "opinion")


def run_claims(doc: Document) -> None:
    from derek.claims.detect import detect
    from derek.claims.explain import verdict
    from derek.claims.reference import load_table
    from derek.claims.verify import check

    from derek.claims.conversions import detect_conversions

    table = load_table()
    read = _as_read(doc)
    conversions = detect_conversions(read, table)
    converted = {id(c.quantity) for c in conversions}
    claims = [c for c in conversions if c.modality not in NOT_CLAIMS]
    for det in detect(read, table):
        if det.indicator is None and id(det.claim.quantity) in converted:
            continue  # the conversion claim says more about this number
        if det.claim.modality in NOT_CLAIMS:
            continue
        det.claim.verdict = verdict(check(det, table), det.claim)
        claims.append(det.claim)
    if read is not doc:
        for c in claims:  # a claim quotes the input as written
            c.text = doc.text[c.start:c.end]
    doc.claims = sorted(claims, key=lambda c: (c.start, c.quantity.start if c.quantity else c.start))


def _as_read(doc: Document) -> Document:
    """The document as the claim rules read it: where the view only repaired look-alike letters
    (same offsets, nothing transliterated), its text is the repaired one — a Latin a typed in
    "жaлақы" must not change a claim, its frame or its verdict.  The layers are shared."""
    view = doc.view
    if view.is_identity and not view.transliterated and view.text != doc.text:
        return dataclasses.replace(doc, text=view.text)
    return doc


@stage("claims", requires=("view", "sentences", "paragraphs", "meta", "quantities", "dates", "quotes"),
       optional=("entities", "reported_by"), assigns=("claims",), kazakh=True)
def claims_stage(doc: Document) -> None:
    run_claims(doc)
