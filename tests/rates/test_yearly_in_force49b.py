"""review49's defects of the in-force yearly average: a user rate dated in
the last week of a year is a user rate (not a published one), a year whose
only rate falls on no ECB business day counts calendar days (no traceback),
and a user row of one leg in another year leaves a cross's other years as
they are.  Expected figures are worked out with Fraction from the raw ECB
file and the table."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

import pandas as pd
import pytest

from rates.normalise import normalise
from tests.conftest import REPO
from tests.rates.test_yearly_in_force49 import MILLION, _expected, _table, _value


@pytest.fixture(scope="module")
def raw():
    from tests.rates.ecb_raw import ecb_rates
    return ecb_rates()


@pytest.fixture(scope="module")
def days_2016(raw):
    return sorted({d for series in raw.values() for d in series if d.year == 2016})


@pytest.mark.parametrize("rows, want_gbp", [
    # L1: 0.5 from Saturday 24 December, on 27-30 December (£813,983.23)
    (["2016-12-24,EUR,GBP,0.5"], {dt.date(2016, 12, 24): Fraction(1, 2)}),
    # L5: four rates, two on a Saturday, one inverse (£615,921.09 for €1m)
    (["2016-02-01,EUR,GBP,0.7", "2016-05-14,EUR,GBP,0.6", "2016-09-10,GBP,EUR,2",
      "2016-12-27,EUR,GBP,0.9"],
     {dt.date(2016, 2, 1): Fraction(7, 10), dt.date(2016, 5, 14): Fraction(3, 5),
      dt.date(2016, 9, 10): Fraction(1, 2), dt.date(2016, 12, 27): Fraction(9, 10)}),
])
def test_a_user_rate_of_late_december_holds_to_the_year_end(raw, days_2016, tmp_path,
                                                             rows, want_gbp):
    table = _table(tmp_path, *rows)
    assert _value("2016-12-28", table) == _expected(raw, days_2016, want_gbp)


def _xof(tmp_path, row: str, date: str):
    frame = pd.DataFrame({"id": ["e"], "date": [date], "amount": [str(MILLION)],
                          "currency": ["EUR"]})
    out = normalise(frame, currency="XOF", valuation="yearly-average",
                    rates=[_table(tmp_path, row)])
    return out["value"].sum()


@pytest.mark.parametrize("quote, date", [
    ("2016-12-31", "2016-12-31"),   # a Saturday: no ECB business day has it
    ("2016-12-25", "2016-12-28"),   # a Sunday: in force on 27-30 December
])
def test_a_year_end_quote_of_a_pair_without_ecb_rates(tmp_path, quote, date):
    """The year's only rate is the quote, so its average is the quote."""
    assert _xof(tmp_path, f"{quote},EUR,XOF,655.957", date) == Decimal(655_957_000)


def test_balance_of_a_saturday_year_end_quote(tmp_path):
    """L2: it was an IndexError traceback in balance, report and export."""
    folder = tmp_path / "l2"
    folder.mkdir()
    (folder / "a.toml").write_text('[[entry]]\nid = "e"\ndate = 2016-12-31\nfunder = "F"\n'
                                   'purpose = "P"\namount = "€1,000,000"\n')
    table = _table(tmp_path, "2016-12-31,EUR,XOF,655.957")
    r = subprocess.run([sys.executable, "-m", "ledger_tool", "balance", str(folder),
                        "--currency", "XOF", "--rates", str(table),
                        "--valuation", "yearly-average"],
                       capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0, r.stderr
    assert "655,957,000" in r.stdout


def test_a_quote_change_after_christmas_counts_its_days(raw, tmp_path):
    """EUR->XOF 655.957 from 2 January 2017, 700 from 26 December (an ECB
    holiday): 700 on the business days 27-29 December."""
    days = sorted({d for series in raw.values() for d in series if d.year == 2017})
    rate = {dt.date(2017, 1, 2): Fraction("655.957"), dt.date(2017, 12, 26): Fraction(700)}
    mean = sum((rate[max(u for u in rate if u <= d)] for d in days), Fraction(0)) / len(days)
    want = (MILLION * Context(prec=15, rounding=ROUND_HALF_EVEN).divide(
        Decimal(mean.numerator), Decimal(mean.denominator))).quantize(Decimal(1),
                                                                      rounding=ROUND_HALF_UP)
    table = tmp_path / "x.csv"
    table.write_text("date,from,to,rate,source\n2017-01-02,EUR,XOF,655.957,x\n"
                     "2017-12-26,EUR,XOF,700,x\n")
    frame = pd.DataFrame({"id": ["e"], "date": ["2017-06-01"], "amount": [str(MILLION)],
                          "currency": ["EUR"]})
    out = normalise(frame, currency="XOF", valuation="yearly-average", rates=[table])
    assert out["value"].sum() == want


def test_an_unrelated_user_row_leaves_a_cross_alone(raw, tmp_path):
    """L4: ISK->GBP 2008 is the mean of the 242 days both have ECB rates
    (ISK's last is 2008-12-09), with or without a EUR->GBP row of 2020."""
    isk, gbp = raw["ISK"], raw["GBP"]
    ctx = Context(prec=15, rounding=ROUND_HALF_EVEN)
    days = [d for d in isk if d.year == 2008 and d in gbp]
    daily = [Fraction(ctx.divide(gbp[d], isk[d])) for d in days]
    mean = sum(daily, Fraction(0)) / len(daily)
    amount = 100_000_000
    want = (amount * ctx.divide(Decimal(mean.numerator), Decimal(mean.denominator))
            ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    frame = pd.DataFrame({"id": ["e"], "date": ["2008-06-02"], "amount": [str(amount)],
                          "currency": ["ISK"]})
    table = _table(tmp_path, "2020-01-01,EUR,GBP,0.8")
    for rates in (None, [table]):
        out = normalise(frame, currency="GBP", valuation="yearly-average", rates=rates)
        assert out["value"].sum() == want
