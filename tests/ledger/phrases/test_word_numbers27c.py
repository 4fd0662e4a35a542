"""Number words with several scale words read whole ("one million two
hundred thousand pounds"), and a range in words reads both bounds the way a
listener hears them: the lower bound shares the upper's "hundred" when it
has no scale words of its own, and may be "a hundred" or a bare fraction."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions


def mentions(text):
    return [(m.phrase, m.amount, m.qualifier, m.upper) for m in find_mentions(text)]


@pytest.mark.parametrize("text, figure", [
    # by hand: 1 × 10^6 + 200 × 10^3
    ("one million two hundred thousand pounds", 1_200_000),
    # 2 × 10^6 + 50 × 10^3
    ("two million and fifty thousand pounds", 2_050_000),
    # 3 × 10^9 + 400 × 10^6
    ("three billion four hundred million euros", 3_400_000_000),
])
def test_a_number_with_several_scale_words_reads_whole(text, figure):
    assert mentions(f"The fund gave {text}.") == [(text, Decimal(figure), "exact", None)]


@pytest.mark.parametrize("text, low, high", [
    # by hand: the lower bound takes "hundred" and the scale word from the upper
    ("between two and three hundred thousand pounds", 200_000, 300_000),
    ("between six and seven hundred thousand euros", 600_000, 700_000),
    ("between five and six hundred million pounds", 500_000_000, 600_000_000),
    ("entre cinq et six cents millions d'euros", 500_000_000, 600_000_000),
    ("one to two hundred million pounds", 100_000_000, 200_000_000),
    # a lower bound with its own hundreds keeps them
    ("between two hundred and three hundred thousand pounds", 200_000, 300_000),
    # and one without hundreds before an upper without them is unchanged
    ("between twenty and thirty thousand pounds", 20_000, 30_000),
])
def test_a_lower_bound_shares_the_upper_bounds_hundreds(text, low, high):
    assert mentions(f"The fund gave {text}.") == [(text, Decimal(low), "range", Decimal(high))]


@pytest.mark.parametrize("text, low, high", [
    ("between a hundred and two hundred million pounds", 100_000_000, 200_000_000),
    # 1/2 and 3/4 of 10^6; 1/3 of 10^6 rounded to the penny
    ("between a half and three quarters of a million pounds", 500_000, 750_000),
    ("between a third and a half of a million pounds", Decimal("333333.33"), 500_000),
])
def test_a_range_opened_by_a_or_a_fraction_is_a_range(text, low, high):
    assert mentions(f"The fund gave {text}.") == [(text, Decimal(low), "range", Decimal(high))]


def test_a_range_to_a_larger_scale_after_between_stays_a_range():
    text = "between five hundred thousand and one million pounds"
    assert mentions(f"It cost {text}.") == [(text, Decimal(500_000), "range", Decimal(1_000_000))]


@pytest.mark.parametrize("text, low, high", [
    ("two or three million pounds", 2_000_000, 3_000_000),
    ("five or six hundred million pounds", 500_000_000, 600_000_000),
    ("5 or 6 million pounds", 5_000_000, 6_000_000),
])
def test_or_between_two_numbers_is_a_range(text, low, high):
    assert mentions(f"The fund gave {text}.") == [(text, Decimal(low), "range", Decimal(high))]


def test_amounts_with_their_own_scale_words_are_mentions_of_their_own():
    text = ("The fund gave five million and two million pounds, and one million two "
            "hundred thousand and three hundred thousand euros.")
    assert [(m.phrase, m.amount, m.currency) for m in find_mentions(text)] == [
        ("five million", Decimal(5_000_000), "GBP"),
        ("two million pounds", Decimal(2_000_000), "GBP"),
        ("one million two hundred thousand", Decimal(1_200_000), "EUR"),
        ("three hundred thousand euros", Decimal(300_000), "EUR"),
    ]


def test_numbers_sharing_one_scale_word_read_as_the_last_figure():
    # docs/phrases.md: "two and three million pounds" is no sum; its figure
    # is the last number's, and so for a list of them
    assert [(m.phrase, m.amount) for m in find_mentions(
        "They gave two, three and four million pounds.")] == [
        ("four million pounds", Decimal(4_000_000))]
