"""A ledger's own listing or export, its id column removed, imported back
into it adds nothing: each row agrees with an entry on everything the file
gives (a listing names documents, no quotes, recipients or locators), and
rows the file cannot tell apart are counted against the entries they agree
with, never doubled in silence.  Totals worked by hand from the journals
written below."""
from __future__ import annotations

import csv
import io
import itertools
from decimal import Decimal
from pathlib import Path

import pytest

import ledger

BOOK = """\
[ledger]
name = "t"
currency = "EUR"

[[document]]
id = "report"
title = "Annual report"

[[entry]]
id = "grant-a"
date = 2011-01-01
funder = "Spain"
purpose = "Education:Indonesia"
amount = "9000 EUR"
recipient = "UNICEF"
  [[entry.source]]
  doc = "report"
  quote = "9,000 euros for schools"
  locator = "p. 3"

[[entry]]
id = "grant-b"
date = 2011-01-01
funder = "Spain"
purpose = "Education:Indonesia"
amount = "9000 EUR"
recipient = "Save the Children"
  [[entry.source]]
  doc = "report"
  quote = "another 9,000 euros"
  locator = "p. 7"

[[entry]]
id = "split-c"
date = 2012-05-01
funder = "Spain"
amount = "€1,000"
period = "over 2 years"
  [[entry.split]]
  purpose = "Health"
  amount = "600"
  [[entry.split]]
  purpose = "Water"
  amount = "400"
  [[entry.source]]
  doc = "report"
  quote = "€1,000 over two years"
"""
# 9,000 + 9,000 + 1,000
TOTAL = Decimal(19_000)


def _book(tmp_path: Path) -> Path:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.toml").write_text(BOOK, encoding="utf-8")
    return folder


def _without_ids(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    at = rows[0].index("id")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:at] + r[at + 1:] for r in rows])
    return out.getvalue()


def _amounts(folder: Path) -> Decimal:
    """The sum of the entries' amounts, from the journal read back (all in EUR)."""
    entries = ledger.load(folder).entries
    assert {e.currency for e in entries} <= {"EUR"}
    return sum((e.amount for e in entries), Decimal(0))


@pytest.mark.parametrize("how", ["list", "export"])
def test_its_own_rows_without_ids_add_nothing(tmp_path, run_cli, how):
    book = _book(tmp_path)
    out = tmp_path / "rows.csv"
    if how == "list":
        code, text, err = run_cli("list", book, "--format", "csv")
    else:
        code, _, err = run_cli("export", book, "--to", "csv", "-o", out)
        text = out.read_text(encoding="utf-8")
    assert code == 0, err
    out.write_text(_without_ids(text), encoding="utf-8")
    code, _, err = run_cli("import", out, "-o", book)
    assert "the same figure as entry 'grant-a'" in err, err
    assert "the same figure as entry 'split-c'" in err, err
    assert code == 1 and "nothing imported" in err, err
    assert sorted(e.id for e in ledger.load(book).entries) == ["grant-a", "grant-b", "split-c"]
    assert _amounts(book) == TOTAL


def test_an_exported_split_without_ids_is_one_entry(tmp_path, run_cli):
    """The export writes a split entry as one row per purpose; without the
    id column its rows still make one entry of €1,000 (not €1,000 to each
    purpose)."""
    book = _book(tmp_path)
    out = tmp_path / "rows.csv"
    code, _, err = run_cli("export", book, "--to", "csv", "-o", out)
    assert code == 0, err
    out.write_text(_without_ids(out.read_text(encoding="utf-8")), encoding="utf-8")
    code, _, err = run_cli("import", out, "-o", tmp_path / "new")
    assert code == 0, err
    split = [e for e in ledger.load(tmp_path / "new").entries if e.splits]
    assert [(e.amount, sorted((s.purpose, s.amount) for s in e.splits)) for e in split] == \
        [(Decimal(1000), [("Health", Decimal(600)), ("Water", Decimal(400))])]


HEAD = "id,date,funder,purpose,amount,currency,status,sources\n"


def _rows(*ids: str) -> str:
    return HEAD + "".join(f"{i},2011-01-01,Spain,Education:Indonesia,9000,EUR,pledged,report\n"
                          for i in ids)


def test_more_rows_than_entries_are_new_and_said(tmp_path, run_cli):
    """Two entries, a listing of three rows with ids of their own that
    agree with both: two are those entries, the third is new (said)."""
    book = tmp_path / "book"
    (tmp_path / "two.csv").write_text(_rows("grant-a", "grant-b"), encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "two.csv", "-o", book)
    assert code == 0, err
    (tmp_path / "three.csv").write_text(_rows("p", "q", "r"), encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "three.csv", "-o", book)
    assert code == 0, err
    assert err.count("the same figure as entry") == 2, err
    assert "warning" in err and "more such rows than entries" in err, err
    assert _amounts(book) == 3 * Decimal(9000)
    # the same listing again: nothing more
    code, _, err = run_cli("import", tmp_path / "three.csv", "-o", book)
    assert code == 1 and _amounts(book) == 3 * Decimal(9000), err


@pytest.mark.parametrize("first", [0, 1])
def test_the_imports_order_decides_nothing(tmp_path, run_cli, first):
    """Two listings of one figure, two rows and three: three entries
    (£27,000), whichever is imported first."""
    files = [_rows("x", "y"), _rows("u", "v", "w")]
    book = tmp_path / "book"
    for n, text in enumerate(files[first:] + files[:first]):
        (tmp_path / f"f{n}.csv").write_text(text, encoding="utf-8")
        run_cli("import", tmp_path / f"f{n}.csv", "-o", book)
    assert _amounts(book) == 3 * Decimal(9000)


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_the_rows_order_decides_nothing(tmp_path, run_cli, order):
    """One entry, and a file of one row without an id and two with ids of
    their own, all agreeing: the two with ids are two figures (one of them
    the entry's), the row without an id one of them again: £18,000."""
    book = tmp_path / "book"
    (tmp_path / "one.csv").write_text(_rows("grant-a"), encoding="utf-8")
    assert run_cli("import", tmp_path / "one.csv", "-o", book)[0] == 0
    rows = _rows("", "p", "q").splitlines(keepends=True)
    (tmp_path / "f.csv").write_text(rows[0] + "".join(rows[1 + k] for k in order),
                                    encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "f.csv", "-o", book)
    assert code == 0, err
    assert _amounts(book) == 2 * Decimal(9000)


REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "iati"


@pytest.mark.parametrize("name", ["spain-maec-indonesia.xml", "ocha-cbpf-2.03.xml"])
def test_a_real_iati_ledgers_listing_without_ids_adds_nothing(tmp_path, run_cli, name):
    """The real IATI files' ledger (many equal transactions of one
    activity file, cited by locator): its listing without ids, imported
    back, leaves the same entries (on main it added them again)."""
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", REAL / name, "-o", book)
    assert code == 0, err
    before = sorted((e.id, e.amount, e.currency) for e in ledger.load(book).entries)
    code, text, err = run_cli("list", book, "--format", "csv")
    assert code == 0, err
    rows = tmp_path / "rows.csv"
    rows.write_text(_without_ids(text), encoding="utf-8")
    run_cli("import", rows, "-o", book)
    assert sorted((e.id, e.amount, e.currency) for e in ledger.load(book).entries) == before
    assert len(before) > 10
