"""Periods: parsing, describe() round trip, pint-based totals and rates, errors."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.model import FISCAL_YEAR, ONE_OFF, OVER, PER_YEAR, Money, Period
from ledger.phrases.period import (PeriodError, annual_rate, duration_years, match_period,
                           normalise_fiscal_year, parse_period, span_years, total)

D = Decimal
d = dt.date

CASES = [
    ("one-off", Period(ONE_OFF)),
    ("once", Period(ONE_OFF)),
    ("per year", Period(PER_YEAR)),
    ("a year", Period(PER_YEAR)),
    ("annually", Period(PER_YEAR)),
    ("per annum", Period(PER_YEAR)),
    ("Per Year", Period(PER_YEAR)),
    ("per year for 3 years", Period(PER_YEAR, years=D(3))),
    ("a year for three years", Period(PER_YEAR, years=D(3))),
    ("per year for 1 year", Period(PER_YEAR, years=D(1))),
    ("per year from 2015-01-01", Period(PER_YEAR, start=d(2015, 1, 1))),
    ("per year from 2015-01-01 to 2017-12-31",
     Period(PER_YEAR, start=d(2015, 1, 1), end=d(2017, 12, 31))),
    ("per year for 3 years from 2015-01-01", Period(PER_YEAR, years=D(3), start=d(2015, 1, 1))),
    ("over 3 years", Period(OVER, years=D(3))),
    ("over three years", Period(OVER, years=D(3))),
    ("over  two   years", Period(OVER, years=D(2))),
    ("over the next five years", Period(OVER, years=D(5))),
    ("over a three-year period", Period(OVER, years=D(3))),
    ("over 18 months", Period(OVER, years=D("1.5"), length=D(18), unit="month")),
    ("over eighteen months", Period(OVER, years=D("1.5"), length=D(18), unit="month")),
    ("over 2 years from 2015-09-01", Period(OVER, years=D(2), start=d(2015, 9, 1))),
    ("from 2015-01-01 to 2016-12-31", Period(OVER, start=d(2015, 1, 1), end=d(2016, 12, 31))),
    ("between 2015 and 2017", Period(OVER, start=d(2015, 1, 1), end=d(2017, 12, 31))),
    ("fiscal year 2021-22", Period(FISCAL_YEAR, fiscal_year="2021-22")),
    ("2021-22", Period(FISCAL_YEAR, fiscal_year="2021-22")),
    ("in 2021/22", Period(FISCAL_YEAR, fiscal_year="2021-22")),
    ("FY2021-2022", Period(FISCAL_YEAR, fiscal_year="2021-22")),
    ("financial year 1999-00", Period(FISCAL_YEAR, fiscal_year="1999-00")),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] for c in CASES])
def test_parse_period_table(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("period", [p for _, p in CASES] + [
    Period(OVER), Period(PER_YEAR, years=D("2.5")),
    Period(OVER, start=d(2020, 4, 1), end=d(2021, 3, 31)),
])
def test_describe_round_trip(period):
    assert parse_period(period.describe()) == period


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from([PER_YEAR, OVER]),
       years=st.one_of(st.none(), st.integers(1, 40).map(D),
                       st.decimals(min_value=D("0.5"), max_value=D(30), places=2)),
       start=st.one_of(st.none(), st.dates(d(1990, 1, 1), d(2060, 1, 1))))
def test_describe_round_trip_property(kind, years, start):
    if kind == OVER and years is None:
        start = None        # describe() prints plain "over" for a bare OVER
    period = Period(kind, years=years, start=start)
    assert parse_period(period.describe()) == period


def test_until_uses_the_reference_date():
    assert parse_period("until 2017-12-31", on=d(2015, 1, 1)) == Period(
        OVER, start=d(2015, 1, 1), end=d(2017, 12, 31))
    assert parse_period("per year until 2017-12-31", on=d(2015, 1, 1)) == Period(
        PER_YEAR, start=d(2015, 1, 1), end=d(2017, 12, 31))
    with pytest.raises(PeriodError, match="needs a start date"):
        parse_period("until 2017-12-31")


@pytest.mark.parametrize("text,message", [
    ("2021-23", "must span two consecutive years"),
    ("fiscal year 2021-2023", "must span two consecutive years"),
    ("over 0 years", "longer than zero"),
    ("over -3 years", "longer than zero"),
    ("from 2016-01-01 to 2015-01-01", "is before start"),
    ("from 2015-13-01 to 2016-01-01", "not a valid date"),
    ("weekly", "cannot understand period 'weekly'"),
    ("", "empty period"),
    ("over 3 fortnights", "cannot understand period"),
])
def test_bad_periods(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text)
    assert issubclass(PeriodError, ValueError)


def test_fiscal_year_normalisation():
    assert normalise_fiscal_year("2021/22") == "2021-22"
    assert normalise_fiscal_year("2021-2022") == "2021-22"
    with pytest.raises(PeriodError):
        normalise_fiscal_year("2021-21")


def test_pint_durations():
    assert duration_years(18, "months") == D("1.5")
    assert duration_years(6, "month") == D("0.5")
    assert duration_years(3, "years") == D(3)
    assert span_years(d(2015, 1, 1), d(2017, 12, 31)) == D(3)
    assert span_years(d(2015, 9, 15), d(2016, 9, 14)) == D(1)
    assert span_years(d(2015, 4, 1), d(2015, 9, 30)) == D("0.5")
    # a span that is not whole months counts days (365.25 a year)
    assert span_years(d(2015, 1, 1), d(2015, 1, 10)) == D("0.0274")


def test_totals_and_annual_rates():
    four = D(4_000_000)
    assert total(four, parse_period("a year for 3 years")) == D(12_000_000)
    assert annual_rate(D(12_000_000), parse_period("over 3 years")) == four
    assert annual_rate(D(12_000_000), parse_period("over 18 months")) == D(8_000_000)
    assert total(D(12_000_000), parse_period("over 3 years")) == D(12_000_000)
    assert total(four, parse_period("per year from 2015-01-01 to 2017-12-31")) == D(12_000_000)
    assert annual_rate(D(2_000_000), parse_period("from 2015-01-01 to 2016-12-31")) == D(1_000_000)
    # open-ended rates have no total; a one-off has no rate
    assert total(four, parse_period("a year")) is None
    assert total(four, parse_period("per year from 2015-01-01")) is None
    assert annual_rate(four, parse_period("a year")) == four
    assert annual_rate(four, parse_period("one-off")) is None
    assert total(four, parse_period("one-off")) == four
    # a fiscal year is one year
    assert annual_rate(four, parse_period("2021-22")) == four
    # Money works too; results are Decimal
    assert total(Money(four, "GBP"), parse_period("a year for 2 years")) == D(8_000_000)
    assert isinstance(total(4, parse_period("a year for 2 years")), Decimal)


def test_match_period_finds_tails_in_running_text():
    text = "pledged £12 million over three years to boost security"
    m = match_period(text, text.index("over"))
    assert m is not None
    period, end = m
    assert period == Period(OVER, years=D(3)) and text[:end].endswith("three years")
    assert match_period("aid in Africa", 4) is None
    assert match_period("money in 2021-23 and more", 6) is None          # invalid: ignored
    with pytest.raises(PeriodError):
        match_period("money in 2021-23 and more", 6, strict=True)
    assert match_period("overtime pay", 0) is None
    # "once" and bare years are whole-phrase forms only, not tails
    assert match_period("£5m once the deal is signed", 4) is None
    assert match_period("£5m 2015-16", 4) is None


def test_small_unit_registry_matches_pints_defaults():
    """ledger.phrases.period loads only the time units it needs; they must convert
    exactly as pint's full default registry does."""
    from decimal import Decimal

    import pint

    from ledger.phrases.period import _ureg

    full = pint.UnitRegistry(non_int_type=Decimal)
    for n, unit in [(18, "month"), (100, "day"), (6, "week"), (1, "year"), (7, "month")]:
        ours = _ureg().Quantity(Decimal(n), unit).to("year").magnitude
        theirs = full.Quantity(Decimal(n), unit).to("year").magnitude
        assert ours == theirs, (n, unit)


