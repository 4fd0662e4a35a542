"""An import checks its records against the ledger's entries read from the
Book's own tables (ledger/imports/rows.py ``ledger_entries``): no ``Entry``
is made for a ledger entry, and what the import says of records that
duplicate, link to or restate ledger entries is what it said from the
``Entry`` views."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import ledger
import ledger.book
from ledger.imports.rows import check_records, ledger_entries
from ledger.imports.table import import_table

JOURNAL = r'''[[document]]
id = "doc-a"
title = "A"

[[document]]
id = "doc-b"
title = "B"

[[entry]]
id = "l1"
date = 2015-07-14
funder = "UK:Home Office"
purpose = "Security:Calais port"
amount = "£12 million"
period = "over 3 years"
status = "pledged"
restated = ["€15 million", "$19 million"]
recipient = "Port of Calais"
  [[entry.source]]
  doc = "doc-a"
  quote = "£12 million \"financed\" \\ é"
  locator = "p. 2"
  [[entry.source]]
  doc = "doc-b"
  quote = "twelve\tmillion"

[[entry]]
id = "l2"
date = 2015-08-20
value_date = 2015-09-01
funder = "UK:Home Office"
amount = "10 million euros"
status = "committed"
  [[entry.split]]
  purpose = "Humanitarian:Calais"
  amount = "6000000"
  [[entry.split]]
  purpose = "Security:Calais port"
  amount = "4000000"
  [[entry.source]]
  doc = "doc-a"
  quote = "10 million euros"

[[entry]]
id = "l3"
date = 2015-09-01
funder = "France:Government"
purpose = "Humanitarian:Calais"
amount = "up to €5m a year"
status = "pledged"
disburses = "l2"
  [[entry.source]]
  doc = "doc-b"
  quote = "up to €5m a year"
'''

HEADER = ["id", "date", "funder", "purpose", "amount", "currency", "period", "status", "doc",
          "quote", "disburses", "restates"]


def _line_of(text: str, eid: str) -> int:
    """The line of the [[entry]] table whose id is ``eid``, from the text."""
    lines = text.splitlines()
    at = lines.index(f'id = "{eid}"')
    return max(i for i in range(at) if lines[i] == "[[entry]]") + 1


@pytest.fixture
def book(tmp_path):
    (tmp_path / "led").mkdir()
    (tmp_path / "led" / "pledges.toml").write_text(JOURNAL, encoding="utf-8")
    return ledger.read_book(tmp_path / "led")


def _csv(path: Path, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows([[r.get(h, "") for h in HEADER] for r in rows])
    return path


def _no_entry_views(monkeypatch):
    """Making an ``Entry`` of a ledger entry fails (the records' own, the
    accepted ones' views, are made)."""
    made = ledger.book._entry_views

    def views(tables):
        if {"l1", "l2", "l3"} & set(tables.entries["id"]):
            raise AssertionError("an Entry view of the ledger was made")
        return made(tables)
    monkeypatch.setattr(ledger.book, "_entry_views", views)


def test_the_ledgers_fields_come_from_its_tables(book, monkeypatch):
    """Each entry's fields as the journal gives them: plain amounts, the
    split's parts, the period and conversions in words, the citations as
    written (quotes, escapes), links, dates; at the entry's file and line."""
    _no_entry_views(monkeypatch)
    got = ledger_entries(book)
    by_id = {f["id"]: (f, file, line) for f, file, line in zip(*got)}
    l1, file, line = by_id["l1"]
    assert (Path(file).name, line) == ("pledges.toml", _line_of(JOURNAL, "l1"))
    assert l1["amount"] == "12000000" and l1["currency"] == "GBP"
    assert l1["purpose"] == "Security:Calais port" and "split" not in l1
    assert l1["period"] == "over 3 years" and l1["recipient"] == "Port of Calais"
    assert l1["restated"] == ["EUR 15000000", "USD 19000000"]
    assert l1["source"] == [{"doc": "doc-a", "quote": '£12 million "financed" \\ é',
                             "locator": "p. 2"},
                            {"doc": "doc-b", "quote": "twelve\tmillion", "locator": ""}]
    l2 = by_id["l2"][0]
    assert l2["split"] == [{"purpose": "Humanitarian:Calais", "amount": "6000000"},
                           {"purpose": "Security:Calais port", "amount": "4000000"}]
    assert "purpose" not in l2 and l2["amount"] == "10000000" and l2["currency"] == "EUR"
    assert l2["date"] == dt.date(2015, 8, 20) and l2["value_date"] == dt.date(2015, 9, 1)
    assert "period" not in l2
    l3 = by_id["l3"][0]
    assert l3["disburses"] == "l2" and l3["qualifier"] == "up to"
    assert l3["period"].startswith("per year")


def test_an_import_into_a_book_makes_no_entry_of_the_ledger(book, tmp_path, monkeypatch):
    """Records repeating a ledger id, restating a split entry's figure,
    linking to ledger entries or to none: each said as from the entries."""
    src = _csv(tmp_path / "in.csv", [
        {"id": "l1", "date": "2017-01-01", "funder": "UK", "purpose": "P", "amount": "5",
         "currency": "GBP", "doc": "doc-a", "quote": "5"},
        {"id": "n1", "date": "2015-08-20", "funder": "UK:Home Office",
         "purpose": "Humanitarian:Calais", "amount": "6000000", "currency": "EUR",
         "status": "committed", "doc": "doc-a", "quote": "10 million euros"},
        {"id": "n1", "date": "2015-08-20", "funder": "UK:Home Office",
         "purpose": "Security:Calais port", "amount": "4000000", "currency": "EUR",
         "status": "committed", "doc": "doc-a", "quote": "10 million euros"},
        {"id": "n2", "date": "2016-01-01", "funder": "UK:Home Office",
         "purpose": "Security:Calais port", "amount": "1000000", "currency": "GBP",
         "status": "disbursed", "doc": "doc-b", "quote": "£1m", "disburses": "l1"},
        {"id": "n3", "date": "2016-01-01", "funder": "UK", "purpose": "P", "amount": "7",
         "currency": "GBP", "status": "disbursed", "doc": "doc-b", "quote": "7",
         "disburses": "nope"},
        {"id": "n4", "date": "2016-01-02", "funder": "UK", "purpose": "Q", "amount": "8",
         "currency": "GBP", "doc": "doc-b", "quote": "8", "restates": "l3"}])
    docs = book.documents
    _no_entry_views(monkeypatch)
    res = import_table(src, entries=book, documents=docs)
    where = f"{book.root / 'pledges.toml'}"
    reasons = {r.line: r.message for r in res.rejects}
    assert reasons[2] == (f"id 'l1' is already in the ledger ({where}:{_line_of(JOURNAL, 'l1')});"
                          f" not overwritten")
    assert reasons[3].startswith(f"the same figure as entry 'l2' ({where}:"
                                 f"{_line_of(JOURNAL, 'l2')}): same funder")
    assert reasons[4].endswith("refused at row 3")
    assert reasons[6] == "disburses names a missing entry 'nope'"
    assert sorted(reasons) == [2, 3, 4, 6]
    assert [(e.id, e.link("disburses"), e.link("restates")) for e in res.entries] == [
        ("n2", "l1", None), ("n4", None, "l3")]


def test_check_records_takes_the_book_as_its_entries(book, monkeypatch):
    entries = book.entries
    record = {"id": "n", "date": dt.date(2016, 1, 1), "funder": "UK", "purpose": "P",
              "amount": "5", "currency": "GBP", "disburses": "l2",
              "source": [{"doc": "doc-a", "quote": "5"}]}
    missing = dict(record, id="m", disburses="l9")
    _no_entry_views(monkeypatch)
    for given in (book, ledger.book.Book.from_entries(entries)):
        got = check_records([record, missing], [2, 3], name="in.csv", ledger=given,
                            documents=book.documents)
        assert got.accepted == [0]
        assert [p.message for p in got.problems[1]] == ["disburses names a missing entry 'l9'"]


def test_the_cli_imports_into_a_ledger_without_its_entry_views(book, tmp_path, run_cli,
                                                                monkeypatch):
    src = _csv(tmp_path / "in.csv", [
        {"id": "n2", "date": "2016-01-01", "funder": "UK:Home Office",
         "purpose": "Security:Calais port", "amount": "1000000", "currency": "GBP",
         "status": "disbursed", "doc": "doc-b", "quote": "£1m", "disburses": "l1"}])
    _no_entry_views(monkeypatch)
    code, _, err = run_cli("import", src, "-o", tmp_path / "new.toml", "--ledger",
                           tmp_path / "led")
    assert code == 0, err
    assert 'disburses = "l1"' in (tmp_path / "new.toml").read_text(encoding="utf-8")


def test_a_ledger_is_given_as_its_book_never_as_entries(book):
    """The imports read the ledger from a Book's tables only: ``Entry``
    objects given instead are refused, never read as an empty ledger (a
    re-import would then see none of its entries)."""
    from ledger.imports.common import finish
    from ledger.imports.iati import read_iati
    from ledger.imports.rows import HeldEntries
    from tests.conftest import FIXTURES

    entries = list(book.entries)
    for call in (lambda: ledger_entries(entries), lambda: HeldEntries(entries, "iati-"),
                 lambda: finish([], name="x", entries=entries),
                 lambda: read_iati(FIXTURES / "iati" / "activities-v2.xml", entries=entries)):
        with pytest.raises(TypeError, match="given as its Book"):
            call()
    assert ledger_entries(()) == ([], [], [])
    assert len(ledger_entries(book).fields) == len(entries)
