"""``write_all_atomic``: one file named twice is refused; an interruption
between two renames puts every file back; where that is impossible the
message names exactly what was written (docs/guarantees.md §3)."""
from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

import pytest

from ledger.atomic import PartlyWritten, write_all_atomic
from ledger.errors import LedgerError


def _two(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_bytes(b"a = 1\n")
    b.write_bytes(b"b = 1\n")
    return a, b


@pytest.mark.parametrize("spelling", ["relative", "link", "hard link"])
def test_one_file_named_twice_is_refused(tmp_path, monkeypatch, spelling):
    a, _ = _two(tmp_path)
    monkeypatch.chdir(tmp_path)
    other = {"relative": Path("a.toml"), "link": tmp_path / "l.toml",
             "hard link": tmp_path / "h.toml"}[spelling]
    if spelling == "link":
        other.symlink_to(a)
    elif spelling == "hard link":
        os.link(a, other)
    with pytest.raises(LedgerError, match="the same file as"):
        write_all_atomic({a: b"a = 2\n", other: b"a = 3\n"})
    assert a.read_bytes() == b"a = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def _failing_second_rename(monkeypatch, exc):
    real, seen = os.replace, []

    def replace(src, dst, **kw):
        if not str(dst).startswith("."):
            seen.append(dst)
            if len(seen) == 2:
                raise exc
        return real(src, dst, **kw)
    monkeypatch.setattr(os, "replace", replace)
    return seen


def test_interrupted_between_renames_puts_the_first_back(tmp_path, monkeypatch):
    a, b = _two(tmp_path)
    seen = _failing_second_rename(monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        write_all_atomic({a: b"a = 2\n", b: b"b = 2\n"})
    monkeypatch.undo()
    assert seen[:3] == ["a.toml", "b.toml", "a.toml"]     # a renamed, b refused, a put back
    assert (a.read_bytes(), b.read_bytes()) == (b"a = 1\n", b"b = 1\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "b.toml"]


def test_no_way_back_names_what_was_written(tmp_path, monkeypatch):
    a, b = _two(tmp_path)

    def no_links(*args, **kw):
        raise OSError(errno.EPERM, "Operation not permitted")
    monkeypatch.setattr(os, "link", no_links)
    _failing_second_rename(monkeypatch, OSError(errno.EIO, "Input/output error"))
    with pytest.raises(PartlyWritten) as got:
        write_all_atomic({a: b"a = 2\n", b: b"b = 2\n"})
    monkeypatch.undo()
    msg = str(got.value)
    assert "\n" not in msg and "nothing written" not in msg
    assert f"written: {a};" in msg and f"not written: {b};" in msg, msg
    assert (a.read_bytes(), b.read_bytes()) == (b"a = 2\n", b"b = 1\n")


@pytest.mark.parametrize("at", [1, 2])
def test_ctrl_c_during_the_renames_undoes_them_all(tmp_path, monkeypatch, at):
    a, b = _two(tmp_path)
    real, seen = os.replace, []

    def replace(src, dst, **kw):
        done = real(src, dst, **kw)
        if not str(dst).startswith("."):
            seen.append(dst)
            if len(seen) == at:
                os.kill(os.getpid(), signal.SIGINT)     # a real Ctrl-C, after this rename
        return done
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write_all_atomic({a: b"a = 2\n", b: b"b = 2\n"})
    monkeypatch.undo()
    assert (a.read_bytes(), b.read_bytes()) == (b"a = 1\n", b"b = 1\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "b.toml"]
