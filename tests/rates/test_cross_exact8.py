"""A cross through the euro with a user leg given as X->EUR is rounded
once (hunt 8, finding 6): 0.0062 ISK->EUR times the ECB's EUR->GBP is
exact in 15 digits, so the rate shown is that product.  EUR->GBP is read
from the raw ECB file."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from rates import RateTable
from tests.rates.ecb_raw import ecb_rates


@pytest.fixture(scope="module")
def raw():
    """{date: EUR->GBP Decimal} from the ECB file itself."""
    return {"GBP": ecb_rates()["GBP"]}


@pytest.fixture
def isk_table(tmp_path):
    path = tmp_path / "u7.csv"
    path.write_text("date,from,to,rate,source\n2012-01-02,ISK,EUR,0.0062,CBI\n")
    return RateTable.load(path)


def test_a_cross_with_a_user_leg_is_rounded_once(raw, isk_table):
    # 0.0062 x EUR->GBP is exact in 15 digits on every day of 2012 (the
    # inverse 1/0.0062 rounded first gave 0.00503378000000001 on 2012-06-15)
    days = [d for d in raw["GBP"] if d.year == 2012]
    for day in days:
        c = isk_table.convert(Decimal(1_000_000), "ISK", "GBP", day)
        exact = Decimal("0.0062") * raw["GBP"][day]
        assert (c.rate, c.rate_date) == (exact, day)
        assert c.amount == (Decimal(1_000_000) * exact).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert isk_table.convert(Decimal(1), "ISK", "GBP", dt.date(2012, 6, 15)).rate == \
        Decimal("0.00503378")
