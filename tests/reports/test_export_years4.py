"""The hledger export's own advice, run with the real hledger (hunt 5,
findings 3 and 4): the command its header gives must show what ledger-tool
shows, by fiscal year as by calendar year, and on the recorded basis."""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest

from tests.conftest import REPO

HARBOUR = REPO / "examples" / "harbour"


def _hledger() -> str:
    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed: apt-get install hledger")
    return exe


def _cli(*args) -> str:
    run = subprocess.run([sys.executable, "-m", "ledger_tool", *map(str, args)], cwd=REPO,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


def _balance_by_year(ledger, by: str) -> dict[tuple[str, str], Decimal]:
    rows = json.loads(_cli("balance", ledger, "--currency", "GBP", "--by", by,
                           "--format", "json"))
    return {(r["account"], str(r["year"])): Decimal(r["amount"]) for r in rows
            if r["account"] != "(total)" and Decimal(r["amount"])}


def _hledger_by_year(journal, period_args) -> dict[tuple[str, str], Decimal]:
    run = subprocess.run([_hledger(), "-f", str(journal), "bal", "-B", "not:tag:secondary",
                          *period_args, "-O", "csv", "-N", "--tree", "--no-elide"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    head, *body = csv.reader(run.stdout.splitlines())
    out = {}
    for row in body:
        for col, cell in zip(head[1:], row[1:]):
            if cell.strip() and cell.strip() != "0":
                out[(row[0], _label(col))] = Decimal(cell.split()[0].replace(",", ""))
    return out


def _label(column: str) -> str:
    """'2023-04-01..2024-03-31' -> '2023-24'; '2023' stays."""
    m = re.fullmatch(r"(\d{4})-\d\d-\d\d\.\.(\d{4})-\d\d-\d\d", column)
    return f"{m[1]}-{m[2][2:]}" if m else column


def _advice(journal) -> list[str]:
    head = next(ln for ln in journal.read_text(encoding="utf-8").splitlines()
                if ln.startswith("; converted totals:"))
    m = re.search(r"by year: (-Y|-p '([^']+)')", head)
    assert m, head
    return ["-Y"] if m[1] == "-Y" else ["-p", m[2]]


@pytest.mark.parametrize("start", [None, "07-01"])
def test_the_headers_by_year_advice_gives_the_balance_by_fiscal_year(tmp_path, start):
    ledger = HARBOUR
    if start:   # the ledger's own fiscal year, from 1 July
        ledger = tmp_path / "harbour"
        shutil.copytree(HARBOUR, ledger)
        toml = ledger / "ledger.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace(
            'fiscal_year_start = "04-01"', f'fiscal_year_start = "{start}"'), encoding="utf-8")
    journal = tmp_path / "hy.journal"
    _cli("export", ledger, "-o", journal, "--years", "fiscal")
    advice = _advice(journal)
    assert advice == ["-p", f"every {int((start or '04-01')[:2])}/1"]
    got = _hledger_by_year(journal, advice)
    assert got == _balance_by_year(ledger, "fiscal-year")
    assert {y for _, y in got} >= {"2023-24", "2024-25"}


def test_the_calendar_export_still_advises_y(tmp_path):
    journal = tmp_path / "h.journal"
    _cli("export", HARBOUR, "-o", journal)
    assert _advice(journal) == ["-Y"]
    assert _hledger_by_year(journal, ["-Y"]) == _balance_by_year(HARBOUR, "year")


H1 = """[[entry]]
id = "a"
date = 2020-01-01
funder = "UK:HO"
purpose = "P:X"
amount = "£10 million a year for 2 years"

[[entry]]
id = "c"
date = 2021-01-01
funder = "UK:HO"
purpose = "P:X"
amount = "£4 million"
disburses = "a"
status = "disbursed"

[[entry]]
id = "d"
date = 2020-06-15
funder = "US:State"
amount = "$6 million"
period = "over 2 years"
  [[entry.split]]
  purpose = "P:X"
  amount = "$2 million"
  [[entry.split]]
  purpose = "P:Z"
  amount = "$4 million"
"""


def _half_up(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def test_the_recorded_export_gives_balance_basis_recorded_to_the_penny(tmp_path):
    exe = _hledger()
    ledger = tmp_path / "h1"
    ledger.mkdir()
    (ledger / "ledger.toml").write_text('[ledger]\nname = "h1"\ncurrency = "GBP"\n',
                                        encoding="utf-8")
    (ledger / "pledges.toml").write_text(H1, encoding="utf-8")
    journal = tmp_path / "h1r.journal"
    _cli("export", ledger, "-o", journal, "--basis", "recorded")
    text = journal.read_text(encoding="utf-8")
    head = next(ln for ln in text.splitlines() if ln.startswith("; converted totals:"))
    assert "hledger bal -B" in head and "not:tag:^secondary$" in head, head
    run = subprocess.run([exe, "-f", str(journal), "bal", "-B", "not:tag:secondary", "-O",
                          "csv", "-N", "--tree", "--no-elide"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    got = {row[0]: Decimal(row[1].split()[0].replace(",", ""))
           for row in list(csv.reader(run.stdout.splitlines()))[1:]}
    rows = json.loads(_cli("balance", ledger, "--currency", "GBP", "--basis", "recorded",
                           "--format", "json"))
    want = {r["account"]: Decimal(r["amount"]) for r in rows if r["account"] != "(total)"}
    assert got == want
    # by hand: c counted once (by a), and the split entry converted once at the
    # rate stated (as -X rounds it), its parts sharing that by largest remainder
    rate = Decimal(re.search(r"^P 2020-06-15 USD (\S+) GBP", text, re.M)[1])
    whole = _half_up(6_000_000 * rate)
    cents = int(whole * 100)
    x, z = cents * 2 // 6, cents * 4 // 6
    if cents - x - z:     # the unit left goes to the larger remainder (earlier on a tie)
        if (cents * 2 % 6) >= (cents * 4 % 6):
            x += 1
        else:
            z += 1
    assert got["Funders:US:State"] == -whole
    assert got["Funders:UK:HO"] == Decimal("-10000000.00")
    assert got["Purposes:P:X"] == Decimal("10000000.00") + Decimal(x) / 100
    assert got["Purposes:P:Z"] == Decimal(z) / 100
