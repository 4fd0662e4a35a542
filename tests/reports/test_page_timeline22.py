"""The report page's timeline chart (reports/page/page.js timeline) in a
real browser when there are more funders than it has colours (10): the 9
largest get a bar each, the others one bar holding all their money, every
bar wide enough to see and as tall as its amount.  The amounts expected
are worked from the ledger's own rows, not from the page or the report.

Skipped, with the reason shown, without chromium, chromium-driver or
selenium (see tests/reports/test_html.py)."""
from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from tests.reports.test_html import _browser_or_skip

KEPT = 9            # funders with a bar of their own; the 10th colour is the others'


@pytest.fixture(scope="module")
def browser():
    driver, profile = _browser_or_skip()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _report(tmp_path: Path, rows: list[tuple[str, int, int]]) -> Path:
    """A journal of one-off pounds pledges (funder, year, pounds), each
    on 1 March of its year (wholly in that calendar year); its page."""
    text = ['[ledger]\ncurrency = "GBP"\n']
    for k, (funder, year, pounds) in enumerate(rows):
        text.append(f'[[entry]]\nid = "e{k}"\ndate = {year}-03-01\nfunder = "{funder}"\n'
                    f'purpose = "P"\namount = "{pounds}"\ncurrency = "GBP"\n')
    (tmp_path / "j.toml").write_text("\n".join(text), encoding="utf-8")
    from ledger_tool.cli import main
    assert main(["report", str(tmp_path / "j.toml"), "--out", str(tmp_path / "r")]) == 0
    return tmp_path / "r" / "report.html"


def _bars(driver, page: Path) -> tuple[list, list, str]:
    """Open ``page``: the browser's SEVERE messages, the timeline's bars as
    (funder, year, pence, width, height), and its subtitle."""
    driver.get_log("browser")
    driver.get(page.resolve().as_uri())
    errors = [x["message"] for x in driver.get_log("browser") if x["level"] == "SEVERE"]
    got = driver.execute_script(
        "return Array.from(document.querySelectorAll('#chart-timeline rect.bar')).map(function (r) {"
        " return [r.querySelector('title').textContent, r.getAttribute('data-minor'),"
        " r.getAttribute('width'), r.getAttribute('height')]; });")
    bars = []
    for title, minor, width, height in got:
        who, _, _ = title.rpartition(": ")
        funder, _, year = who.rpartition(", ")
        bars.append((funder, year, int(minor), float(width), float(height)))
    sub = " ".join(t.text for t in driver.find_elements("css selector", "#chart-timeline text.subtitle"))
    return errors, bars, sub


def _expected(rows: list[tuple[str, int, int]]) -> dict[tuple[str, str], int]:
    """(bar name, year) -> pence: the 9 funders largest over all years
    apiece, the others summed as "(other: N funders)"."""
    total: dict[str, int] = defaultdict(int)
    for funder, _, pounds in rows:
        total[funder] += pounds * 100
    ranked = sorted(total, key=lambda f: (-total[f], f))
    kept = set(ranked[:KEPT])
    other = f"(other: {len(ranked) - KEPT} funders)"
    out: dict[tuple[str, str], int] = defaultdict(int)
    for funder, year, pounds in rows:
        out[(funder if funder in kept else other, str(year))] += pounds * 100
    return dict(out)


def _check(errors, bars, sub, rows):
    assert errors == []
    assert {(f, y): m for f, y, m, _, _ in bars} == _expected(rows)
    assert len(bars) == len(_expected(rows))
    assert sum(m for _, _, m, _, _ in bars) == sum(p * 100 for _, _, p in rows)
    assert all(w >= 10 for _, _, _, w, _ in bars), sorted({w for *_, w, _ in bars})
    # linear axis (the amounts span less than 100 times): height in proportion to amount
    assert "linear scale" in sub
    per = [h / m for _, _, m, _, h in bars]
    assert max(per) == pytest.approx(min(per), rel=1e-6)
    assert f"the {KEPT} largest of {len({r[0] for r in rows})} funders" in sub


def test_seventy_funders_in_one_year_draw_ten_bars_of_the_right_amounts(browser, tmp_path):
    rows = [(f"F{i:02d}", 2015, 1000 + i) for i in range(70)]
    _check(*_bars(browser, _report(tmp_path, rows)), rows)


def test_thirty_funders_over_twenty_years(browser, tmp_path):
    """30 funders pledging each year 2001-2020 (amounts differing by
    funder and year, so the largest over the years are not the largest in
    each year)."""
    rows = [(f"Funder {i:02d}", y, 5000 + 97 * ((i * 7 + y * 3) % 31) + i)
            for i in range(30) for y in range(2001, 2021)]
    _check(*_bars(browser, _report(tmp_path, rows)), rows)
