"""Magnitudes and spans (ledger/limits.py): amounts over 10^15, dates outside
1900-2200 and periods over 100 years are errors naming the entry, by every
reader; totals never wrap; `rates convert` refuses what it cannot hold."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.read import read_book
from ledger.limits import MAX_AMOUNT

GENERATED_ENTRY = """\
[[entry]]
id = "e0000000"
date = 1999-01-04
funder = "Netherlands:Foreign Affairs"
purpose = "Education:Secondary:Girls"
amount = "33180365.82"
currency = "USD"
period = "over 30 months"
status = "pledged"
  [[entry.source]]
  doc = "d1"
  quote = "33180365.82"
"""
DOC = '[[document]]\nid = "d1"\ntitle = "t"\n\n'

BAD = [
    ('amount = "33180365.82"\ncurrency = "USD"', 'amount = "$50000 trillion"',
     "amount '$50000 trillion' is more than ledger-tool's largest amount, 10^15"),
    ('amount = "33180365.82"', 'amount = "5000000000000000000"',
     "amount '5000000000000000000 USD' is more than ledger-tool's largest amount"),
    ('period = "over 30 months"', 'period = "per year for 1000000 years"',
     "period lasts 1000000 years, more than 100 years"),
    ('period = "over 30 months"', 'period = "from 1800-01-01 to 1802-01-01"',
     "period start 1800-01-01 is outside the years 1900-2200"),
    ('period = "over 30 months"', 'period = "from 1950-01-01 to 2100-01-01"',
     "period lasts 150 years, more than 100 years"),
    ('period = "over 30 months"', 'period = "fiscal year 2500-01"',
     "fiscal year 2500-01 is outside the years 1900-2200"),
    ("date = 1999-01-04", "date = 9999-01-04", "date 9999-01-04 is outside the years 1900-2200"),
    ('amount = "33180365.82"\ncurrency = "USD"\nperiod = "over 30 months"',
     'amount = "$5 a year for 300 years"', "period lasts 300 years, more than 100 years"),
    ('status = "pledged"', 'status = "pledged"\n  [[entry.split]]\n  purpose = "A"\n'
     '  amount = "1e999999999"\n  [[entry.split]]\n  purpose = "B"\n  amount = "33180365.82"',
     "split for 'A': amount '1e999999999' is more than ledger-tool's largest amount"),
]


@pytest.mark.parametrize("old,new,message", BAD)
def test_check_refuses_out_of_bounds_and_names_the_entry(tmp_path, run_cli, old, new, message):
    f = tmp_path / "j.toml"
    assert old in GENERATED_ENTRY
    f.write_text(DOC + GENERATED_ENTRY.replace(old, new), encoding="utf-8")
    code, out, err = run_cli("check", f)
    assert code == 1
    assert f"entry 'e0000000': error: {message}" in err


def test_bulk_numbers_too_long_for_decimal128_are_refused_not_wrapped(tmp_path, run_cli):
    """39 nines cast to Arrow's decimal128 wrap to a negative number, 5,000
    to -1: each is refused as too big, in one short line; so is a period of
    a number of years past Decimal's precision."""
    f = tmp_path / "b.csv"
    f.write_text("id,date,funder,purpose,amount,currency,years,period_kind\n"
                 f"a,2015-01-01,UK,P,{'9' * 39},GBP,,\n"
                 f"b,2015-01-01,UK,P,{'9' * 5000},GBP,,\n"
                 f"c,2015-01-01,UK,P,5,GBP,{'9' * 5000},per-year\n"
                 f"d,2015-01-01,UK,P,{'0' * 45}1.5,GBP,,\n", encoding="utf-8")
    code, out, err = run_cli("check", f)
    assert code == 1
    lines = err.splitlines()
    assert f"b.csv:2: entry 'a': error: amount '{'9' * 39}' is more than ledger-tool's " \
           "largest amount" in err
    b = [ln for ln in lines if "entry 'b': error" in ln]
    assert len(b) == 1 and "is more than ledger-tool's largest amount" in b[0] \
        and len(b[0]) < 300
    assert "b.csv:4: entry 'c': error: period: years '99999999999999999999'… (5,000 " \
        "characters) is too long to be a number" in err
    assert "entry 'd': error" not in err and "Traceback" not in err
    assert "1 entries" in out + err


def test_totals_never_wrap(tmp_path, run_cli):
    """A hundred entries at the maximum: 10^17 GBP is 10^19 pence, past int64."""
    f = tmp_path / "many.toml"
    f.write_text("".join(f'[[entry]]\nid = "e{i}"\ndate = 2015-01-01\nfunder = "UK"\n'
                         f'purpose = "P{i % 3}"\namount = "£1000 trillion"\n\n'
                         for i in range(100)), encoding="utf-8")
    code, out, err = run_cli("report", f, "--out", tmp_path / "r", "--format", "csv")
    assert code == 0, err
    total = [ln for ln in out.splitlines() if ln.startswith("(total)")][0]
    assert Decimal(total.split(",")[2]) == 100 * MAX_AMOUNT


