"""Misreadings of fix34 mended (review34): French "-et-" joins number
words before "mille", a bare "mille" after a word that counts it is no
amount, "respectively" lists take only numbers of the list, share the
upper number's hundreds and its qualifier, and an Oxford comma lists."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions


def mentions(text):
    return [(m.phrase, m.amount, m.currency, m.qualifier, m.upper) for m in find_mentions(text)]


def read(text):
    return [(m.phrase, m.amount) for m in find_mentions(text)]


@pytest.mark.parametrize("text, figure", [
    # by hand: (20 + 1) × 10^3; (60 + 11) × 10^3; (500 + 21) × 10^3
    ("vingt-et-un mille euros", 21_000),
    ("soixante-et-onze mille euros", 71_000),
    ("cinq cent vingt-et-un mille euros", 521_000),
    # 2 × 10^6 + 21 × 10^3
    ("deux millions vingt-et-un mille euros", 2_021_000),
])
def test_hyphenated_et_joins_the_words_before_mille(text, figure):
    assert mentions(f"Il a reçu {text}.") == [(text, Decimal(figure), "EUR", "exact", None)]


@pytest.mark.parametrize("text", [
    "Il a reçu des centaines de mille euros.",
    "Il a reçu des dizaines de mille euros.",
    "Il a reçu quelques mille euros.",
    "Il a reçu mille et mille euros.",
])
def test_a_bare_mille_counted_by_the_word_before_is_no_amount(text):
    assert mentions(text) == []


def test_a_bare_mille_after_a_plain_word_is_still_a_thousand():
    # 10^3
    assert read("Un don de mille euros.") == [("mille euros", Decimal(1_000))]


@pytest.mark.parametrize("text, first, figures", [
    # "hundred" is shared as in a range: 2 × 100 × 10^6, 3 × 100 × 10^6
    ("two and three hundred million pounds respectively", "two", (200_000_000, 300_000_000)),
    # 2 × 100 × 10^3, 3 × 100 × 10^3
    ("two and three hundred thousand pounds respectively", "two", (200_000, 300_000)),
    # 5 × 100 × 10^3, 6 × 100 × 10^3
    ("cinq et six cent mille euros respectivement", "cinq", (500_000, 600_000)),
    # ten is no count of hundreds (10 ≥ 2): 10 × 10^6, 200 × 10^6
    ("ten and two hundred million pounds respectively", "ten", (10_000_000, 200_000_000)),
])
def test_a_respective_list_shares_hundreds_as_a_range_does(text, first, figures):
    got = read(f"They got {text}.")
    assert [a for _, a in got] == [Decimal(f) for f in figures]
    assert got[0][0] == text and text.startswith(first)


@pytest.mark.parametrize("text", [
    "See paragraph 12, 6 and 7 million pounds respectively.",
    "See paragraph 4.2, 6 and 7 million pounds respectively.",
    "Article 12, 6 and 7 million pounds respectively.",
    "Phase 2, 6 and 7 million pounds respectively.",
    "At 10:30, 6 and 7 million pounds respectively.",
    "The 27, 6 and 7 million pounds respectively.",
    "Project 1234, 5678 and 9 million pounds respectively.",
    "Of the twenty, six and seven million pounds respectively.",
])
def test_a_number_ending_a_clause_before_a_list_is_no_amount(text):
    # unsure of the list: its last figure only, as before fix34 (7 × 10^6; 9 × 10^6)
    got = read(text)
    assert len(got) == 1 and got[0][1] in (Decimal(7_000_000), Decimal(9_000_000))


@pytest.mark.parametrize("text, figures", [
    # a fiscal year ends the clause like a year: 6 × 10^6, 7 × 10^6
    ("In 2019/20, 6 and 7 million pounds respectively.", (6_000_000, 7_000_000)),
    ("In 2019–20, 6 and 7 million pounds respectively.", (6_000_000, 7_000_000)),
    ("In 2019/20, 2020/21 and 2021/22, 5, 6 and 7 million pounds respectively.",
     (5_000_000, 6_000_000, 7_000_000)),
])
def test_a_fiscal_year_before_a_list_is_no_item(text, figures):
    assert [a for _, a in read(text)] == [Decimal(f) for f in figures]


def test_a_qualifier_before_a_respective_list_is_every_amounts():
    got = find_mentions("The funds got up to 6 and 7 million pounds respectively.")
    whole = "up to 6 and 7 million pounds respectively"
    # by hand: 6 × 10^6 and 7 × 10^6, each "up to", each quoting the list
    assert [(m.phrase, m.amount, m.qualifier, m.amount_text) for m in got] == [
        (whole, Decimal(6_000_000), "up to", "up to £6 million"),
        (whole, Decimal(7_000_000), "up to", "up to £7 million")]
    assert {m.column for m in got} == {15}


def test_a_number_of_a_list_is_quoted_through_to_the_amount():
    got = find_mentions("Grants.\nThe funds got 6 and 7 million pounds respectively.")
    assert [(m.phrase, m.line, m.column, m.amount) for m in got] == [
        ("6 and 7 million pounds respectively", 2, 15, Decimal(6_000_000)),
        ("7 million pounds", 2, 21, Decimal(7_000_000))]


@pytest.mark.parametrize("text, figure", [
    # a list with an Oxford comma: its last figure, as before fix34 (500 × 10^3)
    ("grants of three million, two million, and five hundred thousand pounds", 500_000),
    # 200 × 10^3, never 5 × 10^6 + 200 × 10^3
    ("ten million, five million, and two hundred thousand pounds", 200_000),
])
def test_an_oxford_comma_ends_a_list_and_joins_no_number(text, figure):
    got = read(f"They got {text}.")
    assert [a for _, a in got] == [Decimal(figure)]


def test_french_et_joins_a_smaller_scale_as_and_does():
    # by hand: 2 × 10^6 + 3 × 100 × 10^3
    assert read("Il a reçu deux millions et trois cent mille euros.") == [
        ("deux millions et trois cent mille euros", Decimal(2_300_000))]
    # equal scales after "et": two amounts, 100 × 10^3 and 2 × 100 × 10^3
    assert read("Ils ont reçu cent mille et deux cent mille euros.") == [
        ("cent mille", Decimal(100_000)), ("deux cent mille euros", Decimal(200_000))]
