"""A funder whose only entry restates another's pledge has nothing counted,
paid or paid for others: no row of the status table, on the page (in
chromium) as in the workbook's By status and by_status.csv.  Figures
worked by hand, in pounds."""
from __future__ import annotations

import pytest

from tests.reports.test_html import browser  # noqa: F401  (a fixture)
from tests.reports.test_outstanding12 import _page_rows, _sheet
from tests.reports.test_page_depth21 import _csv, _report

K = 1_000
ENTRIES = {
    "Q": ("2016-01-01", "UK:HO", 2000 * K, "pledged", None),
    "r1": ("2016-06-01", "UK:HO:Press", 2000 * K, "pledged", ("restates", "Q")),
    "D1": ("2016-09-01", "UK:HO", 500 * K, "disbursed", ("disburses", "r1")),
    "S": ("2016-02-01", "FR:MI", 100 * K, "spent", None),
}
# UK:HO: Q £2m, paid by D1 (of r1, a restatement of Q) £500k; FR:MI: S £100k
# spent, paid itself; UK:HO:Press: r1 counts nowhere, pays nothing
WANT = {"UK:HO": (2000 * K, 500 * K, 1500 * K, 0), "FR:MI": (100 * K, 100 * K, 0, 0)}
TOTAL = (2100 * K, 600 * K, 1500 * K, 0)


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_a_restatement_alone_is_no_row(browser, run_cli, tmp_path, form):  # noqa: F811
    """Before: the page showed a row UK:HO:Press of zeros the workbook has not."""
    from tests.reports.test_html import _open

    out = _report(run_cli, tmp_path, form, ENTRIES, ())
    assert _sheet(out) == WANT
    if form == "dataset":
        assert _csv(out / "by_status.csv") == WANT
    _open(browser, out / "report.html")
    assert _page_rows(browser) == {**WANT, "Total": TOTAL}
