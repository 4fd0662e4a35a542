"""An import given ``--archive DIR`` archives its downloads in DIR; the next
import given the same DIR reads the ledger's copies of 0 there, not only in
the ledger's own archive folder (review of fix19c: the older copy was
counted again, US$1,000 where FTS's newest word on the flow is 0)."""
from __future__ import annotations

from decimal import Decimal

from tests.ledger.imports.test_fts_fold19b import _counted, _filler, _flow, _pages, _run


def test_the_zero_lookup_reads_the_archive_given(tmp_path):
    newer, older = _pages(tmp_path / "pages", [
        {"data": {"flows": [_flow("901", 2, None, 0), _filler(0)]}},
        {"data": {"flows": [_flow("901", 1, None, 1000), _filler(1)]}}])
    book, arc = tmp_path / "book", tmp_path / "arc"
    arc.mkdir()
    for page in (newer, older):
        code, err = _run("import", "--from", "fts", page, "-o", book, "--archive", arc)
        assert code == 0, err
        assert "not remembered" not in err, err
    # flow 901: version 2 says 0, so the version 1 copy imported after it is not counted
    assert _counted(book) == Decimal(0)
    assert not (book / "sources").exists() or not any((book / "sources").iterdir())
