"""The report page's state line (reports/page/page.js render) in a real
browser: the count beside the counted total is of the entries that total
adds up, as the by-funder table says, never of the linked entries the view
also holds; its numbers in the page's locale.  The figures expected are
worked from the ledger as written, not from the page or the report.

Skipped, with the reason shown, without chromium, chromium-driver or
selenium (see tests/reports/test_html.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reports.test_html import _browser_or_skip


@pytest.fixture(scope="module")
def browser():
    driver, profile = _browser_or_skip()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _page(driver, base: Path, entries: list[str], *args: str) -> list:
    """Write a journal of ``entries``, report it and open its page; the
    browser's SEVERE messages."""
    (base / "j.toml").write_text('[ledger]\ncurrency = "GBP"\n\n' + "\n".join(entries), encoding="utf-8")
    from ledger_tool.cli import main
    assert main(["report", str(base / "j.toml"), "--out", str(base / "r"), *args]) == 0
    driver.get_log("browser")
    driver.get((base / "r" / "report.html").resolve().as_uri())
    return [x["message"] for x in driver.get_log("browser") if x["level"] == "SEVERE"]


def _pledge(eid: str, pounds: int, extra: str = "") -> str:
    return (f'[[entry]]\nid = "{eid}"\ndate = 2015-03-01\nfunder = "UK"\npurpose = "P"\n'
            f'amount = "{pounds}"\ncurrency = "GBP"\n{extra}')


def _funder_table_count(driver) -> str:
    """The entries cell of the by-funder table's Total row."""
    return driver.execute_script(
        "var r = document.querySelector('#by-funder-table tr.total'); return r.cells[2].textContent;")


def test_a_disbursement_of_a_pledge_is_not_counted_beside_the_total(browser, tmp_path):
    """Pledge a £100 and b £40 disbursing it: £100 counted, from 1 entry
    (b is linked to a, its money already in a's); b said apart."""
    assert _page(browser, tmp_path, [_pledge("a", 100),
                                     _pledge("b", 40, 'status = "disbursed"\ndisburses = "a"\n')]) == []
    line = browser.find_element("id", "filter-state")
    assert int(line.get_attribute("data-total-minor")) == 100_00
    assert "in 1 entry" in line.text, line.text
    assert "1 linked entry not counted" in line.text, line.text
    assert _funder_table_count(browser) == "1"
    # the entries table still lists both, and its note (none here: every entry is shown) stays away
    assert sorted(browser.execute_script(
        "return Array.from(document.querySelectorAll('#entries-table tbody tr')).map(function (tr) {"
        " return tr.cells[0].textContent; });")) == ["a", "b"]


def test_the_count_is_in_the_pages_locale(browser, tmp_path):
    """1,001 one-off pledges, the page in German: "1.001 entries"."""
    n = 1001
    assert _page(browser, tmp_path, [_pledge(f"e{i}", 10 + i) for i in range(n)], "--locale", "de_DE") == []
    line = browser.find_element("id", "filter-state")
    assert int(line.get_attribute("data-total-minor")) == sum(10 + i for i in range(n)) * 100
    assert "in 1.001 entries" in line.text, line.text
    assert "linked" not in line.text
