"""Rates per month, week or day in quotes: "a week into the crisis" is
elapsed time, not a rate; "£1m a month" is exactly £12m per year (a month
is a twelfth of a year), which the audit signs off as the period-mismatch
message recommends; a week's rate is not (no whole number of weeks makes a
year)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.ledger.sources.cited import add_cited, ledger_citing

from ledger.phrases.extract import find_mentions

D = Decimal


@pytest.mark.parametrize(("text", "unread", "times"), [
    ("It pays £1m a month to run the camp.", "a month", 12),
    ("£1m a month from the Home Office.", "a month", 12),
    ("£1m a month on food.", "a month", 12),
    ("£1m a month in 2016.", "a month", 12),
    ("£1m a quarter.", "a quarter", 4),
    ("£1m per week since the fire.", "per week", None),
    ("2 millions d'euros par mois.", "par mois", 12),
])
def test_rates_stay_rates(text, unread, times):
    (m,) = find_mentions(text)
    assert (m.period_unread, m.times_a_year) == (unread, times)


DOC = ("A further £2m a week into the crisis, then £6m a day later.\n"
       "It pays £1m a month to run the camp, and £3m a quarter for schools.\n"
       "Security costs £20,000 a week.\n")


@pytest.fixture
def book(tmp_path, run_cli):
    return ledger_citing(tmp_path, run_cli, DOC, "2016-01-01")


def _add(run_cli, book, eid, amount, quote, *period):
    add_cited(run_cli, book, eid, amount, quote, *period, date="2016-01-01", funder="F",
              purpose="P")


def _findings(out, eid):
    return [x for x in out.splitlines() if x.startswith(f"error: entry '{eid}'")]


def test_one_off_figures_a_week_into_a_crisis_are_verified(book, run_cli):
    _add(run_cli, book, "week", "£2m", "A further £2m a week into the crisis")
    _add(run_cli, book, "day", "£6m", "then £6m a day later")
    code, out, err = run_cli("audit", book)
    assert code == 0 and "2 verified; 0 error(s)" in err, out + err


def test_a_months_rate_recorded_as_a_years_total_is_verified(book, run_cli):
    # by hand: £1m × 12 = £12m per year; £3m × 4 = £12m per year
    _add(run_cli, book, "camp", "£12m", "£1m a month", "--period", "a year")
    _add(run_cli, book, "schools", "£12m", "£3m a quarter", "--period", "a year")
    code, out, err = run_cli("audit", book)
    assert code == 0 and "2 verified; 0 error(s)" in err, out + err


def test_what_the_message_recommends_passes_and_other_readings_do_not(book, run_cli):
    _add(run_cli, book, "oneoff", "£1m", "£1m a month")
    code, out, _ = run_cli("audit", book)
    (line,) = _findings(out, "oneoff")
    assert code == 1 and "record a year's total per year: £12m per year" in line, line
    assert line.endswith("[period-mismatch]")

    # £12m once, £11m or £13m a year, £1m a year: not what "£1m a month" says
    _add(run_cli, book, "once", "£12m", "£1m a month")
    _add(run_cli, book, "eleven", "£11m", "£1m a month", "--period", "a year")
    _add(run_cli, book, "yearly1", "£1m", "£1m a month", "--period", "a year")
    # 52 weeks are not a year: £20,000 × 52 = £1,040,000 is not signed off
    _add(run_cli, book, "weeks", "£1,040,000", "£20,000 a week", "--period", "a year")
    _add(run_cli, book, "week1", "£20,000", "£20,000 a week")
    code, out, err = run_cli("audit", book)
    assert code == 1 and "0 verified; 6 error(s)" in err, out + err
    for eid in ("once", "eleven", "weeks"):
        (line,) = _findings(out, eid)
        assert line.endswith("[amount-mismatch]"), line
    (line,) = _findings(out, "yearly1")
    assert line.endswith("[period-mismatch]"), line
    (line,) = _findings(out, "week1")
    assert "no whole number of them makes a year" in line and \
        line.endswith("[period-mismatch]"), line
