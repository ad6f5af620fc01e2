"""Detection reads the analysis view; offsets stay those of the original even when the view
is not the same length (here: zero-width spaces removed by the view)."""
from __future__ import annotations

import derek
from derek.claims import check_document
from derek.doc import DateMention, Quantity
from derek.text.view import TextView
from tests.conftest import assert_offsets


def test_non_identity_view_keeps_original_offsets():
    original = "2024 жылы Қазақстан мен Ресейдің тауар\u200b айналымы 28 млрд теңгеге жетті."
    doc = derek.analyze(original, stages=["normalize", "tokenize", "structure"])
    pieces, i = [], 0
    for ch in original:
        pieces.append((i, i + 1, "" if ch == "\u200b" else ch))
        i += 1
    doc.view = TextView.from_pieces(original, pieces)
    assert not doc.view.is_identity and "тауар айналымы" in doc.view.text
    surface = "28 млрд теңгеге"
    k = original.index(surface)
    doc.quantities = [Quantity(k, k + len(surface), surface, 28e9, "KZT")]
    doc.dates = [DateMention(0, 9, "2024 жылы", "2024")]
    check_document(doc)
    (claim,) = [c for c in doc.claims if c.indicator]
    assert claim.indicator == "kz_ru_trade_turnover"
    assert claim.verdict["diagnosis"] == "unit_error"
    assert original[claim.start:claim.end] == claim.text
    assert_offsets(doc)


def test_web_card_shows_frame_and_evidence():
    """The page's claim card carries the frame and the evidence (one function, its labels from
    the page's translation table: Kazakh by default, English and Russian on request)."""
    from derek.render_html import claim_frame_evidence_html, document_html

    text = "2024 жылы Қазақстан мен Ресей арасындағы тауар айналымы 28 млрд теңгеге жетті."
    doc = derek.analyze(text)
    claim = next(c for c in doc.claims if c.quantity)
    html = claim_frame_evidence_html(claim, "en")
    assert "kz_ru_trade_turnover" in html and "KZ-RU" in html and "28,000,000,000 USD" in html
    assert "https://" in html and "Kind: news" in html and "<dt>Frame</dt>" in html
    assert "<dt>Мәлімдеме құрылымы</dt>" in claim_frame_evidence_html(claim, "kk")
    assert "<dt>Структура утверждения</dt>" in claim_frame_evidence_html(claim, "ru")
    assert html in document_html(doc, lang="en")