def test_fiscal_years_named_by_their_last_year_and_calendar_budget_years():
    from ledger.phrases.period import normalise_fiscal_year
    assert normalise_fiscal_year("FY2024") == normalise_fiscal_year("FY24") == "2023-24"
    assert normalise_fiscal_year("2024") == "2024"     # "exercice 2024": the calendar year
    assert parse_period("fiscal year 2024").fiscal_year == "2024"
    assert parse_period(parse_period("fiscal year 2024").describe()) == parse_period("fiscal year 2024")


def test_a_calendar_budget_year_lands_in_that_calendar_year(tmp_path):
    import ledger
    from rates import to_frame
    (tmp_path / "l.toml").write_text(
        '[[entry]]\nid = "a"\ndate = 2024-02-01\nfunder = "FR"\npurpose = "Aid"\n'
        'amount = "€12 million"\nperiod = "fiscal year 2024"\n', encoding="utf-8")
    book = ledger.load(tmp_path / "l.toml")
    assert list(to_frame(book, currency="EUR", years="calendar")["year"].astype(str)) == ["2024"]
    # in UK fiscal years, January to March 2024 and April to December 2024
    uk = to_frame(book, currency="EUR", years="fiscal-uk")
    assert list(uk["year"].astype(str)) == ["2023-24", "2024-25"]


def test_an_invalid_longer_tail_falls_back_to_the_valid_shorter_one():
    from ledger.phrases.period import match_period
    # "until 2027" needs a start (the entry's date), which running text does not give
    got = match_period("annually until 2027, it said", 0)
    assert got is not None and got[0].kind == "per-year" and got[1] == len("annually")
    assert match_period("in 2021-23", 0) is None


def test_durations_read_every_number_word_amounts_read():
    """One table of number words serves durations and written-out amounts:
    what "sixty million euros" reads, "over sixty years" reads too."""
    from ledger.phrases.money import parse_amount

    for words, n in (("sixty", 60), ("quarante", 40), ("quatre-vingts", 80), ("ninety", 90)):
        assert parse_period(f"over {words} years") == Period(OVER, years=D(n))
        assert parse_amount(f"{words} million euros").amount == D(n) * 10**6


def test_a_period_field_may_restate_the_phrase_but_not_contradict_it():
    from ledger.phrases.period import restates
    a_year = Period("per-year")
    assert restates(a_year, parse_period("per year for 3 years"))
    assert restates(a_year, a_year)
    assert restates(Period(), parse_period("over 3 years"))      # no period in the phrase
    assert not restates(a_year, parse_period("over 3 years"))
    three = parse_period("per year for 3 years")
    assert not restates(three, parse_period("per year for 4 years"))
