"""An open-ended "£X a year" is X in every whole year, calendar or fiscal,
and X × days / that year's length in a part year (fix17 made an open-ended
row's fiscal total equal its calendar total by moving the leap-day
difference onto a fiscal year: a whole fiscal year 2018-19 of "£10m a year"
came to £9,979,414.62).  Within one grouping the years add up to its total."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction

import pytest

from ledger.read import read_book
from reports.valuation import Spec, value

H1 = """\
[ledger]
currency = "GBP"
fiscal_year_start = "04-01"

[[entry]]
id = "open"
date = 2016-04-01
funder = "A"
purpose = "P:open"
amount = "{amount}"
period = "per year"
"""
TEN_M = 1_000_000_000   # in pennies / cents


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2))


def cents(n: int) -> Decimal:
    return Decimal(n).scaleb(-2)


@pytest.fixture(params=[("£10000000 a year", "GBP"), ("€10000000 a year", "EUR")],
                ids=["GBP", "EUR"])
def ledger(request, tmp_path):
    amount, currency = request.param
    f = tmp_path / "h1.toml"
    f.write_text(H1.format(amount=amount), encoding="utf-8")
    return f, currency


def _by(run_cli, src, currency, *args):
    code, out, err = run_cli("balance", src, "--currency", currency, "--format", "csv", *args)
    assert code == 0, err
    return {r.get("year", ""): Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "(total)"}


def test_whole_fiscal_years_are_the_rate(run_cli, ledger):
    src, cur = ledger
    got = _by(run_cli, src, cur, "--by", "fiscal-year", "--horizon", "2018-19")
    # 2016-17 (365 days), 2017-18 (365), 2018-19 (365): each whole
    assert got == {"2016-17": cents(TEN_M), "2017-18": cents(TEN_M), "2018-19": cents(TEN_M)}


def test_part_years_by_their_days(run_cli, ledger):
    src, cur = ledger
    # to 31 December 2017: fiscal 2016-17 whole; 2017-18 from 1 April to 31
    # December is 275 of its 365 days
    fiscal = _by(run_cli, src, cur, "--by", "fiscal-year", "--horizon", "2017")
    assert fiscal == {"2016-17": cents(TEN_M),
                      "2017-18": cents(half_up(Fraction(TEN_M * 275, 365)))}
    # calendar: 2017 whole; 2016 from 1 April, the one part year, has the
    # rest of the total: 1 April 2016 to 31 December 2017 is 1 + 275/365
    # years by anniversaries (fix29: it was 275/366, 2016's own length)
    calendar = _by(run_cli, src, cur, "--by", "year", "--horizon", "2017")
    assert calendar == {"2016": cents(half_up(Fraction(TEN_M * 275, 365))), "2017": cents(TEN_M)}
    # one end date, one total whatever the years
    total = _by(run_cli, src, cur, "--horizon", "2017")
    assert list(total.values()) == [sum(calendar.values())] == [sum(fiscal.values())]


@pytest.mark.parametrize("years,by", [("calendar", "year"), ("fiscal-uk", "fiscal-year")])
def test_years_add_up_to_the_total_of_their_grouping_in_gbp(ledger, run_cli, years, by):
    """A euro amount valued in pounds: the years of one grouping sum to that
    grouping's total (the report's), in the valuation and in balance."""
    src, _ = ledger
    book = read_book(src)
    spec = Spec(currency="GBP", years=years, horizon="2019")
    v = value(book, spec, fast=True)
    spread = sum(int(x) for x in v.spread["value_minor"])
    got = _by(run_cli, src, "GBP", "--by", by, "--horizon", "2019")
    assert sum(got.values()) == cents(spread)
    if years == "calendar":
        assert list(_by(run_cli, src, "GBP", "--horizon", "2019").values()) == [cents(spread)]
