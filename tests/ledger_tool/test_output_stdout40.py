"""-o /dev/stdout: export writes to standard output as for -o -; every other
output leading to a process's open file (/dev/stdout, /proc/self/fd/N, a
link to one) is refused saying -o - is the way, never replaced by a file
(the atomic write would rename a file over the link itself)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HARBOUR = ROOT / "examples" / "harbour"
DOC = HARBOUR / "sources" / "wenlock-minutes-2024.txt"


def test_export_to_dev_stdout_is_standard_output(run_cli):
    code, out, err = run_cli("export", HARBOUR, "--to", "csv", "-o", "-")
    assert code == 0, err
    code, same, err = run_cli("export", HARBOUR, "--to", "csv", "-o", "/dev/stdout")
    assert code == 0, err
    assert same == out and out.startswith("id,date,")


def test_a_link_to_standard_output_is_not_replaced(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to("/proc/self/fd/1")
    into = tmp_path / "stdout.txt"
    with into.open("w") as fh:   # standard output a regular file: the link leads to one
        got = subprocess.run([sys.executable, "-m", "ledger_tool", "export", str(HARBOUR),
                              "--to", "csv", "-o", str(link), "--force"], cwd=tmp_path, stdout=fh,
                             stderr=subprocess.PIPE, text=True, timeout=120,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert got.returncode == 1, got.stderr
    assert "-o -" in got.stderr and str(link) in got.stderr, got.stderr
    assert len(got.stderr.strip().splitlines()) == 1, got.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert into.read_text() == ""


def test_a_draft_to_dev_stdout_says_how(run_cli):
    code, _, err = run_cli("extract", DOC, "--draft", "/dev/stdout")
    assert code == 1 and "-o -" in err and len(err.strip().splitlines()) == 1, err
