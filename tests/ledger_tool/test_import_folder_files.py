"""An import folder's files that are not regular files are named, not
passed over: a FIFO (which must not be opened: it would block) or a file
over the size cap read by a worker process gives one line, exit 1, never
a traceback."""
from __future__ import annotations

import os
import pickle
import shutil

import pytest

from ledger.safe_io import UnsafeFile
from tests.conftest import REPO

IATI = REPO / "tests" / "fixtures" / "real" / "iati"


def test_an_unsafe_file_crosses_processes_whole():
    """A worker's refusal is pickled to the command's process: rebuilt with
    its path and reason (it raised TypeError there, a traceback)."""
    err = pickle.loads(pickle.dumps(UnsafeFile("in/a.xml", "too big")))
    assert (type(err), err.path, err.reason, str(err)) == (
        UnsafeFile, "in/a.xml", "too big", "in/a.xml: too big")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("to", [["-o", "out.toml"], ["--to", "out.parquet"]])
def test_a_fifo_in_an_import_folder_is_named(tmp_path, run_cli, monkeypatch, to):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sorted(IATI.glob("*.xml"))[0], folder / "a.xml")
    os.mkfifo(folder / "z.xml")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("import", "--from", "iati", folder, *to)
    assert code == 1
    assert "z.xml: is a FIFO (named pipe), not a regular file" in err
    assert "Traceback" not in err
    assert not (tmp_path / to[1]).exists()
