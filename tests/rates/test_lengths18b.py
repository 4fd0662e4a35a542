"""N weeks or N days count the years of their own dates: a rate a year for
them, its spread over years, the package rule's total and ``--basis
per-year`` are what the same span written "from A to B" gives, in leap
years too (a week was 7/365 of a year whatever the dates).

Figures by hand (a span's years: whole anniversaries, then the days left
over the days to the next anniversary):
- "£10m a year for 1461 days" from 2015-01-01: 1461 = 365 + 365 + 366 + 365,
  so it ends 2018-12-31, exactly calendar 2015-2018: £10m in each, £40m
  (it was 1461/365 × £10m = £40,027,397.26, the excess on 2018).  In UK
  fiscal years: 2014-15 holds 2015-01-01..03-31, 31 + 28 + 31 = 90 of its
  365 days, 10m × 90/365 = 2,465,753.42; 2015-16 to 2017-18 whole, £10m
  each; 2018-19 holds 2018-04-01..12-31, 275 of 365 days, 10m × 275/365 =
  7,534,246.575… → 7,534,246.58 (the two part years share the fourth 10m).
- "£10m a year for 313 weeks" from 2017-01-01: 2191 days = 5 × 365 + 366
  (2020), ends 2022-12-31: £10m in each of 2017-2022.
- "£10m a year for 366 days" from 2016-01-01 ends 2016-12-31: £10m in 2016;
  from 2015-04-01 it ends 2016-03-31 (29 February inside): £10m in fiscal
  2015-16.
- "£10m over 366 days" from 2016-01-01 is one year: £10m a year on the
  per-year basis (it was 10m × 365/366 = 9,972,677.60).
- "£365,000 a year for 52 weeks": 364 days.  From 2015-01-01 (to 12-30),
  364/365 → £364,000; from 2016-01-01 (to 12-29) 364/366 → 365,000 × 364 /
  366 = 363,005.464… → £363,005.46.
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

M10 = Decimal(10_000_000)
ROWS = [  # id, date, amount, period; the dates' twin of each is "<id>-dates"
    ("d1461", "2015-01-01", 10_000_000, "per year for 1461 days",
     "per year from 2015-01-01 to 2018-12-31"),
    ("wk313", "2017-01-01", 10_000_000, "per year for 313 weeks",
     "per year from 2017-01-01 to 2022-12-31"),
    ("d366", "2016-01-01", 10_000_000, "per year for 366 days",
     "per year from 2016-01-01 to 2016-12-31"),
    ("wk52", "2015-01-01", 365_000, "per year for 52 weeks",
     "per year from 2015-01-01 to 2015-12-30"),
    ("wk52leap", "2016-01-01", 365_000, "per year for 52 weeks",
     "per year from 2016-01-01 to 2016-12-29"),
]
CALENDAR = {
    **{("d1461", str(y)): M10 for y in range(2015, 2019)},
    **{("wk313", str(y)): M10 for y in range(2017, 2023)},
    ("d366", "2016"): M10,
    ("wk52", "2015"): Decimal("364000.00"),
    ("wk52leap", "2016"): Decimal("363005.46"),
}
FISCAL_D1461 = {"2014-15": Decimal("2465753.42"), "2015-16": M10, "2016-17": M10,
                "2017-18": M10, "2018-19": Decimal("7534246.58")}


def _csv(path, rows, twins=True):
    lines = ["id,date,funder,purpose,amount,currency,period"]
    for eid, date, amount, period, dates in rows:
        lines.append(f"{eid},{date},UK,P:{eid},{amount},GBP,{period}")
        if twins:
            lines.append(f"{eid}-dates,{date},UK,P:{eid}-dates,{amount},GBP,{dates}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _journal(path, rows):
    text = '[ledger]\ncurrency = "GBP"\nfiscal_year_start = "04-01"\n'
    for eid, date, amount, period, _ in rows:
        text += (f'\n[[entry]]\nid = "{eid}"\ndate = {date}\nfunder = "UK"\n'
                 f'purpose = "P:{eid}"\namount = "£{amount}"\nperiod = "{period}"\n')
    path.write_text(text, encoding="utf-8")
    return path


def _balance(run_cli, source, by):
    code, out, err = run_cli("balance", source, "--currency", "GBP", "--by", by,
                             "--format", "csv")
    assert code == 0, err
    return {(r["account"].split(":", 2)[-1], r["year"]): Decimal(r["amount"])
            for r in csv.DictReader(io.StringIO(out)) if r["account"].startswith("Purposes:P:")}


@pytest.fixture(params=["journal", "csv", "dataset"])
def source(request, tmp_path, run_cli):
    if request.param == "journal":
        return _journal(tmp_path / "l.toml", ROWS)
    src = _csv(tmp_path / "l.csv", ROWS, twins=False)
    if request.param == "csv":
        return src
    code, _, err = run_cli("import", src, "--to", tmp_path / "d.parquet")
    assert code == 0, err
    return tmp_path / "d.parquet"


def test_weeks_and_days_give_the_rate_in_each_whole_year(source, run_cli):
    assert _balance(run_cli, source, "year") == CALENDAR


def test_1461_days_in_fiscal_years_as_hand_counted(source, run_cli):
    got = _balance(run_cli, source, "fiscal-year")
    assert {y: v for (i, y), v in got.items() if i == "d1461"} == FISCAL_D1461
    assert sum(v for (i, _), v in got.items() if i == "d1461") == 4 * M10


def test_each_length_is_its_dates_twin_in_every_grouping(tmp_path, run_cli):
    src = _csv(tmp_path / "t.csv", ROWS)
    for by in ("year", "fiscal-year"):
        got = _balance(run_cli, src, by)
        for eid, *_ in ROWS:
            mine = {y: v for (i, y), v in got.items() if i == eid}
            twin = {y: v for (i, y), v in got.items() if i == f"{eid}-dates"}
            assert mine and mine == twin, (by, eid)


def test_366_days_from_april_is_one_fiscal_year(tmp_path, run_cli):
    src = _csv(tmp_path / "f.csv", [("d366", "2015-04-01", 10_000_000,
                                     "per year for 366 days", "")], twins=False)
    assert _balance(run_cli, src, "fiscal-year") == {("d366", "2015-16"): M10}


def test_over_366_days_is_a_year_on_the_per_year_basis(tmp_path, run_cli):
    src = tmp_path / "o.csv"
    src.write_text("id,date,funder,purpose,amount,currency,period\n"
                   "o366,2016-01-01,UK,P:o366,10000000,GBP,over 366 days\n"
                   "o52,2015-01-01,UK,P:o52,364000,GBP,over 52 weeks\n", encoding="utf-8")
    code, out, err = run_cli("report", src, "--out", tmp_path / "r", "--basis", "per-year",
                             "--format", "csv")
    assert code == 0, err
    rows = {r["purpose"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))}
    # 10m over exactly one year; 364,000 over 364/365 of a year: 365,000
    assert rows["P:o366"] == M10 and rows["P:o52"] == Decimal(365_000)


@pytest.mark.parametrize("package, exceeded", [("40000000", False), ("39999999.99", True)])
@pytest.mark.parametrize("form", ["csv", "journal"])
def test_the_package_rule_totals_1461_days_as_four_years(package, exceeded, form, tmp_path):
    from ledger.read import read_book

    if form == "csv":
        src = tmp_path / "p.csv"
        src.write_text("id,date,funder,purpose,amount,currency,period,part_of\n"
                       f"pkg,2015-01-01,UK,Port,{package},GBP,,\n"
                       "part,2015-01-01,UK,Port,10000000,GBP,per year for 1461 days,pkg\n",
                       encoding="utf-8")
    else:
        src = tmp_path / "p.toml"
        src.write_text('[ledger]\ncurrency = "GBP"\n\n[[entry]]\nid = "pkg"\ndate = 2015-01-01\n'
                       f'funder = "UK"\npurpose = "Port"\namount = "£{package}"\n\n'
                       '[[entry]]\nid = "part"\ndate = 2015-01-01\nfunder = "UK"\n'
                       'purpose = "Port"\namount = "£10000000"\n'
                       'period = "per year for 1461 days"\npart_of = "pkg"\n', encoding="utf-8")
    msgs = [p.message for p in read_book(src).problems if p.code == "package-exceeded"]
    assert bool(msgs) is exceeded, msgs
    if exceeded:
        assert "add up to 40000000 GBP" in msgs[0]


def test_a_dataset_holds_the_package_of_1461_days(tmp_path, run_cli):
    src = tmp_path / "p.csv"
    src.write_text("id,date,funder,purpose,amount,currency,period,part_of\n"
                   "pkg,2015-01-01,UK,Port,40000000,GBP,,\n"
                   "part,2015-01-01,UK,Port,10000000,GBP,per year for 1461 days,pkg\n",
                   encoding="utf-8")
    code, _, err = run_cli("import", src, "--to", tmp_path / "p.parquet")
    assert code == 0, err
    code, _, err = run_cli("check", tmp_path / "p.parquet")
    assert code == 0 and "add up" not in err, err


def test_total_counts_weeks_from_the_start_it_is_given():
    from ledger.phrases.period import parse_period, total, total_minor

    p = parse_period("per year for 52 weeks")
    assert total_minor(Decimal(365_000), p, 2, dt.date(2015, 1, 1)) == 36_400_000
    assert total_minor(Decimal(365_000), p, 2, dt.date(2016, 1, 1)) == 36_300_546
    assert total(M10, parse_period("per year for 1461 days from 2015-01-01")) == 4 * M10
    assert total(M10, p) is None     # no date: its years are unknown, not guessed


def _years_of(start: dt.date, after: dt.date) -> Fraction:
    """Years from ``start`` to ``after`` (the day after the last) by
    anniversaries, with datetime alone (29 February's is 1 March)."""
    def anniversary(k: int) -> dt.date:
        try:
            return start.replace(year=start.year + k)
        except ValueError:
            return dt.date(start.year + k, 3, 1)
    k = 0
    while anniversary(k + 1) <= after:
        k += 1
    a, b = anniversary(k), anniversary(k + 1)
    return k + Fraction((after - a).days, (b - a).days)


def _per_year(entries, years):
    from ledger.book import Book
    from reports.valuation import Spec, value

    spread = value(Book.from_entries(entries), Spec(currency="GBP", years=years), fast=True).spread
    out: dict = {}
    for eid, year, v in zip(spread["id"], spread["year"], spread["value_minor"]):
        out.setdefault(eid, {})[str(year)] = int(v)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)), st.integers(1, 1200),
       st.sampled_from(["week", "day"]), st.sampled_from(["per year", "over"]),
       st.integers(1, 10**11), st.sampled_from(["calendar", "fiscal-uk", "fiscal-us"]))
