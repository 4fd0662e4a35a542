"""How fast is a spreadsheet import (CSV, XLSX), merged cells and malformed rows included?

    python benchmarks/bench_import_table.py [--xlsx-rows 50000] [--csv-rows 100000]
        [--malformed 0.2] [--code DIR ...] [--to] [--turns 1] [--work DIR] [--only NAME ...]

Generates (once, in --work) the inputs below and times ``ledger-tool import
FILE -o NEW.toml`` (``--to NEW.parquet`` with --to) as a whole command in a
fresh, niced process, once per code tree given with --code (default: this
checkout), the trees in turns so that they share the machine's load:
CPU seconds (user + system: the better guide on a shared machine), wall
seconds and the process's peak resident memory (getrusage of the child).
The load average is printed beside each run.

  xlsx-plain      XLSX, ROWS rows x 10 columns, no merged cell
  xlsx-one-merge  the same with one cell merged down two rows (a footnote)
  xlsx-merged     split entries of 1-3 rows, their id, date, funder,
                  currency, source and quote merged down their rows (one
                  merged range per entry and column)
  csv-clean       CSV, ROWS rows x 10 columns
  csv-malformed   the same with a share of the rows (--malformed) given an
                  unquoted thousands comma (a cell too many)

Not a test: it prints figures (benchmarks/README.md).
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["id", "date", "funder", "purpose", "amount", "currency", "period", "status", "source",
          "quote"]
CASES = ("xlsx-plain", "xlsx-one-merge", "xlsx-merged", "csv-clean", "csv-malformed")


def _row(k: int, j: int = 0) -> list:
    """Row ``j`` of entry ``k``: its purpose and share its own, the rest the entry's."""
    return [f"e{k:07d}", f"20{10 + k % 15}-0{1 + k % 9}-1{k % 9}", f"Funders:F{k % 40:02d}",
            f"Purposes:P{(k + j) % 60:02d}", 1000 + (k * 7 + j) % 90000,
            ("GBP", "EUR", "USD")[k % 3], "over 3 years" if k % 4 else "one-off",
            "pledged" if k % 5 else "committed", f"doc-{k % 300:04d}",
            f"{1000 + k * 7 % 90000} over three years"]


def make_xlsx(path: Path, rows: int, how: str) -> None:
    """Written in openpyxl's write-only mode, the ``<mergeCells>`` element put
    into the sheet's XML afterwards (openpyxl's merge_cells checks each new
    range against every one before it: about 80,000 ranges ran for over ten
    minutes, unfinished)."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Pledges")
    ws.append(HEADER)
    k = n = 0
    merges: list[str] = []
    while n < rows:
        parts = 1 + k % 3 if how == "merged" else 1
        parts = min(parts, rows - n)
        for j in range(parts):
            r = _row(k, j)
            if j:   # the entry's own cells given once, in the merged top cell
                for c in (0, 1, 2, 5, 8, 9):
                    r[c] = None
            ws.append(r)
        if parts > 1:
            top = n + 2
            merges += [f"{c}{top}:{c}{top + parts - 1}" for c in "ABCFIJ"]
        n += parts
        k += 1
    if how == "one-merge":   # a footnote below the table, merged down two rows
        ws.append(["Note: amounts as announced"])
        ws.append([None])
        merges.append(f"A{rows + 2}:A{rows + 3}")
    wb.save(path)
    if merges:
        with zipfile.ZipFile(path) as z:
            items = {i.filename: z.read(i.filename) for i in z.infolist()}
        part = "xl/worksheets/sheet1.xml"
        cells = "".join(f'<mergeCell ref="{m}"/>' for m in merges)
        items[part] = items[part].replace(
            b"</sheetData>", f'</sheetData><mergeCells count="{len(merges)}">{cells}'
                             f"</mergeCells>".encode(), 1)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in items.items():
                z.writestr(name, data)


def make_csv(path: Path, rows: int, malformed: float) -> None:
    import csv

    rng = random.Random(5)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for k in range(rows):
            r = [str(c) for c in _row(k)]
            if rng.random() < malformed:
                fh.write(",".join(r[:4] + [f"1,{int(r[4]) % 1000:03d}"] + r[5:]) + "\n")
            else:
                w.writerow(r)


def inputs(work: Path, args) -> dict[str, Path]:
    out = {}
    for name in args.only or CASES:
        if name.startswith("xlsx"):
            p = work / f"{name}-{args.xlsx_rows}.xlsx"
            if not p.exists():
                make_xlsx(p, args.xlsx_rows, name.split("-", 1)[1])
        else:
            share = args.malformed if name == "csv-malformed" else 0.0
            p = work / f"{name}-{args.csv_rows}-{share:g}.csv"
            if not p.exists():
                make_csv(p, args.csv_rows, share)
        out[name] = p
    return out


def run(tree: Path, src: Path, work: Path, to: bool) -> dict:
    """``ledger-tool import SRC`` with the code of ``tree``, niced: CPU, wall, peak RSS."""
    out = work / ("new.parquet" if to else "new.toml")
    subprocess.run(["rm", "-rf", str(out)], check=True)
    for f in work.glob("new.rejects*.csv"):
        f.unlink()
    env = {"PYTHONPATH": str(tree), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "LEDGER_TOOL_NO_PROGRESS": "1"}
    load = os.getloadavg()[0]
    t = time.perf_counter()
    p = subprocess.Popen(["nice", sys.executable, "-m", "ledger_tool", "import", str(src),
                          "--to" if to else "-o", str(out)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=env, cwd=work, text=True)
    err = p.stderr.read() if p.stderr else ""
    _, status, use = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    last = err.strip().splitlines()[-1] if err.strip() else ""
    return {"rc": os.waitstatus_to_exitcode(status), "cpu": use.ru_utime + use.ru_stime,
            "wall": wall, "peak": use.ru_maxrss / 1024, "load": load, "last": last}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xlsx-rows", type=int, default=50_000)
    ap.add_argument("--csv-rows", type=int, default=100_000)
    ap.add_argument("--malformed", type=float, default=0.2)
    ap.add_argument("--code", type=Path, nargs="*", default=[ROOT],
                    help="code trees to compare, run in turns (default: this checkout)")
    ap.add_argument("--to", action="store_true", help="import --to NEW.parquet, not -o NEW.toml")
    ap.add_argument("--turns", type=int, default=1)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--only", nargs="*", choices=CASES)
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-import-table-"))
    work.mkdir(parents=True, exist_ok=True)
    files = inputs(work, args)
    print(f"{'input':<15} {'code':<28} {'CPU s':>7} {'wall s':>7} {'peak MiB':>9} {'load':>5}  "
          f"result")
    for name, src in files.items():
        for _ in range(args.turns):
            for tree in args.code:
                r = run(tree.resolve(), src, work, args.to)
                print(f"{name:<15} {str(tree)[-28:]:<28} {r['cpu']:7.2f} {r['wall']:7.2f} "
                      f"{r['peak']:9.0f} {r['load']:5.1f}  "
                      f"{'' if r['rc'] == 0 else 'exit ' + str(r['rc']) + ': '}{r['last'][-90:]}",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
