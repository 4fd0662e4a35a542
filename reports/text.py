"""Plain renderers for small row lists: aligned terminal table, CSV, JSON.

Amounts are formatted with babel for the chosen locale in tables; CSV and
JSON carry plain decimal numbers and ISO codes for other tools.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import IO, Literal

from ledger.imports.cells import GUARD, GUARDED_START, NUMBER, guard
from ledger.text_safety import show_bidi
from ledger.text_safety import show_controls  # noqa: F401 - where the renderers take it
from reports.amounts import format_amount

# the first characters of a text the guard may go before (ledger.imports.cells:
# a formula character, after any apostrophes)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", GUARD)
_NUMBER = NUMBER    # reports.listing reads it here


def inert(value):
    """A CSV cell that spreadsheets show as text, never run as a formula:
    text starting with = + - @ tab or CR, after any apostrophes, gets one
    more leading apostrophe (``ledger.imports.cells.guard``: the import takes
    it off).  Numbers (including negative ones) and other values pass
    through unchanged."""
    return guard(value) if isinstance(value, str) else value


def inert_frame(frame):
    """``inert`` over every text column of a DataFrame, vectorised."""
    out = frame.copy()
    for col in out.columns[out.dtypes.map(lambda t: str(t) == "object" or str(t).startswith("str"))]:
        s = out[col]
        text = s.where(s.map(lambda v: isinstance(v, str)))
        risky = (text.str.match(GUARDED_START, na=False)
                 & ~text.str.match(_NUMBER.pattern, na=False))
        if risky.any():
            out.loc[risky, col] = GUARD + text[risky]
    return out


def _cell_text(v) -> str:
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return "" if v is None else str(v)


def _json_value(v):
    """Decimals become JSON strings, exactly as written ("987654321012345.67":
    a JSON number is read back as a float by most readers, which keeps about
    16 digits); dates become ISO text."""
    if isinstance(v, Decimal):
        return _cell_text(v)
    if isinstance(v, (bool, int, float)) or v is None:
        return v
    return _cell_text(v)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in s)


def format_table(rows: Sequence[dict], *, locale: str = "en_GB",
                 money: tuple[str, str] | None = None, indent_key: str | None = None,
                 amounts: str = "exact") -> str:
    """An aligned table for the terminal; ``amounts``: "compact" (£12m, as
    people say them) or "exact" (£12,000,000.00), see ``reports.amounts``.
    A table streamed in parts (a dataset's ``list``) makes each part's
    ``table_cells``, keeps the widest of ``cell_widths`` and aligns every
    row at the end (``aligned_lines``): the same text."""
    if not rows:
        return "(nothing to show)"
    headers, numeric, cells = table_cells(rows, locale=locale, money=money,
                                          indent_key=indent_key, amounts=amounts)
    widths = cell_widths([headers] + cells)
    return "\n".join(aligned_lines(widths, numeric, cells, headers))


def table_cells(rows: Sequence[dict], *, locale: str = "en_GB",
                money: tuple[str, str] | None = None, indent_key: str | None = None,
                amounts: str = "exact") -> tuple[list[str], list[bool], list[list[str]]]:
    """(the headers shown, which columns are right-aligned (the amount), each
    row's cells as shown) of ``format_table``'s rows (at least one)."""
    headers = list(rows[0])
    if money:
        amount_key, currency_key = money
        headers.remove(currency_key)
    cells = []
    for r in rows:
        line = []
        for h in headers:
            v = r[h]
            if money and h == money[0] and v is not None and v != "":
                line.append(format_amount(v, r[money[1]], locale, amounts))
            elif h == indent_key and isinstance(v, str) and not v.startswith("("):
                line.append("  " * v.count(":") + v.rsplit(":", 1)[-1])
            else:
                line.append(_cell_text(v))
        cells.append([show_controls(c, terminal=True) for c in line])
    headers_shown = [show_controls(str(h), terminal=True) for h in headers]
    numeric = [money is not None and h == money[0] for h in headers]
    return headers_shown, numeric, cells


def cell_widths(lines: Sequence[Sequence[str]], widths: Sequence[int] = ()) -> list[int]:
    """Each column's width: its widest cell in ``lines`` (and ``widths``)."""
    out = list(widths)
    for line in lines:
        if len(out) < len(line):
            out += [0] * (len(line) - len(out))
        for i, c in enumerate(line):
            w = _width(c)
            if w > out[i]:
                out[i] = w
    return out


def aligned_lines(widths: Sequence[int], numeric: Sequence[bool], cells,
                  headers: Sequence[str] | None = None):
    """``cells`` padded to ``widths`` (after ``headers`` and their rule, when
    given), one line each."""

    def fmt(line):
        return "  ".join((" " * (w - _width(c)) + c) if right else (c + " " * (w - _width(c)))
                         for c, w, right in zip(line, widths, numeric)).rstrip()

    if headers is not None:
        yield fmt(headers)
        yield "  ".join("-" * w for w in widths)
    for line in cells:
        yield fmt(line)


def csv_quoting(cells) -> Literal[0, 1]:
    """``csv.QUOTE_MINIMAL``, or ``QUOTE_ALL`` when a text cell holds a
    carriage return: with "\\n" line ends Python's csv (and pandas) writes
    such a cell unquoted, and a reader ends the row at it."""
    return csv.QUOTE_ALL if any(isinstance(c, str) and "\r" in c for c in cells) else csv.QUOTE_MINIMAL


def write_rows(rows: Sequence[dict], fmt: str, *, locale: str = "en_GB",
               money: tuple[str, str] | None = None, indent_key: str | None = None,
               out: IO[str] | None = None, amounts: str = "exact") -> None:
    out = out or sys.stdout
    if fmt == "csv":
        if not rows:
            return
        cells = [[inert(show_bidi(_cell_text(v))) for v in r.values()] for r in rows]  # a title's bidi
        w = csv.writer(out, lineterminator="\n",
                       quoting=csv_quoting(c for row in cells for c in row))
        w.writerow(rows[0].keys())
        w.writerows(cells)
    elif fmt == "json":   # a bidi control as its JSON escape: the same text, inert bytes
        out.write(show_bidi(json.dumps([{k: _json_value(v) for k, v in r.items()} for r in rows],
                                       ensure_ascii=False, indent=1)) + "\n")
    else:
        out.write(format_table(rows, locale=locale, money=money, indent_key=indent_key,
                               amounts=amounts) + "\n")
