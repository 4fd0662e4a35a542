"""The rate a conversion uses is bounded as a rate table's row is
(hunt 17): two rows of 1e9 (GBP->EUR, EUR->USD) crossed to 1e18 and
£999,999,999,999,999 became 28+ digits (a traceback in babel); two rows
1e-9 and 1e9 (USD->EUR inverted) crossed to 1e-18 and it showed as US$0.00.
Expected figures: Fraction over the CSV's own rates."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

import pytest

from ledger.errors import LedgerError
from ledger.model import Entry
from rates._minor import to_decimals
from rates.normalise import to_frame

BIG = D("999999999999999")


def _entry():
    return [Entry("big", dt.date(2015, 1, 1), "A:B", "C:D", BIG, "GBP")]


def _table(tmp_path, rows, day="2015-01-01"):
    path = tmp_path / "r.csv"
    path.write_text("date,from,to,rate\n" + "".join(f"{day},{a},{b},{r}\n"
                                                   for a, b, r in rows))
    return path, {(a, b): Fraction(r) for a, b, r in rows}


@pytest.mark.parametrize("rows, shown, valuation", [
    ([("GBP", "EUR", "1000000000"), ("EUR", "USD", "1000000000")], "1000000000000000000",
     "entry-date"),
    ([("GBP", "EUR", "1000000000"), ("EUR", "USD", "1000000000")], "", "yearly-average"),
    ([("GBP", "EUR", "0.000000001"), ("USD", "EUR", "1000000000")], "0.000000000000000001",
     "entry-date"),
])
def test_a_cross_rate_outside_the_bounds_is_refused_naming_entry_and_rate(
        tmp_path, rows, shown, valuation):
    # the yearly average counts ECB business days: 1 January is none, and the
    # 1e18 cross is in force on it only (the next day's ECB legs replace it)
    path, _ = _table(tmp_path, rows, "2015-01-01" if valuation == "entry-date" else "2015-01-02")
    with pytest.raises(LedgerError) as err:
        to_frame(_entry(), currency="USD", rates=path, valuation=valuation)
    msg = str(err.value)
    assert "\n" not in msg and "'big'" in msg and "GBP->USD" in msg
    # a yearly average mixes the ECB's daily EUR->USD: its figure is not 1e18
    assert (f"rate {shown} " if valuation == "entry-date" else "") + \
        "is outside 1e-9 to 1e9" in msg


def test_a_cross_rate_at_the_bound_converts_exactly(tmp_path):
    path, r = _table(tmp_path, [("GBP", "EUR", "100000"), ("EUR", "USD", "10000")])
    f = to_frame(_entry(), currency="USD", rates=path, years=None)
    exact = Fraction(BIG) * r[("GBP", "EUR")] * r[("EUR", "USD")]   # 999999999999999e9
    assert exact.denominator == 1
    assert f["value_minor"].tolist() == [exact.numerator * 100]
    assert f["value"].tolist() == [D(exact.numerator).quantize(D("0.01"))]


def test_to_decimals_never_rounds_past_28_digits():
    # 29 digits: the default context kept 28 and lost the last penny
    minor = 66697080292004038919708029164
    assert to_decimals([minor, -minor], 2).tolist() == [
        D("666970802920040389197080291.64"), D("-666970802920040389197080291.64")]
