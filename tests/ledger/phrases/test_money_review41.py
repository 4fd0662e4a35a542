"""ledger.phrases.money: review41's defects in the readings fix41 added.
Expected values are the amounts as written, worked out by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions


def _read(text: str) -> list[tuple[Decimal, str]]:
    return [(m.amount, m.currency) for m in find_mentions(text)]


@pytest.mark.parametrize("text, expected", [
    ("The UK and France gave £600,000 and £7 million respectively.",
     [(600_000, "GBP"), (7_000_000, "GBP")]),
    ("€250,000 and €1.2 million respectively.", [(250_000, "EUR"), (1_200_000, "EUR")]),
    ("$950,000 and $1.2 million respectively.", [(950_000, "USD"), (1_200_000, "USD")]),
    ("£1,000,000 and £2m respectively.", [(1_000_000, "GBP"), (2_000_000, "GBP")]),
    ("£20,000 and £1.5 million respectively.", [(20_000, "GBP"), (1_500_000, "GBP")]),
    ("€250 000 et €1,2 million respectivement.", [(250_000, "EUR"), (1_200_000, "EUR")]),
    ("600,000 and 7 million pounds respectively", [(600_000, "GBP"), (7_000_000, "GBP")]),
    # a list mixing both: only the short number takes the scale
    ("£6, £600,000 and £7 million respectively.",
     [(6_000_000, "GBP"), (600_000, "GBP"), (7_000_000, "GBP")]),
    ("£6 and £7 million respectively.", [(6_000_000, "GBP"), (7_000_000, "GBP")]),
    # the scaled amount's number is written in full too: numbers of thousands
    ("£1,500 and £2,000 thousand respectively.", [(1_500_000, "GBP"), (2_000_000, "GBP")]),
])
def test_an_amount_written_in_full_keeps_its_own_value_in_a_list(text, expected):
    assert _read(text) == [(Decimal(v), c) for v, c in expected]


@pytest.mark.parametrize("text", [
    "Last year, 6 and 7 million pounds respectively went to Chad and Mali.",
    "For both projects, 6 and 7 million pounds respectively went to Chad and Mali.",
    "In recent years, 6 and 7 million pounds respectively went to Chad and Mali.",
    "Across both phases, 6 and 7 million pounds respectively went to Chad and Mali.",
    "In the first two rounds, 6 and 7 million pounds respectively went to Chad and Mali.",
    "Its two projects: 6 and 7 million pounds respectively.",
    "In both years 6 and 7 million pounds respectively were spent.",
])
def test_a_label_word_that_numbers_nothing_keeps_the_list(text):
    # 6 × 10^6 and 7 × 10^6
    assert _read(text) == [(Decimal(6_000_000), "GBP"), (Decimal(7_000_000), "GBP")]


def test_a_french_plural_label_keeps_the_list():
    assert _read("Pour les deux projets, 6 et 7 millions d'euros respectivement.") == [
        (Decimal(6_000_000), "EUR"), (Decimal(7_000_000), "EUR")]


@pytest.mark.parametrize("text", ["Page 7 and 8 million pounds respectively.",
                                  "See p. 7 and 8 million pounds respectively."])
def test_a_label_right_before_the_first_number_still_numbers_it(text):
    assert _read(text) == [(Decimal(8_000_000), "GBP")]


@pytest.mark.parametrize("text, expected", [
    # a count follows the groups: 1 × 10^6 only
    ("The fund gave £1 million 200 thousand people received food.", [(1_000_000, "GBP")]),
    # abbreviations join no groups: 2 × 10^9; 1 × 10^6; 5 × 10^9
    ("A £2 billion 300 m tunnel", [(2_000_000_000, "GBP")]),
    ("It gave £1m 200k.", [(1_000_000, "GBP")]),
    ("It gave £5bn 300m.", [(5_000_000_000, "GBP")]),
    # a last group with no scale word: a count, then $700
    ("Liberia 5 million 700 dollars per capita", [(700, "USD")]),
    # another currency's word: an amount of its own
    ("The UK gave £1 million 200 thousand euros", [(1_000_000, "GBP"), (200_000, "EUR")]),
    # the groups as said: 1 × 10^6 + 200 × 10^3
    ("The UK gave £1 million 200 thousand to Chad.", [(1_200_000, "GBP")]),
    ("The UK gave £1 million 200 thousand.", [(1_200_000, "GBP")]),
    ("The UK gave £1 million 200 thousand pounds.", [(1_200_000, "GBP")]),
])
def test_digit_groups_after_a_scale_take_no_count_or_unit(text, expected):
    assert _read(text) == [(Decimal(v), c) for v, c in expected]


def test_between_before_a_long_run_of_spaces_still_makes_a_range():
    got = find_mentions("It costs between" + " " * 250 + "nine hundred and one thousand pounds.")
    # 9 × 10^2 to 1 × 10^3, never 901,000
    assert [(m.amount, m.upper, m.currency) for m in got] == [
        (Decimal(900), Decimal(1000), "GBP")]
