"""Normalisation: spreading into years, bases, valuation modes, the frame contract."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import LedgerError
from ledger.model import Entry, Money, Period, Split
from rates import RateTable
from rates._minor import largest_remainder, largest_remainders
from rates.normalise import entries_frame, normalise, to_frame
from tests.conftest import REPO

D = Decimal


ONCE = Period()   # one-off: an Entry's default period


def E(id, date, amount, currency="GBP", period=ONCE, **kw):
    return Entry(id, date, "UK:Home Office", kw.pop("purpose", "Security"), D(amount),
                 currency, period=period, **kw)


def one(frame, **where):
    m = np.ones(len(frame), dtype=bool)
    for k, v in where.items():
        m &= (frame[k] == v).to_numpy()
    assert m.sum() == 1, frame
    return frame[m].iloc[0]


def test_columns_and_one_off_lands_at_date():
    f = to_frame([E("a", dt.date(2021, 3, 31), "100.50")])
    assert list(f.columns[:16]) == ["id", "date", "funder", "purpose", "status", "qualifier",
                                    "period", "primary", "amount", "currency", "year", "value",
                                    "report_currency", "rate", "rate_date", "rate_source"]
    row = one(f, id="a")
    assert row.year == 2021 and row.value == D("100.50") and row.rate == 1
    assert row.period == "one-off" and bool(row.primary)


def test_fiscal_year_boundaries():
    es = [E("mar31", dt.date(2022, 3, 31), "10"), E("apr1", dt.date(2022, 4, 1), "20")]
    f = to_frame(es, years="fiscal-uk")
    assert one(f, id="mar31").year == "2021-22"
    assert one(f, id="apr1").year == "2022-23"
    f = to_frame(es, years="fiscal", fiscal_start="07-01")
    assert one(f, id="apr1").year == "2021-22"


def test_fiscal_year_entry_lands_in_its_year():
    e = E("fy", dt.date(2021, 1, 1), "1000", period=Period("fiscal-year", fiscal_year="2021-22"))
    f = to_frame([e], years="fiscal-uk")
    assert list(f.year) == ["2021-22"] and f.value.sum() == D("1000.00")
    cal = to_frame([e], years="calendar")
    assert list(cal.year) == [2021, 2022]
    assert list(cal.value) == [D("753.42"), D("246.58")]   # 275 and 90 of 365 days


def test_over_three_years_from_entry_date():
    e = E("o", dt.date(2020, 4, 1), "30000000", period=Period("over", years=D(3)))
    f = to_frame([e], years="fiscal-uk")
    assert list(f.year) == ["2020-21", "2021-22", "2022-23"]
    assert list(f.value) == [D("10000000.00")] * 3
    assert to_frame([e], years=None, basis="per-year").value.iloc[0] == D("10000000.00")


def test_per_year_for_n_years_is_n_times():
    e = E("p", dt.date(2021, 4, 1), "5000000", period=Period("per-year", years=D(2)))
    f = to_frame([e], years="fiscal-uk")
    assert list(f.value) == [D("5000000.00")] * 2
    assert to_frame([e], years=None).value.iloc[0] == D("10000000.00")
    assert to_frame([e], years=None, basis="per-year").value.iloc[0] == D("5000000.00")


def test_per_year_start_end_counts_years_exactly():
    e = E("p", dt.date(2020, 1, 1), "100", period=Period(
        "per-year", start=dt.date(2020, 4, 1), end=dt.date(2023, 3, 31)))
    # three whole fiscal years: the rate three times
    f = to_frame([e], years="fiscal-uk")
    assert list(f.value) == [D("100.00")] * 3
    # in calendar years, 2021 and 2022 are whole years (the rate each); the
    # part years 2020 and 2023 share the third year's 100 by their days, 275
    # against 90, so the parts add up to 3 × 100 (fix29: by days)
    f = to_frame([e])
    assert list(f.year) == [2020, 2021, 2022, 2023]
    third = Fraction(275, 275 + 90) * 100
    first = D(round(third * 100)) / 100
    assert list(f.value) == [first, D("100.00"), D("100.00"), D("100.00") - first]
    assert to_frame([e], years=None).value.iloc[0] == D("300.00")


def test_a_rate_per_year_is_that_rate_in_every_whole_year():
    # issue 22: "£10m a year for three years" from 1 January 2016 (2016 a leap year)
    e = E("p", dt.date(2016, 1, 1), "10000000", period=Period("per-year", years=D(3)))
    f = to_frame([e])
    assert list(f.year) == [2016, 2017, 2018]
    assert list(f.value) == [D("10000000.00")] * 3
    assert to_frame([e], years=None).value.iloc[0] == D("30000000.00")
    # from 1 July 2016: 2017 and 2018 whole; 2016 (184 days) and 2019 (181
    # days, the span ends on 30 June 2019) share the third year's rate by
    # their days, largest remainder: the total is 3 × the rate (fix29: by days)
    e = E("q", dt.date(2016, 7, 1), "10000000", period=Period("per-year", years=D(3)))
    f = to_frame([e], currency="EUR", years="calendar")   # a cross-currency path too
    g = to_frame([e])
    a, b = Fraction(184), Fraction(181)
    first = round(10**9 * a / (a + b))
    assert list(g.value_minor) == [first, 10**9, 10**9, 10**9 - first]
    assert g.value.sum() == to_frame([e], years=None).value.iloc[0] == D("30000000.00")
    assert list(f.year) == [2016, 2017, 2018, 2019]


def test_open_ended_per_year_is_not_silent():
    e = E("open", dt.date(2022, 1, 1), "1000", period=Period("per-year"))
    with pytest.raises(LedgerError, match="open.*horizon|no end.*horizon"):
        to_frame([e])
    f = to_frame([e], horizon=2024)
    assert list(f.year) == [2022, 2023, 2024] and f.value.sum() == D("3000.00")
    per = to_frame([e], basis="per-year")
    assert len(per) == 1 and per.value.iloc[0] == D("1000.00") and bool(per.open_ended.iloc[0])


def test_splits_give_one_row_per_purpose():
    e = Entry("s", dt.date(2021, 6, 1), "UK", "A", D(100), "GBP",
              splits=(Split("A", D(60)), Split("B", D(40))))
    f = to_frame([e])
    assert list(f.purpose) == ["A", "B"] and list(f.value) == [D("60.00"), D("40.00")]


def test_conversion_and_as_stated():
    e = E("eur", dt.date(2022, 5, 1), "1000", "EUR", restated=(Money(D("850"), "GBP"),))
    plain = E("p2", dt.date(2022, 5, 1), "1000", "EUR")
    f = to_frame([e, plain], valuation="as-stated")
    row = one(f, id="eur")
    assert row.value == D("850.00") and "as stated" in row.rate_source
    fb = one(f, id="p2")
    assert "no GBP restatement" in fb.rate_source
    table = RateTable()
    expect = table.convert(1000, "EUR", "GBP", dt.date(2022, 5, 1))
    assert fb.value == expect.amount and fb.rate == expect.rate
    assert fb.rate_date.date() == expect.rate_date


def test_fixed_date_and_yearly_average():
    e = E("y", dt.date(2019, 1, 1), "2000", "EUR", period=Period("over", years=D(2)))
    fixed = to_frame([e], valuation="2024-03-16", years=None)
    assert fixed.rate_date.iloc[0].date() == dt.date(2024, 3, 15)
    avg = to_frame([e], valuation="yearly-average")
    t = RateTable().series("EUR", "GBP")
    for year, row in zip((2019, 2020), avg.itertuples()):
        m = (t.dates >= np.datetime64(f"{year}-01-01")) & (t.dates <= np.datetime64(f"{year}-12-31"))
        mean = sum(t.rate[m], D(0)) / int(m.sum())
        assert abs(row.rate - mean) < D("1e-12")
        assert row.value == (row.original_value * row.rate).quantize(D("0.01"))
    assert avg.original_value.sum() == D("2000.00")


def test_user_rates_in_frame(tmp_path):
    p = tmp_path / "rates.csv"
    p.write_text("date,from,to,rate,source\n1995-06-01,USD,GBP,0.63,Treasury 1995\n")
    e = E("old", dt.date(1995, 6, 1), "1000", "USD")
    f = to_frame([e], rates=p, years=None)
    assert f.value.iloc[0] == D("630.00") and f.rate_source.iloc[0] == "Treasury 1995"

    class Book:
        entries = (e,)
        root = tmp_path
    assert to_frame(Book(), years=None).value.iloc[0] == D("630.00")


def test_columnar_path_without_entries():
    frame = pd.DataFrame({
        "id": ["x", "y"], "date": ["2021-06-01", "2021-06-01"],
        "amount": ["1000000.005", "10"], "currency": ["GBP", "EUR"],
        "period_kind": ["over", "one-off"], "years": ["2", None],
    })
    f = normalise(frame, currency="GBP")
    assert f[f.id == "x"].value.sum() == D("1000000.01")
    assert len(f[f.id == "x"]) == 3   # 2021, 2022, 2023


def test_bad_input_names_the_entry():
    bad = E("fy", dt.date(2021, 1, 1), "1", period=Period("fiscal-year", fiscal_year="2021-23"))
    with pytest.raises(LedgerError, match="fy.*2021-23"):
        to_frame([bad])
    with pytest.raises(LedgerError, match="valuation"):
        to_frame([], valuation="someday")
    with pytest.raises(LedgerError, match="unknown currency code 'ZZZ'"):
        to_frame([E("z", dt.date(2021, 1, 1), "1", "ZZZ")])
    with pytest.raises(LedgerError, match="'old'.*1990"):
        to_frame([E("old", dt.date(1990, 1, 1), "1", "USD")])


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(min_value=-10**15, max_value=10**15),
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2024, 12, 31)),
    days=st.integers(min_value=0, max_value=4000),
    years=st.sampled_from(["calendar", "fiscal-uk"]),
    cur=st.sampled_from(["GBP", "EUR", "JPY"]),
)
def test_spreading_sums_to_total_exactly(cents, start, days, years, cur):
    amount = D(cents).scaleb(-2)
    e = E("h", start, amount, cur, period=Period(
        "over", start=start, end=start + dt.timedelta(days=days)))
    spread = to_frame([e], years=years, clamp=True)
    total = to_frame([e], years=None, clamp=True)
    assert spread.value.sum() == total.value.iloc[0]
    assert spread.original_value.sum() == total.original_value.iloc[0]
    assert (spread.value.map(lambda v: v.as_tuple().exponent) >= -2).all()
    assert spread.year.is_unique


@settings(max_examples=300, deadline=None)
@given(amounts=st.lists(st.integers(min_value=-10**17, max_value=10**17), min_size=1, max_size=50),
       num=st.integers(min_value=1, max_value=10**15),
       den_exp=st.integers(min_value=0, max_value=16))
def test_mul_round_is_exact(amounts, num, den_exp):
    """The float-estimate path agrees with exact integer rounding, halves included."""
    from rates._minor import mul_round, objects, ratio_float, round_div
    a = np.array(amounts + [5, -5, 15, 25], dtype=np.int64)
    nums = objects(np.full(len(a), num))
    dens = objects(np.full(len(a), 10 ** den_exp))
    got = mul_round(a, [(nums, dens, ratio_float(nums, dens)), (1, 10, 0.1)])
    want = round_div(objects(a) * nums, dens * 10)
    assert [int(x) for x in got] == [int(x) for x in want]


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.decimals(min_value=0, max_value=10**12, places=9,
                                   allow_nan=False, allow_infinity=False), min_size=1, max_size=40),
       digits=st.lists(st.sampled_from([0, 2, 3]), min_size=40, max_size=40))
def test_minor_units_round_half_up_per_currency(values, digits):
    """Amounts (never negative: the readers refuse them) already exact at a
    currency's places take the cheap cast, the others are rounded half up;
    either way each is its Decimal rounding."""
    import pyarrow as pa
    from decimal import ROUND_HALF_UP

    from rates._minor import minor_units, to_decimal_array
    vals = values + [D("2.5"), D("0.5"), D("0.005"), D("1.10")]
    k = np.array((digits * 2)[:len(vals)], dtype=np.int64)
    got = minor_units(to_decimal_array(vals), k)
    want = [int(v.quantize(D(1).scaleb(-int(d)), rounding=ROUND_HALF_UP).scaleb(int(d)))
            for v, d in zip(vals, k)]
    assert got.tolist() == want
    exact = pa.array([D("12.30"), D("7")], pa.decimal128(38, 2))   # no rounding to do
    assert minor_units(exact, np.array([2, 0])).tolist() == [1230, 7]


# ---------------------------------------------------------------- the bulk options (issue 7)
def _generated_frame(tmp_path, n=1500, seed=3):
    import importlib.util

    from ledger.read.table import read_bulk

    spec = importlib.util.spec_from_file_location(
        "bench_generate", REPO / "benchmarks" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.write(tmp_path, n, seed=seed)
    frame, problems = read_bulk(tmp_path / "entries.csv")
    assert not [p for p in problems if p.severity == "error"]
    return frame


@pytest.mark.parametrize("kw", [{}, {"years": "fiscal-uk", "valuation": "yearly-average",
                                     "clamp": True},
                                {"years": None, "basis": "per-year"},
                                {"valuation": "as-stated", "currency": "EUR"}])
def test_decimals_false_and_categorical_give_the_same_figures(tmp_path, kw):
    from rates.normalise import add_decimals, output_columns

    frame = _generated_frame(tmp_path)
    kw = {"currency": "GBP", **kw}
    ref = normalise(frame, **kw)
    fast = normalise(frame, decimals=False, categorical=True, **kw)
    years = kw.get("years", "calendar") is not None
    assert list(fast.columns) == output_columns(years, decimals=False)
    assert list(ref.columns) == output_columns(years)
    assert "value" not in fast and "original_value" not in fast
    assert fast["value_minor"].tolist() == ref["value_minor"].tolist()
    # text columns hold the same strings, as categories (sorted)
    assert fast["id"].tolist() == ref["id"].tolist()
    for c in ("funder", "purpose", "status", "period", "currency", "rate_source",
              "report_currency"):
        assert isinstance(fast[c].dtype, pd.CategoricalDtype), c
        assert fast[c].cat.categories.is_monotonic_increasing, c
        assert fast[c].astype(str).tolist() == ref[c].astype(str).tolist(), c
    # the exact integers give back the Decimals of the default output, row for row
    back = add_decimals(fast)
    assert list(back.columns) == list(ref.columns)
    assert back["value"].tolist() == ref["value"].tolist()
    assert back["original_value"].tolist() == ref["original_value"].tolist()
    part = add_decimals(fast.iloc[::7])
    assert part["value"].tolist() == ref["value"].iloc[::7].tolist()
    # grouped totals: the same groups in the same (sorted) order
    keys = ["funder", "purpose"] + (["year"] if years else [])
    a = fast.groupby(keys, sort=True, observed=True)["value_minor"].sum()
    b = ref.groupby(keys, sort=True, observed=True)["value_minor"].sum()
    assert [tuple(map(str, k)) for k in a.index] == [tuple(map(str, k)) for k in b.index]
    assert a.tolist() == b.tolist()


def test_decimals_false_on_an_empty_frame_has_the_columns():
    from rates.normalise import output_columns

    out = normalise(entries_frame([]), decimals=False)
    assert list(out.columns) == output_columns(True, decimals=False) and len(out) == 0


@settings(max_examples=60, deadline=None)
@given(st.integers(-10**13, 10**13).filter(bool), st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
       st.integers(1, 6), st.sampled_from(["calendar", "fiscal-uk", "fiscal-us"]),
       st.sampled_from(["GBP", "EUR"]))
def test_a_stated_number_of_years_totals_exactly_that_many_years(pennies, start, years, mode,
                                                                 currency):
    # "X a year for N years": X in each whole year, N × X in all, in every year mode
    amount = Decimal(pennies).scaleb(-2)
    e = E("p", start, str(amount), period=Period("per-year", years=Decimal(years)))
    f = to_frame([e], currency="GBP", years=mode)
    assert sum(f.value_minor.map(int)) == pennies * years
    windows = {"calendar": (1, 1), "fiscal-uk": (4, 1), "fiscal-us": (10, 1)}
    m, d = windows[mode]
    whole = [y for y in range(start.year - 1, start.year + years + 1)
             if start <= dt.date(y, m, d) and dt.date(y + 1, m, d) <= _plus_years(start, years)]
    by_year = dict(zip(f.year.map(lambda y: int(str(y)[:4])), f.value_minor.map(int)))
    assert [by_year[y] for y in whole] == [pennies] * len(whole)
    assert to_frame([e], currency="GBP", years=None).value_minor.map(int).sum() == pennies * years


def _plus_years(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:   # 29 February: the anniversary is 1 March
        return dt.date(d.year + n, 3, 1)


@given(st.lists(st.tuples(st.integers(-(10 ** 20), 10 ** 20), st.integers(-(10 ** 12), 10 ** 12),
                          st.lists(st.integers(1, 400), min_size=1, max_size=6)),
                min_size=1, max_size=12))
def test_largest_remainders_split_each_total_exactly(groups):
    """Each group's totals split in proportion to the weights: every part is
    the exact share rounded down or up, the parts add up to the total, the
    units go to the largest remainders, and several totals over the same
    parts give what each gives alone (int64 and Python-int totals)."""
    group = np.repeat(np.arange(len(groups)), [len(w) for _, _, w in groups])
    weight = np.array([x for _, _, w in groups for x in w], dtype=np.int64)
    weight_sum = np.array([sum(w) for _, _, w in groups], dtype=np.int64)
    order = np.arange(len(group))
    wide = np.array([t for t, _, _ in groups], dtype=object)
    small = np.array([t for _, t, _ in groups], dtype=np.int64)
    both = largest_remainders([wide, small], group, weight, weight_sum, order)
    for total, parts in zip((wide, small), both):
        assert list(parts) == list(largest_remainder(total, group, weight, weight_sum, order))
        at = 0
        for g, (_, _, w) in enumerate(groups):
            mine = [int(x) for x in parts[at:at + len(w)]]
            at += len(w)
            share = [Fraction(int(total[g]) * x, sum(w)) for x in w]
            assert sum(mine) == int(total[g])
            floor = [s // 1 for s in share]
            assert all(p - f in (0, 1) for p, f in zip(mine, floor))
            up = [p > f for p, f in zip(mine, floor)]
            rem = [s - f for s, f in zip(share, floor)]
            if any(up) and not all(up):
                assert min(r for r, u in zip(rem, up) if u) >= max(r for r, u in zip(rem, up) if not u)
