"""Number words fix34 reads: French "mille" as a scale word ("trois cent
mille euros"), a scale word standing on a larger one ("a thousand million
pounds"), groups joined by a comma in descending scales ("one million, two
hundred thousand pounds"), digits with several scale words ("1 million 200
thousand pounds"), numbers sharing a scale "respectively", and a range's
lower bound before an upper bound with tens after its hundreds."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.errors import LedgerError
from ledger.phrases.extract import find_mentions
from ledger.phrases.money import MoneyError, parse_amount


def mentions(text):
    return [(m.phrase, m.amount, m.currency, m.qualifier, m.upper) for m in find_mentions(text)]


@pytest.mark.parametrize("text, figure", [
    # by hand: 3 × 100 × 10^3
    ("trois cent mille euros", 300_000),
    # 2 × 10^6 + 3 × 100 × 10^3
    ("deux millions trois cent mille euros", 2_300_000),
    # 100 × 10^3; 10 × 10^3; (80 + 10) × 10^3; 2 × 10^3
    ("cent mille euros", 100_000),
    ("dix mille euros", 10_000),
    ("quatre-vingt-dix mille euros", 90_000),
    ("deux mille euros", 2_000),
    # 2 × 100 × 10^6 + (60 + 10) × 10^3
    ("deux cents millions soixante-dix mille euros", 200_070_000),
    # 1 × 10^9 + (4 × 20) × 10^6
    ("un milliard quatre-vingts millions d'euros", 1_080_000_000),
])
def test_french_mille_is_a_scale_word(text, figure):
    assert mentions(f"L'aide est de {text}.") == [(text, Decimal(figure), "EUR", "exact", None)]
    assert parse_amount(text).amount == Decimal(figure)


@pytest.mark.parametrize("text, figure", [
    # by hand: 1 × 10^3 × 10^6; 100 × 10^3 × 10^6; 5 × 10^3 × 10^6
    ("a thousand million pounds", 1_000_000_000),
    ("one hundred thousand million pounds", 100_000_000_000),
    ("five thousand million pounds", 5_000_000_000),
    # 1 × 10^9 + 200 × 10^3
    ("one thousand million two hundred thousand pounds", 1_000_200_000),
    # 2 × 10^3 × 10^9
    ("deux mille milliards d'euros", 2_000_000_000_000),
])
def test_a_thousand_standing_on_a_larger_scale_multiplies_it(text, figure):
    got = mentions(f"The fund gave {text}.")
    assert [(p, a) for p, a, *_ in got] == [(text, Decimal(figure))]
    assert parse_amount(text).amount == Decimal(figure)


def test_a_range_to_a_thousand_million_shares_it():
    # 2 × 10^9 to 3 × 10^9
    assert mentions("between two and three thousand million pounds") == [
        ("between two and three thousand million pounds", Decimal(2_000_000_000), "GBP",
         "range", Decimal(3_000_000_000))]


def test_a_number_in_words_too_large_to_hold_is_refused_not_rounded():
    # ((1 × 10^3 + 1) × 10^6 + 1) × 10^9 + 1) × 10^12: 31 digits
    with pytest.raises(MoneyError, match="too many to be held exactly"):
        parse_amount("one thousand one million one billion one trillion pounds")


@pytest.mark.parametrize("text, figure", [
    # by hand: 1 × 10^6 + 200 × 10^3
    ("one million, two hundred thousand pounds", 1_200_000),
    # 1 × 10^6 + 50 × 10^3
    ("one million, and fifty thousand pounds", 1_050_000),
    # 3 × 10^9 + 400 × 10^6 + 20 × 10^3
    ("three billion, four hundred million, twenty thousand pounds", 3_400_020_000),
    # 2 × 10^6 + 300 × 10^3
    ("deux millions, trois cent mille euros", 2_300_000),
])
def test_a_comma_joins_groups_of_descending_scales(text, figure):
    got = mentions(f"The fund gave {text}.")
    assert [(p, a, q) for p, a, _, q, _ in got] == [(text, Decimal(figure), "exact")]
    assert parse_amount(text).amount == Decimal(figure)


@pytest.mark.parametrize("text, read", [
    # equal or rising scales after a comma are a list: its last figure, as
    # "two, three and four million pounds" reads
    ("two million, three million pounds", [("three million pounds", 3_000_000)]),
    ("five thousand, two million pounds", [("two million pounds", 2_000_000)]),
    ("one million, two million and three million pounds",
     [("two million", 2_000_000), ("three million pounds", 3_000_000)]),
])
def test_a_comma_never_joins_equal_or_rising_scales(text, read):
    got = mentions(f"The fund gave {text}.")
    assert [(p, a) for p, a, *_ in got] == [(p, Decimal(a)) for p, a in read]


def test_the_last_run_that_reads_as_one_number_is_the_figure():
    # 5 × 10^6, then 1 × 10^6 + 200 × 10^3 (not £1m and £200,000 apart)
    for text in ("five million and one million two hundred thousand pounds",
                 "five million and one million, two hundred thousand pounds"):
        got = mentions(f"The fund gave {text}.")
        assert [a for _, a, *_ in got] == [Decimal(5_000_000), Decimal(1_200_000)], text


@pytest.mark.parametrize("text, figure", [
    # by hand: 1 × 10^6 + 200 × 10^3; 12 × 10^6 + 500 × 10^3; 2 × 10^6 + 300 × 10^3
    ("1 million 200 thousand pounds", 1_200_000),
    ("1 million and 200 thousand pounds", 1_200_000),
    ("12 million 500 thousand euros", 12_500_000),
    ("2 millions 300 mille euros", 2_300_000),
    # 3 × 10^9 + 40 × 10^6 + 5 × 10^3
    ("3 billion 40 million 5 thousand dollars", 3_040_005_000),
])
def test_digits_with_several_scale_words_read_whole(text, figure):
    got = mentions(f"In 2019 the fund gave {text}.")
    assert [(p, a, q) for p, a, _, q, _ in got] == [(text, Decimal(figure), "exact")]
    assert parse_amount(text).amount == Decimal(figure)


@pytest.mark.parametrize("text, phrase, figure", [
    # no one number: the last figure alone, as before
    ("5 million, 2 thousand pounds", "2 thousand pounds", 2_000),
    ("5 million 2 million pounds", "2 million pounds", 2_000_000),
    ("1 million 1500 thousand pounds", "1500 thousand pounds", 1_500_000),
    # (fix41: "1 million 200 pounds" reads whole, £1,000,200: test_word_numbers41)
])
def test_digits_that_are_no_one_number_read_their_last_figure(text, phrase, figure):
    got = mentions(f"The fund gave {text}.")
    assert [(p, a) for p, a, *_ in got] == [(phrase, Decimal(figure))]


def test_digits_with_several_scale_words_without_a_currency_are_no_amount():
    assert mentions("It reached 5 million 200 thousand people.") == []


@pytest.mark.parametrize("text, read", [
    # by hand: each number times 10^6, in pounds
    ("six and seven million pounds respectively", [("six", 6_000_000),
                                                   ("seven million pounds", 7_000_000)]),
    ("two, three and four million pounds, respectively",
     [("two", 2_000_000), ("three", 3_000_000), ("four million pounds", 4_000_000)]),
    ("twenty-one and thirty million pounds respectively",
     [("twenty-one", 21_000_000), ("thirty million pounds", 30_000_000)]),
    ("6 and 7.5 million pounds respectively", [("6", 6_000_000),
                                               ("7.5 million pounds", 7_500_000)]),
    ("six et sept millions de livres respectivement",
     [("six", 6_000_000), ("sept millions de livres", 7_000_000)]),
])
def test_numbers_sharing_a_scale_respectively_are_amounts_of_their_own(text, read):
    got = mentions(f"The two funds got {text}.")
    # a number of the list is quoted through to "respectively" (fix34b)
    quoted = [(text[text.index(p):], a) for p, a in read[:-1]] + read[-1:]
    assert [(p, a, c, q) for p, a, c, q, _ in got] == [
        (p, Decimal(a), "GBP", "exact") for p, a in quoted]


def test_without_respectively_the_numbers_are_no_sum_and_no_list():
    # docs/phrases.md: "two and three million pounds" reads its last figure
    assert [(p, a) for p, a, *_ in mentions("They got six and seven million pounds.")] == [
        ("seven million pounds", Decimal(7_000_000))]


def test_between_before_a_list_respectively_is_still_a_range():
    assert mentions("between six and seven million pounds respectively") == [
        ("between six and seven million pounds", Decimal(6_000_000), "GBP", "range",
         Decimal(7_000_000))]


def test_the_numbers_listed_take_the_amounts_period():
    got = find_mentions("The funds got six and seven million pounds respectively over three years.")
    assert [(m.amount, m.over_years) for m in got] == [(Decimal(6_000_000), 3),
                                                       (Decimal(7_000_000), 3)]


def test_parse_amount_says_a_respective_list_is_several_amounts():
    with pytest.raises(MoneyError, match="is 2 amounts .6000000 GBP, 7000000 GBP., not one"):
        parse_amount("six and seven million pounds respectively")


@pytest.mark.parametrize("text, low, high", [
    # by hand: the lower bound takes the upper's "hundred" and scale, not its
    # tens: 2 × 100 × 10^3 (of the hearings 200,000 and 250,000 the smaller;
    # "between two and three hundred thousand" is 200,000 likewise)
    ("between two and three hundred and fifty thousand pounds", 200_000, 350_000),
    ("two to three hundred and fifty thousand pounds", 200_000, 350_000),
    ("entre deux et trois cent cinquante mille livres", 200_000, 350_000),
    # ten counts no hundreds below 2.5 hundred: 10 × 10^3
    ("between ten and two hundred and fifty thousand pounds", 10_000, 250_000),
])
def test_a_lower_bound_shares_hundreds_before_tens(text, low, high):
    assert mentions(f"It cost {text}.") == [(text, Decimal(low), "GBP", "range", Decimal(high))]


@pytest.mark.parametrize("text, figure", [
    # "mille" alone is a thousand: 10^3; 10^3 × 10^9
    ("mille euros", 1_000),
    ("mille milliards d'euros", 1_000_000_000_000),
    # 1 × 10^6 + 10^3; 2 × 10^9 + 3 × 10^6 + 10^3
    ("un million mille euros", 1_001_000),
    ("deux milliards trois millions mille euros", 2_003_001_000),
])
def test_french_mille_alone_is_a_thousand(text, figure):
    assert mentions(f"Il a reçu {text}.") == [(text, Decimal(figure), "EUR", "exact", None)]
    assert parse_amount(text).amount == Decimal(figure)


def test_a_word_that_starts_with_mille_is_no_amount():
    assert mentions("Du millet euros.") == []


@pytest.mark.parametrize("text, read", [
    # a year before the list is no item of it (£2,020m otherwise)
    ("In 2020, 6 and 7 million pounds respectively.", [("6 and 7 million pounds respectively",
                                                        6_000_000),
                                                       ("7 million pounds", 7_000_000)]),
    # digits grouped by commas are one item each: 1,500 × 10^3 and 2,000 × 10^3
    ("They got 1,500 and 2,000 thousand pounds respectively.",
     [("1,500 and 2,000 thousand pounds respectively", 1_500_000),
      ("2,000 thousand pounds", 2_000_000)]),
    # a list longer than six numbers is read as before: its last figure
    ("They got six, seven, eight, nine, ten, eleven, twelve and two million pounds "
     "respectively.", [("two million pounds", 2_000_000)]),
])
def test_a_respective_list_stops_at_what_is_no_item(text, read):
    assert [(p, a) for p, a, *_ in mentions(text)] == [(p, Decimal(a)) for p, a in read]


@pytest.mark.parametrize("text, low, high", [
    # a lower bound whose share of the upper's scale would pass the upper
    # bound is a number of its own: 500 (not 500 × 10^3) to 1000
    ("between five hundred and a thousand pounds", 500, 1_000),
    ("between 500 and 1 million pounds", 500, 1_000_000),
    ("entre cinq cents et mille livres", 500, 1_000),
    # after "between" with no other "and", "hundred and" is the range's:
    # 900 to 1000, never 901,000; 100 to 50,000, never 150,000
    ("between nine hundred and one thousand pounds", 900, 1_000),
    ("between one hundred and fifty thousand pounds", 100, 50_000),
])
def test_a_range_never_reads_as_one_exact_figure(text, low, high):
    assert mentions(f"It cost {text}.") == [(text, Decimal(low), "GBP", "range", Decimal(high))]


def test_hundred_and_inside_a_range_bound_still_reads():
    # 120 × 10^3 to 200 × 10^3: the range's "and" follows the first bound
    text = "between one hundred and twenty thousand pounds and two hundred thousand pounds"
    assert mentions(f"It cost {text}.") == [
        (text, Decimal(120_000), "GBP", "range", Decimal(200_000))]


@pytest.mark.parametrize("text, low, high", [
    # by hand: 1 × 10^6 + 200 × 10^3 to 2 × 10^6
    ("between one million two hundred thousand and two million pounds", 1_200_000, 2_000_000),
    ("between 1 million 200 thousand and 2 million pounds", 1_200_000, 2_000_000),
    ("one million, two hundred thousand to two million pounds", 1_200_000, 2_000_000),
])
def test_a_lower_bound_with_several_scale_words_opens_a_range(text, low, high):
    assert mentions(f"It cost {text}.") == [(text, Decimal(low), "GBP", "range", Decimal(high))]


@pytest.mark.parametrize("figure", [
    "£1000000000000000000000000000000",
    # ((1 × 10^3 + 1) × 10^6 + 1) × 10^9 + 1) × 10^12: 31 digits
    "one thousand one million one billion one trillion pounds",
])
def test_a_figure_too_large_to_hold_names_where_it_is(figure):
    # a user's error the CLI prints in one line, never a traceback
    with pytest.raises(LedgerError, match=r"^doc\.txt:2:15: .*too many"):
        find_mentions(f"Intro line.\nThe fund gave {figure} to them.\n", "doc.txt")
