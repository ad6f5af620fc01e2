"""tests/data/translit_cases.tsv: Cyrillic <-> 2018 / 2021 Latin, both directions."""
from __future__ import annotations

from pathlib import Path

import pytest

from derek.text.translit import to_cyrillic, to_latin

CASES = Path(__file__).resolve().parent.parent / "data" / "translit_cases.tsv"


def _load():
    out = []
    for no, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        cyr, l18, l21 = cols[:3]
        flags = cols[3] if len(cols) > 3 else ""
        out.append(pytest.param(cyr, l18, l21, flags, id=f"L{no}-{cyr[:12]}"))
    return out


CASE_LIST = _load()


def test_enough_cases():
    assert len(CASE_LIST) >= 80


@pytest.mark.parametrize("cyr,l18,l21,flags", CASE_LIST)
def test_to_latin(cyr, l18, l21, flags):
    assert to_latin(cyr, "latn2018") == l18
    assert to_latin(cyr, "latn2021") == l21


@pytest.mark.parametrize("cyr,l18,l21,flags", CASE_LIST)
def test_to_cyrillic(cyr, l18, l21, flags):
    if "oneway" in flags:
        pytest.skip("loanword: the Latin form is ambiguous")
    assert to_cyrillic(l18, "latn2018").text == cyr
    assert to_cyrillic(l21, "latn2021").text == cyr


INFORMAL = [
    ("Wlttıq bank şotında saqtalatın boladı.", "Ұлттық банк шотында сақталатын болады."),
    ("QR Densaulıq saqtau ministri", "ҚР Денсаулық сақтау министрі"),
    ("Qazaqstan Prezidenti Nwrswltan Nazarbaev", "Қазақстан Президенті Нұрсұлтан Назарбаев"),
    ("Ayta keteyik, biz qordıñ jwmısın jalğastıra beremiz", "Айта кетейік, біз қордың жұмысын жалғастыра береміз"),
    ("YAqup tayaq aldı", "Яқуп таяқ алды"),
    ("Alayda ol jüyesin engizu merzimi", "Алайда ол жүйесін енгізу мерзімі"),
    ("Rossiya men Qıtay", "Россия мен Қытай"),
    ("medicinalıq saqtandıru", "медіциналық сақтандыру"),  # best effort: di is ambiguous
]


@pytest.mark.parametrize("latin,cyr", INFORMAL)
def test_informal_latin(latin, cyr):
    assert to_cyrillic(latin, "informal").text == cyr
    assert to_cyrillic(latin).text == cyr  # detected as informal


@pytest.mark.parametrize("latin,variant,kept", [
    ("Globe Soccer Awards syılyǵy berildi", "latn2018", ["Globe Soccer Awards"]),
    ("Exxon Mobil kompanııasy men Air Astana", "latn2018", ["Exxon Mobil", "Air Astana"]),  # 2018 "ai"
    ("Air Astana ūşaqtary", "latn2021", []),               # 2021 writes ай "ai": no sign there
    ("ol aitqan edi", "latn2018", []),                     # a lower-case word mistyped, no name
    ("Arasan Wellness & SPA kesheni", "latn2018", ["Arasan Wellness & SPA"]),
    ("Chelsi klýby jeńdi", "latn2018", []),                # 2018 ch is ч
    ("Chelsea klubı jeñdı", "latn2021", ["Chelsea"]),      # 2021 writes ч ç
    ("WBO chempıony atandy", "latn2018", ["WBO"]),
    ("Nwrswltan qalasynda", "informal", []),               # informal w is ұ
    ("The Guardian gazeti jazdy", "latn2018", ["The Guardian"]),  # an English word, no sign letter
    ("Museum of Modern Art ashyldy", "latn2021", ["Museum of Modern Art"]),  # across "of"
])
def test_foreign_names_keep_latin(latin, variant, kept):
    from derek.text.translit import foreign_spans

    assert [latin[a:b] for a, b in foreign_spans(latin, 0, len(latin), variant)] == kept
