"""A deflator's ratio is bounded as each index is (hunt 17): indexes
1e9 (2015) and 0.001 (2016) made a ratio of 1e12 and values past Decimal's
28 digits (a traceback; a report total rounded by 4p)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

import pytest

from ledger.errors import LedgerError
from ledger.model import Entry, Period
from rates.deflate import constant_prices
from rates.normalise import to_frame


def _frame():
    return to_frame([Entry("big", dt.date(2015, 1, 1), "A:B", "C:D", D("999999999999999"),
                           "GBP", period=Period("over", years=D(3)))])


@pytest.mark.parametrize("later", ["0.001", "1E+9"])
def test_a_ratio_outside_the_bounds_is_refused_naming_the_entry(tmp_path, later):
    base = "1000000000" if later == "0.001" else "0.001"
    idx = tmp_path / "d.csv"
    idx.write_text(f"area,year,index\nGBP,2015,{base}\nGBP,2016,{later}\nGBP,2017,1\n")
    with pytest.raises(LedgerError) as err:
        constant_prices(_frame(), idx, base_year=2015)
    msg = str(err.value)
    assert "\n" not in msg and "entry 'big'" in msg and "GBP 2016" in msg
    assert "outside 1e-9 to 1e9" in msg


def test_a_ratio_at_the_bound_deflates_exactly(tmp_path):
    idx = tmp_path / "d.csv"
    idx.write_text("area,year,index\nGBP,2015,1000000\nGBP,2016,0.001\nGBP,2017,1\n")
    f = constant_prices(_frame(), idx, base_year=2015)
    for _, row in f.iterrows():
        ratio = Fraction(D("1000000")) / Fraction({2015: D("1000000"), 2016: D("0.001"),
                                                   2017: D(1)}[int(row.year)])
        exact = Fraction(int(row.value_minor)) * ratio       # pence
        want = int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)
        assert int(row.real_value_minor) == want
        assert row.real_value == D(want).scaleb(-2)
