"""A rate a year over N weeks or N days counts the years of those days'
own dates (tests/rates/test_lengths18b.py for leap years): in a common year
a week is 7/365 and a day 1/365 of a year, so £365,000 a year (£7,000 a
week) for 52 weeks from 2015-01-01 is £364,000, as the same 364 days
written as dates give; it was £363,750.86 (a week 7/365.25 of a year).  A
month stays a twelfth.  The same in every command, from a journal, a bulk CSV and a
dataset, in calendar and fiscal years, and the package rule measures it so.

Figures by hand:
- "£365,000 a year for 52 weeks" from 2015-01-01: 7,000 × 52 = 364,000, all
  in 2015 (it ends on 2015-12-30); in UK fiscal years 90 days fall in
  2014-15 and 274 in 2015-16, two part years, which share the 364,000 by
  their days, 90 : 274 (largest remainder to the penny; fix29: by days):
  90,000 and 274,000;
- "£365,000 a year for 10 days" from 2016-03-01: 1,000 × 10 = 10,000, in 2016
  and in 2015-16 (it was 9,993.16);
- "£1,200,000 a year for 6 months" from 2015-07-01: 100,000 × 6 = 600,000
  (as before), 2015 and 2015-16.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ENTRIES = [  # id, date, amount a year, period
    ("wk", "2015-01-01", 365_000, "per year for 52 weeks"),
    ("dy", "2016-03-01", 365_000, "per year for 10 days"),
    ("mo", "2015-07-01", 1_200_000, "per year for 6 months"),
]


def _fiscal_weeks() -> dict[str, Decimal]:
    """364,000 shared by the part years' days, 90 : 274, in pennies, largest remainder."""
    pennies, w = 36_400_000, {"2014-15": Fraction(90), "2015-16": Fraction(274)}
    share = {y: pennies * f / sum(w.values()) for y, f in w.items()}
    out = {y: int(s) for y, s in share.items()}
    for y in sorted(share, key=lambda y: -(share[y] - int(share[y])))[:pennies - sum(out.values())]:
        out[y] += 1
    return {y: Decimal(p).scaleb(-2) for y, p in out.items()}


WANT = {
    "calendar": {("wk", "2015"): Decimal(364_000), ("dy", "2016"): Decimal(10_000),
                 ("mo", "2015"): Decimal(600_000)},
    "fiscal": {**{("wk", y): v for y, v in _fiscal_weeks().items()},
               ("dy", "2015-16"): Decimal(10_000), ("mo", "2015-16"): Decimal(600_000)},
}
TOTAL = Decimal(974_000)


def _journal(d):
    text = '[ledger]\ncurrency = "GBP"\nfiscal_year_start = "04-01"\n'
    for eid, date, pounds, period in ENTRIES:
        text += (f'\n[[entry]]\nid = "{eid}"\ndate = {date}\nfunder = "UK"\n'
                 f'purpose = "P:{eid}"\namount = "£{pounds}"\nperiod = "{period}"\n')
    (d / "l.toml").write_text(text, encoding="utf-8")
    return d / "l.toml"


