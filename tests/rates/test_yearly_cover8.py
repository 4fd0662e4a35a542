"""A yearly average stands only for a year its rates cover (hunt 8,
finding 4).  RUB stops on 2022-03-01: its Jan-Mar mean is no 2022 average,
whatever the entry's date; a part after the year's last rate (ISK, 2008)
is refused too; the year the data ends in (2026) is still running: its
mean so far is used and said on stderr; a whole year is the mean of its
daily rates.  Dates and rates from the raw ECB file."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

import pandas as pd
import pytest

from ledger.errors import LedgerError
from rates.normalise import normalise
from tests.conftest import REPO
from tests.rates.ecb_raw import ecb_rates


@pytest.fixture(scope="module")
def raw():
    """{code: {date: Decimal}} from the ECB file itself."""
    return ecb_rates()


def _one(id_, date, currency, amount="1000000", **kw):
    frame = pd.DataFrame({"id": [id_], "date": [date], "amount": [amount],
                          "currency": [currency]})
    return normalise(frame, currency="GBP", valuation="yearly-average", **kw)


@pytest.mark.parametrize("id_, date, code", [
    ("rub-sep", "2022-09-01", "RUB"), ("rub-feb", "2022-02-01", "RUB")])
def test_a_year_whose_rates_stop_is_not_averaged(raw, id_, date, code):
    year = int(date[:4])
    last = max(d for d in raw[code] if d.year == year)
    assert last < dt.date(year, 6, 1) and not any(d.year > year for d in raw[code])
    with pytest.raises(LedgerError) as err:
        _one(id_, date, code)
    msg = str(err.value)
    assert id_ in msg and f"{code}->GBP" in msg and str(last) in msg and "\n" not in msg


def test_a_part_after_the_years_last_rate_is_refused(raw):
    last = max(d for d in raw["ISK"] if d.year == 2008)     # then none until 2018
    assert last < dt.date(2008, 12, 20)
    with pytest.raises(LedgerError, match="isk-dec.*ISK->GBP.*2008"):
        _one("isk-dec", "2008-12-20", "ISK")
    _one("isk-jun", "2008-06-02", "ISK")      # inside the year's rates: averaged


def test_a_whole_year_is_the_mean_of_its_daily_rates(raw):
    days = [d for d in raw["USD"] if d.year == 2025]
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 15, ROUND_HALF_EVEN
        daily = [raw["GBP"][d] / raw["USD"][d] for d in days]
        mean = sum(daily, Decimal(0)) / len(daily)
    row = _one("usd-2025", "2025-06-02", "USD").iloc[0]
    assert abs(row.rate - mean) < Decimal("1e-12")
    assert abs(row.value - Decimal(1_000_000) * mean) <= Decimal("0.01")



def test_balance_refuses_in_one_line(tmp_path):
    (tmp_path / "ledger.toml").write_text('[ledger]\nname = "t"\ncurrency = "GBP"\n')
    (tmp_path / "p.toml").write_text(
        '[[entry]]\nid = "rub-2022"\ndate = 2022-09-01\nfunder = "RU"\npurpose = "R"\n'
        'amount = "1,000,000"\ncurrency = "RUB"\nstatus = "pledged"\n')
    r = subprocess.run([sys.executable, "-m", "ledger_tool", "balance", str(tmp_path),
                        "--currency", "GBP", "--valuation", "yearly-average"],
                       capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    err = [ln for ln in r.stderr.splitlines() if "warning" not in ln]
    assert len(err) == 1 and "rub-2022" in err[0] and "RUB->GBP" in err[0]


def test_the_running_year_is_its_mean_so_far_said_on_stderr(raw, tmp_path):
    days = [d for d in raw["USD"] if d.year == 2026]
    assert max(days) == max(raw["USD"]) < dt.date(2026, 12, 1)    # where the data ends
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 15, ROUND_HALF_EVEN
        mean = sum((raw["GBP"][d] / raw["USD"][d] for d in days), Decimal(0)) / len(days)
    (tmp_path / "ledger.toml").write_text('[ledger]\nname = "t"\ncurrency = "GBP"\n')
    (tmp_path / "p.toml").write_text(
        '[[entry]]\nid = "usd-2026"\ndate = 2026-11-20\nfunder = "US"\npurpose = "E"\n'
        'amount = "$1,000,000"\nstatus = "pledged"\n')
    r = subprocess.run([sys.executable, "-m", "ledger_tool", "balance", str(tmp_path),
                        "--currency", "GBP", "--valuation", "yearly-average"],
                       capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0, r.stderr
    notes = [ln for ln in r.stderr.splitlines() if "note:" in ln]
    assert len(notes) == 1 and "2026" in notes[0] and "USD->GBP" in notes[0]
    assert str(max(days)) in notes[0]
    want = (Decimal(1_000_000) * mean).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert f"£{want:,}" in r.stdout