@pytest.mark.parametrize("amount", ["1e400", "12345678901234567890123456789012", "1E+16"])
def test_rates_convert_refuses_huge_amounts_in_one_line(run_cli, amount):
    code, out, err = run_cli("rates", "convert", amount, "GBP", "EUR", "--date", "2014-09-20")
    assert code == 1
    assert err.startswith("ledger-tool: AMOUNT: amount ") and len(err.strip().splitlines()) == 1


@settings(max_examples=80, deadline=None)
@given(digits=st.integers(1, 40), exponent=st.integers(-5, 30))
def test_any_amount_is_read_or_refused_by_its_bound(digits, exponent):
    """Property: a plain amount is accepted exactly when it is positive, at
    most 10^15 and has at most 9 decimal places (the Book's exact scale);
    otherwise one problem names it."""
    import tempfile
    value = Decimal(int("9" * digits)).scaleb(exponent - digits + 1)
    text = format(value, "f")
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "j.toml"
        f.write_text(f'[[entry]]\nid = "a"\ndate = 2015-01-01\nfunder = "UK"\npurpose = "P"\n'
                     f'amount = "{text}"\ncurrency = "GBP"\n', encoding="utf-8")
        j = read_book(f, use_cache=False)
    errors = [p for p in j.problems if p.severity == "error"]
    if j.entries:
        assert j.entries[0].amount == value <= MAX_AMOUNT
    else:
        assert len(errors) == 1 and errors[0].entry_id == "a"
        places = max(0, -value.normalize().as_tuple().exponent)
        assert value > MAX_AMOUNT or places > 9
        if value <= MAX_AMOUNT:
            assert errors[0].message == f"amount {text!r} has more than 9 decimal places"


@pytest.mark.parametrize("horizon", ["9999", "1800", "9999-00"])
def test_a_horizon_outside_the_years_is_refused_at_once(run_cli, example_ledger, tmp_path, horizon):
    """--horizon 9999 once spread open-ended amounts over 8,000 years (minutes)."""
    code, _, err = run_cli("report", example_ledger, "--out", tmp_path / "r", "--horizon", horizon)
    assert code == 1
    assert err.strip() == f"ledger-tool: horizon {horizon!r} is outside the years 1900-2200"
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("rate", ["1e30", "1e400", "0.0000000000001"])
def test_rates_outside_the_bounds_are_one_line(tmp_path, run_cli, rate):
    rates = tmp_path / "r.csv"
    rates.write_text(f"date,from,to,rate,source\n2015-01-01,EUR,GBP,{rate},x\n", encoding="utf-8")
    code, _, err = run_cli("rates", "convert", "5", "EUR", "GBP", "--date", "2015-01-01",
                           "--rates", rates)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert f"{rates}:2: column 'rate': rate " in err and "is outside 1e-9 to 1e9" in err


def test_the_largest_amount_at_a_large_rate_is_exact(tmp_path, run_cli):
    """10^15-scale amounts at a rate of a million: 9 x 10^22 pence, far past
    int64, in every table of the report (status, comparison, by year)."""
    rates = tmp_path / "r.csv"
    rates.write_text("date,from,to,rate,source\n2015-01-01,EUR,GBP,1000000,x\n", encoding="utf-8")
    f = tmp_path / "j.toml"
    f.write_text('[[entry]]\nid = "a"\ndate = 2015-01-01\nfunder = "UK"\npurpose = "P"\n'
                 'amount = "€900 trillion"\n', encoding="utf-8")
    code, out, err = run_cli("report", f, "--out", tmp_path / "r", "--rates", rates,
                             "--format", "csv")
    assert code == 0, err
    assert "(total),,900000000000000000000.00,GBP" in out


# ------------------------------------------------------------ numbers as written
from ledger.limits import NumberError, bounded_number  # noqa: E402


@pytest.mark.parametrize("text,why", [
    ("1e999999", "too large or too small (an exponent of more than four digits)"),
    ("1E+999999999999", "too large or too small"),
    ("1e5000", "amount 1E+5000 is more than 1E+15"),
    ("-1e5000", "is more than 1E+15"),
    ("9" * 70, "(70 characters) is too long to be a number"),
    ("NaN", "is not a number"), ("Infinity", "is not a number"), ("0x10", "is not a number"),
    ("1.0000000000001", "too many digits"),
])
def test_a_number_out_of_bounds_is_refused_in_one_line_before_it_is_read(text, why):
    with pytest.raises(NumberError, match=re.escape(why)) as err:
        bounded_number(text, "amount")
    assert "\n" not in str(err.value) and str(err.value).startswith("amount ")


