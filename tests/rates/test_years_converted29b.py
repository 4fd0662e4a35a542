"""A converted amount per year is never against its sign in any year (fix29b).

fix29 made a converted whole year the amount a year converted and rounded,
and the total the amount × the span's anniversary years converted and
rounded once; the part years took the rest.  When the whole years' rate
rounds up and the part years are short (one day, two or more whole years)
the rest is negative: a positive pledge showed −0.01 in a year.  Now the
part years then get 0 and the whole years give the units back, one each,
the latest first (docs/rates.md).  Figures here are worked by hand with
``Fraction`` from the entry and the rate, not from the code under test.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rates.normalise import normalise
from tests.rates.test_years29 import _anniversary_years, _round, _years

DAY = dt.timedelta(days=1)
MODES = {"calendar": (None, (1, 1)), "fiscal-uk": (None, (4, 1)),
         "fiscal-us": (None, (10, 1))}


def _rates(folder: Path, rate: Decimal) -> Path:
    path = folder / "rates.csv"
    path.write_text("date,from,to,rate,source\n" + "".join(
        f"{y}-01-01,EUR,GBP,{rate},test\n" for y in range(2000, 2032)), encoding="utf-8")
    return path


def _frame(minor: int, start: dt.date, end: dt.date | None):
    return pd.DataFrame({
        "id": ["r"], "date": [pd.Timestamp(start)], "amount": [str(Decimal(minor).scaleb(-2))],
        "currency": ["EUR"], "period_kind": ["per-year"],
        "end": [pd.NaT if end is None else pd.Timestamp(end)]})


def _by_year(rows, sm: int, sd: int) -> dict[dt.date, int]:
    return {dt.date(int(str(y)[:4]), sm, sd): int(v)
            for y, v in zip(rows["year"], rows["value_minor"])}


def test_a_one_day_part_year_before_two_rounded_up_years_by_hand(tmp_path):
    """€1.00 a year from 31 December 2020 to 31 December 2022 at 0.885: the
    span is 2 + 1/365 years by anniversaries, so the total is
    88.5p × (2 + 1/365) = 177.24p, 177p; a whole year is 88.5p, 89p, and two
    of them 178p.  Main gave 2020 (one day) −1p; now 2020 0p, 2021 89p, 2022 88p."""
    rates = _rates(tmp_path, Decimal("0.885"))
    frame = _frame(100, dt.date(2020, 12, 31), dt.date(2022, 12, 31))
    rows = normalise(frame, years="calendar", rates=rates)
    assert list(zip(rows["year"].astype(int), rows["value_minor"].astype(int))) == [
        (2020, 0), (2021, 89), (2022, 88)]
    assert list(rows["original_value"]) == [Decimal("0.00"), Decimal("1.00"), Decimal("1.00")]
    one = normalise(frame, years=None, rates=rates)
    assert int(one["value_minor"].iloc[0]) == 177
    # UK fiscal years: 2020-21 (91 days) and 2022-23 (275 days) share 177p − 89p
    fis = normalise(frame, years="fiscal-uk", rates=rates)
    assert list(fis["value_minor"].astype(int)) == [22, 89, 66]


def test_whole_years_only_spread_a_rounding_one_unit_each(tmp_path):
    """€0.01 a year for four calendar years at 2.5: 2.5p a year rounds to 3p,
    the total 4 × 2.5p = 10p; main put the −2p on 2024 alone (1p, two units
    from the rate); now 2023 and 2024 give 1p each: 3p, 3p, 2p, 2p."""
    rates = _rates(tmp_path, Decimal("2.5"))
    rows = normalise(_frame(1, dt.date(2021, 1, 1), dt.date(2024, 12, 31)),
                     years="calendar", rates=rates)
    assert list(rows["value_minor"].astype(int)) == [3, 3, 2, 2]


near = st.integers(min_value=-3, max_value=3)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(minor=st.one_of(st.integers(min_value=1, max_value=1000),
                       st.integers(min_value=1, max_value=10**12)),
       rate=st.integers(min_value=1, max_value=4_000_000).map(lambda n: Decimal(n).scaleb(-6)),
       mode=st.sampled_from(sorted(MODES) + ["fiscal"]),
       fiscal=st.sampled_from([(4, 1), (7, 6), (12, 31), (3, 1), (2, 28)]),
       first_year=st.integers(min_value=2002, max_value=2022),
       whole=st.integers(min_value=0, max_value=6), before=near, after=near,
       open_ended=st.booleans())
# from 29 February: its anniversary in a common year is 1 March (the oracle
# took 28 February, 366/365 of a year for 2020-02-29 to 2021-02-28)
@example(minor=18269, rate=Decimal("0.000464"), mode="fiscal", fiscal=(3, 1), first_year=2020,
         whole=1, before=-1, after=0, open_ended=False)
def test_every_converted_year_is_at_least_zero_and_they_add_up(
        minor, rate, mode, fiscal, first_year, whole, before, after, open_ended):
    """Spans that start and end within a few days of a year's boundary (one-day
    part years), at random rates: every year ≥ 0, the years add up to the
    converted total (the amount × rate × anniversary years, rounded once),
    each whole year within one unit of the amount a year converted."""
    fs, (sm, sd) = MODES.get(mode, ("{:02d}-{:02d}".format(*fiscal), fiscal))
    start = dt.date(first_year, sm, sd) + before * DAY
    end = dt.date(first_year + whole, sm, sd) - DAY + after * DAY
    if end < start:
        end = start
    horizon = None
    if open_ended:       # cut by the horizon: the last day of a calendar year
        end, horizon = dt.date(end.year, 12, 31), str(end.year)
    with tempfile.TemporaryDirectory() as d:
        rates = _rates(Path(d), rate)
        frame = _frame(minor, start, None if open_ended else end)
        rows = normalise(frame, years=mode, fiscal_start=fs, horizon=horizon, rates=rates)
    got = _by_year(rows, sm, sd)
    a_year = _round(minor * Fraction(rate))
    total = _round(minor * Fraction(rate) * _anniversary_years(start, end))
    assert min(got.values()) >= 0, got
    assert sum(got.values()) == total
    for first, last in _years(start, end, sm, sd):
        if first >= start and last <= end:
            assert abs(got[first] - a_year) <= 1, (first, got, a_year)
