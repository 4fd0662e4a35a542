"""A deflator's values are bounded (hunt 17): indexes 1e9 (2015) and
0.001 (2016) made a ratio of 1e12 and values past Decimal's 28 digits (a
traceback; a report total rounded by 4p); 0.001 / 1e9 made them 0.00. A
large ratio whose values fit is deflated (review3638: a long
hyperinflation series rises 1e10-fold; the upper bound refused ARS 1,000
of 1980 at 2020 prices, 1e13, far below the largest value)."""
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


@pytest.mark.parametrize("later, says", [("0.001", "more than 1E+24 GBP"),
                                         ("1E+9", "below 1e-9")])
def test_a_value_past_the_bounds_is_refused_naming_the_entry(tmp_path, later, says):
    base = "1000000000" if later == "0.001" else "0.001"
    idx = tmp_path / "d.csv"
    idx.write_text(f"area,year,index\nGBP,2015,{base}\nGBP,2016,{later}\nGBP,2017,1\n")
    with pytest.raises(LedgerError) as err:
        constant_prices(_frame(), idx, base_year=2015)
    msg = str(err.value)
    assert "\n" not in msg and "entry 'big'" in msg and says in msg, msg


def test_a_hyperinflation_ratio_deflates_when_the_values_fit(tmp_path):
    """Index 0.00001 in 1980 and 100000 in 2020, base 2020: ARS 1,000 of 1980
    is ARS 10,000,000,000,000 at 2020 prices (1e3 × 1e10), exactly."""
    idx = tmp_path / "d.csv"
    idx.write_text("area,year,index\nARS,1980,0.00001\nARS,2020,100000\n")
    frame = to_frame([Entry("ars", dt.date(1980, 6, 1), "A:B", "C:D", D("1000"), "GBP")])
    assert list(frame["value_minor"]) == [100000]
    f = constant_prices(frame, idx, base_year=2020, area="ARS")
    assert list(f["real_value"]) == [D("10000000000000.00")]


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
