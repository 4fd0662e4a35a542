"""reports/valuation.py: one valuation per command, whatever the command."""
from __future__ import annotations

import pytest

import ledger
import reports.valuation as valuation
from rates.normalise import normalise
from reports.tables import ReportOptions, build_report
from reports.valuation import SUM_COLUMNS, Spec, default_horizon, value


@pytest.fixture
def harbour(repo_root):
    """The example with amounts "a year" and no end (a horizon is needed)."""
    path = repo_root / "examples" / "harbour"
    assert ledger.load(path).open_ended().any()
    return path


@pytest.fixture
def calls(monkeypatch):
    """How many times the rows are valued (``rates.normalise.normalise``)."""
    count = []

    def counted(*args, **kwargs):
        count.append(kwargs.get("basis"))
        return normalise(*args, **kwargs)
    monkeypatch.setattr(valuation, "normalise", counted)
    monkeypatch.setattr("rates.normalise.to_frame", None)    # no second path either
    return count


@pytest.mark.parametrize("args", [
    ("balance", "--currency", "GBP"),
    ("balance", "--currency", "GBP", "--by", "year"),
    ("balance", "--currency", "EUR", "--by", "fiscal-year", "--valuation", "yearly-average"),
    ("balance", "--currency", "GBP", "--basis", "recorded"),
    ("export", "--to", "hledger", "-o", "-"),
    ("export", "--to", "beancount", "-o", "-"),
    ("export", "--to", "hledger", "--basis", "recorded", "-o", "-"),
    ("export", "--to", "csv", "--basis", "total", "--years", "calendar", "-o", "-"),
    ("export", "--to", "csv", "-o", "-"),
])
def test_a_command_with_open_ended_amounts_values_once(harbour, calls, run_cli, args):
    code, out, err = run_cli(args[0], harbour, *args[1:])
    assert code == 0, err
    assert out and len(calls) == 1, calls


def test_fdp_export_values_once(harbour, calls, run_cli, tmp_path):
    code, _, err = run_cli("export", harbour, "--to", "fdp", "-o", tmp_path / "pkg")
    assert code == 0, err
    assert len(calls) == 1


def test_the_report_values_once(harbour, calls):
    report = build_report(ledger.load(harbour), ReportOptions(currency="GBP"))
    assert report.horizon is not None and len(calls) == 1


@pytest.mark.parametrize("years", ["calendar", "fiscal-uk", "fiscal-us", "fiscal"])
@pytest.mark.parametrize("name", ["harbour", "calais"])
def test_the_horizon_is_the_last_year_the_bounded_entries_are_spread_into(repo_root, name,
                                                                          years):
    """The ledger's horizon, read from the periods alone, is the last year
    label of the bounded entries' valued parts."""
    book = ledger.load(repo_root / "examples" / name)
    open_ = book.open_ended()
    assert open_.any() and not open_.all()
    spec = Spec(years=years)
    bounded = book.subset(~open_)
    kw = valuation.normalise_options(book, spec)
    parts = normalise(bounded.frame(SUM_COLUMNS), basis="total", decimals=False, **kw)
    want = str(max(parts["year"].unique().tolist()))
    assert default_horizon(book, spec) == want
    assert str(valuation.last_year(bounded.frame(SUM_COLUMNS), years,
                                   kw["fiscal_start"])) == want


def test_the_callers_book_is_left_as_it_was(harbour):
    book = ledger.load(harbour)
    chosen = book.select(funder=["UK"])
    before = (chosen.root, book.root, len(chosen), len(book))
    value(chosen, Spec(currency="GBP"), fast=True)
    build_report(book, ReportOptions(currency="GBP", funder=("UK",)))
    assert (chosen.root, book.root, len(chosen), len(book)) == before
