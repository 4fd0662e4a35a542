"""The IATI and FTS journal imports (``common.finish``) read the ledger from
the Book's tables, as the spreadsheet import does: the same new, updated,
unchanged and refused records as from its ``Entry`` objects, and no
``Entry`` made for a ledger entry no record has the id of."""
from __future__ import annotations

import shutil

from ledger.book import Book
from ledger.imports.common import finish
from ledger.imports.fts import read_fts
from ledger.imports.iati import read_iati
from ledger.read.journal_columns import read_files_book
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"


def _said(done):
    return ([t["id"] for t in done.new], [(old.id, t["id"], new.id) for old, t, new in done.updated],
            sorted(done.unchanged), [(p.file, p.message) for p in done.problems],
            [d["id"] for d in done.documents])


def _ledger(tmp_path, run_cli, *args):
    book = tmp_path / "book"
    code, _, err = run_cli("import", *args, "-o", book)
    assert code == 0, err
    return read_files_book(sorted(book.glob("*.toml")))     # as the import reads it


def test_a_ledger_book_gives_what_its_entries_give(tmp_path, run_cli):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("dfid-2.01.xml", "dfid-2.03.xml"):
        shutil.copy(REAL / "iati" / name, folder / name)
    book = _ledger(tmp_path, run_cli, "--from", "iati", folder)
    docs = book.documents
    # another file (no id in common), and one of the two changed (ids in common)
    other = [read_iati(REAL / "iati" / "usaid-2.03.xml")]
    changed = tmp_path / "changed.xml"
    text = (REAL / "iati" / "dfid-2.01.xml").read_text(encoding="utf-8")
    changed.write_text(text.replace('currency="GBP">500000.00<', 'currency="GBP">400000.00<', 1),
                       encoding="utf-8")
    again = [read_iati(changed)]
    got = [finish(results, name="x", entries=book, documents=docs) for results in (other, again)]
    assert book._entries is None     # no Entry made of the whole ledger, only of the ids given
    assert got[0].new and not got[0].updated
    assert len(got[1].updated) == 1 and got[1].unchanged and not got[1].new
    for results, done in zip((other, again), got):
        assert _said(done) == _said(finish(results, name="x",
                                           entries=Book.from_entries(book.entries),
                                           documents=docs))


def test_fts_pages_read_against_a_ledger_book(tmp_path, run_cli):
    pages = sorted((REAL / "fts").glob("location-1-*.json"))
    folder = tmp_path / "first"
    folder.mkdir()
    shutil.copy(pages[0], folder / pages[0].name)
    book = _ledger(tmp_path, run_cli, "--from", "fts", folder)
    docs = book.documents
    made = Book.from_entries(book.entries)
    results = [read_fts(p, entries=made) for p in pages]
    assert _said(finish(results, name="x", entries=book, documents=docs)) == \
        _said(finish(results, name="x", entries=made, documents=docs))
