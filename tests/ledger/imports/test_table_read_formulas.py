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


def test_a_formula_computed_to_empty_text_is_empty_not_uncomputed(tmp_path, run_cli):
    """LibreOffice and Excel save =IF(…,"large","") that came out empty as
    a text cell (t="str") with an empty <v>: computed, not missing."""
    import shutil
    import zipfile

    src = _workbook(tmp_path / "plain.xlsx")
    out = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"):
                # the formula's column read as the entries' notes
                data = data.replace(b"<t>remark</t>", b"<t>notes</t>")
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                text = text.replace("<f>1000*12</f><v></v>", "<f>1000*12</f><v>12000</v>")
                text = text.replace('<c r="G3"><f>LEN(A3)</f><v></v></c>',
                                    '<c r="G3" t="str"><f>IF(E3&gt;9999,"large","")</f><v></v></c>')
                assert 't="str"' in text and "<v>12000</v>" in text, text
                data = text.encode("utf-8")
            zout.writestr(item, data)
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    code, _, err = run_cli("import", out, "-o", tmp_path / "out")
    assert code == 0 and "no computed value" not in err, err
    assert {e.id: (e.amount, e.notes) for e in ledger.load(tmp_path / "out").entries} == \
        {"f1": (Decimal(12000), ""), "f2": (Decimal(2500), "")}
