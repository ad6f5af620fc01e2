"""The "claims" stage: detect check-worthy claims and attach their verdicts."""
from __future__ import annotations

from derek.doc import Document
from derek.pipeline import stage


def run_claims(doc: Document) -> None:
    from derek.claims.detect import detect
    from derek.claims.explain import verdict
    from derek.claims.reference import load_table
    from derek.claims.verify import check

    table = load_table()
    claims = []
    for det in detect(doc, table):
        det.claim.verdict = verdict(check(det, table))
        claims.append(det.claim)
    doc.claims = claims


@stage("claims", requires=("sentences", "quantities", "dates", "quotes"), assigns=("claims",))
def claims_stage(doc: Document) -> None:
    run_claims(doc)
