"""Each year part of an exported entry is dated inside its own year, so
hledger's `bal -Y` and beancount's transaction dates give each year's figure
of `balance --by year`: an entry dated after a part's year ("fiscal year
2001-02" dated 2002-02-13) had its 2001 part dated 2002-02-13 (review4742)."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import generate_module

LATE = """\
[ledger]
name = "fy"
currency = "GBP"

[[entry]]
id = "a"
date = 2002-02-13
funder = "UK:G"
purpose = "X:Y"
amount = "£366"
period = "fiscal year 2001-02"
"""
# by hand: fiscal years from 1 April; 1 Apr 2001 - 31 Mar 2002 has 365 days,
# 275 of them in 2001: 366 * 275/365 = 275.75, 366 * 90/365 = 90.25
LATE_BY_HAND = {"2001": Decimal("275.75"), "2002": Decimal("90.25")}


def _hledger() -> str:
    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed (apt-get install hledger)")
    return exe


def _bean_check() -> str:
    exe = Path(sys.executable).with_name("bean-check")
    found = str(exe) if exe.exists() else shutil.which("bean-check")
    if found is None:
        pytest.skip("bean-check not installed: pip install -e '.[test]'")
    return found


def _balance_by_year(run_cli, ledger, currency) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", ledger, "--by", "year", "--currency", currency,
                             "--format", "csv")
    assert code == 0, err
    return {r["year"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "Purposes" and Decimal(r["amount"])}


def _export(run_cli, ledger, fmt, currency, path: Path) -> None:
    code, _, err = run_cli("export", ledger, "--to", fmt, "--currency", currency, "-o", path)
    assert code == 0, err


def _hledger_by_date_year(run_cli, ledger, currency, tmp_path) -> dict[str, Decimal]:
    exe = _hledger()
    journal = tmp_path / "x.journal"
    _export(run_cli, ledger, "hledger", currency, journal)
    out = subprocess.run([exe, "-f", str(journal), "bal", "-B", "-Y", "--depth", "1",
                          "Purposes", "not:tag:^secondary$", "-N", "-O", "csv"],
                         capture_output=True, text=True, check=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    got = {}
    for row in rows[1:]:
        for year, cell in zip(rows[0][1:], row[1:]):
            v = Decimal(cell.split()[0].replace(",", "")) if cell.strip() else Decimal(0)
            if v:
                got[year] = v
    return got


def _beancount_by_date_year(run_cli, ledger, currency, tmp_path) -> dict[str, Decimal]:
    check = _bean_check()
    from beancount import loader
    from beancount.core import convert, data

    path = tmp_path / "x.beancount"
    _export(run_cli, ledger, "beancount", currency, path)
    done = subprocess.run([check, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    entries, errors, _ = loader.load_file(str(path))
    assert not errors
    got: dict[str, Decimal] = defaultdict(Decimal)
    for t in entries:
        if isinstance(t, data.Transaction) and not t.meta.get("secondary"):
            for p in t.postings:
                if p.account.startswith("Expenses:Purposes"):
                    got[str(t.date.year)] += convert.get_weight(p).number
    return {y: v.quantize(Decimal("0.01")) for y, v in got.items()
            if v.quantize(Decimal("0.01"))}


@pytest.mark.parametrize("tool", [_hledger_by_date_year, _beancount_by_date_year])
def test_a_part_before_the_entry_date_stays_in_its_year(tmp_path, run_cli, tool):
    ledger = tmp_path / "fy.toml"
    ledger.write_text(LATE, encoding="utf-8")
    assert _balance_by_year(run_cli, ledger, "GBP") == LATE_BY_HAND
    assert tool(run_cli, ledger, "GBP", tmp_path) == LATE_BY_HAND


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("tool", [_hledger_by_date_year, _beancount_by_date_year])
def test_generated_ledgers_by_date_year_equal_balance_by_year(tmp_path, run_cli, tool, seed):
    ledger = tmp_path / "g"
    generate_module().write(ledger, 400, seed=seed)
    want = _balance_by_year(run_cli, ledger, "USD")
    assert len(want) > 10
    assert tool(run_cli, ledger, "USD", tmp_path) == want
