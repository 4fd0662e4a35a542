"""A file written wholly with decimal commas, comma-separated ("1.500.000,50"
quoted): a cell with both marks in their roles says the column's
convention, which no slip of one character makes of a number written with
a decimal point, so its "24.973" read as 24973 -- in the bulk reader
(``balance FILE.csv``) and in the spreadsheet importer (``-o``, ``--to``).
They were refused ("nothing says which it means").  A column whose telling
cells show one mark only ("2,5", "1.500.000") still refuses its ambiguous
cells, as before."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

HEAD = "id,date,funder,purpose,amount,currency\n"
AMOUNTS = ["1.500.000,50", "24.973", "2.000,25", "100.000", "7,5"]


def _bulk(amounts, sep=",") -> str:
    rows = [sep.join([f"e{k}", f"2020-0{k}-01", "UK:Home Office", "Security:Calais",
                      f'"{a}"', "GBP"]) for k, a in enumerate(amounts, 1)]
    return HEAD.replace(",", sep) + "\n".join(rows) + "\n"


def _european(text: str) -> Decimal:
    """A number with a decimal comma and points between thousands."""
    return Decimal(text.replace(".", "").replace(",", "."))


def _gbp(run_cli, path) -> Decimal:
    code, out, err = run_cli("balance", path, "--format", "csv")
    assert code == 0, err
    return Decimal({r["account"]: r["amount"] for r in csv.DictReader(io.StringIO(out))}["Purposes"])


def test_a_bulk_csv_of_decimal_commas_reads_its_thousands(tmp_path, run_cli):
    path = tmp_path / "bulk.csv"
    path.write_text(_bulk(AMOUNTS), encoding="utf-8")
    assert _gbp(run_cli, path) == sum(map(_european, AMOUNTS)) == Decimal("1626981.25")


@pytest.mark.parametrize("to", ["-o", "--to"])
def test_the_spreadsheet_import_reads_them_so(tmp_path, run_cli, monkeypatch, to):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_text(_bulk(AMOUNTS), encoding="utf-8")
    out = "l/l.toml" if to == "-o" else "d.parquet"
    code, _, err = run_cli("import", "t.csv", to, out)
    assert code == 0 and "nothing says which" not in err, err
    assert _gbp(run_cli, out) == sum(map(_european, AMOUNTS))


def test_a_semicolon_file_of_decimal_points_reads_its_thousands(tmp_path, run_cli, monkeypatch):
    """The other way round: a semicolon CSV (a spreadsheet; the bulk format
    is comma-separated) defaults to a decimal comma."""
    monkeypatch.chdir(tmp_path)
    amounts = ["1,500,000.50", "24,973", "7.5"]
    (tmp_path / "t.csv").write_text(_bulk(amounts, ";"), encoding="utf-8")
    code, _, err = run_cli("import", "t.csv", "-o", "l/l.toml")
    assert code == 0 and "nothing says which" not in err, err
    assert _gbp(run_cli, "l/l.toml") == sum(Decimal(a.replace(",", "")) for a in amounts)


@pytest.mark.parametrize("amounts", [["2,5", "1,500"], ["1.500.000", "24.973"]])
def test_one_mark_alone_still_says_nothing(tmp_path, run_cli, amounts):
    path = tmp_path / "bulk.csv"
    path.write_text(_bulk(amounts), encoding="utf-8")
    code, _, err = run_cli("balance", path)
    assert code == 1
    assert f"entry 'e2': error: amount: '{amounts[1]}'" in err and "nothing says which" in err
