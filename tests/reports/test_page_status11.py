"""The page's status filter counts a linked entry as itself as `balance
--status` does (docs/reports.md, "Whether a linked entry counts as itself
is decided by statuses alone"), on a journal and on the same entries as a
dataset partitioned by year, where links lead to another year's partition:
each cell's ``a`` bits (``reports.tables.book_statuses_above``) are the
whole dataset's, not its partition's."""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.reports.test_html import browser  # noqa: F401  (a fixture)

STATUSES = ("pledged", "committed", "disbursed", "spent")
# id: (date, funder, purpose, £, status, link, tagged not-counted)
ENTRIES = {
    "a": ("2019-03-01", "UK:HO", "P:X", 20_000_000, "pledged", None, False),
    "h": ("2019-06-01", "FR:MI", "P:Z", 5_000_000, "pledged", None, False),
    "b": ("2020-02-01", "UK:HO", "P:X", 8_000_000, "committed", ("part_of", "a"), False),
    "e": ("2020-04-01", "UK:HO", "P:Y", 6_000_000, "committed", ("part_of", "a"), True),
    "j": ("2020-05-01", "FR:MI", "P:Z", 2_000_000, "committed", None, True),
    "c": ("2021-01-10", "UK:HO", "P:X", 3_000_000, "disbursed", ("disburses", "b"), False),
    "d": ("2021-03-01", "FR:MI", "P:Y", 2_000_000, "disbursed", ("disburses", "a"), False),
    "k": ("2021-07-01", "UK:HO", "P:Y", 1_500_000, "pledged", ("part_of", "j"), False),
    "f": ("2022-02-01", "UK:HO", "P:Y", 4_000_000, "disbursed", ("disburses", "e"), False),
    "i": ("2023-01-01", "FR:MI", "P:Z", 4_000_000, "disbursed", ("disburses", "h"), False),
}
# By hand: a and h link nowhere and count under pledged; e and j are tagged
# not-counted and never count; a linked entry counts under a status set when
# no entry on its chain has a chosen status (the tagged e and j hold their
# linked entries' money): b -> a, c -> b -> a, d -> a, k -> j, f -> e -> a,
# i -> h.  Every link but k's leads to another year.
CHAINS = {"b": "P", "c": "CP", "d": "P", "k": "C", "f": "CP", "i": "P"}


def _counted(chosen: tuple[str, ...]) -> set[str]:
    letters = {s[0].upper() for s in chosen}
    out = {i for i in ("a", "h") if "pledged" in chosen}
    return out | {i for i, chain in CHAINS.items()
                  if ENTRIES[i][4] in chosen and not letters & set(chain)}


SETS = [s for k in range(1, 5) for s in itertools.combinations(STATUSES, k)]
# a few of the figures above, spelt out
assert sum(ENTRIES[i][3] for i in _counted(("committed",))) == 8_000_000
assert sum(ENTRIES[i][3] for i in _counted(("disbursed",))) == 13_000_000
assert sum(ENTRIES[i][3] for i in _counted(("committed", "disbursed"))) == 14_000_000
assert sum(ENTRIES[i][3] for i in _counted(("pledged",))) == 26_500_000

COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "status", "disburses",
           "part_of", "tags"]


def _rows() -> list[dict]:
    rows = []
    for i, (date, funder, purpose, pounds, status, link, tagged) in ENTRIES.items():
        row = dict.fromkeys(COLUMNS, "")
        row.update(id=i, date=date, funder=funder, purpose=purpose, amount=str(pounds),
                   currency="GBP", status=status, tags="not-counted" if tagged else "")
        if link:
            row[link[0]] = link[1]
        rows.append(row)
    return rows


