"""ledger-tool balance LEDGER: account balances per currency (the double-entry view)."""
from __future__ import annotations

from ledger_tool.common import add_filters, add_locale, check_locale, filtered, load_ledger


def register(sub) -> None:
    p = sub.add_parser("balance", help="account balances per currency",
                       description="Balances of the funder and purpose accounts per currency, "
                                   "rolled up the account tree. The ledger sums to zero per currency.")
    p.add_argument("ledger", help="journal file or folder, or a bulk .csv / .parquet file")
    p.add_argument("--depth", type=int, metavar="N", help="show accounts at most N levels deep")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    add_locale(p)
    add_filters(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ledger.balance import balances, totals
    from reports.text import write_rows

    locale = check_locale(args.locale)
    if args.depth is not None and args.depth < 1:
        from ledger.errors import UsageError
        raise UsageError("--depth must be 1 or more")
    book = load_ledger(args.ledger)
    entries = filtered(book.entries, args)
    rows = [{"account": acct, "currency": cur, "amount": amt}
            for (acct, cur), amt in balances(entries, args.depth).items()]
    for cur, amt in sorted(totals(entries).items()):
        rows.append({"account": "(total)", "currency": cur, "amount": amt})
    write_rows(rows, args.format, locale=locale, money=("amount", "currency"), indent_key="account")
    return 0
