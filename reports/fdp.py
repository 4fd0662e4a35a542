"""The ledger as a Fiscal Data Package (datapackage.json + one CSV).

One row per entry, purpose and year (the report's normalised frame: the
total over each period spread into years, open-ended amounts up to the
horizon), valued in the report currency.  Each status is a budget phase and
each phase its own measure, as open-budget tools expect:

| ledger-tool status | FDP phase |
| --- | --- |
| pledged | proposed |
| committed | approved |
| disbursed, spent | executed |

Every entry is written, linked ones too (a disbursement is the executed
phase of its commitment): phases are compared, not added.  The ``counted``
column says which rows ledger-tool's own totals count (its primary entries).
The descriptor is a Tabular Data Package with the FDP ``model`` (measures
with currency, direction and phase; dimensions); ``frictionless validate``
accepts it (tests/reports/test_fdp.py).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ledger.text_safety import show_bidi
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ledger.atomic import atomic_file, write_atomic
from ledger.imports.cells import GUARDED_START
from ledger.imports.table import slug
from rates.table import currency_digits
from reports import export_text as xt
from reports.export import export_value
from reports.notes import horizon_said
from reports.text import inert as make_inert
from reports.valuation import Valued

PHASE = {"pledged": "proposed", "committed": "approved", "disbursed": "executed",
         "spent": "executed"}
PHASES = ("proposed", "approved", "executed")
DIRECTION = "expenditure"         # money leaves the funders' books
CSV_NAME = "ledger.csv"
PACKAGE_NAME = "datapackage.json"
FILES = (PACKAGE_NAME, CSV_NAME)   # what a package folder gets: each checked as an output


FIELDS = ["id", "date", "year", "funder", "purpose", "status", "phase", "counted",
          "original_amount", "original_currency", *PHASES]
CHUNK_ROWS = 50_000       # CSV rows built and written at a time


def fdp_frame(book, *, currency: str = "GBP", valuation: str = "entry-date", horizon=None,
              years: str = "calendar", rates=None, constant=None,
              valued_rows: Valued | None = None):
    """(the CSV's columns as Arrow strings, one row per entry, purpose and
    year; horizon used).  From the Book's columns: the report's spread
    (``reports.export.export_value``), its money in integer minor units."""
    if valued_rows is None:
        valued_rows = export_value(book, "fdp", currency=currency, valuation=valuation,
                                   basis="total", years=years, horizon=horizon, rates=rates,
                                   constant=constant)
    spread, used = valued_rows.spread, valued_rows.horizon
    status = xt._strings(spread["status"]) if "status" in spread and len(spread) and \
        spread["status"].astype(str).ne("").any() else None
    if status is None:     # the fast frame names no status: the entries' own
        status = _entry_column(book, spread, "status")
    phase = xt._per_value(status, lambda s: PHASE.get(s, ""))
    cur = xt._strings(spread["currency"])
    digits = xt._per_value(cur, lambda c: str(_digits(c))).cast(pa.int64()).to_numpy()
    value = xt.minor_text(xt.exact_minor(spread, "value_minor"), _digits(currency))
    cols = {
        "id": xt._strings(spread["id"]),
        "date": xt._date_text(spread["date"].to_numpy()),
        "year": xt._strings(spread["year"].astype(str)),
        "funder": xt._strings(spread["funder"]), "purpose": xt._strings(spread["purpose"]),
        "status": status, "phase": phase,
        "counted": pa.array(spread["primary"].to_numpy(dtype=bool)),
        "original_amount": plain_text(xt.exact_minor(spread, "original_minor"),
                                      digits),
        "original_currency": cur,
    }
    for ph in PHASES:
        cols[ph] = pc.if_else(pc.equal(phase, ph), value, "")
    return cols, used


def _entry_column(book, spread, column):
    """An entries-table column for each spread row (by id)."""
    en = book.tables.entries
    rows = pd.Index(en["id"].astype(object)).get_indexer(spread["id"].astype(object))
    return xt._strings(en[column]).take(pa.array(rows))


def plain_text(minor, digits):
    """Minor units as ``ledger.phrases.money.plain_decimal`` writes the amount:
    no exponent, no trailing zeros ('12000000', '1.4')."""
    text = xt.minor_text(minor, digits)
    head = pc.utf8_rtrim(text, characters="0")
    dotted = pc.match_substring(text, ".")
    trimmed = pc.utf8_rtrim(head, characters=".")
    return pc.if_else(dotted, trimmed, text)


def _digits(code: str) -> int:
    return currency_digits(code)


def _csv_cells(arr, inert: bool):
    """Text cells as pandas' to_csv writes them (quoted when needed), made
    inert first when ``inert``; once per distinct value."""
    def cell(v: str) -> str:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([make_inert(v) if inert else v, ""])
        return buf.getvalue()[:-2]

    return xt._guarded(arr, cell, GUARDED_START + r'|[",\n\r]') if inert else \
        xt._guarded(arr, cell, r'[",\n\r]')


# the CSV guard kept in the labels: ledger.csv is opened in spreadsheets too,
# and the guard is one-to-one, so labels stay distinct (docs/interop.md)
_GUARDED = ("text starting with = + - @ tab or carriage return after any apostrophes has "
            "one apostrophe put before it (a spreadsheet then shows it as text): remove one "
            "leading apostrophe from such text for the exact text")


def descriptor(book, currency: str, horizon, n_rows: int, constant=None) -> dict:
    name = (getattr(book, "options", {}) or {}).get("name") or "ledger"
    prices = f" in {currency} prices of {constant[1]}" if constant else ""
    fields = [
        {"name": "id", "type": "string", "title": "entry id", "description": _GUARDED},
        {"name": "date", "type": "date", "title": "date announced or decided"},
        {"name": "year", "type": "string", "title": "year the amount falls in"},
        {"name": "funder", "type": "string", "description": _GUARDED},
        {"name": "purpose", "type": "string", "description": _GUARDED},
        {"name": "status", "type": "string",
         "constraints": {"enum": ["pledged", "committed", "disbursed", "spent"]}},
        {"name": "phase", "type": "string", "constraints": {"enum": list(PHASES)}},
        {"name": "counted", "type": "boolean",
         "title": "counted in ledger-tool's totals (false: linked to a counted entry)"},
        {"name": "original_amount", "type": "number", "title": "amount in its own currency"},
        {"name": "original_currency", "type": "string"},
    ] + [{"name": ph, "type": "number", "title": f"{ph} ({currency}{prices})"}
         for ph in PHASES]
    measures = {ph: {"source": ph, "currency": currency, "factor": 1, "direction": DIRECTION,
                     "phase": ph} for ph in PHASES}
    dims = {
        "entry": {"attributes": {"id": {"source": "id"}}, "primaryKey": "id",
                  "dimensionType": "other"},
        "date": {"attributes": {"date": {"source": "date"}, "year": {"source": "year"}},
                 "primaryKey": ["date", "year"], "dimensionType": "datetime"},
        "funder": {"attributes": {"funder": {"source": "funder"}}, "primaryKey": "funder",
                   "dimensionType": "entity"},
        "purpose": {"attributes": {"purpose": {"source": "purpose"}}, "primaryKey": "purpose",
                    "dimensionType": "classification", "classificationType": "functional"},
        "status": {"attributes": {"status": {"source": "status"}, "phase": {"source": "phase"},
                                  "counted": {"source": "counted"}},
                   "primaryKey": "status", "dimensionType": "other"},
    }
    return {
        "profile": "tabular-data-package",
        "name": slug(name) or "ledger",
        "title": show_bidi(name),
        "description": (f"Exported by ledger-tool export --to fdp: one row per entry, purpose "
                        f"and year, valued in {currency}"
                        + (f" at constant prices of {constant[1]}" if constant else "")
                        + (f"; open-ended amounts counted up to {horizon_said(horizon, book)}"
                           if horizon else "") + ". Phases: pledged -> proposed, committed -> "
                        "approved, disbursed/spent -> executed."),
        "horizon": horizon or "",
        "resources": [{
            "name": "ledger", "path": CSV_NAME, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": fields, "missingValues": [""]},
        }],
        "model": {"measures": measures, "dimensions": dims},
    }


def write_fdp(book, folder: str | Path, *, currency: str = "GBP", valuation: str = "entry-date",
              horizon=None, years: str = "calendar", rates=None, constant=None,
              valued_rows: Valued | None = None) -> int:
    """Write DIR/datapackage.json and DIR/ledger.csv (each atomically); returns rows.
    The CSV is written in chunks of rows from the columns."""
    folder = Path(folder)
    cols, used = fdp_frame(book, currency=currency, valuation=valuation, horizon=horizon,
                           years=years, rates=rates, constant=constant, valued_rows=valued_rows)
    with atomic_file(folder / CSV_NAME, text=True) as out:
        out.write(",".join(FIELDS) + "\n")
        n = write_rows(cols, out)
    write_descriptor(book, folder, currency, used, n, constant)
    return n


def write_rows(cols, out) -> int:
    """The CSV rows (no header) of ``fdp_frame``'s columns into the text
    stream ``out``, in chunks; returns how many."""
    n = len(cols["id"])
    cells = {c: _csv_cells(v, c in ("id", "funder", "purpose")) for c, v in cols.items()
             if c != "counted"}
    cells["counted"] = cols["counted"].cast(pa.string())      # true / false
    for a in range(0, n, CHUNK_ROWS):
        k = min(n, a + CHUNK_ROWS) - a
        parts = []
        for c in FIELDS:
            parts += [cells[c].slice(a, k), ","]
        parts[-1] = "\n"
        xt._write_array(out, xt._cat(*parts))
    return n


def write_descriptor(book, folder: Path, currency: str, horizon, n: int, constant=None) -> None:
    """DIR/datapackage.json (atomically), for ``n`` rows of ledger.csv."""
    write_atomic(folder / PACKAGE_NAME,
                 json.dumps(descriptor(book, currency, horizon, n, constant), indent=2,
                            ensure_ascii=False) + "\n")
