"""User rate tables: CSV files with columns ``date,from,to,rate,source``.

One row means: on ``date``, 1 ``from`` = ``rate`` ``to``.  ``source`` says
where the rate comes from (a budget's official rate, the rate a document
states, ...); when empty the file name and row stand in.  Blank lines and
lines starting with ``#`` are ignored.  Any mistake raises ``LedgerError``
naming the file, the row (line number) and the column.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from pathlib import Path

from ledger.errors import LedgerError
from ledger.limits import rate_problem
from ledger.safe_io import read_text

COLUMNS = ("date", "from", "to", "rate", "source")
REQUIRED = ("date", "from", "to", "rate")
_CODE = re.compile(r"^[A-Z]{3}$")


def read_rates_csv(path):
    """Read and check one user rate table; returns a DataFrame with columns
    ``date`` (datetime64), ``from``, ``to``, ``rate`` (Decimal), ``source``,
    ``origin`` ("file:line")."""
    import pandas as pd

    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise LedgerError(f"{path}: rate table not found")
    text = read_text(path, what="rate table")   # regular file, size cap, UTF-8

    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), start=1)
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise LedgerError(f"{path}: rate table is empty; expected a header "
                          f"'{','.join(COLUMNS)}'")
    numbers = [n for n, _ in lines]
    reader = csv.reader([ln for _, ln in lines])
    try:
        rows = list(reader)
    except csv.Error as err:
        raise LedgerError(f"{path}:{numbers[reader.line_num - 1]}: malformed CSV: {err}") from None

    header = [h.strip().lower() for h in rows[0]]
    where0 = f"{path}:{numbers[0]}"
    for name in header:
        if name not in COLUMNS:
            raise LedgerError(f"{where0}: unknown column {name!r} in the header; "
                              f"expected {','.join(COLUMNS)}")
    for name in REQUIRED:
        if name not in header:
            raise LedgerError(f"{where0}: the header has no column {name!r}; "
                              f"expected {','.join(COLUMNS)}")
    if len(set(header)) != len(header):
        raise LedgerError(f"{where0}: a column appears twice in the header")
    col = {name: i for i, name in enumerate(header)}

    out = {"date": [], "from": [], "to": [], "rate": [], "source": [], "origin": []}
    seen: dict[tuple, tuple[Decimal, int]] = {}
    for lineno, row in zip(numbers[1:], rows[1:]):
        where = f"{path}:{lineno}"
        if len(row) != len(header):
            raise LedgerError(f"{where}: expected {len(header)} columns "
                              f"({','.join(header)}), found {len(row)}")
        cell = {name: row[i].strip() for name, i in col.items()}
        try:
            date = dt.date.fromisoformat(cell["date"])
            if len(cell["date"]) != 10:
                raise ValueError
        except ValueError:
            raise LedgerError(f"{where}: column 'date': {cell['date']!r} is not a "
                              f"date (YYYY-MM-DD)") from None
        codes = []
        for name in ("from", "to"):
            code = cell[name].upper()
            if not _CODE.match(code):
                raise LedgerError(f"{where}: column {name!r}: {cell[name]!r} is not a "
                                  f"three-letter currency code")
            codes.append(code)
        if codes[0] == codes[1]:
            raise LedgerError(f"{where}: columns 'from' and 'to' are both {codes[0]}")
        try:
            rate = Decimal(cell["rate"].replace("_", ""))
            if not rate.is_finite() or rate <= 0:
                raise InvalidOperation
        except InvalidOperation:
            raise LedgerError(f"{where}: column 'rate': {cell['rate']!r} is not a "
                              f"positive number") from None
        if rate_problem(rate):   # beyond it, converted amounts outgrow exact arithmetic
            raise LedgerError(f"{where}: column 'rate': {rate_problem(rate)}")
        key = (date, codes[0], codes[1])
        if key in seen and seen[key][0] != rate:
            raise LedgerError(f"{where}: {codes[0]}->{codes[1]} on {date} is already "
                              f"given as {seen[key][0]} on line {seen[key][1]}")
        back = (date, codes[1], codes[0])   # the same pair quoted the other way
        if back in seen and not _agree(rate, seen[back][0]):
            other, n = seen[back]
            raise LedgerError(f"{where}: {codes[0]}->{codes[1]} on {date} is {rate}, but line "
                              f"{n} gives {codes[1]}->{codes[0]} as {other}, that is "
                              f"{_inverse(other, rate)}: the same pair and date with two "
                              f"different rates")
        seen[key] = (rate, lineno)
        out["date"].append(date)
        out["from"].append(codes[0])
        out["to"].append(codes[1])
        out["rate"].append(rate)
        out["source"].append(cell.get("source") or f"user rate table {path.name}")
        out["origin"].append(where)
    frame = pd.DataFrame(out)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[s]")
    frame["rate"] = frame["rate"].astype(object)
    return frame


def _inverse(rate: Decimal, like: Decimal) -> Decimal:
    """1/rate rounded to the decimal places ``like`` states."""
    with localcontext() as ctx:
        ctx.prec = 60
        places = int(like.as_tuple().exponent)   # finite: rates are checked
        return (1 / rate).quantize(Decimal(1).scaleb(places), rounding=ROUND_HALF_EVEN)


def _agree(rate: Decimal, other: Decimal) -> bool:
    """A quote and its inverse agree when either, inverted and rounded to
    the places the other states, is the other."""
    return _inverse(other, rate) == rate or _inverse(rate, other) == other
