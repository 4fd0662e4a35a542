"""ledger-tool export: the ledger for hledger, beancount (fava), CSV or Parquet."""
from __future__ import annotations

import sys
from pathlib import Path

from ledger.errors import LedgerError
from ledger.safe_io import guard_output
from ledger.text_safety import one_line
from ledger_tool.common import (STDOUT_NAMES, add_deflator_options, filtered, iso_date,
                                load_ledger, refuse_ledger_output, system_allocator, valuation)

SUFFIXES = {".journal": "hledger", ".hledger": "hledger", ".ledger": "hledger",
            ".beancount": "beancount", ".bean": "beancount", ".csv": "csv",
            ".parquet": "parquet", ".pq": "parquet"}


def register(sub) -> None:
    p = sub.add_parser(
        "export",
        description="Write the ledger for other tools.  hledger and beancount get one "
                    "balanced transaction per entry and year (id, status, period and "
                    "sources as tags/metadata), each part's value in the report currency "
                    "as its cost, so 'hledger bal -B' (not -X: there are no price "
                    "directives) and beancount's weights give ledger-tool's figures; with "
                    "--basis recorded, one per entry as recorded, with price directives "
                    "for the rates used, so 'hledger bal -X GBP --value=then' converts "
                    "them.  CSV and Parquet hold the normalised table.  "
                    "fdp writes a Fiscal Data Package folder (-o DIR: datapackage.json and "
                    "ledger.csv).  "
                    "See docs/interop.md.")
    p.add_argument("ledger", metavar="LEDGER", help="a journal file or ledger folder, or a bulk .csv / .parquet file")
    p.add_argument("--to", dest="fmt", choices=["hledger", "beancount", "csv", "parquet", "fdp"],
                   help="output format (default: from the -o suffix)")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the file to write ('-' for stdout, text formats only); for "
                        "--to fdp the folder to write datapackage.json and ledger.csv to")
    p.add_argument("--force", action="store_true",
                   help="overwrite FILE if it exists (never a ledger's data: a journal, bulk "
                        "table, dataset or archived document)")
    p.add_argument("--currency", metavar="CODE",
                   help="report currency (default: the ledger's currency option, else GBP)")
    p.add_argument("--valuation", default="entry-date", metavar="MODE", type=valuation,
                   help="entry-date (default), a date YYYY-MM-DD; also yearly-average or "
                        "as-stated except for hledger/beancount --basis recorded")
    p.add_argument("--basis", default=None, choices=["recorded", "total", "per-year"],
                   help="total: the report's total over each period; hledger/beancount post it "
                        "by year up to the horizon (their default); recorded: amounts as "
                        "written, one transaction per entry (the csv/parquet default); "
                        "per-year (csv/parquet)")
    p.add_argument("--years", choices=["calendar", "fiscal-uk", "fiscal-us", "fiscal"],
                   help="csv/parquet: spread each amount into years, one row per year")
    p.add_argument("--horizon", metavar="YEAR",
                   help="last year counted for open-ended per-year amounts (basis total; "
                        "hledger/beancount default: the report's)")
    p.add_argument("--rates", action="append", metavar="CSV",
                   help="extra rate table(s) (date,from,to,rate,source); repeatable")
    add_deflator_options(p)
    _add_filters(p)
    p.set_defaults(func=run)


def _add_filters(p) -> None:
    """The shared entry filters; ``--to`` names the format here, so the end
    date is ``--until``."""
    g = p.add_argument_group("filters")
    g.add_argument("--funder", action="append", metavar="ACCOUNT",
                   help="only this funder account or below it (repeatable)")
    g.add_argument("--purpose", action="append", metavar="ACCOUNT",
                   help="only this purpose account or below it (repeatable)")
    g.add_argument("--status", action="append",
                   choices=["pledged", "committed", "disbursed", "spent"],
                   help="only entries with this status (repeatable)")
    g.add_argument("--from", dest="start", type=iso_date, metavar="DATE",
                   help="entries on or after DATE")
    g.add_argument("--until", dest="end", type=iso_date, metavar="DATE",
                   help="entries on or before DATE")


