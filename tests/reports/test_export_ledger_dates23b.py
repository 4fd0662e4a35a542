"""ledger 3 reads a '[' followed by a digit or '=' in a transaction's note as
a date (review of fix23, finding 1): a quote "£5m agreed [2020-06-01]" moved
its entry to 2020, "£5m over three years[1]" made ledger refuse the whole
file.  Checked with the real ledger and hledger: each year's total is the
ledger's own, as ``balance --by year`` gives it."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports import journal_names as jn

QUOTES = ["£5m over three years[1]", "£3m [=2020-01-01] more [12]",
          "£2m agreed [2020/06/01]", "£7m [2020-06-01]"]
# the amounts of LEDGER by year, from its text
RAW = {"2015": Decimal(5_000_000), "2016": Decimal(3_000_000),
       "2017": Decimal(2_000_000), "2018": Decimal(7_000_000)}


def _ledger_text() -> str:
    entries = [("e1", "2015-03-01", "F [1]", "P [=2020-01-01]", "£5m", '"[12]"'),
               ("e2", "2016-03-01", "G", "Q", "£3m", ""),
               ("e3", "2017-03-01", "G", "Q", "£2m", ""),
               ("e4", "2018-03-01", "G", "R", "£7m", "")]
    out = ['[ledger]\ncurrency = "GBP"\n\n[[document]]\nid = "d"\ntitle = "d [1]"\n']
    for (eid, date, funder, purpose, amount, tags), quote in zip(entries, QUOTES):
        out.append(f'[[entry]]\nid = "{eid}"\ndate = {date}\nfunder = "{funder}"\n'
                   f'purpose = "{purpose}"\namount = "{amount}"\ntags = [{tags}]\n'
                   f'source = {{doc = "d", quote = "{quote}", locator = "p. [2]"}}\n')
    return "\n".join(out)


def _exe(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        pytest.skip(f"{name} not installed: apt-get install {name}")
    return exe


@pytest.fixture
def journal(tmp_path, run_cli):
    (tmp_path / "q.toml").write_text(_ledger_text(), encoding="utf-8")
    out = tmp_path / "q.journal"
    code, _, err = run_cli("export", tmp_path / "q.toml", "--to", "hledger", "-o", out)
    assert code == 0, err
    return out


def _balance_by_year(run_cli, path) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", path, "--by", "year", "--currency", "GBP",
                             "--format", "csv")
    assert code == 0, err
    return {r["year"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "(total)"}


def test_ledger_and_hledger_years_are_balances(journal, run_cli):
    ledger, hledger = _exe("ledger"), _exe("hledger")
    ours = _balance_by_year(run_cli, journal.with_name("q.toml"))
    assert ours == RAW
    for year in [*RAW, "2019", "2020"]:
        run = subprocess.run([ledger, "-f", str(journal), "csv", "-B", "-p", year, "^Purposes"],
                             capture_output=True, text=True)
        assert run.returncode == 0 and not run.stderr, run.stderr
        got = sum((Decimal(r[5]) for r in csv.reader(io.StringIO(run.stdout))), Decimal(0))
        assert got == RAW.get(year, 0), year
    run = subprocess.run([hledger, "-f", str(journal), "bal", "-B", "-Y", "Purposes", "-O",
                          "csv", "-N"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    years = rows[0][1:]
    totals = {y: Decimal(0) for y in years}
    for row in rows[1:]:
        for y, cell in zip(years, row[1:]):
            totals[y] += Decimal(cell.split()[0].replace(",", "")) if cell.strip() != "0" \
                else 0
    assert totals == RAW


def test_the_quotes_stay_readable(journal):
    text = journal.read_text(encoding="utf-8")
    assert "“£5m over three years［1]”" in text
    assert "“£3m ［=2020-01-01] more ［12]”" in text
    notes = [line for line in text.splitlines() if line.startswith("    ;")]
    assert notes and not [n for n in notes if re.search(r"\[[0-9=]", n)]


@given(st.text(alphabet="[]=0123456789 a:,\n", max_size=20))
def test_no_comment_text_holds_a_ledger_date(text):
    for fn in (jn._comment_text, jn._tag_value):
        t = fn(text)
        b = t.find("[")
        assert b < 0 or t[b + 1: b + 2] not in set("0123456789=")
    written = jn._as_written(text)
    assert "[" not in written and json.loads(written) == text
