"""reports.valuation.collapse_years, ``--valuation yearly-average``: an
entry valued at several years' averages shows its effective rate (its
value over its amount) and no rate date (fix44).  The report's Entries
sheet, entries.csv and the page showed the first year's average (0.7323…
for €10m over 3 years in UK fiscal years, whose value makes 0.8157…) and
the page said "… GBP per EUR on None".  Expected figures worked out here
from the raw ECB file with Fractions."""
from __future__ import annotations

import csv
import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

from rates.table import RATE_DIGITS
from tests.rates.ecb_raw import ecb_rates

START, END = dt.date(2015, 7, 1), dt.date(2018, 6, 30)   # "over 3 years"


def _ledger(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "ledger.toml").write_text(
        '[ledger]\nname = "ya"\n\n[[entry]]\nid = "e1"\ndate = 2015-07-01\nfunder = "EU"\n'
        'purpose = "P"\namount = "10000000 EUR"\nperiod = "over 3 years"\n', encoding="utf-8")
    return root


def _mean(y: int) -> Fraction:
    """The UK fiscal year's mean EUR->GBP rate, to the table's precision."""
    v = [r for d, r in ecb_rates()["GBP"].items() if dt.date(y, 4, 1) <= d <= dt.date(y + 1, 3, 31)]
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        return Fraction(+(sum(v, Decimal(0)) / len(v)))


def _half_up(x: Fraction) -> int:
    q, r = divmod(x.numerator, x.denominator)
    return q + (2 * r >= x.denominator)


def _by_hand() -> tuple[int, Decimal]:
    """(pence, effective rate): the cents shared by days, each fiscal
    year's part at its mean rounded once; the rate their sum over €10m."""
    days = {y: (min(END, dt.date(y + 1, 3, 31)) - max(START, dt.date(y, 4, 1))).days + 1
            for y in range(2015, 2019)}
    exact = {y: Fraction(1_000_000_000 * d, sum(days.values())) for y, d in days.items()}
    cents = {y: int(x) for y, x in exact.items()}
    for y in sorted(exact, key=lambda y: (-(exact[y] - cents[y]), y))[
            :1_000_000_000 - sum(cents.values())]:
        cents[y] += 1
    pence = sum(_half_up(c * _mean(y)) for y, c in cents.items())
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        return pence, Decimal(pence) / Decimal(1_000_000_000)


def test_report_shows_the_effective_rate(tmp_path, run_cli):
    pence, rate = _by_hand()
    assert str(rate)[:8] == "0.831110"    # not the first year's 0.7323…
    out = tmp_path / "r"
    code, _, err = run_cli("report", _ledger(tmp_path / "l"), "--out", out, "--currency",
                           "GBP", "--valuation", "yearly-average", "--years", "fiscal-uk")
    assert code == 0, err
    with (out / "entries.csv").open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["id"] == "e1")
    assert Decimal(row["normalised"]) == Decimal(pence).scaleb(-2)
    assert Decimal(row["rate"]) == rate
    assert row["rate date"] == ""
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "on None" not in page
    assert f"{rate} GBP per EUR from yearly averages" in page
