"""How fast can an Entries sheet of N rows be written?  (issue 7, workbook target)

    .venv/bin/python benchmarks/bench_xlsx.py [ROWS] [--writers openpyxl openpyxl-write-only xlsxwriter]

Writes ROWS rows × 15 columns shaped like the report's Entries sheet (text,
dates, money with a number format) with each writer, in its own process,
and prints the wall time and peak memory.  Excel holds at most 1,048,576 rows
a sheet, so rows beyond that go to further sheets ("Entries (2)"...).
xlsxwriter and pyexcelerate are measured only when installed (neither is a
dependency).
Not a test: it prints figures.
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

EXCEL_ROWS = 1_048_576
COLUMNS = ["id", "date", "funder", "purpose", "status", "qualifier", "period", "counted",
           "original amount", "original currency", "rate", "rate date", "normalised",
           "currency", "quotes"]


def rows(n: int):
    import datetime as dt
    d0 = dt.date(1999, 1, 4)
    for i in range(n):
        yield [f"e{i:07d}", d0 + dt.timedelta(days=i % 9800), "UK:Home Office",
               "Security:Calais port", "pledged", "exact", "over 3 years", "yes",
               1234567.89 + i, "EUR", 0.85123, d0 + dt.timedelta(days=i % 9800),
               1050000.12 + i, "GBP", "£12 million (€15 million, $19 million)"]


def write(writer: str, n: int, path: Path) -> None:
    sheets = max(1, -(-n // (EXCEL_ROWS - 1)))
    per = EXCEL_ROWS - 1
    it = rows(n)
    if writer.startswith("openpyxl"):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        wb = Workbook(write_only=writer.endswith("write-only"))
        money = '#,##0.00 "GBP"'
        for s in range(sheets):
            ws = wb.create_sheet(f"Entries ({s + 1})" if s else "Entries")
            if not writer.endswith("write-only"):
                ws.append(COLUMNS)
                for k, r in zip(range(per), it):
                    ws.append(r)
                    ws.cell(row=k + 2, column=13).number_format = money
            else:
                ws.append(COLUMNS)
                for k, r in zip(range(per), it):
                    c = WriteOnlyCell(ws, value=r[12])
                    c.number_format = money
                    ws.append(r[:12] + [c] + r[13:])
        if not writer.endswith("write-only") and "Sheet" in wb.sheetnames:
            del wb["Sheet"]
        wb.save(path)
    elif writer == "xlsxwriter":
        import xlsxwriter
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        money = wb.add_format({"num_format": '#,##0.00 "GBP"'})
        date = wb.add_format({"num_format": "yyyy-mm-dd"})
        for s in range(sheets):
            ws = wb.add_worksheet(f"Entries ({s + 1})" if s else "Entries")
            ws.write_row(0, 0, COLUMNS)
            for k, r in zip(range(per), it):
                ws.write_row(k + 1, 0, r[:1])
                ws.write_datetime(k + 1, 1, r[1], date)
                ws.write_row(k + 1, 2, r[2:11])
                ws.write_datetime(k + 1, 11, r[11], date)
                ws.write_number(k + 1, 12, r[12], money)
                ws.write_row(k + 1, 13, r[13:])
        wb.close()
    elif writer == "pyexcelerate":
        from pyexcelerate import Workbook
        wb = Workbook()
        for s in range(sheets):
            data = [COLUMNS] + [r for _, r in zip(range(per), it)]
            ws = wb.new_sheet(f"Entries ({s + 1})" if s else "Entries", data=data)
            ws.set_col_style(13, _pyx_money())
        wb.save(str(path))
    else:
        raise SystemExit(f"unknown writer {writer!r}")


def _pyx_money():
    from pyexcelerate import Format, Style
    return Style(format=Format('#,##0.00 "GBP"'))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", nargs="?", type=int, default=100_000)
    ap.add_argument("--writers", nargs="+",
                    default=["openpyxl", "openpyxl-write-only", "xlsxwriter", "pyexcelerate"])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "entries.xlsx"
            t = time.perf_counter()
            write(a.child, a.rows, p)
            secs = time.perf_counter() - t
            size = p.stat().st_size
        print(json.dumps({"seconds": secs, "bytes": size,
                          "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        return 0
    for w in a.writers:
        p = subprocess.run([sys.executable, __file__, str(a.rows), "--child", w],
                           capture_output=True, text=True)
        if p.returncode:
            last = (p.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{w:22s} skipped: {last}")
            continue
        r = json.loads(p.stdout.strip().splitlines()[-1])
        print(f"{w:22s} {a.rows:>9,} rows  {r['seconds']:7.1f} s  peak {r['maxrss_mb']:6.0f} MiB  "
              f"{r['bytes'] / 2**20:6.1f} MiB file  ({a.rows / r['seconds']:,.0f} rows/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
