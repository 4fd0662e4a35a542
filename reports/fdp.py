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
accepts it (tests/test_fdp.py).
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

PHASE = {"pledged": "proposed", "committed": "approved", "disbursed": "executed",
         "spent": "executed"}
PHASES = ("proposed", "approved", "executed")
DIRECTION = "expenditure"         # money leaves the funders' books
CSV_NAME = "ledger.csv"


def fdp_frame(book, *, currency: str = "GBP", valuation: str = "entry-date", horizon=None,
              years: str = "calendar", rates=None):
    """(rows for the CSV, horizon used)."""
    import pandas as pd
    from reports.tables import ReportOptions, normalised_frames

    opts = ReportOptions(currency=currency, valuation=valuation, horizon=horizon,
                         years=years, rates=rates)   # every --rates table, in order
    _, spread, used = normalised_frames(book, opts)
    phase = spread["status"].astype(str).map(PHASE)
    out = pd.DataFrame({
        "id": spread["id"].astype(str).to_numpy(),
        "date": pd.to_datetime(spread["date"]).dt.strftime("%Y-%m-%d").to_numpy(),
        "year": spread["year"].astype(str).to_numpy(),
        "funder": spread["funder"].astype(str).to_numpy(),
        "purpose": spread["purpose"].astype(str).to_numpy(),
        "status": spread["status"].astype(str).to_numpy(),
        "phase": phase.to_numpy(),
        "counted": spread["primary"].astype(bool).to_numpy(),
        "original_amount": [_plain(v) for v in spread["original_value"]],
        "original_currency": spread["currency"].astype(str).to_numpy(),
    })
    values = [_money(v, currency) for v in spread["value"]]
    for ph in PHASES:
        out[ph] = [v if p == ph else "" for v, p in zip(values, phase)]
    return out, used


def _plain(v) -> str:
    from ledger.money import plain_decimal
    return plain_decimal(Decimal(v))


def _money(v, currency: str) -> str:
    from rates.table import currency_digits
    return format(Decimal(v).quantize(Decimal(1).scaleb(-currency_digits(currency))), "f")


def descriptor(book, currency: str, horizon, n_rows: int) -> dict:
    from ledger.importer import slug

    name = (getattr(book, "options", {}) or {}).get("name") or "ledger"
    fields = [
        {"name": "id", "type": "string", "title": "entry id"},
        {"name": "date", "type": "date", "title": "date announced or decided"},
        {"name": "year", "type": "string", "title": "year the amount falls in"},
        {"name": "funder", "type": "string"},
        {"name": "purpose", "type": "string"},
        {"name": "status", "type": "string",
         "constraints": {"enum": ["pledged", "committed", "disbursed", "spent"]}},
        {"name": "phase", "type": "string", "constraints": {"enum": list(PHASES)}},
        {"name": "counted", "type": "boolean",
         "title": "counted in ledger-tool's totals (false: linked to a counted entry)"},
        {"name": "original_amount", "type": "number", "title": "amount in its own currency"},
        {"name": "original_currency", "type": "string"},
    ] + [{"name": ph, "type": "number", "title": f"{ph} ({currency})"} for ph in PHASES]
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
        "title": name,
        "description": (f"Exported by ledger-tool export --to fdp: one row per entry, purpose "
                        f"and year, valued in {currency}"
                        + (f"; open-ended amounts counted up to the end of {horizon}"
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
              horizon=None, years: str = "calendar", rates=None) -> int:
    """Write DIR/datapackage.json and DIR/ledger.csv (each atomically); returns rows."""
    from ledger.atomic import write_atomic
    from reports.text import inert_frame

    folder = Path(folder)
    rows, used = fdp_frame(book, currency=currency, valuation=valuation, horizon=horizon,
                           years=years, rates=rates)
    folder.mkdir(parents=True, exist_ok=True)
    text_cols = ["id", "funder", "purpose"]
    safe = rows.copy()
    safe[text_cols] = inert_frame(rows[text_cols])
    safe["counted"] = safe["counted"].map({True: "true", False: "false"})
    write_atomic(folder / CSV_NAME, safe.to_csv(index=False))
    write_atomic(folder / "datapackage.json",
                 json.dumps(descriptor(book, currency, used, len(rows)), indent=2,
                            ensure_ascii=False) + "\n")
    return len(rows)
