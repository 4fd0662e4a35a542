"""reports.pagedata, ``--valuation yearly-average``: a split entry's rate on
the page is the entry's value over its amount (review44).  The page showed
its first purpose's rate (that part's value over its amount), which differs
in the last digits from the entry's since each part's years are rounded on
their own.  Expected figures from the raw ECB file with Fractions."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

from rates.table import RATE_DIGITS
from tests.rates.ecb_raw import ecb_rates

START, END = dt.date(2015, 7, 1), dt.date(2018, 6, 30)   # "over 3 years"
PARTS = [333_333_333, 333_333_333, 333_333_341]          # cents of €10,000,000.07


def _ledger(root: Path) -> Path:
    text = ('[ledger]\nname = "ya"\n\n[[entry]]\nid = "s1"\ndate = 2015-07-01\nfunder = "EU"\n'
            'amount = "10000000.07 EUR"\nperiod = "over 3 years"\n')
    for p, c in zip("ABC", PARTS):
        text += f'  [[entry.split]]\n  purpose = "{p}"\n  amount = "{c // 100}.{c % 100:02d} EUR"\n'
    root.mkdir(parents=True, exist_ok=True)
    (root / "ledger.toml").write_text(text, encoding="utf-8")
    return root


def _mean(y: int) -> Fraction:
    """The calendar year's mean EUR->GBP rate, to the table's precision."""
    v = [r for d, r in ecb_rates()["GBP"].items() if d.year == y]
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        return Fraction(+(sum(v, Decimal(0)) / len(v)))


def _half_up(x: Fraction) -> int:
    q, r = divmod(x.numerator, x.denominator)
    return q + (2 * r >= x.denominator)


def _rate(cents: int) -> Decimal:
    """``cents`` shared by days over the calendar years, each year at its
    mean rounded once; the rate their sum over the amount."""
    days = {y: (min(END, dt.date(y, 12, 31)) - max(START, dt.date(y, 1, 1))).days + 1
            for y in range(2015, 2019)}
    exact = {y: Fraction(cents * d, sum(days.values())) for y, d in days.items()}
    part = {y: int(x) for y, x in exact.items()}
    for y in sorted(exact, key=lambda y: (-(exact[y] - part[y]), y))[:cents - sum(part.values())]:
        part[y] += 1
    pence = sum(_half_up(c * _mean(y)) for y, c in part.items())
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        return Decimal(pence) / Decimal(cents)


def test_page_shows_the_entrys_rate(tmp_path, run_cli):
    rate = _rate(sum(PARTS))
    assert rate != _rate(PARTS[0])        # a part valued alone: another rate
    out = tmp_path / "r"
    code, _, err = run_cli("report", _ledger(tmp_path / "l"), "--out", out, "--currency",
                           "GBP", "--valuation", "yearly-average")
    assert code == 0, err
    page = (out / "report.html").read_text(encoding="utf-8")
    assert f"{rate} GBP per EUR from yearly averages" in page
