"""check, list, balance, report and export on a partitioned Parquet dataset
(``ledger.read.dataset``), partition by partition, locally or on a Dask
cluster (``--scheduler ADDRESS`` or ``LEDGER_TOOL_SCHEDULER``).

Every other command reads a dataset whole (``ledger.read_book``)."""
from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path

from ledger.atomic import atomic_file
from ledger.book import Book
from ledger.errors import LedgerError, UsageError
from ledger.read.dataset import SCHEDULER_ENV, is_dataset, scan
from ledger.safe_io import guard_output
from ledger_tool.cmd_export import SUFFIXES
from ledger_tool.cmd_report import summary_rows, write_report
from ledger_tool.common import capped, check_locale, print_capped
from reports import dataset as ds
from reports.dataset import without_header
from reports.notes import linked_note
from reports.options import ReportOptions
from reports.pagedata import HTML_TABLE_LIMIT
from reports.valuation import Spec, horizon_from
from reports.workbook import sheet_cuts
from reports.text import inert_frame, write_rows

COMMANDS = ("check", "list", "balance", "report", "export")


def add_scheduler_option(sub) -> None:
    """``--scheduler ADDRESS`` on the commands that work partition by partition."""
    for name in COMMANDS:
        parser = sub.choices.get(name)
        if parser is not None:
            parser.add_argument(
                "--scheduler", metavar="ADDRESS",
                help=f"on a partitioned Parquet dataset (a folder NAME.parquet): run on the "
                     f"Dask cluster at ADDRESS (tcp://host:8786; default: "
                     f"${SCHEDULER_ENV}, else this machine); docs/scale.md")


def dispatch(args) -> int | None:
    """The command's result when its ledger is a dataset, else None."""
    if args.command not in COMMANDS:
        return None
    if not is_dataset(getattr(args, "ledger", "") or ""):
        if getattr(args, "scheduler", None):
            print(f"ledger-tool: {args.command}: note: --scheduler runs a partitioned Parquet "
                  f"dataset (a folder NAME.parquet) on a cluster; {args.ledger} is read here",
                  file=sys.stderr)
        return None
    return globals()[f"_{args.command}"](args)


def _filters(args) -> dict:
    return {k: v for k, v in (("funder", args.funder), ("purpose", args.purpose),
                              ("status", args.status), ("start", args.start),
                              ("end", args.end)) if v}


def _scan(args, func=None, fargs=(), sink=None):
    """One pass; errors stop the command as ``load_ledger`` stops it."""
    found = scan(args.ledger, func, fargs, scheduler=getattr(args, "scheduler", None),
                 sink=sink)
    errs = found.errors
    if errs:
        raise LedgerError("\n".join(capped(str(p) for p in errs))
                          + f"\n{len(errs)} error(s) in {args.ledger}; run 'ledger-tool check "
                            f"{args.ledger}'")
    return found


def _valued_scan(args, func, fargs_of, options: ReportOptions, collect=None):
    """(the scan, the options used): ``func`` over every partition with
    ``fargs_of(options)``.  Without --horizon, one pass also gathers each
    partition's horizon facts; only when some partition holds an open-ended
    amount is there a second pass, at the dataset's default horizon (the
    rule of ``reports.valuation.default_horizon``, whatever the filters).
    ``collect`` (``reports.dataset.ReportParts``): each result goes to its
    ``add`` as it comes, none kept in the scan."""
    if options.horizon not in (None, ""):
        return _scan(args, func, fargs_of(options), collect and collect.add), options
    facts: list = []

    def first(result):
        facts.append(result[0])
        collect.add(result[1])
    found = _scan(args, ds.horizon_part, (Spec.of(options), func, fargs_of(options)),
                  first if collect is not None else None)
    if collect is None:
        facts = [r[0] for r in found.results if r is not None]
    horizon = horizon_from(facts)
    if horizon is None:
        found.results = [None if r is None else r[1] for r in found.results]
        return found, options
    options = dataclasses.replace(options, horizon=horizon)
    if collect is not None:
        collect.clear()
    return _scan(args, func, fargs_of(options), collect and collect.add), options


