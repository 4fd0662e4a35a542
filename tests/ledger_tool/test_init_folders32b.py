"""A failed ``init new/a/b`` removes the folders it made (the missing
parents too), only those and only while empty (docs/guarantees.md §3)."""
from __future__ import annotations

import errno
import os


def _full_on_second_file(monkeypatch):
    real, made = os.open, []

    def full(path, flags, mode=0o777, *, dir_fd=None):
        if flags & os.O_CREAT and flags & os.O_EXCL and dir_fd is not None \
                and str(path).startswith("."):
            made.append(path)
            if len(made) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, flags, mode, dir_fd=dir_fd)
    monkeypatch.setattr(os, "open", full)
    return made


def test_failed_init_removes_the_parents_it_made(tmp_path, run_cli, monkeypatch):
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "other.txt").write_text("mine\n")
    made = _full_on_second_file(monkeypatch)
    code, _, err = run_cli("init", tmp_path / "kept" / "new" / "a" / "b")
    monkeypatch.undo()
    assert len(made) == 2
    assert code == 1 and "No space left" in err and "Traceback" not in err, err
    assert sorted(os.listdir(tmp_path)) == ["kept"]          # a folder that was there stays
    assert sorted(os.listdir(tmp_path / "kept")) == ["other.txt"]
