"""The "claims" stage: detect check-worthy claims and attach their verdicts."""
from __future__ import annotations

from derek.doc import Document
from derek.pipeline import stage


def run_claims(doc: Document) -> None:
    from derek.claims.detect import detect
    from derek.claims.explain import verdict
    from derek.claims.reference import load_table
    from derek.claims.verify import check

    from derek.claims.conversions import detect_conversions

    table = load_table()
    conversions = detect_conversions(doc, table)
    converted = {id(c.quantity) for c in conversions}
    claims = list(conversions)
    for det in detect(doc, table):
        if det.indicator is None and id(det.claim.quantity) in converted:
            continue  # the conversion claim says more about this number
        det.claim.verdict = verdict(check(det, table), det.claim)
        claims.append(det.claim)
    doc.claims = sorted(claims, key=lambda c: (c.start, c.quantity.start if c.quantity else c.start))


@stage("claims", requires=("view", "sentences", "paragraphs", "meta", "quantities", "dates", "quotes"),
       optional=("entities", "reported_by"), assigns=("claims",), kazakh=True)
def claims_stage(doc: Document) -> None:
    run_claims(doc)
