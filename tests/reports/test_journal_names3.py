"""hledger account names: every ledger account kept apart, or the export
refused naming the two that would meet (as for beancount).

Checked with the real hledger: its per-account balances of the export equal
figures worked out by hand (each purpose gets a distinct power of two, so a
merge or a lost account shows in the sums) and ledger-tool's own balances."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from decimal import Decimal

import pytest

import ledger
from reports import export
from reports.journal_names import hledger_account
from tests.ledger.read.test_dataset import write_dataset

# purpose -> pounds; hledger reads brackets, ';', '#', '@' and '=' inside a
# name as text, and one no-break space as a space
PURPOSES = {"Aid": 1, "(Aid)": 2, "Relief (UN)": 4, "[Aid]": 8, "A;B # c @ d = e": 16,
            "Food\u00a0aid": 32, "Relief (UN):Camps": 64, "(Aid):x": 128}
# hledger's balances (parents include their children), by hand
EXPECTED = {"Purposes:Aid": 1, "Purposes:(Aid)": 2 + 128, "Purposes:(Aid):x": 128,
            "Purposes:Relief (UN)": 4 + 64, "Purposes:Relief (UN):Camps": 64,
            "Purposes:[Aid]": 8, "Purposes:A;B # c @ d = e": 16, "Purposes:Food aid": 32,
            "Purposes": 255, "Funders:UK": -255}


def _hledger():
    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed: apt-get install hledger")
    return exe


def _ledger(tmp_path, purposes: dict[str, int], name="l"):
    d = tmp_path / name
    d.mkdir()
    (d / "ledger.toml").write_text('[ledger]\ncurrency = "GBP"\n\n' + "".join(
        f'[[entry]]\nid = "e{k}"\ndate = 2020-01-01\nfunder = "UK"\npurpose = "{p}"\n'
        f'amount = "£{v}"\n\n' for k, (p, v) in enumerate(purposes.items())), encoding="utf-8")
    return d


def _hledger_balances(exe, journal) -> dict[str, Decimal]:
    out = subprocess.run([exe, "-f", str(journal), "bal", "-B", "-N", "--tree", "-O", "csv"],
                         capture_output=True, text=True, check=True).stdout
    return {r["account"]: Decimal(r["balance"].removesuffix(" GBP"))
            for r in csv.DictReader(io.StringIO(out))}


@pytest.mark.parametrize("basis", ["total", "recorded"])
def test_hledger_keeps_every_account_apart(tmp_path, run_cli, basis):
    exe = _hledger()
    book = _ledger(tmp_path, PURPOSES)
    journal = tmp_path / "h.journal"
    code, _, err = run_cli("export", book, "--to", "hledger", "--basis", basis, "-o", journal)
    assert code == 0, err
    hl = _hledger_balances(exe, journal)
    assert {a: hl.get(a) for a in EXPECTED} == {a: Decimal(v) for a, v in EXPECTED.items()}
    code, out, err = run_cli("balance", book, "--currency", "GBP", "--format", "csv")
    assert code == 0, err
    ours = {hledger_account(r["account"]): Decimal(r["amount"])
            for r in csv.DictReader(io.StringIO(out)) if r["account"] != "(total)"}
    assert {a: ours[a] for a in hl} == hl     # each account hledger shows, as ledger-tool counts it
    assert len(ours) == len(PURPOSES) + 1 + 2   # the leaves, "(Aid)" and "Relief (UN)" shown once


@pytest.mark.parametrize("a,b,both", [
    ("Aid  UK", "Aid UK", "Purposes:Aid UK"),              # two spaces would end the name
    ("Aid\u00a0UK", "Aid UK", "Purposes:Aid UK"),          # hledger reads a no-break space as one
    ("Aid\u2003 UK:X", "Aid UK", "Purposes:Aid UK"),        # a parent: its balance takes in the other
])
def test_names_hledger_would_merge_are_refused(tmp_path, run_cli, a, b, both):
    book = _ledger(tmp_path, {a: 100, b: 200})
    journal = tmp_path / "h.journal"
    code, out, err = run_cli("export", book, "--to", "hledger", "-o", journal)
    assert code == 1 and out == ""
    line = [ln for ln in err.splitlines() if "both become" in ln]
    assert len(line) == 1 and "Traceback" not in err
    assert f"{both!r} in hledger" in line[0]
    assert not journal.exists()


def test_a_parent_beancount_would_merge_is_refused(tmp_path):
    """"Home Office:A" and "Home-Office:B" differ, but beancount's parent
    Home-Office would hold both."""
    book = ledger.load(_ledger(tmp_path, {"Home Office:A": 1, "Home-Office:B": 2}), use_cache=False)
    with pytest.raises(ledger.LedgerError, match="'Purposes:Home Office' and 'Purposes:Home-Office' "
                                                 "both become 'Expenses:Purposes:Home-Office'"):
        export.beancount(book, currency="GBP", basis="recorded")


@pytest.mark.parametrize("name,spelt", [
    ("Purposes:(Aid)", "Purposes:(Aid)"),
    ("Purposes:Relief (UN)", "Purposes:Relief (UN)"),
    ("Funders:[UK]:x", "Funders:[UK]:x"),
    ("Purposes:Aid  UK", "Purposes:Aid UK"),
    ("Purposes:Aid\u00a0\u2003UK:a\u3000b", "Purposes:Aid UK:a b"),
    ("Purposes:a\u2028b", "Purposes:a\u2028b"),       # not white space to hledger: kept
])
def test_hledger_account_changes_only_white_space(name, spelt):
    assert hledger_account(name) == spelt


def test_a_dataset_refuses_names_merged_across_partitions(tmp_path, run_cli):
    """A partitioned dataset: "Aid  UK" in 2019's partition, "Aid UK" in
    2020's; each partition alone is fine, the file would merge them."""
    rows = [{"id": "a", "date": "2019-01-01", "funder": "UK", "purpose": "Aid  UK", "amount": "1",
             "currency": "GBP", "sources": "d"},
            {"id": "b", "date": "2020-01-01", "funder": "UK", "purpose": "Aid UK", "amount": "2",
             "currency": "GBP", "sources": "d"}]
    ds = write_dataset(tmp_path / "in.parquet", rows)
    journal = tmp_path / "h.journal"
    code, out, err = run_cli("export", ds, "--to", "hledger", "-o", journal)
    assert code == 1 and out == "", err
    assert "'Purposes:Aid UK' in hledger" in err and "Traceback" not in err
    assert not journal.exists()