@settings(max_examples=300, deadline=200)
@given(digits=st.text("0123456789", min_size=1, max_size=80),
       exponent=st.integers(-10**9, 10**9))
def test_any_number_text_is_read_or_refused_quickly(digits, exponent):
    """The bound holds for any mantissa and exponent, and costs no more than
    reading the text (deadline 200 ms: a million-digit int would not)."""
    try:
        value = bounded_number(f"{digits}e{exponent}", "n")
    except NumberError:
        return
    assert value.is_finite() and abs(value) <= MAX_AMOUNT


def test_bulk_years_of_a_huge_exponent_are_one_line(tmp_path, run_cli):
    """The bulk reader's years column: "1E+999999999999" ran out of memory
    writing the period's label."""
    f = tmp_path / "e.csv"
    f.write_text("id,date,funder,purpose,amount,currency,years,period_kind\n"
                 "b,2015-01-01,F,P,5,GBP,1E+999999999999,over\n", encoding="utf-8")
    code, _, err = run_cli("check", f)
    assert code == 1 and "Traceback" not in err
    assert "e.csv:2: entry 'b': error: period: years '1E+999999999999' is too large" in err


@pytest.mark.parametrize("n", ["9" * 49, "1" + "0" * 30])
def test_a_period_of_too_many_years_is_one_line(n):
    """"over 10^49 years" gave "could not be read ([<class 'decimal.InvalidOperation'>])"."""
    from ledger.phrases.period import PeriodError, parse_period
    with pytest.raises(PeriodError, match=r"number of years .* is more than 1E\+9"):
        parse_period(f"over {n} years")


@pytest.mark.parametrize("index", ["1e999999", "1e5000", "9" * 100])
def test_a_deflator_index_out_of_bounds_is_one_line(tmp_path, index):
    """A deflator index of 1e999999 became a million-digit Fraction."""
    from ledger.errors import LedgerError
    from rates.deflate import read_index_csv
    f = tmp_path / "d.csv"
    f.write_text(f"area,year,index\nGBP,2015,100\nGBP,2016,{index}\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"d.csv:3: column 'index': index "):
        read_index_csv(f)


def test_percentages_out_of_bounds_are_not_used_and_said():
    """An IATI sector percentage of 1e999999 went into a sum and a division."""
    from ledger.imports.common import percentages
    weights, note = percentages([("A", Decimal("1e999999")), ("B", Decimal(40))], "sectors")
    assert weights == [("B", Decimal(40)), ("A", Decimal(60))]
    assert "sectors: the percentage of A 1E+999999 is more than 1E+6" in note


@pytest.mark.parametrize("text, depth", [
    ("", 0), ("5", 0), ("[]", 1), ('[{"doc": "d1"}]', 2), ('[{"q": "[[[{{{"}]', 2),
    ('[{"q": "a \\" [[[ \\\\"}, [[1]]]', 3), ('[{"q": "unterminated [[[', 2),
    ("]]][", 0), ("[" * 50_000 + "]" * 50_000, 50_000)])
def test_json_depth_counts_brackets_outside_strings(text, depth):
    """The nesting read before any JSON parser (citations cells, FTS files),
    against the nesting json itself builds where it can."""
    import json

    from ledger.limits import json_depth

    assert json_depth(text) == depth
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return
    deepest, todo = 0, [(value, 0)]
    while todo:
        v, d = todo.pop()
        if isinstance(v, (list, dict)):
            deepest = max(deepest, d + 1)
            todo += [(x, d + 1) for x in (v.values() if isinstance(v, dict) else v)]
    assert deepest == depth


@pytest.mark.parametrize("text,said", [
    # a value just past a bound was said rounded onto it (1.000E+15 "is more
    # than" 1E+15) or cut (3.000000E-1 "has too many digits"): its own digits now
    ("1.0000000000000002e15", "amount 1000000000000000.2 is more than 1E+15"),
    ("0.30000000000000004", "amount 0.30000000000000004 has too many digits"),
    ("9" * 38, f"amount {'9' * 38} is more than 1E+15"),
    ("1." + "0" * 50 + "1E+40", "amount 1.00000000000000000000000000…0000001E+40 is more"),
])
def test_a_number_out_of_bounds_is_said_with_its_own_digits(text, said):
    with pytest.raises(NumberError) as err:
        bounded_number(text, "amount")
    assert str(err.value).startswith(said), str(err.value)
