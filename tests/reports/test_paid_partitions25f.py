"""A dataset pays a pledge in another currency as a journal does, to the
penny, when the pledge's payments sit in several partitions: the first
pass carries every partition's payments (``reports.tables.carried_payments``)
and, without --horizon, its open-ended pledges
(``reports.tables.carried_open_pledges``), so a pledge's payments are
valued in one order (date, then id), each the running total at the
pledge's rate rounded once less the same before it.

By hand, €1 = £0.778 on 1 March 2016 (P's date; the rates are checked in
test_paid_filters25f):
  P   FR:MI pledges €1,000,000
  D1  UK:HO pays €300,000.02 of it on 1 December 2016 (2016's partition)
      30,000,002 cents × 0.778 = 23,340,001.556 → 23,340,002: £233,400.02
  D2  FR:MI pays €200,000.02 on 1 June 2017 (2017's partition)
      50,000,004 × 0.778 = 38,900,003.112 → 38,900,003, less D1: £155,600.01
Partition by partition D2 alone was 20,000,002 × 0.778 → £155,600.02, a
penny more than the journal (and the journal shared its £389,000.03 as
£233,400.01 and £155,600.02).
"""
from __future__ import annotations

import csv
from decimal import Decimal

import openpyxl
import pytest

from tests.reports.test_paid_filters25f import RATES, _report

COLS = ("total", "paid", "outstanding", "paid for others")
ENTRIES = {
    "P": ("2016-03-01", "FR:MI", "Calais:Security", "1000000", "EUR", "pledged", None),
    "D1": ("2016-12-01", "UK:HO", "Calais:Fencing", "300000.02", "EUR", "disbursed",
           ("disburses", "P")),
    "D2": ("2017-06-01", "FR:MI", "Calais:Security", "200000.02", "EUR", "disbursed",
           ("disburses", "P")),
}
PENNY = Decimal("0.01")


def _exact_sheet(out) -> dict[str, tuple[Decimal, ...]]:
    ws = openpyxl.load_workbook(out / "report.xlsx", read_only=True)["By status"]
    rows = list(ws.iter_rows(values_only=True))
    head = list(next(r for r in rows if r and r[0] == "funder"))
    got = {}
    for r in rows[rows.index(tuple(head)) + 1:]:
        if r and r[0] and r[0] != "Total":
            d = dict(zip(head, r))
            d["outstanding"] = Decimal(str(d["total"])) - Decimal(str(d["paid"]))
            got[str(r[0])] = tuple(Decimal(str(d[c])).quantize(PENNY) for c in COLS)
    return got


def _exact_csv(path) -> dict[str, tuple[Decimal, ...]]:
    return {r["funder"]: tuple(Decimal(r[c]).quantize(PENNY) for c in COLS)
            for r in csv.DictReader(path.open(encoding="utf-8"))}


def _gbp(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_payments_in_two_partitions_round_once(run_cli, tmp_path, form):
    rate = RATES["2016-03-01"]
    d1 = (Decimal(30_000_002) * rate).quantize(Decimal(1))
    both = (Decimal(50_000_004) * rate).quantize(Decimal(1))
    pledge, d1, d2 = Decimal(778_000), _gbp(int(d1)), _gbp(int(both - d1))
    assert (d1, d2) == (Decimal("233400.02"), Decimal("155600.01"))
    want = {"FR:MI": (pledge, d1 + d2, pledge - d1 - d2, 0), "UK:HO": (0, 0, 0, d1)}
    out = _report(run_cli, tmp_path, form, ENTRIES)
    assert _exact_sheet(out) == want
    if form == "dataset":
        assert _exact_csv(out / "by_status.csv") == want


def test_an_open_ended_pledges_payment_in_another_partition(run_cli, tmp_path):
    """P €100,000 a year from 1 March 2016, no end; D2 pays €50,000 of it on
    1 June 2017, in 2017's partition: paid £38,900 (€50,000 × 0.778, P's
    rate), not £43,615 at its own (× 0.8723), without --horizon too."""
    entries = {
        "P": ("2016-03-01", "FR:MI", "Calais:Security", "100000", "EUR", "pledged", None,
              "per year"),
        "D2": ("2017-06-01", "UK:HO", "Calais:Security", "50000", "EUR", "disbursed",
               ("disburses", "P")),
    }
    paid = Decimal(50_000) * RATES["2016-03-01"]
    for form in ("journal", "dataset"):
        got = _exact_sheet(_report(run_cli, tmp_path / form, form, entries))
        assert got["UK:HO"] == (0, 0, 0, paid), form
        assert got["FR:MI"][1] == paid, form
