"""A row that leaves out what the ledger's entry records, or writes a name
in another case, is the same pledge (revB): only fields both give, and give
differently, tell two records of one passage apart."""
from __future__ import annotations

import pytest

import ledger

HEAD = "id,date,funder,purpose,amount,currency,period,status,{extra}source,quote\n"
ROW = "{id},2020-03-01,UK:HO,P:X,3000000,GBP,over 3 years,committed,{extra}doc1," \
      "£3 million over three years\n"


def _ledger(tmp_path, run_cli):
    first = tmp_path / "first.csv"
    first.write_text(HEAD.format(extra="recipient,") + ROW.format(id="a", extra="UNHCR,"),
                     encoding="utf-8")
    code, _, err = run_cli("import", first, "-o", tmp_path / "book")
    assert code == 0, err
    return tmp_path / "book"


@pytest.mark.parametrize("extra_head, extra_row", [
    ("", ""),                                   # no recipient column at all
    ("recipient,", ","),                        # the recipient left blank
    ("recipient,", "unhcr,"),                   # another case
    ("recipient,", "  UNHCR  ,"),               # padded
    ("recipient,location,", "UNHCR,Calais,"),   # a location the ledger's entry leaves out
])
def test_the_same_pledge_written_with_less_or_other_case_is_refused(
        tmp_path, run_cli, extra_head, extra_row):
    book = _ledger(tmp_path, run_cli)
    again = tmp_path / "again.csv"
    again.write_text(HEAD.format(extra=extra_head) + ROW.format(id="m", extra=extra_row),
                     encoding="utf-8")
    code, _, err = run_cli("import", again, "-o", book)
    assert code == 1 and "the same figure as entry 'a'" in err, err
    assert [e.id for e in ledger.load(book).entries] == ["a"]     # £3m, not £6m


def test_within_one_file_the_row_giving_less_is_the_same_pledge(tmp_path, run_cli):
    both = tmp_path / "both.csv"
    both.write_text(HEAD.format(extra="recipient,") + ROW.format(id="a", extra="UNHCR,")
                    + ROW.format(id="b", extra=","), encoding="utf-8")
    code, _, err = run_cli("import", both, "-o", tmp_path / "book")
    assert "the same figure as entry 'a'" in err, err
    assert [e.id for e in ledger.load(tmp_path / "book").entries] == ["a"]


def test_another_recipient_given_is_still_another_figure(tmp_path, run_cli):
    book = _ledger(tmp_path, run_cli)
    other = tmp_path / "other.csv"
    other.write_text(HEAD.format(extra="recipient,") + ROW.format(id="m", extra="IOM,"),
                     encoding="utf-8")
    code, _, err = run_cli("import", other, "-o", book)
    assert code == 0, err
    assert sorted(e.recipient for e in ledger.load(book).entries) == ["IOM", "UNHCR"]
