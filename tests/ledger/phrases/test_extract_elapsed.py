"""The words "a week", "a month" after a figure are a rate only when no
time phrase follows: "£2m a week into the crisis" is £2m, one-off (the
audit reads the quote with the same ``find_mentions``)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions

D = Decimal


@pytest.mark.parametrize("text", [
    "A further £2m a week into the crisis.",
    "£2m a month into the war.",
    "£2m a month on from the fire.",
    "£2m a week from now.",
    "£2m a month on, the camp closed.",
    "£2m a day later.",
    "£2m a\nmonth into the crisis.",
])
def test_elapsed_time_after_a_figure_is_no_rate(text):
    (m,) = find_mentions(text)
    assert (m.amount, m.period_unread, m.unread_rate) == (D(2_000_000), "", False)


@pytest.mark.parametrize(("text", "unread"), [
    ("It pays £1m a month to run the camp.", "a month"),
    ("£1m a month from the Home Office.", "a month"),
    ("£1m a month on food.", "a month"),
    ("£1m a month in 2016.", "a month"),
    ("£1m a week.", "a week"),
    ("£1m per week since the fire.", "per week"),
])
def test_rates_followed_by_other_words_stay_rates(text, unread):
    (m,) = find_mentions(text)
    assert (m.period_unread, m.unread_rate) == (unread, True)
