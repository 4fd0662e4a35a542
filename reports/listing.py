"""``ledger-tool list``: the entries as one table, built from the Book's columns.

One row per entry: id, date, funder, purpose (``purpose=amount; …`` for a
split entry), amount, currency, qualifier, period, status, links, sources.
CSV is written column-wise (inert text, plain decimals); the terminal table
and JSON go through ``reports.text`` row by row, as before.
"""
from __future__ import annotations

import sys

import numpy as np
import pandas as pd

LIST_COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "qualifier",
                "period", "status", "links", "sources"]


def decimal_text(values) -> np.ndarray:
    """Exact amounts (Decimal objects or Arrow decimals) as plain text with no
    exponent and no trailing zeros: 12000000, 1.5."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = getattr(values, "array", values)
    arrow = getattr(arr, "_pa_array", None)
    if arrow is not None and pa.types.is_decimal(arrow.type):
        txt = pc.cast(arrow, pa.string())
        txt = pc.replace_substring_regex(txt, r"(\.[0-9]*?)0+$", r"\1")
        txt = pc.replace_substring_regex(txt, r"\.$", "")
        return txt.to_numpy(zero_copy_only=False)
    from ledger.money import plain_decimal
    return np.array([plain_decimal(v) for v in np.asarray(values, dtype=object)], dtype=object)


def _joined(table: pd.DataFrame, n: int, text: pd.Series) -> np.ndarray:
    """Per entry: ``text`` of its child rows joined by ';' ('' for none)."""
    out = np.full(n, "", dtype=object)
    if len(table):
        j = pd.Series(text.to_numpy(dtype=object)).groupby(table["entry"].to_numpy(),
                                                            sort=False).agg(";".join)
        out[j.index.to_numpy()] = j.to_numpy()
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
        parts = sub["purpose"].astype(object).to_numpy() + "=" + decimal_text(sub["amount"])
        j = pd.Series(parts).groupby(sub["entry"].to_numpy(), sort=False).agg("; ".join)
        purpose[j.index.to_numpy()] = j.to_numpy()
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
        "period": en["period"].to_numpy(dtype=object),
        "status": en["status"].to_numpy(dtype=object),
        "links": _joined(links, n, links["kind"].astype(object) + "=" + links["target"].astype(object)),
        "sources": _joined(cites, n, cites["doc"].astype(object)),
    })


def write_list(table: pd.DataFrame, fmt: str, *, locale: str = "en_GB", out=None) -> None:
    """CSV column-wise; table and JSON row by row through ``reports.text``."""
    from decimal import Decimal

    from reports.text import inert_frame, write_rows

    out = out or sys.stdout
    if fmt == "csv":
        if table.empty:
            return
        frame = table.copy()
        frame["date"] = pd.Series(frame["date"].to_numpy().astype("datetime64[D]")
                                  .astype(str), dtype=object)
        out.write(inert_frame(frame).to_csv(index=False, lineterminator="\n"))
        return
    dates = table["date"].to_numpy().astype("datetime64[D]").astype(object)
    rows = []
    for r, d in zip(table.to_dict("records"), dates):
        r["date"] = d
        r["amount"] = Decimal(r["amount"])
        rows.append(r)
    write_rows(rows, fmt, locale=locale, money=("amount", "currency"), out=out)