def run(args) -> int:
    from reports import export

    fmt = args.fmt
    if fmt is None:
        fmt = SUFFIXES.get(Path(args.output).suffix.lower())
        if fmt is None:
            raise LedgerError(f"export: cannot tell the format from {args.output!r}; "
                              f"give --to hledger|beancount|csv|parquet")
    check_output(args, fmt)
    constant = _constant(args, fmt)
    if fmt in ("hledger", "beancount", "fdp"):
        system_allocator()
    book = load_ledger(args.ledger, quiet_warnings=True)
    book = filtered(book, args)
    if not len(book):
        raise LedgerError(f"export: no entries in {args.ledger} match the filters")
    currency = (args.currency or book.options.get("currency") or "GBP").upper()
    if args.basis is None:
        args.basis = "total" if fmt in ("hledger", "beancount", "fdp") else "recorded"
    # the one valuation of the command (the ledger's horizon for open-ended
    # amounts, from every entry, so export, report and balance count "a year" alike)
    valued_rows = export.export_value(book, fmt, currency=currency, valuation=args.valuation,
                                      basis=args.basis, years=args.years, horizon=args.horizon,
                                      rates=args.rates, constant=constant)
    for note in valued_rows.notes:
        print(f"ledger-tool: export: note: {note}", file=sys.stderr)
    if fmt == "fdp":
        return _write_fdp(book, args, currency, constant, valued_rows)
    opts = dict(currency=currency, valuation=args.valuation, basis=args.basis,
                years=args.years, horizon=args.horizon, rates=args.rates, constant=constant,
                valued_rows=valued_rows)
    if args.output == "-":
        if fmt in ("hledger", "beancount"):   # streamed, chunk by chunk
            export.journal_text(book, fmt, sys.stdout, currency=currency,
                                valuation=args.valuation, rates=args.rates, basis=args.basis,
                                horizon=args.horizon, years=args.years, constant=constant,
                                valued_rows=valued_rows)
            sys.stdout.flush()
        else:
            opts.pop("years")
            sys.stdout.write(export.csv_text(export.frame(book, years=args.years, **opts)))
        return 0
    try:
        n = export.write(book, fmt, args.output, **opts)
    except OSError as err:
        raise LedgerError(f"export: cannot write {args.output}: {err.strerror or err}") from None
    what = "transactions" if fmt in ("hledger", "beancount") else "rows"
    print(f"ledger-tool: export: {n} {what} written to {one_line(str(args.output))} ({fmt})", file=sys.stderr)
    return 0


def check_output(args, fmt: str) -> None:
    """Refuse ``-o`` before the ledger is read (a journal's or a dataset's):
    no stream for Parquet or fdp, never the ledger itself, an existing file
    only with --force, an fdp folder as ``_check_fdp`` says."""
    if args.output in STDOUT_NAMES:   # /dev/stdout: the stream, not a file replaced
        args.output = "-"
    if args.output == "-" and fmt in ("parquet", "fdp"):
        raise LedgerError(f"export: {fmt} is not a stream; give a file or folder with -o")
    if args.output != "-":   # never the ledger's journal; an existing file only with --force
        try:
            # never a ledger's data (this one's or another's), whatever --force says
            refuse_ledger_output(args.output, [args.ledger], folder=fmt == "fdp")
            if fmt != "fdp":   # a folder; an earlier package in it only with --force
                guard_output(args.output, force=args.force)
            else:   # the files it writes there, each checked as any file output
                from reports.fdp import FILES as FDP_FILES

                for name in FDP_FILES:
                    refuse_ledger_output(Path(args.output, name), [args.ledger])
        except LedgerError as err:
            raise LedgerError(f"export: -o {err}") from None
    if fmt == "fdp":
        _check_fdp(args)


def _check_fdp(args) -> None:
    """Refuse a Fiscal Data Package export before the ledger is read: -o is a
    folder, an earlier package in it is replaced only with --force, and the
    package always holds the report's spread (no --basis)."""
    from reports.fdp import FILES as FDP_FILES

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise LedgerError(f"export: --to fdp writes a folder; {out} is a file")
    existing = [n for n in FDP_FILES if (out / n).exists()]
    if existing and not args.force:
        raise LedgerError(f"export: {out} already holds {', '.join(existing)}; not replaced "
                          f"(remove it or choose another folder)")
    if args.basis is not None:
        raise LedgerError("export: --to fdp always holds the total over each period, spread "
                          "into years (as the report); --basis does not apply")


def _constant(args, fmt: str):
    """(price index CSV, base year) from --deflator/--base-year, or None;
    refused in one line, before the ledger is read, where the export cannot
    carry constant prices."""
    if (args.deflator is None) != (args.base_year is None):
        raise LedgerError("export: --deflator and --base-year go together (a price index "
                          "CSV and the year whose prices the figures are in)")
    if not args.deflator:
        return None
    basis = args.basis or ("total" if fmt in ("hledger", "beancount", "fdp") else "recorded")
    if fmt in ("hledger", "beancount") and basis == "recorded":
        raise LedgerError(f"export: --to {fmt} --basis recorded converts with price "
                          f"directives, which cannot carry constant prices; --deflator applies "
                          f"to the export by year (the default)")
    if basis == "per-year":
        raise LedgerError("export: --deflator deflates each year's part of the total; it "
                          "cannot be used with --basis per-year")
    if fmt in ("csv", "parquet") and not args.years:
        raise LedgerError("export: --deflator deflates each year's part; give --years for "
                          "csv/parquet (or export --basis total to hledger, beancount, fdp)")
    return args.deflator, args.base_year


def _folder(path: str) -> str:
    """A folder as printed: with one trailing slash, whatever was typed."""
    return path.rstrip("/") + "/" if path.rstrip("/") else path


def _write_fdp(book, args, currency: str, constant=None, valued_rows=None) -> int:
    from reports.fdp import write_fdp

    try:
        n = write_fdp(book, args.output, currency=currency, valuation=args.valuation,
                      horizon=args.horizon, years=args.years or "calendar", rates=args.rates,
                      constant=constant, valued_rows=valued_rows)
    except OSError as err:
        raise LedgerError(f"export: cannot write {args.output}: {err.strerror or err}") from None
    print(f"ledger-tool: export: {n} rows written to {one_line(str(_folder(args.output)))} (datapackage.json, "
          f"ledger.csv; Fiscal Data Package)", file=sys.stderr)
    return 0
