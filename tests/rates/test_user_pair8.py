"""A user table's rate for a pair the ECB covers replaces the ECB's over
the days it covers, in every valuation (hunt 8, finding 5): with
2024-01-01,GBP,USD,1.25 the whole of 2024 is 1.25 at the entry date and as
the 2024 yearly average; outside 2024 the ECB's own cross, computed here
from the raw ECB file."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pandas as pd
import pytest

from rates import RateTable
from tests.rates.ecb_raw import ecb_rates
from rates.normalise import normalise
from tests.conftest import REPO


@pytest.fixture(scope="module")
def raw():
    gbp, usd = ecb_rates()["GBP"], ecb_rates()["USD"]
    return {d: (gbp[d], usd[d]) for d in gbp.keys() & usd.keys()}


@pytest.fixture
def u1(tmp_path):
    path = tmp_path / "u1.csv"
    path.write_text("date,from,to,rate,source\n2024-01-01,GBP,USD,1.25,planning\n")
    return path


def _q15(x: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 15, ROUND_HALF_EVEN
        return (+x).normalize()


def test_entry_date_uses_the_user_rate_all_year(raw, u1):
    table = RateTable.load(u1)
    for day in (dt.date(2024, 1, 2), dt.date(2024, 6, 3), dt.date(2024, 12, 31)):
        assert day in raw or day.weekday() >= 5
        c = table.convert(Decimal(1_000_000), "GBP", "USD", day)
        assert (c.rate, c.amount, c.source) == (Decimal("1.25"), Decimal("1250000.00"),
                                                "planning")
        assert table.convert(Decimal(1000), "USD", "GBP", day).amount == Decimal("800.00")
    for day in (dt.date(2023, 12, 29), dt.date(2025, 1, 2)):
        g, u = raw[day]
        assert table.convert(Decimal(1), "GBP", "USD", day).rate == _q15(u / g)


def test_yearly_average_is_the_user_rate(u1):
    frame = pd.DataFrame({"id": ["g"], "date": ["2024-06-03"], "amount": ["1000000"],
                          "currency": ["GBP"]})
    out = normalise(frame, currency="USD", valuation="yearly-average", rates=u1)
    assert out["rate"].iloc[0] == Decimal("1.25")
    assert out["value"].iloc[0] == Decimal("1250000.00")
    same = normalise(frame, currency="USD", rates=u1)
    assert same["value"].iloc[0] == Decimal("1250000.00")


def test_help_says_the_table_extends_the_ecb():
    r = subprocess.run([sys.executable, "-m", "ledger_tool", "balance", "--help"],
                       capture_output=True, text=True, cwd=REPO)
    text = " ".join(r.stdout.split())
    assert "instead of the ECB" not in text and "added to the ECB rates" in text
