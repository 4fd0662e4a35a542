"""The report page's timeline chart (reports/page/page.js timeline) in a
real browser when there are more funders than colours: the clause saying
that the smaller funders are summed as one bar survives a phone-width
window, a subtitle cut short ends with an ellipsis, and only the "(other)"
bar is grey.  The funder counts expected are worked from the ledger as
written.

Skipped, with the reason shown, without chromium, chromium-driver or
selenium (see tests/reports/test_html.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reports.test_html import _browser_or_skip

KEPT = 9            # funders with a bar of their own


@pytest.fixture(scope="module")
def browser():
    driver, profile = _browser_or_skip()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _report(base: Path, rows: list[tuple[str, int, str]], *args: str) -> Path:
    """A journal of 2015 pounds pledges (funder, pounds, period); its page."""
    text = ['[ledger]\ncurrency = "GBP"\n']
    for k, (funder, pounds, period) in enumerate(rows):
        text.append(f'[[entry]]\nid = "e{k}"\ndate = 2015-03-01\nfunder = "{funder}"\n'
                    f'purpose = "P"\namount = "{pounds}"\ncurrency = "GBP"\n'
                    + (f'period = "{period}"\n' if period else ""))
    (base / "j.toml").write_text("\n".join(text), encoding="utf-8")
    from ledger_tool.cli import main
    assert main(["report", str(base / "j.toml"), "--out", str(base / "r"), *args]) == 0
    return base / "r" / "report.html"


def _open(driver, page: Path) -> list:
    driver.get_log("browser")
    driver.get(page.resolve().as_uri())
    return [x["message"] for x in driver.get_log("browser") if x["level"] == "SEVERE"]


def _subtitle(driver) -> list[str]:
    return [t.text for t in driver.find_elements("css selector", "#chart-timeline text.subtitle")]


def test_on_a_phone_the_others_clause_is_never_cut(browser, tmp_path):
    """11 funders, one pledging "a year" (a horizon to state), valued at
    yearly averages in constant prices: a long subtitle, five lines at
    390 pixels."""
    rows = [(f"F{i:02d}", 1000 + 100 * i, "a year" if i == 0 else "") for i in range(11)]
    (tmp_path / "defl.csv").write_text("area,year,index,source\nGBP,2014,98,x\nGBP,2015,100,x\n", encoding="utf-8")
    page = _report(tmp_path, rows, "--valuation", "yearly-average", "--deflator", str(tmp_path / "defl.csv"),
                   "--base-year", "2015")
    from selenium.webdriver.support.ui import Select
    size = browser.get_window_size()
    browser.set_window_size(390, 900)
    try:
        assert _open(browser, page) == []
        clause = f"the {KEPT} largest of {len({r[0] for r in rows})} funders apiece, the others as one"
        for scale in ("linear", "log"):
            Select(browser.find_element("id", "scale")).select_by_value(scale)
            lines = _subtitle(browser)
            assert 1 <= len(lines) <= 5
            assert clause in " ".join(lines), lines
        # the log scale's longer words overflow the five lines: the cut is marked
        assert lines[-1].endswith("…"), lines
        Select(browser.find_element("id", "scale")).select_by_value("linear")
        lines = _subtitle(browser)
        assert lines[-1].endswith("linear scale"), lines       # everything fits: no ellipsis
    finally:
        browser.set_window_size(size["width"], size["height"])


def _grey(fill: str) -> bool:
    r, g, b = (int(fill[k:k + 2], 16) for k in (1, 3, 5))
    return r == g == b


def test_only_the_others_bar_is_grey(browser, tmp_path):
    """70 funders: the 9 largest each a colour of their own, none grey;
    "(other: 61 funders)" grey, and no other bar shares its colour."""
    rows = [(f"F{i:02d}", 1000 + i, "") for i in range(70)]
    assert _open(browser, _report(tmp_path, rows)) == []
    got = browser.execute_script(
        "return Array.from(document.querySelectorAll('#chart-timeline rect.bar')).map(function (r) {"
        " return [r.querySelector('title').textContent, r.getAttribute('fill')]; });")
    fills = {title.rpartition(", 2015: ")[0]: fill for title, fill in got}
    other = f"(other: {70 - KEPT} funders)"
    kept = {f: c for f, c in fills.items() if f != other}
    assert sorted(kept) == [f"F{i:02d}" for i in range(70 - KEPT, 70)]     # the largest
    assert len(set(kept.values())) == KEPT and not any(_grey(c) for c in kept.values()), kept
    assert _grey(fills[other])
