"""The analysis view: identity for Cyrillic, transliterated with an exact offset map for Latin."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import derek
from derek.text.translit import to_cyrillic

ROOT = Path(__file__).resolve().parents[2]
NEWS_DEV = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared")) / "data" / "news_dev"

# written for this test (2018 alphabet, the spelling of lat.egemen.kz)
LATIN_2018 = """Astanada jańa mektep ashyldy

Avtor: Aıgúl Serikqyzy

Foto: Egemen.kz

Búgin Astana qalasynda 1 200 oqýshyǵa arnalǵan jańa mektep ashyldy, dep habarlaıdy Egemen.kz. Mekteptiń qurylysyna 5,5 mlrd teńge jumsaldy.
«Bul – bizdiń ortaq jetistigimiz», – dedi ákim.
"""

LATIN_2021 = """Astanada jaña mektep aşyldy

Avtor: Aigül Serıkqyzy

Bügın Astana qalasynda jaña mektep aşyldy. Mektepke 1 200 oquşy barady.
"""


def _check_offsets(doc):
    for t in doc.tokens:
        assert doc.text[t.start:t.end] == t.text
    for s in doc.sentences:
        assert 0 <= s.start < s.end <= len(doc.text)
    for a, b in zip(doc.tokens, doc.tokens[1:]):
        assert a.end <= b.start


def test_cyrillic_view_is_identity(seed_text):
    doc = derek.analyze(seed_text, stages=["normalize", "tokenize"])
    assert doc.script == "cyrl"
    assert doc.view.is_identity
    assert doc.view.text == seed_text  # "Azattyq Rýhy" is left as written
    assert all(t.norm == t.text for t in doc.tokens)


def test_homoglyphs_repaired_in_view_only():
    text = "Қазақстaн экономикасы бiр жылда өсті."
    doc = derek.analyze(text, stages=["normalize", "tokenize"])
    assert doc.view.text == "Қазақстан экономикасы бір жылда өсті."
    assert doc.view.is_identity  # same length: offsets unchanged
    tok = doc.tokens[0]
    assert (tok.text, tok.norm) == ("Қазақстaн", "Қазақстан")


@pytest.mark.parametrize("text,headline", [(LATIN_2018, "Astanada jańa mektep ashyldy"),
                                           (LATIN_2021, "Astanada jaña mektep aşyldy")])
def test_latin_article_structure_through_view(text, headline):
    doc = derek.analyze(text)
    assert doc.script == "latn"
    assert doc.view.text.startswith("Астанада жаңа мектеп ашылды")
    assert "Автор:" in doc.view.text
    assert doc.meta.headline == headline
    assert doc.meta.author in ("Aıgúl Serikqyzy", "Aigül Serıkqyzy")
    _check_offsets(doc)


def test_latin_article_tokens_and_protected_domain():
    doc = derek.analyze(LATIN_2018, stages=["normalize", "tokenize", "structure"])
    assert doc.meta.photo_credit == "Egemen.kz"
    norms = {t.text: t.norm for t in doc.tokens}
    assert norms["Egemen.kz"] == "Egemen.kz"  # domains keep their Latin spelling
    assert norms["habarlaıdy"] == "хабарлайды"
    assert norms["1 200"] == "1 200"
    assert norms["5,5"] == "5,5"
    assert norms["ákim"] == "әкім"
    # 3 sentences in the body paragraph lines + headline + 2 label lines
    texts = [doc.text[s.start:s.end] for s in doc.sentences]
    assert texts[0] == "Astanada jańa mektep ashyldy"
    assert "Mekteptiń qurylysyna 5,5 mlrd teńge jumsaldy." in texts


def test_view_spans_map_back_inside_words():
    view = to_cyrillic("Shymkent qalasynda", "latn2018")
    assert view.text == "Шымкент қаласында"
    # "Ш" comes from "Sh"; "қаласында" from "qalasynda"
    assert view.to_original(0, 1) == (0, 2)
    i = view.text.index("қаласында")
    assert view.to_original(i, i + len("қаласында")) == (9, 18)


def test_mixed_document_transliterates_only_the_latin_passage():
    text = ("Бүгін Астанада жиын өтті, деп хабарлайды Azattyq Rýhy.\n"
            "Qazaqstan saýdasy bıyl 5 paıyzǵa ósti dep habarlady tilshi.\n")
    doc = derek.analyze(text, stages=["normalize", "tokenize"])
    assert "Azattyq Rýhy" in doc.view.text
    assert "Қазақстан саудасы биыл 5 пайызға өсті" in doc.view.text
    _check_offsets(doc)


@pytest.mark.skipif(not (NEWS_DEV / "101.txt").exists(), reason="evaluation data not found")
def test_news_dev_latin_article_maps_back_exactly():
    text = (NEWS_DEV / "101.txt").read_text(encoding="utf-8")
    doc = derek.analyze(text)
    assert doc.script == "latn"
    assert doc.view.text.startswith("4 өңірдің дәрігерлеріне")
    _check_offsets(doc)
    words = [t for t in doc.tokens if t.kind == "word"]
    assert words and all(not any("a" <= c.lower() <= "z" for c in t.norm) for t in words)
    # every token's view form is the transliteration of its own original text
    for t in words:
        assert to_cyrillic(t.text, "latn2018").text == t.norm, t.text
