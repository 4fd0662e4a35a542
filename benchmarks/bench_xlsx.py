"""How fast can an Entries sheet of N rows be written?  (issues 7 and 13)

    python benchmarks/bench_xlsx.py [ROWS] [--writers openpyxl-write-only xlsxwriter ...]

Writes ROWS rows shaped like the report's Entries sheet (19 columns: text,
dates, Decimal money with a number format per currency, a rate) with each
writer, the way that writer is fastest, each in its own process, and prints
wall time, CPU time (user + system: the better guide on a shared machine),
peak memory and the file's size.  Excel holds at most 1,048,576 rows a
sheet, so rows beyond that go to further sheets ("Entries (2)"...).

Writers: ``openpyxl`` (normal, in-memory mode), ``openpyxl-write-only``
(streaming; Excel tables, charts and print titles still possible),
``xlsxwriter`` (``constant_memory``: streaming, but no ``add_table``),
``xlsxwriter-memory`` (XlsxWriter's default mode: tables possible, every cell
held until close), ``pyexcelerate`` (when installed; not a dependency).
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
COLUMNS = ["id", "date", "funder", "purpose", "amount as written", "qualifier",
           "original amount", "original currency", "normalised", "report currency", "rate",
           "rate date", "rate source", "period", "status", "counted", "links", "sources",
           "quotes"]
MONEY = {"GBP": '"£"#,##0.00', "EUR": '#,##0.00 "€"', "USD": '"US$"#,##0.00'}
CURRENCIES = ["GBP", "EUR", "USD"]
DATE_COLS = (1, 11)
FORMATTED = {6: "original", 8: "normalised", 10: "rate"}


def rows(n: int):
    import datetime as dt
    from decimal import Decimal
    d0 = dt.date(1999, 1, 4)
    for i in range(n):
        cur = CURRENCIES[i % 3]
        day = d0 + dt.timedelta(days=i % 9000)
        yield [f"gen-{i:07d}", day, f"Funders:F{i % 20:02d}", f"Purposes:P{i % 30:02d}:sub",
               f"{cur} {1234567 + i:,}", "exact" if i % 4 else "up to",
               Decimal(1234567 + i) + Decimal("0.89"), cur,
               Decimal(1050000 + i) + Decimal("0.12"), "GBP", 0.851234, day,
               "ECB reference rate" if cur != "GBP" else "same currency",
               "over 3 years" if i % 3 else "one-off", "pledged", "yes" if i % 20 else "no",
               "" if i % 20 else f"disburses gen-{i - 1:07d}", f"doc-{i % 500:04d}",
               f"£{i % 90 + 1} million over three years"]


def write(writer: str, n: int, path: Path) -> None:
    sheets = max(1, -(-n // (EXCEL_ROWS - 1)))
    per = EXCEL_ROWS - 1
    it = rows(n)
    if writer == "openpyxl":
        from openpyxl import Workbook
        wb = Workbook()
        del wb[wb.active.title]
        for s in range(sheets):
            ws = wb.create_sheet(f"Entries ({s + 1})" if s else "Entries")
            ws.append(COLUMNS)
            for k, r in zip(range(per), it):
                ws.append(r)
                row = k + 2
                ws.cell(row, 7).number_format = MONEY[r[7]]
                ws.cell(row, 9).number_format = MONEY["GBP"]
                ws.cell(row, 11).number_format = "0.000000"
        wb.save(path)
    elif writer == "openpyxl-write-only":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        wb = Workbook(write_only=True)
        for s in range(sheets):
            ws = wb.create_sheet(f"Entries ({s + 1})" if s else "Entries")
            ws.append(COLUMNS)
            for _, r in zip(range(per), it):
                for j, fmt in ((6, MONEY[r[7]]), (8, MONEY["GBP"]), (10, "0.000000")):
                    c = WriteOnlyCell(ws, value=r[j])
                    c.number_format = fmt
                    r[j] = c
                ws.append(r)
        wb.save(path)
    elif writer.startswith("xlsxwriter"):
        import xlsxwriter
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": writer == "xlsxwriter"})
        money = {c: wb.add_format({"num_format": f}) for c, f in MONEY.items()}
        rate = wb.add_format({"num_format": "0.000000"})
        date = wb.add_format({"num_format": "yyyy-mm-dd"})
        for s in range(sheets):
            ws = wb.add_worksheet(f"Entries ({s + 1})" if s else "Entries")
            ws.write_row(0, 0, COLUMNS)
            ws_s, ws_n, ws_d = ws.write_string, ws.write_number, ws.write_datetime
            for k, r in zip(range(per), it):
                row = k + 1
                for j, v in enumerate(r):
                    if j in DATE_COLS:
                        ws_d(row, j, v, date)
                    elif j == 6:
                        ws_n(row, j, v, money[r[7]])
                    elif j == 8:
                        ws_n(row, j, v, money["GBP"])
                    elif j == 10:
                        ws_n(row, j, v, rate)
                    elif v != "":
                        ws_s(row, j, v)
        wb.close()
    elif writer == "pyexcelerate":
        from pyexcelerate import Format, Style, Workbook
        wb = Workbook()
        for s in range(sheets):
            data = [COLUMNS] + [r for _, r in zip(range(per), it)]
            ws = wb.new_sheet(f"Entries ({s + 1})" if s else "Entries", data=data)
            ws.set_col_style(9, Style(format=Format(MONEY["GBP"])))
        wb.save(str(path))
    else:
        raise SystemExit(f"unknown writer {writer!r}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", nargs="?", type=int, default=100_000)
    ap.add_argument("--writers", nargs="+",
                    default=["openpyxl-write-only", "xlsxwriter", "xlsxwriter-memory",
                             "openpyxl", "pyexcelerate"])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        with tempfile.TemporaryDirectory(prefix="bench-xlsx-") as d:
            p = Path(d) / "entries.xlsx"
            r0 = resource.getrusage(resource.RUSAGE_SELF)
            t = time.perf_counter()
            write(a.child, a.rows, p)
            secs = time.perf_counter() - t
            r1 = resource.getrusage(resource.RUSAGE_SELF)
            size = p.stat().st_size
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        print(json.dumps({"seconds": secs, "cpu": cpu, "bytes": size,
                          "maxrss_mb": r1.ru_maxrss / 1024}))
        return 0
    for w in a.writers:
        p = subprocess.run([sys.executable, __file__, str(a.rows), "--child", w],
                           capture_output=True, text=True)
        if p.returncode:
            last = (p.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{w:22s} skipped: {last}")
            continue
        r = json.loads(p.stdout.strip().splitlines()[-1])
        print(f"{w:22s} {a.rows:>9,} rows  {r['seconds']:7.1f} s (cpu {r['cpu']:6.1f} s)  "
              f"peak {r['maxrss_mb']:6.0f} MiB  {r['bytes'] / 2**20:6.1f} MiB file  "
              f"({a.rows / r['cpu']:,.0f} rows per cpu-second)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
