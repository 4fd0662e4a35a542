"""A failed import leaves nothing half-written: the journal write failing
(disk full, simulated in-process: the write raises ENOSPC; Ctrl-C) removes
the new ledger folder, the rejects file and the archive copies the run made,
so a rerun writes OUTPUT.rejects.csv, not -2."""
from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from ledger_tool import import_data

ROOT = Path(__file__).resolve().parents[2]
IATI = ROOT / "tests" / "fixtures" / "real" / "iati" / "africa-educational-trust.xml"


def _disk_full(monkeypatch, error=None):
    """The journal writes of the import fail (one file, or all at once)."""
    def full(path, *args, **kwargs):
        if isinstance(path, dict):
            path = next(iter(path))
        raise error or OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr(import_data, "write_atomic", full)
    monkeypatch.setattr(import_data, "write_all_atomic", full)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b""
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def table(tmp_path) -> Path:
    t = tmp_path / "in" / "big.csv"
    t.parent.mkdir()
    t.write_text("id,date,funder,purpose,amount\n"
                 + "".join(f"n{i},2020-01-01,X,P{i},£{i + 1}m\n" for i in range(20))
                 + "bad,not-a-date,X,P,£1m\n", encoding="utf-8")
    return t


@pytest.mark.parametrize("error, code", [(None, 1), (KeyboardInterrupt(), 130)])
def test_a_failed_import_into_a_new_folder_leaves_nothing(tmp_path, run_cli, monkeypatch,
                                                          table, error, code):
    work = tmp_path / "w"
    work.mkdir()
    _disk_full(monkeypatch, error)
    got, _, err = run_cli("import", table, "-o", work / "newled")
    assert got == code and "Traceback" not in err
    if error is None:
        assert "No space left on device" in err and "newled/imported.toml" in err
    assert list(work.iterdir()) == []           # no folder, no newled.rejects.csv


def test_a_failed_import_into_a_ledger_leaves_it_as_it_was(tmp_path, run_cli, monkeypatch,
                                                           table):
    cal = tmp_path / "cal"
    shutil.copytree(ROOT / "examples" / "calais", cal)
    empty = tmp_path / "empty"
    empty.mkdir()
    before = _tree(cal)
    _disk_full(monkeypatch)
    for out in (cal, empty):
        code, _, err = run_cli("import", table, "-o", out)
        assert code == 1 and "No space left on device" in err
    assert _tree(cal) == before and list(empty.iterdir()) == []
    monkeypatch.undo()
    code, _, err = run_cli("import", table, "-o", cal)
    assert code == 0, err
    assert sorted(p.name for p in cal.glob("*.rejects*")) == ["imported.rejects.csv"]


@pytest.mark.skipif(not IATI.is_file(), reason=f"no fixture {IATI}")
def test_a_failed_iati_import_removes_its_archive_copy(tmp_path, run_cli, monkeypatch):
    work = tmp_path / "w"
    work.mkdir()
    _disk_full(monkeypatch)
    code, _, err = run_cli("import", "--from", "iati", IATI, "-o", work / "led")
    assert code == 1 and "No space left on device" in err
    assert list(work.iterdir()) == []


def test_undo_removes_only_what_the_run_made(tmp_path):
    led = tmp_path / "led"
    led.mkdir()
    mine = led / "notes.txt"
    mine.write_text("not the run's")
    made = import_data.Created()
    with pytest.raises(OSError):
        with made.undone_on_failure():
            made.missing_folders(led / "sources" / "iati")
            (led / "sources" / "iati").mkdir(parents=True)
            made.new_file(led / "sources" / "iati" / "a.xml")
            (led / "sources" / "iati" / "a.xml").write_text("copy")
            (led / "sources" / "other.txt").write_text("someone else's")
            made.new_file(mine)            # exists already: not the run's to remove
            raise OSError(errno.ENOSPC, "No space left on device")
    assert mine.read_text() == "not the run's"
    # its own copy and folder gone; a folder holding another file stays
    assert not (led / "sources" / "iati").exists()
    assert (led / "sources" / "other.txt").read_text() == "someone else's"
