"""A larger scale word after "and" starts another amount, never multiplies
the one before: "five thousand and two million pounds" is £5,000 and £2m
(read as one number it was £5,002m); a word range's lower bound takes the
upper's "hundred" only when it counts hundreds ("between ten and two
hundred thousand" is £10,000–£200,000) (review27c)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions
from ledger.phrases.money import parse_amount


def mentions(text):
    return [(m.phrase, m.amount, m.qualifier, m.upper) for m in find_mentions(text)]


@pytest.mark.parametrize("first, second, a, b", [
    ("five thousand", "two million pounds", 5_000, 2_000_000),
    ("five hundred thousand", "two million pounds", 500_000, 2_000_000),
    ("two hundred thousand", "one million pounds", 200_000, 1_000_000),
    ("one thousand", "one million pounds", 1_000, 1_000_000),
])
def test_a_larger_scale_after_and_is_another_amount(first, second, a, b):
    got = mentions(f"The fund gave {first} and {second} to parks.")
    assert got == [(first, Decimal(a), "exact", None), (second, Decimal(b), "exact", None)]


def test_such_an_amount_is_not_read_as_one_figure():
    with pytest.raises(ValueError):
        parse_amount("five thousand and two million pounds")


@pytest.mark.parametrize("text, low, high", [
    ("between ten and two hundred thousand pounds", 10_000, 200_000),
    ("between fifty and three hundred million pounds", 50_000_000, 300_000_000),
    ("twenty to three hundred thousand pounds", 20_000, 300_000),
    # a count of hundreds below the upper's still takes its "hundred"
    ("between two and three hundred thousand pounds", 200_000, 300_000),
])
def test_a_lower_bound_takes_hundred_only_when_it_counts_hundreds(text, low, high):
    assert mentions(f"It gave {text}.") == [(text, Decimal(low), "range", Decimal(high))]
