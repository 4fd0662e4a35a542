"""A duration of N and a half ("a year and a half", "one and a half years",
"two years and a half", "deux ans et demi") is N + 0.5 years, in a period
and after an amount: not N years, nor an open-ended rate."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.model import OVER, PER_YEAR
from ledger.phrases.extract import find_mentions
from ledger.phrases.money import parse_amount
from ledger.phrases.period import parse_period, total


@pytest.mark.parametrize("text, kind, years", [
    ("over a year and a half", OVER, "1.5"),
    ("over two and a half years", OVER, "2.5"),
    ("over two years and a half", OVER, "2.5"),
    ("for one and a half years", OVER, "1.5"),
    ("sur deux ans et demi", OVER, "2.5"),
    ("a year for one and a half years", PER_YEAR, "1.5"),
])
def test_a_period_and_a_half(text, kind, years):
    p = parse_period(text)
    assert (p.kind, p.years) == (kind, Decimal(years))


def test_after_an_amount():
    p = parse_amount("£3m over a year and a half")
    assert (p.amount, p.period.kind, p.period.years) == (Decimal(3_000_000), OVER, Decimal("1.5"))
    rate = parse_amount("£1m a year for one and a half years")
    assert (rate.period.kind, rate.period.years) == (PER_YEAR, Decimal("1.5"))
    # by hand: £1m a year for 1.5 years is £1.5m
    assert total(rate.amount, rate.period) == Decimal(1_500_000)
    [m] = find_mentions("The UK will give £3m over a year and a half to Calais.")
    assert (m.phrase, m.over_years) == ("£3m over a year and a half", Decimal("1.5"))
