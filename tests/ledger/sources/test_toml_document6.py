"""A ``.toml`` source document is archived like any other: it never becomes
part of the ledger whose archive holds it."""
from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from ledger.read import read_book
from tests.conftest import REPO

OTHER_LEDGER = """\
[[entry]]
id = "other-2020"
date = 2020-01-01
funder = "FR:Someone"
purpose = "Harbour:Porthwen wall"
amount = "€900 million"
"""
NOT_A_JOURNAL = '[tool.poetry]\nname = "x"\nversion = "1.0"\n'


def _ledger(tmp_path: Path) -> Path:
    ledger = tmp_path / "harbour"
    shutil.copytree(REPO / "examples" / "harbour", ledger)
    return ledger


def _entries(ledger: Path) -> dict[str, str]:
    """Every entry id and amount, read from the journal files by tomllib."""
    out = {}
    for f in ledger.glob("*.toml"):
        for e in tomllib.loads(f.read_text("utf-8")).get("entry", []):
            out[e["id"]] = e["amount"]
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _add(run_cli, ledger: Path, doc: Path, title: str):
    return run_cli("sources", "add", doc, "--ledger", ledger, "--title", title,
                   "--publisher", "P", "--published", "2024-01-01")


@pytest.mark.parametrize("archive", [None, "papers/archived"])
def test_toml_documents_archived_leave_the_ledger_as_it_was(tmp_path, run_cli, archive):
    ledger = _ledger(tmp_path)
    if archive is not None:      # the archive the ledger's own option names
        options = ledger / "ledger.toml"
        options.write_text(options.read_text("utf-8").replace(
            'archive = "sources"', f'archive = "{archive}"'), "utf-8")
    want = _entries(ledger)      # the journal files at the top, before any document
    before = {e.id: (e.amount, e.currency) for e in read_book(ledger, use_cache=False).entries}
    assert set(before) == set(want)
    other = tmp_path / "otherledger.toml"
    other.write_text(OTHER_LEDGER, "utf-8")
    config = tmp_path / "pyproject.toml"
    config.write_text(NOT_A_JOURNAL, "utf-8")
    for doc, title in ((other, "Another ledger"), (config, "A project file")):
        code, _, err = _add(run_cli, ledger, doc, title)
        assert code == 0, err
    folder = ledger / (archive or "sources")
    assert (folder / "otherledger.toml").read_text("utf-8") == OTHER_LEDGER
    assert (folder / "pyproject.toml").read_text("utf-8") == NOT_A_JOURNAL
    book = read_book(ledger, use_cache=False)
    assert {e.id: (e.amount, e.currency) for e in book.entries} == before
    assert {"otherledger", "pyproject"} <= set(book.documents)
    assert not [p for p in book.problems if p.severity == "error"], book.problems
    code, out, err = run_cli("check", ledger)
    assert code == 0, err
    assert f"{len(want)} entries" in out + err


def test_toml_document_refused_where_the_ledger_would_read_it(tmp_path, run_cli):
    ledger = _ledger(tmp_path)
    options = ledger / "ledger.toml"
    # the archive is the ledger folder itself: every .toml there is a journal file
    options.write_text(options.read_text("utf-8").replace('archive = "sources"',
                                                          'archive = "."'), "utf-8")
    before = _files(ledger)
    other = tmp_path / "otherledger.toml"
    other.write_text(OTHER_LEDGER, "utf-8")
    code, out, err = _add(run_cli, ledger, other, "Another ledger")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "otherledger.toml" in lines[0]
    assert "read as part of the ledger" in lines[0] and "Traceback" not in err
    assert _files(ledger) == before
    # a document of another type is still archived there
    note = tmp_path / "note.txt"
    note.write_text("The council pledged £3 million.\n", "utf-8")
    code, _, err = _add(run_cli, ledger, note, "A note")
    assert code == 0, err


def test_add_file_refuses_the_archive(tmp_path, run_cli):
    ledger = _ledger(tmp_path)
    before = _files(ledger)
    code, _, err = run_cli("add", ledger, "--file", "sources/more.toml", "--id", "x",
                           "--date", "2024-05-01", "--funder", "UK:X", "--purpose", "H:Y",
                           "--amount", "£1m")
    assert code == 1
    assert "source archive" in err and "would be ignored" in err
    assert _files(ledger) == before
