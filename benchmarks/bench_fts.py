"""FTS import at size: does the time double when the flows double?

    .venv/bin/python benchmarks/bench_fts.py [--flows 2000 4000 8000] [--work DIR]

Builds FTS API downloads of N flows from the real pages in
tests/fixtures/real/fts (their flows repeated under new ids, so every flow
is a real shape: parents, children, several clusters, many currencies),
then times ``ledger-tool import --from fts FILE -o NEW`` end to end, each in
a fresh process (wall time, CPU time and peak memory).  The ratio column is
the CPU time over the previous size's: about 2 when the import is linear in
its input.
Nothing here is a test: it prints figures.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real" / "fts"


def generate(path: Path, n: int) -> int:
    """An FTS download of ``n`` flows, all counted (incoming, single), with
    fresh ids; parent ids follow their flow's copy."""
    base = []
    for page in sorted(REAL.glob("location-*-page-*.json")):
        base += [f for f in json.loads(page.read_text(encoding="utf-8"))["data"]["flows"]
                 if f["boundary"] == "incoming" and f["onBoundary"] == "single"
                 and (f.get("amountUSD") or 0) > 0]
    flows = []
    for k in range(n):
        f = dict(base[k % len(base)])
        copy = k // len(base)
        f["id"] = str(int(f["id"]) + 10_000_000 * (copy + 1))
        if f.get("parentFlowId"):
            f["parentFlowId"] = int(f["parentFlowId"]) + 10_000_000 * (copy + 1)
        flows.append(f)
    path.write_text(json.dumps({"data": {"flows": flows}}, indent=1), encoding="utf-8")
    return n


def run(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one process.  CPU time
    as well: on a shared machine the wall time measures the neighbours too."""
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if done.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--flows", type=int, nargs="+", default=[2000, 4000, 8000])
    ap.add_argument("--work", type=Path)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-fts-"))
    work.mkdir(parents=True, exist_ok=True)
    print("| flows | MB | wall (s) | CPU (s) | CPU ratio | peak MB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    last = None
    for n in args.flows:
        src = work / f"flows-{n}.json"
        generate(src, n)
        out = work / f"book-{n}"
        wall, cpu, peak = run([sys.executable, "-m", "ledger_tool", "import", "--from", "fts",
                               str(src), "-o", str(out)])
        ratio = f"{cpu / last:.2f}" if last else ""
        print(f"| {n:,} | {src.stat().st_size / 1e6:.1f} | {wall:.2f} | {cpu:.2f} | {ratio} | "
              f"{peak:.0f} |", flush=True)
        last = cpu


if __name__ == "__main__":
    main()
