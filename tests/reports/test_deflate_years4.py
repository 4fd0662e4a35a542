"""Constant prices whatever the years (hunt 5, finding 1): the price index
counts calendar years, so a fiscal year's part is deflated piece by piece
(the months of each calendar year it holds); the total is the same as by
calendar year.  Expectations worked out here with fractions."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.book import Book
from ledger.model import Entry, Period
from reports.valuation import Spec, value
from tests.conftest import REPO

INDEX = {2019: 90, 2020: 100, 2021: 110, 2022: 120, 2023: 130, 2024: 140, 2025: 150}


def _index(tmp_path):
    path = tmp_path / "defl.csv"
    path.write_text("area,year,index,source\n" + "".join(
        f"GBP,{y},{i},test\n" for y, i in INDEX.items()), encoding="utf-8")
    return str(path)


def _half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def _by_year(book, years, index):
    spread = value(book, Spec(currency="GBP", years=years, deflator=index, base_year=2020)).spread
    return {(i, str(y)): int(v) for i, y, v in
            zip(spread["id"], spread["year"], spread["value_minor"])}


def test_fiscal_parts_are_deflated_by_the_calendar_year_of_their_months(tmp_path):
    index = _index(tmp_path)
    book = Book.from_entries([
        Entry("a", dt.date(2020, 1, 1), "UK:HO", "P:X", Decimal(10_000_000), "GBP",
              period=Period("per-year", years=Decimal(2))),
        Entry("late", dt.date(2021, 2, 1), "UK:HO", "P:X", Decimal(1_000_000), "GBP")])
    # £10m a year, 1 Jan 2020 - 31 Dec 2021: fiscal 2020-21 whole (£10m); 2019-20
    # (91 days) and 2021-22 (275 days) share the other £10m by their days (fix29:
    # it was by their shares of their own years, 91/366 : 275/365, £2,481,231.09)
    w19, w21 = Fraction(91), Fraction(275)
    rest = 10_000_000_00
    exact19 = rest * w19 / (w19 + w21)
    jan_mar_20 = int(exact19) + (1 if exact19 - int(exact19) >= Fraction(1, 2) else 0)
    assert jan_mar_20 == 2_486_338_80
    # the pieces: Jan-Mar 2020 and Apr-Dec 2020 are £10m of 2020 (index 100); Jan-Mar
    # 2021 (fiscal 2020-21's other £10m less Apr-Dec 2020) and Apr-Dec 2021 are 2021's
    apr_dec_20 = 10_000_000_00 - jan_mar_20
    jan_mar_21 = 10_000_000_00 - apr_dec_20
    real_2021 = _half_up(Fraction(10_000_000_00 * 100, 110))
    real_jan_mar_21 = _half_up(Fraction(real_2021 * jan_mar_21, 10_000_000_00))
    want = {("a", "2019-20"): jan_mar_20,
            ("a", "2020-21"): apr_dec_20 + real_jan_mar_21,
            ("a", "2021-22"): real_2021 - real_jan_mar_21,
            # a one-off on 1 February 2021: fiscal 2020-21, money of 2021
            ("late", "2020-21"): _half_up(Fraction(1_000_000_00 * 100, 110))}
    got = _by_year(book, "fiscal", index)
    assert got == want
    calendar = _by_year(book, "calendar", index)
    assert calendar == {("a", "2020"): 10_000_000_00, ("a", "2021"): real_2021,
                        ("late", "2021"): want[("late", "2020-21")]}
    assert sum(got.values()) == sum(calendar.values())


@st.composite
def bounded_entries(draw):
    out = []
    for i in range(draw(st.integers(1, 6))):
        date = dt.date(draw(st.integers(2019, 2021)), draw(st.integers(1, 12)),
                       draw(st.integers(1, 28)))
        kind = draw(st.sampled_from(["one-off", "per-year", "over"]))
        years = Decimal(draw(st.integers(1, 3)))
        period = {"one-off": Period(), "per-year": Period("per-year", years=years),
                  "over": Period("over", years=years)}[kind]
        sign = draw(st.sampled_from([1, -1]))
        out.append(Entry(f"e{i}", date, "UK:HO", draw(st.sampled_from(["P:X", "P:Y"])),
                         sign * Decimal(draw(st.integers(1, 10**11))).scaleb(-2), "GBP",
                         period=period))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(es=bounded_entries(), years=st.sampled_from(["fiscal", "fiscal-us"]))
def test_each_entry_has_one_real_total_whatever_the_years(tmp_path, es, years):
    index = _index(tmp_path)
    book = Book.from_entries(es)
    cal, other = _by_year(book, "calendar", index), _by_year(book, years, index)
    for e in es:
        assert (sum(v for (i, _), v in cal.items() if i == e.id)
                == sum(v for (i, _), v in other.items() if i == e.id)), e


def test_the_by_year_captions_name_the_price_base(tmp_path):
    index = _index(tmp_path)
    ledger = tmp_path / "l"
    ledger.mkdir()
    (ledger / "ledger.toml").write_text('[ledger]\nname = "t"\ncurrency = "GBP"\n',
                                        encoding="utf-8")
    (ledger / "pledges.toml").write_text(
        '[[entry]]\nid = "a"\ndate = 2020-01-01\nfunder = "UK:HO"\npurpose = "P:X"\n'
        'amount = "£10 million a year for 2 years"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "ledger_tool", "report", str(ledger), "--out",
                          str(tmp_path / "r"), "--years", "fiscal", "--deflator", index,
                          "--base-year", "2020"], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    title = openpyxl.load_workbook(tmp_path / "r" / "report.xlsx")["By year"]["A1"].value
    assert "in GBP prices of 2020" in title, title
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "fiscal years starting 01 April in GBP prices of 2020, amounts spread" in page


def test_no_entries_and_a_one_off_in_january(tmp_path):
    index = _index(tmp_path)
    book = Book.from_entries([Entry("j", dt.date(2021, 1, 15), "F", "P", Decimal(5), "GBP")])
    for years in ("calendar", "fiscal"):
        assert _by_year(book.subset([False]), years, index) == {}
    # fiscal 2020-21, money of January 2021: 500p x 100 / 110
    assert _by_year(book, "fiscal", index) == {("j", "2020-21"): 455}
