"""ledger-tool check LEDGER: load, validate, print every problem."""
from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("check", help="validate a ledger and print every problem",
                       description="Load a ledger (a .toml file or folder, or a bulk .csv / .parquet "
                                   "file), validate it and print "
                                   "every problem. Exit 0 when clean, 1 when errors were found.")
    p.add_argument("ledger", help="journal file or folder, or a bulk .csv / .parquet file")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=run)


def run(args) -> int:
    from ledger import read_book
    from reports.progress import Progress

    progress = Progress("check")
    book = read_book(args.ledger, progress=progress.step)   # any format; big ones cached
    if progress.steps:
        progress.done()
    problems = book.problems
    from ledger_tool.common import print_capped
    from ledger_tool.common import rate_fallbacks
    notes, unconvertible = rate_fallbacks(book)
    print_capped([str(p) for p in problems] + unconvertible)
    for note in notes:
        print(f"ledger-tool: check: note: {note}", file=sys.stderr)
    errs = sum(p.severity == "error" for p in problems)
    warns = len(problems) - errs + len(unconvertible)
    failed = errs or (args.strict and warns)
    summary = (f"{args.ledger}: {len(book)} entries, {len(book.documents)} documents, "
               f"{errs} error(s), {warns} warning(s)")
    print(summary, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0
