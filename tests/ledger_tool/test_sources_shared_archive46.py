"""sources remove --force never deletes an archived file that another
ledger sharing the archive still records: two one-file ledgers in one
folder with one archive, or a ledger folder inside another's archive
(fix46).  The record goes, the file stays, and why is said in one line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"
DOC = "wenlock-minutes-2024"


def _one_file(folder: Path, name: str, archive: str) -> Path:
    """A one-file ledger ``name`` in ``folder``, its documents in ``archive``."""
    shutil.copytree(HARBOUR / "sources", folder / archive, dirs_exist_ok=True)
    book = folder / name
    book.write_bytes(f'[ledger]\narchive = "{archive}"\n\n'.encode()
                     + (HARBOUR / "sources.toml").read_bytes()
                     + (HARBOUR / "pledges.toml").read_bytes())
    return book


@pytest.mark.parametrize("archive", ["docs", "sources"])
def test_remove_keeps_a_file_another_one_file_ledger_records(tmp_path, run_cli, archive):
    a = _one_file(tmp_path, "a.toml", archive)
    b = _one_file(tmp_path, "b.toml", archive)
    doc = tmp_path / archive / f"{DOC}.txt"
    code, _, err = run_cli("sources", "remove", DOC, "--ledger", a, "--force")
    assert code == 0, err
    assert doc.is_file(), "deleted a file the other ledger records"
    assert f"kept {doc}: another ledger records it too (document {DOC!r} in {b})" in err, err
    assert DOC not in a.read_text("utf-8")           # the record went
    assert run_cli("audit", b)[0] == 0
    # the last ledger recording it removes the file
    code, _, err = run_cli("sources", "remove", DOC, "--ledger", b, "--force")
    assert code == 0 and not doc.exists() and "removed archived file" in err, err


def test_remove_keeps_a_file_an_outer_ledger_folder_records(tmp_path, run_cli):
    outer = tmp_path / "outer"
    shutil.copytree(HARBOUR, outer)
    inner = outer / "sources"              # a ledger folder inside the outer's archive,
    shutil.copytree(HARBOUR, tmp_path / "inner")   # its archive the same folder
    for f in ("ledger.toml", "pledges.toml", "sources.toml"):
        shutil.copy(tmp_path / "inner" / f, inner / f)
    toml = inner / "ledger.toml"
    toml.write_text(toml.read_text("utf-8").replace('archive = "sources"', 'archive = "."'),
                    encoding="utf-8")
    doc = inner / f"{DOC}.txt"
    assert run_cli("audit", inner)[0] == 0 and run_cli("audit", outer)[0] == 0
    code, _, err = run_cli("sources", "remove", DOC, "--ledger", inner, "--force")
    assert code == 0, err
    assert doc.is_file() and f"another ledger records it too (document {DOC!r} in {outer}" in err, err
    assert run_cli("audit", outer)[0] == 0


def test_remove_keeps_a_file_when_a_ledger_sharing_the_archive_cannot_be_read(tmp_path, run_cli):
    a = _one_file(tmp_path, "a.toml", "docs")
    b = _one_file(tmp_path, "b.toml", "docs")
    b.write_bytes(b.read_bytes() + b"\n[[entry]\n")          # broken: cannot tell what it records
    doc = tmp_path / "docs" / f"{DOC}.txt"
    code, _, err = run_cli("sources", "remove", DOC, "--ledger", a, "--force")
    assert code == 0, err
    assert doc.is_file() and "may record it too and cannot be read to tell" in err, err
    assert DOC not in a.read_text("utf-8")


def test_remove_still_deletes_a_file_no_other_ledger_records(tmp_path, run_cli):
    a = _one_file(tmp_path, "a.toml", "docs")
    (tmp_path / "b.toml").write_bytes((HARBOUR / "pledges.toml").read_bytes().replace(
        f'doc = "{DOC}"'.encode(), b'doc = "other"'))     # records nothing of it
    doc = tmp_path / "docs" / f"{DOC}.txt"
    code, _, err = run_cli("sources", "remove", DOC, "--ledger", a, "--force")
    assert code == 0 and not doc.exists() and "removed archived file" in err, err
