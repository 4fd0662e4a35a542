"""`rates convert`: an amount is checked as text before Decimal arithmetic
sees it, so a huge exponent is one line, not a decimal.Overflow traceback."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest


@pytest.mark.parametrize("amount", ["1e999999999", "1E+99999", "1e-999999999"])
def test_huge_exponent_is_one_line(run_cli, amount):
    code, out, err = run_cli("rates", "convert", amount, "GBP", "EUR", "--date", "2020-01-02")
    assert code == 1 and out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("ledger-tool: AMOUNT: amount ") and amount in err


@pytest.mark.parametrize("amount, value", [
    ("1500000", Decimal(1500000)),      # the documented inputs (docs/rates.md, --help)
    ("1,500.50", Decimal("1500.50")),
    ("1,000", Decimal(1000)),
    ("1e6", Decimal(1000000)),
])
def test_documented_amounts_still_convert(run_cli, amount, value):
    code, out, err = run_cli("rates", "convert", amount, "EUR", "EUR", "--date", "2020-01-02",
                             "--json")
    assert code == 0, err
    got = json.loads(out)
    assert Decimal(got["original"]) == value and Decimal(got["amount"]) == value


@pytest.mark.parametrize("amount", ["12x", "nan", "1,5", ""])
def test_not_a_number_names_the_form(run_cli, amount):
    code, _, err = run_cli("rates", "convert", amount, "GBP", "EUR", "--date", "2020-01-02")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "not a number" in err and "1,500.50" in err


def test_rates_show_csv_keeps_a_user_tables_source_inert(run_cli, tmp_path):
    """A user table's source text gets the guards of every CSV file: the
    bidi control shown as \\u202e (it was written raw), '=' made inert."""
    table = tmp_path / "r.csv"
    table.write_text('date,from,to,rate,source\n2020-01-02,GBP,EUR,1.2,"=x\u202ey"\n',
                     encoding="utf-8")
    code, out, err = run_cli("rates", "show", "GBP", "EUR", "--from", "2020-01-02", "--to",
                             "2020-01-02", "--rates", table, "--csv")
    assert code == 0, err
    assert "\u202e" not in out
    assert out.splitlines()[1].split(",") == ["2020-01-02", "GBP", "EUR", "1.2", "'=x\\u202ey"]
