"""``sources add`` refuses a file in the archive that is a symbolic link
leading out of it (docs/journal.md: symlinks out are refused)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if not p.is_symlink() else b"->")
            for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


@pytest.mark.parametrize("extra", [[], ["--id", "other"]])
def test_link_in_the_archive_leading_out_is_refused(tmp_path, run_cli, extra):
    ledger = tmp_path / "harbour"
    shutil.copytree(REPO / "examples" / "harbour", ledger)
    secret = tmp_path / "secret.txt"
    secret.write_text("not a document of this ledger\n", "utf-8")
    link = ledger / "sources" / "leak.txt"
    link.symlink_to(secret)
    before = _files(ledger)
    code, out, err = run_cli("sources", "add", link, "--ledger", ledger, "--title", "T",
                             "--publisher", "P", "--published", "2024-01-01", *extra)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "leak.txt" in lines[0] and "symbolic link" in lines[0] and str(secret) in lines[0]
    assert _files(ledger) == before
    assert "leak" not in (ledger / "sources.toml").read_text("utf-8")


def test_link_in_the_archive_to_a_file_in_it_is_still_recorded(tmp_path, run_cli):
    ledger = tmp_path / "harbour"
    shutil.copytree(REPO / "examples" / "harbour", ledger)
    real = ledger / "sources" / "note.txt"
    real.write_text("The council pledged £3 million.\n", "utf-8")
    link = ledger / "sources" / "alias.txt"
    link.symlink_to(real)
    code, _, err = run_cli("sources", "add", link, "--ledger", ledger, "--title", "T",
                           "--publisher", "P", "--published", "2024-01-01")
    assert code == 0, err
    assert 'path = "note.txt"' in (ledger / "sources.toml").read_text("utf-8")
