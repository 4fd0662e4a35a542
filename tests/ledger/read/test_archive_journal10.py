"""A journal left in the source archive is not read (the archive holds
documents), and the reader says so: one warning per such file, in every
command that reads the ledger, so its entries never drop out of a total
unsaid."""
from __future__ import annotations

from pathlib import Path

import pytest

from ledger.read import load_frame, read_book
from ledger.read import journal_columns

ENTRY = ('[[entry]]\nid = "{id}"\ndate = 2015-01-01\nfunder = "UK:D"\npurpose = "H:W"\n'
         'amount = {amount}\ncurrency = "GBP"\n\n')
WORDS = "holds entries but is in the source archive, which the ledger does not read"


def _ledger(tmp_path: Path, archive: str | None = None) -> Path:
    root = tmp_path / "L"
    name = archive or "sources"
    (root / name / "deeper").mkdir(parents=True)
    if archive:
        (root / "ledger.toml").write_text(f'[ledger]\narchive = "{archive}"\n')
    (root / "a.toml").write_text(ENTRY.format(id="a-1", amount=5))
    (root / name / "2015.toml").write_text("# kept here by mistake\n"
                                           + ENTRY.format(id="b-1", amount=3)
                                           + ENTRY.format(id="b-2", amount=4))
    (root / name / "deeper" / "old.toml").write_text(ENTRY.format(id="c-1", amount=9))
    # documents, not journals: no warning for them
    (root / name / "notes.toml").write_text('title = "a TOML document"\n[entry_points]\nx = 1\n')
    (root / name / "table.txt").write_text(ENTRY.format(id="d-1", amount=1))
    (root / name / ".hidden.toml").write_text(ENTRY.format(id="e-1", amount=1))
    return root


def _warned(problems) -> dict[str, str]:
    return {Path(p.file).name: p.message for p in problems if p.code == "archived-journal"}


@pytest.mark.parametrize("archive", [None, "journals/old"])
def test_each_archived_journal_is_named_once_and_nothing_else(tmp_path, archive):
    root = _ledger(tmp_path, archive)
    book = read_book(root)
    assert {e.id for e in book.entries} == {"a-1"}      # the archive is still not read
    warned = _warned(book.problems)
    assert set(warned) == {"2015.toml", "old.toml"}
    shown = archive or "sources"
    assert all(m == f"{WORDS}: move it out of {shown}/ to count it" for m in warned.values())
    assert all(p.severity == "warning" for p in book.problems if p.code == "archived-journal")
    assert set(_warned(load_frame(root, use_cache=False).problems)) == {"2015.toml", "old.toml"}


def test_the_cached_reader_warns_too(tmp_path, monkeypatch):
    root = _ledger(tmp_path)
    monkeypatch.setattr(journal_columns, "MIN_BYTES", 1)
    for _ in range(2):        # the cache made, then the cache read
        assert set(_warned(read_book(root).problems)) == {"2015.toml", "old.toml"}


@pytest.mark.parametrize("command", ["check", "balance", "list"])
def test_commands_say_which_file_is_not_counted(tmp_path, run_cli, command):
    root = _ledger(tmp_path)
    code, out, err = run_cli(command, root)
    assert code == 0
    lines = [x for x in err.splitlines() if WORDS in x]
    assert len(lines) == 2
    assert any(x.startswith(str(root / "sources" / "2015.toml")) for x in lines)
    if command == "balance":
        assert "£5.00" in out and "£12" not in out     # 5 read; 3 + 4 + 9 only warned of