def _bulk(d):
    rows = ["id,date,funder,purpose,amount,currency,period"]
    rows += [f"{eid},{date},UK,P:{eid},{pounds},GBP,{period}" for eid, date, pounds, period in ENTRIES]
    (d / "l.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return d / "l.csv"


@pytest.fixture(params=["journal", "csv", "dataset"])
def source(request, tmp_path, run_cli):
    if request.param == "journal":
        return _journal(tmp_path)
    src = _bulk(tmp_path)
    if request.param == "csv":
        return src
    code, _, err = run_cli("import", src, "--to", tmp_path / "d.parquet")
    assert code == 0, err
    return tmp_path / "d.parquet"


def test_balance_counts_n_weeks_as_n_weeks_of_the_rate(source, run_cli):
    for by, years in (("year", "calendar"), ("fiscal-year", "fiscal")):
        code, out, err = run_cli("balance", source, "--currency", "GBP", "--by", by,
                                 "--format", "csv")
        assert code == 0, err
        got = {(r["account"].split(":")[-1], r["year"]): Decimal(r["amount"])
               for r in csv.DictReader(io.StringIO(out)) if r["account"].startswith("Purposes:P:")}
        assert got == WANT[years], by


def test_report_export_and_page_count_the_same(source, run_cli, tmp_path):
    from ledger.read import read_book
    from reports.pagedata import page_data
    from reports.tables import ReportOptions, build_report

    for years in ("calendar", "fiscal-uk"):
        code, out, err = run_cli("report", source, "--out", tmp_path / f"r-{years}", "--years",
                                 years, "--format", "csv")
        assert code == 0, err
        rows = {r["purpose"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))}
        assert rows["P:wk"] == Decimal(364_000) and rows["P:dy"] == Decimal(10_000)
        assert rows[""] == TOTAL     # the (total) row

        dest = tmp_path / f"e-{years}.csv"
        code, _, err = run_cli("export", source, "--to", "csv", "-o", dest, "--basis", "total",
                               "--years", years)
        assert code == 0, err
        with open(dest, encoding="utf-8") as fh:
            parts = [(r["id"], r["year"], Decimal(r["value"])) for r in csv.DictReader(fh)]
        want = WANT["calendar" if years == "calendar" else "fiscal"]
        assert {(i, y): v for i, y, v in parts} == want

        report = build_report(read_book(source), ReportOptions(years=years))
        cells = page_data(report)["cells"]["total"]
        minor = sum(int(m) for m, role in zip(cells["m"], cells["r"]) if role == 0)
        assert Decimal(minor).scaleb(-2) == TOTAL


@pytest.mark.parametrize("package, exceeded", [("364000", False), ("363999.99", True)])
def test_the_package_rule_measures_n_weeks_so(package, exceeded, tmp_path):
    """A package of £364,000 holds £365,000 a year for 52 weeks; a penny less
    does not (before, its £363,750.86 fitted in both)."""
    from ledger.read import read_book

    (tmp_path / "l.csv").write_text(
        "id,date,funder,purpose,amount,currency,period,part_of\n"
        f"pkg,2015-01-01,UK,Port,{package},GBP,,\n"
        "part,2015-01-01,UK,Port,365000,GBP,per year for 52 weeks,pkg\n", encoding="utf-8")
    msgs = [p.message for p in read_book(tmp_path / "l.csv").problems
            if p.code == "package-exceeded"]
    assert bool(msgs) is exceeded, msgs
    if exceeded:
        assert "add up to 364000 GBP" in msgs[0]


def _years_of(start: dt.date, after: dt.date) -> Fraction:
    """Years from ``start`` to ``after`` (the day after the last) by
    anniversaries, counted here with datetime alone: whole years, then the
    days left over the days to the next anniversary (29 February's is 1
    March in a common year)."""
    def anniversary(k: int) -> dt.date:
        try:
            return start.replace(year=start.year + k)
        except ValueError:       # 29 February into a common year
            return dt.date(start.year + k, 3, 1)
    k = 0
    while anniversary(k + 1) <= after:
        k += 1
    a, b = anniversary(k), anniversary(k + 1)
    return k + Fraction((after - a).days, (b - a).days)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)), st.integers(1, 520),
       st.sampled_from(["week", "day", "month"]), st.integers(1, 10**11),
       st.sampled_from(["calendar", "fiscal-uk", "fiscal-us"]))
def test_a_rate_over_n_units_is_n_times_its_share_in_every_grouping(start, n, unit, pennies,
                                                                    years):
    """A rate a year of ``pennies`` for N weeks (days, months), from any day
    and grouped in any years: pennies × the years of its dates (N/12 for
    months), rounded once half away from zero, the same as the package
    rule's ``total_minor``."""
    from ledger.book import Book
    from ledger.model import Entry
    from ledger.phrases.period import parse_period, total_minor
    from reports.valuation import Spec, value

    days = {"week": 7 * n, "day": n}
    share = (Fraction(n, 12) if unit == "month"
             else _years_of(start, start + dt.timedelta(days=days[unit])))
    exact = pennies * share
    want = int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)
    period = parse_period(f"per year for {n} {unit}s")
    amount = Decimal(pennies).scaleb(-2)
    assert total_minor(amount, period, 2, start) == want
    e = Entry("e", start, "A", "P", amount, "GBP", period=period)
    spread = value(Book.from_entries([e]), Spec(currency="GBP", years=years), fast=True).spread
    assert sum(int(v) for v in spread["value_minor"]) == want
