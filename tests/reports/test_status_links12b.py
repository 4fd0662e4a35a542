"""The status table's rows (docs/reports.md, "Whose row a payment is on")
for a payment linked to pledges of several funders, none its payer's, and
for --funder below a --depth row.  Figures worked by hand."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ledger import read_book
from reports.tables import ReportOptions, build_report
from tests.reports.test_html import browser  # noqa: F401  (a fixture)

M = 1_000_000
COLS = ("total", "paid", "outstanding", "paid for others")


def _journal(path: Path, entries) -> Path:
    """entries: id: (date, funder, £, status, {link kind: id})."""
    text = '[ledger]\nname = "o"\ncurrency = "GBP"\n'
    for i, (date, funder, pounds, status, links) in entries.items():
        text += (f'\n[[entry]]\nid = "{i}"\ndate = {date}\nfunder = "{funder}"\n'
                 f'purpose = "P"\namount = "{pounds}"\ncurrency = "GBP"\nstatus = "{status}"\n')
        text += "".join(f'{k} = "{v}"\n' for k, v in links.items())
    path.write_text(text, encoding="utf-8")
    return path


def _table(path: Path, **options) -> dict[str, tuple[int, ...]]:
    got = build_report(read_book(path, use_cache=False),
                       ReportOptions(currency="GBP", **options)).by_status
    return {str(r["funder"]): tuple(int(Decimal(str(r[c]))) for c in COLS)
            for _, r in got.iterrows()}


SEVERAL = {
    "k": ("2016-03-01", "DE", 4 * M, "pledged", {}),
    "q": ("2016-04-01", "UK:HO", 3 * M, "pledged", {}),
    # FR:MI pays £0.3m that is both part of DE's k and a disbursement of
    # UK:HO's q: no one funder's pledge, and not FR:MI's own
    "m": ("2018-05-01", "FR:MI", 300_000, "disbursed", {"part_of": "k", "disburses": "q"}),
    # DE pays £1m of its own k and of UK:HO's q: DE's own paid
    "n": ("2018-06-01", "DE", 1 * M, "disbursed", {"part_of": "k", "disburses": "q"}),
}


def test_a_payment_of_several_funders_pledges_none_the_payers(tmp_path):
    """Before: FR:MI total 0, paid 300 000, outstanding -300 000."""
    got = _table(_journal(tmp_path / "o.toml", SEVERAL))
    assert got == {"DE": (4 * M, 1 * M, 3 * M, 0),
                   "FR:MI": (0, 0, 0, 300_000),
                   "UK:HO": (3 * M, 0, 3 * M, 0)}
    assert _table(tmp_path / "o.toml", funder=("FR:MI",)) == {"FR:MI": (0, 0, 0, 300_000)}


DEPTH = {
    "a": ("2016-03-01", "UK:HO:A", 3 * M, "pledged", {}),
    "b": ("2016-03-02", "UK:HO:B", 2 * M, "pledged", {}),
    "x": ("2017-03-01", "UK:HO:B", 1 * M, "disbursed", {"disburses": "a"}),
    "y": ("2017-04-01", "UK:HO:A", 500_000, "disbursed", {"disburses": "b"}),
}


def test_funder_below_a_depth_row(tmp_path):
    """At --depth 2 both are row UK:HO: x and y are its own paid (1.5m), no
    paid for others.  --funder UK:HO:B gives B's part of that row: b £2m,
    paid by y £0.5m; x pays A's a, left out: in neither its paid nor its
    paid for others (before: paid for others £1m).  The two parts add up to
    the row."""
    path = _journal(tmp_path / "o.toml", DEPTH)
    assert _table(path, depth=2) == {"UK:HO": (5 * M, 1_500_000, 3_500_000, 0)}
    b = _table(path, depth=2, funder=("UK:HO:B",))
    a = _table(path, depth=2, funder=("UK:HO:A",))
    assert b == {"UK:HO": (2 * M, 500_000, 1_500_000, 0)}
    assert a == {"UK:HO": (3 * M, 1 * M, 2 * M, 0)}


def test_the_page_of_several_funders_pledges(browser, run_cli, tmp_path):  # noqa: F811
    """The page's status table (chromium) as the workbook's: m is FR:MI's
    paid for others, in no one's paid (before: FR:MI paid 300 000, outstanding
    -300 000)."""
    from tests.reports.test_html import _open
    from tests.reports.test_outstanding12 import _page_rows

    path = _journal(tmp_path / "o.toml", SEVERAL)
    code, _, err = run_cli("report", str(path), "--out", str(tmp_path / "r"), "--amounts",
                           "exact", "--currency", "GBP")
    assert code == 0, err
    _open(browser, tmp_path / "r" / "report.html")
    want = {"DE": (4 * M, 1 * M, 3 * M, 0), "FR:MI": (0, 0, 0, 300_000),
            "UK:HO": (3 * M, 0, 3 * M, 0)}
    assert _page_rows(browser) == {**want, "Total": (7 * M, 1 * M, 6 * M, 300_000)}
