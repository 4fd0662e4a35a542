"""Import: an ISO date and time in a CSV cell is its day, as an XLSX
datetime cell is; a four-digit year first (2015/07/30) has one reading,
year/month/day.  What is truly ambiguous or no day stays refused."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.ledger.imports.test_dates6 import HEADER, _csv, _said

from ledger.imports.table import import_table

DAY = dt.date(2015, 7, 30)


@pytest.mark.parametrize("cell", [
    "2015-07-30 14:30",
    "2015-07-30T14:30",
    "2015-07-30 14:30:59",
    "2015-07-30T23:59:59.250",
    "2015-07-30T14:30:00Z",
    "2015-07-30T23:30:00-05:00",     # the day as written, not moved to UTC
    "2015-07-30T00:30+0200",
])
def test_an_iso_date_time_is_its_day(tmp_path, cell):
    res = import_table(_csv(tmp_path / "t.csv", [cell, "2016-03-03"]))
    assert not res.rejects, res.messages()
    assert [e.date for e in res.entries] == [DAY, dt.date(2016, 3, 3)]


def test_the_csv_text_and_the_xlsx_cell_give_the_same_day(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["d-1", dt.datetime(2015, 7, 30, 14, 30), "UK:D", "H:W", "5", "GBP"])
    wb.save(tmp_path / "t.xlsx")
    from_xlsx = import_table(tmp_path / "t.xlsx")
    from_csv = import_table(_csv(tmp_path / "t.csv", ["2015-07-30 14:30"]))
    assert not from_xlsx.rejects and not from_csv.rejects
    assert [e.date for e in from_csv.entries] == [e.date for e in from_xlsx.entries] == [DAY]


def test_a_mapping_with_a_day_first_format_still_reads_an_iso_date_time(tmp_path):
    res = import_table(_csv(tmp_path / "t.csv", ["30/07/2015", "2015-07-30 14:30"]),
                       mapping={"date_format": "%d/%m/%Y"})
    assert not res.rejects, res.messages()
    assert [e.date for e in res.entries] == [DAY, DAY]


@pytest.mark.parametrize("cell, day", [
    ("2015/07/30", DAY),
    ("2015/7/30", DAY),
    ("2015/07/05", dt.date(2015, 7, 5)),     # not 7 May: the year first, then the month
    ("2015.07.05", dt.date(2015, 7, 5)),
    ("2015/12/01", dt.date(2015, 12, 1)),
])
def test_a_four_digit_year_first_is_year_month_day(tmp_path, cell, day):
    res = import_table(_csv(tmp_path / "t.csv", [cell]))
    assert not res.rejects, res.messages()
    assert [e.date for e in res.entries] == [day]


def test_a_year_first_after_a_day_first_mapping(tmp_path):
    res = import_table(_csv(tmp_path / "t.csv", ["05/07/2015", "2015/07/05"]),
                       mapping={"date_format": "%d/%m/%Y"})
    assert not res.rejects, res.messages()
    assert [e.date for e in res.entries] == [dt.date(2015, 7, 5)] * 2


@pytest.mark.parametrize("cell, why", [
    ("03/04/2020", "ambiguous"),            # day and month either way
    ("30/07/15", "ambiguous"),
    ("2015/13/01", "not a date"),           # no 13th month
    ("2015/02/30", "not a date"),
    ("2015/07.30", "not a date"),           # two different marks
    ("2015-07-30 25:00", "not a date"),     # no 25th hour
    ("2015-02-30 10:00", "not a date"),
    ("2015-07-30 14:30 extra", "not a date"),
    ("14:30", "time of day"),
    ("now", "no calendar day"),
    ("20 September 2014 10:00", "time of day"),
])
def test_what_is_ambiguous_or_no_day_stays_refused(tmp_path, cell, why):
    res = import_table(_csv(tmp_path / "t.csv", ["2016-03-03", cell]))
    assert [e.id for e in res.entries] == ["d-1"]
    said = _said(res)
    assert list(said) == [3]
    column, message = said[3]
    assert column == "date" and repr(cell) in message and why in message, message
