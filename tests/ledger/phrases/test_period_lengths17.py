"""A period said in months, weeks or days ends by the calendar, and is said
back as given: "over 3 months" from 1 January ends on 31 March (it ended
on 1 April: 0.25 of a year of 365 days, rounded); one year from 29 February
ends on 28 February (it ended on the 27th)."""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.phrases.period import parse_period, period_end, span_fraction, total, total_minor

DAY = dt.timedelta(days=1)


def months_later_end(start: dt.date, n: int) -> dt.date:
    """By hand: the day before the same day-of-month n months later, or the
    last day of that month when it has no such day."""
    y, m = divmod(start.month - 1 + n, 12)
    y, m = start.year + y, m + 1
    last = calendar.monthrange(y, m)[1]
    return dt.date(y, m, start.day) - DAY if start.day <= last else dt.date(y, m, last)


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2150, 12, 31)), st.integers(1, 600))
def test_n_months_end_the_day_before_the_same_day_n_months_later(start, n):
    p = parse_period(f"over {n} months from {start.isoformat()}")
    assert period_end(p) == months_later_end(start, n)
    q = parse_period(f"per year for {n} months")
    assert period_end(q, start) == months_later_end(start, n)


def test_the_hunts_lengths_end_on_the_calendar_day():
    assert period_end(parse_period("over 3 months"), dt.date(2015, 1, 1)) == dt.date(2015, 3, 31)
    assert period_end(parse_period("over 18 months"), dt.date(2015, 7, 1)) == \
        dt.date(2016, 12, 31)
    # 500 days: 2015-03-01 plus 499 days
    assert period_end(parse_period("over 500 days"), dt.date(2015, 3, 1)) == \
        dt.date(2015, 3, 1) + 499 * DAY == dt.date(2016, 7, 12)
    assert period_end(parse_period("over 2 weeks"), dt.date(2015, 1, 1)) == dt.date(2015, 1, 14)
    assert period_end(parse_period("over 1 month"), dt.date(2015, 1, 31)) == dt.date(2015, 2, 28)


def test_one_year_from_29_february_ends_on_28_february():
    assert period_end(parse_period("over 1 year"), dt.date(2016, 2, 29)) == dt.date(2017, 2, 28)
    assert period_end(parse_period("over 4 years"), dt.date(2016, 2, 29)) == dt.date(2020, 2, 28)
    # 29 Feb 2016 to 28 Feb 2017 is 366 days: exactly one year
    assert Fraction(*span_fraction(dt.date(2016, 2, 29), dt.date(2017, 2, 28))) == 1
    num, den = span_fraction(dt.date(2016, 2, 29), dt.date(2017, 2, 27))
    assert Fraction(num, den) == Fraction(365, 366)


def test_a_period_is_said_as_given():
    for text in ("over 6 months", "over 500 days", "over 2 weeks", "over 1 month",
                 "per year for 18 months from 2015-07-01", "over 1.5 years",
                 "from 2015-03-01 to 2016-07-12", "per year from 2015-01-01 to 2016-12-31"):
        p = parse_period(text)
        assert p.describe() == text
        assert parse_period(p.describe()) == p
    assert parse_period("over six months").describe() == "over 6 months"
    # what earlier versions printed is still read
    assert parse_period("over from 2015-03-01 to 2016-07-12") == \
        parse_period("from 2015-03-01 to 2016-07-12")


def test_a_rate_for_months_or_days_counts_their_exact_years():
    # a month is a twelfth of a year; days count the years of their dates:
    # 500 days from 2015-03-01 end 2016-07-12, one year to 2016-03-01 and
    # 134 days of the 365 to 2017-03-01 (29 February 2016 in the first)
    assert total(D(1_200_000), parse_period("per year for 6 months")) == D(600_000)
    assert total_minor(D(1_200_000), parse_period("per year for 6 months"), 2) == 60_000_000
    want = Fraction(1_000_000 * 100) * (365 + 134) / 365
    got = total_minor(D(1_000_000), parse_period("per year for 500 days from 2015-03-01"), 2)
    assert got == int(want + Fraction(1, 2))
    assert total_minor(D(1_000_000), parse_period("per year for 500 days"), 2) is None
