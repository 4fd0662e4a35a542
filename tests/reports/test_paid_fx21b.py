"""A payment in one year's partition of a dataset of a pledge in another
year's is paid as its pledge is valued (docs/reports.md, "Paid in another
currency"), as in a journal: the first pass carries each pledge's value,
amount and currency across partitions (``reports.dataset.links_part``).
Figures by hand from the entries, at the ECB rates of their dates."""
from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from tests.reports.test_html import browser  # noqa: F401  (a fixture)
from tests.reports.test_outstanding12 import _page_rows, _sheet
from tests.reports.test_paid_fx21 import K, _gbp, _report

# the payment a year after its pledge: 2016's and 2017's partitions
FULL = {
    "P": ("2016-03-01", "FR:MI", 1000 * K, "EUR", "pledged", None),
    "D": ("2017-06-01", "UK:HO", 1000 * K, "EUR", "disbursed", ("disburses", "P")),
}
PART = {
    "P": ("2016-03-01", "FR:MI", 1000 * K, "EUR", "pledged", None),
    "D": ("2017-06-01", "UK:HO", 200 * K, "EUR", "disbursed", ("disburses", "P")),
}
COLS = ("total", "paid", "outstanding", "paid for others")


def _exact(path) -> dict[str, tuple[Decimal, ...]]:
    return {r["funder"]: tuple(Decimal(r[c]) for c in COLS)
            for r in csv.DictReader(path.open(encoding="utf-8"))}


@pytest.mark.parametrize("options", [(), ("--valuation", "2016-12-01"),
                                     ("--valuation", "yearly-average"),
                                     ("--currency", "EUR")])
def test_paid_in_another_partition_is_the_journals(run_cli, tmp_path, options):
    """Paid in full from the next year's partition: outstanding 0, exactly,
    and the workbook as the journal's."""
    for form in ("d", "j"):
        (tmp_path / form).mkdir()
    out, _ = _report(run_cli, tmp_path / "d", "dataset", FULL, *options)
    got = _exact(out / "by_status.csv")
    total, paid, outstanding, _ = got["FR:MI"]
    assert outstanding == 0 and paid == total > 0
    assert got["UK:HO"] == (0, 0, 0, paid)
    journal, _ = _report(run_cli, tmp_path / "j", "journal", FULL, *options)
    assert _sheet(out) == _sheet(journal)


def test_entry_date_by_hand(run_cli, tmp_path):
    """The pledge €1m at 1 March 2016's rate, paid in full: its value, not
    the payment's at 1 June 2017's rate."""
    out, _ = _report(run_cli, tmp_path, "dataset", FULL)
    pledge = _gbp(1000 * K, "2016-03-01").quantize(Decimal("0.01"))
    assert pledge != _gbp(1000 * K, "2017-06-01").quantize(Decimal("0.01"))
    assert _exact(out / "by_status.csv")["FR:MI"] == (pledge, pledge, 0, 0)


def test_a_part_paid_across_partitions_on_the_page(browser, run_cli, tmp_path):  # noqa: F811
    """€200k of €1m from the next year's partition: a fifth of the pledge's
    value; by_status.csv, the workbook and the page agree."""
    from tests.reports.test_html import _open

    out, _ = _report(run_cli, tmp_path, "dataset", PART)
    pledge = _gbp(1000 * K, "2016-03-01")
    fifth = pledge / 5
    want = {"FR:MI": (int(pledge), int(fifth), int(pledge - fifth), 0),
            "UK:HO": (0, 0, 0, int(fifth))}
    assert _sheet(out) == want
    assert {k: tuple(int(x) for x in v) for k, v in _exact(out / "by_status.csv").items()} \
        == want
    _open(browser, out / "report.html")
    assert {k: v for k, v in _page_rows(browser).items() if k != "Total"} == want


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_the_status_filter_counts_a_payment_at_its_own_value(browser, run_cli, tmp_path,  # noqa: F811
                                                             form):
    """The page filtered to disbursed: the payment counts as itself at its
    own value (€1m at 1 June 2017's rate), as `report --status disbursed`
    counts it, not at the pledge-valued paid of the unfiltered page."""
    from tests.reports.test_html import _choose, _open

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    out, _ = _report(run_cli, tmp_path / "a", form, FULL)
    cli, _ = _report(run_cli, tmp_path / "b", form, FULL, "--status", "disbursed")
    own = int(_gbp(1000 * K, "2017-06-01"))
    want = {"UK:HO": (own, own, 0, 0)}
    assert _sheet(cli) == want
    _open(browser, out / "report.html")
    _choose(browser, "s", "disbursed")
    assert {k: v for k, v in _page_rows(browser).items() if k != "Total"} == want
