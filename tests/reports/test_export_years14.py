"""The hledger and beancount exports by year tag every transaction with its
year, a one-off's too, so hledger's `tag:year=Y` and beancount's `year`
metadata give each year's figure of `balance --by year|fiscal-year`; and a
fiscal year is written in the period tag as `list --format csv` writes it
(its dates, for a ledger whose fiscal years start on 1 July)."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

LEDGER = """\
[ledger]
name = "fy14"
currency = "GBP"
fiscal_year_start = "{start}"

[[entry]]
id = "one-a"
date = 2017-08-01
funder = "UK:Gov"
purpose = "Aid:Food"
amount = "£1,000"

[[entry]]
id = "one-b"
date = 2018-03-01
funder = "UK:Gov"
purpose = "Aid:Food"
amount = "£2,000"

[[entry]]
id = "one-c"
date = 2018-07-15
funder = "UK:Gov"
purpose = "Aid:Water"
amount = "£3,000"

[[entry]]
id = "fy-a"
date = 2017-08-01
funder = "UK:Gov"
purpose = "Aid:Food"
amount = "£5,000,000"
period = "fiscal year 2017-18"

[[entry]]
id = "fy-b"
date = 2018-08-01
funder = "UK:Gov"
purpose = "Aid:Water"
amount = "£400,000"
period = "fiscal year 2018-19"
"""
# by hand, fiscal years from 1 July: each one-off in the year of its date,
# each fiscal-year entry wholly in its year
JULY_FISCAL = {"2017-18": Decimal("5003000.00"), "2018-19": Decimal("403000.00")}
# calendar years: 1 Jul 2017 - 30 Jun 2018 has 365 days, 184 in 2017;
# 5,000,000 * 184/365 = 2,520,547.95; 1 Jul 2018 - 30 Jun 2019: 400,000 *
# 184/365 = 201,643.84 in 2018
JULY_CALENDAR = {"2017": Decimal("1000") + Decimal("2520547.95"),
                 "2018": Decimal("5000") + Decimal("2479452.05") + Decimal("201643.84"),
                 "2019": Decimal("198356.16")}
# fiscal years from 1 April: "one-b" (1 March 2018) falls in 2017-18, "one-c"
# (15 July 2018) in 2018-19
APRIL_FISCAL = {"2017-18": Decimal("5003000.00"), "2018-19": Decimal("403000.00")}

CASES = [("07-01", "fiscal", JULY_FISCAL), ("07-01", "calendar", JULY_CALENDAR),
         ("04-01", "fiscal", APRIL_FISCAL)]


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


def _ledger(tmp_path, start: str) -> Path:
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "ledger.toml").write_text(LEDGER.format(start=start), encoding="utf-8")
    return tmp_path / "L"


def _balance_by_year(run_cli, ledger, years: str) -> dict[str, Decimal]:
    by = "fiscal-year" if years == "fiscal" else "year"
    code, out, err = run_cli("balance", ledger, "--by", by, "--currency", "GBP",
                             "--format", "csv")
    assert code == 0, err
    return {r["year"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "Purposes"}


def _export(run_cli, ledger, fmt: str, years: str, path: Path) -> str:
    code, _, err = run_cli("export", ledger, "--to", fmt, "--years", years, "--currency", "GBP",
                           "-o", path)
    assert code == 0, err
    return path.read_text(encoding="utf-8")


def _hledger_total(exe: str, journal: Path, *query: str) -> Decimal:
    out = subprocess.run([exe, "-f", str(journal), "bal", "-B", "Purposes", "not:tag:secondary",
                          *query, "-N", "--flat", "-O", "csv"],
                         capture_output=True, text=True, check=True).stdout
    return sum((Decimal(r["balance"].replace("GBP", "").replace(",", "").strip() or "0")
                for r in csv.DictReader(io.StringIO(out))), Decimal(0))


@pytest.mark.parametrize("start,years,by_hand", CASES)
def test_hledger_tag_year_gives_each_years_figure(tmp_path, run_cli, start, years, by_hand):
    exe = _hledger()
    ledger = _ledger(tmp_path, start)
    assert _balance_by_year(run_cli, ledger, years) == by_hand
    journal = tmp_path / "fy.journal"
    text = _export(run_cli, ledger, "hledger", years, journal)
    # every transaction says its year
    txns = [t for t in re.split(r"\n(?=\d{4}-\d{2}-\d{2} )", text) if t[:4].isdigit()]
    assert txns and all("\n    ; year:" in t for t in txns)
    theirs = {y: _hledger_total(exe, journal, f"tag:year={y}$") for y in by_hand}
    assert theirs == by_hand
    assert _hledger_total(exe, journal) == sum(by_hand.values())


@pytest.mark.parametrize("start,years,by_hand", CASES)
def test_beancount_year_metadata_gives_each_years_figure(tmp_path, run_cli, start, years,
                                                         by_hand):
    check = _bean_check()
    from beancount import loader
    from beancount.core import convert, data

    ledger = _ledger(tmp_path, start)
    path = tmp_path / "fy.beancount"
    _export(run_cli, ledger, "beancount", years, path)
    done = subprocess.run([check, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    entries, errors, _ = loader.load_file(str(path))
    assert not errors
    theirs: dict[str, Decimal] = defaultdict(Decimal)
    txns = [e for e in entries if isinstance(e, data.Transaction)]
    assert txns and all("year" in t.meta for t in txns)
    for t in txns:
        for p in t.postings:
            if p.account.startswith("Expenses:Purposes"):
                theirs[t.meta["year"]] += convert.get_weight(p).number
    assert dict(theirs) == by_hand


def _listed_periods(run_cli, ledger) -> dict[str, str]:
    code, out, err = run_cli("list", ledger, "--format", "csv")
    assert code == 0, err
    return {r["id"]: r["period"] for r in csv.DictReader(io.StringIO(out))}


@pytest.mark.parametrize("basis", ["total", "recorded"])
@pytest.mark.parametrize("start,words", [
    ("07-01", {"fy-a": "from 2017-07-01 to 2018-06-30", "fy-b": "from 2018-07-01 to 2019-06-30"}),
    ("04-01", {"fy-a": "fiscal year 2017-18", "fy-b": "fiscal year 2018-19"})])
def test_the_period_tag_says_what_the_listing_says(tmp_path, run_cli, basis, start, words):
    ledger = _ledger(tmp_path, start)
    listed = _listed_periods(run_cli, ledger)
    assert {k: listed[k] for k in words} == words
    for fmt, pattern in (("hledger", r"; id: (\S+)\n    ; status: \S+\n    ; period: ([^\n]*)"),
                         ("beancount", r'id: "([^"]+)"\n  status: "[^"]*"\n  period: "([^"]*)"')):
        path = tmp_path / f"p.{fmt}"
        code, _, err = run_cli("export", ledger, "--to", fmt, "--basis", basis, "-o", path)
        assert code == 0, err
        tagged = dict(re.findall(pattern, path.read_text(encoding="utf-8")))
        assert tagged == listed, fmt
