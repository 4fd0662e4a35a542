"""`ledger-tool list` and `balance` on the example ledger."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal


def test_list_csv_has_the_documented_columns(example_ledger, run_cli):
    code, out, err = run_cli("list", example_ledger, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"id", "date", "funder", "purpose", "amount", "currency", "qualifier", "period",
            "status", "sources"} <= set(rows[0])
    jd = next(r for r in rows if r["id"] == "uk-joint-declaration-2014")
    assert (jd["amount"], jd["currency"], jd["period"]) == ("12000000", "GBP", "over 3 years")
    assert jd["sources"] == "001_c33d2c2f8263bd4b;002_e2d441578c61b003"


def test_list_filters(example_ledger, run_cli):
    code, out, _ = run_cli("list", example_ledger, "--format", "json", "--funder", "France")
    rows = json.loads(out)
    assert {r["id"] for r in rows} == {"france-africa-development-2015", "france-calais-humanitarian-2015"}
    code, out, _ = run_cli("list", example_ledger, "--format", "json", "--purpose", "Security",
                           "--from", "2015-01-01")
    assert {r["id"] for r in json.loads(out)} == {"uk-calais-lorry-waiting-area-2015",
                                                  "uk-coquelles-railhead-2015"}
    code, out, _ = run_cli("list", example_ledger, "--format", "json", "--status", "committed")
    assert all(r["status"] == "committed" for r in json.loads(out)) and len(json.loads(out)) == 2


def test_list_table_formats_amounts_for_the_locale(example_ledger, run_cli):
    _, out_gb, _ = run_cli("list", example_ledger)
    from babel.numbers import format_currency
    assert format_currency(12_000_000, "GBP", locale="en_GB") in out_gb
    _, out_fr, _ = run_cli("list", example_ledger, "--locale", "fr_FR")
    assert format_currency(12_000_000, "GBP", locale="fr_FR") in out_fr


def test_unknown_locale_is_a_clear_error(example_ledger, run_cli):
    code, _, err = run_cli("list", example_ledger, "--locale", "xx_YY")
    assert code == 1 and "unknown locale 'xx_YY'" in err


def test_balance_rolls_up_and_sums_to_zero(example_ledger, run_cli):
    code, out, err = run_cli("balance", example_ledger, "--format", "json")
    assert code == 0, err
    rows = {(r["account"], r["currency"]): Decimal(str(r["amount"])) for r in json.loads(out)}
    assert rows[("Purposes:Security", "GBP")] == (rows[("Purposes:Security:Calais port", "GBP")]
                                                  + rows[("Purposes:Security:Channel Tunnel railhead", "GBP")])
    assert rows[("Purposes:Security:Calais port", "GBP")] == Decimal("13400000")
    assert rows[("Funders:UK", "GBP")] == -Decimal("337400000")
    assert rows[("(total)", "GBP")] == 0 and rows[("(total)", "EUR")] == 0
    assert rows[("Funders", "EUR")] == -rows[("Purposes", "EUR")]


def test_balance_depth(example_ledger, run_cli):
    _, out, _ = run_cli("balance", example_ledger, "--format", "csv", "--depth", "2")
    accounts = {r["account"] for r in csv.DictReader(io.StringIO(out))}
    assert "Purposes:Security" in accounts and "Purposes:Security:Calais port" not in accounts


def test_python_dash_m_and_help():
    out = subprocess.run([sys.executable, "-m", "ledger_tool", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "check" in out.stdout and "balance" in out.stdout
