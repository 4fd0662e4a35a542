"""ledger.phrases.money: review44's defects in lists, ranges and digit
groups.  Expected values are the amounts as written, worked out by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions


def _read(text: str) -> list[tuple[Decimal, str]]:
    return [(m.amount, m.currency) for m in find_mentions(text)]


@pytest.mark.parametrize("text, expected", [
    # parse_number reads "1.250" as 1.25: a number of millions, as "1.5" is
    ("The tranches were 1.250 and 2 million euros respectively.",
     [(1_250_000, "EUR"), (2_000_000, "EUR")]),
    ("The tranches were 2.500 and 3 million euros respectively.",
     [(2_500_000, "EUR"), (3_000_000, "EUR")]),
    ("The tranches were 600.000 and 7 million euros respectively.",
     [(600_000_000, "EUR"), (7_000_000, "EUR")]),
    ("The tranches were €1.250 and €2 million respectively.",
     [(1_250_000, "EUR"), (2_000_000, "EUR")]),
    # read as thousands: the number keeps its own value
    ("The tranches were 1,250 and 2 million euros respectively.",
     [(1_250, "EUR"), (2_000_000, "EUR")]),
    ("The tranches were 1.250.000 and 2 million euros respectively.",
     [(1_250_000, "EUR"), (2_000_000, "EUR")]),
    ("The tranches were €1.250.000 and €2 million respectively.",
     [(1_250_000, "EUR"), (2_000_000, "EUR")]),
])
def test_a_listed_number_is_scaled_as_parse_number_reads_it(text, expected):
    assert _read(text) == [(Decimal(v), c) for v, c in expected]


def _range(text: str) -> list[tuple[Decimal, Decimal | None, str]]:
    return [(m.amount, m.upper, m.currency) for m in find_mentions(text)]


@pytest.mark.parametrize("text, low, high", [
    ("The cost was between £2 and £3 million", 2_000_000, 3_000_000),
    ("The cost was between £2 and £3 million.", 2_000_000, 3_000_000),
    ("The cost was between 2 and 3 million pounds", 2_000_000, 3_000_000),
    ("The cost was between £2.5 and £3 million.", 2_500_000, 3_000_000),
    ("The cost was from £2 to £3 million.", 2_000_000, 3_000_000),
    ("The cost was £2 to £3 billion.", 2_000_000_000, 3_000_000_000),
    # a lower bound the scale would lift past the upper one, or written in
    # full, keeps its own value
    ("The cost was between £500 and £1 million.", 500, 1_000_000),
    ("The cost was between £600,000 and £1 million.", 600_000, 1_000_000),
])
def test_a_range_scale_carries_to_a_bare_lower_bound(text, low, high):
    assert _range(text) == [(Decimal(low), Decimal(high), "GBP")]


@pytest.mark.parametrize("text, value, per", [
    ("The UK contributed £2 million 300 thousand annually.", 2_300_000, "year"),
    ("The UK contributed £2 million 300 thousand yearly.", 2_300_000, "year"),
    ("The UK contributed £2 million 300 thousand every year.", 2_300_000, "year"),
    ("The UK contributed £2 million 300 thousand each year.", 2_300_000, "year"),
    ("The EU pledged €1 billion 300 million pledged at the conference.", 1_300_000_000, ""),
    ("Germany provided €2 billion 400 million provided through KfW.", 2_400_000_000, ""),
    ("The budget is £4 million 750 thousand funding for schools.", 4_750_000, ""),
    ("The programme received £1 million 200 thousand allocated to health.", 1_200_000, ""),
    ("The programme received £1 million 200 thousand which was spent in 2019.", 1_200_000, ""),
    ("The UK gave £5 million 250 thousand but disbursed less.", 5_250_000, ""),
    ("The UK contributed £2 million 300 thousand through UNICEF.", 2_300_000, ""),
    ("The UK contributed £2 million 300 thousand via UNICEF.", 2_300_000, ""),
    ("Norway gave NOK 2 billion 500 million committed in 2020.", 2_500_000_000, ""),
    ("La France a donné €2 millions 500 mille versés au fonds.", 2_500_000, ""),
    # a count noun after the groups: they count it, the amount is £1m
    ("The fund gave £1 million 200 thousand people food.", 1_000_000, ""),
    ("The fund gave £1 million 200 thousand displaced people.", 1_000_000, ""),
    # a verb said of the people the groups count, as well as of money: the
    # groups are a head count, never added (reviewlate)
    ("The fund gave £1 million 200 thousand received aid.", 1_000_000, ""),
    ("The fund gave $5 million 20 thousand given food.", 5_000_000, ""),
    ("The fund gave £3 million 400 thousand paid a visit.", 3_000_000, ""),
])
def test_digit_groups_carry_on_before_a_verb_or_period_word(text, value, per):
    [m] = find_mentions(text)
    assert (m.amount, m.per) == (Decimal(value), per)


def test_a_plus_after_digit_groups_ends_the_first_amount():
    assert _read("The UK gave £5 million 250 thousand plus £2 million in-kind.") == [
        (Decimal(5_250_000), "GBP"), (Decimal(2_000_000), "GBP")]


@pytest.mark.parametrize("text, low, high", [
    ("Le coût était entre 2 € et 3 millions €.", 2_000_000, 3_000_000),
    ("The cost was between 2 EUR and 3 million EUR.", 2_000_000, 3_000_000),
    ("The cost was between 500 euros and 1 million euros.", 500, 1_000_000),
])
def test_a_range_scale_carries_to_a_lower_bound_with_its_currency_after(text, low, high):
    assert _range(text) == [(Decimal(low), Decimal(high), "EUR")]
