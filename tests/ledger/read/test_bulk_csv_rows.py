"""A bulk CSV's rows with a cell too many or too few: each one problem at
its line, the other rows checked in the same run (pyarrow's one message,
"CSV parse error: Expected 6 columns, got 7", refused the whole table with
no line and hid every other problem)."""
from __future__ import annotations

from decimal import Decimal

import ledger

HEAD = "id,date,funder,purpose,amount,currency\n"


def _said(path):
    book = ledger.read_book(path)
    return book, [(p.line, p.entry_id, p.code) for p in book.errors]


def test_each_row_of_another_width_is_one_problem_at_its_line(tmp_path, run_cli):
    # the hunt's file: line 4 has a cell too many; lines 2 and 3 their own errors
    src = tmp_path / "bulk.csv"
    src.write_text(HEAD + "a,2016-01-01,UK,P,1e5,GBP\n"
                   "b,2016-13-01,UK,P,100,GBP\n"
                   "c,2016-01-01,UK,P,300,GBP,extra\n"
                   "d,2016-01-01,UK,P,400,GBP\n", encoding="utf-8")
    book, said = _said(src)
    assert sorted(said) == [(2, "a", "bad-amount"), (3, "b", "bad-date"), (4, "c", "bad-row")]
    (row,) = [p for p in book.errors if p.code == "bad-row"]
    assert row.message == ("row has 7 cell(s), the header 6 column(s): "
                           "'c,2016-01-01,UK,P,300,GBP,extra'")
    assert [(e.id, e.amount) for e in book.entries] == [("d", Decimal(400))]
    code, _, err = run_cli("check", src)
    assert code == 1 and "Traceback" not in err
    assert f"{src}:4: entry 'c': error: row has 7 cell(s)" in err
    assert "CSV parse error" not in err and "3 error(s)" in err, err
    code, out, err = run_cli("balance", src)
    assert code == 1 and not out


def test_an_entry_with_a_row_left_out_is_refused_whole(tmp_path):
    """s's Hum row has a cell too few: s is not kept as its Sec row alone
    (£6, not the £10 the file says); the rows after keep their lines, and a
    link to s is not called missing."""
    src = tmp_path / "b.csv"
    src.write_text("id,date,funder,purpose,amount,currency,disburses\n"
                   "s,2016-03-03,UK,Sec,6,GBP,\n"
                   "s,2016-03-03,UK,Hum\n"
                   "p,2016-04-04,UK,Sec,5,GBP,s\n"
                   "q,2016-99-04,UK,Sec,5,GBP,\n"
                   "r,2016-05-05,UK,Sec,7,GBP,\n", encoding="utf-8")
    book, said = _said(src)
    assert sorted(said) == [(3, "s", "bad-row"), (5, "q", "bad-date")]
    assert not any("missing" in p.message for p in book.problems)
    assert sorted((e.id, e.amount) for e in book.entries) == [("p", Decimal(5)),
                                                               ("r", Decimal(7))]


def test_lines_are_rows_as_the_bulk_reader_numbers_them(tmp_path):
    """A quoted line break is not counted and a blank line is skipped (the
    bulk reader's lines: the header line 1, then one per row), before and
    after a row left out."""
    src = tmp_path / "b.csv"
    src.write_text(HEAD + 'a,2016-01-01,UK,"P\nQ",10,GBP\n\n'
                   "b,2016-01-01,UK,P,10,GBP,x\n"
                   "c,2016-13-01,UK,P,10,GBP\n"
                   "d,1\n", encoding="utf-8")
    _, said = _said(src)
    assert [x for x in said if x[2] != "bad-account"] == [(3, "b", "bad-row"), (5, "d", "bad-row"),
                                                           (4, "c", "bad-date")]


def test_many_rows_of_another_width_are_capped_with_a_count(tmp_path):
    rows = "".join(f"e{i},2016-01-01,UK,P,1,000,GBP\n" for i in range(60))   # unquoted comma
    src = tmp_path / "b.csv"
    src.write_text(HEAD + "ok,2016-01-01,UK,P,5,GBP\n" + rows, encoding="utf-8")
    book = ledger.read_book(src)
    bad = [p for p in book.errors if p.code == "bad-row"]
    assert [p.line for p in bad[:50]] == list(range(3, 53))
    assert bad[50].message == ("10 more row(s) with the problem: a number of cells other than "
                               "the header's 6")
    assert len(bad) == 51 and [e.id for e in book.entries] == ["ok"]
