"""The rejects file an import writes is made by ``ledger.atomic.write_new``,
which never opens nor replaces an existing name (a hard link that fails,
then the next number): a FIFO or a device where OUTPUT.rejects.csv would
go is left as it is, unread and unwritten, and the rejects go to
OUTPUT.rejects-2.csv.  So it needs no not-a-file check (refusing would
stop an import that loses nothing)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHEET = "id,date,funder,purpose,amount\nok1,2015-01-01,UK:A,B:C,5 GBP\nbad,soon,UK:A,B:C,5 GBP\n"


@pytest.mark.parametrize("kind", ["fifo", "chardev"])
def test_a_special_file_at_the_rejects_name_is_left_alone(tmp_path, kind):
    node = tmp_path / "out.rejects.csv"
    if kind == "fifo":
        os.mkfifo(node)
    else:
        try:
            os.mknod(node, 0o644 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs root")
    mode = node.lstat().st_mode
    sheet = tmp_path / "s.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    got = subprocess.run([sys.executable, "-m", "ledger_tool", "import", str(sheet), "-o",
                          str(tmp_path / "out.toml")], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert got.returncode == 0, got.stderr
    assert node.lstat().st_mode == mode
    second = tmp_path / "out.rejects-2.csv"
    assert str(second) in got.stderr and "bad" in second.read_text(encoding="utf-8")
