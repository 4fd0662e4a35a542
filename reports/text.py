"""Plain renderers for small row lists: aligned terminal table, CSV, JSON.

Amounts are formatted with babel for the chosen locale in tables; CSV and
JSON carry plain decimal numbers and ISO codes for other tools.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import IO

from ledger.text_safety import show_controls  # noqa: F401 - where the renderers take it
from reports.amounts import format_amount

# Text a spreadsheet would run as a formula when it opens a CSV file.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def inert(value):
    """A CSV cell that spreadsheets show as text, never run as a formula:
    text starting with = + - @ tab or CR gets a leading apostrophe (OWASP's
    advice for CSV injection).  Numbers (including negative ones) and other
    values pass through unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _NUMBER.match(value):
        return "'" + value
    return value


def inert_frame(frame):
    """``inert`` over every text column of a DataFrame, vectorised."""
    out = frame.copy()
    for col in out.columns[out.dtypes.map(lambda t: str(t) == "object" or str(t).startswith("str"))]:
        s = out[col]
        text = s.where(s.map(lambda v: isinstance(v, str)))
        risky = (text.str.match(r"[=+\-@\t\r]", na=False)
                 & ~text.str.match(_NUMBER.pattern, na=False))
        if risky.any():
            out.loc[risky, col] = "'" + text[risky]
    return out


def _plain(v) -> str:
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
        return _plain(v)
    if isinstance(v, (bool, int, float)) or v is None:
        return v
    return _plain(v)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in s)


def format_table(rows: Sequence[dict], *, locale: str = "en_GB",
                 money: tuple[str, str] | None = None, indent_key: str | None = None,
                 amounts: str = "exact", widths: list[int] | None = None,
                 head: bool = True) -> str:
    """An aligned table for the terminal; ``amounts``: "compact" (£12m, as
    people say them) or "exact" (£12,000,000.00), see ``reports.amounts``.
    ``widths``: the columns' (a table streamed in parts: the first part's,
    see ``table_widths``; a longer cell is written whole, past its column);
    ``head``: with the header and its rule."""
    if not rows:
        return "(nothing to show)"

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
                line.append(_plain(v))
        cells.append([show_controls(c, terminal=True) for c in line])
    headers_shown = [show_controls(str(h), terminal=True) for h in headers]
    numeric = {h for h in headers if money and h == money[0]}
    if widths is None:
        widths = [max(_width(h), *(_width(c[i]) for c in cells))
                  for i, h in enumerate(headers_shown)]

    def fmt(line):
        out = []
        for i, (h, c) in enumerate(zip(headers, line)):
            pad = " " * (widths[i] - _width(c))
            out.append(pad + c if h in numeric else c + pad)
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join(([fmt(headers_shown), sep] if head else []) + [fmt(c) for c in cells])


def table_widths(table: str) -> list[int]:
    """The column widths of a ``format_table`` text with its header (its rule's dashes)."""
    return [len(d) for d in table.split("\n", 2)[1].split("  ")]


def write_rows(rows: Sequence[dict], fmt: str, *, locale: str = "en_GB",
               money: tuple[str, str] | None = None, indent_key: str | None = None,
               out: IO[str] | None = None, amounts: str = "exact") -> None:
    out = out or sys.stdout
    if fmt == "csv":
        if not rows:
            return
        w = csv.writer(out, lineterminator="\n")
        w.writerow(rows[0].keys())
        for r in rows:
            w.writerow(inert(_plain(v)) for v in r.values())
    elif fmt == "json":
        json.dump([{k: _json_value(v) for k, v in r.items()} for r in rows], out,
                  ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(format_table(rows, locale=locale, money=money, indent_key=indent_key,
                               amounts=amounts) + "\n")
