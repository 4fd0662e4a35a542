"""A pair quoted both ways on one date in one table (hunt 8, finding 3):
the same pair, so two different rates are a mistake, refused in one line
naming both rows; quotes that agree to the digits stated are accepted and
each direction uses its own row."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from ledger.errors import LedgerError
from rates import RateTable
from tests.conftest import REPO

HEAD = "date,from,to,rate,source\n"


def _table(tmp_path, body):
    path = tmp_path / "u.csv"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_conflicting_inverse_quotes_are_refused(tmp_path):
    # 1/1.59 = 0.6289..., nowhere near 0.70
    path = _table(tmp_path, "1995-06-30,GBP,USD,1.59,A\n1995-06-30,USD,GBP,0.70,B\n")
    with pytest.raises(LedgerError) as err:
        RateTable.load(path, embedded=False)
    msg = str(err.value)
    assert msg.startswith(f"{path}:3:") and "line 2" in msg and "\n" not in msg
    assert "GBP->USD" in msg and "USD->GBP" in msg and "1.59" in msg and "0.70" in msg
    r = subprocess.run([sys.executable, "-m", "ledger_tool", "rates", "convert", "1000",
                        "GBP", "USD", "--date", "1995-07-03", "--rates", str(path)],
                       capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 1 and r.stdout == "" and r.stderr.count("\n") == 1


@pytest.mark.parametrize("body, pair, want", [
    # 1/1.59 = 0.62893... -> 0.629 at the 3 places stated
    ("1995-06-30,GBP,USD,1.59,A\n1995-06-30,USD,GBP,0.629,B\n", ("GBP", "USD"), "1.59"),
    ("1995-06-30,GBP,USD,1.59,A\n1995-06-30,USD,GBP,0.629,B\n", ("USD", "GBP"), "0.629"),
    # through the euro: 1/655.957 = 0.0015244902... -> 0.00152449
    ("2020-01-02,EUR,XAF,655.957,A\n2020-01-02,XAF,EUR,0.00152449,B\n", ("XAF", "EUR"),
     "0.00152449"),
    ("2020-01-02,XAF,EUR,0.00152449,B\n2020-01-02,EUR,XAF,655.957,A\n", ("EUR", "XAF"),
     "655.957"),
])
def test_agreeing_inverse_quotes_each_direction_its_own_row(tmp_path, body, pair, want):
    table = RateTable.load(_table(tmp_path, body), embedded=False)
    day = dt.date.fromisoformat(body[:10])
    c = table.convert(Decimal(1000), *pair, day)
    assert c.rate == Decimal(want) and c.rate_date == day
