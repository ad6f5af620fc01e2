"""A model PERSON span is cut after an inner word in a case only a name's last word takes
(derek/ner/names.py _split_declined); first names and adjectives that merely end like one stay."""
import pytest

from derek.ner.names import _split_declined

CASES = [
    (["Сәкенді", "Асқар"], [(0, 1), (1, 2)]),            # whom (accusative), then who
    (["Мадина", "Омарованың", "Лондондағы"], [(0, 2), (2, 3)]),  # a genitive ends the person
    (["Астанадағы", "Ерлан", "Сапаров"], [(0, 1), (1, 3)]),  # "-дағы": where, not who
    (["Дариға", "Назарбаева"], [(0, 2)]),                 # a first name ending like a dative
    (["Еркін", "Тапалов"], [(0, 2)]),                     # like an "-ін" accusative
    (["Шериаздан", "Елеукенов"], [(0, 2)]),               # like an ablative
    (["Ардақты", "Пайғамбарымыз"], [(0, 2)]),             # an adjective "having …", not an accusative
]


@pytest.mark.parametrize("words,pieces", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_split_declined(words, pieces):
    assert _split_declined(words, (0, len(words), "PERSON")) == [(a, b, "PERSON") for a, b in pieces]


def test_other_labels_are_not_cut_at_a_case():
    assert _split_declined(["Ресейдің", "Сыртқы", "істер"], (0, 3, "ORGANISATION")) == [(0, 3, "ORGANISATION")]


def test_an_organisation_does_not_start_in_the_locative():
    words = ["Австрияда", "Халықаралық", "велосипедшілер", "одағының"]
    assert _split_declined(words, (0, 4, "ORGANISATION")) == [(1, 4, "ORGANISATION")]  # the place: the gazetteer's
    assert _split_declined(["Ноттингемдегі", "WTA", "турнирінің"], (0, 3, "ORGANISATION")) == \
        [(0, 1, "GPE"), (1, 3, "ORGANISATION")]  # "-дағы": a place even when unknown
    # a side with no capital is no name: the Government alone
    assert _split_declined(["Үкіметте", "министрлер", "кабинеті"], (0, 3, "ORGANISATION")) == [(0, 1, "ORGANISATION")]
    assert _split_declined(["Алматы", "қаласының", "әкімдігі"], (0, 3, "ORGANISATION")) == [(0, 3, "ORGANISATION")]
