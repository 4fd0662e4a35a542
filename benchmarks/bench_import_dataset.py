"""IATI import to a Parquet dataset at size: MB of XML per second, peak memory.

    .venv/bin/python benchmarks/bench_import_dataset.py [--mb 100 300] [--work DIR]

For each size, a folder of copies of the real IATI files in
tests/fixtures/real/iati with new identifiers (``benchmarks/iati_folder.py``),
then ``ledger-tool import --from iati FOLDER --to OUT.parquet`` as a whole
command in a fresh process: wall time, MB of XML per second of wall time,
and the peak resident memory of the command's own process (its worker
processes are children of the forkserver, not counted there).  The load
average is printed beside it: on a shared machine wall time is worth what
the load leaves.  Then the CPU rate of one process on a ``--cpu-mb`` MB
folder (``time.process_time``, the best of three turns, which the load
moves less than wall time), whole (``read_batch``) and stage by stage:
lxml's parse alone, ``read_iati``, the rule engine (``bulk.checked``); the
command's rate on an idle machine is about the whole rate times the number
of cores.  Nothing here is a test.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from iati_folder import make_folder  # noqa: E402


def run(folder: Path, out: Path) -> dict:
    """The command as a fresh process, its whole process tree watched through
    /proc (the worker processes are children of the forkserver, which
    getrusage of the command does not count): wall time, CPU seconds of
    every process, the peak of their summed resident memory and each
    sample's sum (to see whether it stays flat)."""
    cmd = [sys.executable, "-m", "ledger_tool", "import", "--from", "iati", str(folder),
           "--to", str(out)]
    env = {"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    tick = os.sysconf("SC_CLK_TCK")
    page = os.sysconf("SC_PAGE_SIZE")
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                         cwd=out.parent, text=True)
    cpu: dict[int, float] = {}
    peak, samples = 0, []
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.extend(p.stderr), daemon=True)
    reader.start()
    while p.poll() is None:
        rss = 0
        for pid in _tree(p.pid):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
            except (OSError, IndexError):
                continue
            cpu[pid] = (int(stat[11]) + int(stat[12])) / tick     # utime + stime
        peak = max(peak, rss)
        samples.append(rss)
        time.sleep(0.25)
    wall = time.perf_counter() - t
    reader.join(5)
    return {"rc": p.returncode, "wall": wall, "cpu": sum(cpu.values()), "main_cpu": cpu.get(p.pid, 0),
            "peak": peak, "samples": samples, "err": "".join(err).strip()[-300:]}


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants (from /proc's parent links)."""
    parent: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parent[int(d.name)] = int(
                    (d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += [c for c, pp in parent.items() if pp == pid]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="*", default=[100], help="none: the one-process rate only")
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--cpu-mb", type=float, default=10, help="0: no one-process rate")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-import-dataset-"))
    print(f"{'MB':>7} {'files':>6} {'wall s':>8} {'MB/s':>7} {'CPU s':>7} {'CPU s/MB':>8} "
          f"{'peak MiB':>9} {'load':>5}  result")
    for mb in args.mb:
        folder = work / f"iati-{mb:g}mb"
        if not folder.exists():
            make_folder(folder, mb)
        files = list(folder.glob("*.xml"))
        size = sum(f.stat().st_size for f in files) / 1e6
        out = work / f"out-{mb:g}mb.parquet"
        shutil.rmtree(out, ignore_errors=True)
        for f in work.glob(f"out-{mb:g}mb.rejects*.csv"):
            f.unlink()
        load = os.getloadavg()[0]
        r = run(folder, out)
        last = r["err"].splitlines()[-1] if r["err"] else ""
        print(f"{size:7.1f} {len(files):>6} {r['wall']:8.1f} {size / r['wall']:7.2f} "
              f"{r['cpu']:7.1f} {r['cpu'] / size:8.3f} {r['peak'] / 2**20:9.0f} {load:5.1f}  "
              f"{last if r['rc'] == 0 else 'exit ' + str(r['rc']) + ': ' + last}")
        print(f"        CPU s of the command's own process (the workers' results written): "
              f"{r['main_cpu']:.1f}")
        s = r["samples"]
        if len(s) >= 10:     # flat memory: the summed RSS by tenths of the run
            tenths = [max(s[k * len(s) // 10:(k + 1) * len(s) // 10]) / 2**20 for k in range(10)]
            print("        summed RSS by tenth of the run, MiB: "
                  + " ".join(f"{x:.0f}" for x in tenths))
    if args.cpu_mb:
        cpu_rate(work, args.cpu_mb)
    return 0


def cpu_rate(work: Path, mb: float, turns: int = 3) -> None:
    """MB of XML per CPU second of one process reading and checking, and of
    each stage on its own (the best of ``turns``: CPU time, which other
    processes' load moves less than wall time): lxml's parse alone (the
    floor), ``read_iati`` (parse and the IATI mapping, records made),
    ``bulk.checked`` (the one rule engine over the records, the bulk rows
    made) and the whole ``read_batch``.  On an idle 2-core machine the
    command runs at about twice the whole rate (two worker processes)."""
    sys.path.insert(0, str(ROOT))
    from lxml import etree

    from ledger.imports.bulk import checked, read_batch
    from ledger.imports.common import few_collections
    from ledger.imports.iati import read_iati

    folder = work / f"iati-{mb:g}mb"
    if not folder.exists():
        make_folder(folder, mb)
    files = sorted(str(f) for f in folder.glob("*.xml"))
    size = sum(Path(f).stat().st_size for f in files) / 1e6
    read_batch("iati", files[:1], None, None)       # imports done before the clock starts

    def best(fn):
        times = []
        for _ in range(turns):
            with few_collections():      # as read_batch runs
                t = time.process_time()
                out = fn()
                times.append(time.process_time() - t)
        return min(times), out

    parse, _ = best(lambda: [etree.parse(f) for f in files])
    read, results = best(lambda: [read_iati(f) for f in files])
    docs = [r.document["id"] for r in results if r.document]
    check, _ = best(lambda: checked(results, docs))
    whole, (table, _, _) = best(lambda: read_batch("iati", files, None, None))
    print(f"one process, {size:.1f} MB ({table.num_rows:,} rows), best of {turns}, "
          f"load {os.getloadavg()[0]:.1f}:")
    for what, cpu in (("lxml parse alone", parse), ("read_iati (parse + mapping)", read),
                      ("checked (rule engine + bulk rows)", check), ("read_batch (all)", whole)):
        print(f"  {what:<36} {cpu:6.2f} CPU s  {cpu / size:6.3f} CPU s/MB  "
              f"{size / cpu:6.1f} MB per CPU second")
    print(f"  an idle 2-core machine: about {2 * size / whole:.1f} MB/s for the command "
          f"(two workers at the whole rate)")


if __name__ == "__main__":
    sys.exit(main())
