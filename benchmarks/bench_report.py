"""Time `ledger-tool report` at scale, stage by stage (issue 7).

    .venv/bin/python benchmarks/bench_report.py --entries 100000 [--limit 50000]
    .venv/bin/python benchmarks/bench_report.py --ledger /tmp/g1m --e2e
    .venv/bin/python benchmarks/bench_report.py --ledger /tmp/g100k --no-stages \
        --peer [--baseline /tmp/before] [--repeat 3]

Generates (or reuses) a ledger with benchmarks/generate.py in
/tmp/bench-report-<N>, then times in this process: loading the ledger
(`ledger_tool.common.load_ledger`, the command's own load), `build_report`,
the full tables (entries/sources CSV + Parquet), the charts, the workbook
(Entries/Sources sheets cut at --limit rows) and the HTML page.  With --e2e it
also runs the whole `ledger-tool report` command in a fresh process and prints
its wall time and peak memory.  With --peer (issue 25) the command is timed
as users run it (default options, the cache of the Book primed by an untimed
run, as `run.py --commands`), best and median of --repeat, beside ledger-cli's market()
balance of the same ledger's hledger export in the same run, and the ratio is
printed; --baseline names another source tree (e.g. `git archive` of an
earlier commit) whose `report` is timed alternately with this one's, for
before/after figures on the same machine at the same time.  Prints figures;
asserts nothing.
"""
from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2


def _generate(n: int, seed: int) -> Path:
    out = Path(f"/tmp/bench-report-{n}-{seed}")
    if not (out / "sources.toml").exists():
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--entries",
                        str(n), "--seed", str(seed), "--out", str(out), "--no-csv"], check=True)
    return out


def stages(ledger_dir: Path, limit: int) -> dict[str, float]:
    from ledger_tool.common import load_ledger
    from reports.charts import write_charts
    from reports.html import HTML_TABLE_LIMIT, write_html
    from reports.tables import ReportOptions, build_report
    from reports.workbook import write_full_tables, write_workbook

    times = {}
    out = Path(tempfile.mkdtemp(prefix="bench-report-out-"))

    def timed(name, fn):
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        value = fn()
        times[name] = time.perf_counter() - t
        print(f"  {name:<34} {times[name]:7.2f} s  cpu {time.process_time() - c:6.2f} s"
              f"   (peak so far {_rss_gb():.2f} GB)", file=sys.stderr, flush=True)
        return value

    book = timed("load (ledger-tool's load_ledger)", lambda: load_ledger(str(ledger_dir),
                                                                          quiet_warnings=True))
    report = timed("build_report", lambda: build_report(book, ReportOptions()))
    print(f"  ({len(book.entries):,} entries, {len(report.entries):,} entry rows, "
          f"{len(report.sources):,} citations)", file=sys.stderr)
    timed("entries/sources CSV + Parquet", lambda: write_full_tables(report, out))
    charts = timed("charts (PNG + SVG)", lambda: write_charts(report, out))
    timed(f"workbook (sheets cut at {limit:,})",
          lambda: write_workbook(out / "report.xlsx", report, charts=charts,
                                 entries_limit=limit, full_tables=False))
    timed("HTML page", lambda: write_html(out / "report.html", report, charts,
                                          limit=min(limit, HTML_TABLE_LIMIT)))
    sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    print(f"  sizes: report.xlsx {sizes['report.xlsx'] / 1e6:.1f} MB, entries.csv "
          f"{sizes['entries.csv'] / 1e6:.1f} MB, entries.parquet "
          f"{sizes['entries.parquet'] / 1e6:.1f} MB, report.html "
          f"{sizes['report.html'] / 1e6:.1f} MB", file=sys.stderr)
    return times


def end_to_end(ledger_dir: Path, limit: int) -> tuple[float, float]:
    """The whole command in a fresh process: (wall seconds, peak GB)."""
    out = tempfile.mkdtemp(prefix="bench-report-e2e-")
    exe = REPO / ".venv" / "bin" / "ledger-tool"
    start = [str(exe)] if exe.exists() else [sys.executable, "-m", "ledger_tool"]
    cmd = start + ["report", str(ledger_dir), "--out", out,
                   "--entries-sheet-limit", str(limit), "--format", "csv"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            cwd=REPO)
    _, err = proc.communicate()
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 ** 2
    if proc.returncode:
        print(err[-2000:], file=sys.stderr)
        raise SystemExit(f"ledger-tool report failed ({proc.returncode})")
    return wall, peak