def _journal(path: Path) -> Path:
    text = '[ledger]\nname = "s"\ncurrency = "GBP"\n'
    for i, (date, funder, purpose, pounds, status, link, tagged) in ENTRIES.items():
        text += (f'\n[[entry]]\nid = "{i}"\ndate = {date}\nfunder = "{funder}"\n'
                 f'purpose = "{purpose}"\namount = "{pounds}"\ncurrency = "GBP"\n'
                 f'status = "{status}"\n')
        if link:
            text += f'{link[0]} = "{link[1]}"\n'
        if tagged:
            text += 'tags = ["not-counted"]\n'
    path.write_text(text, encoding="utf-8")
    return path


def _dataset(root: Path) -> Path:
    """The entries as a dataset partitioned by year (one partition each)."""
    by_year: dict[str, list[dict]] = {}
    for r in _rows():
        by_year.setdefault(r["date"][:4], []).append(r)
    for year, rs in by_year.items():
        (root / f"year={year}").mkdir(parents=True)
        pq.write_table(pa.table({c: [r[c] for r in rs] for c in COLUMNS}),
                       root / f"year={year}" / "part-0.parquet")
    return root


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("page11")
    return {"journal": _journal(root / "s.toml"), "dataset": _dataset(root / "ds.parquet")}


def _balance(run_cli, ledger: Path, chosen) -> int:
    """`balance --status ...`'s purposes total in pence (0: nothing left)."""
    code, out, err = run_cli("balance", ledger, "--format", "csv",
                             *[a for s in chosen for a in ("--status", s)])
    if code == 1 and "no entries" in err:
        return 0
    assert code == 0, err
    got = [Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
           if r["account"] == "Purposes"]
    return int(got[0].scaleb(2)) if got else 0


def _page_total(html: Path, chosen) -> int:
    """What page.js shows under the status filter ``chosen``, in pence:
    its countedAlone rule applied to the page's embedded cells (a linked
    cell, ``r`` not 0, counts as itself when its ``a`` bits are set and
    none of them is a chosen status) and the counted cells summed."""
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)'
                                r'</script>', html.read_text(encoding="utf-8"), re.S).group(1))
    cells, dims = data["cells"]["total"], data["dims"]
    bits = sum(1 << k for k, name in enumerate(STATUSES) if name in chosen)
    total = 0
    for n in range(len(cells["m"])):
        if dims["status"][cells["s"][n]] not in chosen:
            continue
        linked, above = cells["r"][n], cells["a"][n]
        if linked == 0 or (above and not above & bits):
            total += int(cells["m"][n])
    return total


def _report(run_cli, ledger: Path, out: Path) -> Path:
    code, _, err = run_cli("report", ledger, "--out", out, "--amounts", "exact",
                           "--currency", "GBP")
    assert code == 0, err
    return out / "report.html"


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_page_counts_as_balance_for_every_status_set(ledgers, run_cli, tmp_path, form):
    """Before the fix the dataset's page counted no linked entry as itself
    (£0 under committed where balance gives £8m; £0 under disbursed, £13m)."""
    html = _report(run_cli, ledgers[form], tmp_path / "r")
    for chosen in SETS:
        want = sum(ENTRIES[i][3] for i in _counted(chosen)) * 100
        assert (_page_total(html, chosen), _balance(run_cli, ledgers[form], chosen)) \
            == (want, want), chosen


def test_dataset_page_in_the_browser(browser, ledgers, run_cli, tmp_path):  # noqa: F811
    """The dataset's page, filtered to committed and disbursed in a real
    browser: b (£8m, part of a pledge in 2019), d (£2m) and i (£4m) count as
    themselves; c's money is b's, f's is held by e (tagged not-counted)."""
    from tests.reports.test_html import _choose, _open, _total

    html = _report(run_cli, ledgers["dataset"], tmp_path / "r")
    _open(browser, html)
    for chosen in (("committed",), ("disbursed",), ("committed", "disbursed")):
        browser.find_element("id", "clear-filters").click()
        _choose(browser, "s", *chosen)
        want = sum(ENTRIES[i][3] for i in _counted(chosen)) * 100
        assert (_total(browser), _balance(run_cli, ledgers["dataset"], chosen)) \
            == (want, want), chosen
