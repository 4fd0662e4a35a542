"""Time the report's workbook alone (issue 13): `reports.workbook.write_workbook`
on a real ledger's report, each run in its own process.

    python benchmarks/bench_workbook.py LEDGER [--limit 50000 all ...] [--module reports.workbook ...]

For each --limit (Entries/Sources sheet rows; "all" = every row up to
Excel's limit) and each --module (a workbook module with the same
`write_workbook`, e.g. an older copy for an A/B comparison), a fresh process
loads the ledger and builds the report (untimed), then writes the workbook
and prints wall time, CPU time (user + system, the better guide on a shared
machine), the peak memory of the process and the file's size.  Prints
figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(ledger: str, limit: str, module: str, profile: str | None) -> dict:
    from ledger_tool.common import load_ledger
    from reports.tables import ReportOptions, build_report

    book = load_ledger(ledger, quiet_warnings=True)
    report = build_report(book, ReportOptions())
    wb = importlib.import_module(module)
    out = Path(tempfile.mkdtemp(prefix="bench-workbook-"))
    entries_limit = None if limit == "all" else int(limit)
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    if profile:
        import cProfile
        cProfile.runctx("wb.write_workbook(out / 'report.xlsx', report, "
                        "entries_limit=entries_limit, full_tables=False)",
                        globals(), locals(), profile)
    else:
        wb.write_workbook(out / "report.xlsx", report, entries_limit=entries_limit,
                          full_tables=False)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    return {"wall": wall, "cpu": (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime),
            "peak_gb": r1.ru_maxrss / 1024 ** 2, "mb": (out / "report.xlsx").stat().st_size / 1e6,
            "rows": len(report.entries), "citations": len(report.sources)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("ledger")
    p.add_argument("--limit", nargs="+", default=["50000"])
    p.add_argument("--module", nargs="+", default=["reports.workbook"])
    p.add_argument("--profile", help="write a cProfile of the (single) run here")
    p.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        print(json.dumps(child(a.ledger, a.child[0], a.child[1], a.profile)))
        return 0
    for module in a.module:
        for limit in a.limit:
            cmd = [sys.executable, __file__, a.ledger, "--child", limit, module]
            if a.profile:
                cmd += ["--profile", a.profile]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode:
                print(proc.stderr[-2000:], file=sys.stderr)
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"{module:28s} limit {limit:>8s}: {r['wall']:6.1f} s (cpu {r['cpu']:6.1f} s), "
                  f"process peak {r['peak_gb']:.2f} GB, {r['mb']:.1f} MB "
                  f"({r['rows']:,} entry rows, {r['citations']:,} citations)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
