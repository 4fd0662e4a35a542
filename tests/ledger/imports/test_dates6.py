"""Import: a date cell is a calendar day as written, or its row is refused.

pandas' "mixed" parser reads a time alone ("09:30"), "now" and "today" as
today's date and a bare year as its 1 January; each must be one reject
naming the row, the column and what is wrong, never a traceback."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from ledger.imports.table import import_table

HEADER = ["id", "date", "funder", "purpose", "amount", "currency"]


def _csv(path: Path, dates: list[str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows([f"d-{i}", d, "UK:D", "H:W", "5", "GBP"] for i, d in enumerate(dates, 1))
    return path


def _said(res):
    return {r.line: (r.column, r.message) for r in res.named_rejects()}


@pytest.mark.parametrize("cell, why", [
    ("09:30", "time of day"),
    ("9:30 pm", "time of day"),
    ("now", "no calendar day"),
    ("today", "no calendar day"),
    ("2019", "write 2019-01-01"),
    ("July 2015", "no day"),
    ("2015-07", "no day"),
    ("March", "no day"),
    ("20 September 2014 10:00", "time of day"),
    ("03/04/2020", "ambiguous"),
])
def test_a_cell_that_is_no_calendar_day_is_refused_naming_row_and_column(tmp_path, cell, why):
    res = import_table(_csv(tmp_path / "t.csv", ["2016-03-03", cell]))
    assert [e.id for e in res.entries] == ["d-1"]
    assert res.entries[0].date == dt.date(2016, 3, 3)
    said = _said(res)
    assert list(said) == [3]
    column, message = said[3]
    assert column == "date" and repr(cell) in message and why in message


def test_now_alone_is_a_reject_not_a_traceback(tmp_path):
    res = import_table(_csv(tmp_path / "t.csv", ["now"]))
    assert not res.entries
    assert "'now'" in _said(res)[2][1]
    res = import_table(_csv(tmp_path / "u.csv", ["now"]), mapping={"date_format": "%d/%m/%Y"})
    assert not res.entries and "'now'" in _said(res)[2][1]


@pytest.mark.parametrize("cell, day", [
    ("2016-03-03", dt.date(2016, 3, 3)),
    ("2016-03-03 00:00:00", dt.date(2016, 3, 3)),
    ("20 March 2016", dt.date(2016, 3, 20)),
    ("Sep 20, 2014", dt.date(2014, 9, 20)),
    ("Saturday, 20th September 2014", dt.date(2014, 9, 20)),
    ("20-Sep-2014", dt.date(2014, 9, 20)),
])
def test_dates_the_docs_promise_still_import(tmp_path, cell, day):
    res = import_table(_csv(tmp_path / "t.csv", [cell]))
    assert not res.rejects, res.messages()
    assert [e.date for e in res.entries] == [day]


def test_xlsx_time_cell_is_refused_and_date_cell_kept(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["x-1", dt.datetime(2016, 3, 3), "UK:D", "H:W", 5, "GBP"])
    ws.append(["x-2", dt.time(9, 30), "UK:D", "H:W", 6, "GBP"])
    ws.append(["x-3", dt.date(2017, 5, 1), "UK:D", "H:W", 7, "GBP"])
    wb.save(tmp_path / "t.xlsx")
    res = import_table(tmp_path / "t.xlsx")
    assert [(e.id, e.date) for e in res.entries] == [("x-1", dt.date(2016, 3, 3)),
                                                     ("x-3", dt.date(2017, 5, 1))]
    said = _said(res)
    assert list(said) == [3] and said[3][0] == "date" and "time of day" in said[3][1]


def test_cli_says_one_line_per_bad_date_and_exits_1(tmp_path, run_cli):
    src = _csv(tmp_path / "t.csv", ["09:30", "now", "2019"])
    code, out, err = run_cli("import", src, "-o", tmp_path / "o.toml")
    assert code == 1 and "Traceback" not in err
    lines = [ln for ln in err.splitlines() if "column 'date'" in ln]
    assert [ln.split(": row ")[1].split(":")[0] for ln in lines] == ["2", "3", "4"]
    assert not (tmp_path / "o.toml").exists()
