"""rates.normalise, one rate per entry (``as-stated``): a split entry's
years are the entry's whole amount spread over its years once, each year
shared among the parts (fix44).  Each part was spread and rounded alone
(ties to the earlier year each time), so £7m over 3 years from 2015-07-01
made 2016-17 £2,331,204.39 and 2017-18 £2,331,204.37, both 365-day years
whose figure is £7m × 365/1096 = £2,331,204.38.  Expected figures by hand
with Fractions."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from ledger import load
from reports.balance import converted
from reports.options import ReportOptions

PARTS = ["3333333.33", "3333333.33", "3333333.34"]
START, END = dt.date(2015, 7, 1), dt.date(2018, 6, 30)   # "over 3 years"


def _ledger(root: Path) -> Path:
    text = ('[ledger]\nname = "split"\n\n[[entry]]\nid = "s1"\ndate = 2015-07-01\n'
            'funder = "EU"\namount = "10000000 EUR"\nperiod = "over 3 years"\n'
            'restated = ["£7,000,000"]\n')
    for k, p in enumerate(PARTS):
        text += f'  [[entry.split]]\n  purpose = "P{k}"\n  amount = "{p} EUR"\n'
    root.mkdir(parents=True, exist_ok=True)
    (root / "ledger.toml").write_text(text, encoding="utf-8")
    return root


def _by_hand() -> dict[int, int]:
    """Pence per UK fiscal year: £7m shared by days (largest remainder)."""
    days = {y: (min(END, dt.date(y + 1, 3, 31)) - max(START, dt.date(y, 4, 1))).days + 1
            for y in range(2015, 2019)}
    exact = {y: Fraction(700_000_000 * d, sum(days.values())) for y, d in days.items()}
    out = {y: int(x) for y, x in exact.items()}
    for y in sorted(exact, key=lambda y: (-(exact[y] - out[y]), y))[
            :700_000_000 - sum(out.values())]:
        out[y] += 1
    return out


def _pence(rows, account):
    return {int(str(r["year"])[:4]): int(Decimal(str(r["amount"])) * 100) for r in rows
            if r["account"] == account}


def test_split_entry_years_are_the_entrys(tmp_path):
    book = load(_ledger(tmp_path / "l"))
    want = _by_hand()
    assert want[2016] == want[2017] == 233_120_438
    rows, _ = converted(book, ReportOptions(currency="GBP", valuation="as-stated",
                                            years="fiscal-uk"), by="year")
    assert _pence(rows, "(total)") == want
    parts = [_pence(rows, f"Purposes:P{k}") for k in range(3)]
    for y, pence in want.items():
        assert sum(p[y] for p in parts) == pence
    # each part's years still add up to its own share of the £7m
    totals = [sum(p.values()) for p in parts]
    assert sum(totals) == 700_000_000 and max(totals) - min(totals) <= 1
