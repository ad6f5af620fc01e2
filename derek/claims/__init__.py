"""Check-worthy claims and their verification against sourced statistics.

    detect.py      sentences → Claim records (indicator, quantity, period, speaker, modality)
    checkworthy.py a number or a sentence no indicator names that is still a claim
    mood.py        a predicate that makes its figures a plan or a forecast (no claims)
    speakers.py    who states a claim (quotes, "деп хабарлайды X", the author)
    indicators.py  derek/data/indicators.toml: what a number can be about
    reference.py   derek/data/reference_stats.csv (+ the user table): sourced figures
    verify.py      claim vs reference → status and diagnosis
    explain.py     English and Kazakh explanations, the verdict record
    stage.py       the "claims" pipeline stage
"""
from __future__ import annotations


def check_document(doc) -> list:
    """Detect and verify the claims of an analysed document (fills and returns doc.claims)."""
    from derek.claims.stage import run_claims

    run_claims(doc)
    return doc.claims
