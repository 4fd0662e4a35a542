"""ledger-tool check LEDGER: load, validate, print every problem."""
from __future__ import annotations

import sys
from pathlib import Path

from ledger import read_book
from ledger.atomic import leftovers
from ledger.errors import LedgerError
from ledger.model import Problem, one_line
from ledger.read.documents import citations_unchecked, documents_file
from ledger_tool.common import print_capped, rate_fallbacks
from reports.progress import Progress


def register(sub) -> None:
    p = sub.add_parser("check", description="Load a ledger (a .toml file or folder, or a bulk .csv / .parquet "
                                   "file), validate it and print "
                                   "every problem. Exit 0 when clean, 1 when errors were found.")
    p.add_argument("ledger", help="journal file or folder, or a bulk .csv / .parquet file")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=run)


def run(args) -> int:
    progress = Progress("check")
    book = read_book(args.ledger, progress=progress.step)   # any format; big ones cached
    if progress.steps:
        progress.done()
    problems = list(book.problems) + _rate_table_problems(book)
    notes, unconvertible = rate_fallbacks(book)
    print_capped(problems + unconvertible)   # errors first when capped
    if book.source in ("csv", "parquet") and not documents_file(args.ledger).exists() \
            and len(book.tables.citations):   # no documents declared: said, not an error
        notes.append(citations_unchecked(args.ledger, len(book.tables.citations)))
    notes += [m for d in _folders(args.ledger) for m in leftovers(d)]   # a killed write's files
    for note in notes:
        print(f"ledger-tool: check: note: {note}", file=sys.stderr)
    errs = sum(p.severity == "error" for p in problems)
    warns = len(problems) - errs + len(unconvertible)
    failed = errs or (args.strict and warns)
    summary = (f"{one_line(args.ledger)}: {len(book)} entries, {len(book.documents)} documents, "
               f"{errs} error(s), {warns} warning(s)")
    print(summary, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _folders(ledger) -> list[Path]:
    """The ledger's folder and those below it (a journal file: its folder)."""
    p = Path(ledger)
    root = p if p.is_dir() else p.parent
    return [root, *(d for d in sorted(root.rglob("*")) if d.is_dir() and not d.is_symlink())] \
        if p.is_dir() else [root]


def _rate_table_problems(book) -> list:
    """The ledger's own rate table (its folder's rates.csv), read as the
    commands that convert read it: a row they would refuse is an error here
    too, not only when a report first needs a rate."""

    from rates import LEDGER_RATES_FILE   # pandas: loaded only for a ledger with rates
    from rates.usercsv import read_rates_csv

    path = Path(book.root) / LEDGER_RATES_FILE if book.root else None
    if path is None or not path.is_file():
        return []
    try:
        read_rates_csv(path)
    except LedgerError as err:
        text = str(err)
        where, _, what = text.partition(": ") if text.startswith(str(path)) else ("", "", text)
        file, _, line = where.rpartition(":") if where else (str(path), "", "0")
        return [Problem(file, int(line) if line.isdigit() else 0, "", what,
                        code="bad-rate-table")]
    return []
