"""ledger-tool list LEDGER: the entries as a table, CSV or JSON."""
from __future__ import annotations

from ledger_tool.common import add_filters, add_locale, check_locale, filtered, load_ledger


def register(sub) -> None:
    p = sub.add_parser("list", description="List the ledger's entries with amounts formatted for the locale.")
    p.add_argument("ledger", help="journal file or folder, or a bulk .csv / .parquet file")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    add_locale(p)
    add_filters(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from reports.listing import list_table, write_list   # pandas: not loaded for list --help

    locale = check_locale(args.locale)
    book = filtered(load_ledger(args.ledger), args)
    write_list(list_table(book), args.format, locale=locale)
    return 0
