"""The source archive beside a one-file ledger (a journal, or a bulk table)
keeps its documents whichever ledger a command is given: export --force
never overwrites an archived document of another one-file ledger near the
output, whether in the default sources/ or the archive its [ledger] names."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"
DOC = "wenlock-minutes-2024.txt"
BULK = "id,date,funder,purpose,amount,currency\na1,2024-01-01,UK,Harbour,1000,GBP\n"


def _one_file(folder: Path, name: str, archive: str = "sources") -> Path:
    """A one-file ledger ``name`` in ``folder``, its documents in ``archive``."""
    shutil.copytree(HARBOUR / "sources", folder / archive, dirs_exist_ok=True)
    book = folder / name
    head = f'[ledger]\narchive = "{archive}"\n\n' if archive != "sources" else ""
    book.write_bytes(head.encode() + (HARBOUR / "sources.toml").read_bytes()
                     + (HARBOUR / "pledges.toml").read_bytes())
    return book


@pytest.mark.parametrize("archive", ["sources", "docs"])
def test_another_one_file_ledgers_archive_is_never_overwritten(tmp_path, run_cli, archive):
    w = tmp_path / "w"
    book = _one_file(w, "book.toml", archive)
    assert run_cli("audit", book)[0] == 0
    doc = w / archive / DOC
    before = doc.read_bytes()
    for other in (HARBOUR, w / "other.toml"):   # a ledger elsewhere, or beside it
        if other != HARBOUR:
            other.write_bytes((HARBOUR / "pledges.toml").read_bytes())
        code, _, err = run_cli("export", other, "-o", doc, "--to", "csv", "--force")
        assert code == 1 and "source archive" in err and str(w) in err, err
        assert len(err.strip().splitlines()) == 1, err
    assert doc.read_bytes() == before and run_cli("audit", book)[0] == 0


def test_a_bulk_tables_archive_is_never_overwritten(tmp_path, run_cli):
    b = tmp_path / "b"
    (b / "sources").mkdir(parents=True)
    (b / "t.csv").write_text(BULK, encoding="utf-8")
    doc = b / "sources" / DOC
    shutil.copy(HARBOUR / "sources" / DOC, doc)
    code, _, err = run_cli("export", HARBOUR, "-o", doc, "--to", "csv", "--force")
    assert code == 1 and "source archive" in err, err
    assert doc.read_bytes() == (HARBOUR / "sources" / DOC).read_bytes()


def test_a_folder_beside_a_one_file_ledger_is_still_written(tmp_path, run_cli):
    w = tmp_path / "w"
    _one_file(w, "book.toml")
    (w / "out").mkdir()
    old = w / "out" / "old.csv"
    old.write_text("x\n", encoding="utf-8")
    code, _, err = run_cli("export", HARBOUR, "-o", old, "--to", "csv", "--force")
    assert code == 0, err
