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
from reports.filters import counted_as_themselves_note
from reports.options import ReportOptions
from reports.valuation import Spec, horizon_from


def entry_filters(args) -> dict:
    return {k: v for k in ("funder", "purpose", "status", "start", "end")
            if (v := getattr(args, k, None))}


def checked_scan(args, func=None, fargs=(), sink=None):
    """One pass; errors stop the command as ``load_ledger`` stops it."""
    found = scan(args.ledger, func, fargs, scheduler=getattr(args, "scheduler", None),
                 sink=sink)
    errs = found.errors
    if errs:
        raise LedgerError("\n".join(capped(errs))
                          + f"\n{len(errs)} error(s) in {args.ledger}; run 'ledger-tool check "
                            f"{args.ledger}'")
    return found


def horizon_scan(args, func, fargs_of, spec, sink=None, restart=None, paid=False):
    """(the scan, the dataset's default horizon or None): ``func`` over every
    partition with ``fargs_of(None)``, one pass also gathering each
    partition's horizon facts (with ``spec``) and what its results read of
    links that may lead to another partition (``reports.dataset.horizon_part``:
    with ``paid`` the report's paid, with --status the linked entries
    counted as themselves).  ``sink`` gets each result as it comes while no
    partition so far needs the others' facts (without ``sink`` they are kept
    in the scan; with ``sink`` and no ``restart``, the first pass gives
    nothing when links are read).  Only when some partition needs them is
    there a second pass: after ``restart()`` (what ``sink`` was given
    dropped), ``func`` over every partition with ``fargs_of(horizon)`` at
    the dataset's default horizon (the rule of
    ``reports.valuation.default_horizon``, whatever the filters; None
    without ``spec`` or an open-ended amount) and the links' facts of every
    partition (``reports.dataset.across``).  A dataset whose partitions need
    nothing of each other is read once."""
    facts: list = []
    linked: list = []
    kept: list = []
    again = False
    filters = entry_filters(args)
    links = (filters, paid) if paid or filters.get("status") else None
    first_func = None if links is not None and sink is not None and restart is None else func

    def first(result):
        nonlocal again
        if result[0] is not None:
            facts.append(result[0])
        linked.append(result[1])
        again = again or not result[2] or first_func is None
        if not again and result[3] is not None:   # None: nothing left by the filters
            (sink or kept.append)(result[3])

    found = checked_scan(args, ds.horizon_part, (spec, first_func, fargs_of(None), links), first)
    horizon = horizon_from(facts) if spec is not None else None
    whole = ds.across(linked)
    if whole is not None and not paid:     # the report says it among its notes
        said = counted_as_themselves_note(whole.alone_in_order)
        if said:
            print(f"ledger-tool: note: {said}", file=sys.stderr)
    if not again:
        found.results = kept
        return found, None
    if restart is not None:
        restart()
    if whole is None:
        return checked_scan(args, func, fargs_of(horizon), sink), horizon
    return checked_scan(args, ds.with_across, (whole, func, *fargs_of(horizon)), sink), horizon


def entries_scan(args, func, fargs=(), sink=None, restart=None):
    """``checked_scan`` for a command that needs no horizon; with --status,
    through ``horizon_scan`` (a linked entry's target may sit in another
    partition)."""
    if not getattr(args, "status", None):
        return checked_scan(args, func, fargs, sink)
    return horizon_scan(args, func, lambda h: fargs, None, sink, restart)[0]


def valued_scan(args, func, fargs_of, options: ReportOptions, collect=None, paid=False):
    """(the scan, the options used): ``func`` over every partition with
    ``fargs_of(options)``, without --horizon at the dataset's default
    horizon when some partition needs it (``horizon_scan``; ``paid``: the
    results read the report's paid).  ``collect``
    (``reports.dataset.ReportParts``): each result goes to its ``add`` as it
    comes, none kept in the scan."""
    add = collect.add if collect is not None else None
    clear = collect.clear if collect is not None else None
    if options.horizon not in (None, ""):
        if not paid:
            return entries_scan(args, func, fargs_of(options), add, clear), options
        return horizon_scan(args, func, lambda h: fargs_of(options), None, add, clear,
                            paid and options)[0], options
    found, horizon = horizon_scan(
        args, func, lambda h: fargs_of(options if h is None else
                                       dataclasses.replace(options, horizon=h)),
        Spec.of(options), add, clear, paid and options)   # the options: ds.links_part
    return found, options if horizon is None else dataclasses.replace(options, horizon=horizon)


def export_scan(args, func, fargs, sink, *, spec=None, options=None, restart=None):
    """``checked_scan(args, func, fargs, sink)`` for an export, whose rows
    are written as they come.  ``spec``: the dataset's default horizon is
    needed (no --horizon, a basis that counts years): ``horizon_scan``, the
    second pass with ``fargs`` where ``options`` (the rows' options, one of
    ``fargs``) is a copy at that horizon; ``options`` itself is left as given."""
    if spec is None:
        return entries_scan(args, func, fargs, sink, restart)

    # the options are found among fargs by identity: a copy would lose the horizon
    if not any(a is options for a in fargs):   # a caller's mistake, also under python -O
        raise TypeError("export_scan: fargs must hold the options given")

    def fargs_of(horizon):
        if horizon is None:
            return fargs
        at_horizon = {**options, "horizon": horizon}
        return tuple(at_horizon if a is options else a for a in fargs)
    return horizon_scan(args, func, fargs_of, spec, sink, restart)[0]


def print_warnings(found) -> None:
    print_capped(found.problems)


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

    first, written = True, 0

    def sink(part):
        nonlocal first, written
        text, rows, *more = part
        if facts is not None and more and more[0] is not None:
            facts.append(more[0])
        if text:
            tmp.write(without_header(text, first))
            first = False
            written += rows

    def restart():
        nonlocal first, written
        tmp.seek(0)
        tmp.truncate()
        first, written = True, 0
        if facts is not None:
            facts.clear()

    def scanned():
        found = export_scan(args, func, fargs, sink, spec=spec, options=options,
                            restart=restart)
        if empty is not None and first:
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
    return written, found
