"""The source archive ``refuse_ledger`` keeps (ledger/safe_io.py): a ledger
folder named like a bulk table keeps its own archive option, and a one-file
journal over OPTIONS_MAX_BYTES keeps the archive its [ledger] table names
(read from its head, bounded), or, when its head cannot tell, every file in
a folder beside it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ledger.safe_io import OPTIONS_MAX_BYTES, archive_parts

HARBOUR = Path(__file__).resolve().parents[1].parent / "examples" / "harbour"
DOC = "wenlock-minutes-2024.txt"
PAD = "# pad\n" * (OPTIONS_MAX_BYTES // 6 + 10_000)     # past the options' size


def _book() -> str:
    return (HARBOUR / "sources.toml").read_text(encoding="utf-8") \
        + (HARBOUR / "pledges.toml").read_text(encoding="utf-8")


def _archived(w: Path, archive: str = "docs") -> Path:
    shutil.copytree(HARBOUR / "sources", w / archive)
    return w / archive / DOC


def test_a_ledger_folder_named_like_a_table_keeps_its_archive(tmp_path, run_cli):
    led = tmp_path / "led.csv"     # a folder: its ledger.toml names the archive
    led.mkdir()
    for n in ("pledges.toml", "sources.toml"):
        shutil.copy(HARBOUR / n, led / n)
    (led / "ledger.toml").write_text('[ledger]\narchive = "docs"\n', encoding="utf-8")
    doc = _archived(led)
    before = doc.read_bytes()
    code, _, err = run_cli("export", led, "-o", doc, "--to", "hledger", "--force")
    assert code == 1 and "source archive docs/" in err, err
    assert doc.read_bytes() == before


@pytest.mark.parametrize("head", [True, False])
def test_a_big_journal_keeps_the_archive_it_names(tmp_path, run_cli, head):
    w = tmp_path / "w"
    w.mkdir()
    doc = _archived(w)
    book = w / "book.toml"
    option = '[ledger]\narchive = "docs"\n'
    # at the top (read from the head), or after a MiB of entries (not told: refused)
    book.write_text(option + PAD + _book() if head else PAD + _book() + "\n" + option,
                    encoding="utf-8")
    assert book.stat().st_size > OPTIONS_MAX_BYTES
    if head:
        assert archive_parts(w, book) == ("docs",)
    before = doc.read_bytes()
    code, _, err = run_cli("export", book, "-o", doc, "--to", "csv", "--force")
    assert code == 1 and str(book) in err and len(err.strip().splitlines()) == 1, err
    assert ("source archive docs/" if head else "cannot be read") in err, err
    assert doc.read_bytes() == before
    beside = w / "out.csv"      # directly beside it: not in any archive
    assert run_cli("export", book, "-o", beside, "--to", "csv")[0] == 0


def test_a_big_journal_naming_no_archive_keeps_sources_only(tmp_path, run_cli):
    w = tmp_path / "w"
    w.mkdir()
    book = w / "book.toml"
    book.write_text(PAD + _book(), encoding="utf-8")
    assert archive_parts(w, book) == ("sources",)
    doc = _archived(w, "sources")
    code, _, err = run_cli("export", book, "-o", doc, "--to", "csv", "--force")
    assert code == 1 and "source archive sources/" in err, err
    (w / "docs").mkdir()
    other = w / "docs" / "old.csv"
    other.write_text("x\n", encoding="utf-8")
    code, _, err = run_cli("export", book, "-o", other, "--to", "csv", "--force")
    assert code == 0, err
