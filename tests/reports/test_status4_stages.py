"""The status chart's stages, "each stage includes the later ones": per
funder, pledged (every counted entry) >= committed or further >= paid.  A
payment linked to a pledge shows the pledge reached that stage, so
committed or further is never less than paid, in the SVG chart
(reports/charts.py status_stages) and in the page's chart (page.js)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings

from tests.reports.test_html import _open, browser  # noqa: F401  (a fixture)
from tests.reports.test_status4_filter import LEDGER, M, cases

# by hand (tests/reports/test_status4_filter.py's ledger): UK:HO counts the
# pledge a, £20m, pledged; c disburses £4m of it.  Pledged 20m, committed or
# further 4m (the pledge reached disbursed for £4m), paid 4m.
WANT = {"pledged": 20 * M, "committed": 4 * M, "paid": 4 * M}


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    from ledger_tool.cli import main

    d = tmp_path_factory.mktemp("stages")
    (d / "s.toml").write_text(LEDGER, encoding="utf-8")
    assert main(["report", str(d / "s.toml"), "--out", str(d / "r"), "--years", "fiscal",
                 "--amounts", "exact"]) == 0
    return d / "r"


def test_status_stages_count_the_linked_payment():
    from ledger.read import read_book
    from reports.charts import status_stages
    from reports.tables import ReportOptions, build_report

    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "s.toml").write_text(LEDGER, encoding="utf-8")
        report = build_report(read_book(Path(d) / "s.toml"), ReportOptions(currency="GBP"))
    got = status_stages(report).loc["UK:HO"]
    assert {k: int(v) for k, v in got.items()} == WANT


def test_status_chart_svg_shows_committed_or_further(report_dir):
    svg = (report_dir / "chart-status.svg").read_text(encoding="utf-8")
    assert "none committed" not in svg
    assert svg.count("£4,000,000.00") >= 2        # committed or further, and paid


def test_page_status_chart_agrees(browser, report_dir):  # noqa: F811
    _open(browser, report_dir / "report.html")
    bars = browser.find_elements("css selector", "#chart-status rect.bar")
    got = {b.find_element("css selector", "title").get_attribute("textContent")
           .rsplit(": ", 1)[0]: int(b.get_attribute("data-minor")) for b in bars}
    assert got == {"UK:HO, pledged": 20 * M * 100, "UK:HO, committed or further": 4 * M * 100,
                   "UK:HO, paid": 4 * M * 100}


@settings(max_examples=25, deadline=None)
@given(cases)
def test_each_stage_includes_the_later_ones(case):
    """For any links and statuses (payments linked to an entry never more
    than it): per funder pledged >= committed or further >= paid."""
    from ledger.read import read_book
    from reports.charts import status_stages
    from reports.tables import ReportOptions, build_report

    amounts, statuses, links = case
    n = len(amounts)
    for t in range(n):
        assume(sum(amounts[i] for i in range(n) if links[i] and links[i][1] == t) <= amounts[t])
    text = '[ledger]\nname = "p"\ncurrency = "GBP"\n'
    for i in range(n):
        text += (f'\n[[entry]]\nid = "e{i}"\ndate = 2016-05-01\nfunder = "UK"\n'
                 f'purpose = "P"\namount = "about £{amounts[i]}m"\nstatus = "{statuses[i]}"\n')
        if links[i]:
            text += f'{links[i][0]} = "e{links[i][1]}"\n'
    with tempfile.TemporaryDirectory() as d:
        led = Path(d) / "l.toml"
        led.write_text(text, encoding="utf-8")
        book = read_book(led)
        assume(not [p for p in book.problems if p.severity == "error"])
        stages = status_stages(build_report(book, ReportOptions(currency="GBP")))
    paid_by_status = sum(amounts[i] for i in range(n)
                         if links[i] is None and statuses[i] in ("disbursed", "spent")) * M
    for _, row in stages.iterrows():
        assert row["pledged"] >= row["committed"] >= row["paid"] >= paid_by_status
