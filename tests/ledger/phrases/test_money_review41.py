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
