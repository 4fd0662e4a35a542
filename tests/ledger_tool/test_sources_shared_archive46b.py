"""Ledgers sharing an archive that ``sources remove`` and writes missed
(review46): one reached through a symbolic link on the way to the file
(``--sources`` through a link), and a one-file ledger whose archive is its
own folder (``archive = "."``) beside the file.  The file stays; a write
over it is refused."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"
TEXT = b"# A document\n\nIts text, recorded by two ledgers.\n"


def _book(path: Path, archive: str | None, rel: str) -> Path:
    """A one-file ledger recording ``rel`` in its archive (``archive``), and
    a web page (it stays a ledger when d1 goes)."""
    head = f'[ledger]\narchive = "{archive}"\n\n' if archive else ""
    path.write_text(head + f'[[document]]\nid = "d1"\ntitle = "T"\npublisher = "P"\n'
                    f'published = 2024-01-01\npath = "{rel}"\n'
                    f'sha256 = "{hashlib.sha256(TEXT).hexdigest()}"\n\n[[document]]\nid = "keep"\n'
                    f'title = "T"\npublisher = "P"\npublished = 2024-01-01\n'
                    f'url = "https://example.org/x"\n', encoding="utf-8")
    return path


def _put(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(TEXT)
    return path


def test_remove_through_a_linked_archive_keeps_the_file_another_ledger_records(tmp_path, run_cli):
    doc = _put(tmp_path / "store" / "f.txt")
    os.symlink("store", tmp_path / "docs")
    a = _book(tmp_path / "a.toml", "docs", "f.txt")
    b = _book(tmp_path / "b.toml", "store", "f.txt")
    code, _, err = run_cli("sources", "remove", "d1", "--ledger", a,
                           "--sources", tmp_path / "docs", "--force")
    assert code == 0, err
    assert doc.read_bytes() == TEXT, "deleted a file the other ledger records"
    assert f"another ledger records it too (document 'd1' in {b})" in err, err
    assert "d1" not in a.read_text("utf-8")


@pytest.mark.parametrize("folder", [False, True])
def test_remove_keeps_a_file_a_ledger_with_archive_dot_records(tmp_path, run_cli, folder):
    if folder:          # a ledger folder L (archive docs), L/docs/sub.toml archive "."
        ledger = tmp_path / "L"
        doc = _put(ledger / "docs" / "f.txt")
        (ledger / "ledger.toml").write_text('[ledger]\narchive = "docs"\n', encoding="utf-8")
        _book(ledger / "sources.toml", None, "f.txt")
        other = _book(ledger / "docs" / "sub.toml", ".", "f.txt")
    else:               # a.toml (archive sources/), sources/b.toml archive "."
        doc = _put(tmp_path / "sources" / "f.txt")
        ledger = _book(tmp_path / "a.toml", None, "f.txt")
        other = _book(tmp_path / "sources" / "b.toml", ".", "f.txt")
    assert run_cli("check", other)[0] == 0
    code, _, err = run_cli("sources", "remove", "d1", "--ledger", ledger, "--force")
    assert code == 0, err
    assert doc.read_bytes() == TEXT, "deleted a file the other ledger records"
    assert f"another ledger records it too (document 'd1' in {other})" in err, err
    assert run_cli("check", other)[0] == 0


def test_ordinary_writes_beside_a_ledger_with_archive_dot_are_allowed(tmp_path, run_cli):
    """review46b: taking archive "." as "every file under the ledger's folder
    is a document" refused importing into the ledger's own journal and
    re-running an export there (--force). Such a ledger's folder is not
    protected as an archive (as at 6b575a5); only its journal is."""
    _put(tmp_path / "O" / "f.txt")
    led = _book(tmp_path / "O" / "a.toml", ".", "f.txt")
    out = tmp_path / "O" / "report.csv"
    for _ in range(2):
        code, _, err = run_cli("export", HARBOUR, "--to", "csv", "-o", out, "--force")
        assert code == 0 and out.is_file(), err
    code, _, err = run_cli("export", HARBOUR, "--to", "csv", "-o", led, "--force")
    assert code == 1 and "never overwrites" in err, err


def test_remove_reads_each_ledger_around_once(tmp_path, run_cli, monkeypatch):
    """A page and its text rendering: each neighbour is parsed once or twice
    for both (once to tell it is a ledger, once for its records), and the
    ledger's own file only by the removal itself."""
    from ledger.read import journal

    _put(tmp_path / "sources" / "f.html")
    _put(tmp_path / "sources" / "f.html.txt")
    digest = hashlib.sha256(TEXT).hexdigest()
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.toml").write_text(
            f'# {name}\n[[document]]\nid = "{"d1" if name == "a" else name}"\ntitle = "T"\n'
            f'publisher = "P"\npublished = 2024-01-01\npath = "f.html"\nsha256 = "{digest}"\n'
            f'text = "f.html.txt"\ntext_sha256 = "{digest}"\n', encoding="utf-8")
    seen: list[str] = []
    depth = journal.nesting_depth       # once per file parse_file reads

    def counting(text):
        seen.append(text[2:3])
        return depth(text)

    monkeypatch.setattr(journal, "nesting_depth", counting)
    code, _, err = run_cli("sources", "remove", "d1", "--ledger", tmp_path / "a.toml", "--force")
    assert code == 0 and "kept" in err and (tmp_path / "sources" / "f.html").is_file(), err
    assert seen.count("b") <= 2 and seen.count("c") <= 2, seen


@pytest.mark.parametrize("size", [200, 50_000])
def test_a_journal_beside_an_archive_is_parsed_once_to_tell(tmp_path, monkeypatch, size):
    """``_keeps_records`` of a journal under HEAD_BYTES parses it once (it
    parsed it twice, once in ``is_journal_head``): 300 such ledgers beside
    an archive made ``sources remove`` several seconds slower."""
    from ledger.read import journal
    from ledger_tool.common import _keeps_records

    book = _book(tmp_path / "b.toml", None, "f.txt")
    book.write_text(book.read_text("utf-8") + "# " + "x" * size + "\n", encoding="utf-8")
    seen: list[int] = []
    depth = journal.nesting_depth       # once per file parse_file reads
    monkeypatch.setattr(journal, "nesting_depth", lambda text: seen.append(1) or depth(text))
    assert _keeps_records(book, tmp_path) and len(seen) == 1, seen
    (tmp_path / "c.toml").write_text('[tool]\nname = "x"\n', encoding="utf-8")   # a config
    seen.clear()
    assert not _keeps_records(tmp_path / "c.toml", tmp_path) and len(seen) == 1, seen
