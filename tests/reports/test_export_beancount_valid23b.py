"""Every account the beancount export writes passes beancount's own
``account.is_valid`` (review of fix23, finding 3): components like "日本"
or "ßeta", or with combining marks and variation selectors, passed the
lexer and bean-check but not ACCOUNT_RE (a capital letter or decimal digit
first, then letters, decimal digits and '-'), which bean-format uses: it
left their postings unaligned.  Checked with beancount's function, the real
bean-check and bean-format."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.journal_names import beancount_account, beancount_component
from tests.reports.test_export_beancount_names23 import exported_weights

# (funder, purpose, £m): every name distinct, so every account is
NAMES = [("日本:外務省", "援助", 1), ("中国", "ßeta", 2), ("Ελλάδα", "e\ufe0fx", 4),
         ("हिन्दी", "한국 지원", 8), ("Société Générale", "١٢٣", 16), ("ǆx", "援助", 32)]


def _ledger(names) -> str:
    return '[ledger]\ncurrency = "GBP"\n\n' + "".join(
        f'[[entry]]\nid = "c{i}"\ndate = 2015-01-01\nfunder = "{f}"\npurpose = "{p}"\n'
        f'amount = "£{m}m"\n\n' for i, (f, p, m) in enumerate(names))


def _tool(name: str) -> str:
    pytest.importorskip("beancount", reason="beancount not installed: pip install -e '.[test]'")
    exe = Path(sys.executable).with_name(name)
    found = str(exe) if exe.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} not installed: pip install -e '.[test]'")
    return found


def test_every_account_is_valid_and_distinct_names_stay_distinct(tmp_path, run_cli):
    check, fmt = _tool("bean-check"), _tool("bean-format")
    from beancount.core import account

    got = exported_weights(tmp_path, run_cli, _ledger(NAMES), check)
    out = tmp_path / "j.beancount"
    assert all(account.is_valid(a) for a in got), list(got)
    want: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for f, p, m in NAMES:
        want[("Funders", f)] -= Decimal(m) * 1_000_000
        want[("Purposes", p)] += Decimal(m) * 1_000_000
    assert sorted(got.values()) == sorted(want.values())     # one account per name
    # bean-format aligns every posting's amount: it recognised every account
    run = subprocess.run([fmt, str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    cols = {len(m.group(1)) for m in re.finditer(r"^(  \S+\s+-?\d+)\.", run.stdout, re.M)}
    assert len(cols) == 1, run.stdout


def test_a_true_clash_is_refused_in_one_line(tmp_path, run_cli):
    (tmp_path / "j.toml").write_text(_ledger([("日本", "P", 1), ("X 日本", "P", 2)]),
                                     encoding="utf-8")
    code, _, err = run_cli("export", tmp_path / "j.toml", "--to", "beancount", "-o",
                           tmp_path / "j.beancount")
    assert code == 1
    assert err.count("\n") == 1 and "both become 'Income:Funders:X-日本'" in err, err


@given(st.text(min_size=1, max_size=8))
def test_every_component_passes_beancounts_check(name):
    account = pytest.importorskip("beancount.core.account")
    assert account.is_valid(beancount_account("Funders:" + name))
    assert account.is_valid(beancount_account(name + ":x"))


@pytest.mark.parametrize("name, component", [
    ("Home Office", "Home-Office"), ("Łódź", "Łodz"), ("Société Générale", "Societe-Generale"),
    ("ωμέγα", "Ωμέγα"), ("日本", "X-日本"), ("ßeta", "SSeta"), ("日本\ufe0f", "X-日本"),
])
def test_components(name, component):
    assert beancount_component(name) == component
