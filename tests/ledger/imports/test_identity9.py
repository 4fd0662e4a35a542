"""What a spreadsheet can say of a figure decides what tells two records
of one passage apart (revB, revF): a file without a recipient column
cannot tell recipients apart, so its row is the ledger's pledge again;
names are compared without case or runs of spaces; a file with the column
compares it as given, a blank cell too, so the outcome never depends on
the order of the rows or of the imports."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

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
    ("recipient,", "unhcr,"),                   # another case
    ("recipient,", "  UNHCR  ,"),               # padded
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


def test_another_recipient_given_is_still_another_figure(tmp_path, run_cli):
    book = _ledger(tmp_path, run_cli)
    other = tmp_path / "other.csv"
    other.write_text(HEAD.format(extra="recipient,") + ROW.format(id="m", extra="IOM,"),
                     encoding="utf-8")
    code, _, err = run_cli("import", other, "-o", book)
    assert code == 0, err
    assert sorted(e.recipient for e in ledger.load(book).entries) == ["IOM", "UNHCR"]


def _purposes(run_cli, book) -> Decimal:
    code, out, err = run_cli("balance", book, "--format", "csv")
    assert code == 0, err
    return next(Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
                if r["account"] == "Purposes")


ROWS = {"x0": ",", "xa": "UNHCR,", "xb": "IOM,"}


@pytest.mark.parametrize("order", [("x0", "xa", "xb"), ("xa", "xb", "x0"), ("xb", "x0", "xa")])
def test_the_rows_order_decides_nothing(tmp_path, run_cli, order):
    """Three rows of one passage, one with the recipient blank: three
    figures, £9m, whatever their order in the file."""
    rows = tmp_path / "rows.csv"
    rows.write_text(HEAD.format(extra="recipient,")
                    + "".join(ROW.format(id=i, extra=ROWS[i]) for i in order), encoding="utf-8")
    code, _, err = run_cli("import", rows, "-o", tmp_path / "book")
    assert code == 0, err
    assert _purposes(run_cli, tmp_path / "book") == Decimal(9_000_000)


@pytest.mark.parametrize("first, then", [(("x0",), ("xa", "xb")), (("xa", "xb"), ("x0",))])
def test_the_imports_order_decides_nothing(tmp_path, run_cli, first, then):
    book = tmp_path / "book"
    for n, ids in enumerate((first, then)):
        f = tmp_path / f"r{n}.csv"
        f.write_text(HEAD.format(extra="recipient,")
                     + "".join(ROW.format(id=i, extra=ROWS[i]) for i in ids), encoding="utf-8")
        code, _, err = run_cli("import", f, "-o", book / f"imp{n}.toml")
        assert code == 0, err
    assert _purposes(run_cli, book) == Decimal(9_000_000)


def test_a_mapping_default_is_what_the_file_gives(tmp_path, run_cli):
    """revG: a recipient filled by the mapping's [defaults] tells the row
    from the ledger's pledge to another recipient."""
    book = _ledger(tmp_path, run_cli)
    f = tmp_path / "f.csv"
    f.write_text(HEAD.format(extra="") + ROW.format(id="m", extra=""), encoding="utf-8")
    m = tmp_path / "m.toml"
    m.write_text('[defaults]\nrecipient = "IOM"\n', encoding="utf-8")
    code, _, err = run_cli("import", f, "--map", m, "-o", book)
    assert code == 0, err
    assert sorted(e.recipient for e in ledger.load(book).entries) == ["IOM", "UNHCR"]


@pytest.mark.parametrize("extra_head, extra_row", [("", ""), ("recipient,", "UNHCR,")])
def test_a_row_without_a_period_is_the_pledge_over_years_again(
        tmp_path, run_cli, extra_head, extra_row):
    """revG: a file without a period column repeats the ledger's £3m over 3
    years (the same quote): refused, not counted twice."""
    book = _ledger(tmp_path, run_cli)
    again = tmp_path / "again.csv"
    head = HEAD.replace("period,", "")
    row = ROW.replace("over 3 years,", "")
    again.write_text(head.format(extra=extra_head) + row.format(id="m", extra=extra_row),
                     encoding="utf-8")
    code, _, err = run_cli("import", again, "-o", book)
    assert code == 1 and "the same figure as entry 'a'" in err, err
    assert [e.id for e in ledger.load(book).entries] == ["a"]
