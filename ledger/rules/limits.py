"""The bounds of what a ledger records: magnitudes, dates and spans.

Written once, used by every reader (``ledger.read.journal`` entry by entry,
``ledger.read.table`` column-wise, which the journal's column reader also runs):

- an amount is at most ``MAX_AMOUNT`` (10**15, a thousand trillion, in any
  currency): money then fits integer minor units (int64) with room for
  every report total, conversion and spread (and sums are checked anyway:
  ``reports.tables`` widens to Python ints before a total could wrap);
- dates (the entry's, a period's start and end) lie in years
  ``FIRST_YEAR``..``LAST_YEAR`` (1900-2200);
- a period lasts at most ``MAX_YEARS`` (100) years;
- an exchange rate in a user table lies between ``MIN_RATE`` (10**-9) and
  ``MAX_RATE`` (10**9): a converted amount then has at most 25 digits.

See docs/journal.md ("Limits").
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

__all__ = ["MAX_AMOUNT", "FIRST_YEAR", "LAST_YEAR", "MAX_YEARS", "amount_problem",
           "date_problem", "period_problem", "AMOUNT_TOO_BIG", "DATE_OUT_OF_RANGE",
           "PERIOD_TOO_LONG", "MIN_RATE", "MAX_RATE", "rate_problem"]

MAX_AMOUNT = Decimal(10) ** 15
FIRST_YEAR, LAST_YEAR = 1900, 2200
MAX_YEARS = Decimal(100)
MIN_RATE, MAX_RATE = Decimal(10) ** -9, Decimal(10) ** 9

AMOUNT_TOO_BIG = ("amount {} is more than ledger-tool's largest amount, 10^15 "
                  "(a thousand trillion) in any currency")
DATE_OUT_OF_RANGE = "{} {} is outside the years " + f"{FIRST_YEAR}-{LAST_YEAR}"
PERIOD_TOO_LONG = "period lasts {} years, more than " + f"{MAX_YEARS} years"


def amount_problem(amount: Decimal, text: str = "") -> str:
    """'' when ``amount`` is within bounds, else why not."""
    if amount > MAX_AMOUNT:
        return AMOUNT_TOO_BIG.format(repr(text) if text else format(amount, "f")
                                     if amount.adjusted() < 30 else str(amount))
    return ""


def date_problem(date: dt.date | None, what: str = "date") -> str:
    if date is not None and not FIRST_YEAR <= date.year <= LAST_YEAR:
        return DATE_OUT_OF_RANGE.format(what, date.isoformat())
    return ""


DAYS_PER_YEAR = Decimal("365.25")


def span_in_years(days):
    """How long a period from start to end (both days included) lasts, in
    years: ``days`` is end - start, a whole number (a Decimal comes back) or
    a numpy array of them (the bulk reader's columns; floats come back)."""
    if isinstance(days, int):
        return Decimal(days + 1) / DAYS_PER_YEAR
    return (days + 1) / float(DAYS_PER_YEAR)


def period_problem(period) -> str:
    """'' when the ``ledger.model.Period`` is within bounds, else why not."""
    for what, d in (("period start", period.start), ("period end", period.end)):
        why = date_problem(d, what)
        if why:
            return why
    years = period.years
    if years is None and period.start and period.end:
        years = span_in_years((period.end - period.start).days)
    if years is not None and years > MAX_YEARS:
        return PERIOD_TOO_LONG.format(_plain(years))
    if period.fiscal_year:
        first = int(period.fiscal_year[:4])
        if not FIRST_YEAR <= first <= LAST_YEAR:
            return DATE_OUT_OF_RANGE.format("fiscal year", period.fiscal_year)
    return ""


def _plain(d: Decimal) -> str:
    if d.adjusted() >= 15:   # too long to write out (and past quantize's precision)
        return format(d, ".3E")
    d = d.quantize(Decimal("0.01")).normalize()
    return format(d, "f")


def rate_problem(rate: Decimal) -> str:
    """'' when an exchange rate is within bounds, else why not."""
    if not MIN_RATE <= rate <= MAX_RATE:
        return (f"rate {format(rate, 'f') if abs(rate.adjusted()) < 30 else rate} is outside "
                f"1e-9 to 1e9, the rates ledger-tool converts with")
    return ""
