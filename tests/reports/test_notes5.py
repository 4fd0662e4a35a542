"""The deflator's note says what is done: each calendar year's part is
deflated by that calendar year's index, and a fiscal year adds up the
deflated parts of the calendar years it spans (docs/rates.md)."""
from __future__ import annotations

from reports.notes import deflator_note
from reports.options import ReportOptions


def test_the_deflator_note_names_calendar_years():
    note = deflator_note(ReportOptions(currency="GBP", years="fiscal-uk", deflator="gdp.csv",
                                       base_year=2020))
    assert "the index of that calendar year" in note
    assert "a fiscal year adds up the deflated parts of the calendar years it spans" in note
    assert "index of its year" not in note
