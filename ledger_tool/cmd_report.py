"""ledger-tool report LEDGER --out DIR: the comparison report.

Writes DIR/report.xlsx, DIR/chart-*.png|svg, DIR/report.html,
DIR/summary.csv (funder, purpose, amount, currency, qualifiers; a (total) row last) and the full entry and
citation tables DIR/entries.csv|parquet and DIR/sources.csv|parquet (the
workbook's Entries/Sources sheets and the page's Entries table are cut at
--entries-sheet-limit rows), and prints the summary table on stdout.  See
docs/reports.md.
"""
from __future__ import annotations

import argparse
import csv
import errno
import functools
import io
import os
import shutil
import sys
from decimal import Decimal
from pathlib import Path

from ledger.atomic import (ctrl_c_held, open_folder, real_path, remove_listed, temp_name,
                           write_atomic, write_manifest)
from ledger.errors import LedgerError, UsageError
from ledger.model import AUDIT, said
from ledger.safe_io import guard_output
from ledger.text_safety import one_line
from ledger.sources.audit import audit as run_audit
from ledger_tool.common import (add_conversion_options, add_deflator_options, add_filters,
                                check_locale, filtered, load_ledger, print_capped,
                                refuse_ledger_output, system_allocator)
from rates.table import load_rates
from reports.audit import html_section, write_audit_sheet
from reports.background import in_background
from reports.charts import ChartProcess, charts_in_background
from reports.datafiles import table_files
from reports import html, workbook   # as modules: tests replace their writers
from reports.html import HTML_TABLE_LIMIT
from reports.filters import whole_entries
from reports.progress import Progress
from reports.shipped import SOURCES_FOLDER, ship_cited_documents
from reports.tables import ReportOptions, add_rows, build_report, compare_overlap
from reports.text import inert, write_rows
from reports.workbook import DEFAULT_SHEET_LIMIT, sheet_cuts

YEARS = ["calendar", "fiscal-uk", "fiscal-us", "fiscal"]
# entry rows (and entries, for the rows made beside the valuation) from
# which the full tables and the page are written by child processes of
# their own: below, the parent's page, workbook and tables together take
# about as long as the chart child, and a third process on two cores only
# adds copying (benchmarks/README.md, "Faster reports")
TABLES_APART_FROM = 200_000


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        description="Normalise the ledger to one currency and basis and write a comparison "
                    "report to DIR: report.xlsx, charts (PNG and SVG), report.html and "
                    "summary.csv. The summary table is printed on stdout.")
    p.add_argument("ledger", help="journal file or folder, or a bulk .csv / .parquet file")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write the report to")
    p.add_argument("--currency", metavar="CODE",
                   help="report currency (default: the ledger's, else GBP)")
    add_conversion_options(p)
    add_deflator_options(p)
    p.add_argument("--basis", choices=["total", "per-year"], default="total",
                   help="totals over each period (default) or amounts per year")
    p.add_argument("--years", choices=YEARS, default="calendar",
                   help="years for the by-year table: calendar (default), fiscal-uk "
                        "(April-March), fiscal-us (October-September), fiscal (the ledger's "
                        "fiscal_year_start)")
    p.add_argument("--compare", action="append", metavar="FUNDER",
                   help="funder to compare side by side (repeatable; default: every "
                        "top-level funder)")
    p.add_argument("--depth", type=int, metavar="N",
                   help="group funder and purpose accounts at most N levels deep")
    p.add_argument("--top", type=int, default=12, metavar="N",
                   help="charts show the N largest purposes and '(other)' (default 12)")
    p.add_argument("--title", help="title of the workbook and the HTML page")
    p.add_argument("--locale", help="locale for amounts (default: the ledger's, else en_GB)")
    p.add_argument("--entries-sheet-limit", type=_sheet_limit, default=DEFAULT_SHEET_LIMIT,
                   metavar="N|all",
                   help=f"the workbook's Entries and Sources sheets hold at most N rows "
                        f"(default {DEFAULT_SHEET_LIMIT:,}; 'all': every row, up to Excel's "
                        f"1,048,576 rows a sheet); longer tables are cut with a note, "
                        f"and are always complete in entries.csv/.parquet and "
                        f"sources.csv/.parquet")
    p.add_argument("--amounts", choices=["compact", "exact"], default="compact",
                   help="amounts where people read them (charts, the HTML page, the table on "
                        "stdout): compact as people say them, e.g. £12m, €3bn (default), or "
                        "exact (£12,000,000.00); CSV, Parquet and workbook cells are always exact")
    p.add_argument("--scale", choices=["auto", "linear", "log"], default="auto",
                   help="money axis of the charts: log when the bars span 100 times or more "
                        "(auto, the default), or always linear or log")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="format of the summary printed on stdout")
    p.add_argument("--force", action="store_true",
                   help="replace DIR when it holds an earlier report exactly as written (its "
                        "report-manifest.json lists every file in it, unchanged); the report "
                        "is written into a new folder beside it and renamed into place, and "
                        "only the files the manifest lists are deleted. Any other folder is "
                        "never replaced")
    p.add_argument("--sources", metavar="DIR",
                   help="also audit every figure against this source archive: adds an Audit "
                        "sheet and an audit section (see docs/audit.md)")
    add_filters(p)
    p.set_defaults(func=run)


