"""The page's status table (in chromium) under --funder with --depth: a
payment of a pledge --funder leaves out is in no one's paid; on its payer's
own row (the pledge's funder cut to --depth is the payer's row) it is in
neither that row's paid nor its paid for others, as the workbook's By
status and by_status.csv give it (docs/reports.md, "Whose row a payment is
on").  Figures worked by hand, in pounds."""
from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from tests.reports.test_html import browser  # noqa: F401  (a fixture)
from tests.reports.test_outstanding12 import COLS, _dataset, _journal, _page_rows, _sheet

K = 1_000
# a pledge of UK:HO paid in part by UK:HO:Sub, which pledged one of its own
ONE = {
    "P": ("2016-01-01", "UK:HO", 1000 * K, "pledged", None),
    "D": ("2016-06-01", "UK:HO:Sub", 300 * K, "disbursed", ("disburses", "P")),
    "Q": ("2016-02-01", "UK:HO:Sub", 50 * K, "pledged", None),
}
# the same, the pledge UK:HO:Other's: the two --funder rows add up to UK:HO's
OTHER = {**ONE, "P": ("2016-01-01", "UK:HO:Other", 1000 * K, "pledged", None)}
# FR:MI and UK:HO pay each other's pledges; FR:MI pays UK:HO:Sub's s1
TWO = {
    "p1": ("2016-05-01", "FR:MI", 1000 * K, "pledged", None),
    "p2": ("2016-06-01", "UK:HO", 3000 * K, "pledged", None),
    "d1": ("2017-01-10", "UK:HO", 400 * K, "disbursed", ("disburses", "p1")),
    "d2": ("2017-02-10", "UK:HO", 1000 * K, "disbursed", ("disburses", "p2")),
    "d3": ("2018-05-01", "FR:MI", 500 * K, "disbursed", ("disburses", "p2")),
    "s1": ("2016-07-01", "UK:HO:Sub", 2000 * K, "committed", None),
    "d4": ("2017-03-01", "FR:MI", 300 * K, "disbursed", ("disburses", "s1")),
}
# (total, paid, outstanding, paid for others) by hand:
#   ONE, --funder UK:HO:Sub --depth 2: row UK:HO holds Q £50k alone; D pays
#     P, which the filter leaves out, within the same row: in nothing
#   TWO, --funder FR --funder UK:HO:Sub --depth 1: FR p1 £1m, paid by d1
#     (UK:HO, left out) £400k; FR paid d3 (£500k of p2, left out) and d4
#     (£300k of s1) for others; UK s1 £2m, paid d4 £300k
CASES = {
    "one": (ONE, ("--funder", "UK:HO:Sub", "--depth", "2"),
            {"UK:HO": (50 * K, 0, 50 * K, 0)}),
    "two": (TWO, ("--funder", "FR", "--funder", "UK:HO:Sub", "--depth", "1"),
            {"FR": (1000 * K, 400 * K, 600 * K, 800 * K),
             "UK": (2000 * K, 300 * K, 1700 * K, 0)}),
    "other-sub": (OTHER, ("--funder", "UK:HO:Sub", "--depth", "2"),
                  {"UK:HO": (50 * K, 0, 50 * K, 0)}),
    "other-other": (OTHER, ("--funder", "UK:HO:Other", "--depth", "2"),
                    {"UK:HO": (1000 * K, 300 * K, 700 * K, 0)}),
    "other-all": (OTHER, ("--depth", "2"), {"UK:HO": (1050 * K, 300 * K, 750 * K, 0)}),
}


def _total(rows: dict) -> tuple[int, ...]:
    return tuple(sum(r[k] for r in rows.values()) for k in range(len(COLS)))


def _csv(path) -> dict[str, tuple[int, ...]]:
    return {r["funder"]: tuple(int(Decimal(r[c])) for c in COLS)
            for r in csv.DictReader(path.open(encoding="utf-8"))}


def _report(run_cli, tmp_path, form, entries, options):
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = _journal(tmp_path / "o.toml", entries) if form == "journal" else \
        _dataset(tmp_path / "o.parquet", entries)
    out = tmp_path / "r"
    code, _, err = run_cli("report", str(path), "--out", str(out), "--amounts", "exact",
                           "--currency", "GBP", *options)
    assert code == 0, err
    return out


@pytest.mark.parametrize("form", ["journal", "dataset"])
@pytest.mark.parametrize("case", list(CASES))
def test_page_workbook_and_csv_agree_under_funder_and_depth(browser, run_cli, tmp_path,  # noqa: F811
                                                            form, case):
    """Before: "one" gave the page UK:HO paid £300k, outstanding -£250k;
    "two" gave UK paid £800k (d3 of UK:HO's p2 on UK's row)."""
    from tests.reports.test_html import _open

    entries, options, want = CASES[case]
    out = _report(run_cli, tmp_path, form, entries, options)
    assert _sheet(out) == want
    if form == "dataset":
        assert _csv(out / "by_status.csv") == want
    _open(browser, out / "report.html")
    assert _page_rows(browser) == {**want, "Total": _total(want)}


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_funder_rows_add_up_on_the_page(browser, run_cli, tmp_path, form):  # noqa: F811
    """--funder UK:HO:Sub and --funder UK:HO:Other at --depth 2 add up to
    the unfiltered UK:HO row, on the page as in the workbook."""
    from tests.reports.test_html import _open

    got = []
    for k, funder in enumerate(("UK:HO:Sub", "UK:HO:Other")):
        out = _report(run_cli, tmp_path / str(k), form, OTHER,
                      ("--funder", funder, "--depth", "2"))
        _open(browser, out / "report.html")
        got.append(_page_rows(browser)["UK:HO"])
    assert tuple(a + b for a, b in zip(*got)) == CASES["other-all"][2]["UK:HO"]
