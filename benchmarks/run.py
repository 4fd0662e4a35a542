"""Benchmark ledger-tool at scale (issue 7): wall time and peak memory per stage.

    .venv/bin/python benchmarks/run.py --entries 10000 100000 1000000 [--peers]
        [--work DIR] [--seed 1] [--only STAGE ...] [--timeout SECONDS]

For each size it generates a ledger (benchmarks/generate.py; kept in
``--work`` and reused when already there), then runs every stage in its own
Python process so that the peak memory (``ru_maxrss``) of one stage is not
polluted by another:

| stage | what is timed |
| --- | --- |
| journal-read | ``read_journal_book``: the TOML journal read and checked column-wise into the Book, no cache (cold) |
| journal-columns | the column reader: ``read_journal_frame``, read and checked into the base frame, no cache (cold) |
| cli-check | ``ledger-tool check LEDGER`` with the cache off: a fresh process, start-up and imports included |
| journal-warm | ``ledger.read.load_frame`` from the cache of the parsed ledger |
| bulk-csv, bulk-parquet | ``ledger.read.table.read_bulk``: loaded and checked, columnar |
| normalise | ``rates.normalise.normalise``: GBP at the entry date, spread into calendar years |
| aggregate | funder × purpose × year sums of the primary entries |
| e2e-* | load + check + normalise + aggregate in one fresh process, including Python start-up and imports (``wall``) |
| report-tables, xlsx, charts | the reports engineer's ``build_report``, ``write_workbook``, ``write_charts`` |
| cli-report | ``ledger-tool report LEDGER --out DIR`` end to end |

``--peers`` exports the same ledger with ``reports.export`` (hledger and
beancount journals; ledger-cli reads the hledger file) and times the nearest
report of each installed tool: ``hledger bal -Y -X GBP --value=then``,
``ledger bal/reg -X GBP -H --yearly``, and a bean-query with
``CONVERT(position, 'GBP', date)`` by year.  A missing tool is skipped with a
note.  Totals are compared with ledger-tool's own figures for the same basis
(amounts as recorded, valued at the entry date).

Figures are wall-clock seconds on whatever else the machine is doing; CPU
seconds are printed too.  Nothing here is a test: it prints figures.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

STAGES = ["journal-read", "journal-columns", "cli-check", "journal-warm", "bulk-csv", "bulk-parquet",
          "normalise", "aggregate", "e2e-bulk-csv", "e2e-bulk-parquet", "e2e-journal-warm",
          "e2e-journal-cold", "report-tables", "xlsx", "charts", "cli-report"]
# stages that need Entry objects for every entry (slow at 1M; see README)
ENTRY_STAGES = {"report-tables", "xlsx", "charts", "cli-report"}


# ------------------------------------------------------------------ stages
def _normalise(frame):
    from rates.normalise import normalise
    # the bulk options: exact integer minor units, no Decimal objects; text as categories
    return normalise(frame, currency="GBP", valuation="entry-date", basis="total",
                     years="calendar", decimals=False, categorical=True)


def _aggregate(out):
    prim = out[out["primary"].to_numpy(dtype=bool)]
    return prim.groupby(["funder", "purpose", "year"], sort=True)["value_minor"].sum()


def _bulk(d: Path, kind: str):
    from ledger.read.table import read_bulk
    frame, problems = read_bulk(d / f"entries.{kind}")
    errs = [p for p in problems if p.severity == "error"]
    if errs:
        raise SystemExit(f"bulk file has errors: {errs[:3]}")
    return frame


def stage(name: str, d: Path, scratch: Path) -> dict:
    """Run one stage in this process; returns figures (seconds, counts)."""
    t0 = time.perf_counter()
    res: dict = {}
    if name == "journal-read":
        from ledger.read.journal_columns import read_journal_book
        t = time.perf_counter()
        book = read_journal_book(d)
        res["seconds"] = time.perf_counter() - t
        res["entries"] = len(book)
        res["errors"] = len(book.errors)
    elif name == "journal-columns":
        from ledger.read.journal_columns import read_journal_frame
        t = time.perf_counter()
        got, _ = read_journal_frame(d)
        res["seconds"] = time.perf_counter() - t
        res["entries"] = got.entries
        res["rows"] = len(got.frame)
    elif name == "cli-check":
        exe = REPO / ".venv" / "bin" / "ledger-tool"
        t = time.perf_counter()
        p = subprocess.run([str(exe), "check", str(d)], capture_output=True, text=True,
                           env={**os.environ, "LEDGER_TOOL_CACHE": "off"})
        res["seconds"] = time.perf_counter() - t
        res["exit"] = p.returncode
        res["child_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    elif name == "journal-warm":
        from ledger.read import load_frame
        t = time.perf_counter()
        r = load_frame(d)
        res["seconds"] = time.perf_counter() - t
        res["hit"] = r.hit
        res["rows"] = len(r.frame)
    elif name in ("bulk-csv", "bulk-parquet"):
        t = time.perf_counter()
        f = _bulk(d, name.split("-")[1])
        res["seconds"] = time.perf_counter() - t
        res["rows"] = len(f)
    elif name in ("normalise", "aggregate"):
        f = _bulk(d, "parquet")
        t = time.perf_counter()
        out = _normalise(f)
        res["normalise"] = time.perf_counter() - t
        t = time.perf_counter()
        agg = _aggregate(out)
        res["aggregate"] = time.perf_counter() - t
        res["seconds"] = res[name]
        res["rows_out"] = len(out)
        res["total_minor"] = int(agg.sum())
    elif name.startswith("e2e-"):
        t = time.perf_counter()
        if name.startswith("e2e-bulk"):
            f = _bulk(d, name.rsplit("-", 1)[1])
        else:
            from ledger.read import load_frame
            r = load_frame(d, use_cache=(name == "e2e-journal-warm"))
            if r.errors:
                raise SystemExit(f"ledger has errors: {r.errors[:3]}")
            f = r.frame
            res["hit"] = r.hit
        res["load"] = time.perf_counter() - t
        out = _normalise(f)
        res["normalise"] = time.perf_counter() - t - res["load"]
        agg = _aggregate(out)
        res["seconds"] = time.perf_counter() - t
        res["groups"] = len(agg)
        res["total_minor"] = int(agg.sum())
    elif name in ("report-tables", "xlsx", "charts"):
        import ledger
        from reports.tables import ReportOptions, build_report
        t = time.perf_counter()
        book = ledger.load(d)
        res["load"] = time.perf_counter() - t
        t = time.perf_counter()
        report = build_report(book, ReportOptions(currency="GBP"))
        res["report-tables"] = time.perf_counter() - t
        if name == "xlsx":
            from reports.workbook import write_workbook
            t = time.perf_counter()
            write_workbook(scratch / "report.xlsx", report)
            res["xlsx"] = time.perf_counter() - t
            res["bytes"] = (scratch / "report.xlsx").stat().st_size
        if name == "charts":
            from reports.charts import write_charts
            t = time.perf_counter()
            write_charts(report, scratch)
            res["charts"] = time.perf_counter() - t
        res["seconds"] = res[name]
    elif name == "cli-report":
        exe = REPO / ".venv" / "bin" / "ledger-tool"
        t = time.perf_counter()
        p = subprocess.run([str(exe), "report", str(d), "--out", str(scratch / "cli")],
                           capture_output=True, text=True)
        res["seconds"] = time.perf_counter() - t
        res["exit"] = p.returncode
        if p.returncode:
            res["stderr"] = p.stderr.strip().splitlines()[-1:] if p.stderr else []
        # the child's peak memory
        res["child_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    else:
        raise SystemExit(f"unknown stage {name!r}")
    res["in_process"] = time.perf_counter() - t0
    return res


def run_stage(name: str, d: Path, timeout: float, env=None) -> dict:
    """Run a stage in a fresh interpreter; add its wall time and peak memory."""
    scratch = d / ".bench-scratch"
    scratch.mkdir(exist_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", name, "--dir", str(d)]
    t = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - t
    line = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    if p.returncode or not line.startswith("{"):
        tail = (p.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"exit {p.returncode}: {tail[:200]}", "wall": wall}
    res = json.loads(line)
    res["wall"] = wall
    return res


def child_main(name: str, d: Path) -> None:
    scratch = d / ".bench-scratch"
    res = stage(name, d, scratch)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    res["maxrss_mb"] = ru.ru_maxrss / 1024
    res["cpu"] = ru.ru_utime + ru.ru_stime
    print(json.dumps(res))


# ------------------------------------------------------------------ peers
def _which(*names):
    for n in names:
        p = shutil.which(n) or (shutil.which(n, path="/tmp/peers/bin"))
        if p:
            return p
    return None


def _time_cmd(cmd, timeout):
    t = time.perf_counter()
    try:
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, f"timed out after {timeout:.0f} s"
    wall = time.perf_counter() - t
    lines = p.stderr.strip().splitlines()
    mem = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else None
    if p.returncode:
        return wall, mem, f"exit {p.returncode}: {' '.join(lines[-3:-1])[:300]}"
    return wall, mem, p.stdout


def _money(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("GBP", "").replace("£", "").strip() or "0")


def peers(d: Path, timeout: float) -> dict:
    """Export, time the peers' by-year converted reports, and compare totals."""

    import ledger
    from reports import export

    out: dict = {}
    t = time.perf_counter()
    book = ledger.load(d)
    hl, bc = d / "peer.hledger", d / "peer.beancount"
    if not hl.exists():
        export.write(book, "hledger", hl)
    if not bc.exists():
        export.write(book, "beancount", bc)
    out["export_seconds"] = time.perf_counter() - t
    # ledger-tool's figure on the same basis: as recorded, at the entry date
    v = export.valued(book, currency="GBP")
    # every entry posts its amount to Purposes (secondary ones too).  The report
    # rounds each entry to the penny; the peers sum unrounded products and round
    # once, so both figures are given.
    out["ours_total"] = str(sum(v["value"], Decimal(0)))
    exact = sum((Decimal(a) * Decimal(r) for a, r in zip(v["amount"], v["rate"])), Decimal(0))
    out["ours_exact"] = str(exact.quantize(Decimal("0.01")))

    res = {}
    hledger = _which("hledger")
    if hledger:
        wall, mem, txt = _time_cmd([hledger, "-f", str(hl), "bal", "Purposes", "-Y", "-X", "GBP",
                                    "--value=then", "-T", "-O", "csv"], timeout)
        r = {"wall": wall, "maxrss_mb": mem}
        if txt is not None and wall is not None and not str(txt).startswith(("exit", "timed")):
            last = [ln for ln in txt.strip().splitlines() if ln.lower().startswith('"total')]
            if last:
                cells = [c.strip('"') for c in last[-1].split('","')]
                r["total"] = str(_money(cells[-1]))  # the row total (-T)
        else:
            r["error"] = txt
        res["hledger"] = r
    else:
        res["hledger"] = {"note": "hledger not installed (apt-get install hledger)"}
    ledger_cli = _which("ledger")
    if ledger_cli:
        wall, mem, txt = _time_cmd([ledger_cli, "-f", str(hl), "bal", "^Purposes", "-X", "GBP",
                                    "-H", "--flat", "--no-color"], timeout)
        r = {"wall": wall, "maxrss_mb": mem}
        if txt is not None and not str(txt).startswith(("exit", "timed")):
            lines = [ln for ln in txt.strip().splitlines() if ln.strip()]
            m = re.search(r"(-?[\d,]+\.\d+)\s*GBP", lines[-1]) if lines else None
            if m:
                r["total"] = str(_money(m.group(1)))
        else:
            r["error"] = txt
        wall2, mem2, txt2 = _time_cmd([ledger_cli, "-f", str(hl), "reg", "^Purposes", "-X", "GBP",
                                       "-H", "--yearly", "--no-color"], timeout)
        r["reg_yearly_wall"] = wall2
        r["reg_yearly_maxrss_mb"] = mem2
        res["ledger-cli"] = r
    else:
        res["ledger-cli"] = {"note": "ledger not installed (apt-get install ledger)"}
    bq = _which("bean-query")
    if bq:
        q = ("SELECT year, SUM(CONVERT(position, 'GBP', date)) AS total "
             "WHERE account ~ '^Expenses:Purposes' GROUP BY year ORDER BY year")
        wall, mem, txt = _time_cmd([bq, str(bc), q], timeout)
        r = {"wall": wall, "maxrss_mb": mem}
        if txt is not None and not str(txt).startswith(("exit", "timed")):
            total = Decimal(0)
            for ln in txt.splitlines():
                m = re.match(r"\s*\d{4}\s+(-?[\d,]+\.\d+)\s+GBP", ln)
                if m:
                    total += _money(m.group(1))
                    # other currencies left unconverted would show on the same line
            r["total"] = str(total)
        else:
            r["error"] = txt
        res["beancount"] = r
    else:
        res["beancount"] = {"note": "bean-query not installed (pip install beancount beanquery)"}
    out["peers"] = res
    return out


