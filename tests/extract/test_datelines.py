"""Datelines (derek/structure.py): the date line of a news page, with the furniture around it
(a place, a section, a byline, an agency, a time), is page furniture: its numbers are neither
dates nor quantities of the article, and its date is the publication date when it has a year.
The lines are written for these tests, in the shapes news pages use."""
from __future__ import annotations

import pytest

import derek
from derek.structure import dateline_date, parse_dateline

STAGES = ["normalize", "tokenize", "structure", "dates", "quantities"]


@pytest.mark.parametrize("line,date", [
    ("12 Наурыз 2022, 09:40", "2022-03-12"),
    ("8 Қазан, 2018 17:05", "2018-10-08"),
    ("14 сәу, 2021 сағат 11:20", "2021-04-14"),
    ("3 жел. 2023 08:15", "2023-12-03"),
    ("11.06.2025 19:02", "2025-06-11"),
    ("02.09.2020, 10:10", "2020-09-02"),
    ("Қостанай. 9 ақпан. Агенттік", "02-09"),
    ("Шымкент. 30 мамыр. Тілші - Әсел Нұрланқызы.", "05-30"),
    ("Қоғам • 21 Тамыз, 2017", "2017-08-21"),
    ("Ерлан Сапаров 6 қаң. 2022 12:30", "2022-01-06"),
    ("Дата: 4 марта 2020 в 15:10 Категория: Жаңалықтар", "2020-03-04"),
    ("23 сентября 2019, 16:45", "2019-09-23"),
    ("1 Шілде 2015", "2015-07-01"),
    ("15:30 | 9 Қараша 2024", "2024-11-09"),
    ("2022-04-18 11:05", "2022-04-18"),
    ("08:45 / 21.10.2023", "2023-10-21"),
    ("21/10/2023", "2023-10-21"),
    ("Жарияланды: 3 қаңтар 2025, 16:20", "2025-01-03"),
])
def test_dateline_forms(line, date):
    assert dateline_date(line) == date
    assert parse_dateline(line) == (date if len(date) == 10 else None)


@pytest.mark.parametrize("line", [
    "Ол 5 қазанда ауылға келді.",
    "Биыл 5 наурызда мерекелік шара өтті",
    "Мерзімі 12 мамыр 2024 жылға дейін ұзартылды",
    "Жиын 5 қазан 2023 жылы өтеді.",
    "Қар 3 қар жауды",
    "Бұл жолы 40 қар. түсті",
    "31 Ақпан 2023",
    "5 мамыр. 1990 ж. Ауылдағы мектеп жабылып, балалар көрші ауылға қатынай бастады.",
    "Алматы. 22 қаңтар күні қар жауды, жол жабылды, көліктер тұрып қалды, жүргізушілер күтті.",
])
def test_not_datelines(line):
    assert dateline_date(line) is None


def test_dateline_numbers_are_furniture():
    text = ("Жаңа көпір ашылды\n\nПавлодар. 17 қыркүйек. Агенттік\n\n"
            "Қалада 3 мектеп салынды, оған 12 млрд теңге жұмсалды.\n")
    doc = derek.analyze(text, stages=STAGES)
    assert [p.role for p in doc.paragraphs] == ["headline", "dateline", "body"]
    assert [q.text for q in doc.quantities] == ["3 мектеп", "12 млрд теңге"]
    assert doc.dates == []
    assert doc.meta.published is None  # no year: no publication date


def test_dateline_with_year_is_the_publication_date():
    text = "Егін орағы басталды\n\nАуыл • 2 Қыркүйек, 2021\n\nБиыл егін ерте пісті.\n"
    doc = derek.analyze(text, stages=STAGES)
    assert doc.meta.published == "2021-09-02"
    assert [(d.text, d.iso) for d in doc.dates] == [("Биыл", "2021")]


def test_latin_dateline_with_abbreviated_month():
    text = "Jańa mektep ashyldy\n\nAsel Nurlan 5 qar. 2024 10:15\n\nBıyl aýdanda 2 mektep ashyldy.\n"
    doc = derek.analyze(text, stages=STAGES)
    assert doc.meta.published == "2024-11-05"
    assert [q.text for q in doc.quantities] == ["2 mektep"]


@pytest.mark.parametrize("line", ["Бүгін, 09:15", "Кеше 21:40", "Сегодня, 10:05"])
def test_relative_datelines_are_furniture_without_a_date(line):
    text = f"Жол жөнделді\n\n{line}\n\nБүгін қалада 4 көше жабылды.\n"
    doc = derek.analyze(text, stages=STAGES)
    assert [p.role for p in doc.paragraphs] == ["headline", "dateline", "body"]
    assert doc.meta.published is None
    assert [d.text for d in doc.dates] == ["Бүгін"]  # the body's, not the dateline's
