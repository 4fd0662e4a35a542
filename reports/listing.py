"""``ledger-tool list``: the entries as one table, built from the Book's columns.

One row per entry: id, date, funder, purpose (``purpose=amount; …`` for a
split entry), amount, currency, qualifier, period, status, links, sources,
and what else decides how the import of a listing counts it: restated (the
source's own conversions), value_date (the rate's date) and tags (a
``not-counted`` entry stays out of every total).
CSV is written column-wise (inert text, plain decimals); the terminal table
and JSON go through ``reports.text`` row by row, as before.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ledger.book import join_children
from ledger.imports.cells import GUARD, GUARDED_START
from ledger.imports.table import fiscal_day, tags_cell
from ledger.phrases.money import plain_decimal
from ledger.rules.options import OptionError
from reports.periods import period_words
from reports.text import _NUMBER, write_rows

LIST_COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "qualifier",
                "period", "status", "links", "sources", "restated", "value_date", "tags"]


def decimal_text(values) -> np.ndarray:
    """Exact amounts (Decimal objects or Arrow decimals) as plain text with no
    exponent and no trailing zeros: 12000000, 1.5."""
    arr = getattr(values, "array", values)
    arrow = getattr(arr, "_pa_array", None)
    if arrow is not None and pa.types.is_decimal(arrow.type):
        txt = pc.cast(arrow, pa.string())
        txt = pc.replace_substring_regex(txt, r"(\.[0-9]*?)0+$", r"\1")
        txt = pc.replace_substring_regex(txt, r"\.$", "")
        return txt.to_numpy(zero_copy_only=False)
    return np.array([plain_decimal(v) for v in np.asarray(values, dtype=object)], dtype=object)


def _joined(table: pd.DataFrame, n: int, text, sep: str = ";"):
    """Per entry: ``text`` of its child rows joined by ``sep`` ('' for none)."""
    return pd.arrays.ArrowExtensionArray(join_children(table["entry"], text, n, sep))


def _concat(*parts):
    """Element-wise text concatenation in Arrow (columns or scalars)."""
    arrs = []
    for p in parts:
        if isinstance(p, str):
            arrs.append(pa.scalar(p))
        else:
            a = getattr(getattr(p, "array", p), "_pa_array", None)
            if a is None:
                a = pa.array(np.asarray(p, dtype=object), pa.string())
            arrs.append(a.cast(pa.string()) if not isinstance(a, pa.ChunkedArray)
                        else a.combine_chunks().cast(pa.string()))
    return pc.binary_join_element_wise(*arrs, "")


def split_names(names: np.ndarray) -> np.ndarray:
    """A split entry's purposes as its ``PURPOSE=SHARE; ...`` cell names
    them: a purpose holding the separator "; " (or beginning with a double
    quote) as a JSON string, so that the import reads the cell back into
    the same parts (``ledger.imports.table.listed_split``); the others as
    they are ("=" needs nothing: the share follows the last one)."""
    arr = pa.array(names, pa.string())
    odd = pc.or_(pc.match_substring(arr, "; "), pc.starts_with(arr, '"'))
    if not pc.any(odd).as_py():
        return names
    out = names.copy()
    for i in np.flatnonzero(odd.to_numpy(zero_copy_only=False)):
        out[i] = json.dumps(str(names[i]), ensure_ascii=False)
    return out


def list_table(book) -> pd.DataFrame:
    """The entries of ``book`` as ``LIST_COLUMNS`` (text and dates; amounts
    as plain decimal text, exact)."""
    t = book.tables
    en = t.entries
    n = len(en)
    purpose = en["purpose"].to_numpy(dtype=object).copy()
    split = en["split"].to_numpy(dtype=bool)
    if split.any():
        al = t.allocations
        rows = split[al["entry"].to_numpy()]
        sub = al[rows]
        parts = split_names(sub["purpose"].astype(object).to_numpy()) + "=" + \
            decimal_text(sub["amount"])
        joined = _joined(sub, n, parts, "; ").to_numpy()
        purpose[split] = joined[split]
    links = t.links
    cites = t.citations
    return pd.DataFrame({
        "id": en["id"].to_numpy(dtype=object),
        "date": en["date"].to_numpy().astype("datetime64[D]"),
        "funder": en["funder"].to_numpy(dtype=object),
        "purpose": purpose,
        "amount": decimal_text(en["amount"]),
        "currency": en["currency"].to_numpy(dtype=object),
        "qualifier": en["qualifier"].to_numpy(dtype=object),
        "period": period_words(book),
        "status": en["status"].to_numpy(dtype=object),
        "links": _joined(links, n, _concat(links["kind"], "=", links["target"])),
        "sources": _joined(cites, n, cites["doc"]),
        "restated": en["restated"].to_numpy(dtype=object),
        "value_date": _day_text(en["value_date"]),
        "tags": en["tags"].to_numpy(dtype=object),
        # the ledger's option, which `import` gives a new ledger (CSV only)
        FISCAL_COLUMN: fiscal_year_start(book),
    })


FISCAL_COLUMN = "fiscal_year_start"


def fiscal_year_start(book) -> str:
    """MM-DD: the day ``book``'s fiscal years start (1 April unless its
    ``fiscal_year_start`` says otherwise)."""
    given = (getattr(book, "options", None) or {}).get("fiscal_year_start")
    try:
        return fiscal_day(given)
    except OptionError:      # the ledger's own problem, which `check` names
        return str(given)


def _day_text(dates) -> np.ndarray:
    """Dates as YYYY-MM-DD text, '' where there is none."""
    days = dates.to_numpy().astype("datetime64[D]")
    return np.where(np.isnat(days), "", days.astype(str)).astype(object)


def inert_column(arr):
    """``reports.text.inert`` over an Arrow string column: text a spreadsheet
    would run as a formula gets a leading apostrophe; numbers pass."""
    risky = pc.and_(pc.match_substring_regex(arr, GUARDED_START),
                    pc.invert(pc.match_substring_regex(arr, _NUMBER.pattern)))
    if not pc.any(risky).as_py():
        return arr
    return pc.if_else(risky, pc.binary_join_element_wise(GUARD, arr, ""), arr)


def csv_field(arr):
    """An Arrow string column as CSV fields, quoted as ``csv.writer``'s
    QUOTE_MINIMAL quotes them (a field holding the delimiter, a quote, CR or
    LF is quoted, quotes doubled)."""
    needs = pc.match_substring_regex(arr, '[,"\r\n]')
    if not pc.any(needs).as_py():
        return arr
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(arr, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, arr)


def write_csv(table: pd.DataFrame, out, chunk: int = 200_000) -> None:
    """``table`` as CSV (header, minimal quoting as ``csv.writer``, inert
    text), every field made and joined in Arrow, written in chunks of rows."""
    cols = []
    for c in table.columns:
        s = table[c]
        a = getattr(s.array, "_pa_array", None)
        if a is None:
            vals = s.to_numpy()
            if vals.dtype.kind == "M":
                vals = vals.astype("datetime64[D]").astype(str)
            a = pa.array(np.asarray(vals, dtype=object), pa.string(), from_pandas=True)
        a = a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
        cols.append(csv_field(inert_column(a.cast(pa.string()).fill_null(""))))
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(table.columns)
    out.write(head.getvalue())
    n = len(table)
    for start in range(0, n, chunk):
        rows = pc.binary_join_element_wise(*(c.slice(start, chunk) for c in cols), ",")
        k = len(rows)
        lines = pa.ListArray.from_arrays(pa.array([0, k], pa.int32()), rows)
        out.write(pc.binary_join(lines, "\n")[0].as_py() + "\n")


def write_list(table: pd.DataFrame, fmt: str, *, locale: str = "en_GB", out=None) -> None:
    """CSV column-wise; table and JSON row by row through ``reports.text``."""
    out = out or sys.stdout
    if fmt == "csv":
        if table.empty:
            return
        tags = table["tags"].astype(object)
        odd = tags.str.contains('[,"]', regex=True, na=False).to_numpy(dtype=bool)
        if odd.any():     # a tag holding a comma, quoted: the import splits at commas
            tags = tags.copy()
            tags[odd] = [tags_cell(t) for t in tags[odd]]
            table = table.assign(tags=tags)
        write_csv(table, out)
        return
    write_rows(list_rows(table), fmt, locale=locale, money=LIST_MONEY, out=out)


LIST_MONEY = ("amount", "currency")   # the listing's money columns, as format_table takes them


def list_rows(table: pd.DataFrame) -> list[dict]:
    """The listing's rows as ``reports.text`` writes them (dates, Decimal
    amounts; the ledger's fiscal year start is for the CSV only)."""
    table = table.drop(columns=[FISCAL_COLUMN], errors="ignore")
    dates = table["date"].to_numpy().astype("datetime64[D]").astype(object)
    rows = []
    for r, d in zip(table.to_dict("records"), dates):
        r["date"] = d
        r["amount"] = Decimal(r["amount"])
        rows.append(r)
    return rows