# ------------------------------------------------------------------ commands
# What users run (issue 13): each command a whole fresh process, as typed.
# (label, args, cache): cache "warm" = primed by an untimed run, "off" = none.
COMMANDS = [
    ("check, cold", ["check", "{L}"], "off"),
    ("check, warm", ["check", "{L}"], "warm"),
    ("list --format csv, warm", ["list", "{L}", "--format", "csv"], "warm"),
    ("balance --currency GBP, warm", ["balance", "{L}", "--currency", "GBP", "--format", "json"],
     "warm"),
    ("balance --currency GBP, cold", ["balance", "{L}", "--currency", "GBP", "--format", "json"],
     "off"),
    ("balance --currency GBP --basis recorded, warm",
     ["balance", "{L}", "--currency", "GBP", "--basis", "recorded", "--format", "json"], "warm"),
    ("balance --currency GBP, bulk Parquet",
     ["balance", "{P}", "--currency", "GBP", "--format", "json"], "off"),
    ("report --out D, warm", ["report", "{L}", "--out", "{D}", "--format", "json"], "warm"),
    ("export --to hledger, warm", ["export", "{L}", "--to", "hledger", "-o", "{E}"], "warm"),
]
# ledger-cli reads the export as recorded (one transaction per entry, P directives),
# written untimed: the timed export above is the default one, by year to the horizon
# ledger-cli's market() balance of the hledger export (the peer), and the
# same restricted to what ledger-tool counts (purposes of entries not linked to
# another: the export notes them 'secondary'), for the equal-totals check
LEDGER_CLI = [
    ("ledger-cli bal market()", ["bal", "--amount", 'market(amount, date, "GBP")']),
    ("ledger-cli bal ^Purposes not secondary, market()",
     ["bal", "^Purposes", "and", "not", "note", "secondary", "--amount",
      'market(amount, date, "GBP")', "--flat"]),
]


