"""`rates convert` says the same figure as every other command: an AMOUNT
finer than its currency's minor unit is counted rounded to it, half up, as
the reports count an entry (with a note on stderr), then converted and
rounded to the target's minor unit; the text shows both amounts at their
minor units, never rounded again (babel's display rounds half to even:
"£0.005" was shown as £0.00, "¥1000.5" as ¥1,000 = £5.29).

The expected figures are worked here from the AMOUNT as typed, the
currencies' minor units as babel gives them and the rate used; the other
command is `balance --currency` on a one-entry ledger of the same amount."""
from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_currency, get_currency_precision

DATE = "2024-03-14"
USER_RATES = "date,from,to,rate,source\n2024-01-01,KWD,GBP,2.5713,t\n2024-01-01,CLP,EUR,0.001,t\n"
CASES = [("0.005", "GBP", "JPY"),          # £0.01 -> ¥2; unrounded ¥0.95 -> ¥1
         ("1234.565", "GBP", "JPY"),
         ("1000.5", "JPY", "GBP"),
         ("1234.56", "IDR", "GBP"),
         ("1.23456", "KWD", "GBP"),        # 3 places: 1.235 KWD -> £3.18 (unrounded £3.17)
         ("4.5", "CLP", "EUR"),            # 0 places: 5 CLP -> €0.01 (unrounded €0.00)
         ("1000", "GBP", "IDR")]


def _at(value: Decimal, code: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-get_currency_precision(code)), ROUND_HALF_UP)


@pytest.fixture
def rates_csv(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(USER_RATES, encoding="utf-8")
    return path


@pytest.mark.parametrize("amount,base,quote", CASES)
def test_convert_counts_the_amount_at_its_minor_unit(run_cli, rates_csv, amount, base, quote):
    code, out, err = run_cli("rates", "convert", amount, base, quote, "--date", DATE,
                             "--rates", rates_csv, "--json")
    assert code == 0, err
    got = json.loads(out)
    counted = _at(Decimal(amount), base)
    want = _at(counted * Decimal(got["rate"]), quote)
    assert Decimal(got["counted"]) == counted and got["original"] == amount
    assert Decimal(got["amount"]) == want and got["amount"] == str(want)
    notes = [ln for ln in err.splitlines() if "minor unit" in ln]
    assert len(notes) == (counted != Decimal(amount)), err
    if notes:
        assert f"AMOUNT {amount} " in notes[0] and f"as {counted}," in notes[0]


@pytest.mark.parametrize("locale", ["en_GB", "de_DE", "ja_JP"])
@pytest.mark.parametrize("amount,base,quote", CASES)
def test_convert_shows_both_amounts_at_their_minor_units(run_cli, rates_csv, amount, base,
                                                         quote, locale):
    code, out, err = run_cli("rates", "convert", amount, base, quote, "--date", DATE,
                             "--rates", rates_csv, "--locale", locale)
    assert code == 0, err
    rate = Decimal(out.splitlines()[1].split(" = ")[1].split()[0])
    counted = _at(Decimal(amount), base)
    want = _at(counted * rate, quote)
    assert out.splitlines()[0] == (f"{format_currency(counted, base, locale=locale)} = "
                                   f"{format_currency(want, quote, locale=locale)}")


@pytest.mark.parametrize("amount,base,quote", CASES)
def test_convert_gives_what_balance_counts(run_cli, rates_csv, tmp_path, amount, base, quote):
    journal = tmp_path / "j.toml"
    journal.write_text(f'[ledger]\ncurrency = "{base}"\n\n[[entry]]\nid = "a"\ndate = {DATE}\n'
                       f'funder = "F"\npurpose = "P"\namount = "{amount}"\ncurrency = "{base}"\n',
                       encoding="utf-8")
    code, out, err = run_cli("balance", journal, "--currency", quote, "--rates", rates_csv,
                             "--format", "csv")
    assert code == 0, err
    total = next(r for r in csv.DictReader(io.StringIO(out)) if r["account"] == "(total)")
    code, out, err = run_cli("rates", "convert", amount, base, quote, "--date", DATE,
                             "--rates", rates_csv, "--json")
    assert code == 0, err
    assert Decimal(json.loads(out)["amount"]) == Decimal(total["amount"]), (amount, base, quote)
