"""rates.normalise, ``valuation=yearly-average``: a split entry's parts in
a year add up to the entry's own part of that year converted and rounded
once (fix41): each part's year was rounded alone, so the parts of €50,000
over three years made US$9,448.11 in 2019 against the entry's $9,448.12.
Expected figures are worked out here from the raw ECB file with Fractions."""
from __future__ import annotations

import csv
import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

from ledger import load
from rates.table import RATE_DIGITS
from reports.balance import converted
from reports.options import ReportOptions
from tests.rates.ecb_raw import ecb_rates

PARTS = ["16666.67", "16666.67", "16666.66"]
START, END = dt.date(2019, 6, 30), dt.date(2022, 6, 29)   # "over 3 years"


def _ledger(root: Path) -> Path:
    text = ('[ledger]\nname = "split"\n\n[[entry]]\nid = "s1"\ndate = 2019-06-30\n'
            'funder = "DE"\namount = "50000 EUR"\nperiod = "over 3 years"\n')
    for k, p in enumerate(PARTS):
        text += f'  [[entry.split]]\n  purpose = "P{k}"\n  amount = "{p} EUR"\n'
    root.mkdir(parents=True, exist_ok=True)
    (root / "ledger.toml").write_text(text, encoding="utf-8")
    return root


def _mean(year: int) -> Fraction:
    """The year's mean EUR->USD rate, to the table's documented precision."""
    v = [r for d, r in ecb_rates()["USD"].items() if d.year == year]
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        return Fraction(+(sum(v, Decimal(0)) / len(v)))


def _largest_remainder(total: int, weights: list[int]) -> list[int]:
    exact = [Fraction(total * w, sum(weights)) for w in weights]
    out = [int(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: (-(exact[i] - out[i]), i))[
            :total - sum(out)]:
        out[i] += 1
    return out


def _half_up(x: Fraction) -> int:
    q, r = divmod(x.numerator, x.denominator)
    return q + (2 * r >= x.denominator)


def _by_hand() -> dict[int, int]:
    """US cents per year: the entry's cents shared by days, each year's
    part converted at the year's mean and rounded once."""
    days = {y: (min(END, dt.date(y, 12, 31)) - max(START, dt.date(y, 1, 1))).days + 1
            for y in range(2019, 2023)}
    cents = _largest_remainder(5_000_000, list(days.values()))
    return {y: _half_up(c * _mean(y)) for y, c in zip(days, cents)}


def _cents(rows, account):
    return {int(r["year"]): int(Decimal(str(r["amount"])) * 100) for r in rows
            if r["account"] == account}


def test_parts_add_up_to_the_entry_each_year(tmp_path, run_cli):
    book = load(_ledger(tmp_path / "l"))
    want = _by_hand()
    assert want == {2019: 944812, 2020: 1907134, 2021: 1969435, 2022: 864730}
    rows, _ = converted(book, ReportOptions(currency="USD", valuation="yearly-average"),
                        by="year")
    assert _cents(rows, "(total)") == want
    parts = [_cents(rows, f"Purposes:P{k}") for k in range(3)]
    run, before = 0, [0, 0, 0]
    for y, cents in want.items():
        got = [p[y] for p in parts]
        assert sum(got) == cents
        # each part: the step of its share of the entry's running sum (fix44:
        # so each part's years also add up to its share of the whole)
        run += cents
        now = _largest_remainder(run, [1666667, 1666667, 1666666])
        assert got == [a - b for a, b in zip(now, before)]
        before = now
    # without years: the sum of the years, in balance and report alike
    rows, _ = converted(book, ReportOptions(currency="USD", valuation="yearly-average"))
    total = {r["account"]: Decimal(str(r["amount"])) for r in rows}
    assert total["(total)"] * 100 == sum(want.values())
    assert sum(total[f"Purposes:P{k}"] for k in range(3)) == total["(total)"]
    code, _, err = run_cli("report", tmp_path / "l", "--out", tmp_path / "r", "--currency",
                           "USD", "--valuation", "yearly-average")
    assert code == 0, err
    summary = (tmp_path / "r" / "summary.csv").read_text(encoding="utf-8")
    assert f"(total),,{Decimal(sum(want.values())).scaleb(-2)},USD" in summary


def test_the_export_shares_the_entry_converted_once(tmp_path, run_cli):
    # an export's rows (basis recorded): the whole entry at its date, so at
    # the 2019 average, rounded once: 5,000,000 cents x the 2019 mean
    root = _ledger(tmp_path / "l")
    out = tmp_path / "e.csv"
    code, _, err = run_cli("export", root, "--to", "csv", "-o", out, "--currency", "USD",
                           "--valuation", "yearly-average")
    assert code == 0, err
    with out.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["id"] == "s1"]
    want = _half_up(5_000_000 * _mean(2019))
    got = [int(Decimal(r["value"]) * 100) for r in rows]
    assert sum(got) == want
    assert got == _largest_remainder(want, [1666667, 1666667, 1666666])
