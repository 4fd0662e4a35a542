"""``export --to hledger|beancount --basis recorded`` of entries valued at
another day's rate (their ``value_date``, as IATI gives one): the export is
written, and hledger's ``bal -B`` and beancount's weights (each foreign
posting's ``@@`` cost) equal ``balance --basis recorded``, on a hand-made
ledger and on the real IATI fixtures."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

# two EUR entries on the same day, one valued at 3 January's rate
LEDGER = """\
[ledger]
name = "vd"
currency = "GBP"

[[entry]]
id = "on-the-day"
date = 2012-04-02
funder = "EU"
purpose = "Aid:Food"
amount = "1000000"
currency = "EUR"

[[entry]]
id = "earlier-rate"
date = 2012-04-02
value_date = 2012-01-03
funder = "EU"
purpose = "Aid:Health"
amount = "2000000"
currency = "EUR"
"""


def _hledger() -> str:
    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed: apt-get install hledger")
    return exe


def _bean_check() -> str:
    pytest.importorskip("beancount", reason="beancount not installed: pip install -e '.[test]'")
    exe = Path(sys.executable).with_name("bean-check")
    found = str(exe) if exe.exists() else shutil.which("bean-check")
    if not found:
        pytest.skip("bean-check not installed: pip install -e '.[test]'")
    return found


def _converted(run_cli, amount: str, day: str) -> Decimal:
    code, out, err = run_cli("rates", "convert", amount, "EUR", "GBP", "--date", day, "--json")
    assert code == 0, err
    return Decimal(json.loads(out)["amount"])


def _recorded(run_cli, ledger, currency: str) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", ledger, "--currency", currency, "--basis", "recorded",
                             "--format", "csv", "--depth", "1")
    assert code == 0, err
    return {r["account"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))}


def _hledger_costs(path: Path) -> dict[str, Decimal]:
    out = subprocess.run([_hledger(), "-f", str(path), "bal", "-B", "--depth", "1",
                          "not:tag:secondary", "-O", "csv"],
                         capture_output=True, text=True, check=True).stdout
    got = {}
    for r in csv.DictReader(io.StringIO(out)):
        if r["account"].rstrip(":").lower() != "total":
            got[r["account"]] = Decimal(re.sub(r"[^\d.-]", "", r["balance"]))
    return got


def _beancount_weights(path: Path, currency: str) -> dict[str, Decimal]:
    subprocess.run([_bean_check(), str(path)], check=True, capture_output=True)
    from beancount import loader
    from beancount.core import convert, data

    entries, errors, _ = loader.load_file(str(path))
    assert not errors, [e.message for e in errors]
    got: dict[str, Decimal] = {}
    for txn in entries:
        if isinstance(txn, data.Transaction) and "secondary" not in txn.meta:
            for p in txn.postings:
                w = convert.get_weight(p)
                assert w.currency == currency, p
                root = p.account.split(":")[0]
                got[root] = got.get(root, Decimal(0)) + w.number
    return got


def _export(run_cli, ledger, fmt: str, out: Path, currency: str) -> str:
    code, _, err = run_cli("export", ledger, "--to", fmt, "--basis", "recorded",
                           "--currency", currency, "-o", out)
    assert code == 0, err
    return out.read_text(encoding="utf-8")


def test_an_entry_valued_at_another_days_rate_is_exported(tmp_path, run_cli):
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "ledger.toml").write_text(LEDGER, encoding="utf-8")
    want = _recorded(run_cli, tmp_path / "L", "GBP")
    # by hand: each entry at its own day's rate
    total = _converted(run_cli, "1000000", "2012-04-02") + \
        _converted(run_cli, "2000000", "2012-01-03")
    assert want["Purposes"] == total == -want["Funders"]
    text = _export(run_cli, tmp_path / "L", "hledger", tmp_path / "x.journal", "GBP")
    # the price of each day the rates are for, one a day
    assert {m for m in re.findall(r"^P (\S+) EUR", text, re.M)} == {"2012-04-02", "2012-01-03"}
    assert _hledger_costs(tmp_path / "x.journal") == {"Funders": -total, "Purposes": total}
    _export(run_cli, tmp_path / "L", "beancount", tmp_path / "x.beancount", "GBP")
    weights = _beancount_weights(tmp_path / "x.beancount", "GBP")
    assert sum(v for k, v in weights.items() if k == "Expenses") == total
    assert sum(weights.values()) == 0


def test_the_real_iati_fixtures_export_with_their_recorded_totals(tmp_path, run_cli):
    code, _, err = run_cli("import", "--from", "iati", FIXTURES / "real" / "iati",
                           "-o", tmp_path / "i")
    assert code == 0, err
    want = _recorded(run_cli, tmp_path / "i", "USD")
    assert want["Purposes"] > Decimal("1e8")
    _export(run_cli, tmp_path / "i", "hledger", tmp_path / "i.journal", "USD")
    assert _hledger_costs(tmp_path / "i.journal") == {"Funders": want["Funders"],
                                                     "Purposes": want["Purposes"]}
    _export(run_cli, tmp_path / "i", "beancount", tmp_path / "i.beancount", "USD")
    weights = _beancount_weights(tmp_path / "i.beancount", "USD")
    assert weights["Expenses"] == want["Purposes"]
