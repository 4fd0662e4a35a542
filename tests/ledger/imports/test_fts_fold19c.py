"""A copy of 0 is remembered (docs/interop.md, "A later copy wins"): in one
import (a folder) and across imports (the ledger's archived FTS downloads),
so an older copy after it is not counted again.  The property of
test_fts_fold19b.py, whose reference fold remembers the 0, over three
routes: one folder, the pages one by one, and the folder split in two
imports.  An archived copy that is not what the ledger recorded is not
trusted, in one line."""
from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ledger
from tests.ledger.imports.test_fts_fold19b import (COPY, _counted, _filler, _flow, _pages,
                                                   _reference, _run)


def _import(source: Path, book: Path) -> None:
    code, err = _run("import", "--from", "fts", source, "-o", book)
    assert code in (0, 1), err


def _three_routes(tmp: Path, pages: list[dict], split: int) -> tuple[Decimal, ...]:
    _pages(tmp / "all", pages)
    _import(tmp / "all", tmp / "folder")
    for page in _pages(tmp / "one", pages):
        _import(page, tmp / "one-by-one")
    _pages(tmp / "a", pages[:split])
    _import(tmp / "a", tmp / "split")
    # the second folder's pages named after the first's: the same order
    b = tmp / "b"
    b.mkdir()
    for n, page in enumerate(pages[split:], split + 1):
        (b / f"{n}.json").write_text(json.dumps(page), encoding="utf-8")
    _import(b, tmp / "split")
    return _counted(tmp / "folder"), _counted(tmp / "one-by-one"), _counted(tmp / "split")


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(COPY, min_size=2, max_size=4), st.integers(1, 3))
@example([("901", 2, None, 0), ("901", 1, None, 100)], 1)
@example([("901", 1, "2021", 100), ("901", 2, None, 0), ("901", 1, "2022", 1000)], 2)
def test_every_route_remembers_a_copy_of_0(copies, split):
    pages = [{"data": {"flows": [_flow(*c), _filler(n)]}} for n, c in enumerate(copies)]
    with tempfile.TemporaryDirectory() as tmp:
        got = _three_routes(Path(tmp), pages, min(split, len(copies) - 1))
    assert got == (_reference(copies),) * 3


def test_a_tampered_archived_copy_is_not_trusted(tmp_path):
    """The ledger's archived copy of the download giving flow 901 as 0 is
    changed after the import: its SHA-256 is not the recorded one, so it is
    not read (one line says so) and the older copy is counted."""
    first, second = _pages(tmp_path / "pages", [
        {"data": {"flows": [_flow("901", 2, None, 0), _filler(0)]}},
        {"data": {"flows": [_flow("901", 1, None, 100), _filler(1)]}}])
    book = tmp_path / "book"
    _import(first, book)
    (doc,) = ledger.load(book).documents.values()
    copy = book / "sources" / doc.path
    assert copy.is_file()
    # untouched, the copy of 0 is remembered
    _import(second, book)
    assert _counted(book) == 0
    entries = {e.id for e in ledger.load(book).entries}
    assert "fts-901" not in entries
    # tampered: not trusted
    book3 = tmp_path / "book3"
    _import(first, book3)
    (doc,) = ledger.load(book3).documents.values()
    copy = book3 / "sources" / doc.path
    copy.write_bytes(copy.read_bytes().replace(b'"versionId": 2', b'"versionId": 9'))
    code, err = _run("import", "--from", "fts", second, "-o", book3)
    assert code == 0, err
    said = [x for x in err.splitlines() if doc.id in x]
    assert len(said) == 1, err
    assert "not used" in said[0] and "SHA-256" in said[0], said
    assert _counted(book3) == 100
