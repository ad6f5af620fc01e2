"""derek.render_html: highlights built from offsets, properly nested, everything escaped."""
from __future__ import annotations

from html.parser import HTMLParser
import sys
from pathlib import Path

STORE_TESTS = str(Path(__file__).resolve().parents[1] / "store")  # docfactory lives there
if STORE_TESTS not in sys.path:
    sys.path.append(STORE_TESTS)

import pytest

from derek.render_html import document_html, highlighted_text
from docfactory import UNIT_ERROR_VERDICT, corpus, make_doc


class _Checker(HTMLParser):
    """Collects text and checks that tags nest; records any element other than span."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.tags, self.attrs = [], [], set(), []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.tags.add(tag)
        self.attrs.extend(k for k, _ in attrs)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Checker:
    p = _Checker()
    p.feed(html)
    p.close()
    assert not p.stack
    return p


def test_highlights_cover_the_exact_offsets():
    doc = corpus()["kz_ru_trade"]
    html = highlighted_text(doc)
    p = parse(html)
    assert "".join(p.text) == doc.text  # nothing added, nothing lost
    assert '<span class="ent ent-GPE" data-i=' in html and '<span class="qty"' in html
    assert 'class="claim claim-inconsistent"' in html


def test_overlapping_items_stay_nested():
    text = "Алфа Бета Гамма Дельта"
    doc = make_doc(text, entities=[("Алфа Бета", "PERSON", None), ("Бета Гамма", "ORGANISATION", None)],
                   quantities=[("Гамма Дельта", 1, None)],
                   quotes=[("Бета Гамма Дельта", "direct", None, None)])
    p = parse(highlighted_text(doc))
    assert "".join(p.text) == text


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "</span></div><iframe src=javascript:alert(1)>",
    "&lt;already escaped&gt; & ampersands",
])
def test_untrusted_text_and_fields_are_escaped(payload):
    text = f"Ресей {payload} Қазақстан"
    doc = make_doc(text, headline=payload, reported_by=[payload],
                   entities=[("Ресей", f'GPE" onmouseover="x', payload)],
                   quotes=[(payload, "direct", None, payload)])
    doc.claims = make_doc(text, claims=[(text, "kz_ru_trade_turnover", "Ресей", 1, payload, payload,
                                         {**UNIT_ERROR_VERDICT, "explanation": payload, "status": payload})]).claims
    html = document_html(doc, inline_style=False)
    p = parse(html)
    assert p.tags <= {"div", "h2", "h3", "span", "section", "ul", "li", "blockquote", "p", "table", "tr", "th", "td"}
    assert set(p.attrs) <= {"class", "data-i", "title", "data-status", "lang", "role", "aria-label", "scope"}
    assert payload in "".join(p.text)  # shown as text


def test_repr_html_for_jupyter(seed_doc):
    html = seed_doc._repr_html_()
    assert html.startswith("<style>") and ".derek-doc" in html
    assert "Путиннің сапары" in html


def test_verdict_badges_and_explanations():
    """Kazakh by default; class names keep the raw values in every language."""
    doc = corpus()["kz_ru_trade"]
    kk = document_html(doc, inline_style=False)
    assert '<span class="badge verdict verdict-inconsistent">дерекке сай емес</span>' in kk
    assert '<span class="badge diagnosis diagnosis-unit_error">өлшем бірлігі қате</span>' in kk
    assert "30 млрд теңге шамамен 60 млн доллар." in kk and "hand-written test reference" in kk
    assert "the currency looks wrong" not in kk  # the explanation in the page's language only
    en = document_html(doc, inline_style=False, lang="en")
    assert '<span class="badge verdict verdict-inconsistent">inconsistent</span>' in en
    assert '<span class="badge diagnosis diagnosis-unit_error">unit error</span>' in en
    assert "the currency looks wrong" in en and "<h3>Claims</h3>" in en
    ru = document_html(doc, inline_style=False, lang="ru")
    assert "не соответствует" in ru and "<h3>Утверждения</h3>" in ru
    assert "the currency looks wrong" in ru  # no Russian explanation: the English one


@pytest.mark.parametrize("lang,words", [
    ("kk", ["Мәлімдемелер", "Атаулар", "Сандық мәндер", "Ел, елді мекен", "Тұлға", 'lang="kk"']),
    ("en", ["Claims", "Entities", "Quantities", "Country or city", "Person", 'lang="en"']),
    ("ru", ["Утверждения", "Именованные сущности", "Количества", "Страна, населённый пункт", "Персона", 'lang="ru"']),
])
def test_the_view_speaks_the_chosen_language(lang, words):
    html = document_html(corpus()["kz_ru_trade"], inline_style=False, lang=lang)
    for word in words:
        assert word in html, (lang, word)
    assert 'class="ent ent-GPE"' in html  # styles do not depend on the language


def test_any_spans_render_well_formed_and_lossless():
    """Property: whatever the items' offsets (overlapping, nested, touching, on markup
    characters), the view is well-formed HTML whose text is exactly the input."""
    from hypothesis import given, settings, strategies as st

    from derek.doc import Document, Entity, Quantity, Quote

    alphabet = st.sampled_from(list("аә <>&\"'ҚқRx\n«»"))

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet, min_size=1, max_size=40), st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 40), st.sampled_from(["ent", "qty", "quote"])), max_size=8))
    def check(text, spans):
        doc = Document.from_text(text)
        for a, b, kind in spans:
            a, b = sorted((min(a, len(text)), min(b, len(text))))
            if a == b:
                continue
            if kind == "ent":
                doc.entities.append(Entity(a, b, text[a:b], "GPE"))
            elif kind == "qty":
                doc.quantities.append(Quantity(a, b, text[a:b], 1.0))
            else:
                doc.quotes.append(Quote(a, b, text[a:b], "direct"))
        assert "".join(parse(highlighted_text(doc)).text) == text

    check()
