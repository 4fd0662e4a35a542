"""Number words joined by "and" are one number only inside a number ("one
hundred and twenty", "vingt et un"): two numbers joined so are a range
("between two and three million pounds") or two figures, never their sum.
Other spellings of a fraction of the scale ("three-quarters of a million",
"half of a million", "a third of a million", "£2½ million") read as their
figure, not as the whole scale."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions
from ledger.phrases.money import MoneyError, parse_amount


def mentions(text):
    return [(m.phrase, m.amount, m.qualifier, m.upper) for m in find_mentions(text)]


@pytest.mark.parametrize("text, low, high", [
    # figures by hand: each bound is its words times the scale word
    ("between two and three million pounds", 2_000_000, 3_000_000),
    ("between one and two and a half million pounds", 1_000_000, 2_500_000),
    ("between two and a half and three million pounds", 2_500_000, 3_000_000),
    ("two to three million pounds", 2_000_000, 3_000_000),
    ("between one hundred and two hundred million pounds", 100_000_000, 200_000_000),
    ("entre deux et trois millions d'euros", 2_000_000, 3_000_000),
])
def test_a_range_in_words_reads_as_a_range(text, low, high):
    assert mentions(text) == [(text, Decimal(low), "range", Decimal(high))]
    with pytest.raises(MoneyError, match="is a range, not one amount"):
        parse_amount(text)


@pytest.mark.parametrize("text, figure, amount", [
    ("twenty and thirty million euros", "thirty million euros", 30_000_000),
    ("deux et trois millions d'euros", "trois millions d'euros", 3_000_000),
])
def test_two_numbers_joined_by_and_are_never_added(text, figure, amount):
    assert mentions(text) == [(figure, Decimal(amount), "exact", None)]
    with pytest.raises(MoneyError):
        parse_amount(text)


@pytest.mark.parametrize("text, amount", [
    ("one hundred and twenty million pounds", 120_000_000),
    ("two and a half million pounds", 2_500_000),
    ("one-and-a-half million pounds", 1_500_000),
    ("vingt et un millions de livres", 21_000_000),
    ("quatre-vingt-dix-sept millions de livres", 97_000_000),
])
def test_and_inside_a_number_still_reads(text, amount):
    got = parse_amount(text)
    assert (got.amount, got.qualifier) == (Decimal(amount), "exact")
    assert mentions(text) == [(text, Decimal(amount), "exact", None)]


@pytest.mark.parametrize("text, amount, currency", [
    ("three-quarters of a million pounds", "750000", "GBP"),
    ("three quarters of a million pounds", "750000", "GBP"),
    ("quarter of a million pounds", "250000", "GBP"),
    ("half of a million pounds", "500000", "GBP"),
    ("£2½ million", "2500000", "GBP"),
    ("2½ million pounds", "2500000", "GBP"),
    ("€1¼m", "1250000", "EUR"),
])
def test_a_fraction_of_the_scale_reads_as_its_figure(text, amount, currency):
    got = parse_amount(text)
    assert (got.amount, got.currency, got.qualifier) == (Decimal(amount), currency, "exact")
    assert mentions(text) == [(text, Decimal(amount), "exact", None)]


@pytest.mark.parametrize("text, amount, currency", [
    # a third is no whole number of minor units: rounded to them, "about"
    ("a third of a million pounds", "333333.33", "GBP"),
    ("two-thirds of a billion euros", "666666666.67", "EUR"),
    ("a third of a million yen", "333333", "JPY"),
])
def test_a_third_reads_about_its_figure(text, amount, currency):
    got = parse_amount(text)
    assert (got.amount, got.currency, got.qualifier) == (Decimal(amount), currency, "about")
    assert mentions(text) == [(text, Decimal(amount), "about", None)]
    said = parse_amount("up to " + text)
    assert (said.amount, said.qualifier) == (Decimal(amount), "up to")
