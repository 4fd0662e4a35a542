"""The bulk reader's raw form: one row per entry, as the journal's (issue 24).

An entry of many rows is its first row in the entries table; its rows are
its parts in the splits table (purpose, amount, line).  The rules word an
entry's problem at each of its rows and a part's at its own, in the file's
order, as they did when the form held one row per entry and purpose.
Every expected line, id and figure below is read off the CSV text by hand
(the header is line 1)."""
from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from ledger.read.table import bulk_book, bulk_raw, read_bulk_book, read_table

HEADER = "id,date,funder,purpose,amount,currency,sources\n"

SPLIT = HEADER + (
    "a,2016-01-01,UK:Home Office,Security:Border,2000000,GBP,d1\n"      # line 2
    "b,2016-02-01,UK:Home Office,Security:Border,1000,GBP,d1;d2\n"      # line 3
    "b,2016-02-01,UK:Home Office,Health,2500.5,GBP,d1;d2\n"             # line 4
    "b,2016-02-01,UK:Home Office,Education,4,GBP,d1;d2\n"               # line 5
    "c,2016-03-01,France:Interior,Health,7,EUR,d2\n"                    # line 6
)


def _write(tmp_path, text, name="t.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _problems(path):
    return [(p.line, p.entry_id, p.severity, p.message) for p in read_bulk_book(path).problems]


def test_entries_one_row_per_entry_parts_in_splits(tmp_path):
    p = _write(tmp_path, SPLIT)
    rows = list(csv.DictReader(SPLIT.splitlines()))
    raw = bulk_raw(read_table(p), str(p))
    assert raw.by_entry
    # one row per entry, each its first row of the file, at that row's line
    assert raw.entries.column("id").to_pylist() == ["a", "b", "c"]
    assert raw.line.tolist() == [2, 3, 6]
    # b's three rows are its parts: each row's purpose, amount and line
    s = raw.splits
    assert s.column("entry").to_pylist() == [1, 1, 1]
    assert s.column("line").to_pylist() == [3, 4, 5]
    assert s.column("purpose").to_pylist() == [r["purpose"] for r in rows if r["id"] == "b"]
    assert s.column("amount").to_pylist() == [r["amount"] for r in rows if r["id"] == "b"]
    assert raw.differs == {}
    # the citations once per entry (b's first row's)
    assert raw.citations.column("entry").to_pylist() == [0, 1, 1, 2]
    assert raw.citations.column("doc").to_pylist() == ["d1", "d1", "d2", "d2"]


def test_book_of_the_form_counts_each_part(tmp_path):
    p = _write(tmp_path, SPLIT)
    book = read_bulk_book(p)
    assert [x.message for x in book.problems if x.severity == "error"] == []
    al = book.tables.allocations
    got = sorted((str(e), str(pu), Decimal(str(a))) for e, pu, a in
                 zip(book.tables.entries["id"].iloc[al["entry"]], al["purpose"], al["amount"]))
    assert got == sorted([("a", "Security:Border", Decimal("2000000")),
                          ("b", "Security:Border", Decimal("1000")),
                          ("b", "Health", Decimal("2500.5")),
                          ("b", "Education", Decimal("4")),
                          ("c", "Health", Decimal("7"))])
    # b's amount is its parts' sum: 1000 + 2500.5 + 4
    amounts = dict(zip(book.tables.entries["id"], book.tables.entries["amount"]))
    assert Decimal(str(amounts["b"])) == Decimal("3504.5")


def test_an_entrys_problem_at_each_of_its_rows_a_parts_at_its_own(tmp_path):
    text = HEADER + (
        "a,2016-13-01,UK:Home Office,Security:Border,5,GBP,d1\n"    # line 2
        "a,2016-13-01,UK:Home Office,Health,-5,GBP,d1\n"            # line 3
        "b,2016-01-01,UK:Home Office,Health,x,GBP,d1\n"             # line 4
        "c,2016-01-01,UK:Home Office,Health,3,GBP,d1\n"             # line 5
        "c,2016-01-01,UK:Home Office,,4,GBP,d1\n"                   # line 6
    )
    p = _write(tmp_path, text)
    assert bulk_raw(read_table(p), str(p)).by_entry
    got = _problems(p)
    date = "date not a valid date: '2016-13-01' (use YYYY-MM-DD)"
    assert got[:2] == [(2, "a", "error", date), (3, "a", "error", date)]
    rest = {(line, eid) for line, eid, sev, _ in got[2:] if sev == "error"}
    # a's second part is negative (line 3), b's amount is no number (line 4),
    # c's second part names no purpose (line 6)
    assert {(3, "a"), (4, "b"), (6, "c")} <= rest
    assert all(line in (2, 3, 4, 5, 6) for line, _, _, _ in got)


def test_rows_that_disagree_keep_their_rows(tmp_path):
    text = HEADER + (
        "a,2016-01-01,UK:Home Office,Security:Border,5,GBP,d1\n"   # line 2
        "a,2016-13-01,UK:Home Office,Health,6,GBP,d1\n"            # line 3
    )
    p = _write(tmp_path, text)
    raw = bulk_raw(read_table(p), str(p))
    assert not raw.by_entry   # each row's own values, worded at its line
    assert raw.entries.num_rows == 2
    assert raw.differs["date"].tolist() == [False, True]
    got = _problems(p)
    assert (3, "a", "error", "date not a valid date: '2016-13-01' (use YYYY-MM-DD)") in got
    assert any(line == 3 and "differs from the row before in 'date'" in m
               for line, _, _, m in got)


def test_decimal_mark_read_over_every_row(tmp_path):
    # the only amount a comma alone reads is a second part's (line 4): the
    # file's rows, not only each entry's first, decide the mark
    text = HEADER + (
        "a,2016-01-01,UK:Home Office,Health,5,GBP,d1\n"            # line 2
        "b,2016-01-01,UK:Home Office,Health,7,GBP,d1\n"            # line 3
        "b,2016-01-01,UK:Home Office,Education,\"2,5\",GBP,d1\n"   # line 4
    )
    p = _write(tmp_path, text)
    assert bulk_raw(read_table(p), str(p)).by_entry
    book = read_bulk_book(p)
    errors = [x for x in book.problems if x.severity == "error"]
    assert errors == []
    al = book.tables.allocations
    ids = book.tables.entries["id"].iloc[al["entry"]].tolist()
    assert sorted(zip(ids, al["purpose"].astype(str), (Decimal(str(a)) for a in al["amount"]))) \
        == [("a", "Health", Decimal("5")), ("b", "Education", Decimal("2.5")),
            ("b", "Health", Decimal("7"))]


def test_a_parts_lookalike_purpose_is_compared(tmp_path):
    # 'Heаlth' (Cyrillic a) is only a second part's purpose (line 4)
    text = HEADER + (
        "a,2016-01-01,UK:Home Office,Health,5,GBP,d1\n"            # line 2
        "b,2016-01-01,UK:Home Office,Education,7,GBP,d1\n"         # line 3
        "b,2016-01-01,UK:Home Office,He\u0430lth,2,GBP,d1\n"       # line 4
    )
    p = _write(tmp_path, text)
    assert bulk_raw(read_table(p), str(p)).by_entry
    said = [x for x in read_bulk_book(p).problems if "He\u0430lth" in x.message]
    assert said and said[0].entry_id == "b"


@pytest.mark.parametrize("handed", [True, False])
def test_bulk_book_takes_the_table_handed_over(tmp_path, handed):
    p = _write(tmp_path, SPLIT)
    table = read_table(p)
    held = [table] if handed else table
    if handed:
        del table
    book, first = bulk_book(held, str(p), tmp_path, "csv")
    if handed:
        assert held == []   # no caller holds the table: freed once its form is made
    # each entry's first row of the file (0-based among the data rows)
    assert first.tolist() == [0, 1, 4]
    assert book.tables.entries["id"].tolist() == ["a", "b", "c"]
