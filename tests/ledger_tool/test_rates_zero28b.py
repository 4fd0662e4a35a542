"""`rates convert` of an AMOUNT that rounds to zero at its currency's minor
unit says zero without a sign, spelt alike in the note, the text and the
JSON: -0.004 GBP is counted as 0.00 (half up), never "-£0.00 = -JP¥0" or
"amount": "-0"; an amount that rounds to a real negative keeps its sign.

Expected texts are babel's format_currency of the zero (or of the rounded
amount) and the figures are worked here from the AMOUNT as typed."""
from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_currency, get_currency_precision

from rates.table import round_money

DATE = "2024-03-14"
RATES = "date,from,to,rate,source\n2024-01-01,GBP,JPY,188.77,t\n"


def _at(value: Decimal, code: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-get_currency_precision(code)), ROUND_HALF_UP)


@pytest.fixture
def rates_csv(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(RATES, encoding="utf-8")
    return path


@pytest.mark.parametrize("amount", ["-0.004", "0.004", "-0.0049"])
def test_an_amount_that_rounds_to_zero_is_an_unsigned_zero(run_cli, rates_csv, amount):
    code, out, err = run_cli("rates", "convert", "--date", DATE, "--rates", rates_csv,
                             "--json", "--", amount, "GBP", "JPY")
    assert code == 0, err
    got = json.loads(out)
    assert got["counted"] == "0.00" and got["amount"] == "0", got
    note = next(ln for ln in err.splitlines() if "minor unit" in ln)
    assert f"converted as {got['counted']}," in note, note     # one spelling
    code, out, err = run_cli("rates", "convert", "--date", DATE, "--rates", rates_csv,
                             "--locale", "en_GB", "--", amount, "GBP", "JPY")
    assert code == 0, err
    want = (f"{format_currency(Decimal('0.00'), 'GBP', locale='en_GB')} = "
            f"{format_currency(Decimal('0'), 'JPY', locale='en_GB')}")
    assert out.splitlines()[0] == want
    assert "-" not in out.splitlines()[0]


def test_a_negative_that_rounds_to_a_cent_keeps_its_sign(run_cli, rates_csv):
    code, out, err = run_cli("rates", "convert", "--date", DATE, "--rates", rates_csv,
                             "--json", "--", "-0.006", "GBP", "JPY")
    assert code == 0, err
    got = json.loads(out)
    counted = _at(Decimal("-0.006"), "GBP")
    assert got["counted"] == str(counted) == "-0.01"
    assert got["amount"] == str(_at(counted * Decimal("188.77"), "JPY")) == "-2"


@pytest.mark.parametrize("value,code", [("-0.004", "GBP"), ("-0.4", "JPY"), ("-0.0004", "KWD")])
def test_round_money_gives_no_negative_zero(value, code):
    got = round_money(Decimal(value), code)
    assert got == 0 and not got.is_signed(), got
