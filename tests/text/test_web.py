"""derek/text/web.py over tests/data/web_domain_cases.tsv, and the one TLD list reaching the
tokenizer and the transliterator."""
from __future__ import annotations

from pathlib import Path

import pytest

from derek.text.web import find_domain, is_domain, tlds

CASES = Path(__file__).resolve().parents[1] / "data" / "web_domain_cases.tsv"
ROWS = [line.split("\t") for line in CASES.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("word,whole,inside", ROWS, ids=[r[0] for r in ROWS])
def test_case(word, whole, inside):
    assert is_domain(word) is (whole == "True")
    m = find_domain(word)
    assert (m.group() if m else "-") == inside


def test_tlds_longest_first():
    assert [len(t) for t in tlds()] == sorted((len(t) for t in tlds()), reverse=True)


@pytest.mark.parametrize("tld", ["kz", "кз", "media", "su"])
def test_tokenizer_keeps_a_domain_whole(tld):
    from derek.text.tokenize import tokenize

    text = f"Жаңалықты portal.{tld} сайты жариялады."
    assert f"portal.{tld}" in [text[t.start:t.end] for t in tokenize(text)]


def test_transliteration_keeps_a_domain_in_its_letters():
    from derek.text.translit import protected_spans

    text = "Derekter qazinform.media saitynda"
    spans = protected_spans(text, 0, len(text))
    assert [text[a:b] for a, b in spans] == ["qazinform.media"]
