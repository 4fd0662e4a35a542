"""ledger.phrases.money: digit groups with a bare last group ("1 million
500 pounds") read whole, as the words say, never the tail alone; groups
left out of an amount are said (``Mention.unsure``) so that extract can
warn.  Expected values worked by hand from the words."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions


def _read(text: str) -> list[tuple[Decimal, str, str]]:
    return [(m.amount, m.currency, m.phrase) for m in find_mentions(text)]


@pytest.mark.parametrize("text, expected", [
    # 1 × 10^6 + 500
    ("They gave 1 million 500 pounds.", [(1_000_500, "GBP", "1 million 500 pounds")]),
    ("They gave 1 million and 500 pounds.", [(1_000_500, "GBP", "1 million and 500 pounds")]),
    # 5 × 10^6 + 700
    ("Liberia 5 million 700 dollars per capita",
     [(5_000_700, "USD", "5 million 700 dollars")]),
    # 2 × 10^9 + 30 × 10^6 + 5
    ("A 2 billion 30 million 5 euros budget", [(2_030_000_005, "EUR", "2 billion 30 million 5 euros")]),
    # after a sign, the currency's word closes the groups: 1 × 10^6 + 500
    ("They gave £1 million 500 pounds.", [(1_000_500, "GBP", "£1 million 500 pounds")]),
    ("They gave £1 million 200 thousand 500 pounds.",
     [(1_200_500, "GBP", "£1 million 200 thousand 500 pounds")]),
])
def test_a_bare_last_group_is_read_with_the_groups_before_it(text, expected):
    assert _read(text) == [(Decimal(v), c, p) for v, c, p in expected]


@pytest.mark.parametrize("text, expected", [
    # no currency word after bare digits following a sign: the head only
    ("They gave £1 million 500 to Chad.", [(1_000_000, "GBP", "£1 million")]),
    # a group above the one before is no one number: the last figure
    ("They gave 5 million 2 million pounds.", [(2_000_000, "GBP", "2 million pounds")]),
    # an abbreviation joins nothing (docs/phrases.md)
    ("They gave 1 million 200k pounds.", [(200_000, "GBP", "200k pounds")]),
])
def test_what_is_no_one_number_is_read_as_before(text, expected):
    assert _read(text) == [(Decimal(v), c, p) for v, c, p in expected]


@pytest.mark.parametrize("text, said", [
    ("£1 million 200 thousand went to the fund.", ["'200 thousand'", "'went'"]),
    ("The fund gave £1 million 200 thousand people received food.",
     ["'200 thousand'", "'people'"]),
    ("Liberia 5 million 700 dollars per capita", ["'5 million'", "'700 dollars'"]),
    ("They gave 5 million 2 million pounds.", ["'5 million'"]),
    ("Some 4.5 million 700 dollars per head.", ["'4.5 million'"]),
    ("They gave 1 million 500,000 pounds.", ["'1 million'"]),
    # digits and words mixed: the tail is read (£500,000), never silently
    ("They gave two million 500 thousand pounds.", ["'two million'"]),
    ("They gave 2 million five hundred thousand pounds.", ["'2 million'"]),
    ("They gave five million and 2 million pounds.", ["'five million and'"]),
    # a comma before the groups: the last figure is read (docs), not silently
    ("They gave 5 million, 2 thousand pounds.", ["'5 million,'"]),
    # no groups join a decimal or an abbreviation: said too
    ("£3.5 million 200 thousand went to the fund.", ["'200 thousand'"]),
    ("It gave £5m 200 thousand.", ["'200 thousand'"]),
])
def test_digits_said_with_a_figure_and_not_read_in_it_are_said(text, said):
    (m,) = find_mentions(text)
    assert m.unsure and all(s in m.unsure for s in said), m.unsure


@pytest.mark.parametrize("text", [
    "The UK gave £1 million 200 thousand to Chad.",
    "The UK gave £1 million 200 thousand euros.",
    "GBP 1 million 200 thousand euros.",
    "The UK gave 1 million 200 thousand pounds.",
    "The UK gave £5 million to Chad.",
    "The UK gave five million and two million pounds.",
    "The UK gave one million two hundred thousand pounds.",
    "The UK gave £3.5 million 200 thousand euros.",
])
def test_no_doubt_where_every_group_is_read_or_is_another_amount(text):
    assert all(not m.unsure for m in find_mentions(text))
