"""The bounds of what a ledger records: magnitudes, dates and spans.

Written once, used by every reader (through ``ledger.read.table.check_raw``)
and by the commands' own options:

- an amount is at most ``MAX_AMOUNT`` (10**15, a thousand trillion, in any
  currency): money then fits integer minor units (int64) with room for
  every report total, conversion and spread (and sums are checked anyway:
  ``reports.tables`` widens to Python ints before a total could wrap);
- dates (the entry's, a period's start and end) lie in years
  ``FIRST_YEAR``..``LAST_YEAR`` (1900-2200);
- a period lasts at most ``MAX_YEARS`` (100) years, and ends by ``LAST_YEAR``
  (the last year any later command counts to);
- an exchange rate in a user table lies between ``MIN_RATE`` (10**-9) and
  ``MAX_RATE`` (10**9): a converted amount then has at most 25 digits.  So
  does the rate used (a cross through the euro, a yearly average) and a
  deflator's ratio (base year's index / the year's), and a value reported
  is at most ``MAX_CONVERTED`` (10**24): within Decimal's 28 digits with its
  minor units, never rounded;
- a spreadsheet to import has at most ``MAX_COLUMNS`` (1,000) columns, a CSV
  or an XLSX sheet alike, and an XLSX sheet's cells span at most
  ``MAX_CELLS`` (10 million, rows × columns, from the cells it holds, not
  its stated dimension): checked before the cells are read into a table.

See docs/journal.md ("Limits").
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

__all__ = ["MAX_AMOUNT", "FIRST_YEAR", "LAST_YEAR", "MAX_YEARS", "amount_problem",
           "date_problem", "period_problem", "AMOUNT_TOO_BIG", "DATE_OUT_OF_RANGE",
           "PERIOD_TOO_LONG", "PERIOD_TOO_SHORT", "MIN_RATE", "MAX_RATE", "MAX_CONVERTED",
           "MAX_COLUMNS", "MAX_CELLS", "rate_problem",
           "bounded_number", "magnitude_problem", "NumberError", "period_end", "json_depth",
           "months_after", "add_years", "length_end", "PERIOD_PART_DAY"]

MAX_AMOUNT = Decimal(10) ** 15
FIRST_YEAR, LAST_YEAR = 1900, 2200
MAX_YEARS = Decimal(100)
MIN_RATE, MAX_RATE = Decimal(10) ** -9, Decimal(10) ** 9
MAX_CONVERTED = MAX_AMOUNT * MAX_RATE
MAX_COLUMNS, MAX_CELLS = 1_000, 10_000_000

AMOUNT_TOO_BIG = ("amount {} is more than ledger-tool's largest amount, 10^15 "
                  "(a thousand trillion) in any currency")
DATE_OUT_OF_RANGE = "{} {} is outside the years " + f"{FIRST_YEAR}-{LAST_YEAR}"
PERIOD_TOO_LONG = "period lasts {} years, more than " + f"{MAX_YEARS} years"


# a JSON string, escapes and all; an unterminated one runs to the end
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?')


def json_depth(text: str) -> int:
    """How deep JSON text nests its lists and tables, read before any
    parser sees it (hostile input): strings removed (in C), then the running
    depth over the brackets left (numpy past a few; never a loop per character)."""
    import numpy as np   # lazily: the CLI's start-up imports this module

    brackets = re.sub(r"[^\[\]{}]+", "", _JSON_STRING.sub("", text))
    if len(brackets) <= 64:   # a few (a citations cell): numpy's set-up costs more
        depth = most = 0
        for c in brackets:
            depth += 1 if c in "[{" else -1
            most = max(most, depth)
        return most
    b = np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)
    step = np.where((b == ord("[")) | (b == ord("{")), 1, -1).astype(np.int64)
    return max(0, int(np.cumsum(step).max()))


def amount_problem(amount: Decimal, text: str = "") -> str:
    """'' when ``amount`` is within bounds, else why not."""
    if amount > MAX_AMOUNT:
        return AMOUNT_TOO_BIG.format(repr(text) if text else format(amount, "f")
                                     if amount.adjusted() < 30 else str(amount))
    return ""


# ------------------------------------------------------- a number as written
# Every number an input gives (an amount, a rate, a percentage or share, a
# number of years, a spreadsheet's or a data file's cell) is checked here,
# as text, before int(), Decimal arithmetic or a native parser sees it:
# "1e999999" made a million-digit integer (a hang) and "1e5000" a string
# past Python's int/str limit (a crash).
MAX_NUMBER_CHARS = 64
MAX_DIGITS = 28          # decimal's precision: more would be rounded silently
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


class NumberError(ValueError):
    """A number that is none, or outside the bounds; its message is one line."""


def bounded_number(text, what: str = "number", *, most: Decimal = MAX_AMOUNT,
                   places: int = 12) -> Decimal:
    """``text`` (a str, int or Decimal) as a Decimal, checked first as text
    (at most 64 characters, digits with an optional point and an exponent of
    at most four digits) and then in size: finite, at most ``most`` in size,
    at most 28 significant digits and ``places`` decimal places.  Raises
    NumberError naming ``what``."""
    if isinstance(text, Decimal):
        value, shown = text, str(text)
    else:
        shown = text if isinstance(text, str) else str(text) if isinstance(text, int) else ""
        shown = shown.strip()
        if len(shown) > MAX_NUMBER_CHARS:
            raise NumberError(f"{what} {shown[:20]!r}… ({len(shown):,} characters) is too "
                              f"long to be a number")
        if not _NUMBER.fullmatch(shown):
            big = re.fullmatch(r"[+-]?[0-9.]+[eE][+-]?[0-9]{5,}", shown)
            raise NumberError(f"{what} {shown[:40] or text!r} is " + (
                "too large or too small (an exponent of more than four digits)" if big
                else "not a number"))
        value = Decimal(shown)
    why = magnitude_problem(value, most=most, places=places)
    if why:
        raise NumberError(f"{what} {why}")
    return value


def magnitude_problem(value: Decimal, *, most: Decimal = MAX_AMOUNT, places: int = 12) -> str:
    """'' when a Decimal read from an input is within the bounds of
    ``bounded_number``, else why not (its size shown without writing out
    its digits)."""
    if not value.is_finite():
        return f"{value} is not a finite number"
    t = value.as_tuple()
    exponent = int(t.exponent)   # finite: an int ('n', 'N', 'F' are NaN and infinity)
    if value.adjusted() > most.adjusted() or abs(value) > most:
        return f"{shown_number(value)} is more than {most:.0E}, the largest ledger-tool takes"
    if len(t.digits) > MAX_DIGITS or exponent < -places and int(value.normalize().as_tuple()
                                                                   .exponent) < -places:
        return (f"{shown_number(value)} has too many digits (at most {MAX_DIGITS} significant "
                f"digits and {places} decimal places)")
    return ""


SHOWN_CHARS = 40


def shown_number(value: Decimal) -> str:
    """``value`` in a message with its own digits (a rounded 1.000E+15 said
    1.0000000000000002e15 "is more than 1E+15"): plain when that is short,
    else as Decimal writes it (digits and exponent, "1E+5000"), its middle
    cut with "…" past 40 characters so the first digits and the exponent
    show."""
    if abs(value.adjusted()) < SHOWN_CHARS:
        plain = format(value, "f")
        if len(plain) <= SHOWN_CHARS:
            return plain
    text = str(value)
    if len(text) <= SHOWN_CHARS:
        return text
    if "E" not in text:    # long plain digits: with an exponent, the size shows when cut
        text = format(value, "E")
    return f"{text[:SHOWN_CHARS - 12]}…{text[-11:]}"


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


def months_after(d, n):
    """The same day of the month ``n`` (integer array) months after the
    dates ``d`` (numpy datetime64[D]); when that month is too short for the
    day (31 January + 1 month, 29 February + 12), the first day of the month
    after it: the day after a period of ``n`` months, which so ends on the
    day before the same day-of-month, or on the last day of a short month.
    Month arithmetic, vectorised."""
    import numpy as np

    d = np.asarray(d, dtype="datetime64[D]")
    month = d.astype("datetime64[M]")
    day = d - month.astype("datetime64[D]")                # days into the month
    later = month + np.asarray(n, dtype=np.int64).astype("timedelta64[M]")
    out = later.astype("datetime64[D]") + day
    spill = out.astype("datetime64[M]") != later           # 31 Jan + 1 month -> 1 Mar
    if spill.any():
        out = np.where(spill, (later + 1).astype("datetime64[D]"), out)
    return out


def add_years(d, n):
    """The anniversary ``n`` (integer array) years after the dates ``d``
    (numpy datetime64[D]): the same month and day; from 29 February into a
    common year, 1 March, so one year from 29 February 2016 ends on 28
    February 2017 (``months_after``)."""
    import numpy as np

    return months_after(d, np.asarray(n, dtype=np.int64) * 12)


def length_end(start, length, unit: str):
    """The last day of a period of ``length`` (a number) ``unit`` from each
    ``start`` (numpy datetime64[D]), by the calendar: N months end on the
    day before the same day-of-month N months later (the last day of a
    short month), a week is 7 days, a day a day; years by anniversaries,
    a fraction of a year (or month) as that share of the next one's days,
    rounded to a whole day.  The one end rule: the reports' spread and
    ``period_problem`` (check) both end a period so."""
    import numpy as np

    s = np.asarray(start, dtype="datetime64[D]")
    one = np.timedelta64(1, "D")
    n = Fraction(Decimal(str(length)))
    if unit in ("week", "day"):
        days = n * (7 if unit == "week" else 1)
        return s + np.timedelta64(int(round(days)), "D") - one
    step = 12 if unit == "year" else 1
    whole = int(n)
    a = months_after(s, np.full(s.shape, whole * step, dtype=np.int64))
    if n == whole:
        return a - one
    b = months_after(s, np.full(s.shape, (whole + 1) * step, dtype=np.int64))
    frac = float(n - whole)
    return a + np.rint(frac * (b - a).astype(np.int64)).astype("timedelta64[D]") - one


def period_end(start: dt.date, years: Decimal, length=None, unit: str = "year") -> dt.date:
    """The last day of a period from ``start`` of ``years`` years, or of
    ``length`` ``unit`` when given (``length_end``: the reports' rule)."""
    import numpy as np

    n, u = (years, "year") if length is None else (length, unit)
    return length_end(np.array([start], dtype="datetime64[D]"), n, u)[0].item()


PERIOD_PART_DAY = ("period of {}: an amount is spread over whole days: give a whole number "
                   "of days")
PERIOD_RUNS_PAST = "period runs to {}, past the year " + f"{LAST_YEAR}"
# A fraction of a year is that share of the next year's days, rounded to a
# whole day (period_end): under half a day comes to none, and cannot be valued.
PERIOD_TOO_SHORT = ("period of {} years is {} of a day from {}: an amount is spread over "
                    "whole days (a fraction of a year rounded to the nearest day), so a "
                    "period must come to at least one day: more than half a day, such as "
                    "0.0014 years")


def _day_share(start: dt.date, years: Decimal) -> str:
    """How many days ``years`` (under one) come to from ``start``, as a message shows it."""
    days = (period_end(start, Decimal(1)) - start).days + 1
    return f"{float(years) * days:.2g}"


def period_problem(period, on: dt.date | None = None) -> str:
    """'' when the ``ledger.model.Period`` is within bounds, else why not;
    ``on``: the entry's date, from which a period of N years runs when it
    gives no start (a later command's horizon cannot pass the last year)."""
    for what, d in (("period start", period.start), ("period end", period.end)):
        why = date_problem(d, what)
        if why:
            return why
    years = period.years
    if years is None and period.start and period.end:
        years = span_in_years((period.end - period.start).days)
    if years is not None and years > MAX_YEARS:
        return PERIOD_TOO_LONG.format(_shown_bound(years))
    first = period.start or on
    length, unit = getattr(period, "length", None), getattr(period, "unit", "year")
    if length is not None and unit in ("day", "week") and \
            length * (7 if unit == "week" else 1) % 1:
        return PERIOD_PART_DAY.format(f"{length:f} {unit}s")
    if period.years is not None and period.end is None and first is not None and \
            period.kind in ("over", "per-year") and period.years > 0:
        end = period_end(first, period.years, length, unit)
        if end < first:   # the normaliser spreads an amount over whole days
            return PERIOD_TOO_SHORT.format(f"{period.years:f}", _day_share(first, period.years),
                                           first.isoformat())
        if end.year > LAST_YEAR:
            return PERIOD_RUNS_PAST.format(end.isoformat())
    if period.fiscal_year:
        first = int(period.fiscal_year[:4])
        if not FIRST_YEAR <= first <= LAST_YEAR:
            return DATE_OUT_OF_RANGE.format("fiscal year", period.fiscal_year)
    return ""


def _shown_bound(d: Decimal) -> str:
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


def foreign_digits(text: str) -> bool:
    """Does ``text`` (a number, or an amount phrase with its currency sign
    and words) hold a digit other than 0-9?  ``Decimal()``, ``int()`` and
    ``str.isdigit`` also take Arabic-Indic, Devanagari or superscript
    digits, which none of the formats read allows (xsd:decimal, JSON, the
    journal): such a number is refused, never read as another."""
    return not text.isascii() and any(c.isdigit() and not c.isascii() for c in text)
