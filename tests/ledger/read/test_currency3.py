"""A currency code is read in any letter case by every reader: the
journal's ``currency`` field as the bulk format's column, ``[ledger]
currency`` and ``--currency`` read it (``gbp`` is GBP); before, the journal
refused what the bulk table took.  An unknown code is refused alike."""
from __future__ import annotations

from decimal import Decimal

from ledger.read.journal_columns import read_journal_book
from ledger.read.table import read_bulk_book


def _errors(book):
    return [(p.line, p.entry_id, p.code, p.message) for p in book.problems
            if p.severity == "error"]


def test_a_currency_code_is_read_in_any_letter_case_by_every_reader(tmp_path):
    d = tmp_path / "book"
    d.mkdir()
    (d / "ledger.toml").write_text(
        '[ledger]\ncurrency = "GBP"\n\n[[entry]]\nid = "a"\ndate = 2020-01-01\n'
        'funder = "F"\npurpose = "P"\namount = "100"\ncurrency = "gbp"\n', encoding="utf-8")
    p = tmp_path / "l.csv"
    p.write_text("id,date,funder,purpose,amount,currency\na,2020-01-01,F,P,100,gbp\n",
                 encoding="utf-8")
    for book in (read_journal_book(d), read_bulk_book(p)):
        assert _errors(book) == []
        assert [(e.amount, e.currency) for e in book.entries] == [(Decimal(100), "GBP")]
    # an unknown code is refused alike, as written
    (d / "ledger.toml").write_text(
        '[ledger]\ncurrency = "GBP"\n\n[[entry]]\nid = "a"\ndate = 2020-01-01\n'
        'funder = "F"\npurpose = "P"\namount = "100"\ncurrency = "gbq"\n', encoding="utf-8")
    p.write_text("id,date,funder,purpose,amount,currency\na,2020-01-01,F,P,100,gbq\n",
                 encoding="utf-8")
    assert [x[3] for x in _errors(read_journal_book(d))] == \
        [x[3] for x in _errors(read_bulk_book(p))] == ["amount: unknown currency 'gbq'"]