def against_peer(ledger_dir: Path, trees: list[Path], repeat: int,
                 timeout: float = 3600) -> dict:
    """`ledger-tool report` from each source tree in ``trees``, taking turns,
    best of ``repeat``, and ledger-cli's market() balance of the hledger
    export, in one run: {label: best run}, each with its ratio to ledger-cli."""
    import shutil

    sys.path.insert(0, str(REPO / "benchmarks"))
    from run import LEDGER_CLI, _run_cmd, _which

    scratch = ledger_dir / ".bench-scratch"
    scratch.mkdir(exist_ok=True)
    # the first tree's: the cache run.py --commands primes and uses; each other
    # tree its own (the cache keeps one Book a ledger, keyed by the code of
    # ledger/: two trees that differ there would replace each other's on every run)
    caches = {tree: scratch / ("cache" if k == 0 else f"cache-{k}")
              for k, tree in enumerate(trees)}

    def tool(tree: Path, *args) -> tuple[list, dict]:
        return ([sys.executable, "-P", "-m", "ledger_tool", *args],   # -P: not the cwd
                {"LEDGER_TOOL_CACHE": str(caches[tree]), "PYTHONPATH": str(tree)})

    for tree in trees:              # untimed: the Book cached (a miss for a new reader)
        cmd, env = tool(tree, "balance", str(ledger_dir), "--currency", "GBP")
        _run_cmd(cmd, timeout, env, stdout=subprocess.DEVNULL)
    runs: dict = {f"report ({tree})": [] for tree in trees}
    out_dir = scratch / "report"
    for _ in range(repeat):
        for tree in trees:
            shutil.rmtree(out_dir, ignore_errors=True)
            cmd, env = tool(tree, "report", str(ledger_dir), "--out", str(out_dir),
                            "--format", "json")
            runs[f"report ({tree})"].append(_run_cmd(cmd, timeout, env,
                                                     stdout=subprocess.DEVNULL))
    ledger_cli = _which("ledger")
    label, args = LEDGER_CLI[0]
    if ledger_cli:
        hl = scratch / "export-recorded.hledger"   # as run.py --commands writes it
        hl.unlink(missing_ok=True)
        cmd, env = tool(trees[0], "export", str(ledger_dir), "--to", "hledger", "--basis",
                        "recorded", "-o", str(hl))
        _run_cmd(cmd, timeout, env, stdout=subprocess.DEVNULL)
        runs[label] = [_run_cmd([ledger_cli, "-f", str(hl), *args, "--no-color"], timeout,
                                stdout=subprocess.DEVNULL) for _ in range(repeat)]
    else:
        print("  ledger-cli: not installed (apt-get install ledger)", file=sys.stderr)
    best = {}
    for name, rs in runs.items():
        best[name] = min(rs, key=lambda r: r.get("wall", 1e9))
        best[name]["runs"] = [round(r.get("wall", 0), 2) for r in rs]
    peer = best.get(label, {}).get("wall")
    for name, r in best.items():
        ratio = f"  {r['wall'] / peer:.2f}x ledger-cli" if peer and "wall" in r else ""
        middle = statistics.median(r["runs"]) if r["runs"] else 0
        mid = f" (median {middle / peer:.2f}x)" if peer and r["runs"] else ""
        print(f"  {name:60s} {r.get('wall', 0):7.2f} s  cpu {r.get('cpu', 0):6.2f} s  peak "
              f"{r.get('maxrss_mb', 0):6.0f} MiB  runs {r['runs']} median {middle:.2f} s"
              f"{ratio}{mid}"
              + (f"  ERROR {r['error']}" if r.get("error") else ""), flush=True)
    return best


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--entries", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--ledger", type=Path, help="an existing ledger instead of generating one")
    p.add_argument("--limit", type=int, default=50_000, help="--entries-sheet-limit")
    p.add_argument("--e2e", action="store_true", help="also time `ledger-tool report` alone")
    p.add_argument("--no-stages", action="store_true", help="only the end-to-end run")
    p.add_argument("--peer", action="store_true",
                   help="time `report` as users run it beside ledger-cli's market() balance")
    p.add_argument("--baseline", type=Path, action="append", default=[], metavar="TREE",
                   help="with --peer: also time `report` from this source tree, in turns")
    p.add_argument("--repeat", type=int, default=2,
                   help="with --peer: runs each (best and median shown)")
    a = p.parse_args(argv)
    ledger_dir = a.ledger or _generate(a.entries, a.seed)
    print(f"bench_report: {ledger_dir}, sheet limit {a.limit:,}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    if not a.no_stages:
        t = stages(ledger_dir, a.limit)
        print("stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items()))
        print(f"report files after the load: {sum(v for k, v in t.items() if k[:4] != 'load'):.2f} s"
              f"; workbook {next(v for k, v in t.items() if k.startswith('workbook')):.2f} s")
    if a.peer:
        against_peer(ledger_dir, [REPO, *(t.resolve() for t in a.baseline)], a.repeat)
    elif a.e2e or a.no_stages:
        wall, peak = end_to_end(ledger_dir, a.limit)
        print(f"ledger-tool report end to end: {wall:.1f} s, peak {peak:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
