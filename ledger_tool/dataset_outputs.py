"""report and export on a partitioned Parquet dataset
(``ledger_tool.dataset_commands`` runs them): the journal's report and
export writers fed partition by partition; imported only when one runs."""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from ledger.atomic import atomic_file
from ledger.book import Book
from ledger.errors import LedgerError, UsageError
from ledger.read.dataset import amount_places, dataset_options
from ledger.safe_io import guard_output
from ledger.text_safety import one_line
from ledger_tool.cmd_export import SUFFIXES, _constant, _folder, check_output
from ledger_tool.cmd_report import audit_verdict, report_options, say_written, write_report
from ledger_tool.common import check_locale, refuse_ledger_output
from ledger_tool.dataset_audit import dataset_audit
from ledger_tool.dataset_scan import (entry_filters, export_scan, print_warnings,
                                      streamed, valued_scan)
from reports import dataset as ds
from reports.options import ReportOptions
from reports.fdp import CSV_NAME, FIELDS, write_descriptor
from reports.pagedata import HTML_TABLE_LIMIT, audit_flags
from reports.tables import nothing_to_report
from reports.text import inert_frame
from reports.valuation import Spec


def run_report(args) -> int:
    """The journal's report (``cmd_report.write_report``: workbook, charts,
    page, summary.csv) from the partitions' combined totals
    (``reports.dataset.dataset_report``), with the dataset's tables as CSV;
    the per-entry parts carry the largest entries and say where the rest are."""

    if args.depth is not None and args.depth < 1:
        raise UsageError("--depth must be 1 or more")
    if args.top < 2:
        raise UsageError("--top must be 2 or more")
    out = Path(args.out)
    try:
        refuse_ledger_output(out, [args.ledger], folder=True)   # never a ledger's data
        guard_output(out, force=args.force, folder=True)
    except LedgerError as err:
        raise LedgerError(f"report: --out {err}") from None
    audit = None
    if args.sources:   # a pass of its own, before the report's (ledger_tool.dataset_audit)
        audit = dataset_audit(args, args.sources)
        print(f"audit: {audit.summary()}", file=sys.stderr)
    locale = check_locale(args.locale or "en_GB")
    currency = (args.currency or "GBP").upper()
    options = report_options(args, currency, locale)
    limit = args.entries_sheet_limit
    keep = min(ENTRIES_KEPT, max(limit or ENTRIES_KEPT, HTML_TABLE_LIMIT))
    collected = ds.ReportParts(keep)
    given = args.horizon not in (None, "")
    flags = audit_flags(audit)     # the page marks the flagged entries it does not list
    # paid counts a payment once across partitions: their links in the first pass
    found, options = valued_scan(args, ds.report_part,
                                 lambda o: (o, keep, not given, flags), options, collected,
                                 paid=True)
    print_warnings(found)
    # after every partition, with the payments --funder leaves out (reports.tables)
    nothing_to_report(sum(p["entries"] for p in collected.parts), collected.by_others)
    where = (f"ledger-tool list {args.ledger} --format csv (one row per entry) or "
             f"ledger-tool export {args.ledger} --to csv (one per entry and purpose)")
    report = ds.dataset_report(collected, options, Path(args.ledger).name, keep, where)
    report.extra["data files"] = {
        f"{name}.csv": inert_frame(report.extra["tables"][name]).to_csv(index=False)
        for name in ds.REPORT_TABLES if name != "summary"}
    written = write_report(report, out, audit=audit, entries_limit=limit, amounts=args.amounts,
                           scale=args.scale)
    say_written(report, written, args, locale)
    print(f"ledger-tool: report: {found.entries} entries from {len(found.files)} partition "
          f"files", file=sys.stderr)
    return audit_verdict(audit, out)


# the largest entries a dataset's report carries for its Entries sheet and
# page at most, whatever --entries-sheet-limit (every partition sends its own)
ENTRIES_KEPT = 20_000


