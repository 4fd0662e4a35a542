"""Entries of a currency with no published rates, valued by their own
restatements, export as recorded to hledger and beancount even when two
of them are priced on the same day at different rates: their ``@@`` costs
carry each value, so no price directive is written for them, and hledger
``-B`` / beancount's weights equal ``balance --basis recorded``."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from beancount import loader
from beancount.core import convert, data

# two XOF entries priced on 2019-03-01 (b by its value_date) at 0.0013 and
# 0.00135 GBP: the restatements are the values, £1,300 + £2,700 by hand
LEDGER = """\
[ledger]
name = "l4"
currency = "GBP"

[[entry]]
id = "a"
date = 2019-03-01
funder = "X"
purpose = "P"
amount = "1000000"
currency = "XOF"
restated = ["£1,300"]

[[entry]]
id = "b"
date = 2019-05-01
value_date = 2019-03-01
funder = "X"
purpose = "Q"
amount = "2000000"
currency = "XOF"
restated = ["£2,700"]
"""
BY_HAND = {"Purposes:P": Decimal("1300.00"), "Purposes:Q": Decimal("2700.00")}


@pytest.fixture
def ledger(tmp_path) -> Path:
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "ledger.toml").write_text(LEDGER, encoding="utf-8")
    return tmp_path / "L"


def _export(run_cli, ledger, fmt: str, path: Path) -> str:
    code, _, err = run_cli("export", ledger, "--to", fmt, "--basis", "recorded", "-o", path)
    assert code == 0, err
    return path.read_text(encoding="utf-8")


def test_balance_as_recorded_is_the_restatements(run_cli, ledger):
    code, out, err = run_cli("balance", ledger, "--currency", "GBP", "--basis", "recorded",
                             "--format", "csv")
    assert code == 0, err
    got = {r["account"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))}
    assert {k: got[k] for k in BY_HAND} == BY_HAND


def test_hledger_cost_equals_the_restatements(run_cli, ledger, tmp_path):
    text = _export(run_cli, ledger, "hledger", tmp_path / "l4.journal")
    assert not [ln for ln in text.splitlines() if ln.startswith("P ")]
    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed (apt-get install hledger)")
    out = subprocess.run([exe, "-f", str(tmp_path / "l4.journal"), "bal", "-B", "--flat", "-N",
                          "-O", "csv", "Purposes", "not:tag:secondary"],
                         capture_output=True, text=True, check=True).stdout
    theirs = {r["account"]: Decimal(r["balance"].replace("GBP", "").replace(",", "").strip())
              for r in csv.DictReader(io.StringIO(out))}
    assert theirs == BY_HAND


def _bean_check() -> str:
    exe = Path(sys.executable).with_name("bean-check")
    found = str(exe) if exe.exists() else shutil.which("bean-check")
    if found is None:
        pytest.skip("bean-check not installed: pip install -e '.[test]'")
    return found


def test_beancount_weights_equal_the_restatements(run_cli, ledger, tmp_path):
    path = tmp_path / "l4.beancount"
    text = _export(run_cli, ledger, "beancount", path)
    assert " price XOF " not in text
    done = subprocess.run([_bean_check(), str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    entries, errors, _ = loader.load_file(str(path))
    assert not errors
    got: dict[str, Decimal] = {}
    for t in entries:
        if isinstance(t, data.Transaction):
            for p in t.postings:
                if p.account.startswith("Expenses"):
                    w = convert.get_weight(p)
                    assert w.currency == "GBP"
                    got[p.account] = got.get(p.account, Decimal(0)) + w.number
    assert sorted(got.values()) == sorted(BY_HAND.values())
