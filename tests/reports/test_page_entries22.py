"""The report page's entries table (reports/page/page.js renderEntries) in
a real browser when a view holds more entries than the table shows at once
(500): on a journal's page, which lists every entry, and on a dataset's,
which lists the largest and groups the rest.  The figures expected are
worked from the ledger's own rows, not from the page or the report.

Skipped, with the reason shown, without chromium, chromium-driver or
selenium (see tests/reports/test_html.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.dataset as pads
import pytest

from tests.conftest import generate_module
from tests.reports.test_html import _browser_or_skip

N = 501             # one more than the table shows at once
ROWS = 500


@pytest.fixture(scope="module")
def browser():
    driver, profile = _browser_or_skip()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _load(driver, page: Path) -> list:
    """Open ``page``; the browser's SEVERE messages (script errors) while it ran."""
    driver.get_log("browser")               # drop earlier pages' messages
    driver.get(page.resolve().as_uri())
    return [x["message"] for x in driver.get_log("browser") if x["level"] == "SEVERE"]


def _rows(driver) -> list[tuple[str, int]]:
    """The entries table's (id, amount in pence) rows."""
    got = driver.execute_script(
        "return Array.from(document.querySelectorAll('#entries-table tbody tr')).map(function (tr) {"
        " return [tr.cells[0].textContent, tr.querySelector('button.amt').getAttribute('data-minor')]; });")
    return [(e, int(m)) for e, m in got]


def _cut(driver) -> dict | None:
    found = driver.find_elements("id", "entries-cut")
    if not found:
        return None
    p = found[0]
    return {"text": p.text, **{k: int(p.get_attribute(f"data-{k}")) for k in ("shown", "listed", "all")}}


def _state(driver) -> tuple[int, int]:
    """The state line's (count of entries, total in pence)."""
    line = driver.find_element("id", "filter-state")
    count = int(line.text.split(" in ")[-1].split(" entr")[0].replace(",", ""))
    return count, int(line.get_attribute("data-total-minor"))


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    """501 one-off pledges, one a funder of five, amounts all different; the
    (id, funder, pence) of each as written."""
    rows = [(f"e{i:03d}", f"F{i % 5}", 100_000 + 37 * i) for i in range(N)]
    text = ['[ledger]\ncurrency = "GBP"\n']
    for eid, funder, pounds in rows:
        text.append(f'[[entry]]\nid = "{eid}"\ndate = 2015-03-01\nfunder = "{funder}"\n'
                    f'purpose = "P{pounds % 7}"\namount = "{pounds}"\ncurrency = "GBP"\n')
    base = tmp_path_factory.mktemp("entries22")
    (base / "j.toml").write_text("\n".join(text), encoding="utf-8")
    from ledger_tool.cli import main
    assert main(["report", str(base / "j.toml"), "--out", str(base / "r")]) == 0
    return base / "r" / "report.html", [(e, f, p * 100) for e, f, p in rows]


def test_a_journal_of_over_500_entries_fills_the_table_and_says_how_many(browser, journal):
    page, rows = journal
    assert _load(browser, page) == []
    largest = sorted(rows, key=lambda r: -r[2])[:ROWS]
    assert _rows(browser) == [(e, m) for e, _, m in largest]       # largest first, as the report
    cut = _cut(browser)
    assert cut is not None and (cut["shown"], cut["listed"], cut["all"]) == (ROWS, N, N)
    assert f"first {ROWS} of these {N} entries" in cut["text"]
    assert "lists" not in cut["text"]           # the page carries every entry: nothing to say of that
    assert _state(browser) == (N, sum(m for _, _, m in rows))
    # one funder's 101 entries: all shown, no note
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element("id", "filter-f")).select_by_value("F1")
    mine = [r for r in rows if r[1] == "F1"]
    assert sorted(_rows(browser)) == sorted((e, m) for e, _, m in mine)
    assert _cut(browser) is None
    assert _state(browser) == (len(mine), sum(m for _, _, m in mine))
    assert [x for x in browser.get_log("browser") if x["level"] == "SEVERE"] == []


def test_a_search_says_how_many_of_the_entries_match(browser, journal):
    page, rows = journal
    assert _load(browser, page) == []
    browser.find_element("id", "entry-search").send_keys("e1")
    want = [(e, m) for e, _, m in rows if "e1" in e]
    assert sorted(_rows(browser)) == sorted(want)
    assert browser.find_element("id", "entry-count").text == \
        f'{len(want)} of the {N} entries match "e1".'
    assert _cut(browser) is None


def test_a_datasets_page_says_what_it_lists_and_what_it_shows(browser, tmp_path, run_cli):
    """520 generated entries, the page listing the 510 largest: the table
    shows 500, the note says 500 of the 510 listed and 520 in all (the
    dataset's distinct ids)."""
    dataset = tmp_path / "gen.parquet"
    generate_module().write_dataset(dataset, 520, seed=5, chunk=260)
    raw = pads.dataset(dataset, format="parquet", partitioning="hive").to_table(
        columns=["id", "disburses", "part_of", "restates"]).to_pylist()
    ids = {r["id"] for r in raw}
    assert len(ids) == 520
    # counted: the entries linked to none (their money is not already in another's)
    counted = {r["id"] for r in raw if not (r["disburses"] or r["part_of"] or r["restates"])}
    code, _, err = run_cli("report", dataset, "--out", tmp_path / "r", "--entries-sheet-limit", "510")
    assert code == 0, err
    assert _load(browser, tmp_path / "r" / "report.html") == []
    shown = _rows(browser)
    assert len(shown) == ROWS and {e for e, _ in shown} <= ids
    cut = _cut(browser)
    assert cut is not None and (cut["shown"], cut["listed"], cut["all"]) == (ROWS, 510, len(ids))
    assert f"first {ROWS} of these 510 entries" in cut["text"]
    assert f"lists 510 of the {len(ids):,} entries" in cut["text"]
    assert "Totals above count every counted entry" in cut["text"]     # not "every entry": some are linked
    assert _state(browser)[0] == len(counted) < len(ids)   # the linked ones are said apart
