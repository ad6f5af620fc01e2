"""The date and quantity cases (tests/data/date_cases.tsv, quantity_cases.tsv) again, typed with
Latin look-alikes (tests/claims/test_cases_homoglyph.typed): the same dates and numbers, the
same values and units."""
from __future__ import annotations

import pytest

from tests.claims.test_cases_homoglyph import typed
from tests.extract import test_dates, test_quantities


def _cyrillic(cases):
    return [p.values[0] for p in cases if any("\u0400" <= ch <= "\u04ff" for ch in p.values[0][0])]


DATES = _cyrillic(test_dates._cases())
QUANTITIES = _cyrillic(test_quantities._cases())


@pytest.mark.parametrize("cols", DATES, ids=[c[0][:40] for c in DATES])
def test_date_typed_with_look_alikes(cols):
    test_dates.test_case([typed(cols[0]), *cols[1:]])


@pytest.mark.parametrize("cols", QUANTITIES, ids=[c[0][:40] for c in QUANTITIES])
def test_quantity_typed_with_look_alikes(cols):
    test_quantities.test_case([typed(cols[0]), *cols[1:]])