def test_n_weeks_or_days_are_their_dates_in_every_grouping(start, n, unit, kind, pennies, years):
    """An entry for N weeks (days) has the per-year figures of the same span
    written "from A to B", and its total is the rate times its dates' years."""
    from ledger.model import Entry
    from ledger.phrases.period import parse_period, total_minor

    days = 7 * n if unit == "week" else n
    last = start + dt.timedelta(days=days - 1)
    amount = Decimal(pennies).scaleb(-2)
    lead = "per year for" if kind == "per year" else "over"
    said = parse_period(f"{lead} {n} {unit}s")
    span = parse_period(f"{kind + ' ' if kind == 'per year' else ''}from {start} to {last}")
    got = _per_year([Entry("n", start, "A", "P", amount, "GBP", period=said),
                     Entry("d", start, "A", "P", amount, "GBP", period=span)], years)
    assert got["n"] == got["d"]
    if kind == "per year":
        exact = pennies * _years_of(start, last + dt.timedelta(days=1))
        want = int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)
        assert sum(got["n"].values()) == want == total_minor(amount, said, 2, start)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1990, 2060), st.integers(1, 8), st.sampled_from(["week", "day"]),
       st.integers(1, 10**11))
def test_a_span_of_whole_years_gives_the_rate_in_each(first, k, unit, pennies):
    """N days that are k whole calendar years from 1 January (or weeks,
    when those days are a whole number of weeks) give the rate in each."""
    from ledger.model import Entry
    from ledger.phrases.period import parse_period

    start = dt.date(first, 1, 1)
    days = (dt.date(first + k, 1, 1) - start).days
    if unit == "week" and days % 7:
        unit = "day"
    n = days // 7 if unit == "week" else days
    e = Entry("n", start, "A", "P", Decimal(pennies).scaleb(-2), "GBP",
              period=parse_period(f"per year for {n} {unit}s"))
    assert _per_year([e], "calendar")["n"] == {str(y): pennies for y in range(first, first + k)}
