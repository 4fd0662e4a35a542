"""Amounts over months, weeks or days are spread over the calendar days they
cover, the same in a journal, a bulk CSV and a dataset: "£9m over 3 months"
from 1 January 2015 is all in fiscal 2014-15 (£98,901.10 of it went to
2015-16: the period ended on 1 April); "£5.01m over 500 days" from
1 March 2015 covers 500 days (it covered 501), as "from 2015-03-01 to
2016-07-12" does.  Expected figures are worked from day counts here."""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.book import Book
from ledger.model import Entry
from ledger.phrases.period import parse_period
from reports.valuation import Spec, value

DAY = dt.timedelta(days=1)

ENTRIES = [  # id, date, amount (pounds), period, its last day by hand
    ("q2", "2015-01-01", 9_000_000, "over 3 months", dt.date(2015, 3, 31)),
    ("d500", "2015-03-01", 5_010_000, "over 500 days", dt.date(2016, 7, 12)),
    ("d500b", "2015-03-01", 5_010_000, "from 2015-03-01 to 2016-07-12", dt.date(2016, 7, 12)),
    ("m18", "2015-07-01", 1_800_000, "over 18 months", dt.date(2016, 12, 31)),
    ("leap", "2016-02-29", 3_660_000, "over 1 year", dt.date(2017, 2, 28)),
    ("wk", "2016-12-26", 1_400_000, "over 2 weeks", dt.date(2017, 1, 8)),
]


def window(y: int, fiscal: bool) -> tuple[dt.date, dt.date]:
    if fiscal:
        return dt.date(y, 4, 1), dt.date(y + 1, 3, 31)
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def by_days(pennies: int, s: dt.date, e: dt.date, fiscal: bool) -> dict[int, int]:
    """A total by days over s..e: floors, then a penny each to the largest
    remainders (the earlier year on a tie)."""
    days = {}
    for y in range(s.year - 1, e.year + 1):
        a, b = window(y, fiscal)
        n = (min(e, b) - max(s, a)).days + 1
        if n > 0:
            days[y] = n
    whole = sum(days.values())
    assert whole == (e - s).days + 1
    out = {y: pennies * d // whole for y, d in days.items()}
    left = pennies - sum(out.values())
    for y in sorted(days, key=lambda y: (-(pennies * days[y] % whole), y))[:left]:
        out[y] += 1
    return out


def expected(fiscal: bool) -> dict[tuple[str, str], Decimal]:
    out = {}
    for eid, date, pounds, _, end in ENTRIES:
        for y, p in by_days(pounds * 100, dt.date.fromisoformat(date), end, fiscal).items():
            label = f"{y}-{(y + 1) % 100:02d}" if fiscal else str(y)
            out[(eid, label)] = Decimal(p).scaleb(-2)
    return out


def journal(path):
    lines = ['[ledger]\ncurrency = "GBP"\nfiscal_year_start = "04-01"\n']
    for eid, date, pounds, period, _ in ENTRIES:
        lines.append(f'[[entry]]\nid = "{eid}"\ndate = {date}\nfunder = "A"\n'
                     f'purpose = "P:{eid}"\namount = "£{pounds}"\nperiod = "{period}"\n')
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def bulk(path):
    rows = ["id,date,funder,purpose,amount,currency,period"]
    rows += [f"{eid},{date},A,P:{eid},{pounds},GBP,{period}"
             for eid, date, pounds, period, _ in ENTRIES]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def balance(run_cli, src, by: str) -> dict[tuple[str, str], Decimal]:
    code, out, err = run_cli("balance", src, "--currency", "GBP", "--by", by,
                             "--format", "csv")
    assert code == 0, err
    return {(r["account"].split(":")[-1], r["year"]): Decimal(r["amount"])
            for r in csv.DictReader(io.StringIO(out))
            if r["account"].startswith("Purposes:P:")}


def test_the_hunts_figures_in_a_journal(run_cli, tmp_path):
    src = journal(tmp_path / "l.toml")
    fiscal = balance(run_cli, src, "fiscal-year")
    assert fiscal == expected(True)
    assert fiscal[("q2", "2014-15")] == Decimal(9_000_000)      # all of it, by 31 March
    cal = balance(run_cli, src, "year")
    assert cal == expected(False)
    # 306 of the 500 days in 2015: £3,066,120 and £1,943,880, as the span of dates
    assert cal[("d500", "2015")] == cal[("d500b", "2015")] == Decimal(3_066_120)
    assert cal[("d500", "2016")] == Decimal(1_943_880)
    # 29 Feb 2016 - 28 Feb 2017, 366 days: 307 in 2016, 59 in 2017
    assert (cal[("leap", "2016")], cal[("leap", "2017")]) == (Decimal(3_070_000),
                                                               Decimal(590_000))


def test_a_bulk_csv_and_a_dataset_give_the_journals_figures(run_cli, tmp_path):
    src = bulk(tmp_path / "b.csv")
    for by, fiscal in (("year", False), ("fiscal-year", True)):
        assert balance(run_cli, src, by) == expected(fiscal)
    ds = tmp_path / "d.parquet"
    code, _, err = run_cli("import", src, "--to", ds)
    assert code == 0, err
    for by, fiscal in (("year", False), ("fiscal-year", True)):
        assert balance(run_cli, ds, by) == expected(fiscal)


def test_split_rows_with_one_number_written_two_ways_agree(run_cli, tmp_path):
    src = tmp_path / "s.csv"
    src.write_text("id,date,funder,purpose,amount,currency,period,period_kind,years\n"
                   "split,2015-10-15,UK:G,P:s1,4000000,GBP,,over,2\n"
                   "split,2015-10-15,UK:G,P:s2,2000000,GBP,,over,2.0\n", encoding="utf-8")
    code, _, err = run_cli("check", src)
    assert code == 0, err
    src.write_text(src.read_text(encoding="utf-8").replace(",2.0\n", ",3\n"), encoding="utf-8")
    code, _, err = run_cli("check", src)
    assert code == 1 and "differs from the row before in 'years'" in err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)), st.integers(1, 60),
       st.integers(1, 10**11))
def test_n_months_spread_by_their_calendar_days(start, n, pennies):
    """Over N months from any day: the days to the day before the same
    day-of-month N months later (the last day of a short month), each
    calendar year by its days, and the parts add up to the amount."""
    y, m = divmod(start.month - 1 + n, 12)
    y, m = start.year + y, m + 1
    try:
        end = dt.date(y, m, start.day) - DAY
    except ValueError:                 # no such day: the month's last
        end = dt.date(y, m + 1, 1) - DAY if m < 12 else dt.date(y, 12, 31)
    e = Entry("e", start, "A", "P", Decimal(pennies).scaleb(-2), "GBP",
              period=parse_period(f"over {n} months"))
    spread = value(Book.from_entries([e]), Spec(currency="GBP"), fast=True).spread
    got = {int(str(yr)): int(v) for yr, v in zip(spread["year"], spread["value_minor"]) if v}
    want = {k: v for k, v in by_days(pennies, start, end, False).items() if v}
    assert got == want
    assert sum(got.values()) == pennies
