"""An FTS copy of the ledger's version alike bar its updatedAt (missing,
unreadable, not a string) is unchanged: the ledger's citation keeps its
"; updated ...", so a later stamp at that version still updates the entry;
a stamp that is not a string is warned of as an unreadable one is."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ledger
from tests.ledger.imports.test_fts_ties19 import _flow, _page


def _amounts(book: Path) -> dict[str, Decimal]:
    return {e.id: e.amount for e in ledger.load(book).entries}


def _locator(book: Path, eid: str) -> str:
    return next(e for e in ledger.load(book).entries if e.id == eid).sources[0].locator


@pytest.mark.parametrize("stamp", [None, "2020-13-45T99:99:99Z", 1610699291765, ["x"]],
                         ids=["missing", "unreadable", "number", "list"])
def test_a_copy_alike_but_for_its_stamp_is_unchanged(tmp_path, run_cli, stamp):
    book = tmp_path / "book"
    first = "2021-01-15T08:28:11.765Z"
    code, _, err = run_cli("import", "--from", "fts",
                           _page(tmp_path / "a.json", _flow("901", 1_000_000, first, 2)),
                           "-o", book)
    assert code == 0, err
    assert _locator(book, "fts-901").endswith(f"; updated {first}")
    code, _, err = run_cli("import", "--from", "fts",
                           _page(tmp_path / "b.json", _flow("901", 1_000_000, stamp, 2)),
                           "-o", book)
    assert "updated fts-901" not in err and "sources changed" not in err, err
    assert "1 unchanged" in err, err
    assert _locator(book, "fts-901").endswith(f"; updated {first}")
    if stamp is not None:
        assert "is not a readable date and time" in err, err
    # a later stamp at the same version is an update, taken
    code, _, err = run_cli("import", "--from", "fts",
                           _page(tmp_path / "c.json",
                                 _flow("901", 2_000_000, "2022-06-01T00:00:00Z", 2)),
                           "-o", book)
    assert code == 0, err
    assert "updated fts-901" in err and "amount 1000000 -> 2000000" in err, err
    assert _amounts(book) == {"fts-901": Decimal(2_000_000)}
