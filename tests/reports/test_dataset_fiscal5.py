"""A partitioned dataset's hledger export by fiscal years: the header's
advice (`-p 'every M/D'`) names the start the partitions were valued with,
so the real hledger, run as advised, gives the fiscal years by hand.  A
dataset declares no fiscal_year_start (its options are its files'), so
`--years fiscal` starts on 1 April, as a journal without the option;
`--years fiscal-us` on 1 October."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest

from tests.conftest import REPO
from tests.ledger.read.test_dataset import write_dataset

# one-off GBP amounts on both sides of 1 April and of 1 October
ROWS = [
    {"id": "a", "date": "2020-03-31", "funder": "UK", "purpose": "P", "amount": "1000",
     "currency": "GBP"},
    {"id": "b", "date": "2020-04-01", "funder": "UK", "purpose": "P", "amount": "200",
     "currency": "GBP"},
    {"id": "c", "date": "2021-09-30", "funder": "FR", "purpose": "Q", "amount": "30",
     "currency": "GBP"},
    {"id": "d", "date": "2021-10-01", "funder": "FR", "purpose": "Q", "amount": "4",
     "currency": "GBP"},
]
# by hand: the purposes' money per fiscal year, by its first day
BY_HAND = {
    "fiscal": ("every 4/1", {"2019-04-01": 1000, "2020-04-01": 200, "2021-04-01": 34}),
    "fiscal-us": ("every 10/1", {"2019-10-01": 1200, "2020-10-01": 30, "2021-10-01": 4}),
}


def _hledger() -> str:
    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed: apt-get install hledger")
    return exe


@pytest.mark.parametrize("years", sorted(BY_HAND))
def test_the_datasets_fiscal_advice_gives_its_years(tmp_path, years):
    exe = _hledger()
    data = write_dataset(tmp_path / "d.parquet", ROWS)
    journal = tmp_path / "d.journal"
    run = subprocess.run([sys.executable, "-m", "ledger_tool", "export", str(data), "-o",
                          str(journal), "--years", years], cwd=REPO, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    head = next(ln for ln in journal.read_text(encoding="utf-8").splitlines()
                if ln.startswith("; converted totals:"))
    advice = re.search(r"by year: -p '([^']+)'", head)
    period, want = BY_HAND[years]
    assert advice and advice[1] == period, head
    run = subprocess.run([exe, "-f", str(journal), "bal", "-B", "not:tag:secondary", "Purposes",
                          "-p", advice[1], "-O", "csv", "-N", "--depth", "1"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    head_row, *body = csv.reader(run.stdout.splitlines())
    (row,) = [r for r in body if r[0] == "Purposes"]
    got = {col.split("..")[0]: Decimal(cell.split()[0].replace(",", "") or "0")
           for col, cell in zip(head_row[1:], row[1:]) if cell.strip() not in ("", "0")}
    assert got == {k: Decimal(v) for k, v in want.items()}


def test_a_dataset_has_no_fiscal_start_of_its_own(tmp_path):
    """What the header reads (the dataset's options) holds no
    fiscal_year_start: 1 April is the dataset's own start."""
    from ledger.read.dataset import read_dataset_book
    from reports.valuation import ledger_fiscal_start

    book = read_dataset_book(write_dataset(tmp_path / "d.parquet", ROWS))
    assert "fiscal_year_start" not in book.options
    assert ledger_fiscal_start(book) == "04-01"
