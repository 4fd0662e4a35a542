"""--status on many linked entries: ``balance --status disbursed --currency
GBP`` and ``report --status disbursed`` on a bulk file of N pledges, each
disbursed in part by an entry linked to it (``reports.filters.counted_as_themselves``
counts every disbursement as itself), as whole processes: wall, CPU and
peak memory, for each source tree given (main's and a branch's, side by
side in one run).

    python benchmarks/bench_status_links.py --pledges 100000 --src /tmp/main-wt --src .
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_ledger(path: Path, pledges: int, seed: int = 1) -> None:
    """``pledges`` pledges and as many disbursements, each of a pledge
    (about a third of them spent, so a pledge's disbursement is also paid
    within a part), dated over ten years."""
    rnd = random.Random(seed)
    cols = ["id", "date", "funder", "purpose", "amount", "currency", "status", "disburses",
            "part_of"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for i in range(pledges):
            year = 2015 + i % 10
            amount = rnd.randint(10_000, 9_999_999)
            w.writerow([f"p{i}", f"{year}-03-01", f"F{i % 40}", f"P{i % 25}", amount, "GBP",
                        "pledged", "", ""])
            w.writerow([f"d{i}", f"{year + 1}-03-01", f"F{i % 40}", f"P{i % 25}",
                        amount // rnd.randint(2, 5), "GBP",
                        "disbursed" if i % 3 else "spent", f"p{i}", ""])


def timed(src: str, args: list[str]) -> tuple[float, float, int]:
    """(wall s, CPU s, peak RSS MiB) of ``ledger-tool ARGS`` run from ``src``."""
    with tempfile.NamedTemporaryFile() as tf:
        t = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", tf.name, sys.executable,
                        "-m", "ledger_tool", *args], env={**os.environ, "PYTHONPATH": src},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall = time.perf_counter() - t
        user, system, rss = Path(tf.name).read_text().split()[-3:]
    return wall, float(user) + float(system), int(rss) // 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pledges", type=int, default=100_000)
    ap.add_argument("--src", action="append", required=True, help="a source tree (repeat)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--report", action="store_true", help="also time report --status")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "linked.csv"
        write_ledger(ledger, a.pledges)
        commands = [["balance", str(ledger), "--status", "disbursed", "--currency", "GBP",
                     "--format", "csv"]]
        if a.report:
            commands.append(["report", str(ledger), "--status", "disbursed", "--format", "csv",
                             "--out", str(Path(tmp) / "r"), "--force"])
        print(f"{2 * a.pledges:,} entries ({a.pledges:,} linked), load "
              f"{os.getloadavg()[0]:.1f}; best of {a.runs}: wall s, CPU s, peak MiB")
        for cmd in commands:
            for src in a.src:
                best = min(timed(src, cmd) for _ in range(a.runs))
                print(f"{cmd[0]:8} {src:30} {best[0]:6.1f} {best[1]:6.1f} {best[2]:6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