def run_export(args) -> int:

    fmt = args.fmt or SUFFIXES.get(Path(args.output).suffix.lower())
    if fmt not in ("csv", "parquet", "hledger", "beancount", "fdp"):
        raise UsageError("on a partitioned dataset export writes --to csv, parquet, hledger, "
                         "beancount or fdp, partition by partition")
    check_output(args, fmt)
    constant = _constant(args, fmt)
    currency = (args.currency or "GBP").upper()
    journal = fmt in ("hledger", "beancount")
    options = {"currency": currency, "valuation": args.valuation,
               "basis": "total" if fmt == "fdp" else args.basis or (
                   "total" if journal else "recorded"),
               "years": args.years or "calendar" if fmt == "fdp" else args.years,
               "horizon": args.horizon, "rates": args.rates, "constant": constant}
    if journal and options["basis"] not in ("total", "recorded"):
        raise LedgerError(f"export: --to {fmt} holds the total over each period (by year) or "
                          f"the amounts as recorded; not basis {options['basis']!r}")
    if journal and options["basis"] == "recorded" and args.years:
        raise LedgerError(f"export: --to {fmt} --basis recorded posts one transaction per "
                          f"entry; --years applies to the export by year (the default)")
    spec = None
    if (options["basis"] == "total" or options["basis"] == "per-year" and args.years) \
            and not args.horizon:
        # the dataset's default horizon, gathered in the pass (export_scan)
        spec = Spec.of(ReportOptions(currency=currency, years=args.years or "calendar"))
    facts: list = []
    # amounts as one bulk file of the rows reads them: at the dataset's places
    filters, places = entry_filters(args), amount_places(args.ledger)
    if fmt == "fdp":
        n = _fdp(args, options, facts, spec, filters, places)
    elif journal:
        n = _journal(args, fmt, options, facts, spec, filters, places)
    elif fmt == "parquet":
        n = _parquet(args, options, facts, spec, filters, places)
    else:
        n, _ = streamed(args, ds.export_part, (filters, places, options), args.output,
                        empty=f"export: no entries in {args.ledger} match the filters",
                        facts=facts, spec=spec, options=options)
    said = ReportOptions(currency=currency, valuation=args.valuation, horizon=args.horizon,
                         deflator=args.deflator, base_year=args.base_year)
    for note in ds.whole_notes(ds.whole_facts(facts), said):   # as a journal's export
        print(f"ledger-tool: export: note: {note}", file=sys.stderr)
    if fmt == "fdp":
        print(f"ledger-tool: export: {n} rows written to {one_line(str(_folder(args.output)))} "
              f"(datapackage.json, ledger.csv; Fiscal Data Package)", file=sys.stderr)
    elif args.output != "-":
        what = "transactions" if journal else "rows"
        print(f"ledger-tool: export: {n} {what} written to {one_line(str(args.output))} ({fmt})",
              file=sys.stderr)
    return 0


def _fdp(args, options: dict, facts: list, spec, filters: dict, places: int) -> int:
    """A Fiscal Data Package: each partition's rows of ledger.csv into it as
    they come (written atomically once every partition passed), then
    datapackage.json with the rows counted and the dataset's horizon."""
    parts: list[dict] = []

    def sink(part):
        out.write(part.pop("text"))
        facts.append(part.pop("notes"))
        parts.append(part)

    def restart():
        out.seek(0)
        out.truncate()
        out.write(",".join(FIELDS) + "\n")
        facts.clear()
        parts.clear()

    folder = Path(args.output)
    with atomic_file(folder / CSV_NAME, text=True) as out:
        out.write(",".join(FIELDS) + "\n")
        found = export_scan(args, ds.fdp_part, (filters, places, options), sink,
                            spec=spec, options=options, restart=restart)
        if not parts:
            raise LedgerError(f"export: no entries in {args.ledger} match the filters")
    n = sum(p["count"] for p in parts)
    used = next((p["used"] for p in parts if p["used"] is not None), None)
    write_descriptor(_options_book(args.ledger), folder, options["currency"],
                     used, n, options["constant"])
    print_warnings(found)
    return n


def _parquet(args, options: dict, facts: list, spec, filters: dict, places: int) -> int:
    """Each partition's Parquet rows into a temporary folder as they come,
    then one file of them all, written atomically; each partition's notes'
    facts into ``facts``."""
    with tempfile.TemporaryDirectory(prefix="ledger-tool-export-") as folder:
        files: list[Path] = []

        def sink(part):
            data, notes = part
            facts.append(notes)
            files.append(Path(folder) / f"part-{len(files):05d}.parquet")
            files[-1].write_bytes(data)

        def restart():
            for f in files:
                f.unlink()
            files.clear()
            facts.clear()

        found = export_scan(args, ds.parquet_part, (filters, places, options), sink,
                            spec=spec, options=options, restart=restart)
        if not files:
            raise LedgerError(f"export: no entries in {args.ledger} match the filters")
        with atomic_file(Path(args.output)) as out:
            n = ds.parquet_whole(files, out)
    print_warnings(found)
    return n


def _journal(args, fmt: str, options: dict, facts: list, spec, filters: dict, places: int) -> int:
    """hledger or beancount text: each partition's transactions into a
    temporary file as they come, then the header made from every partition
    (currencies, prices, accounts' first dates) and the file written whole,
    atomically (or to stdout); each partition's notes' facts into ``facts``."""
    parts: list[dict] = []

    def sink(part):
        tmp.write(part.pop("text"))
        facts.append(part.pop("notes"))
        parts.append(part)

    with tempfile.TemporaryFile("w+", encoding="utf-8") as tmp:
        def restart():
            tmp.seek(0)
            tmp.truncate()
            facts.clear()
            parts.clear()

        found = export_scan(args, ds.journal_part, (filters, places, fmt, options), sink,
                            spec=spec, options=options, restart=restart)
        if not parts:
            raise LedgerError(f"export: no entries in {args.ledger} match the filters")
        head = ds.journal_head(parts, fmt, options, _options_book(args.ledger))
        tmp.seek(0)
        if args.output == "-":
            sys.stdout.write(head)
            shutil.copyfileobj(tmp, sys.stdout)
            sys.stdout.flush()
        else:
            with atomic_file(Path(args.output), text=True) as out:
                out.write(head)
                shutil.copyfileobj(tmp, out)
    print_warnings(found)
    return sum(p["count"] for p in parts)


def _options_book(path) -> Book:
    """An empty Book with the dataset's options (its fiscal year start) for
    the headers and descriptors that name them."""
    return Book.from_entries((), options=dataset_options(path)[0], root=Path(path))
