"""A staging folder another import finishes with (renamed to its dataset)
while this one looks at it is gone, not an error ("No such file or
directory", exit 1); one left by a killed import is still removed."""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest

from ledger.imports import bulk
from ledger.imports.bulk import STAGING_MARK, abandon, temporary_folder


def _staging(folder: Path, name: str) -> Path:
    left = folder / name
    left.mkdir()
    (left / STAGING_MARK).touch()
    return left


def test_a_staging_folder_finished_meanwhile_is_gone(tmp_path, monkeypatch):
    left = _staging(tmp_path, ".ds.parquet.abcd1234")
    real = Path.is_file

    def is_file(self):
        got = real(self)
        if self.name == STAGING_MARK and self.parent == left and got:
            shutil.rmtree(left)     # its import finishes right now
        return got
    monkeypatch.setattr(Path, "is_file", is_file)
    tmp = temporary_folder(tmp_path / "ds.parquet")
    assert tmp.is_dir() and (tmp / STAGING_MARK).is_file()
    abandon(tmp)


def test_a_killed_imports_staging_folder_is_removed(tmp_path, capsys):
    left = _staging(tmp_path, ".ds.parquet.abcd1234")
    tmp = temporary_folder(tmp_path / "ds.parquet")
    assert not left.exists() and f"removed {left}" in capsys.readouterr().err
    assert tmp in bulk._staging
    abandon(tmp)


def test_sigterm_while_the_staging_folder_is_made_leaves_none(tmp_path, monkeypatch):
    """SIGTERM (an import stops on it as on Ctrl-C) right after mkdtemp: held
    until the folder is locked and marked, then the folder removed."""
    def stop(signum, frame):
        raise KeyboardInterrupt
    real = tempfile.mkdtemp

    def mkdtemp(*a, **k):
        made = real(*a, **k)
        os.kill(os.getpid(), signal.SIGTERM)
        return made
    old = signal.signal(signal.SIGTERM, stop)
    try:
        monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
        with pytest.raises(KeyboardInterrupt):
            temporary_folder(tmp_path / "ds.parquet")
    finally:
        signal.signal(signal.SIGTERM, old)
    assert os.listdir(tmp_path) == [] and not bulk._staging
