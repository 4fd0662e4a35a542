"""ledger.phrases: a qualifier before a range or a "respectively" list, and
a period after the list (review45, defects 3 and 5).  "up to £500,000-1
million" drafted "at least £500,000"; "up to £600,000 and £7 million
respectively" left £7m exact.  Expected values worked by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions


def _read(text: str) -> list[tuple[str, Decimal, Decimal | None, str, str]]:
    return [(m.qualifier, m.amount, m.upper, m.per, m.amount_text) for m in find_mentions(text)]


@pytest.mark.parametrize("text, expected", [
    # "up to" a range: up to its upper end, 1 × 10^6 and 7 × 10^6
    ("It costs up to £500,000-1 million.", [("up to", 1_000_000, None, "", "up to £1 million")]),
    ("It costs up to £5-7m.", [("up to", 7_000_000, None, "", "up to £7 million")]),
    ("It costs up to £5m-£7m.", [("up to", 7_000_000, None, "", "up to £7 million")]),
    # "more than" a range: at least its lower end, 5 × 10^6
    ("It costs more than £5-7m.", [("at least", 5_000_000, None, "", "more than £5 million")]),
    # "about" a range stays about, the bounds kept
    ("It costs about £5-7m.", [("about", 5_000_000, 7_000_000, "", "about £5 million")]),
    # no qualifier: the range as before
    ("It costs £500,000-1 million.", [("range", 500_000, 1_000_000, "", "£500,000")]),
])
def test_a_qualifier_before_a_range_reads_it(text, expected):
    assert _read(text) == [(q, Decimal(a), None if u is None else Decimal(u), p, t)
                           for q, a, u, p, t in expected]


@pytest.mark.parametrize("text, expected", [
    # the qualifier before the list is each figure's: 600,000 and 7 × 10^6
    ("It gives up to £600,000 and £7 million respectively.",
     [("up to", 600_000, "", "up to £600,000"), ("up to", 7_000_000, "", "up to £7 million")]),
    ("It gives about £600,000 and £7 million respectively.",
     [("about", 600_000, "", "about £600,000"), ("about", 7_000_000, "", "about £7 million")]),
    # the period after the list is each figure's
    ("It gives £600,000 and £7 million a year respectively.",
     [("exact", 600_000, "year", "£600,000"), ("exact", 7_000_000, "year", "£7 million")]),
    ("It gives 6 and 7 million pounds a year respectively.",
     [("exact", 6_000_000, "year", "6"), ("exact", 7_000_000, "year", "7 million pounds")]),
])
def test_a_qualifier_or_period_said_once_for_a_respective_list_is_each_figures(text, expected):
    assert [(q, a, p, t) for q, a, _, p, t in _read(text)] == [
        (q, Decimal(a), p, t) for q, a, p, t in expected]
