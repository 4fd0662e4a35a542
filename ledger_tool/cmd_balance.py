"""ledger-tool balance LEDGER: account balances, per currency as recorded or
converted into one currency (--currency), optionally by year."""
from __future__ import annotations

import sys

from ledger.errors import UsageError
from ledger.memory import reuse_freed_memory
from ledger_tool.common import (add_conversion_options, add_deflator_options, add_filters,
                                add_locale, check_locale, filtered, load_ledger, rate_fallbacks,
                                refuse_conversion_without_currency)


def register(sub) -> None:
    p = sub.add_parser("balance",
                       description="Balances of the funder and purpose accounts, rolled up the "
                                   "account tree, then (total): the purposes' total, the "
                                   "money counted (Funders is its negative: double entry). "
                                   "Without --currency: per currency as recorded. With --currency: "
                                   "converted as the report converts them (same rates and "
                                   "horizon: the totals equal the report's, by calendar or "
                                   "fiscal year alike), as "
                                   "'hledger bal -B' counts 'export --to hledger' (each "
                                   "part's value is its cost). Entries linked to "
                                   "another (disburses, part_of, restates) are counted once, "
                                   "in their target. Filters that match nothing: a warning "
                                   "and an empty balance (exit 0).")
    p.add_argument("ledger", help="journal file or folder, or a bulk .csv / .parquet file")
    p.add_argument("--depth", type=int, metavar="N", help="show accounts at most N levels deep")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--currency", metavar="CODE",
                   help="convert every amount into CODE (e.g. GBP) at --valuation rates")
    add_conversion_options(p, needs="--currency")
    add_deflator_options(p, needs="--currency")
    p.add_argument("--by", choices=["year", "fiscal-year"],
                   help="with --currency: one balance per calendar year or fiscal year (the "
                        "ledger's fiscal_year_start, else April), amounts spread over their "
                        "periods by days")
    p.add_argument("--basis", choices=["total", "recorded"], default="total",
                   help="with --currency: the total over each period (default, as the "
                        "report), or each amount as recorded, once, at its entry date (as "
                        "hledger and ledger-cli count an export)")
    add_locale(p)
    add_filters(p)
    p.set_defaults(func=run)


def run(args) -> int:
    reuse_freed_memory()   # big column work: freed arrays reused, not faulted in again
    from reports.balance import balance_rows, converted, left_out, primary
    from reports.notes import linked_note, not_counted_note, rates_note, rounded_note
    from reports.text import write_rows

    locale = check_locale(args.locale)
    if args.depth is not None and args.depth < 1:
        raise UsageError("--depth must be 1 or more")
    if args.currency is None:
        refuse_conversion_without_currency(args)
    book = filtered(load_ledger(args.ledger), args)
    if args.currency is None or not len(book):
        # filters matching nothing: the warning (``filtered``) and an empty
        # balance, exit 0, converted or not (report and export stop, exit 1)
        counted, linked = primary(book)
        rows = balance_rows(counted, args.depth)
        notes = [n for n in (rates_note(counted), rounded_note(counted)) if n]
    else:
        from reports.options import ReportOptions
        options = ReportOptions(
            currency=args.currency.upper(), valuation=args.valuation,
            years="fiscal" if args.by == "fiscal-year" else "calendar",
            horizon=args.horizon, rates=args.rates, deflator=args.deflator,
            base_year=args.base_year)
        rows, notes = converted(book, options, by="year" if args.by else None,
                                depth=args.depth, recorded=args.basis == "recorded")
        notes += rate_fallbacks(book)[0]     # the figures valued by their own restatement
        linked = left_out(book)
    write_rows(rows, args.format, locale=locale, money=("amount", "currency"),
               indent_key="account")
    if linked:
        notes.insert(0, linked_note(linked))
    uncounted = not_counted_note(book)
    if uncounted:
        notes.insert(0, uncounted)
    for note in notes:
        print(f"ledger-tool: balance: note: {note}", file=sys.stderr)
    return 0
