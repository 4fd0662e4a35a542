"""A file of an import folder the system cannot read (an I/O error while it
is hashed or parsed, permission denied) is one of the folder's unreadable
files, as one the guard refuses (over the size cap, a FIFO): one line
naming it, the other files read and counted, nothing written, exit 1 with
the number of files not read -- with ``-o`` and with ``--to``.  An I/O
error stopped the whole import with one bare line ("Input/output error")."""
from __future__ import annotations

import errno
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
ACTIVITY = ('<iati-activity default-currency="GBP"><iati-identifier>XX-9-{n}</iati-identifier>'
            '<reporting-org ref="XX-9"><narrative>Donor</narrative></reporting-org>'
            '<transaction ref="C{n}"><transaction-type code="2"/>'
            '<transaction-date iso-date="2020-01-0{n}"/><value>{n}000</value></transaction>'
            '</iati-activity>\n')


def _file(path: Path, ns) -> None:
    path.write_text(HEAD + "".join(ACTIVITY.format(n=n) for n in ns) + "</iati-activities>\n",
                    encoding="utf-8")


def _folder(tmp_path: Path) -> Path:
    """a.xml: 2 activities of one commitment each, c.xml: 1; bad.xml: 1."""
    folder = tmp_path / "in"
    folder.mkdir()
    _file(folder / "a.xml", (1, 2))
    _file(folder / "bad.xml", (3,))
    _file(folder / "c.xml", (4,))
    return folder


class _Failing(io.BytesIO):
    """bad.xml's contents, read until ``after`` seeks (0: hashing fails,
    1: hashed, then parsing fails), then an I/O error."""

    def __init__(self, data: bytes, after: int):
        super().__init__(data)
        self.after, self.seeks = after, 0

    def seek(self, *args):
        self.seeks += 1
        return super().seek(*args)

    def _check(self):
        if self.seeks >= self.after:
            raise OSError(errno.EIO, "Input/output error")

    def read(self, n=-1):
        self._check()
        return super().read(n)

    def readinto(self, b):
        self._check()
        return super().readinto(b)


@pytest.mark.parametrize("after", [0, 1], ids=["hashing", "parsing"])
@pytest.mark.parametrize("to", [["-o", "out.toml"], ["--to", "out.parquet"]])
def test_an_io_error_is_one_of_the_unreadable_files(tmp_path, run_cli, monkeypatch, to, after):
    import ledger.imports.iati as iati
    import ledger_tool.import_data as import_data

    folder = _folder(tmp_path)
    opened = iati.open_data

    def open_data(path, what):
        if Path(path).name == "bad.xml":
            return _Failing(Path(path).read_bytes(), after)
        return opened(path, what)

    monkeypatch.setattr(iati, "open_data", open_data)
    # --to: read in this process (a worker would not see the patch)
    monkeypatch.setattr(import_data.os, "sched_getaffinity", lambda _pid: {0})
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("import", "--from", "iati", folder.name, *to)
    assert code == 1 and "Traceback" not in err, err
    named = [ln for ln in err.splitlines() if "bad.xml" in ln and "import: reading" not in ln]
    assert named == ["ledger-tool: import: in/bad.xml: cannot read: Input/output error: not read"]
    assert "nothing written: 1 file(s) could not be read" in err
    if to[0] == "-o":   # the other two files read: their 3 commitments
        assert "3 new, 0 updated, 0 unchanged, 0 rejected, 0 skipped by rule, " \
               "1 file(s) unreadable" in err, err
    assert not (tmp_path / to[1]).exists()
    assert not list(tmp_path.glob("out*"))


@pytest.mark.parametrize("to", [["-o", "out.toml"], ["--to", "out.parquet"]])
def test_an_io_error_is_said_as_a_file_over_the_cap_is(tmp_path, run_cli, monkeypatch, to):
    """The same lines, exit status and outputs as the guard's refusal."""
    import ledger.imports.iati as iati
    import ledger_tool.import_data as import_data

    monkeypatch.setattr(import_data.os, "sched_getaffinity", lambda _pid: {0})
    monkeypatch.chdir(tmp_path)
    said = {}
    for case in ("io", "cap"):
        (tmp_path / case).mkdir()
        folder = _folder(tmp_path / case)
        with monkeypatch.context() as m:
            if case == "io":
                opened = iati.open_data
                m.setattr(iati, "open_data", lambda p, w, o=opened: _Failing(b"", 0)
                          if Path(p).name == "bad.xml" else o(p, w))
            else:
                _file(folder / "bad.xml", range(1, 10))    # the largest file
                m.setenv("LEDGER_TOOL_MAX_FILE_SIZE",
                          str((folder / "bad.xml").stat().st_size - 1))
            code, _, err = run_cli("import", "--from", "iati", folder.relative_to(tmp_path),
                                   to[0], f"{case}/{to[1]}")
        # the reason aside (an I/O error, the size): the same lines
        lines = [re.sub(r"bad\.xml: .*: not read$", "bad.xml: WHY: not read", ln)
                 .replace(f"{case}/", "") for ln in err.splitlines()]
        said[case] = (code, lines, (tmp_path / case / to[1]).exists())
    assert said["io"] == said["cap"]
    assert said["io"][0] == 1 and not said["io"][2]
    assert sum(ln.endswith("in/bad.xml: WHY: not read") for ln in said["io"][1]) == 1


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root and setpriv to run the command without the right "
                           "to read every file (CAP_DAC_OVERRIDE)")
@pytest.mark.parametrize("to", [["-o", "out.toml"], ["--to", "out.parquet"]])
def test_a_file_permission_denied_end_to_end(tmp_path, to):
    """The real command, as a process without the capability that lets
    root read a chmod 000 file."""
    folder = _folder(tmp_path)
    (folder / "bad.xml").chmod(0)
    run = subprocess.run(["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                          sys.executable, "-m", "ledger_tool", "import", "--from", "iati",
                          "in", *to], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    if run.returncode and "Operation not permitted" in run.stderr and "setpriv" in run.stderr:
        pytest.skip(f"setpriv cannot drop capabilities here: {run.stderr.strip()}")
    err = run.stderr
    assert run.returncode == 1 and "Traceback" not in err, err
    assert "in/bad.xml: cannot read: Permission denied: not read" in err
    assert "nothing written: 1 file(s) could not be read" in err
    if to[0] == "-o":
        assert "3 new, 0 updated, 0 unchanged, 0 rejected, 0 skipped by rule, " \
               "1 file(s) unreadable" in err, err
    assert not (tmp_path / to[1]).exists()
