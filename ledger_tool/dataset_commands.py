"""check, list, balance, report and export on a partitioned Parquet dataset
(``ledger.read.dataset``), partition by partition, locally or on a Dask
cluster (``--scheduler ADDRESS`` or ``LEDGER_TOOL_SCHEDULER``).

``report`` and ``export``, which load the report's and the exports'
writers, are in ``ledger_tool.dataset_outputs``, imported only when one
runs (this module is imported at every command's start); the pass they
share in ``ledger_tool.dataset_scan``.  Every other command reads a
dataset whole (``ledger.read_book``)."""
from __future__ import annotations

import dataclasses
import importlib
import json
import shutil
import sys
import tempfile

from ledger.errors import UsageError
from ledger.model import one_line
from ledger.read.dataset import SCHEDULER_ENV, is_dataset, scan
from ledger.read.documents import citations_unchecked, documents_file
from ledger_tool.common import (check_locale, none_match, print_capped,
                                refuse_conversion_without_currency)
from ledger_tool.dataset_scan import (entries_scan, entry_filters, print_warnings, streamed,
                                      valued_scan)
from reports import dataset as ds
from reports.notes import linked_note
from reports.options import ReportOptions
from reports.listing import LIST_MONEY
from reports.text import aligned_lines, cell_widths, format_table, table_cells, write_rows

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
    if args.command in OUTPUTS:   # their writers are loaded only when they run
        return getattr(importlib.import_module("ledger_tool.dataset_outputs"),
                       f"run_{args.command}")(args)
    return globals()[f"_{args.command}"](args)


OUTPUTS = ("report", "export")


def _none_match(found, entries: int | bool, args) -> None:
    """The journal's warning when the filters leave no entry (``entries``:
    how many they leave, or whether any)."""
    if found.entries and not entries:
        print(none_match(args, found.entries), file=sys.stderr)


def _check(args) -> int:
    found = scan(args.ledger, scheduler=args.scheduler)
    errs = len(found.errors)
    warns = len(found.problems) - errs
    print_capped(found.problems)
    if found.citations and not documents_file(args.ledger).exists():
        print(f"ledger-tool: check: note: {citations_unchecked(args.ledger, found.citations)}",
              file=sys.stderr)
    failed = errs or (args.strict and warns)
    print(f"{one_line(args.ledger)}: {found.entries} entries, {len(found.documents or {})} documents, "
          f"{len(found.files)} partition files, "
          f"{errs} error(s), {warns} warning(s)", file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _balance(args) -> int:

    locale = check_locale(args.locale)
    if args.depth is not None and args.depth < 1:
        raise UsageError("--depth must be 1 or more")
    if args.currency is None:
        refuse_conversion_without_currency(args)
        found = entries_scan(args, ds.recorded_part, (entry_filters(args),))
        rows, linked, n, facts = ds.combine_recorded([r for r in found.results if r],
                                                     args.depth)
        notes = ds.balance_notes(facts)
    else:
        options = ReportOptions(
            currency=args.currency.upper(), valuation=args.valuation,
            years="fiscal" if args.by == "fiscal-year" else "calendar",
            horizon=args.horizon, rates=args.rates, deflator=args.deflator,
            base_year=args.base_year)
        by = "year" if args.by else None
        recorded = args.basis == "recorded"   # every amount a one-off: no horizon needed

        def fargs(o):
            return entry_filters(args), o, by, recorded
        if recorded:
            found = entries_scan(args, ds.converted_part, fargs(options))
        else:
            found, options = valued_scan(args, ds.converted_part, fargs, options)
        rows, facts, linked, n = ds.combine_converted([r for r in found.results if r],
                                                      options.currency, by, args.depth)
        notes = ds.balance_notes(facts, dataclasses.replace(options, horizon=args.horizon)) \
            if n else []
    print_warnings(found)
    _none_match(found, n, args)
    write_rows(rows, args.format, locale=locale, money=("amount", "currency"),
               indent_key="account")
    if len(linked):
        notes.insert(0, linked_note(linked))
    uncounted = ds.uncounted_note(facts)
    if uncounted:
        notes.insert(0, uncounted)
    for note in notes:
        print(f"ledger-tool: balance: note: {note}", file=sys.stderr)
    return 0


def _list(args) -> int:
    locale = check_locale(args.locale)
    if args.format == "csv":
        rows, found = streamed(args, ds.list_part, (entry_filters(args), "csv", locale), None)
        _none_match(found, rows, args)
        return 0
    if args.format == "table":
        return _list_table(args, locale)
    state = {"first": True}

    def sink(text):
        if text:
            tmp.write(("[\n" if state["first"] else ",\n") + text)
            state["first"] = False

    with tempfile.TemporaryFile("w+", encoding="utf-8") as tmp:
        found = entries_scan(args, ds.list_part, (entry_filters(args), "json", locale), sink)
        tmp.write("[]\n" if state["first"] else "\n]\n")
        tmp.seek(0)
        shutil.copyfileobj(tmp, sys.stdout)
        sys.stdout.flush()
    print_warnings(found)
    _none_match(found, not state["first"], args)
    return 0


def _list_table(args, locale: str) -> int:
    """The journal's table (``reports.text.format_table``), partition by
    partition: each partition's cells go to a temporary file (a JSON list a
    row) while the widest cell of every column is kept; once every partition
    passed, the rows are aligned to those widths: the same text as the table
    of the same rows read whole."""
    state: dict = {"head": None, "widths": []}

    def sink(rows):
        if not rows:
            return
        headers, numeric, cells = table_cells(rows, locale=locale, money=LIST_MONEY)
        if state["head"] is None:
            state["head"] = (headers, numeric)
            state["widths"] = cell_widths([headers])
        state["widths"] = cell_widths(cells, state["widths"])
        tmp.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in cells)

    with tempfile.TemporaryFile("w+", encoding="utf-8") as tmp:
        found = entries_scan(args, ds.list_part, (entry_filters(args), "table", locale), sink)
        tmp.seek(0)
        if state["head"] is None:
            sys.stdout.write(format_table([]) + "\n")
        else:
            headers, numeric = state["head"]
            lines = aligned_lines(state["widths"], numeric, (json.loads(t) for t in tmp),
                                  headers)
            sys.stdout.writelines(line + "\n" for line in lines)
        sys.stdout.flush()
    print_warnings(found)
    _none_match(found, state["head"] is not None, args)
    return 0
