"""ledger-tool check LEDGER: load, validate, print every problem."""
from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("check", help="validate a ledger and print every problem",
                       description="Load a ledger (a .toml file or folder), validate it and print "
                                   "every problem. Exit 0 when clean, 1 when errors were found.")
    p.add_argument("ledger", help="journal file or folder")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=run)


def run(args) -> int:
    from ledger.journal_frame import worth_reading_by_columns

    if worth_reading_by_columns(args.ledger):
        # a big journal: read column-wise (the one-by-one reader words any
        # problem), and cached by content for the next run
        from ledger.cache import load_frame
        from reports.progress import Progress
        progress = Progress("check")
        got = load_frame(args.ledger, progress=progress.step)
        progress.done()
        count, documents, problems = got.entries, got.documents, got.problems
    else:
        from ledger import load_journal
        entries, documents, problems, _ = load_journal(args.ledger)
        count = len(entries)
    from ledger_tool.common import print_capped
    print_capped(str(p) for p in problems)
    errs = sum(p.severity == "error" for p in problems)
    warns = len(problems) - errs
    failed = errs or (args.strict and warns)
    summary = (f"{args.ledger}: {count} entries, {len(documents)} documents, "
               f"{errs} error(s), {warns} warning(s)")
    print(summary, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0
