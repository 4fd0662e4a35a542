"""The package rule measures each entry's whole amount over its period, as
the reports count it: "£6m a year for 2 years" is £12m, more than a package
of "£10m over 2 years" (it passed, and £2m went missing from every total);
£3m paid of "£1m a year for 5 years" (£5m) is within it (it was refused as
more than £1m).  Open-ended amounts ("£1m a year", no end): a bounded
package holds no open-ended part; an open-ended package's total is
unbounded, so only its open-ended parts are measured, a year against a
year."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ledger.read import read_book
from ledger.read.dataset import scan
from ledger.rules import across_entries
from tests.ledger.read.test_dataset import write_dataset


def _journal(path: Path, entries: list[tuple]) -> Path:
    """``entries``: (id, amount phrase, period or "", link kind or "", target)."""
    text = '[ledger]\nname = "periods"\ncurrency = "GBP"\n'
    for i, amount, period, kind, target in entries:
        text += (f'\n[[entry]]\nid = "{i}"\ndate = 2016-01-01\nfunder = "UK"\n'
                 f'purpose = "Hum"\namount = "{amount}"\n')
        text += f'period = "{period}"\n' if period else ""
        text += f'{kind} = "{target}"\n' if kind else ""
    path.write_text(text, encoding="utf-8")
    return path


def _errors(book):
    return [(p.entry_id, p.message) for p in book.problems if p.severity == "error"]


def test_parts_a_year_are_measured_over_their_years(tmp_path):
    led = _journal(tmp_path / "l.toml", [("pkg", "£10m", "over 2 years", "", ""),
                                         ("p1", "£6m a year for 2 years", "", "part_of", "pkg")])
    assert _errors(read_book(led)) == [
        ("pkg", "phased parts (p1) add up to 12000000 GBP, more than the 10000000 GBP of 'pkg'")]


def test_a_pledge_a_year_holds_its_years_of_disbursements(tmp_path, run_cli):
    led = _journal(tmp_path / "l.toml", [("pledge", "£1m a year for 5 years", "", "", ""),
                                         ("paid", "£3m", "", "disburses", "pledge")])
    assert _errors(read_book(led)) == []
    code, out, err = run_cli("balance", led, "--currency", "GBP", "--depth", "1")
    assert code == 0, err
    assert out.splitlines()[-1].split() == ["(total)", "£5,000,000.00"]   # £1m × 5 years
    # one more £2.5m: £5.5m paid of £5m
    led = _journal(tmp_path / "l2.toml", [("pledge", "£1m a year for 5 years", "", "", ""),
                                          ("paid", "£3m", "", "disburses", "pledge"),
                                          ("more", "£2.5m", "", "disburses", "pledge")])
    assert _errors(read_book(led)) == [
        ("pledge", "disbursements (paid, more) add up to 5500000 GBP, more than the 5000000 GBP "
                   "of 'pledge'")]


def test_a_rate_between_two_dates_counts_its_years(tmp_path):
    """Two whole years, 2016-01-01 to 2017-12-31: £2m a year is £4m."""
    def led(part):
        return _journal(tmp_path / f"l{part}.toml", [
            ("pkg", "£2m", "per year from 2016-01-01 to 2017-12-31", "", ""),
            ("p", f"£{part}m", "", "part_of", "pkg")])
    assert _errors(read_book(led(4))) == []
    assert _errors(read_book(led(5))) == [
        ("pkg", "phased parts (p) add up to 5000000 GBP, more than the 4000000 GBP of 'pkg'")]


def test_an_open_ended_package_holds_bounded_parts(tmp_path):
    led = _journal(tmp_path / "l.toml", [("pkg", "£1m a year", "", "", ""),
                                         ("p", "£5m", "", "part_of", "pkg")])
    assert _errors(read_book(led)) == []


def test_open_ended_parts_of_an_open_ended_package_are_measured_a_year(tmp_path):
    led = _journal(tmp_path / "l.toml", [("pkg", "£1m a year", "", "", ""),
                                         ("p", "£0.6m a year", "", "part_of", "pkg"),
                                         ("q", "£0.6m a year", "", "part_of", "pkg"),
                                         ("r", "£7m", "", "part_of", "pkg")])
    assert _errors(read_book(led)) == [
        ("pkg", "phased parts (p, q) add up to 1200000 GBP a year, more than the 1000000 GBP a "
                "year of 'pkg'")]


def test_a_bounded_package_holds_no_open_ended_part(tmp_path):
    led = _journal(tmp_path / "l.toml", [("pkg", "£10m", "over 2 years", "", ""),
                                         ("p", "£1m a year", "", "part_of", "pkg")])
    assert _errors(read_book(led)) == [
        ("pkg", "phased parts (p) a year with no end add up to more than the 10000000 GBP of "
                "'pkg'")]


@pytest.mark.parametrize("fmt", ["csv", "dataset"])
def test_every_input_measures_the_periods(tmp_path, fmt):
    rows = [{"id": "pkg", "date": "2020-01-01", "funder": "UK", "purpose": "P", "amount": "10",
             "currency": "GBP", "period": "over 2 years", "sources": "d"},
            {"id": "p1", "date": "2021-01-01", "funder": "UK", "purpose": "P", "amount": "6",
             "currency": "GBP", "period": "per year for 2 years", "part_of": "pkg",
             "sources": "d"},
            {"id": "pl", "date": "2020-01-01", "funder": "UK", "purpose": "P", "amount": "1",
             "currency": "GBP", "period": "per year for 5 years", "sources": "d"},
            {"id": "d", "date": "2021-01-01", "funder": "UK", "purpose": "P", "amount": "3",
             "currency": "GBP", "disburses": "pl", "sources": "d"}]
    want = [("pkg", "phased parts (p1) add up to 12 GBP, more than the 10 GBP of 'pkg'")]
    if fmt == "dataset":
        errors = scan(write_dataset(tmp_path / "d.parquet", rows)).errors
    else:
        cols = ["id", "date", "funder", "purpose", "amount", "currency", "period", "part_of",
                "disburses"]
        (tmp_path / "b.csv").write_text(",".join(cols) + "\n" + "".join(
            ",".join(r.get(c, "") for c in cols) + "\n" for r in rows), encoding="utf-8")
        errors = [p for p in read_book(tmp_path / "b.csv").problems if p.severity == "error"]
    assert [(p.entry_id, p.message) for p in errors] == want


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 50), st.integers(1, 6),
       st.lists(st.tuples(st.integers(1, 20), st.integers(1, 6)), min_size=1, max_size=4))
def test_parts_a_year_exceed_their_package_exactly_when_their_totals_do(size, years, parts):
    """A package of ``size`` over ``years`` and parts of a rate for some
    years: refused exactly when the rates times their years (worked out
    here) add up to more than ``size``."""
    periods = ["over"] + ["per-year"] * len(parts)
    labels = [f"over {years} years"] + [f"per year for {y} years" for _, y in parts]
    amounts = [Decimal(size)] + [Decimal(r) for r, _ in parts]
    n = len(amounts)
    problems, bad = across_entries(
        n=n, ids=[f"e{i}" for i in range(n)], place=lambda i: ("l.toml", i),
        currency=lambda i: "GBP", qualifier=lambda i: "exact", amount=lambda i: amounts[i],
        links=[(i, "part_of", "e0") for i in range(1, n)],
        find=lambda targets: [0] * len(targets), period=lambda i: labels[i])
    assert periods[0] == "over"
    whole = sum(r * y for r, y in parts)
    assert (0 in bad) == (whole > size)
    if whole > size:
        assert f"add up to {whole} GBP, more than the {size} GBP of 'e0'" in problems[0].message
