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


ALWAYS_PUBLISHED = frozenset({"EUR", "GBP", "USD"})    # ECB reference rates every day


def rate_fallbacks(book) -> tuple[list[str], list[str]]:
    """Entries in a currency with no published exchange rates (the ECB's nor
    the ledger's rates.csv), said before a report needs them: (notes on those
    a conversion values by their own restatement, warnings for those it
    cannot convert at all)."""
    # the currencies, without building tables a small journal has not needed
    made = getattr(book, "_entries", None)
    codes = ({e.currency for e in made} if made is not None else
             set(book.tables.entries["currency"].astype(str).unique()))
    if codes <= ALWAYS_PUBLISHED:      # no need to load the rate tables (and pandas)
        return [], []
    import numpy as np

    from rates.normalise import RESTATED, _stated_only
    from rates.table import load_rates

    try:
        table = load_rates(root=book.root if book.root is None or book.root.is_dir()
                           else book.root.parent)
    except Exception:   # noqa: BLE001 - a broken rates.csv is report's to word
        return [], []
    lacking = sorted(c for c in codes if _stated_only(table, c))
    if not lacking:
        return [], []
    frame = book.frame(["id", "currency", "restated", "where"])
    notes, warns = [], []
    for c in lacking:
        rows = frame[frame["currency"].astype(str) == c].drop_duplicates("id")
        stated = np.array([bool(RESTATED.search(str(t or ""))) for t in rows["restated"]])
        ids = rows["id"].astype(str).to_numpy()
        if stated.any():
            shown = ", ".join(ids[stated][:10]) + (f" and {int(stated.sum()) - 10} more"
                                                    if stated.sum() > 10 else "")
            notes.append(f"{int(stated.sum())} entr{'y' if stated.sum() == 1 else 'ies'} in "
                         f"{c}, a currency with no published exchange rates: converted by "
                         f"{'its' if stated.sum() == 1 else 'their'} own restated amount "
                         f"(the source's conversion): {shown}")
        for where, eid in zip(rows["where"].astype(str).to_numpy()[~stated], ids[~stated]):
            named = where if f"{eid!r}" in where else f"{where}: entry {eid!r}"
            warns.append(f"{named}: warning: no exchange rates for {c} and no "
                         f"restated amount: reports in another currency cannot convert it "
                         f"(give its rates in the ledger's rates.csv, or a restated amount)")
    return notes, warns
