"""hledger and beancount exports by year: a year part that rounds to 0 in
the entry's own currency but not in the report currency (hunt19: "€10 over
100 years" in an IDR ledger wrote its first day "0.00 EUR @@ 4 IDR", which
hledger refuses and beancount weighs 0).  Such a posting is written in the
report currency; both tools give each year's figure by hand, as ``balance``
does."""
from __future__ import annotations

import csv
import io
import subprocess
from collections import defaultdict
from decimal import Decimal

import pytest

from tests.reports.test_export_years14 import _bean_check, _hledger

IDR = """\
[ledger]
name = "zero"
currency = "IDR"

[[entry]]
id = "tiny"
date = 2016-12-31
funder = "EU:C"
purpose = "X:Y"
amount = "€0.10"
period = "over 2 years"

[[entry]]
id = "split"
date = 2016-12-31
funder = "EU:D"
amount = "€0.03"
period = "over 2 years"
  [[entry.split]]
  purpose = "X:Y"
  amount = "€0.01"
  [[entry.split]]
  purpose = "X:Z"
  amount = "€0.02"
"""
# by hand, at 14,000 IDR a euro (the rates.csv's rate on the entry's date): 31 Dec 2016 to 30 Dec 2018 is 730 days, 1 in
# 2016, 365 in 2017, 364 in 2018, shared by largest remainders.
# "tiny": 1,400 IDR -> 1.92, 700, 698.08 -> 2, 700, 698 (10 cents -> 0, 5, 5:
# 2016 is 0.00 EUR but 2 IDR).  "split" is spread whole, once (docs/rates.md):
# 420 IDR -> 0.58, 210, 209.42 -> 1, 210, 209 (3 cents -> 0, 2, 1: 2016 is
# 0.00 EUR but 1 IDR); its parts share each year's running total
IDR_BY_HAND = {"2016": Decimal(2 + 1), "2017": Decimal(700 + 210),
               "2018": Decimal(698 + 209)}
KWD = """\
[ledger]
name = "kwd"
currency = "KWD"

[[entry]]
id = "tiny"
date = 2015-12-31
funder = "UK:DFID"
purpose = "X:Y"
amount = "£0.01"
period = "over 3 years"
"""
# by hand, at 0.4 KWD a pound: £0.01 is 0.004 KWD (4 fils) over 1,096 days
# (1 in 2015, 366, 365, 364): 0.0036, 1.336, 1.332, 1.328 -> 0, 2, 1, 1 fils;
# the penny goes to 2016, so 2017 and 2018 are 0.00 GBP but 0.001 KWD each
KWD_BY_HAND = {"2015": Decimal("0.000"), "2016": Decimal("0.002"),
               "2017": Decimal("0.001"), "2018": Decimal("0.001")}
CASES = [("IDR", IDR, "2016-12-31,EUR,IDR,14000", IDR_BY_HAND),
         ("KWD", KWD, "2015-12-31,GBP,KWD,0.4", KWD_BY_HAND)]


def _ledger(tmp_path, text: str, rate: str):
    led = tmp_path / "L"
    led.mkdir()
    (led / "ledger.toml").write_text(text, encoding="utf-8")
    (led / "rates.csv").write_text(f"date,from,to,rate,source\n{rate},test\n",
                                   encoding="utf-8")
    return led


def _nonzero(years) -> dict[str, Decimal]:
    """The years with a figure (a year of 0 in both currencies has no transaction)."""
    return {y: v for y, v in years.items() if v}


def _export(run_cli, led, fmt: str, currency: str, path):
    code, _, err = run_cli("export", led, "--to", fmt, "--currency", currency, "-o", path)
    assert code == 0, err


@pytest.mark.parametrize("currency,text,rate,by_hand", CASES)
def test_balance_by_year_is_the_hand_figure(tmp_path, run_cli, currency, text, rate, by_hand):
    led = _ledger(tmp_path, text, rate)
    code, out, err = run_cli("balance", led, "--by", "year", "--currency", currency,
                             "--format", "csv")
    assert code == 0, err
    assert {r["year"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "Purposes"} == by_hand


@pytest.mark.parametrize("currency,text,rate,by_hand", CASES)
def test_hledger_loads_it_and_gives_each_year(tmp_path, run_cli, currency, text, rate,
                                              by_hand):
    exe = _hledger()
    path = tmp_path / "z.journal"
    _export(run_cli, _ledger(tmp_path, text, rate), "hledger", currency, path)
    done = subprocess.run([exe, "-f", str(path), "bal", "-B", "-Y", "Purposes", "-N", "--flat",
                           "-O", "csv", "--layout", "bare"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    years = [y[:4] for y in rows[0][2:]]
    theirs: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows[1:]:
        assert r[1] in (currency, "")
        for y, v in zip(years, r[2:]):
            theirs[y] += Decimal(v.replace(",", "") or "0")
    assert _nonzero(theirs) == _nonzero(by_hand)


@pytest.mark.parametrize("currency,text,rate,by_hand", CASES)
def test_beancount_loads_it_and_gives_each_year(tmp_path, run_cli, currency, text, rate,
                                                by_hand):
    check = _bean_check()
    from beancount import loader
    from beancount.core import convert, data

    path = tmp_path / "z.beancount"
    _export(run_cli, _ledger(tmp_path, text, rate), "beancount", currency, path)
    done = subprocess.run([check, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    entries, errors, _ = loader.load_file(str(path))
    assert not errors
    theirs: dict[str, Decimal] = defaultdict(Decimal)
    for t in entries:
        if isinstance(t, data.Transaction):
            for p in t.postings:
                if p.account.startswith("Expenses:Purposes"):
                    w = convert.get_weight(p)
                    assert w.currency == currency
                    theirs[t.meta["year"]] += w.number
    assert _nonzero(theirs) == _nonzero(by_hand)
