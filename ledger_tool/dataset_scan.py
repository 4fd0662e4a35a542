"""One pass over a partitioned Parquet dataset for a command
(``ledger_tool.dataset_commands``, ``ledger_tool.dataset_outputs``): the
filters, errors that stop the command, the horizon's pass, text streamed
into a file."""
from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path

from ledger.atomic import atomic_file
from ledger.errors import LedgerError
from ledger.read.dataset import scan
from ledger_tool.common import capped, print_capped
from reports import dataset as ds
from reports.dataset import without_header
from reports.options import ReportOptions
from reports.valuation import Spec, horizon_from


def entry_filters(args) -> dict:
    return {k: v for k, v in (("funder", args.funder), ("purpose", args.purpose),
                              ("status", args.status), ("start", args.start),
                              ("end", args.end)) if v}


def checked_scan(args, func=None, fargs=(), sink=None):
    """One pass; errors stop the command as ``load_ledger`` stops it."""
    found = scan(args.ledger, func, fargs, scheduler=getattr(args, "scheduler", None),
                 sink=sink)
    errs = found.errors
    if errs:
        raise LedgerError("\n".join(capped(str(p) for p in errs))
                          + f"\n{len(errs)} error(s) in {args.ledger}; run 'ledger-tool check "
                            f"{args.ledger}'")
    return found


def valued_scan(args, func, fargs_of, options: ReportOptions, collect=None):
    """(the scan, the options used): ``func`` over every partition with
    ``fargs_of(options)``.  Without --horizon, one pass also gathers each
    partition's horizon facts; only when some partition holds an open-ended
    amount is there a second pass, at the dataset's default horizon (the
    rule of ``reports.valuation.default_horizon``, whatever the filters).
    ``collect`` (``reports.dataset.ReportParts``): each result goes to its
    ``add`` as it comes, none kept in the scan."""
    if options.horizon not in (None, ""):
        return checked_scan(args, func, fargs_of(options), collect and collect.add), options
    facts: list = []

    def first(result):
        facts.append(result[0])
        collect.add(result[1])
    found = checked_scan(args, ds.horizon_part, (Spec.of(options), func, fargs_of(options)),
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
    return checked_scan(args, func, fargs_of(options), collect and collect.add), options


def export_scan(args, func, fargs, sink, *, spec=None, options=None, restart=None):
    """``checked_scan(args, func, fargs, sink)`` for an export, whose rows
    are written as they come.  ``spec``: the dataset's default horizon is
    needed (no --horizon, a basis that counts years): one pass gathers every
    partition's horizon facts and writes, in order, the partitions before
    the first holding an open-ended amount (the rows of bounded entries do
    not depend on the horizon).  Only when some partition holds one is
    ``options["horizon"]`` set to the default and, after ``restart()``
    (the caller's output emptied), every partition written again: a
    dataset with no open-ended amount is read once, not twice."""
    if spec is None:
        return checked_scan(args, func, fargs, sink)
    facts: list = []
    state = {"open": False}

    def first(result):
        facts.append(result[0])
        state["open"] = state["open"] or result[0][0]
        if not state["open"] and result[1] is not None:   # None: nothing left by the filters
            sink(result[1])

    found = checked_scan(args, ds.horizon_part, (spec, func, fargs), first)
    horizon = horizon_from(facts)
    if horizon is None:
        return found
    options["horizon"] = horizon
    if restart is not None:
        restart()
    return checked_scan(args, func, fargs, sink)


def print_warnings(found) -> None:
    print_capped(str(p) for p in found.problems)


def streamed(args, func, fargs, out_path, empty: str | None = None,
             facts: list | None = None, spec=None, options=None):
    """Each partition's CSV text in the dataset's order, into ``out_path``
    (atomically) or stdout, only once every partition and the rules across
    them passed: written to a temporary file first.  (The rows written, as
    ``func`` counts them with its text (a quoted cell may hold a line break),
    the scan).
    ``empty``: the error when no partition gives a row (nothing is written).
    ``facts``: gets what ``func`` gives after its text and count, if anything.
    ``spec``, ``options``: the default horizon is needed (``export_scan``)."""

    state = {"first": True, "rows": 0}

    def sink(part):
        text, rows, *more = part
        if facts is not None and more and more[0] is not None:
            facts.append(more[0])
        if text:
            tmp.write(without_header(text, state["first"]))
            state["first"] = False
            state["rows"] += rows

    def restart():
        tmp.seek(0)
        tmp.truncate()
        state.update(first=True, rows=0)
        if facts is not None:
            facts.clear()

    def scanned():
        found = export_scan(args, func, fargs, sink, spec=spec, options=options,
                            restart=restart)
        if empty is not None and state["first"]:
            raise LedgerError(empty)
        return found

    if out_path not in (None, "-"):
        with atomic_file(Path(out_path), text=True) as tmp:
            found = scanned()
    else:
        with tempfile.TemporaryFile("w+", encoding="utf-8") as tmp:
            found = scanned()
            tmp.seek(0)
            shutil.copyfileobj(tmp, sys.stdout)
            sys.stdout.flush()
    print_warnings(found)
    return state["rows"], found
