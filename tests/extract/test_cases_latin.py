"""The date and quantity cases (tests/data/date_cases.tsv, quantity_cases.tsv) again in Latin
script, 2018 and 2021.  A one-line case is too short for the Latin variant to be told from its
letters, so each follows a line of ordinary Kazakh (no date, no number) transliterated with it:
what is tested is the reading of dates and numbers, not the script detection of six words."""
from __future__ import annotations

import pytest

from derek.text.translit import to_latin
from tests.extract import test_dates, test_quantities

CONTEXT = "Мұнда көптеген өзгерістер туралы әңгіме болды, елдің әр өңіріндегі тұрғындар пікір білдірді.\n"


def _cyrillic(cases):
    return [p.values[0] for p in cases if any("\u0400" <= ch <= "\u04ff" for ch in p.values[0][0])]


DATES = _cyrillic(test_dates._cases())
QUANTITIES = _cyrillic(test_quantities._cases())


@pytest.mark.parametrize("variant", ["latn2018", "latn2021"])
@pytest.mark.parametrize("cols", DATES, ids=[c[0][:40] for c in DATES])
def test_date_in_latin(cols, variant):
    test_dates.test_case([to_latin(CONTEXT + cols[0], variant), *cols[1:]])


@pytest.mark.parametrize("variant", ["latn2018", "latn2021"])
@pytest.mark.parametrize("cols", QUANTITIES, ids=[c[0][:40] for c in QUANTITIES])
def test_quantity_in_latin(cols, variant):
    test_quantities.test_case([to_latin(CONTEXT + cols[0], variant), *cols[1:]])
