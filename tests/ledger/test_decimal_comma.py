"""A decimal comma in an amount column ("1500000,00", "1,5", "1.234,50")
is read as one, in every input: a spreadsheet's amount column (CSV, an
XLSX's text cells), a bulk CSV or Parquet file, a journal's split amounts.
A column has one convention: told by its cells that read one way only, a
semicolon-separated CSV's (Excel's where the decimal mark is a comma) when
none tells; a cell written the other way is refused at its row.  The
expected totals are the input's figures added by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

import ledger
from ledger.imports.table import import_table

HEAD = "id,date,funder,purpose,amount,currency\n"


def _imported(tmp_path, text: str, name: str = "in.csv"):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    got = import_table(src)
    return {e.id: e.amount for e in got.entries}, [r.message for r in got.rejects]


def test_a_semicolon_export_reads_decimal_commas(tmp_path):
    # German Excel: "1500000,00" was read as 150000000, "250000,5" as 2500005
    amounts, rejects = _imported(tmp_path, "id;date;funder;purpose;amount;currency\n"
                                 "de-1;2020-01-01;Germany;Health;1500000,00;EUR\n"
                                 "de-2;2020-02-01;Germany;Water;250000,5;EUR\n")
    assert not rejects
    assert amounts == {"de-1": Decimal("1500000.00"), "de-2": Decimal("250000.5")}
    assert sum(amounts.values()) == Decimal("1750000.50")


def test_a_semicolon_export_with_only_ambiguous_cells_is_read_as_excel_writes_it(tmp_path):
    # no cell tells: the semicolon says a decimal comma ("1.500" is 1500, "2,500" 2.5)
    amounts, rejects = _imported(tmp_path, "id;date;funder;purpose;amount;currency\n"
                                 "a;2020-01-01;G;H;1.500;EUR\nb;2020-01-01;G;H;2,500;EUR\n")
    assert not rejects
    assert amounts == {"a": Decimal(1500), "b": Decimal("2.5")}


def test_a_comma_csv_column_of_decimal_commas(tmp_path):
    amounts, rejects = _imported(tmp_path, HEAD + 'p1,2020-01-01,A,Health,"1,5",EUR\n'
                                 'p2,2020-01-02,A,Water,"1.234,50",EUR\n'
                                 'p3,2020-01-03,A,Food,"2,50",EUR\n'
                                 'p4,2020-01-04,A,Shelter,"1.500",EUR\n'
                                 'p5,2020-01-05,A,Shelter,"1,5 EUR",\n')
    # 1.5 + 1234.50 + 2.50 + 1.5; "1.500" is 1500 or 1.5: the cells say a decimal
    # comma, a comma-separated file a point (test_decimal_comma2)
    assert amounts == {"p1": Decimal("1.5"), "p2": Decimal("1234.5"), "p3": Decimal("2.5"),
                       "p5": Decimal("1.5")}
    assert sum(amounts.values()) == Decimal("1240.00")
    (why,) = rejects
    assert "'1.500' is 1.5 with a decimal point or 1500 with a decimal comma" in why


def test_a_column_of_decimal_points_reads_ambiguous_cells_so(tmp_path):
    amounts, rejects = _imported(tmp_path, HEAD + 'a,2020-01-01,A,H,"1,500,000.25",GBP\n'
                                 'b,2020-01-01,A,H,"1,500",GBP\nc,2020-01-01,A,H,1.500,GBP\n')
    assert not rejects
    assert amounts == {"a": Decimal("1500000.25"), "b": Decimal(1500), "c": Decimal("1.5")}


def test_a_cell_against_its_column_is_refused_at_its_row(tmp_path):
    amounts, rejects = _imported(tmp_path, HEAD + 'a,2020-01-01,A,H,"1,500.25",GBP\n'
                                 'b,2020-01-01,A,H,"1,5",GBP\n'
                                 'c,2020-01-01,A,H,"2,000.75",GBP\n'
                                 'd,2020-01-01,A,H,"1,500",GBP\n')
    assert amounts == {"a": Decimal("1500.25"), "c": Decimal("2000.75")}
    why, ambiguous = rejects
    # what it reads as each way, and the cell that shows the column's convention
    assert "'1,5' is 1.5 with a decimal comma" in why
    assert "not a number with a decimal point" in why and "row 2: '1,500.25'" in why
    # a column written both ways: nothing says which way "1,500" means
    assert ("'1,500' is 1.5 with a decimal comma or 1500 with a decimal point, and the "
            "column's amounts are written both ways (a decimal point at row 2: '1,500.25', "
            "a decimal comma elsewhere)") in ambiguous


def test_the_refusal_is_one_line_naming_file_row_and_entry(tmp_path, run_cli):
    src = tmp_path / "mixed.csv"
    src.write_text(HEAD + 'a,2020-01-01,A,H,"1,5",EUR\nb,2020-01-01,A,H,"2,25",EUR\n'
                   'c,2020-01-01,A,H,"1,500,000.50",EUR\n', encoding="utf-8")
    code, _, err = run_cli("import", src, "-o", tmp_path / "L.toml")
    assert "Traceback" not in err
    (line,) = [ln for ln in err.splitlines() if "decimal" in ln]
    assert line.startswith(f"ledger-tool: import: {src}: row 4: column 'amount': entry 'c': ")
    assert "'1,500,000.50' is 1500000.5 with a decimal point" in line and "row 2: '1,5'" in line


def test_a_phrase_with_the_currency_in_its_own_column(tmp_path):
    # "0.5m" and "5 000" were refused as "no currency in '0.5m'"
    amounts, rejects = _imported(tmp_path, HEAD + "a,2020-01-01,A,H,0.5m,GBP\n"
                                 "b,2020-01-01,A,H,5 000,EUR\nc,2020-01-01,A,H,£2m,USD\n")
    assert amounts == {"a": Decimal(500000), "b": Decimal(5000)}
    (why,) = rejects     # a phrase naming another currency than the column's
    assert "'£2m' is in GBP, the currency column says USD" in why


def test_xlsx_numbers_are_numbers_and_text_cells_follow_their_column(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "date", "funder", "purpose", "amount", "currency"])
    ws.append(["a", "2020-01-01", "A", "H", 1.125, "EUR"])     # a number: 1.125, not 1125
    ws.append(["b", "2020-01-01", "A", "H", "2,50", "EUR"])     # text with a decimal comma
    ws.append(["c", "2020-01-01", "A", "H", "1.234,5", "EUR"])
    ws.append(["d", "2020-01-01", "A", "H", 1500000, "EUR"])
    src = tmp_path / "in.xlsx"
    wb.save(src)
    got = import_table(src)
    assert not got.rejects
    amounts = {e.id: e.amount for e in got.entries}
    assert amounts == {"a": Decimal("1.125"), "b": Decimal("2.5"), "c": Decimal("1234.5"),
                       "d": Decimal(1500000)}


def test_a_bulk_csv_of_decimal_commas(tmp_path, run_cli):
    # was EUR 150000015
    src = tmp_path / "bulk.csv"
    src.write_text(HEAD + 'de-1,2020-01-01,Germany,Health,"1500000,00",EUR\n'
                   'de-2,2020-02-01,Germany,Water,"1,5",EUR\n'
                   'de-3,2020-02-01,Germany,Water,"1.000,00",EUR\n', encoding="utf-8")
    book = ledger.read_book(src)
    assert not book.errors
    assert {e.id: e.amount for e in book.entries} == {
        "de-1": Decimal("1500000.00"), "de-2": Decimal("1.5"), "de-3": Decimal(1000)}
    code, out, err = run_cli("balance", src, "--format", "csv")
    assert code == 0, err
    assert "Purposes,EUR,1501001.5" in out.replace("\r", "")


def test_a_bulk_csv_cell_against_its_column_is_refused_at_its_line(tmp_path, run_cli):
    src = tmp_path / "bulk.csv"
    src.write_text(HEAD + 'a,2020-01-01,G,H,"1,5",EUR\nb,2020-01-01,G,H,"1,500.25",EUR\n'
                   'c,2020-01-01,G,H,"2,500.75",EUR\nd,2020-01-01,G,H,2.500,EUR\n',
                   encoding="utf-8")
    book = ledger.read_book(src)
    assert [(p.line, p.entry_id, p.code) for p in book.errors] == [(2, "a", "bad-amount"),
                                                                    (5, "d", "bad-amount")]
    assert "'2.500' is 2500 with a decimal comma or 2.5 with a decimal point" \
        in book.errors[1].message
    assert {e.id: e.amount for e in book.entries} == {"b": Decimal("1500.25"),
                                                      "c": Decimal("2500.75")}
    code, _, err = run_cli("check", src)
    assert code == 1 and "Traceback" not in err
    assert (f"{src}:2: entry 'a': error: amount: '1,5' is 1.5 with a decimal comma, "
            f"not a number with a decimal point") in err
    assert "(line 3: '1,500.25')" in err


def test_a_bulk_split_entry_of_decimal_commas(tmp_path):
    # rows of one id: one entry split between purposes, its amount their sum
    src = tmp_path / "bulk.csv"
    src.write_text(HEAD + 's,2020-01-01,G,Health,"1,25",EUR\ns,2020-01-01,G,Water,"2,5",EUR\n',
                   encoding="utf-8")
    book = ledger.read_book(src)
    assert not book.errors
    (e,) = book.entries
    assert e.amount == Decimal("3.75")
    assert sorted(s.amount for s in e.splits) == [Decimal("1.25"), Decimal("2.5")]


def test_a_parquet_file_of_decimal_commas(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "bulk.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "date": ["2020-01-01", "2020-01-02"],
                             "funder": ["G", "G"], "purpose": ["H", "W"],
                             "amount": ["1500000,00", "250000,5"],
                             "currency": ["EUR", "EUR"]}), src)
    book = ledger.read_book(src)
    assert not book.errors
    assert sum(e.amount for e in book.entries) == Decimal("1750000.50")


def test_journal_split_amounts_with_a_decimal_comma(tmp_path):
    # the parts were read as 15 each: "parts sum to 30 EUR, the entry is 3 EUR"
    j = tmp_path / "j.toml"
    j.write_text('[[entry]]\nid = "de-2"\ndate = 2020-01-01\nfunder = "Germany"\n'
                 'amount = "1234.5 EUR"\n'
                 '  [[entry.split]]\n  purpose = "Health"\n  amount = "1,5"\n'
                 '  [[entry.split]]\n  purpose = "Water"\n  amount = "1.233,00"\n',
                 encoding="utf-8")
    book = ledger.read_book(tmp_path)
    assert not book.errors, [p.message for p in book.errors]
    (e,) = book.entries
    assert sorted(s.amount for s in e.splits) == [Decimal("1.5"), Decimal("1233")]


def test_phrases_in_a_decimal_comma_column_follow_it(tmp_path):
    # "1.500 EUR" alone reads 1.5 (parse_number); beside "2,50 EUR" it is 1500
    amounts, rejects = _imported(tmp_path, "id;date;funder;purpose;amount\n"
                                 "a;2020-01-01;G;H;1.500 EUR\nb;2020-01-01;G;H;2,50 EUR\n"
                                 "c;2020-01-01;G;H;€1.234,50\nd;2020-01-01;G;H;1,5 Mio. EUR\n")
    assert amounts == {"a": Decimal(1500), "b": Decimal("2.5"), "c": Decimal("1234.5")}
    assert len(rejects) == 1 and "'1,5 Mio. EUR'" in rejects[0]   # no such scale word


def test_a_phrase_against_its_column_is_refused(tmp_path):
    amounts, rejects = _imported(tmp_path, HEAD + 'a,2020-01-01,A,H,"1,500,000.25",GBP\n'
                                 'b,2020-01-01,A,H,"£1,5m",\nc,2020-01-01,A,H,£2.5m,\n')
    assert amounts == {"a": Decimal("1500000.25"), "c": Decimal(2500000)}
    (why,) = rejects
    assert "'£1,5m': '1,5' is 1.5 with a decimal comma, not a number with a decimal point" \
        in why and "row 2: '1,500,000.25'" in why