# hledger and beancount on the same export and basis (as recorded, valued at the
# entry's date, linked entries left out), up to PEERS_AT_MOST entries: hledger
# 1.25's --value=then took 330 s and 11 GB at 100k on this machine
HLEDGER = ["bal", "^Purposes", "not:tag:secondary", "--value=then,GBP", "-O", "csv"]
PEERS_AT_MOST = 100_000


def _run_cmd(cmd, timeout, env=None, stdout=None):
    """Wall, peak MiB, CPU s and stdout of one process (``/usr/bin/time``)."""
    t = time.perf_counter()
    try:
        p = subprocess.run(["/usr/bin/time", "-f", "@@%M %U %S"] + cmd, text=True,
                           stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - t
    lines = p.stderr.strip().splitlines()
    tail = [ln for ln in lines if ln.startswith("@@")]
    r = {"wall": wall}
    said = [ln for ln in lines if not ln.startswith("@@")]
    if said:
        r["said"] = said[-1][:300]
    if tail:
        mem, user, sys_ = tail[-1][2:].split()
        r.update(maxrss_mb=int(mem) / 1024, cpu=float(user) + float(sys_))
    if p.returncode:
        r["error"] = f"exit {p.returncode}: " + " ".join(
            ln for ln in lines if not ln.startswith("@@"))[-300:]
    r["stdout"] = p.stdout if stdout is None else ""
    return r


def _tool(args, **fmt):
    return [sys.executable, "-m", "ledger_tool", *(a.format(**fmt) for a in args)]


def commands(d: Path, timeout: float, repeat: int = 1, match=None,
             peers_at_most: int = PEERS_AT_MOST, entries: int | None = None) -> dict:
    """Time every command of COMMANDS on the ledger at ``d`` and ledger-cli's
    market() balance on its export, in this one run (and hledger's and
    beancount's converted balance up to ``peers_at_most`` entries); compare
    totals."""

    scratch = d / ".bench-scratch"
    scratch.mkdir(exist_ok=True)
    fmt = dict(L=str(d), P=str(d / "entries.parquet"), D=str(scratch / "report"),
               H=str(scratch / "export-recorded.hledger"), E=str(scratch / "export.hledger"))
    cache = scratch / "cache"
    env_on = {"LEDGER_TOOL_CACHE": str(cache), "PYTHONPATH": str(REPO)}
    env_off = {"LEDGER_TOOL_CACHE": "off", "PYTHONPATH": str(REPO)}
    # prime the cache: the Book and the stored rate series a conversion reads
    _run_cmd(_tool(["balance", "{L}", "--currency", "GBP"], **fmt), timeout, env_on,
             stdout=subprocess.DEVNULL)
    out: dict = {}
    for label, args, cache_mode in COMMANDS:
        if match and not any(m in label for m in match):
            continue
        runs = []
        for _ in range(repeat):
            if "report" in args:     # outputs are never overwritten without --force
                shutil.rmtree(scratch / "report", ignore_errors=True)
            Path(fmt["E"]).unlink(missing_ok=True)
            runs.append(_run_cmd(_tool(args, **fmt), timeout,
                                 env_on if cache_mode == "warm" else env_off,
                                 stdout=None if "json" in args else subprocess.DEVNULL))
        best = min(runs, key=lambda r: r.get("wall", 1e9))
        best["runs"] = [round(r.get("wall", 0), 2) for r in runs]
        out[label] = best
        if "json" in args and not best.get("error"):
            rows = json.loads(best["stdout"])
            key = "account" if args[0] == "balance" else "funder"
            total = [r for r in rows if r[key] == "(total)"]
            best["total"] = str(Decimal(str(total[0]["amount"]))) if total else None
        best.pop("stdout", None)
        print(f"  {label:48s} {_cfmt(best)}", flush=True)
    ledger_cli = _which("ledger")
    if match and "ledger-cli" not in match:
        return out
    if ledger_cli:
        Path(fmt["H"]).unlink(missing_ok=True)
        _run_cmd(_tool(["export", "{L}", "--to", "hledger", "--basis", "recorded", "-o", "{H}"],
                       **fmt), timeout, env_on, stdout=subprocess.DEVNULL)
    if ledger_cli and Path(fmt["H"]).exists():
        for label, args in LEDGER_CLI:
            runs = [_run_cmd([ledger_cli, "-f", fmt["H"], *args, "--no-color"], timeout)
                    for _ in range(repeat)]
            best = min(runs, key=lambda r: r.get("wall", 1e9))
            best["runs"] = [round(r.get("wall", 0), 2) for r in runs]
            if not best.get("error"):
                last = [ln for ln in best["stdout"].strip().splitlines() if ln.strip()]
                m = re.search(r"(-?[\d,]+\.\d+)\s*GBP", last[-1]) if last else None
                best["total"] = str(_money(m.group(1))) if m else None
            best.pop("stdout", None)
            out[label] = best
            print(f"  {label:48s} {_cfmt(best)}", flush=True)
    else:
        print("  ledger-cli: not installed (apt-get install ledger)")
    n = entries if entries is not None else _entries_of(d)
    if n is not None and n > peers_at_most:
        print(f"  hledger, beancount: skipped above {peers_at_most:,} entries (--peers-at-most)")
        return out
    out.update(_other_peers(d, fmt, scratch, timeout, env_on))
    return out


def _entries_of(d: Path):
    """Entries of a generated ledger: the distinct ids of entries.csv (one row
    per entry and purpose)."""
    import csv
    try:
        with (d / "entries.csv").open(encoding="utf-8", newline="") as fh:
            return len({row["id"] for row in csv.DictReader(fh)})
    except (OSError, KeyError):
        return None


def _other_peers(d: Path, fmt: dict, scratch: Path, timeout: float, env_on: dict) -> dict:
    """hledger's and beancount's converted balance of the recorded exports."""
    out: dict = {}
    hledger = _which("hledger")
    if hledger and Path(fmt["H"]).exists():
        r = _run_cmd([hledger, "-f", fmt["H"], *HLEDGER], timeout)
        if not r.get("error"):
            last = [ln for ln in r["stdout"].strip().splitlines() if ln.startswith('"total"')]
            r["total"] = str(_money(last[-1].split(",", 1)[1].strip('"'))) if last else None
        r.pop("stdout", None)
        out["hledger bal --value=then,GBP, not secondary"] = r
        print(f"  {'hledger bal --value=then,GBP, not secondary':48s} {_cfmt(r)}", flush=True)
    else:
        print("  hledger: not installed (apt-get install hledger)")
    bq = _which("bean-query")
    if bq:
        bc = scratch / "export-recorded.beancount"
        bc.unlink(missing_ok=True)
        _run_cmd(_tool(["export", "{L}", "--to", "beancount", "--basis", "recorded", "-o",
                        str(bc)], **fmt), timeout, env_on, stdout=subprocess.DEVNULL)
        py = Path(bq).resolve().parent / "python"
        r = _run_cmd([str(py), str(Path(__file__).with_name("peer_beancount.py")), str(bc)],
                     timeout)
        if not r.get("error"):
            r["total"] = r["stdout"].strip() or None
        r.pop("stdout", None)
        out["beancount (beanquery) CONVERT, not secondary"] = r
        print(f"  {'beancount (beanquery) CONVERT, not secondary':48s} {_cfmt(r)}", flush=True)
    else:
        print("  beancount: bean-query not installed (pip install beancount beanquery into a "
              "venv on PATH or /tmp/peers)")
    return out


def _cfmt(r: dict) -> str:
    s = f"{r.get('wall', 0):7.2f} s  cpu {r.get('cpu', 0):6.2f} s  peak {r.get('maxrss_mb', 0):6.0f} MiB"
    if len(r.get("runs", [])) > 1:
        s += f"  runs {r['runs']}"
    if r.get("total"):
        s += f"  total {r['total']}"
    if r.get("workers"):
        w = r["workers"]
        s += f"  [{w['workers']} workers: cpu {w['cpu']:.2f} s, largest peak {w['maxrss_mb']:.0f} MiB]"
    if r.get("error"):
        s += f"  ERROR {r['error']}"
    return s


def command_summary(res: dict, n: int) -> None:
    """Equal totals and ratios, printed."""

    ours = res.get("balance --currency GBP --basis recorded, warm", {})
    peer = res.get("ledger-cli bal ^Purposes not secondary, market()", {})
    if ours.get("total") and peer.get("total"):
        diff = Decimal(ours["total"]) - Decimal(peer["total"])
        bound = Decimal(n) * Decimal("0.005")
        print(f"  totals (as recorded, GBP at entry dates, linked entries once): ledger-tool "
              f"{ours['total']}, ledger-cli {peer['total']}, difference {diff} "
              f"({'within' if abs(diff) <= bound else 'OUTSIDE'} the per-entry penny rounding "
              f"bound {bound})")
    rep, bal = res.get("report --out D, warm", {}), res.get("balance --currency GBP, warm", {})
    if rep.get("total") and bal.get("total"):
        print(f"  balance --currency GBP total {bal['total']} "
              f"{'==' if rep['total'] == bal['total'] else '!='} report total {rep['total']}")
    for peer_label in ("hledger bal --value=then,GBP, not secondary",
                       "beancount (beanquery) CONVERT, not secondary"):
        other = res.get(peer_label, {})
        if ours.get("total") and other.get("total"):
            diff = Decimal(ours["total"]) - Decimal(other["total"])
            print(f"  totals: ledger-tool {ours['total']}, {peer_label.split(' ')[0]} "
                  f"{other['total']}, difference {diff}")
    base = res.get("ledger-cli bal market()", {}).get("wall")
    if base:
        for k in ("balance --currency GBP, warm", "balance --currency GBP, cold",
                  "balance --currency GBP, bulk Parquet", "report --out D, warm",
                  "list --format csv, warm", "export --to hledger, warm"):
            w = res.get(k, {}).get("wall")
            if w:
                print(f"  ratio ledger-cli market() balance / {k}: {base / w:5.2f}x")


# ------------------------------------------------------ partitioned dataset
# issue 25: the commands on a partitioned Parquet dataset (generate.py
# --dataset), each a whole process; {S} the dataset, {D} a report folder,
# {X} an export file
DATASET_COMMANDS = [
    ("check", ["check", "{S}"]),
    ("balance (per currency, as recorded)", ["balance", "{S}", "--format", "json"]),
    ("balance --currency GBP", ["balance", "{S}", "--currency", "GBP", "--format", "json"]),
    ("balance --currency GBP --basis recorded",
     ["balance", "{S}", "--currency", "GBP", "--basis", "recorded", "--format", "json"]),
    ("report --out D", ["report", "{S}", "--out", "{D}", "--format", "json"]),
    ("list --format csv", ["list", "{S}", "--format", "csv"]),
    ("export --to csv", ["export", "{S}", "--to", "csv", "-o", "{X}"]),
    ("export --to hledger (by year)", ["export", "{S}", "--to", "hledger", "-o", "{X}"]),
    ("list --format json", ["list", "{S}", "--format", "json"]),
    ("export --to hledger --basis recorded",
     ["export", "{S}", "--to", "hledger", "--basis", "recorded", "-o", "{H}", "--force"]),
    ("export --to beancount", ["export", "{S}", "--to", "beancount", "-o", "{X}"]),
    ("export --to parquet", ["export", "{S}", "--to", "parquet", "-o", "{X}"]),
]
LEDGER_CLI_AT_MOST = 3_000_000   # ~2.8 GB a million entries (run F): 10M would need ~28 GB
# run again on a distributed cluster (--scheduler), their output compared with
# the local run's (the report's files too: _report_files_same)
CLUSTER_COMMANDS = ("check", "balance --currency GBP", "report --out D")


def ensure_dataset(work: Path, n: int, seed: int) -> Path:
    """work/ds-N-S.parquet, generated straight to Parquet when missing."""
    import generate
    d = work / f"ds-{n}-{seed}.parquet"
    if not d.exists():
        work.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        generate.write_dataset(d, n, seed)
        print(f"  generated {d} in {time.perf_counter() - t:.1f} s", flush=True)
    return d


def hledger_of_dataset(d: Path, out: Path, timeout: float) -> None:
    """The recorded hledger export of the dataset (for ledger-cli), by the
    export command, partition by partition, unless already written."""
    if not out.exists():
        _run_cmd(["nice"] + _tool(["export", str(d), "--to", "hledger", "--basis", "recorded",
                                   "-o", str(out)]), timeout, {"PYTHONPATH": str(REPO)},
                 stdout=subprocess.DEVNULL)


def dataset_commands(d: Path, n: int, timeout: float, match=None, cluster=None) -> dict:
    """Every DATASET_COMMANDS as a whole process (nice'd), then ledger-cli's
    market() balance of the recorded export up to LEDGER_CLI_AT_MOST entries.
    With ``cluster`` (a ``Cluster``), CLUSTER_COMMANDS again on it, their
    output compared with the local run's."""

    scratch = d.with_name(d.name.replace(".parquet", "-scratch"))
    scratch.mkdir(exist_ok=True)
    fmt = dict(S=str(d), D=str(scratch / "report"), X=str(scratch / "export.csv"),
               H=str(scratch / "export-recorded.hledger"))
    env = {"PYTHONPATH": str(REPO)}
    out: dict = {}
    runs = [(label, args, None) for label, args in DATASET_COMMANDS
            if not match or any(m in label for m in match)]
    if cluster:
        runs += [(label + " (cluster)", args + ["--scheduler", cluster.address], label)
                 for label, args in DATASET_COMMANDS if label in CLUSTER_COMMANDS
                 and (not match or any(m in label for m in match))]
    for label, args, local in runs:
        if local and cluster:
            cluster.fresh()     # new worker processes: their own peak memory
        shutil.rmtree(scratch / "report", ignore_errors=True)
        if not local:   # a cluster run compares with this run's local report only
            shutil.rmtree(scratch / "report-local", ignore_errors=True)
        load = os.getloadavg()
        Path(fmt["X"]).unlink(missing_ok=True)
        totals = "json" in args and args[0] != "list"   # list's rows: not read back
        summary = args[0] == "check"     # its one line of counts, compared on a cluster
        if "{X}" in args:   # the export's format from its file name
            fmt["X"] = str(scratch / ("export." + args[args.index("--to") + 1]))
        r = _run_cmd(["nice"] + _tool(args, **fmt), timeout, env,
                     stdout=None if totals or summary else subprocess.DEVNULL)
        # the machine is shared: the 1-minute load before, and 1/5/15 after
        r["load"] = [round(load[0], 2)] + [round(x, 2) for x in os.getloadavg()]
        if summary:
            r["summary"] = r.get("stdout", "").strip()
        if local and cluster:
            r["workers"] = cluster.usage()
        if totals and not r.get("error"):
            rows = json.loads(r["stdout"])
            key = "account" if args[0] == "balance" else "funder"
            total = [x for x in rows if x[key] == "(total)"]
            r["total"] = ", ".join(f"{Decimal(str(t['amount']))} {t['currency']}"
                                   for t in total[:3]) if total else None
            r["rows"] = rows
        r.pop("stdout", None)
        out[label] = r
        print(f"  {label:48s} {_cfmt(r)}  load {r['load'][0]:.1f} -> "
              + "/".join(f"{x:.1f}" for x in r["load"][1:]), flush=True)
        if args[0] == "report" and not r.get("error"):
            if not local:   # kept for the cluster run's report to be compared with
                (scratch / "report").rename(scratch / "report-local")
            elif (scratch / "report-local").is_dir():
                r["files"] = _report_files_same(scratch / "report-local", scratch / "report")
        if local:
            _same_as_local(out.get(local), r)
    for r in out.values():
        r.pop("rows", None)
    ledger_cli = _which("ledger")
    if match and "ledger-cli" not in match:
        return out
    if not ledger_cli:
        print("  ledger-cli: not installed (apt-get install ledger)")
    elif n > LEDGER_CLI_AT_MOST:
        print(f"  ledger-cli: not run above {LEDGER_CLI_AT_MOST:,} entries (it holds the "
              f"journal in memory: ~2.8 GB a million entries)")
    else:
        h = scratch / "export-recorded.hledger"
        t = time.perf_counter()
        hledger_of_dataset(d, h, timeout)
        print(f"  (recorded hledger export for ledger-cli written in "
              f"{time.perf_counter() - t:.1f} s)", flush=True)
        label, args = LEDGER_CLI[1]
        r = _run_cmd(["nice", ledger_cli, "-f", str(h), *args, "--no-color"], timeout)
        if not r.get("error"):
            last = [ln for ln in r["stdout"].strip().splitlines() if ln.strip()]
            m = re.search(r"(-?[\d,]+\.\d+)\s*GBP", last[-1]) if last else None
            r["total"] = f"{_money(m.group(1))} GBP" if m else None
        r.pop("stdout", None)
        out[label] = r
        print(f"  {label:48s} {_cfmt(r)}", flush=True)
    return out


class Cluster:
    """A Dask distributed cluster for ``--scheduler``: ``local`` starts a
    LocalCluster of three one-thread worker processes on the loopback address
    (as tests/ledger_tool/test_dataset_commands.py does), anything else is
    the address of a running scheduler.  The workers' CPU and peak memory are
    not the command's (it is their client), so they are read from the
    workers after each command."""

    def __init__(self, address: str):
        import distributed
        os.environ["PYTHONPATH"] = str(REPO)    # the workers import this checkout
        self._local = None
        if address == "local":
            self._local = distributed.LocalCluster(
                n_workers=3, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None)
            address = self._local.scheduler_address
        self.address = address
        self.client = distributed.Client(address)

    def fresh(self) -> None:
        self.client.restart()

    def usage(self) -> dict:
        """CPU seconds summed over the workers and the largest worker peak
        (the workers were restarted before the command)."""
        got = self.client.run(_worker_usage)
        return {"workers": len(got), "cpu": sum(c for c, _ in got.values()),
                "maxrss_mb": max((m for _, m in got.values()), default=0)}

    def close(self) -> None:
        self.client.close()
        if self._local:
            self._local.close()


def _worker_usage():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def _same_as_local(local: dict | None, r: dict) -> None:
    """Print whether a cluster run's output equals the local run's: every row
    of a balance or a report, to the minor unit; a check's counts and last
    message; a report's files (_report_files_same)."""
    if not local or local.get("error") or r.get("error"):
        print("    (no local run to compare with)" if not local else "    (an error: not compared)")
        return
    if "rows" in r:
        same = local.get("rows") == r["rows"]
        what = f"{len(r['rows'])} rows, total {r.get('total')}"
        if "files" in r:
            f = r["files"]
            same = same and not f["differ"] and not f["in_one_only"]
            what += (f"; files the same: {', '.join(f['same'])}"
                     + (f"; DIFFER: {', '.join(f['differ'])}" if f["differ"] else "")
                     + (f"; IN ONE FOLDER ONLY: {', '.join(f['in_one_only'])}"
                        if f["in_one_only"] else "")
                     + f"; not compared: {', '.join(f['not_compared'])}")
    else:
        same = (local.get("summary"), local.get("said")) == (r.get("summary"), r.get("said"))
        what = repr(r.get("summary"))
    r["same_as_local"] = same
    print(f"    {'same as the local run' if same else 'DIFFERS from the local run'}: {what}"
          + ("" if same else f" (local: {local.get('total') or local.get('summary')!r})"),
          flush=True)


# What of a report may differ between two runs of the same code and data (two
# local runs differ there too): the page's and the workbook's "Generated"
# time (to the minute) and the workbook's docProps/core.xml (its creation
# time, to the second); matplotlib names an SVG's clip paths and markers with
# random ids (p or m and ten hex digits); the manifest holds the files'
# hashes (compared through the files themselves).
_XLSX_TIMES = {"docProps/core.xml"}
_GENERATED = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
_SVG_IDS = re.compile(rb"\b[pm][0-9a-f]{10}\b")


def _report_files_same(local: Path, cluster: Path) -> dict:
    """Every file of the local run's report folder against the cluster run's:
    CSV and PNG byte for byte; the page, and the workbook part by part, with
    the time they were generated blanked (and docProps/core.xml left out);
    SVG with its random clip-path and marker ids blanked."""
    res: dict = {"same": [], "differ": [], "in_one_only": [], "not_compared": []}
    for f in sorted(local.iterdir()):
        g = cluster / f.name
        if f.name == "report-manifest.json":
            res["not_compared"].append(f.name)
            continue
        if not g.is_file():
            res["in_one_only"].append(f.name)
            continue
        if f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as a, zipfile.ZipFile(g) as b:
                same = (sorted(a.namelist()) == sorted(b.namelist())
                        and all(_GENERATED.sub(b"T", a.read(n)) == _GENERATED.sub(b"T", b.read(n))
                                for n in a.namelist() if n not in _XLSX_TIMES))
        elif f.suffix == ".html":
            same = _GENERATED.sub(b"T", f.read_bytes()) == _GENERATED.sub(b"T", g.read_bytes())
        elif f.suffix == ".svg":
            same = _SVG_IDS.sub(b"id", f.read_bytes()) == _SVG_IDS.sub(b"id", g.read_bytes())
        else:
            same = f.read_bytes() == g.read_bytes()
        res["same" if same else "differ"].append(f.name)
    res["in_one_only"] += sorted(g.name for g in cluster.iterdir() if not (local / g.name).exists())
    return res


# ------------------------------------------------------------------ startup
def startup(with_report: bool = False, repeat: int = 7) -> dict:
    """``ledger-tool --help`` and ``ledger-tool check`` (and with
    ``with_report``, ``report``) on the example ledger: wall time of the whole
    process, best and median of ``repeat`` runs."""
    exe = str(REPO / ".venv" / "bin" / "ledger-tool")
    env = {**os.environ, "LEDGER_TOOL_CACHE": "off"}
    if not Path(exe).exists():   # no installed venv: the module, with this checkout first
        exe = [sys.executable, "-m", "ledger_tool"]
        env["PYTHONPATH"] = str(REPO)
    exe = exe if isinstance(exe, list) else [exe]
    out = {}
    cases = [("--help", ["--help"]),
             ("check examples/calais", ["check", str(REPO / "examples" / "calais")])]
    if with_report:
        import tempfile
        cases.append(("report examples/calais", ["report", str(REPO / "examples" / "calais"),
                                                 "--out", tempfile.mkdtemp(), "--force"]))
    for name, args in cases:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            p = subprocess.run([*exe, *args], capture_output=True, env=env)
            times.append(time.perf_counter() - t)
            if p.returncode:     # a failing command is not a start-up time
                raise SystemExit(f"ledger-tool {name} failed (exit {p.returncode}): "
                                 + p.stderr.decode(errors="replace")[-300:])
        times.sort()
        out[name] = {"best": times[0], "median": times[len(times) // 2]}
    return out


# ------------------------------------------------------------------ driver
def ensure_ledger(work: Path, n: int, seed: int) -> Path:
    import generate
    d = work / f"n{n}-s{seed}"
    stamp = d / ".generated"
    if not stamp.exists():
        t = time.perf_counter()
        generate.write(d, n, seed, parquet=True)
        stamp.write_text(f"{n} {seed}\n")
        print(f"generated {n:,} entries in {time.perf_counter() - t:.1f} s: {d}", file=sys.stderr)
    return d


def _fmt(r: dict) -> str:
    if "error" in r:
        return f"ERROR {r['error']}"
    s = f"{r.get('seconds', 0):7.2f} s  (process {r.get('wall', 0):6.2f} s, cpu {r.get('cpu', 0):6.2f} s)"
    s += f"  peak {r.get('maxrss_mb', 0):6.0f} MiB"
    extra = {k: v for k, v in r.items() if k in ("read", "check", "load", "normalise", "hit",
                                                  "rows", "entries", "rows_out", "groups",
                                                  "total_minor", "exit", "bytes",
                                                  "child_maxrss_mb", "stderr")}
    if extra:
        s += "  " + ", ".join(f"{k}={(round(v, 2) if isinstance(v, float) else v)}"
                              for k, v in extra.items())
    return s


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "ledger-bench")
    ap.add_argument("--only", nargs="+", choices=STAGES, help="run only these stages")
    ap.add_argument("--entry-stages-max", type=int, default=100_000,
                    help="skip the Entry-object report stages above this size (default 100000)")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--peers", action="store_true")
    ap.add_argument("--commands", action="store_true",
                    help="time the commands users run (check, list, balance, report, export) as "
                         "whole processes, with ledger-cli's market() balance in the same run "
                         "(issue 13); skips the stages")
    ap.add_argument("--repeat", type=int, default=1, help="with --commands: runs per command "
                                                           "(the best is shown)")
    ap.add_argument("--match", nargs="+", metavar="TEXT",
                    help="with --commands: only the commands whose label holds one of these "
                         "(e.g. balance list); ledger-cli runs when 'ledger-cli' is given")
    ap.add_argument("--peers-at-most", type=int, default=PEERS_AT_MOST,
                    help="with --commands: run hledger and beancount up to this many entries "
                         f"(default {PEERS_AT_MOST}; ledger-cli always runs)")
    ap.add_argument("--dataset", action="store_true",
                    help="the commands on a partitioned Parquet dataset of each size "
                         "(generated straight to Parquet), whole processes with peak memory, "
                         "ledger-cli beside them up to 3M entries (issue 25)")
    ap.add_argument("--scheduler", metavar="ADDRESS",
                    help="with --dataset: run " + " and ".join(CLUSTER_COMMANDS) + " again on this "
                         "Dask scheduler ('local': a LocalCluster of three worker processes on "
                         "127.0.0.1) and compare their output with the local run's")
    ap.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.stage:
        child_main(a.stage, a.dir)
        return 0

    cache = a.work / "cache"
    env = {"LEDGER_TOOL_CACHE": str(cache)}
    os.environ.update(env)
    print(f"machine: {os.cpu_count()} cores, {_mem_total()}; python {sys.version.split()[0]}",
          file=sys.stderr)
    if a.dataset:
        results = {}
        cluster = Cluster(a.scheduler) if a.scheduler else None
        try:
            for n in a.entries:
                d = ensure_dataset(a.work, n, a.seed)
                print(f"\n== {n:,} entries, dataset {d}: commands as whole processes ==",
                      flush=True)
                results[n] = dataset_commands(d, n, a.timeout, a.match, cluster)
        finally:
            if cluster:
                cluster.close()
        if a.json:
            a.json.write_text(json.dumps(results, indent=1, default=str))
        return 0
    results = {"startup": startup(a.commands)}
    for k, v in results["startup"].items():
        print(f"startup: ledger-tool {k:24s} best {v['best']:.3f} s, median {v['median']:.3f} s")
    if a.commands:
        for n in a.entries:
            d = ensure_ledger(a.work, n, a.seed)
            print(f"\n== {n:,} entries ({d}): commands as whole processes ==", flush=True)
            results[n] = commands(d, a.timeout, a.repeat, a.match, a.peers_at_most, n)
            command_summary(results[n], n)
        if a.json:
            a.json.write_text(json.dumps(results, indent=1, default=str))
        return 0
    for n in a.entries:
        d = ensure_ledger(a.work, n, a.seed)
        print(f"\n== {n:,} entries ({d}) ==")
        results[n] = {}
        stages = a.only or STAGES
        if any(s in stages for s in ("journal-warm", "e2e-journal-warm")):
            r = run_stage("journal-warm", d, a.timeout, env)   # prime the cache (a miss)
            print(f"  {'cache prime (miss)':22s} {_fmt(r)}")
            results[n]["cache-prime"] = r
        for s in stages:
            if s in ENTRY_STAGES and n > a.entry_stages_max:
                print(f"  {s:22s} skipped above {a.entry_stages_max:,} entries (--entry-stages-max)")
                continue
            if s == "cli-report" and not (REPO / "ledger_tool" / "cmd_report.py").exists():
                print(f"  {s:22s} skipped: no ledger_tool/cmd_report.py yet")
                continue
            r = run_stage(s, d, a.timeout, env)
            results[n][s] = r
            print(f"  {s:22s} {_fmt(r)}", flush=True)
        if a.peers:
            p = peers(d, a.timeout)
            results[n]["peers"] = p
            e2e = {k: results[n][k]["wall"] for k in ("e2e-bulk-csv", "e2e-journal-warm",
                                                      "e2e-journal-cold")
                   if "error" not in results[n].get(k, {"error": 1})}
            ours = e2e.get("e2e-journal-cold") or (min(e2e.values()) if e2e else None)
            print(f"  peers (exports written in {p['export_seconds']:.1f} s); ledger-tool total "
                  f"(as recorded, GBP at entry dates): {p['ours_total']} rounded per entry, "
                  f"{p['ours_exact']} unrounded; ratios against e2e-journal-cold "
                  f"({ours or 0:.2f} s) and the fastest e2e ({min(e2e.values()) if e2e else 0:.2f} s)")
            for tool, r in p["peers"].items():
                if "wall" in r and r["wall"]:
                    ratio = (f"  ratios {r['wall'] / ours:5.1f}x / {r['wall'] / min(e2e.values()):5.1f}x"
                             if ours else "")
                    if r.get("reg_yearly_wall"):
                        ratio += f"  (reg --yearly: {r['reg_yearly_wall']:.2f} s)"
                    print(f"    {tool:11s} {r['wall']:8.2f} s  peak {r.get('maxrss_mb') or 0:6.0f} MiB"
                          f"  total {r.get('total', '?')}{ratio}"
                          + (f"  ERROR {r['error']}" if r.get("error") else ""))
                else:
                    print(f"    {tool:11s} {r.get('note') or r.get('error')}")
    if a.json:
        a.json.write_text(json.dumps(results, indent=1, default=str))
    return 0


def _mem_total() -> str:
    try:
        for ln in Path("/proc/meminfo").read_text().splitlines():
            if ln.startswith("MemTotal"):
                return f"{int(ln.split()[1]) / 2**20:.1f} GiB RAM"
    except OSError:
        pass
    return "? RAM"


if __name__ == "__main__":
    sys.exit(main())
