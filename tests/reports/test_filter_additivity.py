"""Filters select, they never add: over generated ledgers with split
entries, the filtered totals of each top-level purpose (and each funder,
each status) add up to the unfiltered total, in balance (recorded and
converted), the report's summary and the csv export alike, on the journal
and on the same rows read as a bulk CSV and as a partitioned dataset.  The
unfiltered total is counted here from the rows (GBP; a total "over" or an
amount a year for N years), never from our output."""
from __future__ import annotations

import csv
from argparse import Namespace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger_tool.common import filtered, load_ledger
from reports import export
from reports.balance import balance_rows, converted, primary
from reports.options import ReportOptions
from reports.tables import build_report, summary_table
from tests.ledger.read.test_dataset import COLUMNS, write_dataset

FUNDERS = ("UK:HO", "UK:FCDO", "France:MI")
PURPOSES = ("Sec:Port", "Sec", "Hum:Calais", "Hum:Dunkirk", "Dev")
STATUSES = ("pledged", "committed", "disbursed")


@st.composite
def ledgers(draw):
    """Rows of the bulk format: a split entry is several rows of one id."""
    rows = []
    for i in range(draw(st.integers(1, 6))):
        date = f"{draw(st.integers(2014, 2019))}-{draw(st.integers(1, 12)):02d}-" \
               f"{draw(st.integers(1, 28)):02d}"
        period, times = draw(st.sampled_from([("", 1), ("over 2 years", 1),
                                              ("per year for 3 years", 3)]))
        common = {"id": f"e{i}", "date": date, "funder": draw(st.sampled_from(FUNDERS)),
                  "currency": "GBP", "status": draw(st.sampled_from(STATUSES)),
                  "period": period, "sources": ""}
        purposes = draw(st.lists(st.sampled_from(PURPOSES), min_size=1, max_size=3,
                                 unique=True))
        for p in purposes:
            rows.append({**common, "purpose": p,
                         "amount": str(Decimal(draw(st.integers(1, 10**9))).scaleb(-2)),
                         "times": times})
    return rows


def by_hand(rows) -> Decimal:
    return sum((Decimal(r["amount"]) * r["times"] for r in rows), Decimal(0))


def write_journal(path: Path, rows) -> Path:
    lines = ['[ledger]\nname = "gen"\ncurrency = "GBP"\n']
    for i in dict.fromkeys(r["id"] for r in rows):
        parts = [r for r in rows if r["id"] == i]
        e = parts[0]
        total = sum(Decimal(r["amount"]) for r in parts)
        lines.append(f'[[entry]]\nid = "{i}"\ndate = {e["date"]}\nfunder = "{e["funder"]}"\n'
                     f'amount = "GBP {total}"\nstatus = "{e["status"]}"\n'
                     + (f'period = "{e["period"]}"\n' if e["period"] else ""))
        if len(parts) == 1:
            lines.append(f'purpose = "{e["purpose"]}"\n')
        for r in parts if len(parts) > 1 else ():
            lines.append(f'  [[entry.split]]\n  purpose = "{r["purpose"]}"\n'
                         f'  amount = "GBP {r["amount"]}"\n')
    path.write_text("\n".join(lines))
    return path


def write_csv(path: Path, rows) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def _args(**given) -> Namespace:
    return Namespace(**{"funder": None, "purpose": None, "status": None, "start": None,
                        "end": None, **given})


def totals(book, **given) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(recorded balance, converted balance, report summary, csv export)
    totals of what the filters ``given`` keep, through the commands' own
    functions (``filtered``: the filter of every command)."""
    chosen = filtered(book, _args(**{k: [v] for k, v in given.items()}))
    if not len(chosen):
        return (Decimal(0),) * 4
    rec = sum((r["amount"] for r in balance_rows(primary(chosen)[0])
               if r["account"] == "Purposes"), Decimal(0))
    options = ReportOptions(currency="GBP", **{k: (v,) for k, v in given.items()})
    conv = next(r["amount"] for r in converted(chosen, options)[0] if r["account"] == "(total)")
    report = build_report(book, options, rows=False, tables=False)
    rep = summary_table(report.frame, "GBP")["amount"].sum()
    valued = export.export_value(chosen, "csv", currency="GBP", basis="total")
    exp = export.frame(chosen, valued, currency="GBP", basis="total")["value"].sum()
    return Decimal(rec), Decimal(conv), Decimal(rep), Decimal(exp)


def recorded_hand(rows) -> Decimal:
    return sum((Decimal(r["amount"]) for r in rows), Decimal(0))


def check(book, rows) -> None:
    whole = by_hand(rows)
    want = (recorded_hand(rows), whole, whole, whole)
    assert totals(book) == want
    for key, values in (("purpose", ("Sec", "Hum", "Dev")), ("funder", ("UK", "France")),
                        ("status", STATUSES)):
        parts = [totals(book, **{key: v}) for v in values]
        assert tuple(sum(p[i] for p in parts) for i in range(4)) == want, key


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ledgers())
def test_filtered_totals_add_up_on_a_journal_and_a_bulk_csv(rows, tmp_path_factory):
    d = tmp_path_factory.mktemp("gen")
    for path in (write_journal(d / "ledger.toml", rows), write_csv(d / "bulk.csv", rows)):
        check(load_ledger(str(path), quiet_warnings=True), rows)


def _purpose_totals(run_cli, ledger, *args) -> Decimal:
    code, out, err = run_cli("balance", ledger, "--currency", "GBP", "--format", "csv", *args)
    assert code == 0, err
    return next(Decimal(r["amount"]) for r in csv.DictReader(out.splitlines())
                if r["account"] == "(total)")


FIXED = [
    {"id": "d", "date": "2016-03-03", "funder": "UK:HO", "purpose": "Sec:Port",
     "amount": "10000000", "currency": "GBP", "status": "pledged", "period": "",
     "sources": "", "times": 1},
    {"id": "d", "date": "2016-03-03", "funder": "UK:HO", "purpose": "Hum:Calais",
     "amount": "7000000", "currency": "GBP", "status": "pledged", "period": "",
     "sources": "", "times": 1},
    {"id": "b", "date": "2017-07-01", "funder": "UK:HO", "purpose": "Hum:Calais",
     "amount": "1000000", "currency": "GBP", "status": "spent", "period": "",
     "sources": "", "times": 1},
    {"id": "c", "date": "2017-08-01", "funder": "France:MI", "purpose": "Dev",
     "amount": "250000", "currency": "GBP", "status": "pledged",
     "period": "per year for 3 years", "sources": "", "times": 3},
]


@pytest.mark.parametrize("form", ["journal", "csv", "dataset"])
def test_balance_by_purpose_adds_up_on_every_form(run_cli, tmp_path, form):
    """Sec £10m + Hum £8m + Dev £750k = £18.75m, the whole, on every form
    of the same rows (the dataset through its own partitioned path)."""
    if form == "journal":
        ledger = write_journal(tmp_path / "ledger.toml", FIXED)
    elif form == "csv":
        ledger = write_csv(tmp_path / "bulk.csv", FIXED)
    else:
        ledger = write_dataset(tmp_path / "ds.parquet", [{k: str(v) for k, v in r.items()}
                                                  for r in FIXED])
    whole = by_hand(FIXED)
    assert whole == Decimal("18750000")
    assert _purpose_totals(run_cli, ledger) == whole
    parts = {p: _purpose_totals(run_cli, ledger, "--purpose", p) for p in ("Sec", "Hum", "Dev")}
    assert parts == {"Sec": Decimal(10_000_000), "Hum": Decimal(8_000_000),
                     "Dev": Decimal(750_000)}
