"""derek.morph.grammar: the one public API for Kazakh endings and name forms.  Cases in
tests/data/grammar_cases.tsv (written by hand); the endings themselves come from
derek/data/suffixes.toml, so these tests also pin what the extractors get from it."""
from __future__ import annotations

from pathlib import Path

import pytest

from derek.morph import grammar

CASES = Path(__file__).resolve().parents[1] / "data" / "grammar_cases.tsv"


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            fn, text, expected = line.split("\t")[:3]
            rows.append((fn, text, expected))
    return rows


ROWS = _rows()


@pytest.mark.parametrize("fn,text,expected", ROWS, ids=[f"{r[0]}:{r[1]}" for r in ROWS])
def test_case(fn, text, expected):
    got = getattr(grammar, fn)(text)
    assert str(got) == expected


def test_every_function_has_cases():
    assert {r[0] for r in ROWS} >= {"strip_case", "nominative", "is_genitive", "is_surname", "is_patronymic"}


def test_forms_come_from_the_tables_in_data_order():
    assert grammar.forms("GEN") == ("ның", "нің", "дың", "дің", "тың", "тің")
    assert grammar.forms("ABL") == ("дан", "ден", "нан", "нен", "тан", "тен")
    assert set(grammar.forms("DAT")) == {"ға", "ге", "қа", "ке", "на", "не", "а", "е"}
    with pytest.raises(KeyError):
        grammar.forms("NOPE")


def test_endings_are_longest_first_and_filtered_by_length():
    ends = grammar.case_endings()
    assert [len(e) for e in ends] == sorted((len(e) for e in ends), reverse=True)
    assert "менен" in ends and "н" in ends
    assert grammar.case_endings("DAT", min_len=2) == ("ға", "ге", "қа", "ке", "на", "не")
    assert set(grammar.case_endings()) == set().union(*(grammar.forms(c) for c in grammar.CASES))


def test_after_the_possessive_only_its_own_allomorphs():
    after = set(grammar.endings_after("POSS3"))
    # Сәтбайұлы+на, +н, +нда, +ның, +мен — never *+ға, *+ды, *+да
    assert {"на", "не", "н", "нда", "ндағы", "ның", "мен", "нан"} <= after
    assert not after & {"ға", "ды", "да", "дан"}


def test_chain_forms_cover_every_left_context():
    assert set(grammar.chain_forms("LOC", "REL")) == {"дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі"}


def test_alternation_matches_every_form():
    import re

    rx = re.compile(grammar.alternation("GEN", "DAT") + "$")
    assert rx.search("Алматының") and rx.search("Астанаға") and not rx.search("Астанадан")


def test_has_case():
    assert grammar.has_case("ресейден", "ABL") and grammar.has_case("бюроға", "DAT")
    assert not grammar.has_case("бюро", "DAT")


def test_ner_feature_endings_are_name_endings():
    # the frozen NER feature list names surnames and patronymics only
    names = grammar.surname_endings() + grammar.patronymic_endings()
    assert all(any(e.endswith(x) or x.endswith(e) for x in names) for e in grammar.ner_feature_endings())


def test_adjective_endings_leave_out_having_by_default():
    assert "лық" in grammar.adjective_endings() and "лы" not in grammar.adjective_endings()
    assert "лы" in grammar.adjective_endings("having")


def test_is_nominative():
    assert grammar.is_nominative("Асқар Жұмабаев")
    assert not grammar.is_nominative("Асқар Жұмабаевтың")
