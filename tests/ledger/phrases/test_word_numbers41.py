"""ledger.phrases (fix41): digits said in groups after a scale, a list of
amounts each with its currency sign, a label's number before a list,
lists after any plain word, and French "et" between digit groups as
"and".  Figures worked by hand in the comments."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions
from ledger.phrases.money import parse_amount


def read(text: str) -> list[tuple[str, Decimal, str]]:
    return [(m.phrase, m.amount, m.currency) for m in find_mentions(text)]


@pytest.mark.parametrize("text, figure", [
    # 1 × 10^6 + 200 × 10^3
    ("£1 million 200 thousand", 1_200_000),
    ("£1 million 200 thousand pounds", 1_200_000),
    # 3 × 10^9 + 40 × 10^6 + 5 × 10^3
    ("$3 billion 40 million 5 thousand", 3_040_005_000),
    # French "et" joins digit groups as "and" does: 5 × 10^6 + 200 × 10^3
    ("5 millions et 200 mille euros", 5_200_000),
    ("5 million and 200 thousand pounds", 5_200_000),
])
def test_digit_groups_read_whole(text, figure):
    got = read(f"In 2019 the fund gave {text}.")
    assert [(p, a) for p, a, _ in got] == [(text, Decimal(figure))]
    assert parse_amount(text).amount == Decimal(figure)


@pytest.mark.parametrize("text, phrase, figure", [
    # a larger or equal group after: not one number, the last figure alone
    ("£1 million 2 million", "£1 million", 1_000_000),
    ("£200 thousand 1 million", "£200 thousand", 200_000),
])
def test_prefixed_groups_that_are_no_one_number_stop(text, phrase, figure):
    got = read(f"The fund gave {text}.")
    assert got[0][:2] == (phrase, Decimal(figure))


def test_each_sign_of_a_respective_list_takes_the_scale():
    # 6 × 10^6 and 7 × 10^6
    got = read("They gave £6 and £7 million respectively.")
    assert [(a, c) for _, a, c in got] == [(Decimal(6_000_000), "GBP"),
                                           (Decimal(7_000_000), "GBP")]
    # 4, 5 and 6 × 10^6 in euros
    got = read("Ils ont reçu €4, €5 et €6 millions respectivement.")
    assert [a for _, a, _ in got] == [Decimal(f) for f in (4_000_000, 5_000_000, 6_000_000)]


@pytest.mark.parametrize("text, figures", [
    # no "respectively": each as written, £6 and £7m
    ("They gave £6 and £7 million.", (6, 7_000_000)),
    # another currency: £6 and €7m
    ("They gave £6 and €7 million respectively.", (6, 7_000_000)),
])
def test_signs_not_of_one_respective_list_stay(text, figures):
    assert [a for _, a, _ in read(text)] == [Decimal(f) for f in figures]


def test_a_label_joined_by_and_is_no_item():
    # "Page 7" numbers a page: only 8 × 10^6
    assert [a for _, a, _ in read("Page 7 and 8 million pounds respectively.")] == [
        Decimal(8_000_000)]
    # without the label, 7 × 10^6 and 8 × 10^6
    assert [a for _, a, _ in read("7 and 8 million pounds respectively.")] == [
        Decimal(7_000_000), Decimal(8_000_000)]
    assert [a for _, a, _ in read("They got 7 and 8 million pounds respectively.")] == [
        Decimal(7_000_000), Decimal(8_000_000)]


@pytest.mark.parametrize("text", [
    "They gave, among others, 4, 5 and 6 million pounds respectively.",
    "Totals stood at 4, 5 and 6 million pounds respectively.",
    "Allocations: 4, 5 and 6 million pounds respectively.",
])
def test_a_comma_list_after_any_plain_word_is_read(text):
    # 4, 5 and 6 × 10^6
    assert [a for _, a, _ in read(text)] == [Decimal(4_000_000), Decimal(5_000_000),
                                             Decimal(6_000_000)]
