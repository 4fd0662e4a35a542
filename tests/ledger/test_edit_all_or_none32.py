"""An edit of several journal files writes all of them or none: with the
disk full on the second file, ``sources remove --force`` must not leave
sources.toml without the document while another file still cites it."""
from __future__ import annotations

import errno
import os
import tomllib
from pathlib import Path

import pytest

from ledger.edit import write_edits

LEDGER = '[ledger]\ncurrency = "GBP"\n'
SOURCES = """\
# documents
[[document]]
id = "d"
title = "D"
published = 2020-01-01

[[document]]
id = "keep"
title = "K"
published = 2020-01-01
"""


def _entries(n: int) -> str:
    return "".join(f'[[entry]]\nid = "e{i}"\ndate = 2020-01-01\nfunder = "Gov"\n'
                   f'purpose = "P{i}"\namount = "£5m"\n  [[entry.source]]\n  doc = "d"\n'
                   f'  quote = "£5m"\n  [[entry.source]]\n  doc = "keep"\n  quote = "£5m"\n\n'
                   for i in range(n))


@pytest.fixture
def book(tmp_path) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    (book / "ledger.toml").write_text(LEDGER, "utf-8")
    (book / "sources.toml").write_text(SOURCES, "utf-8")
    (book / "z.toml").write_text(_entries(3), "utf-8")
    return book


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _in(folder: Path, dir_fd) -> bool:
    if dir_fd is None:
        return False
    a, b = os.fstat(dir_fd), os.stat(folder)
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def test_disk_full_on_the_second_file_writes_neither(book, run_cli, monkeypatch):
    before = _snapshot(book)
    real_open, made = os.open, []

    def full_disk(path, flags, mode=0o777, *, dir_fd=None):
        # a temporary file for a journal in the ledger folder: the second finds the disk full
        if flags & os.O_CREAT and flags & os.O_EXCL and _in(book, dir_fd) \
                and str(path).startswith("."):
            made.append(path)
            if len(made) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", full_disk)
    code, _, err = run_cli("sources", "remove", "d", "--ledger", book, "--force")
    monkeypatch.undo()
    assert len(made) == 2
    assert code == 1 and "Traceback" not in err
    lines = [ln for ln in err.splitlines() if "ledger-tool" in ln]
    assert len(lines) == 1 and "No space left" in lines[0], err
    assert any(name in lines[0] for name in ("sources.toml", "z.toml")), err
    # every file byte for byte, no temporary file left behind
    assert _snapshot(book) == before
    assert run_cli("check", book)[0] == 0
    # and with room on the disk the same command does it all
    code, _, err = run_cli("sources", "remove", "d", "--ledger", book, "--force")
    assert code == 0, err
    docs = tomllib.loads((book / "sources.toml").read_text("utf-8"))["document"]
    assert [d["id"] for d in docs] == ["keep"]
    for e in tomllib.loads((book / "z.toml").read_text("utf-8"))["entry"]:
        assert e["source"] == [{"doc": "keep", "quote": "£5m"}]
    assert sorted(_snapshot(book)) == sorted(before)
    assert run_cli("check", book)[0] == 0


def test_a_failed_rename_puts_back_the_files_renamed_before(book, monkeypatch):
    before = _snapshot(book)
    edits = {}
    for name, old, new in (("sources.toml", '"K"', '"K2"'), ("z.toml", '"P1"', '"P9"')):
        raw = (book / name).read_bytes()
        edits[book / name] = (raw, raw.replace(old.encode(), new.encode()))
    real_replace, renamed = os.replace, []

    def second_fails(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
        if _in(book, dst_dir_fd) and not str(dst).startswith("."):
            renamed.append(dst)
            if len(renamed) == 2:
                raise OSError(errno.EIO, "Input/output error")
        return real_replace(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(Exception, match="Input/output error"):
        write_edits(book, edits)
    monkeypatch.undo()
    assert renamed[:2] == ["sources.toml", "z.toml"]     # then sources.toml put back
    assert _snapshot(book) == before
