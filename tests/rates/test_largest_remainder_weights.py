"""rates._minor.largest_remainder with weights past 3·10⁹ (amounts in minor
units, as a split entry's parts are): the int64 path multiplied a remainder
by a weight past 64 bits and gave parts of the wrong size and sign
(€142.4m split 85.44m / 56.96m: 85,706,317 and −374,668,262 pence)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rates._minor import largest_remainder


def _by_hand(total: int, weights: list[int]) -> list[int]:
    """Floors of total·w/W, then a unit each to the largest remainders
    (earlier first), in Fractions."""
    whole = sum(weights)
    exact = [Fraction(total * w, whole) for w in weights]
    parts = [e.numerator // e.denominator for e in exact]
    order = sorted(range(len(weights)), key=lambda k: (-(exact[k] - parts[k]), k))
    for k in order[:total - sum(parts)]:
        parts[k] += 1
    return parts


def _split(total: int, weights: list[int], as_objects: bool) -> list[int]:
    t = np.asarray([total], dtype=object if as_objects else np.int64)
    got = largest_remainder(t, np.zeros(len(weights), dtype=np.int64),
                            np.asarray(weights, dtype=np.int64),
                            np.asarray([sum(weights)], dtype=np.int64), np.arange(len(weights)))
    return [int(x) for x in got]


def test_the_split_that_overflowed():
    weights = [8_544_000_000, 5_696_000_000]
    assert _split(8_778_960_000, weights, False) == [5_267_376_000, 3_511_584_000] \
        == _by_hand(8_778_960_000, weights)


@settings(max_examples=300, deadline=None)
@given(total=st.integers(0, 10**15),
       weights=st.lists(st.integers(1, 10**13), min_size=1, max_size=6),
       as_objects=st.booleans())
def test_any_weights_give_the_exact_shares(total, weights, as_objects):
    assert _split(total, weights, as_objects) == _by_hand(total, weights)
