"""`check` on a generated journal, clean and with one problem (issue 24): a
journal with one warning (an emptied quote) or one bad entry (an amount
that cannot be read) should take no longer than the clean one.

    python benchmarks/bench_check.py [--entries 30000] [--repeat 3] [--tree DIR]

Each run is a whole fresh process (``python -m ledger_tool check DIR``, the
cache off); the figure is its CPU time (user + sys), the median of the
runs, and peak memory.  ``--tree``: the source tree to run (default: this
one), to compare an earlier commit's (``git archive``).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _ledger(work: Path, n: int, seed: int) -> Path:
    d = work / f"clean-{n}-{seed}"
    if not (d / "journal").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--entries", str(n),
                        "--seed", str(seed), "--out", str(d)], check=True,
                       env=dict(os.environ, PYTHONPATH=str(HERE.parent)))
    return d


def _variant(clean: Path, work: Path, name: str, pattern: str, replacement: str) -> Path:
    """A copy of the ledger with the first match of ``pattern`` in its
    middle journal file replaced."""
    d = work / name
    if d.exists():
        shutil.rmtree(d)
    shutil.copytree(clean, d, ignore=shutil.ignore_patterns("*.csv", "*.parquet"))
    files = sorted((d / "journal").glob("*.toml"))
    f = files[len(files) // 2]
    text, k = re.subn(pattern, replacement, f.read_text(encoding="utf-8"), count=1)
    assert k == 1, (name, pattern)
    f.write_text(text, encoding="utf-8")
    return d


def _run(tree: Path, d: Path) -> tuple[float, float, float, int, str]:
    """(wall, CPU, peak MiB, exit code, stderr's last line) of one check."""
    env = dict(os.environ, PYTHONPATH=str(tree), LEDGER_TOOL_CACHE="off")
    with tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "ledger_tool", "check", str(d)], env=env,
                             stdout=subprocess.DEVNULL, stderr=err, cwd=tempfile.gettempdir())
        _, status, use = os.wait4(p.pid, 0)   # this process's own usage
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().strip().splitlines()
    return (wall, use.ru_utime + use.ru_stime, use.ru_maxrss / 1024, p.returncode,
            lines[-1] if lines else "")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=30_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tree", type=Path, default=HERE.parent)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-check")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    clean = _ledger(args.work, args.entries, args.seed)
    cases = {
        "clean": clean,
        "one emptied quote": _variant(clean, args.work, "quote", r'quote = "[^"]*"', 'quote = ""'),
        "one bad amount": _variant(clean, args.work, "amount", r'amount = "[^"]*"',
                                   'amount = "lots"'),
    }
    print(f"check, {args.entries:,} entries, tree {args.tree}, median of {args.repeat}")
    for name, d in cases.items():
        runs = [_run(args.tree.resolve(), d) for _ in range(args.repeat)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"{name:20} wall {wall:6.2f} s  CPU {cpu:6.2f} s  peak "
              f"{max(r[2] for r in runs):5.0f} MiB  exit {runs[0][3]}  | {runs[0][4][:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
