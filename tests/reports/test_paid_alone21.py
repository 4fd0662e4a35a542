"""`report --funder X` whose other filters keep none of X's entries still
reports X's paid when a funder --funder leaves out paid X's pledge in
that range (docs/reports.md, "Whose row a payment is on"): X's row of
the table without --funder, in the workbook, by_status.csv and the page
(in chromium), for a journal and a dataset.  With nothing at all, the
one refusal.  Figures worked by hand, in pounds."""
from __future__ import annotations

import pytest

from tests.reports.test_html import browser  # noqa: F401  (a fixture)
from tests.reports.test_outstanding12 import _journal, _page_rows, _sheet, _table
from tests.reports.test_page_depth21 import _csv, _report, _total

K = 1_000
ENTRIES = {
    "p1": ("2016-05-01", "FR:MI", 1000 * K, "pledged", None),
    "p2": ("2016-06-01", "UK:HO", 3000 * K, "pledged", None),
    "d2": ("2017-02-10", "UK:HO", 1000 * K, "disbursed", ("disburses", "p2")),
    "d3": ("2018-05-01", "FR:MI", 500 * K, "disbursed", ("disburses", "p2")),
}
# from 2018-01-01 only d3 is kept: it pays UK:HO's p2 (dated 2016, left
# out by the date): UK:HO total 0, paid £500k, outstanding -£500k; FR:MI
# paid it for others
WANT = {"UK:HO": (0, 500 * K, -500 * K, 0)}


def test_the_row_is_the_unfiltered_tables(tmp_path):
    import datetime as dt

    path = _journal(tmp_path / "o.toml", ENTRIES)
    start = dt.date(2018, 1, 1)
    assert _table(path, start=start) == {**WANT, "FR:MI": (0, 0, 0, 500 * K)}
    assert _table(path, start=start, funder=("UK:HO",)) == WANT


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_a_funder_with_paid_alone_is_reported(browser, run_cli, tmp_path, form):  # noqa: F811
    """Before: exit 1, "no entries match the filters"."""
    from tests.reports.test_html import _open

    out = _report(run_cli, tmp_path, form, ENTRIES,
                  ("--funder", "UK:HO", "--from", "2018-01-01"))
    assert _sheet(out) == WANT
    if form == "dataset":
        assert _csv(out / "by_status.csv") == WANT
    _open(browser, out / "report.html")
    assert _page_rows(browser) == {**WANT, "Total": _total(WANT)}


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_nothing_at_all_is_refused(run_cli, tmp_path, form):
    from tests.reports.test_outstanding12 import _dataset

    path = _journal(tmp_path / "o.toml", ENTRIES) if form == "journal" else \
        _dataset(tmp_path / "o.parquet", ENTRIES)
    code, _, err = run_cli("report", str(path), "--out", str(tmp_path / "r"),
                           "--funder", "DE", "--from", "2018-01-01")
    assert code == 1
    assert "no entries match the filters; nothing to report" in err
    assert "Traceback" not in err
    assert not (tmp_path / "r").exists()
