"""Every writing command refuses an existing output that is a device, a
FIFO or a socket, with or without --force (``refuse_ledger_output``, the
one check they share): the atomic write would replace it with a regular
file (as root, ``-o /dev/null --force`` would replace /dev/null)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"
SHEET = "id,date,funder,purpose,amount\nok1,2015-01-01,UK:A,B:C,5 GBP\n"


def _special(tmp_path, kind: str) -> Path:
    node = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(node)
    else:
        try:   # the null device's numbers: (1, 3)
            os.mknod(node, 0o644 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs root")
    return node


def _argvs(tmp_path, node):
    sheet = tmp_path / "s.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    return [("export", HARBOUR, "--to", "csv", "-o", node),
            ("export", HARBOUR, "--to", "hledger", "-o", node),
            ("extract", HARBOUR / "sources" / "wenlock-minutes-2024.txt", "--draft", node),
            ("report", HARBOUR, "--out", node),
            ("import", sheet, "-o", node)]


@pytest.mark.parametrize("kind", ["fifo", "chardev"])
@pytest.mark.parametrize("force", [False, True])
def test_a_device_or_fifo_is_never_replaced(run_cli, tmp_path, kind, force):
    node = _special(tmp_path, kind)
    mode = node.lstat().st_mode
    for argv in _argvs(tmp_path, node):
        code, _, err = run_cli(*argv, *(["--force"] if force and argv[0] != "import" else []))
        assert code == 1, (argv, err)
        assert "not a regular file" in err and str(node) in err, err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert node.lstat().st_mode == mode      # still the device / FIFO
