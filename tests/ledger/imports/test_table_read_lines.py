"""Import, reading a CSV's lines (ledger/imports/table.py read_csv_rows): a
record ends at CR, LF or CR LF only, as in a spreadsheet program."""
from __future__ import annotations

import pytest

from ledger.imports.table import import_table, read_csv_rows

HEADER = "id,date,funder,purpose,amount,currency,notes"


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
                                  "\u2029"])
def test_a_separator_inside_a_cell_does_not_end_its_row(tmp_path, char):
    """Python's str.splitlines also ends a line at FF, VT, the information
    separators, NEL and U+2028/9 (a line separator copied from a web page):
    an unquoted cell holding one was cut in two, its row refused as two
    malformed rows and every row below it numbered one too far."""
    lines = [HEADER, f"s1,2019-03-01,UK,Health,10,GBP,see{char}below",
             "s2,2019-03-02,FR,Port,40,EUR,", "s3,2019-03-03,FR,Rail,1,000,EUR,x"]
    text = "\r\n".join(lines) + "\r\n"
    got = read_csv_rows(text)
    assert got.rows == [2, 3]
    assert got.frame["notes"].tolist() == [f"see{char}below", ""]
    assert [r for r, _, _ in got.malformed] == [4]
    src = tmp_path / "s.csv"
    src.write_bytes(text.encode("utf-8"))
    res = import_table(src)
    assert res.rows == 3
    assert "s2" in {e.id for e in res.entries}
    assert 4 in {r.line for r in res.rejects} and 5 not in {r.line for r in res.rejects}


def test_lines_end_at_cr_lf_and_crlf_alike():
    text = "id,date\ra,2019-01-01\nb,2019-01-02\r\nc,2019-01-03"
    got = read_csv_rows(text)
    assert got.frame["id"].tolist() == ["a", "b", "c"] and got.rows == [2, 3, 4]
