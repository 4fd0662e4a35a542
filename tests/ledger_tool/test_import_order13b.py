"""A listing of two yearly figures imported after the one entry without a
period that either of them is: the other is new, whatever the order of the
imports.  By hand: £5,000,000 in each of 2017-18 and 2018-19, one of them
the entry already there: £10,000,000 either way."""
from __future__ import annotations

from decimal import Decimal

import pytest

import ledger

ONE = ("id,date,funder,purpose,amount,currency,doc\n"
       "c1,2017-01-18,UK,Calais,5000000,GBP,https://gov.uk/d\n")
TWO = ("date,funder,purpose,amount,currency,doc,period\n"
       "2017-01-18,UK,Calais,5000000,GBP,https://gov.uk/d,from 2017-04-01 to 2018-03-31\n"
       "2017-01-18,UK,Calais,5000000,GBP,https://gov.uk/d,from 2018-04-01 to 2019-03-31\n")


@pytest.mark.parametrize("one_first", [True, False])
def test_two_years_after_one_entry(tmp_path, run_cli, one_first):
    one, two = tmp_path / "c.csv", tmp_path / "ac.csv"
    one.write_text(ONE, encoding="utf-8")
    two.write_text(TWO, encoding="utf-8")
    book = tmp_path / "book"
    errs = []
    for f in ((one, two) if one_first else (two, one)):
        _, _, err = run_cli("import", f, "-o", book)
        errs.append(err)
    entries = ledger.load(book).entries
    assert sum(e.amount for e in entries) == Decimal(10_000_000), errs
    assert len(entries) == 2, errs
