"""rates.normalise, one rate per entry (``entry-date``, ``as-stated``): a
split entry given as an amount a year has the years of the same entry
unsplit (review44): its whole years are the entry's amount a year converted
and rounded once, the part years share the rest of the entry's total by
days, and each year is shared among the parts by the running sum.  Each
part's years were rounded alone, so $3,270.22 a year at 0.752851369555456
(£2,461.9896) showed £2,462.00 a whole year.  Expected figures by hand:
Fractions over the raw ECB file."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest

from ledger import load
from reports.balance import converted
from reports.options import ReportOptions
from tests.rates.ecb_raw import ecb_rates

PARTS = [162600, 94576, 69846]            # cents of A, B, C: $3,270.22 a year
START, END = dt.date(2016, 7, 1), dt.date(2019, 6, 30)   # "per year for 3 years"
STATED = 246_199                           # as-stated: £2,461.99 restated a year


def _ledger(root: Path, split: bool) -> Path:
    text = ('[ledger]\nname = "split"\n\n[[entry]]\nid = "s1"\ndate = 2016-07-01\n'
            'funder = "F"\namount = "3270.22 USD"\nperiod = "per year for 3 years"\n'
            f'restated = ["£{STATED // 100}.{STATED % 100:02d}"]\n')
    if split:
        for p, c in zip("ABC", PARTS):
            text += f'  [[entry.split]]\n  purpose = "{p}"\n  amount = "{c / 100:.2f} USD"\n'
    else:
        text += 'purpose = "A"\n'
    root.mkdir(parents=True, exist_ok=True)
    (root / "ledger.toml").write_text(text, encoding="utf-8")
    return root


def _round(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def _largest_remainder(total: int, weights: list[int]) -> list[int]:
    exact = [Fraction(total * w, sum(weights)) for w in weights]
    out = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: (-(exact[i] - out[i]), i))[
            :total - sum(out)]:
        out[i] += 1
    return out


def _rate(valuation: str) -> Fraction:
    if valuation == "as-stated":     # the restated amount a year over the amount's
        with localcontext() as ctx:
            ctx.prec, ctx.rounding = 15, ROUND_HALF_EVEN
            return Fraction(Decimal(STATED) / Decimal(sum(PARTS)))
    r = ecb_rates()
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 15, ROUND_HALF_EVEN
        return Fraction(r["GBP"][START] / r["USD"][START])


def _by_hand(valuation: str) -> dict[int, int]:
    """Pence per calendar year: each whole year the amount a year converted
    once, the part years (2016, 2019) sharing the rest of the total by days."""
    rate = _rate(valuation)
    whole = sum(PARTS)
    a_year = _round(whole * rate)
    total = _round(whole * 3 * rate)
    days = {y: (min(END, dt.date(y, 12, 31)) - max(START, dt.date(y, 1, 1))).days + 1
            for y in (2016, 2019)}
    ends = _largest_remainder(total - 2 * a_year, list(days.values()))
    return {2016: ends[0], 2017: a_year, 2018: a_year, 2019: ends[1]}


def _pence(rows, account):
    return {int(str(r["year"])[:4]): int(Decimal(str(r["amount"])) * 100) for r in rows
            if r["account"] == account}


@pytest.mark.parametrize("valuation", ["entry-date", "as-stated"])
def test_split_amount_a_year_has_the_entrys_years(tmp_path, valuation):
    want = _by_hand(valuation)
    if valuation == "entry-date":
        assert _rate(valuation) == Fraction("0.752851369555456")
        assert want[2017] == 246_199     # £2,461.9896
    opts = ReportOptions(currency="GBP", valuation=valuation, years="calendar")
    split, _ = converted(load(_ledger(tmp_path / "s", True)), opts, by="year")
    whole, _ = converted(load(_ledger(tmp_path / "u", False)), opts, by="year")
    assert _pence(whole, "(total)") == want
    assert _pence(split, "(total)") == want
    parts = [_pence(split, f"Purposes:{p}") for p in "ABC"]
    run, before = 0, [0, 0, 0]
    for y, pence in sorted(want.items()):
        run += pence
        now = _largest_remainder(run, PARTS)
        assert [p[y] for p in parts] == [a - b for a, b in zip(now, before)]
        before = now
