"""ledger.phrases: a figure whose dot may group thousands ("€250.000") in
a sentence that writes a decimal comma ("1,5") keeps the reading every
number that reads either way gets (the decimal point: €250), and the
mention says the doubt (``Mention.unsure``) so that extract warns
(review45: reading the list's comma made "€250,000 and €1,5 million"
€250 and broke the audit).  Expected values worked by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions

COMMA_SAID = "the same sentence writes '{}' with a decimal comma: check"


def _read(text: str) -> list[tuple[Decimal, Decimal | None, str, str]]:
    return [(m.amount, m.upper, m.currency, m.unsure) for m in find_mentions(text)]


@pytest.mark.parametrize("text, expected", [
    # "250,000" groups with its comma (250 × 1000); "1,5 million" is 1.5 × 10^6
    ("It gave €250,000 and €1,5 million.", [(250_000, None, "EUR", ""),
                                            (1_500_000, None, "EUR", "")]),
    # "250.000" in the list's scale: 250 × 10^6, as before fix45, and said
    ("It gave €250,000 and €1,5 million respectively.",
     [(250_000, None, "EUR", ""), (1_500_000, None, "EUR", "")]),
    ("It gave €250.000 and €1,5 million respectively.",
     [(250_000_000, None, "EUR", "1,5"), (1_500_000, None, "EUR", "")]),
    # "1,500" groups with its comma: 1500
    ("It gave €1,500 and €2,5 million.", [(1_500, None, "EUR", ""),
                                          (2_500_000, None, "EUR", "")]),
    # a dot group: 250 with the decimal point, and the doubt said
    ("It gave €250.000 and €1,5 million.", [(250, None, "EUR", "1,5"),
                                            (1_500_000, None, "EUR", "")]),
    ("Le budget : 250.000 € et 1,5 M€.", [(250, None, "EUR", "1,5"),
                                          (1_500_000, None, "EUR", "")]),
    ("The tranches were €1.250 and €2,5 million.", [(Decimal("1.25"), None, "EUR", "2,5"),
                                                    (2_500_000, None, "EUR", "")]),
    # a range: 250 to 1.5 × 10^6, said
    ("It will cost €250.000 – 1,5 million.", [(250, 1_500_000, "EUR", "1,5")]),
    # nothing writes a decimal comma: no doubt
    ("It cost 250.000 euros.", [(250, None, "EUR", "")]),
    ("It cost €1.5 million and €250.000.", [(1_500_000, None, "EUR", ""),
                                            (250, None, "EUR", "")]),
    # another sentence's comma says nothing of this one
    ("It cost €250.000. Later 1,5 million euros came.", [(250, None, "EUR", ""),
                                                         (1_500_000, None, "EUR", "")]),
])
def test_a_dot_group_with_a_decimal_comma_is_read_as_before_and_said(text, expected):
    assert _read(text) == [(Decimal(v), None if u is None else Decimal(u), c,
                            COMMA_SAID.format(said) if said else "")
                           for v, u, c, said in expected]


@pytest.mark.parametrize("text, expected", [
    # the upper bound written bare, the lower in full: 500,000 to 1 × 10^6
    # (it read £500,000 alone, the upper bound dropped)
    ("It costs £500,000-1 million.", (500_000, 1_000_000, "GBP")),
    ("It costs £500,000 to 1 million.", (500_000, 1_000_000, "GBP")),
    # as "between £500 and £1 million": 500 to 1 × 10^6
    ("It costs £500 to 1 million.", (500, 1_000_000, "GBP")),
    # unchanged: the lower takes the scale when that stays below the upper
    ("It costs £5-7 million.", (5_000_000, 7_000_000, "GBP")),
    ("It costs £500-700 million.", (500_000_000, 700_000_000, "GBP")),
    ("It costs £1,500-2,000 thousand.", (1_500_000, 2_000_000, "GBP")),
])
def test_a_range_to_a_bare_upper_bound_keeps_a_lower_bound_past_its_scale(text, expected):
    low, high, code = expected
    assert _read(text) == [(Decimal(low), Decimal(high), code, "")]
