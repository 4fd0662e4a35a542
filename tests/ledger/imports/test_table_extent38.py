"""A spreadsheet's size is checked before its cells are read (hunt 17):
one cell at XFD1048576 in a 5 KB XLSX raised MemoryError (pandas builds
every row out to the last column); one at XFD2 took 25 s; a CSV header of
200,000 columns ran for minutes.  At most MAX_COLUMNS (1,000) columns, a
CSV or an XLSX alike, and MAX_CELLS (10 million) rows x columns."""
from __future__ import annotations

import csv
import subprocess
import sys
import time

import pytest
from openpyxl import Workbook

from ledger.errors import LedgerError
from ledger.imports.table import read_table
from ledger.limits import MAX_CELLS, MAX_COLUMNS

HEADER = ["id", "date", "funder", "purpose", "amount"]
ROW = ["a1", "2015-01-01", "UK:A", "B:C", "£5m"]

def _letters(n: int) -> str:
    """Column number -> letters, by hand (1 -> A, 27 -> AA)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out

def _xlsx(path, far: str | None):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(ROW)
    if far:
        ws[far] = "x"
    wb.save(path)
    return path

def test_letters_by_hand():
    assert [_letters(n) for n in (1, 26, 27, 1000, 1001, 16384)] == \
        ["A", "Z", "AA", "ALL", "ALM", "XFD"]

@pytest.mark.parametrize("cols", [MAX_COLUMNS + 1, 16384])
def test_an_xlsx_cell_past_the_last_column_is_refused_at_once(tmp_path, cols):
    far = f"{_letters(cols)}2"
    path = _xlsx(tmp_path / "wide.xlsx", far)
    start = time.monotonic()
    with pytest.raises(LedgerError) as err:
        read_table(path)
    assert time.monotonic() - start < 10
    msg = str(err.value)
    assert str(path) in msg and far in msg and f"{cols:,} columns" in msg and "\n" not in msg

def test_an_xlsx_at_the_column_limit_reads(tmp_path):
    got = read_table(_xlsx(tmp_path / "ok.xlsx", f"{_letters(MAX_COLUMNS)}2"))
    assert got.frame.shape == (1, MAX_COLUMNS)
    assert list(got.frame.iloc[0, :5]) == ROW and got.frame.iloc[0, -1] == "x"

def test_an_xlsx_spanning_too_many_cells_is_refused(tmp_path):
    # 1,048,576 rows x 10 columns: past 10 million cells, one cell at J1048576
    assert 1_048_576 * 10 > MAX_CELLS
    path = _xlsx(tmp_path / "tall.xlsx", "J1048576")
    with pytest.raises(LedgerError, match=r"1,048,576 rows × 10 columns"):
        read_table(path)

_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from ledger.errors import LedgerError
from ledger.imports.table import read_table
try:
    read_table(sys.argv[1])
except LedgerError as err:
    print(err)
"""

def test_one_cell_at_the_sheets_last_cell_is_one_line_not_memory_error(tmp_path):
    path = _xlsx(tmp_path / "sparse.xlsx", "XFD1048576")
    assert path.stat().st_size < 10_000
    got = subprocess.run([sys.executable, "-c", _LIMITED, str(path)], capture_output=True,
                         text=True, timeout=120)
    assert got.returncode == 0, got.stderr[-500:]
    assert "XFD1048576 makes 16,384 columns" in got.stdout

@pytest.mark.parametrize("extra", [MAX_COLUMNS - len(HEADER) + 1, 200_000])
def test_a_csv_header_past_the_column_limit_is_refused_at_once(tmp_path, extra):
    path = tmp_path / "wide.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER + [f"c{i}" for i in range(extra)])
        w.writerow(ROW + [""] * extra)
    start = time.monotonic()
    with pytest.raises(LedgerError) as err:
        read_table(path)
    assert time.monotonic() - start < 10
    assert f"row 1: the header has {len(HEADER) + extra:,} columns" in str(err.value)

def test_a_csv_at_the_column_limit_reads(tmp_path):
    extra = MAX_COLUMNS - len(HEADER)
    path = tmp_path / "ok.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER + [f"c{i}" for i in range(extra)])
        w.writerow(ROW + ["'-x"] + [""] * (extra - 1))
    got = read_table(path)
    assert got.frame.shape == (1, MAX_COLUMNS)
    assert got.frame.iloc[0, len(HEADER)] == "-x"   # the guard apostrophe taken off
