"""``init`` writes ledger.toml and sources.toml both or neither: with the
disk full on the second, no half-made ledger is left (a second ``init``
would refuse the folder as not empty)."""
from __future__ import annotations

import errno
import os


def test_disk_full_on_sources_toml_leaves_no_ledger(tmp_path, run_cli, monkeypatch):
    book = tmp_path / "book"
    real_open, made = os.open, []

    def full_disk(path, flags, mode=0o777, *, dir_fd=None):
        if flags & os.O_CREAT and flags & os.O_EXCL and dir_fd is not None \
                and str(path).startswith(".") and ".toml." in str(path):
            made.append(path)
            if len(made) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", full_disk)
    code, _, err = run_cli("init", book)
    monkeypatch.undo()
    assert len(made) == 2, made
    assert code == 1 and "Traceback" not in err
    assert err.count("\n") == 1 and str(book) in err and "No space left" in err, err
    assert not book.exists()
    code, _, err = run_cli("init", book)
    assert code == 0, err
    assert sorted(p.name for p in book.iterdir()) == ["ledger.toml", "sources", "sources.toml"]
    assert run_cli("check", book)[0] == 0
