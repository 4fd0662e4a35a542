"""A flow a copy of 0 withdrew is not counted again by a copy that nothing
says is newer than that 0 (the same version as the ledger's entry, one
stamp unknown): imported one by one as in a folder, its 700 stays out of
every total (docs/interop.md, "A later copy wins")."""
from __future__ import annotations

import json
from pathlib import Path

import ledger
from tests.ledger.imports.test_fts_fold_once19d import _flow, _run


def test_tie_after_withdrawal_not_counted(tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    copies = {"a.json": (2, None, 700), "b.json": (3, "2022-01-01T00:00:00Z", 0),
              "c.json": (2, "2022-01-01T00:00:00Z", 700)}
    for name, (version, stamp, usd) in copies.items():
        f = _flow("901", version, usd)
        if stamp:
            f["updatedAt"] = stamp
        (folder / name).write_text(json.dumps({"meta": {"count": 1}, "data": {"flows": [f]}}))
    _run("import", "--from", "fts", folder, "-o", tmp_path / "folder")
    for name in copies:
        _run("import", "--from", "fts", folder / name, "-o", tmp_path / "one")
    for book in ("folder", "one"):
        got = {e.id: (e.amount, "not-counted" in e.tags)
               for e in ledger.load(tmp_path / book).entries}
        assert got == {"fts-901": (700, True)}, book
