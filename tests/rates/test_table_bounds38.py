"""``rates convert`` bounds the rate it uses as a table's row is (hunt 17):
a cross of 1e9 x 1e9 was a traceback in babel, one of 1e-9 / 1e9 showed
£999,999,999,999,999 as US$0.00."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

import pytest

from ledger.errors import LedgerError
from rates import RateTable

BIG = D("999999999999999")
DAY = dt.date(2015, 1, 1)


def _table(tmp_path, rows):
    path = tmp_path / "r.csv"
    path.write_text("date,from,to,rate\n" + "".join(f"2015-01-01,{a},{b},{r}\n"
                                                   for a, b, r in rows))
    return RateTable.load(path)


@pytest.mark.parametrize("rows, shown", [
    ([("GBP", "EUR", "1000000000"), ("EUR", "USD", "1000000000")], "1000000000000000000"),
    ([("GBP", "EUR", "0.000000001"), ("USD", "EUR", "1000000000")], "0.000000000000000001"),
])
def test_a_cross_rate_outside_the_bounds_is_refused(tmp_path, rows, shown):
    with pytest.raises(LedgerError) as err:
        _table(tmp_path, rows).convert(BIG, "GBP", "USD", DAY)
    assert "GBP->USD rate on 2015-01-01" in str(err.value)
    assert f"rate {shown} is outside 1e-9 to 1e9" in str(err.value)


def test_a_cross_rate_at_the_bound_converts_exactly(tmp_path):
    c = _table(tmp_path, [("GBP", "EUR", "100000"), ("USD", "EUR", "0.0001")]).convert(
        BIG, "GBP", "USD", DAY)
    exact = Fraction(BIG) * Fraction(100000) / Fraction(D("0.0001"))   # 1e9 per pound
    assert exact.denominator == 1 and c.amount == D(exact.numerator)
