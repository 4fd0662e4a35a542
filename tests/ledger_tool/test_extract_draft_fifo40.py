"""extract --draft asks of each journal file below a folder above the draft
whether it is its own earlier draft: a FIFO named like a journal is told
without opening it for reading (that open would hang)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HARBOUR = ROOT / "examples" / "harbour"


def test_a_fifo_below_a_folder_above_the_draft_does_not_hang(tmp_path):
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "one.toml").write_bytes((HARBOUR / "pledges.toml").read_bytes())
    os.mkfifo(d / "sub" / "pipe.toml")
    draft = d / "work" / "draft.toml"
    got = subprocess.run([sys.executable, "-m", "ledger_tool", "extract",
                          str(HARBOUR / "sources" / "wenlock-minutes-2024.txt"), "--draft", str(draft)],
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=120)
    # the FIFO counts as a journal the ledger cannot read: d is a ledger folder
    assert got.returncode == 1, got.stderr
    assert "ledger folder" in got.stderr and str(draft) in got.stderr, got.stderr
    assert not draft.exists()
