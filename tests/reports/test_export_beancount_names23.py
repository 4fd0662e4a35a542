"""The beancount export keeps non-Latin names (hunt 14, finding 4): funders
日本 and 中国 were refused as "both become Income:Funders:X", though
beancount 3 reads any non-ASCII letter in an account (its lexer's
ACCOUNTNAME: [A-Z0-9] or any UTF-8 character first, then [A-Za-z0-9-] or any
UTF-8 character).  Checked with the real bean-check and beancount's loader."""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from reports.journal_names import beancount_component

LEDGER = '''[ledger]
currency = "GBP"

[[entry]]
id = "c1"
date = 2015-01-01
funder = "日本:外務省"
purpose = "援助"
amount = "£1m"

[[entry]]
id = "c2"
date = 2015-01-01
funder = "中国"
purpose = "援助"
amount = "£2m"

[[entry]]
id = "c3"
date = 2015-01-01
funder = "Ελλάδα"
purpose = "ωμέγα"
amount = "£4m"

[[entry]]
id = "c4"
date = 2015-01-01
funder = "Société Générale"
purpose = "한국 지원"
amount = "£8m"
'''


def _bean_check() -> str:
    pytest.importorskip("beancount", reason="beancount not installed: pip install -e '.[test]'")
    exe = Path(sys.executable).with_name("bean-check")
    found = str(exe) if exe.exists() else shutil.which("bean-check")
    if not found:
        pytest.skip("bean-check not installed: pip install -e '.[test]'")
    return found



def exported_weights(tmp_path, run_cli, ledger_text: str, bean_check: str) -> dict[str, Decimal]:
    """The beancount export of ``ledger_text``, passed by bean-check and
    read by beancount's loader: each account's summed postings."""
    from beancount import loader
    from beancount.core import data

    (tmp_path / "j.toml").write_text(ledger_text, encoding="utf-8")
    out = tmp_path / "j.beancount"
    code, _, err = run_cli("export", tmp_path / "j.toml", "--to", "beancount", "-o", out)
    assert code == 0, err
    run = subprocess.run([bean_check, str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    entries, errors, _ = loader.load_file(str(out))
    assert not errors
    got: dict[str, Decimal] = defaultdict(Decimal)
    for txn in entries:
        if isinstance(txn, data.Transaction):
            for p in txn.postings:
                got[p.account] += p.units.number
    return dict(got)

def test_distinct_non_latin_names_stay_distinct(tmp_path, run_cli):
    got = exported_weights(tmp_path, run_cli, LEDGER, _bean_check())
    assert got == {
        # X-: beancount's account.is_valid wants a capital or digit first (test_*23b)
        "Income:Funders:X-日本:X-外務省": Decimal(-1000000),
        "Income:Funders:X-中国": Decimal(-2000000),
        "Income:Funders:Ελλάδα": Decimal(-4000000),
        "Income:Funders:Societe-Generale": Decimal(-8000000),
        "Expenses:Purposes:X-援助": Decimal(3000000), "Expenses:Purposes:Ωμέγα": Decimal(4000000),
        "Expenses:Purposes:X-한국-지원": Decimal(8000000)}


def test_a_true_clash_is_still_refused(tmp_path, run_cli):
    (tmp_path / "j.toml").write_text(LEDGER.replace('"中国"', '"日本 外務省"').replace(
        '"日本:外務省"', '"日本-外務省"'), encoding="utf-8")
    code, _, err = run_cli("export", tmp_path / "j.toml", "--to", "beancount", "-o",
                           tmp_path / "j.beancount")
    assert code == 1
    assert err.count("\n") == 1 and "both become 'Income:Funders:X-日本-外務省'" in err, err


@pytest.mark.parametrize("name, component", [
    ("ωμέγα", "Ωμέγα"), ("Łódź", "Łodz"), ("Home Office", "Home-Office"),
    ("A\u202eB", "A-B"), ("x\u00a0y", "X-y"), ("😀 Emoji", "Emoji"), ("ｆｕｌｌ", "Full"),
])
def test_components(name, component):
    # a bidi control, a no-break space or a symbol never gets into an account
    assert beancount_component(name) == component
