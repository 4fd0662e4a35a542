"""--status and linked entries: an entry that disburses (restates, is part
of) another whose status --status leaves out counts as itself, so its money
is counted somewhere and outstanding is never negative (docs/reports.md,
"--status and linked entries").  One filter for balance, report and export
(reports/filters.py)."""
from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings

from tests.reports.test_html import browser  # noqa: F401  (a fixture)
from tests.reports.linked_cases import STATUSES, journal_of, linked_cases

openpyxl = pytest.importorskip("openpyxl")

M = 1_000_000
# by hand: a is £10m in each of 2020 and 2021, £20m, pledged; c is £4m of
# it, disbursed.  Unfiltered, UK:HO counts a only: total 20m, paid 4m.
# Under --status disbursed only c passes; a is left out, so c is the only
# entry holding that money: disbursed = total = paid = 4m, outstanding 0.
LEDGER = """[ledger]
name = "s"
currency = "GBP"

[[entry]]
id = "a"
date = 2020-01-01
funder = "UK:HO"
purpose = "P:X"
amount = "£10 million a year for 2 years"
status = "pledged"

[[entry]]
id = "c"
date = 2021-01-01
funder = "UK:HO"
purpose = "P:X"
amount = "£4 million"
disburses = "a"
status = "disbursed"
"""


