"""``export --to csv|parquet --basis per-year --years Y``: an open-ended
"a year" amount is in every year up to the ledger's horizon, as ``balance
--by year`` counts it, with the same horizon note; for a journal and for a
partitioned dataset (whose horizon comes from every partition)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction

import pyarrow.parquet as pq
import pytest

from tests.ledger.read.test_dataset import write_dataset

# "£1m a year" from 1 July 2016 with no end; a bounded entry reaching 2020
# (in another partition of the dataset) sets the ledger's horizon to 2020
JOURNAL = """\
[ledger]
name = "open"
currency = "GBP"

[[entry]]
id = "open"
date = 2016-07-01
funder = "UK"
purpose = "P"
amount = "£1,000,000 a year"

[[entry]]
id = "later"
date = 2019-01-01
funder = "UK"
purpose = "Q"
amount = "£500,000 a year"
period = "per year for 2 years"
"""
ROWS = [
    {"id": "open", "date": "2016-07-01", "funder": "UK", "purpose": "P", "amount": "1000000",
     "currency": "GBP", "period": "per year", "sources": "d"},
    {"id": "later", "date": "2019-01-01", "funder": "UK", "purpose": "Q", "amount": "500000",
     "currency": "GBP", "period": "per year for 2 years", "sources": "d"},
]
# by hand: a whole year each year to the end of 2020, the last year the
# bounded entry reaches; 2016 from 1 July, the one part year, has the rest of
# the total, £1m × 4 + 184/365 years by anniversaries (1 July 2020 to 31
# December, of the 365 days to 1 July 2021): 184/365 of £1m (fix29: it was
# 184/366, 2016's own length); the same to the end of 2018
BY_HAND = {"2016": Decimal("504109.59"), "2017": Decimal(1_000_000),
           "2018": Decimal(1_000_000), "2019": Decimal(1_000_000), "2020": Decimal(1_000_000)}
NOTE = "counted up to the end of 2020 (the ledger's horizon"


@pytest.fixture(params=["journal", "dataset"])
def ledger(request, tmp_path):
    if request.param == "journal":
        (tmp_path / "L").mkdir()
        (tmp_path / "L" / "ledger.toml").write_text(JOURNAL, encoding="utf-8")
        return tmp_path / "L"
    return write_dataset(tmp_path / "ds.parquet", ROWS)


def _export_rows(run_cli, ledger, fmt, out, *options):
    code, _, err = run_cli("export", ledger, "--to", fmt, "--basis", "per-year",
                           "--years", "calendar", "-o", out, *options)
    assert code == 0, err
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    else:
        rows = pq.read_table(out).to_pylist()
    return rows, err


def _balance_by_year(run_cli, ledger, account, *options):
    code, out, err = run_cli("balance", ledger, "--by", "year", "--currency", "GBP",
                             "--format", "csv", *options)
    assert code == 0, err
    return {r["year"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == account}, err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_open_ended_amount_is_in_every_year_up_to_the_horizon(tmp_path, run_cli, ledger,
                                                                  fmt):
    rows, err = _export_rows(run_cli, ledger, fmt, tmp_path / f"out.{fmt}")
    got = {str(r["year"]): Decimal(str(r["value"])) for r in rows if r["id"] == "open"}
    assert got == BY_HAND
    assert NOTE in err, err
    balance, said = _balance_by_year(run_cli, ledger, "Purposes:P")
    assert got == balance
    assert NOTE in said


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_given_horizon_is_the_balances_too(tmp_path, run_cli, ledger, fmt):
    rows, err = _export_rows(run_cli, ledger, fmt, tmp_path / f"out.{fmt}", "--horizon", "2018")
    got = {str(r["year"]): Decimal(str(r["value"])) for r in rows if r["id"] == "open"}
    assert got == {y: v for y, v in BY_HAND.items() if y <= "2018"}
    assert "up to the end of 2018 (given with --horizon)" in err, err
    balance, _ = _balance_by_year(run_cli, ledger, "Purposes:P", "--horizon", "2018")
    assert got == balance


def test_a_foreign_open_ended_amount_equals_balance_by_year(tmp_path, run_cli):
    """EUR a year from 11 November 2016 (the hunter's ledger): each year's
    value is the balance's, at the same rate.  Each whole year is €10m
    converted; the total is €10m × 4 + 51/365 years (11 November 2020 to 31
    December, of the 365 days to 11 November 2021) converted and rounded
    once, and 2016, the one part year, has the rest."""
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "ledger.toml").write_text(
        JOURNAL.replace("2016-07-01", "2016-11-11").replace("£1,000,000 a year",
                                                            "10 million Euros a year"),
        encoding="utf-8")
    rows, err = _export_rows(run_cli, tmp_path / "L", "csv", tmp_path / "out.csv")
    got = {r["year"]: Decimal(r["value"]) for r in rows if r["id"] == "open"}
    rate = {Decimal(r["rate"]) for r in rows if r["id"] == "open"}
    assert len(rate) == 1
    (r,) = rate
    def pennies(x: Fraction) -> int:   # half up, as money rounds
        return int(x + Fraction(1, 2))

    a_year = pennies(1_000_000_000 * Fraction(r))
    total = pennies(1_000_000_000 * (4 + Fraction(51, 365)) * Fraction(r))
    assert got["2016"] == Decimal(total - 4 * a_year).scaleb(-2)
    assert all(got[y] == Decimal(a_year).scaleb(-2) for y in ("2017", "2018", "2019", "2020"))
    balance, _ = _balance_by_year(run_cli, tmp_path / "L", "Purposes:P")
    assert got == balance
