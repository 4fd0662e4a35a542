"""ledger.phrases.money: a decimal comma in a list or range says how its
other numbers are written ("€250.000 and €1,5 million respectively":
€250,000 and €1.5m).  Expected values worked by hand: with a decimal
comma, "250.000" is 250 × 1000 = 250000 and "1,5 million" 1.5 × 10⁶."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions


def _read(text: str) -> list[tuple[Decimal, Decimal | None, str]]:
    return [(m.amount, m.upper, m.currency) for m in find_mentions(text)]


@pytest.mark.parametrize("text, expected", [
    ("The grants were €250.000 and €1,5 million respectively.",
     [(250_000, None, "EUR"), (1_500_000, None, "EUR")]),
    ("The grants were 250.000 and 1,5 million euros respectively.",
     [(250_000, None, "EUR"), (1_500_000, None, "EUR")]),
    ("The grants were €250.000, €300.000 and €1,5 million respectively.",
     [(250_000, None, "EUR"), (300_000, None, "EUR"), (1_500_000, None, "EUR")]),
    # without "respectively" each is its own amount, in the same writer's way
    ("The grants were €250.000 and €1,5 million.",
     [(250_000, None, "EUR"), (1_500_000, None, "EUR")]),
    # ranges: the lower bound is 250000, never 250 nor 250 million
    ("It will cost €250.000 to €1,5 million.", [(250_000, 1_500_000, "EUR")]),
    ("It will cost between 250.000 and 1,5 million euros.", [(250_000, 1_500_000, "EUR")]),
])
def test_a_decimal_comma_in_the_phrase_makes_the_dot_group_thousands(text, expected):
    assert _read(text) == [(Decimal(v), None if u is None else Decimal(u), c)
                           for v, u, c in expected]


@pytest.mark.parametrize("text, expected", [
    # nothing says a decimal comma: the default reading, a decimal point
    ("It cost 250.000 euros.", [(250, None, "EUR")]),
    ("The tranches were 1.250 and 2 million euros respectively.",
     [(1_250_000, None, "EUR"), (2_000_000, None, "EUR")]),
    # a point read only as a point ("1.5") speaks against the comma: as before
    ("The grants were €1.5 and €2,5 million respectively.",
     [(1_500_000, None, "EUR"), (2_500_000, None, "EUR")]),
])
def test_without_a_decimal_comma_the_reading_is_unchanged(text, expected):
    assert _read(text) == [(Decimal(v), None if u is None else Decimal(u), c)
                           for v, u, c in expected]


@pytest.mark.parametrize("text, expected", [
    # the upper bound written bare, the lower in full: 500,000 to 1 × 10^6
    # (it read £500,000 alone, the upper bound dropped)
    ("It costs £500,000-1 million.", (500_000, 1_000_000, "GBP")),
    ("It costs £500,000 to 1 million.", (500_000, 1_000_000, "GBP")),
    # as "between £500 and £1 million": 500 to 1 × 10^6
    ("It costs £500 to 1 million.", (500, 1_000_000, "GBP")),
    # a decimal comma on the upper bound: 250 × 1000 to 1.5 × 10^6
    ("It costs €250.000 – 1,5 million.", (250_000, 1_500_000, "EUR")),
    # unchanged: the lower takes the scale when that stays below the upper
    ("It costs £5-7 million.", (5_000_000, 7_000_000, "GBP")),
    ("It costs £500-700 million.", (500_000_000, 700_000_000, "GBP")),
    ("It costs £1,500-2,000 thousand.", (1_500_000, 2_000_000, "GBP")),
])
def test_a_range_to_a_bare_upper_bound_keeps_a_lower_bound_past_its_scale(text, expected):
    low, high, code = expected
    assert _read(text) == [(Decimal(low), Decimal(high), code)]
