"""Constant prices: deflate normalised values with a user price index.

The index is a CSV with columns ``area,year,index[,source]``:
``area`` is the currency (area) whose prices it measures, e.g. ``GBP`` for the
UK GDP deflator; ``year`` a calendar year (or a fiscal year's starting year);
``index`` a positive number (any base).  ``constant_prices(frame, index,
base_year)`` adds ``real_value`` (Decimal, report currency, prices of
``base_year``), ``real_value_minor`` and ``price_base`` to a frame from
``rates.normalise``:

    real_value = value × index[area, base_year] / index[area, year]

where ``year`` is the row's ``year`` (the fiscal label's first year) or, when
not spread, the year of its date; ``area`` defaults to the report currency.
"""
from __future__ import annotations

import csv
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from ledger.errors import LedgerError
from ledger.limits import MAX_CONVERTED, MIN_RATE, NumberError, bounded_number
from ledger.safe_io import read_text

from ._minor import mul_round, objects, to_decimals
from .table import currency_digits


def read_index_csv(path) -> dict[tuple[str, int], Decimal]:
    path = Path(path)
    lines = read_text(path, what="price index").splitlines()   # regular file, size cap
    rows = [(n, ln) for n, ln in enumerate(lines, 1)
            if ln.strip() and not ln.lstrip().startswith("#")]
    if not rows:
        raise LedgerError(f"{path}: price index is empty; expected a header 'area,year,index'")
    parsed = list(csv.reader([ln for _, ln in rows]))
    header = [h.strip().lower() for h in parsed[0]]
    for need in ("area", "year", "index"):
        if need not in header:
            raise LedgerError(f"{path}:{rows[0][0]}: the header has no column {need!r}; "
                              f"expected area,year,index[,source]")
    col = {h: i for i, h in enumerate(header)}
    out: dict[tuple[str, int], Decimal] = {}
    for (lineno, _), cells in zip(rows[1:], parsed[1:]):
        where = f"{path}:{lineno}"
        if len(cells) != len(header):
            raise LedgerError(f"{where}: expected {len(header)} columns, found {len(cells)}")
        area = cells[col["area"]].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", area):
            raise LedgerError(f"{where}: column 'area': {area!r} is not a currency code")
        year_text = cells[col["year"]].strip()
        if not re.fullmatch(r"\d{4}", year_text):
            raise LedgerError(f"{where}: column 'year': {year_text!r} is not a year")
        try:   # bounded before Fraction sees it ("1e999999": a million-digit integer)
            value = bounded_number(cells[col["index"]], "index", most=Decimal(10) ** 9)
            if value <= 0:
                raise NumberError(f"index {cells[col['index']].strip()[:40]!r} is not a "
                                  f"positive number")
        except NumberError as err:
            raise LedgerError(f"{where}: column 'index': {err}") from None
        key = (area, int(year_text))
        if key in out and out[key] != value:
            raise LedgerError(f"{where}: {area} {year_text} is given twice")
        out[key] = value
    return out


def constant_prices(frame: pd.DataFrame, index, base_year: int, area: str | None = None):
    """A copy of ``frame`` with ``real_value``, ``real_value_minor``, ``price_base``."""
    table = index if isinstance(index, dict) else read_index_csv(index)
    out = frame.copy()
    if out.empty:
        return out.assign(real_value=[], real_value_minor=[], price_base=[])
    report = str(out["report_currency"].iloc[0])
    area = (area or report).upper()
    if "year" in out.columns:
        yr = out["year"].astype(str).str.slice(0, 4).astype(int).to_numpy()
    else:
        yr = pd.to_datetime(out["date"]).dt.year.to_numpy()
    base = table.get((area, int(base_year)))
    if base is None:
        raise LedgerError(f"the price index has no {area} value for the base year {base_year}")
    years = np.unique(yr)
    missing = [int(y) for y in years if (area, int(y)) not in table]
    if missing:
        raise LedgerError(f"the price index has no {area} value for "
                          f"{', '.join(map(str, missing[:10]))}")
    fr = {int(y): Fraction(base) / Fraction(table[(area, int(y))]) for y in years}
    for y, r in fr.items():
        # each index is bounded; a ratio below 1e-9 (0.001 / 1e9) made values
        # 0.00. A large one is fine while the values fit (MAX_CONVERTED,
        # below): a long hyperinflation series rises 1e10-fold and more
        if r < MIN_RATE:
            raise LedgerError(
                f"{_entry(out, yr == y)}: the price index's ratio {area} {base_year} / "
                f"{area} {y} ({base} / {table[(area, y)]}) is {float(r):.3g}, below "
                f"1e-9, the smallest ratio ledger-tool deflates with")
    num = objects(np.array([fr[int(y)].numerator for y in years], dtype=object)[np.searchsorted(years, yr)])
    den = objects(np.array([fr[int(y)].denominator for y in years], dtype=object)[np.searchsorted(years, yr)])
    approx = np.array([float(fr[int(y)]) for y in years])[np.searchsorted(years, yr)]
    real = mul_round(out["value_minor"].to_numpy(), [(num, den, approx)])
    big = np.abs(objects(real)) > int(MAX_CONVERTED.scaleb(currency_digits(report)))
    if big.any():
        raise LedgerError(f"{_entry(out, big)}: its value at {area} prices of {base_year} is "
                          f"more than {MAX_CONVERTED:.0E} {report}, the largest value "
                          f"ledger-tool reports")
    out["real_value"] = to_decimals(real, currency_digits(report))
    out["real_value_minor"] = real
    out["price_base"] = f"{area} prices of {base_year}"
    return out


def _entry(frame: pd.DataFrame, rows) -> str:
    """The first row of ``rows`` (a mask) named for a message."""
    i = int(np.flatnonzero(rows)[0])
    return f"entry {str(frame['id'].iloc[i])!r}" if "id" in frame.columns else f"row {i + 1}"
