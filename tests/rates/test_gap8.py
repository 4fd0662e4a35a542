"""A rate stands for a bounded stretch of days (hunt 8, findings 1, 2, 6).

The ECB's ISK column is N/A from 2008-12-10 to 2018-01-31: the policies
bridge holiday closures (at most 5 days in the ECB history) but not a
9-year hole, and a user table's rate stops at the end of its year even
when the ECB has a later rate for the pair.  Expected rates come from the
raw ECB file, read here with zipfile and csv, worked out with Decimal."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

import pytest

from ledger.errors import LedgerError
from rates import RateTable
from tests.conftest import REPO
from tests.rates.ecb_raw import ecb_rates


@pytest.fixture(scope="module")
def raw():
    """{code: {date: Decimal}} from the ECB file itself."""
    return ecb_rates()


@pytest.fixture(scope="module")
def table():
    return RateTable()


def _q15(x: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 15, ROUND_HALF_EVEN
        return (+x).normalize()


def _isk_sides(raw, day):
    isk = sorted(raw["ISK"])
    return max(d for d in isk if d <= day), min(d for d in isk if d > day)


@pytest.mark.parametrize("policy", ["previous", "next", "nearest"])
def test_no_policy_bridges_the_isk_hole(raw, table, policy):
    before, after = _isk_sides(raw, dt.date(2015, 6, 1))
    assert (after - before).days > 3000          # the hole is in the data
    with pytest.raises(LedgerError) as err:
        table.convert(Decimal(1_000_000), "ISK", "GBP", dt.date(2015, 6, 1), policy=policy)
    msg = str(err.value)
    assert "no ISK->GBP rate on 2015-06-01" in msg
    assert str(before) in msg and str(after) in msg and "\n" not in msg


def test_a_week_is_bridged_and_a_day_more_is_not(raw, table):
    last = max(d for d in raw["ISK"] if d < dt.date(2009, 1, 1))
    want = _q15(raw["GBP"][last] / raw["ISK"][last])
    c = table.convert(Decimal(1_000_000), "ISK", "GBP", last + dt.timedelta(days=7))
    assert (c.rate, c.rate_date) == (want, last)
    assert c.amount == (Decimal(1_000_000) * want).quantize(Decimal("0.01"), ROUND_HALF_UP)
    with pytest.raises(LedgerError, match=f"no ISK->GBP rate on {last + dt.timedelta(days=8)}"):
        table.convert(Decimal(1), "ISK", "GBP", last + dt.timedelta(days=8))
    with pytest.raises(LedgerError, match="no ISK->EUR rate"):
        table.convert(Decimal(1), "ISK", "EUR", last + dt.timedelta(days=8))


def test_holiday_closures_are_still_bridged(raw, table):
    # the longest closures in the ECB history: Christmas 2023, Easter 2024
    for day, prior in ((dt.date(2023, 12, 26), dt.date(2023, 12, 22)),
                       (dt.date(2024, 4, 1), dt.date(2024, 3, 28))):
        assert day not in raw["USD"] and prior in raw["USD"]
        c = table.convert(Decimal(1000), "GBP", "USD", day)
        assert c.rate == _q15(raw["USD"][prior] / raw["GBP"][prior])
        assert c.rate_date == prior
        nxt = table.convert(Decimal(1000), "GBP", "USD", day, policy="next")
        assert nxt.rate_date > day and (nxt.rate_date - day).days <= 7


def test_cli_and_balance_refuse_the_hole(tmp_path):
    run = [sys.executable, "-m", "ledger_tool"]
    r = subprocess.run([*run, "rates", "convert", "1000000", "ISK", "GBP", "--date",
                        "2015-06-01"], capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "no ISK->GBP rate on 2015-06-01" in r.stderr
    (tmp_path / "ledger.toml").write_text('[ledger]\nname = "t"\ncurrency = "GBP"\n')
    (tmp_path / "p.toml").write_text(
        '[[entry]]\nid = "isk-2015"\ndate = 2015-06-01\nfunder = "IS"\npurpose = "F"\n'
        'amount = "1,000,000"\ncurrency = "ISK"\nstatus = "pledged"\n')
    r = subprocess.run([*run, "balance", str(tmp_path), "--currency", "GBP"],
                       capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    err = [ln for ln in r.stderr.splitlines() if "warning" not in ln]
    assert len(err) == 1 and "isk-2015" in err[0] and "ISK->GBP" in err[0]
    assert "2015-06-01" in err[0]


@pytest.fixture
def isk_table(tmp_path):
    path = tmp_path / "u7.csv"
    path.write_text("date,from,to,rate,source\n2012-01-02,ISK,EUR,0.0062,CBI\n")
    return RateTable.load(path)


def test_a_user_rate_is_not_stretched_to_a_later_ecb_rate(raw, isk_table):
    for pair in (("ISK", "EUR"), ("ISK", "GBP")):
        with pytest.raises(LedgerError, match=f"no {pair[0]}->{pair[1]} rate on 2017-12-29"):
            isk_table.convert(Decimal(1_000_000), *pair, dt.date(2017, 12, 29))
        with pytest.raises(LedgerError, match=f"no {pair[0]}->{pair[1]} rate on 2013-01-02"):
            isk_table.convert(Decimal(1_000_000), *pair, dt.date(2013, 1, 2))
    c = isk_table.convert(Decimal(1_000_000), "ISK", "EUR", dt.date(2012, 12, 31))
    assert (c.rate, c.amount) == (Decimal("0.0062"), Decimal("6200.00"))
    # after the hole the ECB's own rate again
    first = min(d for d in raw["ISK"] if d > dt.date(2017, 1, 1))
    c = isk_table.convert(Decimal(1), "ISK", "EUR", first)
    assert c.rate == _q15(1 / raw["ISK"][first])
