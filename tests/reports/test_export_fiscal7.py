"""A fiscal-year entry of a ledger whose fiscal years start on 1 July
survives ``export --to csv`` / ``list --format csv`` and ``import``: the
copy counts the same days in each year (an importing ledger reads "fiscal
year 2017-18" from its own start, 1 April by default)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

LEDGER = """\
[ledger]
name = "fy"
currency = "GBP"
fiscal_year_start = "{start}"

[[entry]]
id = "f-fy"
date = 2017-08-01
funder = "UK:Gov"
purpose = "Aid:Food"
amount = "£5,000,000"
period = "fiscal year 2017-18"
"""
# by hand: 1 July 2017 - 30 June 2018 is 365 days, 184 of them in 2017
JULY = {"2017": Decimal("2520547.95"), "2018": Decimal("2479452.05")}
# from 1 April: 275 of the 365 days in 2017
APRIL = {"2017": Decimal("3767123.29"), "2018": Decimal("1232876.71")}


def _ledger(tmp_path, start: str):
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "ledger.toml").write_text(LEDGER.format(start=start), encoding="utf-8")
    return tmp_path / "L"


def _by_year(run_cli, ledger) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", ledger, "--by", "year", "--currency", "GBP",
                             "--format", "csv")
    assert code == 0, err
    return {r["year"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "Purposes"}


def _written(run_cli, ledger, how: str, path):
    if how == "export":
        code, _, err = run_cli("export", ledger, "--to", "csv", "-o", path)
        assert code == 0, err
    else:
        code, out, err = run_cli("list", ledger, "--format", "csv")
        assert code == 0, err
        path.write_text(out, encoding="utf-8")
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("how", ["export", "list"])
@pytest.mark.parametrize("into", ["back.toml", "folder"])
def test_a_july_fiscal_year_comes_back_with_its_days(tmp_path, run_cli, how, into):
    ledger = _ledger(tmp_path, "07-01")
    assert _by_year(run_cli, ledger) == JULY
    rows = _written(run_cli, ledger, how, tmp_path / "t.csv")
    assert [r["period"] for r in rows] == ["from 2017-07-01 to 2018-06-30"]
    code, _, err = run_cli("import", tmp_path / "t.csv", "-o", tmp_path / into)
    assert code == 0, err
    assert _by_year(run_cli, tmp_path / into) == JULY


@pytest.mark.parametrize("how", ["export", "list"])
def test_an_april_fiscal_year_keeps_its_words(tmp_path, run_cli, how):
    ledger = _ledger(tmp_path, "04-01")
    assert _by_year(run_cli, ledger) == APRIL
    rows = _written(run_cli, ledger, how, tmp_path / "t.csv")
    assert [r["period"] for r in rows] == ["fiscal year 2017-18"]
    code, _, err = run_cli("import", tmp_path / "t.csv", "-o", tmp_path / "back.toml")
    assert code == 0, err
    assert _by_year(run_cli, tmp_path / "back.toml") == APRIL
