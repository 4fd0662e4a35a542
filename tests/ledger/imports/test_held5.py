"""The IATI and FTS readers read the ledger's entries they compare a file
with (ids, figures, tags, notes, citations) from the Book's tables: no
``Entry`` is made, not even of an IATI item withdrawn, which is written
again whole from its row (``EntryRow``).  What they make of a file is the
same as from the ``Entry`` objects.  Figures are the XML's and JSON's below, worked out by hand."""
from __future__ import annotations

import json

import pytest

import ledger
import ledger.model
from ledger.book import Book
from ledger.imports.fts import read_fts
from ledger.imports.iati import read_iati
from ledger.writer import entry_table

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'


def _iati(path, *refs: str):
    path.write_text(
        HEAD + ' <iati-activity default-currency="USD">\n'
        '  <iati-identifier>XM-HELD-1</iati-identifier>\n'
        '  <reporting-org ref="XM-HELD"><narrative>Held Donor</narrative></reporting-org>\n'
        + "".join(f'  <transaction ref="{r}"><transaction-type code="2"/>'
                  f'<transaction-date iso-date="2020-02-01"/>'
                  f'<value value-date="2020-02-01">{1000 * k}</value></transaction>\n'
                  for k, r in enumerate(refs, 1))
        + ' </iati-activity>\n</iati-activities>\n', encoding="utf-8")
    return path


@pytest.fixture
def made(monkeypatch):
    """The number of ``Entry`` objects made so far."""
    count = [0]
    init = ledger.model.Entry.__init__

    def counting(self, *args, **kwargs):
        count[0] += 1
        init(self, *args, **kwargs)
    monkeypatch.setattr(ledger.model.Entry, "__init__", counting)
    return count


def _same(a, b) -> None:
    assert [(r.where, r.fields) for r in a.records] == [(r.where, r.fields) for r in b.records]
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]


def test_iati_reads_the_ledger_from_the_books_tables(tmp_path, run_cli, made):
    """c1, c2, c3 imported; the newer file gives c1 and c3 only: c2 (2000)
    is withdrawn, written again whole from its row, no entry made, its
    fields those of the journal's."""
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", _iati(tmp_path / "v1.xml", "c1", "c2", "c3"),
                           "-o", book)
    assert code == 0, err
    held = ledger.load(book)
    entries = ledger.load(book).entries      # another Book's: none cached in ``held``
    newer = _iati(tmp_path / "v2.xml", "c1", "c3")
    made[0] = 0
    got = read_iati(newer, entries=held)
    assert made[0] == 0
    c2 = next(e for e in entries if e.id == "iati-xm-held-1-t-c2")
    withdrawn = [r.fields for r in got.records if r.fields["id"] == c2.id]
    assert len(withdrawn) == 1 and withdrawn[0]["amount"] == entry_table(c2)["amount"] == "2000 USD"
    assert "not-counted-withdrawn" in withdrawn[0]["tags"]
    _same(got, read_iati(newer, entries=Book.from_entries(entries)))
    made[0] = 0
    read_iati(_iati(tmp_path / "v3.xml", "c1", "c2", "c3"), entries=held)
    assert made[0] == 0


def _flows(path, *flows):
    path.write_text(json.dumps({"data": {"flows": [
        {"id": fid, "versionId": v, "status": "paid", "date": "2020-03-01T00:00:00Z",
         "amountUSD": usd, "boundary": "incoming", "onBoundary": "single",
         **({"parentFlowId": parent} if parent else {}),
         "sourceObjects": [{"type": "Organization", "id": "1", "name": "Donor"}],
         "destinationObjects": [{"type": "Location", "id": "2", "name": "Chad"}]}
        for fid, v, usd, parent in flows]}}), encoding="utf-8")
    return path


def test_fts_reads_versions_and_children_from_the_books_tables(tmp_path, run_cli, made):
    """The ledger holds flow 801 version 3 (child of 800, 700 USD) and 802
    version 1; the page gives 801 version 2 (older: skipped), 802 version 2
    (child of 800, 500 USD) and parent 800 (1000 USD): its children add up
    to 700 + 500 = 1200 > 1000, a warning read with 801's figure from the
    ledger."""
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "fts", _flows(tmp_path / "p1.json",
                                                            ("801", 3, 700, "800"),
                                                            ("802", 1, 100, None)), "-o", book)
    assert code == 0, err
    held = ledger.load(book)
    page = _flows(tmp_path / "p2.json", ("801", 2, 650, "800"), ("802", 2, 500, "800"),
                  ("800", 1, 1000, None))
    made[0] = 0
    got = read_fts(page, entries=held)
    assert made[0] == 0
    said = [str(p) for p in got.problems]
    assert any("older than version 3 in the ledger" in s for s in said), said
    assert any("add up to US$1200, more than parent flow fts-800 (US$1000)" in s
               for s in said), said
    assert sorted(r.fields["id"] for r in got.records) == ["fts-800", "fts-802"]
    _same(got, read_fts(page, entries=Book.from_entries(ledger.load(book).entries)))
