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
        raise LedgerError("\n".join(capped(errs))
                          + f"\n{len(errs)} error(s) in {args.ledger}; run 'ledger-tool check "
                            f"{args.ledger}'")
    return found


def horizon_scan(args, func, fargs_of, spec, sink=None, restart=None):
    """(the scan, the dataset's default horizon or None): ``func`` over every
    partition with ``fargs_of(None)``, one pass also gathering each
    partition's horizon facts (``reports.dataset.horizon_part``); ``sink``
    gets each result as it comes while no partition so far holds an
    open-ended amount (the results of bounded entries do not depend on the
    horizon; without ``sink`` they are kept in the scan).  Only when some
    partition holds one is there a second pass, at the default horizon (the
    rule of ``reports.valuation.default_horizon``, whatever the filters):
    after ``restart()`` (what ``sink`` was given dropped), ``func`` over every
    partition with ``fargs_of(horizon)``.  A dataset with no open-ended
    amount is read once."""
    facts: list = []
    kept: list = []
    opened = False

    def first(result):
        nonlocal opened
        facts.append(result[0])
        opened = opened or result[0][0]
        if not opened and result[1] is not None:   # None: nothing left by the filters
            (sink or kept.append)(result[1])

    found = checked_scan(args, ds.horizon_part, (spec, func, fargs_of(None)), first)
    horizon = horizon_from(facts)
    if horizon is None:
        found.results = kept
        return found, None
    if restart is not None:
        restart()
    return checked_scan(args, func, fargs_of(horizon), sink), horizon


def valued_scan(args, func, fargs_of, options: ReportOptions, collect=None):
    """(the scan, the options used): ``func`` over every partition with
    ``fargs_of(options)``, without --horizon at the dataset's default
    horizon when some partition needs it (``horizon_scan``).  ``collect``
    (``reports.dataset.ReportParts``): each result goes to its ``add`` as it
    comes, none kept in the scan."""
    add = collect.add if collect is not None else None
    if options.horizon not in (None, ""):
        return checked_scan(args, func, fargs_of(options), add), options
    found, horizon = horizon_scan(
        args, func, lambda h: fargs_of(options if h is None else
                                       dataclasses.replace(options, horizon=h)),
        Spec.of(options), add, collect.clear if collect is not None else None)
    return found, options if horizon is None else dataclasses.replace(options, horizon=horizon)


def export_scan(args, func, fargs, sink, *, spec=None, options=None, restart=None):
    """``checked_scan(args, func, fargs, sink)`` for an export, whose rows
    are written as they come.  ``spec``: the dataset's default horizon is
    needed (no --horizon, a basis that counts years): ``horizon_scan``, the
    second pass with ``fargs`` where ``options`` (the rows' options, one of
    ``fargs``) is a copy at that horizon; ``options`` itself is left as given."""
    if spec is None:
        return checked_scan(args, func, fargs, sink)

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
