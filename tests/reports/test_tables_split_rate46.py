"""reports.tables.entries_table (entries.csv, the Entries sheet) beside the
page, for a split entry (fix46): each row, one per entry × purpose, shows
the original amount its normalised value and rate were made from, so that
normalised ÷ original amount gives its rate; the page shows the entry's
rate, normalised ÷ original over its rows.  A purpose named by two split
parts is one row whose original amount was the first part's alone (half of
what its value and rate were made from).  Expected figures by hand from the
raw ECB file, with Fractions, by the tool's rule for a split entry: the
whole entry converted and rounded once, then shared among its parts by
largest remainders (``rates.normalise._split_whole``).  The parts are chosen
so that valuing each part whole gives another figure (A 4,726,999.52 GBP
against the rule's 4,726,999.53): the test tells the two apart."""
from __future__ import annotations

import csv
import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from rates.table import RATE_DIGITS
from tests.rates.ecb_raw import ecb_rates

START, END = dt.date(2015, 7, 1), dt.date(2018, 6, 30)   # "over 3 years"
PARTS = [("A", 333_333_300), ("A", 333_333_300), ("B", 333_333_312)]   # cents
TOTAL = sum(c for _, c in PARTS)


def _ledger(root: Path) -> Path:
    text = ('[ledger]\nname = "sp"\n\n[[entry]]\nid = "s1"\ndate = 2015-07-01\nfunder = "EU"\n'
            f'amount = "{TOTAL // 100}.{TOTAL % 100:02d} EUR"\nperiod = "over 3 years"\n')
    for p, c in PARTS:
        text += f'  [[entry.split]]\n  purpose = "{p}"\n  amount = "{c // 100}.{c % 100:02d} EUR"\n'
    root.mkdir(parents=True, exist_ok=True)
    (root / "ledger.toml").write_text(text, encoding="utf-8")
    return root


def _half_up(x: Fraction) -> int:
    q, r = divmod(x.numerator, x.denominator)
    return q + (2 * r >= x.denominator)


def _rate_digits(x: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        return Decimal(x.numerator) / Decimal(x.denominator)


def _mean(y: int) -> Fraction:
    v = [r for d, r in ecb_rates()["GBP"].items() if d.year == y]
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        return Fraction(+(sum(v, Decimal(0)) / len(v)))


def _years(cents: int) -> dict[int, int]:
    """``cents`` shared by days over the calendar years (largest remainder)."""
    days = {y: (min(END, dt.date(y, 12, 31)) - max(START, dt.date(y, 1, 1))).days + 1
            for y in range(2015, 2019)}
    exact = {y: Fraction(cents * d, sum(days.values())) for y, d in days.items()}
    part = {y: int(x) for y, x in exact.items()}
    for y in sorted(exact, key=lambda y: (-(exact[y] - part[y]), y))[:cents - sum(part.values())]:
        part[y] += 1
    return part


def _shares(total: int, weights: list[int]) -> list[int]:
    """``total`` shared by ``weights``: floors, then a unit each to the
    largest remainders (the earlier part first on a tie)."""
    w = sum(weights)
    got = [total * x // w for x in weights]
    for k in sorted(range(len(weights)), key=lambda k: (-(total * weights[k] % w), k)
                    )[:total - sum(got)]:
        got[k] += 1
    return got


def _by_hand(valuation: str) -> tuple[dict[str, int], int]:
    """(original cents per purpose, the entry's pence): at the entry date
    the whole entry's; at yearly averages the entry's cents shared by
    days, each year's at its mean rounded once (its parts are shared from
    those years, so each row's pence are not worked out here)."""
    cents: dict[str, int] = {}
    for p, c in PARTS:
        cents[p] = cents.get(p, 0) + c
    if valuation == "entry-date":
        rate = Fraction(Decimal(str(ecb_rates()["GBP"][START])))
        return cents, _half_up(TOTAL * rate)
    return cents, sum(_half_up(x * _mean(y)) for y, x in _years(TOTAL).items())


@pytest.mark.parametrize("valuation", ["entry-date", "yearly-average"])
def test_each_rows_rate_is_its_value_over_its_original(tmp_path, run_cli, valuation):
    cents, pence = _by_hand(valuation)
    out = tmp_path / "r"
    code, _, err = run_cli("report", _ledger(tmp_path / "l"), "--out", out, "--currency", "GBP",
                           "--valuation", valuation)
    assert code == 0, err
    with open(out / "entries.csv", encoding="utf-8", newline="") as fh:
        rows = {r["purpose"]: r for r in csv.DictReader(fh)}
    ws = openpyxl.load_workbook(out / "report.xlsx")["Entries"]
    sheet = list(ws.iter_rows(min_row=2, values_only=True))
    head = list(sheet[0])
    sheet_rows = {r[head.index("purpose")]: r for r in sheet[1:] if r[0] == "s1"}
    assert set(rows) == set(sheet_rows) == set(cents)
    entry_rate = Decimal(str(ecb_rates()["GBP"][START]))
    for p, c in cents.items():
        r = rows[p]
        assert Decimal(r["original amount"]) == Decimal(c).scaleb(-2), p
        rate, value = Decimal(r["rate"]), Decimal(r["normalised"])
        if valuation == "entry-date":   # the entry's pence shared, its purpose's parts summed
            shares = _shares(pence, [x for _, x in PARTS])
            assert rate == entry_rate and value == Decimal(sum(
                s for (q, _), s in zip(PARTS, shares) if q == p)).scaleb(-2), p
        else:   # yearly averages: the row's value over its original amount
            assert rate == _rate_digits(Fraction(value) / Fraction(c, 100)), p
        s = sheet_rows[p]
        assert Decimal(str(s[head.index("original amount")])) == Decimal(c).scaleb(-2), p
        assert Decimal(str(s[head.index("rate")])) == rate, p
    # the rows add up to the entry's value by hand; totals unchanged
    assert sum(Decimal(r["normalised"]) for r in rows.values()) == Decimal(pence).scaleb(-2)
    # the page: the entry's rate, its value over its amount
    page = (out / "report.html").read_text(encoding="utf-8")
    want = entry_rate if valuation == "entry-date" else _rate_digits(
        Fraction(pence, sum(cents.values())))
    assert f"{want} GBP per EUR" in page
