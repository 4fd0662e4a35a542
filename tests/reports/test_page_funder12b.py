"""The page of `report --funder X` (in chromium): its status table has
X's rows only, never a row of a funder --funder leaves out, and what X
paid of a left-out funder's pledge is X's paid for others, as in the
workbook's By status (docs/reports.md, "Whose row a payment is on").
Figures worked by hand, in pounds."""
from __future__ import annotations

import pytest

from tests.reports.test_html import browser  # noqa: F401  (a fixture)
from tests.reports.test_outstanding12 import _dataset, _journal, _page_rows, _sheet

M = 1_000_000
ENTRIES = {
    "p": ("2016-03-01", "FR:MI", 10 * M, "pledged", None),
    "q": ("2016-04-01", "UK:HO", 3 * M, "pledged", None),
    "s": ("2016-05-01", "UK:BF", 1 * M, "pledged", None),
    "t": ("2017-05-01", "UK:HO", M // 2, "spent", ("disburses", "s")),
    "y": ("2018-06-01", "FR:MI", 2 * M, "disbursed", ("disburses", "q")),
    "x": ("2019-06-01", "UK:HO", 4 * M, "disbursed", ("disburses", "p")),
}
# (total, paid, outstanding, paid for others) of X's row without --funder:
#   FR:MI: p £10m, paid by x £4m; paid y £2m of UK:HO's q
#   UK:HO: q £3m, paid by y £2m; paid x £4m and t £0.5m of others' pledges
WANT = {"FR:MI": (10 * M, 4 * M, 6 * M, 2 * M),
        "UK:HO": (3 * M, 2 * M, 1 * M, 4_500_000)}


def _report(run_cli, tmp_path, form, funder):
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = _journal(tmp_path / "o.toml", ENTRIES) if form == "journal" else \
        _dataset(tmp_path / "o.parquet", ENTRIES)
    out = tmp_path / "r"
    code, _, err = run_cli("report", str(path), "--out", str(out), "--amounts", "exact",
                           "--currency", "GBP", "--funder", funder)
    assert code == 0, err
    return out, err


@pytest.mark.parametrize("form", ["journal", "dataset"])
@pytest.mark.parametrize("funder", ["FR:MI", "UK:HO"])
def test_the_page_of_funder_has_its_rows_only(browser, run_cli, tmp_path,  # noqa: F811
                                              form, funder):
    """Before: --funder FR:MI gave rows FR:MI and UK:HO (0, 2m, -2m, 0) and
    FR:MI paid for others 0; --funder UK:HO rows FR:MI and UK:BF with
    negative outstanding."""
    from tests.reports.test_html import _open

    out, _ = _report(run_cli, tmp_path, form, funder)
    assert _sheet(out) == {funder: WANT[funder]}
    _open(browser, out / "report.html")
    got = _page_rows(browser)
    assert set(got) == {funder, "Total"}
    total, _, _, others = got[funder]
    assert (total, others) == (WANT[funder][0], WANT[funder][3])
    assert all(v[2] >= 0 for v in got.values())


@pytest.mark.parametrize("form", ["journal", "dataset"])
@pytest.mark.parametrize("funder", ["FR:MI", "UK:HO"])
def test_the_page_of_funder_counts_what_others_paid(browser, run_cli, tmp_path,  # noqa: F811
                                                    form, funder):
    """X's paid counts what funders --funder leaves out paid of X's pledges
    (before: FR:MI paid 0 on the page), under the page's own filters too:
    the year of x (2019) keeps FR:MI's paid £4m; 2018 (y) gives UK:HO £2m."""
    from tests.reports.test_html import _choose, _open

    out, _ = _report(run_cli, tmp_path, form, funder)
    _open(browser, out / "report.html")
    assert _page_rows(browser) == {funder: WANT[funder], "Total": WANT[funder]}
    year = {"FR:MI": "2019", "UK:HO": "2018"}[funder]
    _choose(browser, "y", year)
    got = _page_rows(browser)
    assert got[funder][1] == WANT[funder][1]
    browser.find_element("id", "clear-filters").click()
    _choose(browser, "f", funder)
    assert _page_rows(browser)[funder] == WANT[funder]


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_a_note_names_the_payments_by_left_out_funders(run_cli, tmp_path, form):
    """--funder FR:MI: its paid counts x (UK:HO's), which no sheet lists;
    --funder UK:BF: t (UK:HO's)."""
    for funder, paid_by in (("FR:MI", "x"), ("UK:BF", "t")):
        _, err = _report(run_cli, tmp_path / funder.replace(":", ""), form, funder)
        line = next(n for n in err.splitlines() if "--funder leaves out" in n)
        assert "1 payment " in line and line.endswith(f"({paid_by}).")
