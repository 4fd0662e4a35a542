"""reports.valuation.default_horizon: the year open-ended amounts per year
are counted to without --horizon is the later of the last year a bounded
entry reaches and the latest entry's year, so an older entry added never
moves it back (an open-ended pledge once counted is never left out for it),
and it is the same for a journal, one bulk file and a dataset of the same
entries, however the dataset's partitions split them."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tests.ledger.read.test_dataset import write_dataset

OPEN = {"id": "open", "date": "2022-01-01", "funder": "UK", "purpose": "Q", "amount": "100",
        "currency": "GBP", "period": "per year"}
OLD = {"id": "old", "date": "2015-01-01", "funder": "UK", "purpose": "P", "amount": "10",
       "currency": "GBP", "period": "over 2 years"}
LATER = {"id": "later", "date": "2023-06-01", "funder": "France", "purpose": "P",
         "amount": "7", "currency": "GBP"}


def _total(run_cli, ledger, *extra) -> Decimal:
    code, out, err = run_cli("balance", ledger, "--currency", "GBP", "--format", "csv", *extra)
    assert code == 0, err
    rows = {r["account"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))}
    return rows["(total)"]


def _as_bulk(path, rows):
    cols = ["id", "date", "funder", "purpose", "amount", "currency", "period"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows({c: r.get(c, "") for c in cols} for r in rows)
    return path


# (rows, the horizon by hand, the converted total by hand)
CASES = [
    # every entry open-ended: the latest entry's year
    ([OPEN], 2022, Decimal(100)),
    # an older bounded entry (2015-2016) added: still 2022, the pledge still counted
    ([OLD, OPEN], 2022, Decimal(10) + 100),
    # a later one-off (2023): 2022 and 2023 of the pledge
    ([OLD, OPEN, LATER], 2023, Decimal(10) + 2 * 100 + 7),
]


@pytest.mark.parametrize("rows, horizon, total", CASES)
def test_the_default_horizon_never_moves_back(tmp_path, run_cli, rows, horizon, total):
    bulk = _as_bulk(tmp_path / "in.csv", rows)
    ds = write_dataset(tmp_path / "in.parquet", rows)
    for ledger in (bulk, ds):
        assert _total(run_cli, ledger) == total
        assert _total(run_cli, ledger, "--horizon", str(horizon)) == total
        code, out, err = run_cli("balance", ledger, "--currency", "GBP")
        assert f"counted up to the end of {horizon}" in err, err
        assert "leaves it out" not in err
    # the report's notes and the exports' rows say the same horizon
    for ledger, name in ((bulk, "b"), (ds, "d")):
        code, out, err = run_cli("export", ledger, "--to", "csv", "--basis", "total",
                                 "-o", tmp_path / f"{name}.csv")
        assert code == 0, err
    assert (tmp_path / "b.csv").read_bytes() == (tmp_path / "d.csv").read_bytes()


def test_fiscal_years_take_the_latest_entrys_fiscal_year(tmp_path, run_cli):
    """UK fiscal years (from 1 April): the open pledge of 1 January 2022 is
    in 2021-22; a one-off of 1 May 2022 makes the horizon 2022-23."""
    rows = [OLD, OPEN, dict(LATER, date="2022-05-01")]
    bulk = _as_bulk(tmp_path / "in.csv", rows)
    ds = write_dataset(tmp_path / "in.parquet", rows)
    for ledger in (bulk, ds):
        code, out, err = run_cli("export", ledger, "--to", "csv", "--basis", "total",
                                 "--years", "fiscal-uk", "-o", "-")
        assert code == 0, err
        years = {r["year"] for r in csv.DictReader(io.StringIO(out)) if r["id"] == "open"}
        assert years == {"2021-22", "2022-23"}


def test_fiscal_years_from_1_january_are_labelled_as_calendar_years(tmp_path, run_cli):
    """A ledger whose fiscal year starts on 1 January labels its years as
    calendar years (2023, not 2023-24): the latest entry's year must be
    labelled so too, or the horizon is one the user never gave.  By hand:
    £100 a year from 2021 to 2023, £30 over 2021-2023, £7 in 2023."""
    ledger = tmp_path / "fy"
    ledger.mkdir()
    (ledger / "ledger.toml").write_text('[ledger]\nname = "fy"\nfiscal_year_start = "01-01"\n',
                                        encoding="utf-8")
    (ledger / "pledges.toml").write_text(
        '[[entry]]\nid = "open"\ndate = 2021-01-01\nfunder = "UK"\npurpose = "Q"\n'
        'amount = "£100 a year"\n\n'
        '[[entry]]\nid = "three"\ndate = 2021-01-01\nfunder = "UK"\npurpose = "P"\n'
        'amount = "£30 over 3 years"\n\n'
        '[[entry]]\nid = "later"\ndate = 2023-06-01\nfunder = "France"\npurpose = "P"\n'
        'amount = "£7"\n', encoding="utf-8")
    code, out, err = run_cli("balance", ledger, "--currency", "GBP", "--by", "fiscal-year",
                             "--format", "csv")
    assert code == 0, err
    totals = {r["year"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
              if r["account"] == "(total)"}
    assert totals == {"2021": Decimal(110), "2022": Decimal(110), "2023": Decimal(117)}
    assert "counted up to the end of 2023 " in err, err
