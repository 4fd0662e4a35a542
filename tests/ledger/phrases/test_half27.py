"""A fraction of a scale word said in words ("half a million pounds", "two
and a half million euros") is one amount, read by the amount reader and by
the extractor alike."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions
from ledger.phrases.money import parse_amount


@pytest.mark.parametrize("text, amount, currency", [
    ("half a million pounds", "500000", "GBP"),
    ("half a billion euros", "500000000", "EUR"),
    ("a quarter of a million pounds", "250000", "GBP"),
    ("three quarters of a million dollars", "750000", "USD"),
    ("two and a half million euros", "2500000", "EUR"),
    ("twenty-two and a half million pounds", "22500000", "GBP"),
])
def test_the_amount_reader_reads_the_fraction(text, amount, currency):
    got = parse_amount(text)
    assert (got.amount, got.currency) == (Decimal(amount), currency)


def test_a_qualifier_and_a_period_still_go_with_it():
    got = parse_amount("up to half a million pounds a year")
    assert (got.amount, got.qualifier, got.period.kind) == (Decimal(500000), "up to", "per-year")


def test_the_extractor_reads_one_figure_not_its_tail():
    text = "The UK gave half a million pounds; on behalf a million pounds more."
    got = [(m.phrase, m.amount, m.offset) for m in find_mentions(text)]
    # "half" of "behalf" is no number: that figure is "a million pounds" (offset 45)
    assert got == [("half a million pounds", Decimal(500000), 12),
                   ("a million pounds", Decimal(1000000), 45)]
