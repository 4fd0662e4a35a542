"""``import`` that updates an entry in one journal file and appends new
entries to another writes both or neither: with the disk full on the
second file, the first is left byte for byte (docs/guarantees.md §3)."""
from __future__ import annotations

import errno
import json
import os
from decimal import Decimal
from pathlib import Path

import ledger

from tests.conftest import FIXTURES

FLOWS = FIXTURES / "fts" / "flows.json"


def _flows(tmp_path: Path, name: str, change) -> Path:
    data = json.loads(FLOWS.read_text(encoding="utf-8"))
    data["data"]["flows"] = [f for f in (change(f) for f in data["data"]["flows"]) if f]
    out = tmp_path / name
    out.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return out


def _without_150010(f):
    return None if f["id"] == "150010" else f


def _newer_150009(f):
    if f["id"] == "150009":
        f["versionId"], f["originalAmount"], f["amountUSD"] = 2, 6000000, 8665566.28
    return f


def _journals(book: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(book.iterdir())
            if p.is_file() and p.suffix in (".toml", ".tmp", ".old") or p.name.startswith(".")}


def test_disk_full_on_the_second_journal_leaves_the_first(tmp_path, run_cli, monkeypatch):
    book = tmp_path / "book"
    first = _flows(tmp_path, "first.json", _without_150010)
    code, _, err = run_cli("import", "--from", "fts", first, "-o", book)
    assert code == 0 and "6 new" in err, err
    # the imported entries kept in a file of their own; new ones go to another
    journal = next(p for p in book.glob("*.toml") if b"fts-150009" in p.read_bytes())
    journal.rename(book / "kept.toml")
    newer = _flows(tmp_path, "newer.json", _newer_150009)
    before = _journals(book)
    real_open, made = os.open, []

    def full_disk(path, flags, mode=0o777, *, dir_fd=None):
        # a journal's temporary file in the ledger folder: the second finds the disk full
        if flags & os.O_CREAT and flags & os.O_EXCL and dir_fd is not None \
                and str(path).startswith(".") and ".toml." in str(path):
            a, b = os.fstat(dir_fd), os.stat(book)
            if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
                made.append(path)
                if len(made) == 2:
                    raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", full_disk)
    code, _, err = run_cli("import", "--from", "fts", newer, "-o", book)
    monkeypatch.undo()
    assert len(made) == 2, made
    assert code == 1 and "Traceback" not in err
    assert "No space left" in err and ".toml" in err.splitlines()[-1], err
    assert _journals(book) == before            # kept.toml as it was, no new file
    # with room on the disk: the update and the new entry both
    code, _, err = run_cli("import", "--from", "fts", newer, "-o", book)
    assert code == 0 and "1 new, 1 updated" in err, err
    got = ledger.load(book)
    assert got.entry("fts-150009").amount == Decimal("6000000")
    assert Path(got.entry("fts-150009").file).name == "kept.toml"
    assert Path(got.entry("fts-150010").file).name != "kept.toml"
    assert run_cli("check", book)[0] == 0
