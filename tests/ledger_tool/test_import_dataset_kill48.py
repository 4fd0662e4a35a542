"""A parallel dataset import (``--to DS.parquet``, a forkserver pool) killed
with SIGKILL or SIGTERM leaves no process behind (its workers end with it);
SIGTERM stops it as Ctrl-C does (one line, exit 130, no staging folder);
the next run removes the staging folder a killed one left."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.ledger_tool.test_import_kill_order48 import _ACTIVITY

pytestmark = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2,
                                reason="the pool is used with two cores or more")

# batches of one file (a pool of workers), and the import stalled once the
# first batch is back: the workers are up, the staging folder made
_STALLED = textwrap.dedent("""
    import sys, time
    from ledger.imports import bulk
    from ledger_tool import import_data
    from ledger_tool.cli import main
    import_data.BATCH_BYTES = 1
    def stall(self, table):
        print("stalled", flush=True)
        time.sleep(600)
    bulk.DatasetWriter.add = stall
    sys.exit(main(sys.argv[1:]))
""")


def _tree(pid: int) -> set[int]:
    """``pid``'s descendants."""
    kids: dict[int, list[int]] = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                stat = Path(f"/proc/{p}/stat").read_text()
            except OSError:
                continue
            kids.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(p))
    out, todo = set(), [pid]
    while todo:
        for k in kids.get(todo.pop(), ()):
            out.add(k)
            todo.append(k)
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(4):
        (folder / f"a{k}.xml").write_text(_ACTIVITY.format(ident=f"GB-1-{k}", value=1000 + k),
                                          encoding="utf-8")
    return folder


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_parallel_import_leaves_no_process(tmp_path, how):
    folder = _inputs(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-c", _STALLED, "import", "--from", "iati",
                             str(folder), "--to", "ds.parquet"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kids: set[int] = set()
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "stalled\n"
        kids = _tree(proc.pid)
        assert len(kids) >= 3        # the forkserver, its workers (and the resource tracker)
        assert [n for n in os.listdir(tmp_path) if n.startswith(".ds.parquet.")]
        os.kill(proc.pid, how)
        _, err = proc.communicate(timeout=30)   # (the workers hold its pipes)
        deadline = time.monotonic() + 20
        while any(map(_alive, kids)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [k for k in kids if _alive(k)]
    finally:
        for k in kids | {proc.pid}:
            if _alive(k):
                os.kill(k, signal.SIGKILL)
    staged = [n for n in os.listdir(tmp_path) if n.startswith(".ds.parquet.")]
    if how == signal.SIGTERM:    # as Ctrl-C: cleaned up, one line
        assert proc.returncode == 130 and err.strip() == "ledger-tool: interrupted", err
        assert not staged
        return
    assert proc.returncode == -signal.SIGKILL and len(staged) == 1
    # the next run removes the killed one's staging folder, and says so
    r = subprocess.run([sys.executable, "-m", "ledger_tool", "import", "--from", "iati",
                        str(folder), "--to", "ds.parquet"], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert f"removed {staged[0]}" in r.stderr, r.stderr
    assert [n for n in os.listdir(tmp_path) if n.startswith(".")] == []
    assert "ledger-tool-import" not in " ".join(os.listdir(tmp_path / "ds.parquet"))
