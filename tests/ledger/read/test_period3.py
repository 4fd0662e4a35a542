"""Periods every reader checks alike (``ledger.read.table.check_raw``):

- a bulk row's ``period`` text beside its period columns must say the
  columns' period (a contradiction is an error at the row naming both; an
  agreeing text, a more precise column, or a text that is no period phrase
  is fine);
- a period under a day cannot be valued (``rates.normalise`` spreads an
  amount over whole days, a fraction of a year rounded to the nearest day:
  0.001 years from 2020-01-01 is 0.366 of a day, none): ``check`` refuses
  it at its line, in every input, where valuing it failed before.

Figures by hand: £100 a year for 2 years is £200; 0.0014 years is 0.51 of a
day (one day) and is valued whole in 2020."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ledger.errors import LedgerError
from ledger.model import Entry, Period
from ledger.read.journal_columns import read_journal_book
from ledger.read.table import read_bulk_book
from rates.normalise import to_frame

HEAD = "id,date,funder,purpose,amount,currency,period,period_kind,years,start,end,fiscal_year\n"


def _bulk(tmp_path, rows: str, name: str = "p.csv"):
    p = tmp_path / name
    p.write_text(HEAD + rows, encoding="utf-8")
    return p


def _errors(book):
    return [(p.line, p.entry_id, p.code, p.message) for p in book.problems
            if p.severity == "error"]


def test_a_period_text_contradicting_the_columns_is_refused_at_its_row(tmp_path):
    p = _bulk(tmp_path, "a,2020-01-01,F,P1,100,GBP,over 2 years,over,3,,,\n"
                        "b,2020-01-01,F,P2,100,GBP,over 2 years,per-year,2,,,\n"
                        "c,2020-01-01,F,P3,100,GBP,one-off,per-year,,,,\n"
                        "d,2020-01-01,F,P4,100,GBP,one-off,,,,,\n")
    assert _errors(read_bulk_book(p)) == [
        (2, "a", "period-contradicts",
         "period 'over 2 years' contradicts the period columns (over 3 years)"),
        (3, "b", "period-contradicts",
         "period 'over 2 years' contradicts the period columns (per year for 2 years)"),
        (4, "c", "period-contradicts",
         "period 'one-off' contradicts the period columns (per year)")]


def test_a_text_agreeing_with_the_columns_is_fine(tmp_path, run_cli):
    p = _bulk(tmp_path, "a,2020-01-01,F,P1,100,GBP,over 24 months,over,2,,,\n"
                        "b,2020-01-01,F,P2,100,GBP,per year,per-year,2,,,\n"
                        "c,2020-01-01,F,P3,100,GBP,from 2020-01-01 to 2021-12-31,over,,"
                        "2020-01-01,2021-12-31,\n"
                        "d,2020-01-01,F,P4,100,GBP,one-off,one-off,,,,\n"
                        "e,2020-01-01,F,P5,100,GBP,a label,over,2,,,\n")
    book = read_bulk_book(p)
    assert _errors(book) == []
    # by hand: £100 + £100 a year for 2 years (£200) + £100 + £100 + £100
    code, out, err = run_cli("balance", p, "--currency", "GBP")
    assert code == 0, err
    assert next(x for x in out.splitlines() if x.startswith("(total)")).split()[-1] == "£600.00"


@pytest.mark.parametrize("period", ["over 0.001 years", "per year for 0.001 years"])
def test_a_period_under_a_day_is_refused_by_check(tmp_path, run_cli, period):
    d = tmp_path / "book"
    d.mkdir()
    (d / "ledger.toml").write_text(
        '[ledger]\ncurrency = "GBP"\n\n[[entry]]\nid = "e"\ndate = 2020-01-01\n'
        f'funder = "F"\npurpose = "P"\namount = "£100"\nperiod = "{period}"\n', encoding="utf-8")
    code, out, err = run_cli("check", d)
    assert code == 1
    line = next(x for x in (out + err).splitlines() if "error" in x)
    assert line.startswith(f"{d / 'ledger.toml'}:10: entry 'e': error: period of 0.001 years "
                           "is 0.37 of a day from 2020-01-01")
    # the amount's own period, at the amount's line
    (d / "ledger.toml").write_text(
        '[ledger]\ncurrency = "GBP"\n\n[[entry]]\nid = "e"\ndate = 2020-01-01\n'
        f'funder = "F"\npurpose = "P"\namount = "£100 {period}"\n', encoding="utf-8")
    assert [x[:3] for x in _errors(read_journal_book(d))] == [(9, "e", "period-out-of-range")]


def test_a_period_under_a_day_is_refused_in_a_bulk_table(tmp_path):
    p = _bulk(tmp_path, "a,2020-01-01,F,P1,100,GBP,over 0.001 years,,,,,\n"
                        "b,2020-01-01,F,P2,100,GBP,,over,0.001,,,\n"
                        "c,2020-01-01,F,P3,100,GBP,,per-year,0.001,2021-01-01,,\n"
                        "d,2020-01-01,F,P4,100,GBP,,over,0.0014,,,\n")
    assert [x[:3] for x in _errors(read_bulk_book(p))] == [
        (2, "a", "period-out-of-range"), (3, "b", "period-out-of-range"),
        (4, "c", "period-out-of-range")]


def test_a_period_of_just_over_half_a_day_is_valued_as_one_day(tmp_path, run_cli):
    p = _bulk(tmp_path, "d,2020-01-01,F,P4,100,GBP,,over,0.0014,,,\n")
    code, out, err = run_cli("balance", p, "--currency", "GBP")
    assert code == 0, err
    assert next(x for x in out.splitlines() if x.startswith("(total)")).split()[-1] == "£100.00"


def test_normalise_names_the_end_before_the_start_plainly():
    e = Entry("e", dt.date(2020, 1, 1), "F", "P", Decimal(100), "GBP",
              period=Period("over", years=Decimal("0.001")))
    with pytest.raises(LedgerError) as got:
        to_frame([e])
    assert "the period ends (2019-12-31) before it starts (2020-01-01)" in str(got.value)

