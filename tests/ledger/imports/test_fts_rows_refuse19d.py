"""A newer copy of a flow that the row rules refuse (an unknown currency, a
date outside the years the ledger takes) changes nothing in a folder, as it
changes nothing imported alone: the older copy's figure stays counted."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import ledger
from tests.ledger.imports.test_fts_fold_once19d import _flow, _run


@pytest.mark.parametrize("bad", [{"originalAmount": 500, "originalCurrency": "ZZZ"},
                                 {"date": "1850-03-01T00:00:00Z"},
                                 {"destinationObjects": [
                                     {"type": "Location", "id": "2", "name": "Chad"},
                                     {"type": "UsageYear", "name": "1850"}]}])
def test_refused_copy_keeps_the_older(tmp_path: Path, bad: dict):
    folder = tmp_path / "pages"
    folder.mkdir()
    good, newer = _flow("901", 1, 1000), dict(_flow("901", 2, 1000), **bad)
    for name, f in (("01.json", good), ("02.json", newer)):
        (folder / name).write_text(json.dumps({"meta": {"count": 1}, "data": {"flows": [f]}}))
    _run("import", "--from", "fts", folder, "-o", tmp_path / "folder")
    for name in ("01.json", "02.json"):
        _run("import", "--from", "fts", folder / name, "-o", tmp_path / "one")
    for book in ("folder", "one"):
        got = {e.id: (e.amount, e.currency, "not-counted" in e.tags)
               for e in ledger.load(tmp_path / book).entries}
        assert got == {"fts-901": (1000, "USD", False)}, book
