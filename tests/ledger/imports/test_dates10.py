"""Import: dates refused without need are read again.

A spreadsheet's date cell is a date by its type, whatever time it holds
(42215.5 shown as a date, a datetime cell at 14:00): its day.  A mapping's
``date_format`` with a time of day is honoured.  ``2015-7-30`` and
``20150730`` (year first) have one reading.  A time alone, now/today, a
bare year or a month alone are still refused."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.ledger.imports.test_dates6 import HEADER, _csv, _said

from ledger.imports.table import import_table

DAY = dt.date(2015, 7, 30)


def test_a_spreadsheet_date_cell_with_a_time_is_its_day(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["x-1", dt.datetime(2015, 7, 30, 14, 0), "UK:D", "H:W", 5, "GBP"])
    ws.append(["x-2", 42215.5, "UK:D", "H:W", 6, "GBP"])         # noon, shown as a date
    ws["B3"].number_format = "yyyy-mm-dd"
    ws.append(["x-3", dt.time(14, 0), "UK:D", "H:W", 7, "GBP"])    # a time alone
    ws.append(["x-4", dt.datetime(2015, 12, 31, 23, 59, 59), "UK:D", "H:W", 8, "GBP"])
    wb.save(tmp_path / "t.xlsx")
    res = import_table(tmp_path / "t.xlsx")
    assert [(e.id, e.date) for e in res.entries] == [
        ("x-1", DAY), ("x-2", DAY), ("x-4", dt.date(2015, 12, 31))]
    said = _said(res)
    assert list(said) == [4] and said[4][0] == "date" and "time of day" in said[4][1]


@pytest.mark.parametrize("fmt, cell", [
    ("%Y-%m-%d %H:%M:%S", "2015-07-30 14:00:00"),
    ("%Y-%m-%d %H:%M:%S", "2015-07-30 23:59:59"),
    ("%d/%m/%Y %H:%M", "30/07/2015 14:00"),
    ("%Y-%m-%dT%H:%M", "2015-07-30T10:00"),
    ("%d%m%Y", "30072015"),            # the mapping's reading before year first
])
def test_a_date_format_with_a_time_is_honoured(tmp_path, fmt, cell):
    res = import_table(_csv(tmp_path / "t.csv", [cell, "2015-07-30"]),
                       mapping={"date_format": fmt})
    assert not res.rejects, res.messages()
    assert [e.date for e in res.entries] == [DAY, DAY]


@pytest.mark.parametrize("cell", ["14:00", "now", "today", "2015", "July 2015"])
def test_a_date_format_with_a_time_still_refuses_what_is_no_day(tmp_path, cell):
    res = import_table(_csv(tmp_path / "t.csv", ["2015-07-30 14:00:00", cell]),
                       mapping={"date_format": "%Y-%m-%d %H:%M:%S"})
    assert [e.date for e in res.entries] == [DAY]
    assert list(_said(res)) == [3] and repr(cell) in _said(res)[3][1]


@pytest.mark.parametrize("cell, day", [
    ("2015-7-30", DAY),
    ("2015-07-5", dt.date(2015, 7, 5)),
    ("2015-1-2", dt.date(2015, 1, 2)),
    ("20150730", DAY),
    ("19991231", dt.date(1999, 12, 31)),
])
def test_year_first_dates_unpadded_or_run_together_import(tmp_path, cell, day):
    res = import_table(_csv(tmp_path / "t.csv", [cell]))
    assert not res.rejects, res.messages()
    assert [e.date for e in res.entries] == [day]


@pytest.mark.parametrize("cell", ["20151330", "2015-13-1", "2015-2-30", "12345678",
                                  "2015-7-30 14:00:00"])
def test_no_day_or_a_time_without_a_format_is_still_refused(tmp_path, cell):
    res = import_table(_csv(tmp_path / "t.csv", ["2016-03-03", cell]))
    assert [e.id for e in res.entries] == ["d-1"]
    said = _said(res)
    assert list(said) == [3] and said[3][0] == "date" and repr(cell) in said[3][1]
