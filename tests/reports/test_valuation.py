"""reports/valuation.py: one valuation per command, whatever the command."""
from __future__ import annotations

import pytest

import ledger
import reports.valuation as valuation
from rates.normalise import normalise
from reports.tables import ReportOptions, build_report
from reports.valuation import SUM_COLUMNS, Spec, default_horizon, value
from reports.valuation import normalise_options as valuation_options


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
    # (to 31 March 2027: the default horizon, 31 December 2027, needs 2027-28's rates)
    ("balance", "--currency", "EUR", "--by", "fiscal-year", "--valuation", "yearly-average",
     "--horizon", "2026-27"),
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


@pytest.mark.parametrize("basis", ["total", "per-year", "recorded"])
def test_the_report_values_once(harbour, calls, basis):
    report = build_report(ledger.load(harbour), ReportOptions(currency="GBP", basis=basis))
    assert (report.horizon is not None) == (basis != "recorded") and len(calls) == 1, calls


@pytest.mark.parametrize("valuation", ["entry-date", "2021-06-30", "yearly-average", "as-stated"])
@pytest.mark.parametrize("years", ["calendar", "fiscal-uk"])
@pytest.mark.parametrize("name", ["harbour", "calais"])
@pytest.mark.parametrize("fast", [False, True])
def test_the_per_year_table_is_the_per_year_basis(repo_root, name, valuation, years, fast):
    """The per-year basis valued beside the totals (one valuation) gives the
    rows of the per-year basis valued on its own, and the totals' rows of
    the total basis, to the minor unit."""
    if (name, valuation) == ("harbour", "yearly-average"):
        pytest.skip("harbour's bounded entries run into years with no yearly average yet")
    book = ledger.load(repo_root / "examples" / name)
    spec = Spec(currency="EUR", valuation=valuation, basis="per-year", years=years)
    both = value(book, spec, fast=fast)
    frame = book.frame(SUM_COLUMNS if fast else None)
    alone = normalise(frame, basis="per-year", decimals=not fast, categorical=fast,
                      **{**valuation_options(book, spec), "years": None})
    assert len(alone) and alone.equals(both.per_year)
    total = value(book, Spec(currency="EUR", valuation=valuation, years=years), fast=fast)
    assert total.spread.equals(both.spread)


@pytest.mark.parametrize("years", ["calendar", "fiscal-uk", "fiscal-us", "fiscal"])
@pytest.mark.parametrize("name", ["harbour", "calais"])
def test_the_horizon_is_the_last_year_the_bounded_entries_are_spread_into(repo_root, name,
                                                                          years):
    """The ledger's horizon, read from the periods alone, is the last
    calendar year of the bounded entries' valued parts, whatever years the
    figures are grouped in (one end date: the same total)."""
    book = ledger.load(repo_root / "examples" / name)
    open_ = book.open_ended()
    assert open_.any() and not open_.all()
    spec = Spec(years=years)
    bounded = book.subset(~open_)
    kw = valuation.normalise_options(book, Spec(years="calendar"))
    parts = normalise(bounded.frame(SUM_COLUMNS), basis="total", decimals=False, **kw)
    want = str(max(parts["year"].unique().tolist()))
    assert default_horizon(book, spec) == want
    assert str(valuation.last_year(bounded.frame(SUM_COLUMNS), "calendar",
                                   kw["fiscal_start"])) == want


def test_the_callers_book_is_left_as_it_was(harbour):
    book = ledger.load(harbour)
    chosen = book.select(funder=["UK"])
    before = (chosen.root, book.root, len(chosen), len(book))
    value(chosen, Spec(currency="GBP"), fast=True)
    build_report(book, ReportOptions(currency="GBP", funder=("UK",)))
    assert (chosen.root, book.root, len(chosen), len(book)) == before
