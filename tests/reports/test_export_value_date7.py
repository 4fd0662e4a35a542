"""``export --to csv|parquet`` carries each entry's ``value_date`` (the day
whose rate converts it) in the column ``list --format csv`` writes and
``import`` reads, so an export imported back converts at the same rate."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

JOURNAL = """\
[ledger]
name = "vd"
currency = "GBP"

[[entry]]
id = "vd"
date = 2021-06-01
value_date = 2016-01-04
funder = "US:Gov"
purpose = "Aid:Health"
amount = "1000000"
currency = "USD"

[[entry]]
id = "plain"
date = 2021-06-01
funder = "US:Gov"
purpose = "Aid:Food"
amount = "2000"
currency = "USD"
"""


@pytest.fixture
def ledger(tmp_path):
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "ledger.toml").write_text(JOURNAL, encoding="utf-8")
    return tmp_path / "L"


def _usd_on(run_cli, day: str) -> Decimal:
    """GBP per USD on ``day``, as the rates command gives it (independent of
    the entries: 1,000,000 USD at that rate is what the entry is worth)."""
    code, out, err = run_cli("rates", "convert", "1000000", "USD", "GBP", "--date", day,
                             "--json")
    assert code == 0, err
    return Decimal(json.loads(out)["amount"])


def _balance(run_cli, ledger) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", ledger, "--currency", "GBP", "--format", "csv")
    assert code == 0, err
    return {r["account"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_export_holds_the_value_date_in_the_listings_column(tmp_path, run_cli, ledger, fmt):
    out = tmp_path / f"x.{fmt}"
    code, _, err = run_cli("export", ledger, "--to", fmt, "-o", out)
    assert code == 0, err
    rows = (list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))) if fmt == "csv"
            else pq.read_table(out).to_pylist())
    got = {r["id"]: str(r["value_date"] or "")[:10] for r in rows}
    assert got == {"vd": "2016-01-04", "plain": ""}
    assert list(rows[0]).count("value_date") == 1
    code, listed, err = run_cli("list", ledger, "--format", "csv")
    assert code == 0, err
    assert {r["id"]: r["value_date"] for r in csv.DictReader(io.StringIO(listed))} == got


def test_an_exported_csv_imported_back_keeps_its_rates(tmp_path, run_cli, ledger):
    before = _balance(run_cli, ledger)
    assert before["Purposes:Aid:Health"] == _usd_on(run_cli, "2016-01-04")
    code, _, err = run_cli("export", ledger, "--to", "csv", "-o", tmp_path / "x.csv")
    assert code == 0, err
    code, _, err = run_cli("import", tmp_path / "x.csv", "-o", tmp_path / "back.toml")
    assert code == 0, err
    assert "value_date = 2016-01-04" in (tmp_path / "back.toml").read_text(encoding="utf-8")
    assert _balance(run_cli, tmp_path / "back.toml") == before
