"""How far a rate from a user table reaches (hunt 5, finding 2): up to the
pair's next rate, the last one up to 31 December of its year; a cross
through the euro pairs a user leg given once with the other leg's daily
rates.  Rates worked out here with Decimal at RATE_DIGITS (15)."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

import pytest

from ledger.errors import LedgerError
from rates.table import RateTable
from tests.conftest import REPO

TABLE = """date,from,to,rate,source
2020-01-02,XAF,EUR,0.0015245,BEAC peg
2020-01-02,EUR,GBP,0.84828,test
2020-06-12,EUR,GBP,0.9,test
2020-12-30,EUR,GBP,0.95,test
"""


def _q(x: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 15, ROUND_HALF_EVEN
        return +x


def _cross(eur_gbp: str) -> Decimal:
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 15, ROUND_HALF_EVEN
        xaf_per_eur = Decimal(1) / Decimal("0.0015245")
        return Decimal(eur_gbp) / xaf_per_eur


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(TABLE, encoding="utf-8")
    return RateTable.load(path, embedded=False)


def test_a_peg_given_once_covers_its_year_against_the_daily_leg(table):
    c = table.convert(Decimal(1_000_000), "XAF", "GBP", dt.date(2020, 6, 13))
    assert c.rate == _cross("0.9") and c.rate_date == dt.date(2020, 6, 12)
    assert c.amount == (Decimal(1_000_000) * _cross("0.9")).quantize(Decimal("0.01"),
                                                                      ROUND_HALF_UP)
    last = table.convert(Decimal(1), "XAF", "GBP", dt.date(2020, 12, 31))
    assert last.rate == _cross("0.95") and last.rate_date == dt.date(2020, 12, 30)
    # the direct pair too
    direct = table.convert(Decimal(1_000_000), "XAF", "EUR", dt.date(2020, 6, 13))
    assert direct.rate == Decimal("0.0015245") and direct.amount == Decimal("1524.50")


@pytest.mark.parametrize("pair", [("XAF", "GBP"), ("XAF", "EUR")])
def test_not_past_the_end_of_its_year(table, pair):
    with pytest.raises(LedgerError, match="run from 2020-01-02 to 2020-12-31"):
        table.convert(Decimal(1), *pair, dt.date(2021, 1, 1))
    with pytest.raises(LedgerError, match="2020-01-02 to 2020-12-31"):
        table.convert(Decimal(1), *pair, dt.date(2020, 1, 1))


def test_crosses_have_no_trailing_zeros(table):
    rate = table.convert(Decimal(1), "XAF", "GBP", dt.date(2020, 1, 2)).rate
    assert rate == _q(_cross("0.84828"))
    assert str(rate) == "0.00129320286"   # 0.84828 × 0.0015245, exactly


def test_the_documented_peg_converts_with_the_ecb_rates(tmp_path):
    """docs/rates.md's own example, in a ledger's rates.csv, with the ECB."""
    (tmp_path / "ledger.toml").write_text('[ledger]\nname = "t"\ncurrency = "GBP"\n',
                                          encoding="utf-8")
    (tmp_path / "rates.csv").write_text("date,from,to,rate,source\n"
                                        "2020-01-02,XAF,EUR,0.0015245,BEAC peg\n",
                                        encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "ledger_tool", "rates", "convert", "1000000",
                          "XAF", "EUR", "--date", "2020-06-13", "--ledger", str(tmp_path)],
                         cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "€1,524.50" in run.stdout and "on 2020-01-02" in run.stdout
    run = subprocess.run([sys.executable, "-m", "ledger_tool", "rates", "convert", "1000000",
                          "XAF", "GBP", "--date", "2020-06-13", "--ledger", str(tmp_path)],
                         cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "BEAC peg + ECB" in run.stdout and "on 2020-06-12" in run.stdout
