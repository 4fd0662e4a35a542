"""IATI import to a Parquet dataset at size: MB of XML per second, peak memory.

    .venv/bin/python benchmarks/bench_import_dataset.py [--mb 100 300] [--work DIR]

For each size, a folder of copies of the real IATI files in
tests/fixtures/real/iati with new identifiers (``benchmarks/iati_folder.py``),
then ``ledger-tool import --from iati FOLDER --to OUT.parquet`` as a whole
command in a fresh process: wall time, MB of XML per second of wall time,
and the peak resident memory of the command's own process (its worker
processes are children of the forkserver, not counted there).  The load
average is printed beside it: on a shared machine wall time is worth what
the load leaves.  Then the CPU rate of one process (``read_batch``, reading
and checking, timed by ``time.process_time`` on the first ``--cpu-mb`` MB),
which the load does not change: the command's rate on an idle machine is
about that times the number of cores.  Nothing here is a test.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from iati_folder import make_folder  # noqa: E402


def run(folder: Path, out: Path) -> dict:
    cmd = [sys.executable, "-m", "ledger_tool", "import", "--from", "iati", str(folder),
           "--to", str(out)]
    wrapper = ("import resource, subprocess, sys, json, time; t = time.perf_counter(); "
               "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
               "print(json.dumps({'rc': p.returncode, 'wall': time.perf_counter() - t, "
               "'maxrss_kb': r.ru_maxrss, "
               "'err': p.stderr.strip()[-300:]}))")
    env = {"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    p = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True,
                       env=env, cwd=out.parent)
    return json.loads(p.stdout)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[100])
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--cpu-mb", type=float, default=10)
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-import-dataset-"))
    print(f"{'MB':>7} {'files':>6} {'wall s':>8} {'MB/s':>7} {'peak MiB':>9} "
          f"{'load':>5}  result")
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
        print(f"{size:7.1f} {len(files):>6} {r['wall']:8.1f} "
              f"{size / r['wall']:7.2f} {r['maxrss_kb'] / 1024:9.0f} {load:5.1f}  "
              f"{last if r['rc'] == 0 else 'exit ' + str(r['rc']) + ': ' + last}")
    cpu_rate(work, args.cpu_mb)
    return 0


def cpu_rate(work: Path, mb: float) -> None:
    """MB of XML per CPU second of one process reading and checking."""
    import time

    sys.path.insert(0, str(ROOT))
    from ledger.imports.bulk import read_batch

    folder = work / f"iati-{mb:g}mb"
    if not folder.exists():
        make_folder(folder, mb)
    files = sorted(str(f) for f in folder.glob("*.xml"))
    size = sum(Path(f).stat().st_size for f in files) / 1e6
    read_batch("iati", files[:1], None, None)       # imports done before the clock starts
    t = time.process_time()
    table, _, _ = read_batch("iati", files, None, None)
    cpu = time.process_time() - t
    print(f"one process: {size:.1f} MB read and checked in {cpu:.1f} CPU s = "
          f"{size / cpu:.2f} MB per CPU second ({table.num_rows:,} rows)")


if __name__ == "__main__":
    sys.exit(main())
