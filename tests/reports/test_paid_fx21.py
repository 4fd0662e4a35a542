"""A payment of a pledge in another currency is valued as the pledge is
valued (docs/reports.md, "Paid in another currency"): its amount in the
pledge's currency at the payment's date, at the pledge's own rate, so a
pledge paid in full is outstanding 0 under every valuation, and total =
paid + outstanding on every row; the exchange difference is said in one
note.  The workbook, by_status.csv and the page (in chromium) agree, for a
journal and a dataset.  Figures by hand from the entries, at the ECB rates
of their dates (rates.convert)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rates import convert
from tests.reports.test_html import browser  # noqa: F401  (a fixture)
from tests.reports.test_outstanding12 import COLUMNS, _page_rows, _sheet
from tests.reports.test_page_depth21 import _csv

K = 1_000
# id: (date, funder, amount, currency, status, link)
FULL = {
    "P": ("2016-03-01", "FR:MI", 1000 * K, "EUR", "pledged", None),
    "D": ("2016-12-01", "UK:HO", 1000 * K, "EUR", "disbursed", ("disburses", "P")),
}
PART = {
    "P": ("2016-03-01", "FR:MI", 1000 * K, "EUR", "pledged", None),
    "D": ("2016-12-01", "UK:HO", 200 * K, "EUR", "disbursed", ("disburses", "P")),
}


def _gbp(amount, day: str) -> Decimal:
    return convert(Decimal(amount), "EUR", "GBP", dt.date.fromisoformat(day)).amount


def _journal(path: Path, entries) -> Path:
    text = '[ledger]\nname = "fx"\ncurrency = "GBP"\n'
    for i, (date, funder, amount, cur, status, link) in entries.items():
        text += (f'\n[[entry]]\nid = "{i}"\ndate = {date}\nfunder = "{funder}"\n'
                 f'purpose = "P"\namount = "{amount}"\ncurrency = "{cur}"\nstatus = "{status}"\n')
        if link:
            text += f'{link[0]} = "{link[1]}"\n'
    path.write_text(text, encoding="utf-8")
    return path


def _dataset(root: Path, entries) -> Path:
    by_year: dict[str, list[dict]] = defaultdict(list)
    for i, (date, funder, amount, cur, status, link) in entries.items():
        row = dict.fromkeys(COLUMNS, "")
        row.update(id=i, date=date, funder=funder, purpose="P", amount=str(amount),
                   currency=cur, status=status)
        if link:
            row[link[0]] = link[1]
        by_year[date[:4]].append(row)
    for year, rows in by_year.items():
        (root / f"year={year}").mkdir(parents=True)
        pq.write_table(pa.table({c: [r[c] for r in rows] for c in COLUMNS}),
                       root / f"year={year}" / "part-0.parquet")
    return root


def _report(run_cli, tmp_path, form, entries, *options):
    path = _journal(tmp_path / "o.toml", entries) if form == "journal" else \
        _dataset(tmp_path / "o.parquet", entries)
    out = tmp_path / "r"
    code, _, err = run_cli("report", str(path), "--out", str(out), "--amounts", "exact",
                           *options)
    assert code == 0, err
    return out, err


@pytest.mark.parametrize("options", [(), ("--valuation", "2016-12-01"),
                                     ("--valuation", "yearly-average"),
                                     ("--currency", "EUR")])
def test_a_pledge_paid_in_full_is_outstanding_0(run_cli, tmp_path, options):
    """Before: entry-date gave FR:MI total £778,000, paid £840,980,
    outstanding -£62,980; yearly-average -£21,497.17 or so."""
    out, _ = _report(run_cli, tmp_path, "journal", FULL, *options)
    rows = _sheet(out)
    total, paid, outstanding, others = rows["FR:MI"]
    assert outstanding == 0 and paid == total > 0
    assert rows["UK:HO"] == (0, 0, 0, paid)


def test_entry_date_figures_and_the_note(run_cli, tmp_path):
    """Entry date: the pledge €1m at 1 March 2016's rate; paid in full, its
    value; the payment at its own date's rate is more by the difference."""
    out, err = _report(run_cli, tmp_path, "journal", FULL)
    pledge, own = _gbp(1000 * K, "2016-03-01"), _gbp(1000 * K, "2016-12-01")
    assert _sheet(out)["FR:MI"] == (int(pledge), int(pledge), 0, 0)
    diff = own - pledge
    assert f"£{diff:,.2f}" in err and "exchange difference" in err


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_a_part_paid_is_its_share_of_the_pledge(browser, run_cli, tmp_path, form):  # noqa: F811
    """€200k of €1m: a fifth of the pledge's value, however the euro moved;
    workbook, by_status.csv and the page agree."""
    from tests.reports.test_html import _open

    out, _ = _report(run_cli, tmp_path, form, PART)
    pledge = _gbp(1000 * K, "2016-03-01")
    fifth = pledge / 5
    want = {"FR:MI": (int(pledge), int(fifth), int(pledge - fifth), 0),
            "UK:HO": (0, 0, 0, int(fifth))}
    assert _sheet(out) == want
    if form == "dataset":
        assert _csv(out / "by_status.csv") == want
    _open(browser, out / "report.html")
    got = _page_rows(browser)
    assert {k: v for k, v in got.items() if k != "Total"} == want
