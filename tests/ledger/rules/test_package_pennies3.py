"""The package rule measures a part as the reports count it: its whole
amount over its period, in the currency's minor units (the amount in minor
units times the span's exact years, rounded once, half away from zero).  A
package equal to that figure holds the part; one minor unit less does not.
The same from a journal, a bulk CSV and a partitioned dataset; and the report
counts the part at that figure.

Figures by hand (a span's years by anniversaries: its whole years, then the
days left over the days of the next anniversary year):

- 1,000,000 GBP a year, 2016-01-01..2016-01-10: 10/366 of a year (2016 is a
  leap year): 27,322.404371… -> 27,322.40;
- 1,000,000 GBP a year, 2017-01-01..2017-01-10: 10/365 -> 27,397.260273… -> 27,397.26;
- 500,000 GBP a year, 2015-03-01..2016-04-15: a year to 2016-02-29, then
  46 days (31 of March, 15 of April) of the 365 to 2017-02-28: 411/365 ->
  563,013.698630… -> 563,013.70;
- 333,333.33 GBP a year, 2016-07-01..2016-12-31: 184 days of the 365 to
  2017-06-30: 33,333,333 pence × 184/365 = 16,803,652.8 pence -> 168,036.53;
- 5.49 GBP a year for 2016-02-01 alone: 549 pence / 366 = 1.5 pence, a
  half: away from zero, 0.02;
- 1,000,000 JPY a year, 2017-01-01..2017-01-10 (no minor unit): 27,397.26… -> 27,397.
"""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

# (amount a year, currency, start, end, the part's whole amount by hand, one minor unit)
CASES = [
    ("1000000", "GBP", "2016-01-01", "2016-01-10", "27322.40", "0.01"),
    ("1000000", "GBP", "2017-01-01", "2017-01-10", "27397.26", "0.01"),
    ("500000", "GBP", "2015-03-01", "2016-04-15", "563013.70", "0.01"),
    ("333333.33", "GBP", "2016-07-01", "2016-12-31", "168036.53", "0.01"),
    ("5.49", "GBP", "2016-02-01", "2016-02-01", "0.02", "0.01"),
    ("1000000", "JPY", "2017-01-01", "2017-01-10", "27397", "1"),
]
COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "period", "part_of"]


def _rows(case, package: str) -> list[dict]:
    amount, cur, start, end, _, _ = case
    return [{"id": "pkg", "date": start, "funder": "UK", "purpose": "Port", "amount": package,
             "currency": cur, "period": "", "part_of": ""},
            {"id": "part", "date": start, "funder": "UK", "purpose": "Port", "amount": amount,
             "currency": cur, "period": f"per year from {start} to {end}", "part_of": "pkg"}]


def _write(kind: str, d: Path, rows: list[dict]) -> Path:
    if kind == "journal":
        text = '[ledger]\nname = "pkg"\ncurrency = "GBP"\n'
        for r in rows:
            text += "\n[[entry]]\n" + "".join(
                f'{k} = {r[k] if k == "date" else repr(r[k]).replace(chr(39), chr(34))}\n'
                for k in COLUMNS if r[k])
        (d / "l.toml").write_text(text, encoding="utf-8")
        return d / "l.toml"
    if kind == "csv":
        with open(d / "l.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=COLUMNS)
            w.writeheader()
            w.writerows(rows)
        return d / "l.csv"
    part = d / "l.parquet" / f"year={rows[0]['date'][:4]}"
    part.mkdir(parents=True)
    pq.write_table(pa.table({c: [r[c] for r in rows] for c in COLUMNS}), part / "part-0.parquet")
    return part.parent


def _exceeded(path: Path) -> list[str]:
    from ledger.read import read_book

    book = read_book(path)
    assert not [p for p in book.problems if p.severity == "error"
                and p.code != "package-exceeded"], book.problems
    return [p.message for p in book.problems if p.code == "package-exceeded"]


@pytest.mark.parametrize("kind", ["journal", "csv", "dataset"])
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}{c[1]}-{c[2]}-{c[3]}" for c in CASES])
def test_a_package_holds_its_part_as_the_reports_count_it(case, kind, tmp_path):
    want, unit = Decimal(case[4]), Decimal(case[5])
    (tmp_path / "eq").mkdir()
    (tmp_path / "less").mkdir()
    assert _exceeded(_write(kind, tmp_path / "eq", _rows(case, str(want)))) == []
    msgs = _exceeded(_write(kind, tmp_path / "less", _rows(case, str(want - unit))))
    assert len(msgs) == 1 and f"add up to {want.normalize():f} {case[1]}" in msgs[0], msgs


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_the_report_counts_the_part_at_that_figure(case, tmp_path):
    """The report, in the part's own currency, counts it at the same figure."""
    from ledger.read import read_book
    from reports.tables import ReportOptions, build_report

    rows = _rows(case, case[4])[1:]
    rows[0]["part_of"] = ""
    report = build_report(read_book(_write("csv", tmp_path, rows)),
                          ReportOptions(currency=case[1]))
    assert Decimal(str(report.by_status["total"].sum())) == Decimal(case[4])