def _sheet_limit(text: str):
    """--entries-sheet-limit: a number of rows (1 or more), or 'all' (None)."""

    if text.strip().lower() == "all":
        return None
    try:
        n = int(text.strip().replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of rows or 'all', not {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more (or 'all'), not {text!r}")
    return n


def run(args) -> int:


    if args.depth is not None and args.depth < 1:
        raise UsageError("--depth must be 1 or more")
    if args.top < 2:
        raise UsageError("--top must be 2 or more")
    compare_overlap(args.compare or ())   # before the ledger is read
    out = Path(args.out)
    if out.is_symlink() and not out.exists():   # a dangling link would be followed out
        raise LedgerError(f"report: --out {out}: is a symbolic link to nothing; give a folder")
    try:   # never the ledger's own folder; an existing report only with --force
        refuse_ledger_output(out, [args.ledger], folder=True)   # never a ledger's data
        guard_output(out, force=args.force, folder=True)
    except LedgerError as err:
        raise LedgerError(f"report: --out {err}") from None

    system_allocator()   # before the Book's tables: the report's are large Arrow text
    # the charts' process imports matplotlib while this one loads and values
    # the ledger; forked before the Book is read, it shares none of its memory
    charts_first = None
    try:   # a Ctrl-C held while forking is raised as the block ends: in here
        with ctrl_c_held():   # the child forked is known at once, to be stopped on a failure
            charts_first = ChartProcess.start()
        return _run(args, out, charts_first)
    finally:
        if charts_first is not None:   # stopped unless it drew (a failure on the way)
            charts_first.cancel()


def _run(args, out, charts_first) -> int:
    book = load_ledger(args.ledger)
    opts = book.options or {}
    locale = check_locale(args.locale or opts.get("locale") or "en_GB")
    currency = (args.currency or opts.get("currency") or "GBP").upper()


    progress = Progress("report")
    options = report_options(args, currency, locale)
    audit = None
    if args.sources:   # the audit's sheet and HTML section (ledger.sources.audit, reports.audit)
        chosen = whole_entries(filtered(book, args)).entries
        audit = run_audit(book, args.sources, reference=load_rates(args.rates, root=book.root),
                          entries=None if len(chosen) == len(book.entries) else chosen)
        print(f"audit: {audit.summary()}", file=sys.stderr)
    # the rows per entry and per citation, and the tables the charts do not
    # draw, are added once the charts are started; a big report's (what
    # they read of the Book alone, with the sources table's files) are made
    # in a thread beside the valuation: below, that thread's share is small
    # and its switches of the interpreter lock cost as much
    report = build_report(book, options, progress, rows=False, tables=False,
                          rows_ahead_from=TABLES_APART_FROM, sources_files=table_files)
    written = write_report(report, out, progress, audit=audit,
                           entries_limit=args.entries_sheet_limit,
                           amounts=args.amounts, scale=args.scale, charts_first=charts_first)
    progress.done()

    say_written(report, written, args, locale)
    return audit_verdict(audit, out)


def audit_verdict(audit, out) -> int:
    """The exit status of a report written with ``--sources``: its audit's
    errors fail the run as they fail ``ledger-tool audit`` (the report is
    written, with its Audit sheet; docs/reports.md, "Exit status")."""
    if audit is not None and audit.failed(strict=False):
        print_capped((said(f, AUDIT) for f in audit.findings if f.severity == "error"),
                     prefix="ledger-tool: report: audit: ")
        print(f"ledger-tool: report: written to {one_line(str(out))}, but the audit FAILED: "
              f"{audit.summary()}", file=sys.stderr)
        return 1
    return 0


def report_options(args, currency: str, locale: str) -> ReportOptions:
    """What the command line asks of the report (a journal's or a dataset's)."""
    return ReportOptions(
        currency=currency, valuation=args.valuation, basis=args.basis, years=args.years,
        horizon=args.horizon, locale=locale, funder=tuple(args.funder or ()),
        purpose=tuple(args.purpose or ()), status=tuple(args.status or ()),
        start=args.start, end=args.end, compare=tuple(args.compare or ()), depth=args.depth,
        top=args.top, rates=args.rates, title=args.title, amounts=args.amounts,
        deflator=args.deflator, base_year=args.base_year)


def say_written(report, written, args, locale: str) -> None:
    """The summary on stdout; the files written, the notes and warnings on stderr."""
    write_rows(summary_rows(report), args.format, locale=locale,
               money=("amount", "currency"), amounts=args.amounts)
    for path in written:
        print(f"wrote {one_line(str(path))}", file=sys.stderr)
    for note in report.notes:
        if note not in report.warnings:
            print(f"note: {note}", file=sys.stderr)
    for warning in report.warnings:   # an option left entries out: said last, to be seen
        print(f"ledger-tool: report: {warning[0].lower()}{warning[1:]}", file=sys.stderr)
    for sheet, note in sheet_cuts(report, args.entries_sheet_limit):   # as the About sheet says
        print(f"note: the workbook's {sheet} sheet: {note[0].lower()}{note[1:]}",
              file=sys.stderr)
    for note in report.extra.get("workbook notes", ()):   # amounts written as exact text
        print(f"note: {note}", file=sys.stderr)


def summary_rows(report) -> list[dict]:
    """funder, purpose, amount, currency (+ qualifiers) per summary row, then the total."""

    s = report.summary
    rows = [{"funder": r.funder, "purpose": r.purpose, "amount": r.amount,
             "currency": r.currency, "qualifiers": r.qualifiers}
            for r in s.itertuples(index=False)]
    rows.append({"funder": "(total)", "purpose": "", "amount": sum(s["amount"], Decimal(0)),
                 "currency": report.currency, "qualifiers": ""})
    return rows


def write_report(report, out, progress=None, audit=None,
                 entries_limit: int | None = DEFAULT_SHEET_LIMIT,
                 amounts: str = "compact", scale: str = "auto",
                 charts_first: ChartProcess | None = None) -> list:
    """Write every report file into a new folder beside ``out`` and rename it
    into place (a failed run leaves ``out`` as it was); returns the paths.
    OS errors (read-only, full, permission) raise one ``LedgerError`` line
    naming the path.  ``audit``
    (a ``ledger.sources.audit.AuditResult``) adds the Audit sheet and HTML section.
    The workbook's Entries/Sources sheets hold at most ``entries_limit`` rows
    and the page's Entries table at most ``min(entries_limit,
    reports.html.HTML_TABLE_LIMIT)``; entries.csv/.parquet and
    sources.csv/.parquet always hold every row.  ``charts_first``: the
    process started to draw the charts (``reports.charts.ChartProcess``)."""


    shown = Path(out)
    out = shown.resolve() if shown.is_symlink() else shown   # a link to a folder: its target
    tmp = None
    try:
        with ctrl_c_held():   # the folder is made and known as tmp at once: it is cleaned up
            tmp = _new_folder_beside(out)
        files = _write_files(report, tmp, progress, audit, entries_limit, amounts, scale,
                             charts_first)
        _rename_into_place(tmp, out)
    except BaseException as err:
        if tmp is not None:   # our own new folder: nothing else in it; no child writes there
            shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(err, OSError) and tmp is not None:   # read-only, full: one line
            where = err.filename or out
            if str(where).startswith(str(tmp)):   # the user's folder, not our hidden one
                where = out / Path(where).relative_to(tmp)
            raise LedgerError(f"report: cannot write {where}: {err.strerror or err}; "
                              f"nothing written to {one_line(str(out))}") from None
        raise
    return [shown / Path(f).relative_to(tmp) for f in files]


def _new_folder_beside(out):
    """A new hidden folder beside ``out`` (same file system, so the rename
    into place is atomic), with the mode a plain mkdir would give."""


    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = parent / temp_name(out.name)
        os.mkdir(tmp, 0o700)
    except (FileExistsError, NotADirectoryError):
        raise LedgerError(f"report: --out {out}: {parent} is not a folder") from None
    except OSError as err:
        # the user's --out and its folder, not the hidden temporary name
        raise LedgerError(f"report: --out {out}: cannot make a folder in {parent}: "
                          f"{err.strerror or err}") from None
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o777 & ~mask)
    except OSError:
        os.rmdir(tmp)
        raise
    return tmp


def _rename_into_place(tmp, out) -> None:
    """``tmp`` becomes ``out``: a missing or empty ``out`` is replaced by one
    rename; an earlier report (guarded by ``--force``: its manifest matches
    what is there) is moved aside first and, after, only the files its
    manifest lists are deleted, so ``out`` holds the old report or the new,
    whole, and nothing the report did not write is ever deleted."""

    with ctrl_c_held():   # the earlier report moved aside is always deleted or put back
        _swap_folders(tmp, out)


def _swap_folders(tmp, out) -> None:


    # renamed relative to the folder's descriptor: a link swapped in above
    # --out meanwhile cannot send the report, or the earlier one, elsewhere
    pfd = open_folder(real_path(out.parent))

    def rename(a, b):
        os.rename(a.name, b.name, src_dir_fd=pfd, dst_dir_fd=pfd)
    try:
        try:
            rename(tmp, out)
            return
        except OSError as err:
            if not out.is_dir() or err.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
        old = out.parent / temp_name(out.name, ".old")
        rename(out, old)
        try:
            rename(tmp, out)
        except BaseException:    # the earlier report goes back where it was
            rename(old, out)
            raise
    finally:
        os.close(pfd)
    if not remove_listed(old):   # something the report did not write appeared meanwhile
        print(f"ledger-tool: report: note: the earlier report's folder held files it did "
              f"not write; they are kept in {old}", file=sys.stderr)


def _write_files(report, out, progress=None, audit=None,
                 entries_limit: int | None = DEFAULT_SHEET_LIMIT,
                 amounts: str = "compact", scale: str = "auto",
                 charts_first: ChartProcess | None = None) -> list:


    if progress is not None:
        progress.step("drawing the charts (in a second process)")
    charts = tables_written = page_written = None
    tables: list = []
    try:
        # entries/sources.csv|parquet and the page: nothing else reads them,
        # so a big report's are written by children beside the workbook; a
        # smaller one's here, while the chart child keeps the other core busy
        apart = len(report.frame) >= TABLES_APART_FROM   # the entries table's rows
        # a partitioned dataset's report carries its largest entries only: no
        # entries/sources files (its notes say where the full list is), its
        # own tables as CSV instead (reports.dataset)
        whole = "whole" in report.extra
        with ctrl_c_held():   # each child forked is known to its waiter, which can stop it
            charts = charts_in_background(report, out, amounts=amounts, scale=scale,
                                          process=charts_first)
        if "rows to add" in report.extra:   # build_report(rows=False): the charts read neither
            if progress is not None:
                progress.step("listing the entries and their sources")
            add_rows(report)
        with ctrl_c_held():
            if apart and not whole:
                tables_written = in_background("writing the full tables", workbook.write_full_tables,
                                               report, out)
                report.extra.pop("table files", None)   # the child has them
        if whole:
            for name, text in report.extra.get("data files", {}).items():
                write_atomic(out / name, text)
                tables.append(out / name)
        elif not apart:
            if progress is not None:
                progress.step("writing entries.csv and entries.parquet")
            tables = workbook.write_full_tables(report, out)
        sheets: list = []
        sections: list = []
        if audit is not None:
            sheets = [lambda wb, _report: write_audit_sheet(wb, audit)]
            sections = [("Audit", html_section(audit, report.options.locale, wrap=False))]
        if progress is not None:
            progress.step("writing the HTML page")
        html_limit = HTML_TABLE_LIMIT if entries_limit is None else min(entries_limit,
                                                                        HTML_TABLE_LIMIT)
        # the cited documents beside the page, each quote linking to its copy
        shipped, ship_notes = ship_cited_documents(report, audit, out)
        for note in ship_notes:
            print(f"note: {note}", file=sys.stderr)
        write_page = functools.partial(html.write_html, out / "report.html", report, None,
                                       extra_sections=sections, limit=html_limit, audit=audit,
                                       amounts=amounts, scale=scale, shipped=shipped)
        if apart:   # a big report's page: in a child too, beside the workbook
            with ctrl_c_held():
                page_written = in_background("writing the HTML page", write_page)
        else:
            page = write_page()
        if progress is not None:
            progress.step("writing the workbook")
        # the workbook's Charts sheet is made last: the charts are waited for there
        xlsx = workbook.write_workbook(out / "report.xlsx", report, extra_sheets=sheets, charts=charts,
                              entries_limit=entries_limit, full_tables=False, scale=scale,
                              progress=progress, notes=report.extra.setdefault("workbook notes", []))
        charts = charts()
        if tables_written is not None:
            tables = tables_written()
        if page_written is not None:
            page = page_written()
    except BaseException:
        if callable(charts):
            charts(cancel=True)
        for written in (tables_written, page_written):
            if written is not None:
                written(cancel=True)
        raise

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["funder", "purpose", "amount", "currency", "qualifiers"])
    for r in summary_rows(report):      # as on stdout: qualifiers kept, the total last
        w.writerow([inert(r["funder"]), inert(r["purpose"]), format(r["amount"], "f"),
                    r["currency"], r["qualifiers"]])
    write_atomic(out / "summary.csv", buf.getvalue())
    files = [xlsx, page, out / "summary.csv", *tables,
             *([out / SOURCES_FOLDER] if shipped else [])]     # the folder of cited documents
    files += [p for f in charts.values() for p in f.values()]
    # the shipped documents are listed one by one ("sources/…"), not their folder
    names = [f.name for f in files if f != out / SOURCES_FOLDER] + list(shipped.values())
    files.append(write_manifest(out, names))
    return files
