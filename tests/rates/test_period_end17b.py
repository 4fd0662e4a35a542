"""check (ledger.limits) ends a period by the reports' rule: one function
(length_end). It ended one year from 29 February on 27 February (the
reports: 28 February, 366 days) and ignored a length's unit."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from ledger.limits import period_end, period_problem
from ledger.phrases.period import length_end, parse_period


def test_one_year_from_29_february_is_366_days():
    assert period_end(dt.date(2016, 2, 29), Decimal(1)) == dt.date(2017, 2, 28)


def test_a_length_in_months_ends_by_the_calendar():
    # 18 months from 1 July 2015: the day before 1 January 2017
    assert period_end(dt.date(2015, 7, 1), Decimal("1.5"), Decimal(18), "month") == \
        dt.date(2016, 12, 31)


def test_check_and_the_reports_end_alike():
    starts = [dt.date(2016, 2, 29), dt.date(2015, 1, 31), dt.date(2019, 12, 31)]
    for s in starts:
        for n, unit in ((1, "year"), (Decimal("2.5"), "year"), (1, "month"), (13, "month")):
            want = length_end(np.array([s], dtype="datetime64[D]"), n, unit)[0].item()
            assert period_end(s, Decimal(n) if unit == "year" else Decimal(0),
                              None if unit == "year" else Decimal(n), unit) == want


def test_a_fraction_of_a_day_is_refused_in_one_line():
    why = period_problem(parse_period("over 0.5 days"), dt.date(2016, 1, 1))
    assert why and "0.5 days" in why and "\n" not in why
    assert period_problem(parse_period("over 3 days"), dt.date(2016, 1, 1)) == ""
