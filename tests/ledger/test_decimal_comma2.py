"""An ambiguous amount ("1,500": 1.5 or 1500) is never read against the
many: when the cells of its column that read one way only say the other
decimal mark than the file's kind (a comma-separated CSV or a Parquet file:
a point; a semicolon-separated CSV: a comma), it is refused at its row with
both readings, and the cells that tell are read by their mark.  The
expected figures are the raw rows added by hand or by plain Python."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

import ledger
from ledger.imports.table import import_table

HEAD = "id,date,funder,purpose,amount,currency\n"
GROUPED = re.compile(r"^[1-9][0-9]{0,2},[0-9]{3}$")   # "1,500": 1500 or 1.5


def _bulk(tmp_path, cells: list[str], name: str = "bulk.csv"):
    src = tmp_path / name
    src.write_text(HEAD + "".join(f'e{i},2020-01-01,UK,Aid,"{c}",GBP\n'
                                  for i, c in enumerate(cells)), encoding="utf-8")
    return src


def test_one_decimal_comma_does_not_turn_the_column_into_decimals(tmp_path, run_cli):
    # was: every "1,500" read as 1.5 beside one "2,5" (a total 1000 times off)
    cells = [f"{k},{k % 1000:03d}" for k in range(1, 400)] + ["2,5"]
    src = _bulk(tmp_path, cells)
    book = ledger.read_book(src)
    ambiguous = [i for i, c in enumerate(cells) if GROUPED.match(c)]
    assert len(ambiguous) == 399
    shown = [p for p in book.errors if p.line]
    # each refused at its line (a bulk file's first 50; then how many more)
    assert [(p.line, p.entry_id) for p in shown] == [(i + 2, f"e{i}") for i in ambiguous[:50]]
    (more,) = [p for p in book.errors if not p.line]
    assert more.message.startswith(f"{399 - 50} more row(s)")
    # the lone decimal comma is read by its mark, nothing else is kept
    assert {e.id: e.amount for e in book.entries} == {"e399": Decimal("2.5")}
    code, out, err = run_cli("balance", src)
    assert code == 1 and "Traceback" not in err
    assert (f"{src}:2: entry 'e0': error: amount: '1,001' is 1001 with a decimal point or "
            f"1.001 with a decimal comma: the column's amounts that read one way only have "
            f"a decimal comma (line 401: '2,5'), but a file of this kind defaults to a "
            f"decimal point, so nothing says which it means; write '1001' or '1,001'") in err


def test_without_the_decimal_comma_the_column_reads_thousands(tmp_path, run_cli):
    cells = ["1,500", "2,000", "3,000", "12,345"]
    book = ledger.read_book(_bulk(tmp_path, cells))
    assert not book.errors
    assert sum(e.amount for e in book.entries) == sum(Decimal(c.replace(",", "")) for c in cells)


def test_the_reviewers_four_rows(tmp_path, run_cli):
    # "1,500", "2,000", "2,5", "3,000": was £9.00 (1.5 + 2 + 2.5 + 3)
    src = _bulk(tmp_path, ["1,500", "2,000", "2,5", "3,000"])
    code, _, err = run_cli("check", src)
    assert code == 1 and "Traceback" not in err
    said = [ln for ln in err.splitlines() if "error: amount:" in ln]
    assert [ln.split(": error")[0] for ln in said] == [
        f"{src}:2: entry 'e0'", f"{src}:3: entry 'e1'", f"{src}:5: entry 'e3'"]
    assert "'2,000' is 2000 with a decimal point or 2 with a decimal comma" in said[1]


def test_a_parquet_file_whose_cells_say_a_decimal_comma(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "bulk.parquet"
    cells = ["1500000,00", "1.250", "250000,5", "7.000.000"]
    pq.write_table(pa.table({"id": ["a", "b", "c", "d"], "date": ["2020-01-01"] * 4,
                             "funder": ["G"] * 4, "purpose": ["H"] * 4, "amount": cells,
                             "currency": ["EUR"] * 4}), src)
    book = ledger.read_book(src)
    # "1.250" is 1.25 or 1250; "7.000.000" reads one way only (7000000 with a comma)
    assert [(p.line, p.entry_id) for p in book.errors] == [(3, "b")]
    assert {e.id: e.amount for e in book.entries} == {
        "a": Decimal("1500000.00"), "c": Decimal("250000.5"), "d": Decimal(7000000)}


def test_a_semicolon_file_whose_cells_say_a_decimal_point(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id;date;funder;purpose;amount;currency\n"
                   "a;2020-01-01;G;H;1.5;EUR\nb;2020-01-01;G;H;2,500;EUR\n"
                   "c;2020-01-01;G;H;1,000,000;EUR\n", encoding="utf-8")
    got = import_table(src)
    assert {e.id: e.amount for e in got.entries} == {"a": Decimal("1.5"),
                                                     "c": Decimal(1000000)}
    (why,) = [r.message for r in got.rejects]
    assert ("'2,500' is 2.5 with a decimal comma or 2500 with a decimal point: the column's "
            "amounts that read one way only have a decimal point (row 2: '1.5'), but a file "
            "of this kind defaults to a decimal comma") in why
    assert why.endswith("write '2500' or '2.5'")


def test_a_spreadsheet_import_never_writes_250_for_250000(tmp_path):
    # was: "£250,000" written to the journal as £250.000, beside "£1,2m"
    src = tmp_path / "en2.csv"
    src.write_text("date,funder,purpose,amount,currency\n"
                   '2020-01-01,UK:Home Office,Calais:Fencing,"£250,000",GBP\n'
                   '2020-02-01,UK:Home Office,Calais:Fencing,"£75,000",GBP\n'
                   '2020-03-01,UK:Home Office,Calais:Fencing,"£1,2m",GBP\n', encoding="utf-8")
    got = import_table(src)
    assert [e.amount for e in got.entries] == [Decimal(1200000)]
    first, second = [r.message for r in got.rejects]
    assert "'250,000' is 250000 with a decimal point or 250 with a decimal comma" in first
    assert "(row 4: '£1,2m')" in first and "'75,000'" in second