@pytest.fixture
def ledger(tmp_path) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def _status_sheet(path: Path) -> dict[str, int]:
    ws = openpyxl.load_workbook(path)["By status"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    head = list(rows[1])
    row = next(r for r in rows[2:] if r[0] == "UK:HO")
    return {c: int(Decimal(str(row[head.index(c)]))) for c in
            ("pledged", "committed", "disbursed", "spent", "total", "paid")}


def test_report_status_disbursed_counts_the_disbursement(ledger, run_cli, tmp_path):
    code, out, err = run_cli("report", ledger, "--out", tmp_path / "r", "--status", "disbursed",
                             "--amounts", "exact")
    assert code == 0, err
    assert _status_sheet(tmp_path / "r" / "report.xlsx") == {
        "pledged": 0, "committed": 0, "disbursed": 4 * M, "spent": 0, "total": 4 * M,
        "paid": 4 * M}
    assert "£4,000,000.00" in out.splitlines()[-1]
    assert "counts as itself: c" in err


def test_report_status_pledged_counts_the_pledge(ledger, run_cli, tmp_path):
    code, _, err = run_cli("report", ledger, "--out", tmp_path / "r", "--status", "pledged")
    assert code == 0, err
    assert _status_sheet(tmp_path / "r" / "report.xlsx") == {
        "pledged": 20 * M, "committed": 0, "disbursed": 0, "spent": 0, "total": 20 * M,
        "paid": 0}
    assert "counts as itself" not in err


def test_balance_status_disbursed(ledger, run_cli):
    code, out, err = run_cli("balance", ledger, "--status", "disbursed")
    assert code == 0, err
    lines = {ln.split()[0]: ln.split()[-1] for ln in out.splitlines() if ln.strip()}
    assert lines["Funders"] == "-£4,000,000.00"
    assert lines["Purposes"] == "£4,000,000.00"
    assert "counts as itself: c" in err


cases = linked_cases()


@settings(max_examples=25, deadline=None)
@given(cases)
# a disbursed restatement of a pledge, and a disbursement of that restatement
@example(([1, 1], ["pledged", "disbursed"], (None, ("restates", 0))))
@example(([1, 1, 1], ["pledged", "disbursed", "disbursed"],
          (None, ("restates", 0), ("disburses", 1))))
def test_each_status_counts_its_entries_once(case):
    """Worked out here from the entries as written: under --status S an entry
    of status S counts when it links nowhere or no entry its links lead to,
    link after link, has status S.  Its S column is its total, the other
    columns are 0, outstanding is never negative; the entries of status S
    counted unfiltered are among them, so over the statuses the figures
    add up to the unfiltered total plus the linked entries counted as
    themselves."""
    from ledger.read import read_book
    from reports.tables import ReportOptions, build_report

    amounts, statuses, links = case
    n = len(amounts)
    text = journal_of(amounts, statuses, links)

    def up(i):
        while links[i] is not None:
            i = links[i][1]
            yield i

    def counts_under(i, s):
        return statuses[i] == s and not any(statuses[j] == s for j in up(i))

    with tempfile.TemporaryDirectory() as d:
        led = Path(d) / "l.toml"
        led.write_text(text, encoding="utf-8")
        book = read_book(led)
        assume(not [p for p in book.problems if p.severity == "error"])
        whole = build_report(book, ReportOptions(currency="GBP")).by_status
        alone = summed = 0
        for s in STATUSES:
            if s not in statuses:    # nothing to report (an error of its own)
                continue
            got = build_report(book, ReportOptions(currency="GBP", status=(s,))).by_status
            want = sum(amounts[i] for i in range(n) if counts_under(i, s)) * M
            assert int(got["total"].sum()) == want
            summed += want
            assert int(got[s].sum()) == want
            assert all(int(got[o].sum()) == 0 for o in STATUSES if o != s)
            assert (got["outstanding"].astype(int) >= 0).all()
            unfiltered = int(whole[s].sum()) if len(whole) else 0
            linked_alone = sum(amounts[i] for i in range(n)
                               if links[i] is not None and counts_under(i, s)) * M
            assert want == unfiltered + linked_alone
            alone += linked_alone
    total = sum(amounts[i] for i in range(n) if links[i] is None) * M
    assert summed == total + alone


@pytest.mark.parametrize("fmt, mark", [("hledger", "; secondary: counted by a"),
                                       ("beancount", "secondary: TRUE")])
def test_export_status_disbursed_counts_the_disbursement(ledger, run_cli, tmp_path, fmt, mark):
    """`not:tag:secondary` (hledger) or the secondary metadata (beancount):
    c is counted under --status disbursed, and in its target otherwise."""
    for args, counted in (((), False), (("--status", "disbursed"), True)):
        out = tmp_path / f"x{len(args)}.{fmt}"
        code, _, err = run_cli("export", ledger, "-o", out, "--to", fmt, *args)
        assert code == 0, err
        text = out.read_text(encoding="utf-8")
        assert "id:c" in text.replace('"c"', "c").replace("id: c", "id:c")
        assert (mark not in text) == counted


@pytest.mark.parametrize("status, want", [
    # by hand, as the report's --status (above): the disbursement counts as
    # itself when the page's filter leaves out its pledge
    ("disbursed", {"pledged": 0, "committed": 0, "disbursed": 4 * M, "spent": 0,
                   "total": 4 * M, "paid": 4 * M, "outstanding": 0, "paid for others": 0}),
    ("pledged", {"pledged": 20 * M, "committed": 0, "disbursed": 0, "spent": 0,
                 "total": 20 * M, "paid": 0, "outstanding": 20 * M, "paid for others": 0})])
def test_page_status_filter_counts_as_the_report(browser, ledger, tmp_path, status, want):  # noqa: F811
    from ledger_tool.cli import main
    from tests.reports.test_html import _choose, _open, _total

    assert main(["report", str(ledger), "--out", str(tmp_path / "r")]) == 0
    _open(browser, tmp_path / "r" / "report.html")
    _choose(browser, "s", status)
    heads = [th.text for th in browser.find_elements("css selector", "#by-status-table th")]
    row = next(r for r in browser.find_elements("css selector", "#by-status-table tbody tr")
               if r.find_elements("css selector", "td")[0].text == "UK:HO")
    tds = row.find_elements("css selector", "td")
    got = {}
    for head, td in zip(heads[1:], tds[1:]):
        amt = td.find_elements("css selector", "button.amt")
        got[head] = int(amt[0].get_attribute("data-minor")) // 100 if amt else 0
    assert got == want
    assert _total(browser) == want["total"] * 100
