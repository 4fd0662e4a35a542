"""An open-ended package measures its open-ended parts as the reports count
a year: in the currency's minor units (JPY has none: 500.4 JPY a year is
500 a year).  And the rounding rule is one (``ledger.minor``): one value
(``to_minor``, ``total_minor``) and a column (``rates._minor.minor_units``,
``mul_round``) give the same figures."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ledger.minor import to_minor
from ledger.model import PER_YEAR, Period
from ledger.phrases.period import total_minor
from rates._minor import minor_units, mul_round, to_decimal_array


def _journal(package: str, part: str) -> str:
    text = '[ledger]\nname = "j"\ncurrency = "JPY"\n'
    for i, (amount, link) in enumerate([(package, None), (part, "pkg"), (part, "pkg")]):
        text += (f'\n[[entry]]\nid = "{"pkg" if link is None else f"p{i}"}"\n'
                 f'date = 2020-01-01\nfunder = "JP"\npurpose = "P"\namount = "{amount}"\n')
        if link:
            text += f'part_of = "{link}"\n'
    return text


def _exceeded(tmp_path: Path, package: str, part: str) -> list[str]:
    from ledger.read import read_book

    path = tmp_path / "j.toml"
    path.write_text(_journal(package, part), encoding="utf-8")
    book = read_book(path)
    return [p.message for p in book.problems if p.code == "package-exceeded"]


def test_two_parts_of_500_4_jpy_a_year_fit_1000_a_year(tmp_path):
    # by hand: each part rounds to 500 JPY (no minor unit), 500 + 500 = 1,000
    assert _exceeded(tmp_path, "1000 JPY a year", "500.4 JPY a year") == []


def test_two_parts_of_500_5_jpy_a_year_exceed_1000_a_year(tmp_path):
    # by hand: each part rounds half up to 501 JPY, 1,002 > 1,000
    said = _exceeded(tmp_path, "1000 JPY a year", "500.5 JPY a year")
    assert len(said) == 1 and "1002 JPY a year" in said[0], said


def test_the_report_counts_500_4_jpy_a_year_as_500(tmp_path, run_cli):
    """What the rule measures against: 500.4 JPY a year, counted to 2021,
    is 500 in each of 2020 and 2021."""
    path = tmp_path / "one.toml"
    path.write_text('[ledger]\nname = "o"\ncurrency = "JPY"\n\n[[entry]]\nid = "a"\n'
                    'date = 2020-01-01\nfunder = "JP"\npurpose = "P"\n'
                    'amount = "500.4 JPY a year"\n', encoding="utf-8")
    code, out, err = run_cli("balance", path, "--currency", "JPY", "--horizon", "2021",
                             "--by", "year", "--format", "json")
    assert code == 0, err
    rows = {(r["account"], str(r["year"])): Decimal(r["amount"]) for r in json.loads(out)}
    assert rows[("Purposes:P", "2020")] == rows[("Purposes:P", "2021")] == 500


amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=20), st.integers(0, 3))
@example([Decimal("-0.5"), Decimal("0.5"), Decimal("-2.5"), Decimal("500.4")], 0)
@example([Decimal("-0.005"), Decimal("0.005"), Decimal("1.125")], 2)
def test_one_value_and_the_column_round_alike(values, digits):
    """Halves away from zero both ways (-0.5 JPY is -1, 0.005 GBP is 0.01)."""
    column = minor_units(to_decimal_array(values), np.full(len(values), digits))
    assert column.tolist() == [to_minor(v, digits) for v in values]
    # by hand, from the exact value: floor(|v| * 10^d + 1/2), signed
    for v, got in zip(values, column.tolist()):
        exact = Fraction(v) * 10 ** digits
        want = int(abs(exact) + Fraction(1, 2))
        assert got == (-want if exact < 0 else want)


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=20), st.integers(0, 3),
       st.integers(1, 400), st.sampled_from([1, 2, 4, 5, 8, 16, 25, 100]))
@example([Decimal("0.25"), Decimal("-0.25")], 1, 1, 2)     # 2.5 / 2: a half each way
def test_a_total_over_years_rounds_alike(values, digits, num, den):
    """``total_minor`` of one amount a year for num/den years (a length
    written as a decimal) is the column's ``mul_round`` of its minor units
    by the same fraction."""
    minor = minor_units(to_decimal_array(values), np.full(len(values), digits))
    column = mul_round(minor, [(num, den, num / den)])
    period = Period(PER_YEAR, years=Decimal(num) / Decimal(den))    # exact: den divides 10^k
    for v, got in zip(values, column.tolist()):
        assert total_minor(v, period, digits) == got
        exact = Fraction(to_minor(v, digits)) * Fraction(num, den)
        want = int(abs(exact) + Fraction(1, 2))
        assert got == (-want if exact < 0 else want)


def test_total_minor_over_a_span_is_the_columns():
    # by hand: 1,000,000 GBP a year for 2016-01-01..10 is 10/366 of a year,
    # 100,000,000 pence × 10 / 366 = 2,732,240.4… -> 2,732,240
    p = Period(PER_YEAR, start=dt.date(2016, 1, 1), end=dt.date(2016, 1, 10))
    assert total_minor(Decimal(1_000_000), p, 2) == 2_732_240
    col = mul_round(minor_units(to_decimal_array([Decimal(1_000_000)]), np.array([2])),
                    [(10, 366, 10 / 366)])
    assert col.tolist() == [2_732_240]


def test_round_div_is_the_one_rule():
    from ledger.minor import round_div as one
    from rates._minor import round_div as column
    nums = [-7, -5, -3, -1, 0, 1, 3, 5, 7, 10 ** 30 + 5]
    got = column(np.array(nums, dtype=object), np.array([2] * len(nums), dtype=object))
    assert got.tolist() == [one(n, 2) for n in nums] == \
        [-4, -3, -2, -1, 0, 1, 2, 3, 4, 5 * 10 ** 29 + 3]
