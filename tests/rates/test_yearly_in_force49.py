"""A yearly average with a user rate table is the mean over the year's
rate days (the ECB's business days) of the rate in force on each (hunt 21):
a user rate counts for every day it covers, not once.  Expected figures
are worked out here with Fraction from the raw ECB file and the table."""
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
from tests.rates.ecb_raw import ecb_rates

MILLION = 1_000_000


@pytest.fixture(scope="module")
def raw():
    return ecb_rates()


@pytest.fixture(scope="module")
def business_days(raw):
    """Every date of the ECB file, any currency."""
    return sorted({d for series in raw.values() for d in series})


def _table(tmp_path, *rows: str):
    path = tmp_path / "r.csv"
    path.write_text("date,from,to,rate,source\n" + "".join(r + ",planning rate\n" for r in rows))
    return path


def _expected(raw, days, user: dict[dt.date, Fraction]):
    """£ for €1m at the mean of EUR->GBP over ``days``: on each, the latest
    user rate of the same calendar year on or before it, else the ECB's."""
    total = Fraction(0)
    for d in days:
        mine = [u for u in user if u <= d and u.year == d.year]
        total += user[max(mine)] if mine else Fraction(raw["GBP"][d])
    mean = total / len(days)
    rate = Context(prec=15, rounding=ROUND_HALF_EVEN).divide(
        Decimal(mean.numerator), Decimal(mean.denominator))
    return (MILLION * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _value(date, table, years="calendar"):
    frame = pd.DataFrame({"id": ["e"], "date": [date], "amount": [str(MILLION)],
                          "currency": ["EUR"]})
    out = normalise(frame, currency="GBP", valuation="yearly-average", years=years,
                    rates=[table])
    return out["value"].sum()


@pytest.mark.parametrize("quote, date, year", [
    ("2016-07-01", "2016-10-03", 2016),     # l4: £637,757.63, not £776,591.48
    ("2016-03-01", "2016-10-03", 2016),     # l3: about 0.542, not 0.759
])
def test_a_user_rate_counts_for_every_day_it_covers(raw, business_days, tmp_path,
                                                    quote, date, year):
    table = _table(tmp_path, f"{quote},EUR,GBP,0.5")
    days = [d for d in business_days if d.year == year]
    want = _expected(raw, days, {dt.date.fromisoformat(quote): Fraction(1, 2)})
    assert _value(date, table) == want


def test_fiscal_year_counts_the_rate_from_january(raw, business_days, tmp_path):
    """l7: 2015-16 is April-December 2015 at the ECB's and January-March
    2016 at 0.8 (0.73954), not 193 ECB days and one 0.8."""
    table = _table(tmp_path, "2016-01-01,EUR,GBP,0.8")
    days = [d for d in business_days if dt.date(2015, 4, 1) <= d <= dt.date(2016, 3, 31)]
    want = _expected(raw, days, {dt.date(2016, 1, 1): Fraction(4, 5)})
    assert _value("2016-02-01", table, "fiscal-uk") == want


def test_a_rate_from_before_the_fiscal_year_covers_it(raw, business_days, tmp_path):
    """l6: the 2016-01-01 rate is in force from April to December 2016, so
    2016-17 has an average (it was refused: 'the rates run from
    2017-01-02 to 2017-03-31 only')."""
    table = _table(tmp_path, "2016-01-01,EUR,GBP,0.8")
    days = [d for d in business_days if dt.date(2016, 4, 1) <= d <= dt.date(2017, 3, 31)]
    want = _expected(raw, days, {dt.date(2016, 1, 1): Fraction(4, 5)})
    assert _value("2016-06-01", table, "fiscal-uk") == want


def test_a_leg_quote_on_a_weekend_adds_no_day(raw, tmp_path):
    """A Saturday EUR->GBP quote is a USD->GBP rate on that Saturday only
    (Monday's ECB leg supersedes it): no ECB business day has it, so the
    2016 average is the ECB's daily crosses' mean, with or without it."""
    table = _table(tmp_path, "2016-07-02,EUR,GBP,0.5")
    days = [d for d in raw["USD"] if d.year == 2016]
    ctx = Context(prec=15, rounding=ROUND_HALF_EVEN)
    daily = [Fraction(ctx.divide(raw["GBP"][d], raw["USD"][d])) for d in days]
    mean = sum(daily, Fraction(0)) / len(daily)
    want = (MILLION * ctx.divide(Decimal(mean.numerator), Decimal(mean.denominator))
            ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    frame = pd.DataFrame({"id": ["e"], "date": ["2016-10-03"], "amount": [str(MILLION)],
                          "currency": ["USD"]})
    for rates in (None, [table]):
        out = normalise(frame, currency="GBP", valuation="yearly-average", rates=rates)
        assert out["value"].sum() == want


def test_balance_report_and_export_agree(raw, business_days, tmp_path):
    """The commands share rates.normalise's yearly average: the l4 figure
    (£637,757.63) from balance, report's entries.csv and the hledger export."""
    want = _expected(raw, [d for d in business_days if d.year == 2016],
                     {dt.date(2016, 7, 1): Fraction(1, 2)})
    folder = tmp_path / "l4"
    folder.mkdir()
    (folder / "a.toml").write_text('[[entry]]\nid = "e"\ndate = 2016-10-03\nfunder = "F"\n'
                                   'purpose = "P"\namount = "€1,000,000"\n')
    table = _table(tmp_path, "2016-07-01,EUR,GBP,0.5")
    common = ["--rates", str(table), "--valuation", "yearly-average"]

    def run(*args):
        r = subprocess.run([sys.executable, "-m", "ledger_tool", *args], capture_output=True,
                           text=True, cwd=REPO)
        assert r.returncode == 0, r.stderr
        return r.stdout

    assert f"£{want:,}" in run("balance", str(folder), "--currency", "GBP", *common)
    run("report", str(folder), "--currency", "GBP", "--out", str(tmp_path / "rep"), *common)
    entries = pd.read_csv(tmp_path / "rep" / "entries.csv", dtype=str)
    assert str(want) in entries.to_csv(index=False)
    journal = tmp_path / "l4.journal"
    run("export", str(folder), "--currency", "GBP", "--to", "hledger", "-o", str(journal),
        *common)
    assert str(want) in journal.read_text().replace(",", "")
