"""The package rule counts a span of dates in years as the reports do, by
anniversaries (``ledger.phrases.period.anniversary_years``): a part of
£1,830,000 a year from 2016-01-01 to 2016-06-30 is 182 days of the 366 from
2016-01-01 to 2017-01-01 (a leap day among them), £910,000, exactly its
package; it was counted as six months, half a year, £915,000, and refused.
The other way, a month was a twelfth of a year (£30,500 of £366,000) where
the reports count 31 of 366 days (£31,000), more than a package of £30,750."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from ledger.read import read_book
from reports.tables import ReportOptions, build_report

COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "period", "part_of"]
# by hand: January 31, February 29, March 31, April 30, May 31, June 30 days
HALF_2016 = 31 + 29 + 31 + 30 + 31 + 30
assert HALF_2016 == 182


def _rows(package: str, rate: str, end: str) -> list[dict]:
    return [{"id": "pkg", "date": "2016-01-01", "funder": "UK", "purpose": "Port",
             "amount": package, "currency": "GBP", "period": "", "part_of": ""},
            {"id": "part", "date": "2016-01-01", "funder": "UK", "purpose": "Port",
             "amount": rate, "currency": "GBP",
             "period": f"per year from 2016-01-01 to {end}", "part_of": "pkg"}]


def _write(path: Path, rows: list[dict]) -> Path:
    if path.suffix == ".csv":
        pacsv.write_csv(pa.table({c: [r[c] for r in rows] for c in COLUMNS}), path)
        return path
    text = '[ledger]\nname = "years"\ncurrency = "GBP"\n'
    for r in rows:
        text += (f'\n[[entry]]\nid = "{r["id"]}"\ndate = {r["date"]}\nfunder = "{r["funder"]}"\n'
                 f'purpose = "{r["purpose"]}"\namount = "{r["amount"]}"\n'
                 f'currency = "{r["currency"]}"\n')
        text += f'period = "{r["period"]}"\n' if r["period"] else ""
        text += f'part_of = "{r["part_of"]}"\n' if r["part_of"] else ""
    path.write_text(text, encoding="utf-8")
    return path


def _exceeded(path: Path) -> list[str]:
    return [p.message for p in read_book(path).problems if p.code == "package-exceeded"]


def _reported(path: Path, rows: list[dict]) -> Decimal:
    """The part's total as the report counts it: the part alone, unlinked."""
    alone = [{**rows[1], "part_of": ""}]
    book = read_book(_write(path, alone))
    report = build_report(book, ReportOptions(currency="GBP"))
    return sum(report.by_funder["amount"], Decimal(0))


@pytest.mark.parametrize("suffix", [".toml", ".csv"])
def test_a_part_exactly_its_package_over_a_leap_day_is_within(tmp_path, suffix):
    rows = _rows("910000", "1830000", "2016-06-30")
    assert Decimal(1830000) * HALF_2016 / 366 == 910000            # by hand
    assert _reported(tmp_path / f"alone{suffix}", rows) == Decimal(910000)
    assert _exceeded(_write(tmp_path / f"l{suffix}", rows)) == []
    # a penny less of package: the part exceeds it
    rows = _rows("909999.99", "1830000", "2016-06-30")
    assert _exceeded(_write(tmp_path / f"m{suffix}", rows)) == [
        "phased parts (part) add up to 910000 GBP, more than the 909999.99 GBP of 'pkg'"]


@pytest.mark.parametrize("suffix", [".toml", ".csv"])
def test_a_month_of_a_leap_year_is_31_of_366_days(tmp_path, suffix):
    rows = _rows("30750", "366000", "2016-01-31")
    assert Decimal(366000) * 31 / 366 == 31000                     # by hand
    assert _reported(tmp_path / f"alone{suffix}", rows) == Decimal(31000)
    assert _exceeded(_write(tmp_path / f"l{suffix}", rows)) == [
        "phased parts (part) add up to 31000 GBP, more than the 30750 GBP of 'pkg'"]
