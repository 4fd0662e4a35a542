"""An XLSX formula cell saved with no computed value (a workbook written by
a program, e.g. openpyxl, that does not compute formulas): its row is
refused naming the cell and the formula and saying how to get the values,
not read as an empty cell ("missing field 'amount'")."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

import ledger


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "date", "funder", "purpose", "amount", "currency", "remark"])
    ws.append(["f1", "2020-01-05", "Donor A", "Health", "=1000*12", "GBP", ""])
    ws.append(["f2", "2020-02-01", "Donor B", "Water", 2500, "GBP", "=LEN(A3)"])
    wb.save(path)
    return path


def test_a_formula_without_its_value_is_named(tmp_path, run_cli):
    book = _workbook(tmp_path / "pledges.xlsx")
    code, _, err = run_cli("import", book, "-o", tmp_path / "out")
    assert code == 0, err
    assert ("row 2: column 'amount': entry 'f1': cell E2 holds the formula =1000*12 but no "
            "computed value") in err, err
    assert "open and save it in a spreadsheet program" in err
    assert "missing field" not in err
    # a formula in a column the import does not read refuses nothing
    assert "G3" not in err
    assert {e.id: e.amount for e in ledger.load(tmp_path / "out").entries} == \
        {"f2": Decimal(2500)}
