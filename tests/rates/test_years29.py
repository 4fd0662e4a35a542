"""An amount per year has one total whatever years it is grouped in (fix29).

The rule, computed here by hand in plain Python (``datetime`` and
``Fraction``, none of the code under test): the total of "X a year" over
a span [start, end] (its own end, or the horizon's last day for an
open-ended one) is X times the span's years counted by anniversaries
(whole anniversaries, then the days left over the days to the next one),
rounded once to the minor unit.  Each whole reporting year inside the span
gets X; the part years at the ends share the rest in proportion to their
days.  Before fix29 an open-ended amount's part years were each X × their
days / their own year's length, so its calendar and fiscal totals differed
by where the leap days fell (docs/rates.md).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.model import Entry, Period
from rates.normalise import normalise
from reports.valuation import Spec, value

DAY = dt.timedelta(days=1)
MODES = [("calendar", None, (1, 1)), ("fiscal-uk", None, (4, 1)),
         ("fiscal-us", None, (10, 1))]


def _add_years(d: dt.date, k: int) -> dt.date:
    try:
        return d.replace(year=d.year + k)
    except ValueError:      # 29 February in a common year: 1 March (docs/rates.md)
        return d.replace(year=d.year + k, month=3, day=1)


def _anniversary_years(start: dt.date, end: dt.date) -> Fraction:
    after = end + DAY
    k = 0
    while _add_years(start, k + 1) <= after:
        k += 1
    a, b = _add_years(start, k), _add_years(start, k + 1)
    return k + Fraction((after - a).days, (b - a).days)


def _round(x: Fraction) -> int:
    """Half away from zero, as the tool rounds money."""
    n = abs(x)
    r = int(n) + (1 if n - int(n) >= Fraction(1, 2) else 0)
    return r if x >= 0 else -r


def _years(start: dt.date, end: dt.date, sm: int, sd: int):
    """(first day, last day) of each year starting on sm/sd that [start, end] touches."""
    y = start.year - 1
    out = []
    while True:
        first = dt.date(y, sm, sd)
        last = dt.date(y + 1, sm, sd) - DAY
        if first > end:
            return out
        if last >= start:
            out.append((first, last))
        y += 1


def _by_hand(minor: int, start: dt.date, end: dt.date, sm: int, sd: int):
    """(total, {year's first day: minor units of its whole years}, {first day: days} of
    the part years, rest the part years share)."""
    total = _round(minor * _anniversary_years(start, end))
    whole, part = {}, {}
    for first, last in _years(start, end, sm, sd):
        if first >= start and last <= end:
            whole[first] = minor
        else:
            part[first] = (min(last, end) - max(first, start)).days + 1
    return total, whole, part, total - minor * len(whole)


def _frame(minor: int, start: dt.date, end: dt.date | None, currency: str = "GBP"):
    return pd.DataFrame({
        "id": ["r"], "date": [pd.Timestamp(start)], "amount": [str(Decimal(minor).scaleb(-2))],
        "currency": [currency], "period_kind": ["per-year"],
        "end": [pd.NaT if end is None else pd.Timestamp(end)]})


def _first_day(label, sm: int, sd: int) -> dt.date:
    return dt.date(int(str(label)[:4]), sm, sd)


dates = st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2024, 12, 31))
amounts = st.integers(min_value=1, max_value=10**13)   # minor units, up to £100bn a year
starts = st.sampled_from([(4, 1), (10, 1), (1, 2), (12, 31), (7, 6), (2, 28), (3, 1)])


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(minor=amounts, start=dates, days=st.integers(min_value=0, max_value=6 * 366),
       open_ended=st.booleans(), fiscal=starts)
def test_the_total_is_the_rate_times_the_anniversary_count_in_any_years(
        minor, start, days, open_ended, fiscal):
    end = start + dt.timedelta(days=days)
    if open_ended:     # cut by the horizon: the last day of a calendar year
        end = dt.date(end.year, 12, 31)
        frame, horizon = _frame(minor, start, None), str(end.year)
    else:
        frame, horizon = _frame(minor, start, end), None
    modes = MODES + [("fiscal", fiscal, fiscal)]
    totals = set()
    for years, fs, (sm, sd) in modes:
        rows = normalise(frame, years=years, fiscal_start=fs, horizon=horizon)
        got = {_first_day(y, sm, sd): int(v) for y, v in zip(rows["year"], rows["value_minor"])}
        total, whole, part, rest = _by_hand(minor, start, end, sm, sd)
        assert sum(got.values()) == total, (years, fs)
        totals.add(sum(got.values()))
        for first, want in whole.items():     # "£X a year" is £X in each whole year
            assert got[first] == want, (years, fs, first)
        days_in = sum(part.values())
        for first, d in part.items():         # the rest by days, to the minor unit
            assert abs(got[first] - Fraction(rest * d, days_in)) < 1, (years, fs, first)
        assert set(got) == set(whole) | set(part)
    # not spread (the balance's one row), the same total
    one = normalise(frame, years=None, horizon=horizon)
    assert {int(one["value_minor"].iloc[0])} == totals


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(minor=amounts, start=dates, days=st.integers(min_value=0, max_value=5 * 366),
       open_ended=st.booleans(), fiscal=starts)
def test_a_converted_amount_per_year_has_one_total_in_any_years(
        minor, start, days, open_ended, fiscal):
    """In another currency: one total converted and rounded once, whatever the
    years; each whole year the amount a year converted."""
    end = start + dt.timedelta(days=days)
    if open_ended:
        end = dt.date(end.year, 12, 31)
        frame, horizon = _frame(minor, start, None, "EUR"), str(end.year)
    else:
        frame, horizon = _frame(minor, start, end, "EUR"), None
    one = normalise(frame, years=None, horizon=horizon)
    a_year = normalise(frame.assign(period_kind="one-off", end=pd.NaT), years=None)
    for years, fs, (sm, sd) in MODES + [("fiscal", fiscal, fiscal)]:
        rows = normalise(frame, years=years, fiscal_start=fs, horizon=horizon)
        assert int(rows["value_minor"].sum()) == int(one["value_minor"].iloc[0]), (years, fs)
        assert rows["original_value"].sum() == one["original_value"].iloc[0]
        _, whole, _, _ = _by_hand(minor, start, end, sm, sd)
        got = {_first_day(y, sm, sd): int(v) for y, v in zip(rows["year"], rows["value_minor"])}
        for first in whole:
            assert abs(got[first] - int(a_year["value_minor"].iloc[0])) <= 1, (years, fs, first)


def test_the_hunters_open_ended_example_by_hand():
    """€3.01bn a year × 0.701 (the allocation of the report's example) from
    2015-07-30, to 31 December 2017: 2 + 155/365 years by anniversaries, in
    calendar years (155/365 + 2) and in UK fiscal years alike; it was
    246/366 + 1 + 275/365 years in fiscal years."""
    minor = 301_000_000_000 * 701 // 1000          # 2,110,010,000.00 a year
    frame = _frame(minor, dt.date(2015, 7, 30), None)
    total = _round(minor * (2 + Fraction(155, 365)))
    for years in ("calendar", "fiscal-uk", "fiscal-us"):
        rows = normalise(frame, years=years, horizon="2017")
        assert int(rows["value_minor"].sum()) == total == 511_605_164_384   # £5,116,051,643.84
    fis = normalise(frame, years="fiscal-uk", horizon="2017")
    # 2016-17 whole; 2015-16 (246 days) and 2017-18 (275 days) share the rest
    rest = total - minor
    assert list(fis["value_minor"]) == [_round(Fraction(rest * 246, 521)), minor,
                                        rest - _round(Fraction(rest * 246, 521))]


def _index(tmp_path, values: dict[int, str]):
    f = tmp_path / "index.csv"
    f.write_text("area,year,index\n" + "".join(f"GBP,{y},{v}\n" for y, v in values.items()),
                 encoding="utf-8")
    return str(f)


def test_a_flat_deflator_leaves_every_fiscal_year_as_it_was(tmp_path):
    """The hunter's ledger: "£10m a year" from 2015-07-30, horizon 2017, at a
    flat index is its nominal figures in fiscal years: 2015-16 and 2017-18
    share £10m × (1 + 155/365) by their days, 246 : 275."""
    flat = _index(tmp_path, {2015: "100", 2016: "100", 2017: "100"})
    e = [Entry("open", dt.date(2015, 7, 30), "F", "P", Decimal(10_000_000), "GBP",
               period=Period("per-year"))]
    rest = _round(1_000_000_000 * (1 + Fraction(155, 365)))
    first = _round(Fraction(rest * 246, 521))
    want = [first, 1_000_000_000, rest - first]
    for deflator in (None, flat):
        spec = Spec(currency="GBP", years="fiscal-uk", horizon="2017", deflator=deflator,
                    base_year=2015 if deflator else None)
        rows = value(e, spec).spread
        assert list(rows["value_minor"]) == want, deflator
    assert want == [672_678_989, 1_000_000_000, 751_978_545]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(minor=amounts, start=st.dates(min_value=dt.date(2010, 1, 1),
                                     max_value=dt.date(2021, 12, 31)),
       days=st.integers(min_value=0, max_value=4 * 366), kind=st.sampled_from(
           ["per-year", "open", "over"]), currency=st.sampled_from(["GBP", "EUR"]),
       fiscal=starts, index=st.lists(st.integers(min_value=50, max_value=200),
                                     min_size=18, max_size=18))
def test_deflated_figures_agree_in_any_years(tmp_path, minor, start, days, kind, currency,
                                              fiscal, index):
    """At a flat index every year's figure is the nominal one; at any index the
    total at constant prices is the same in calendar and fiscal years."""
    end = start + dt.timedelta(days=days)
    period = {"per-year": Period("per-year", start=start, end=end),
              "open": Period("per-year"),
              "over": Period("over", start=start, end=end)}[kind]
    e = [Entry("e", start, "F", "P", Decimal(minor).scaleb(-2), currency, period=period)]
    flat = _index(tmp_path, {y: "100" for y in range(2009, 2027)})
    years_ = range(2009, 2027)
    moving = tmp_path / "moving.csv"
    moving.write_text("area,year,index\n" + "".join(
        f"GBP,{y},{v}\n" for y, v in zip(years_, index)), encoding="utf-8")
    fs = "{:02d}-{:02d}".format(*fiscal)
    horizon = str(min(end.year, 2025))
    real_totals = set()
    for years, f in (("calendar", None), ("fiscal-uk", None), ("fiscal", fs)):
        spec = dict(currency="GBP", years=years, fiscal_start=f, horizon=horizon)
        nominal = value(e, Spec(**spec)).spread
        at_flat = value(e, Spec(**spec, deflator=flat, base_year=2015)).spread
        assert list(at_flat["value_minor"]) == list(nominal["value_minor"]), years
        real = value(e, Spec(**spec, deflator=str(moving), base_year=2015)).spread
        real_totals.add(int(real["value_minor"].sum()))
    assert len(real_totals) == 1
