"""The recorded hledger export's header advises only the commands that give
``balance --basis recorded``'s figures, checked with the real hledger: ``-B``
always; ``-X GBP --value=then`` only when no entry is valued at another
day's rate (a value_date), since -X prices a posting at its entry date."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

# "v" is valued at 2 January 2017's rate (its value_date); "w" prices
# 30 April 2019, the last P directive -X finds for v's entry date
LEDGER = """\
[ledger]
name = "vd"
currency = "GBP"

[[entry]]
id = "v"
date = 2019-05-01
{value_date}funder = "EU"
purpose = "Aid"
amount = "€1,000,000"

[[entry]]
id = "w"
date = 2019-04-30
funder = "EU"
purpose = "Food"
amount = "€1,000"
"""


def _hledger() -> str:
    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed (apt-get install hledger)")
    return exe


def _ledger(tmp_path, value_date: bool) -> Path:
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "ledger.toml").write_text(
        LEDGER.format(value_date="value_date = 2017-01-02\n" if value_date else ""),
        encoding="utf-8")
    return tmp_path / "L"


def _ours(run_cli, ledger) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", ledger, "--currency", "GBP", "--basis", "recorded",
                             "--format", "csv")
    assert code == 0, err
    return {r["account"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"].startswith("Purposes:")}


def _advised(header: str) -> list[list[str]]:
    """Each `hledger bal …` option set the header advises (not one it
    advises against)."""
    got = []
    for line in header.splitlines():
        m = re.match(r"; (?:converted totals: |or )hledger bal ((?:-\S+(?: [A-Z]{3})? ?)+)", line)
        if m:
            got.append([o.rstrip(":") for o in m[1].split()])
    return got


def _theirs(exe, journal, options) -> dict[str, Decimal]:
    out = subprocess.run([exe, "-f", str(journal), "bal", *options, "--flat", "-N", "-O", "csv",
                          "Purposes", "not:tag:secondary"],
                         capture_output=True, text=True, check=True).stdout
    return {r["account"]: Decimal(r["balance"].replace("GBP", "").replace(",", "").strip())
            for r in csv.DictReader(io.StringIO(out))}


@pytest.mark.parametrize("value_date", [True, False])
def test_every_advised_command_gives_our_figures(tmp_path, run_cli, value_date):
    exe = _hledger()
    ledger = _ledger(tmp_path, value_date)
    journal = tmp_path / "vd.journal"
    code, _, err = run_cli("export", ledger, "--to", "hledger", "--basis", "recorded",
                           "-o", journal)
    assert code == 0, err
    header = "\n".join(ln for ln in journal.read_text(encoding="utf-8").splitlines()
                       if ln.startswith(";"))
    advised = _advised(header)
    assert ["-B"] in advised
    x = ["-X", "GBP", "--value=then"]
    assert (x in advised) is not value_date
    ours = _ours(run_cli, ledger)
    for options in advised:
        assert _theirs(exe, journal, options) == ours, options
    if value_date:    # the advice against -X is right: it gives another figure
        assert "not -X GBP --value=then" in header
        assert _theirs(exe, journal, x)["Purposes:Aid"] != ours["Purposes:Aid"]
