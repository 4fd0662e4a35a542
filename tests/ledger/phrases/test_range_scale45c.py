"""ledger.phrases: a range's scale is shared back from the upper figure
("£5-7m"), never forward (review45b, defect 1: "up to £5m - 2016 round"
read up to £2.016 billion).  An upper figure without its own scale is
read as written; one below the lower figure is no range, and the first
figure reads alone.  Expected values worked by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions


def _read(text: str) -> list[tuple[str, Decimal, Decimal | None, str]]:
    return [(m.qualifier, m.amount, m.upper, m.amount_text) for m in find_mentions(text)]


@pytest.mark.parametrize("text, expected", [
    # 2016 < 5 × 10^6: no range, £5m alone, still "up to"
    ("Grants of up to £5m - 2016 round.", [("up to", 5_000_000, None, "up to £5m")]),
    ("Grants of up to £3 million-2017 round.", [("up to", 3_000_000, None, "up to £3 million")]),
    ("It costs about £2m-2015 in all.", [("about", 2_000_000, None, "about £2m")]),
    ("It costs £5m-2016.", [("exact", 5_000_000, None, "£5m")]),
    # the upper figure's own scale is shared back: unchanged readings
    ("It costs £5-7m.", [("range", 5_000_000, 7_000_000, "£5")]),
    ("It costs £500,000-1 million.", [("range", 500_000, 1_000_000, "£500,000")]),
    ("It costs £900,000-1.2 million.", [("range", 900_000, 1_200_000, "£900,000")]),
    ("It costs up to £5-7m.", [("up to", 7_000_000, None, "up to £7 million")]),
])
def test_a_bare_upper_figure_takes_no_scale_from_the_lower(text, expected):
    assert _read(text) == [(q, Decimal(a), None if u is None else Decimal(u), t)
                           for q, a, u, t in expected]