def _warnings(found) -> None:
    print_capped(str(p) for p in found.problems)


def _none_match(found, entries: int, args) -> None:
    if found.entries and not entries:
        print(f"ledger-tool: warning: no entries match the filters: all {found.entries} left "
              f"out", file=sys.stderr)


def _check(args) -> int:
    found = scan(args.ledger, scheduler=args.scheduler)
    errs = len(found.errors)
    warns = len(found.problems) - errs
    print_capped(str(p) for p in found.problems)
    failed = errs or (args.strict and warns)
    print(f"{args.ledger}: {found.entries} entries, {len(found.files)} partition files, "
          f"{errs} error(s), {warns} warning(s)", file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _balance(args) -> int:

    locale = check_locale(args.locale)
    if args.depth is not None and args.depth < 1:
        raise UsageError("--depth must be 1 or more")
    if args.currency is None:
        if args.by or args.horizon or args.rates or args.deflator or \
                args.valuation != "entry-date" or args.basis != "total":
            raise UsageError("--by, --horizon, --rates, --deflator, --valuation and --basis "
                             "need --currency (recorded balances are per currency)")
        found = _scan(args, ds.recorded_part, (_filters(args),))
        rows, linked, n = ds.combine_recorded([r for r in found.results if r], args.depth)
        notes = []
    else:
        options = ReportOptions(
            currency=args.currency.upper(), valuation=args.valuation,
            years="fiscal" if args.by == "fiscal-year" else "calendar",
            horizon=args.horizon, rates=args.rates, deflator=args.deflator,
            base_year=args.base_year)
        by = "year" if args.by else None
        recorded = args.basis == "recorded"   # every amount a one-off: no horizon needed

        def fargs(o):
            return _filters(args), o, by, recorded
        if recorded:
            found = _scan(args, ds.converted_part, fargs(options))
        else:
            found, options = _valued_scan(args, ds.converted_part, fargs, options)
        rows, notes, linked, n = ds.combine_converted([r for r in found.results if r],
                                                      options.currency, by, args.depth)
        if not n:
            raise UsageError("no entries match the filters; nothing to convert")
    _warnings(found)
    _none_match(found, n, args)
    write_rows(rows, args.format, locale=locale, money=("amount", "currency"),
               indent_key="account")
    if len(linked):
        notes.insert(0, linked_note(linked))
    for note in notes:
        print(f"ledger-tool: balance: note: {note}", file=sys.stderr)
    return 0


def _report(args) -> int:
    """The journal's report (``cmd_report.write_report``: workbook, charts,
    page, summary.csv) from the partitions' combined totals
    (``reports.dataset.dataset_report``), with the dataset's tables as CSV;
    the per-entry parts carry the largest entries and say where the rest are."""

    if args.depth is not None and args.depth < 1:
        raise UsageError("--depth must be 1 or more")
    if args.top < 2:
        raise UsageError("--top must be 2 or more")
    if args.sources:
        raise UsageError("--sources (the audit) reads a ledger whole: on a partitioned "
                         "dataset, audit a journal or bulk file of its entries")
    out = Path(args.out)
    try:
        guard_output(out, ledger=args.ledger, force=args.force, folder=True)
    except LedgerError as err:
        raise LedgerError(f"report: --out {err}") from None
    locale = check_locale(args.locale or "en_GB")
    currency = (args.currency or "GBP").upper()
    options = ReportOptions(
        currency=currency, valuation=args.valuation, basis=args.basis, years=args.years,
        horizon=args.horizon, locale=locale, funder=tuple(args.funder or ()),
        purpose=tuple(args.purpose or ()), status=tuple(args.status or ()),
        start=args.start, end=args.end, compare=tuple(args.compare or ()), depth=args.depth,
        top=args.top, rates=args.rates, title=args.title, amounts=args.amounts,
        deflator=args.deflator, base_year=args.base_year)
    limit = args.entries_sheet_limit
    keep = min(ENTRIES_KEPT, max(limit or ENTRIES_KEPT, HTML_TABLE_LIMIT))
    collected = ds.ReportParts()
    found, options = _valued_scan(args, ds.report_part, lambda o: (o, keep), options, collected)
    _warnings(found)
    if not collected.parts:
        raise LedgerError("no entries match the filters; nothing to report")
    where = (f"ledger-tool list {args.ledger} --format csv (one row per entry) or "
             f"ledger-tool export {args.ledger} --to csv (one per entry and purpose)")
    report = ds.dataset_report(collected, options, Path(args.ledger).name, keep, where)
    report.extra["data files"] = {
        f"{name}.csv": inert_frame(report.extra["tables"][name]).to_csv(index=False)
        for name in ds.REPORT_TABLES if name != "summary"}
    written = write_report(report, out, entries_limit=limit, amounts=args.amounts,
                           scale=args.scale)
    write_rows(summary_rows(report), args.format, locale=locale,
               money=("amount", "currency"), amounts=args.amounts)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    for note in report.notes:
        if note not in report.warnings:
            print(f"note: {note}", file=sys.stderr)
    for warning in report.warnings:
        print(f"ledger-tool: report: {warning[0].lower()}{warning[1:]}", file=sys.stderr)
    for sheet, note in sheet_cuts(report, limit):
        print(f"note: the workbook's {sheet} sheet: {note[0].lower()}{note[1:]}",
              file=sys.stderr)
    print(f"ledger-tool: report: {found.entries} entries from {len(found.files)} partition "
          f"files", file=sys.stderr)
    return 0


# the largest entries a dataset's report carries for its Entries sheet and
# page at most, whatever --entries-sheet-limit (every partition sends its own)
ENTRIES_KEPT = 20_000


def _streamed(args, func, fargs, out_path) -> int:
    """Each partition's CSV text in the dataset's order, into ``out_path``
    (atomically) or stdout, only once every partition and the rules across
    them passed: written to a temporary file first."""

    state = {"first": True, "rows": 0}

    def sink(text):
        if text:
            body = without_header(text, state["first"])
            state["first"] = False
            state["rows"] += body.count("\n")
            tmp.write(body)

    if out_path not in (None, "-"):
        with atomic_file(Path(out_path), text=True) as tmp:
            found = _scan(args, func, fargs, sink)
    else:
        with tempfile.TemporaryFile("w+", encoding="utf-8") as tmp:
            found = _scan(args, func, fargs, sink)
            tmp.seek(0)
            shutil.copyfileobj(tmp, sys.stdout)
            sys.stdout.flush()
    _warnings(found)
    return state["rows"] - (0 if state["first"] else 1)


def _list(args) -> int:
    if args.format == "table":
        raise UsageError("on a partitioned dataset list writes --format csv or json (millions "
                         "of rows: a table's columns would be as wide as the widest row of all)")
    locale = check_locale(args.locale)
    if args.format == "csv":
        _streamed(args, ds.list_part, (_filters(args), "csv", locale), None)
        return 0
    state = {"first": True}

    def sink(text):
        if text:
            tmp.write(("[\n" if state["first"] else ",\n") + text)
            state["first"] = False

    with tempfile.TemporaryFile("w+", encoding="utf-8") as tmp:
        found = _scan(args, ds.list_part, (_filters(args), "json", locale), sink)
        tmp.write("[]\n" if state["first"] else "\n]\n")
        tmp.seek(0)
        shutil.copyfileobj(tmp, sys.stdout)
        sys.stdout.flush()
    _warnings(found)
    return 0


def _export(args) -> int:

    fmt = args.fmt or SUFFIXES.get(Path(args.output).suffix.lower())
    if fmt not in ("csv", "parquet", "hledger", "beancount"):
        raise UsageError("on a partitioned dataset export writes --to csv, parquet, hledger "
                         "or beancount, partition by partition (fdp needs the whole ledger "
                         "in memory)")
    if args.output == "-" and fmt == "parquet":
        raise LedgerError("export: parquet is not a stream; give a file with -o")
    if args.deflator or args.base_year:
        raise UsageError("on a partitioned dataset export does not deflate (--deflator)")
    if args.output != "-":
        try:
            guard_output(args.output, ledger=args.ledger, force=args.force)
        except LedgerError as err:
            raise LedgerError(f"export: -o {err}") from None
    currency = (args.currency or "GBP").upper()
    journal = fmt in ("hledger", "beancount")
    options = {"currency": currency, "valuation": args.valuation,
               "basis": args.basis or ("total" if journal else "recorded"), "years": args.years,
               "horizon": args.horizon, "rates": args.rates}
    if journal and options["basis"] not in ("total", "recorded"):
        raise LedgerError(f"export: --to {fmt} holds the total over each period (by year) or "
                          f"the amounts as recorded; not basis {options['basis']!r}")
    if journal and options["basis"] == "recorded" and args.years:
        raise LedgerError(f"export: --to {fmt} --basis recorded posts one transaction per "
                          f"entry; --years applies to the export by year (the default)")
    if options["basis"] != "recorded" and not args.horizon:
        # the rows are written as they come: the horizon is needed before the pass
        spec = Spec.of(ReportOptions(currency=currency, years=args.years or "calendar"))
        found = _scan(args, ds.horizon_part, (spec,))
        options["horizon"] = horizon_from(r[0] for r in found.results if r is not None)
    if journal:
        n = _journal(args, fmt, options)
    elif fmt == "parquet":
        n = _parquet(args, options)
    else:
        n = _streamed(args, ds.export_part, (_filters(args), options), args.output)
    if args.output != "-":
        what = "transactions" if journal else "rows"
        print(f"ledger-tool: export: {n} {what} written to {args.output} ({fmt})",
              file=sys.stderr)
    return 0


def _parquet(args, options: dict) -> int:
    """Each partition's Parquet rows into a temporary folder as they come,
    then one file of them all, written atomically."""
    with tempfile.TemporaryDirectory(prefix="ledger-tool-export-") as folder:
        files: list[Path] = []

        def sink(data):
            files.append(Path(folder) / f"part-{len(files):05d}.parquet")
            files[-1].write_bytes(data)

        found = _scan(args, ds.parquet_part, (_filters(args), options), sink)
        if not files:
            raise LedgerError(f"export: no entries in {args.ledger} match the filters")
        with atomic_file(Path(args.output)) as out:
            n = ds.parquet_whole(files, out)
    _warnings(found)
    return n


def _journal(args, fmt: str, options: dict) -> int:
    """hledger or beancount text: each partition's transactions into a
    temporary file as they come, then the header made from every partition
    (currencies, prices, accounts' first dates) and the file written whole,
    atomically (or to stdout)."""
    parts: list[dict] = []

    def sink(part):
        tmp.write(part.pop("text"))
        parts.append(part)

    with tempfile.TemporaryFile("w+", encoding="utf-8") as tmp:
        found = _scan(args, ds.journal_part, (_filters(args), fmt, options), sink)
        if not parts:
            raise LedgerError(f"export: no entries in {args.ledger} match the filters")
        head = ds.journal_head(parts, fmt, options, Book.from_entries((), root=Path(args.ledger)))
        tmp.seek(0)
        if args.output == "-":
            sys.stdout.write(head)
            shutil.copyfileobj(tmp, sys.stdout)
            sys.stdout.flush()
        else:
            with atomic_file(Path(args.output), text=True) as out:
                out.write(head)
                shutil.copyfileobj(tmp, out)
    for note in ds.merged_notes(p["notes"] for p in parts):
        print(f"ledger-tool: export: note: {note}", file=sys.stderr)
    _warnings(found)
    return sum(p["count"] for p in parts)
