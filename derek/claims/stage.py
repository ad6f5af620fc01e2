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
    detected = detect(read, table)
    headline_takes_body_mood(read, detected)
    for det in detected:
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


def headline_takes_body_mood(doc: Document, detected: list) -> None:
    """A headline states a body sentence's figure in brief and drops its mood: "… 34 миллиард
    доллар болады" over "… болатынын айтты", "… 3 млн тонна өнім жиналады" over "… жеткізіледі
    деп күтілуде".  A headline figure that the body gives (the same value and unit) only as a
    forecast, a goal or an opinion takes the body's modality; one the body also states as a fact,
    or does not repeat, keeps its own."""
    head = next((p for p in doc.paragraphs if p.role == "headline"), None)
    if head is None:
        return
    start, end = head.start, head.end
    body: dict[tuple, set[str]] = {}
    for det in detected:
        q = det.claim.quantity
        if q is not None and q.start >= end:
            body.setdefault((q.value, q.unit), set()).add(det.claim.modality)
    for det in detected:
        q = det.claim.quantity
        if q is None or not start <= q.start < end or det.claim.modality != "fact":
            continue
        moods = body.get((q.value, q.unit), {"fact"})
        if "fact" not in moods:
            det.claim.modality = min(moods)  # one of them, the same on every run


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
