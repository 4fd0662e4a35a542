"""A pair with no route is one line naming the entry, the pair and the date
(hunt 14, finding 1): with only XDR->USD in a ledger's rates.csv, XDR->EUR
used to end in ``KeyError: 'den'``, and a EUR entry reported in KWD with only
KWD->GBP rates in ``KeyError: "['num', 'den'] not found in axis"``.

As docs/rates.md says, a pair without its own quotes is crossed only through
the euro: XDR->USD and the ECB's USD->EUR do not make an XDR->EUR rate.  The
expected figures are worked out here from the table rows and the raw ECB
file, never from ``rates``."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import LedgerError
from rates import RateTable
from rates.normalise import normalise
from tests.conftest import REPO
from tests.rates.ecb_raw import ecb_rates

CODES = ("EUR", "USD", "XDR", "KWD")
DIGITS = {"EUR": 2, "USD": 2, "XDR": 2, "KWD": 3}
DAY = dt.date(2015, 6, 1)
RUN = [sys.executable, "-m", "ledger_tool"]


def _q15(x: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 80, ROUND_HALF_EVEN
        exact = Decimal(x.numerator) / Decimal(x.denominator)
        ctx.prec = 15
        return (+exact).normalize()


def _money(x: Decimal, digits: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        return x.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame({"date": [pd.Timestamp("2015-01-01")] * len(rows),
                         "from": [a for a, _, _ in rows], "to": [b for _, b, _ in rows],
                         "rate": [r for _, _, r in rows], "source": ["t"] * len(rows),
                         "origin": [f"t.csv:{i + 2}" for i in range(len(rows))]})


def _by_hand(rows, base: str, quote: str) -> Fraction | None:
    """The documented route: the pair's own row (as asked beats inverted),
    else TO per EUR / FROM per EUR (EUR->X beats X->EUR), else None."""
    quotes = {(a, b): Fraction(r) for a, b, r in rows}

    def own(x: str, y: str) -> Fraction | None:
        if (x, y) in quotes:
            return quotes[(x, y)]
        return 1 / quotes[(y, x)] if (y, x) in quotes else None

    direct = own(base, quote)
    if direct is not None:
        return direct
    if "EUR" in (base, quote):
        return None
    b, q = own("EUR", base), own("EUR", quote)
    return None if b is None or q is None else q / b


rate_rows = st.lists(
    st.tuples(st.sampled_from(CODES), st.sampled_from(CODES),
              st.decimals(min_value=Decimal("0.001"), max_value=Decimal("999"), places=3)
              .filter(lambda r: r > 0)),
    max_size=6).map(lambda rows: list({(a, b): (a, b, r) for a, b, r in rows
                                       if a != b}.values()))


@settings(max_examples=80, deadline=None)
@given(rows=rate_rows)
def test_every_pair_converts_as_documented_or_says_which_leg_is_missing(rows):
    table = RateTable([_frame(rows)], embedded=False)
    present = {c for a, b, _ in rows for c in (a, b)}
    for base in CODES:
        for quote in CODES:
            if base == quote or not {base, quote} <= present:
                continue
            want = _by_hand(rows, base, quote)
            if want is None:
                with pytest.raises(LedgerError) as err:
                    table.convert(Decimal(1_000_000), base, quote, DAY)
                text = str(err.value)
                assert text.startswith(f"no {base}->{quote} rate on {DAY}: ")
                assert "\n" not in text
                lacking = [c for c in (base, quote) if c != "EUR"
                           and _by_hand(rows, c, "EUR") is None]
                assert lacking and all(f"no {c}<->EUR rates" in text for c in lacking)
                with pytest.raises(LedgerError, match=f"no {base}->{quote} rate on {DAY}"):
                    table.yearly_averages(base, quote, at=[DAY])
                continue
            c = table.convert(Decimal(1_000_000), base, quote, DAY)
            rate = _q15(want)
            assert c.rate == rate
            assert c.amount == _money(Decimal(1_000_000) * rate, DIGITS[quote])


def test_the_euro_is_the_only_cross():
    # XDR->USD and EUR->USD exist, yet XDR->EUR and XDR->GBP are refused
    table = RateTable([_frame([("XDR", "USD", Decimal("1.4"))])])
    assert table.convert(Decimal(1_000_000), "XDR", "USD", DAY).amount == Decimal("1400000.00")
    for quote in ("EUR", "GBP"):
        with pytest.raises(LedgerError, match=rf"^no XDR->{quote} rate on {DAY}: there are "
                           rf"no XDR<->EUR rates \(the rate tables give XDR only against "
                           rf"USD\)"):
            table.convert(Decimal(1), "XDR", quote, DAY)


def test_a_leg_given_makes_the_cross_through_the_euro():
    raw = ecb_rates()["GBP"]
    table = RateTable([_frame([("XDR", "USD", Decimal("1.4")),
                               ("XDR", "EUR", Decimal("1.25"))])])
    c = table.convert(Decimal(1_000_000), "XDR", "GBP", DAY)
    want = _q15(Fraction(raw[DAY]) * Fraction("1.25"))
    assert (c.rate, c.rate_date) == (want, DAY)
    assert c.amount == _money(Decimal(1_000_000) * want, 2)


def test_legs_that_never_meet_name_their_dates():
    table = RateTable([pd.DataFrame({"date": [pd.Timestamp("1995-01-01")], "from": ["XDR"],
                                     "to": ["EUR"], "rate": [Decimal("1.2")],
                                     "source": ["t"], "origin": ["t.csv:2"]})])
    first_gbp = min(ecb_rates()["GBP"])
    with pytest.raises(LedgerError) as err:
        table.convert(Decimal(1), "XDR", "GBP", dt.date(1995, 3, 10))
    assert str(err.value).startswith(
        f"no XDR->GBP rate on 1995-03-10: the EUR->XDR rates cover 1995-01-01 to "
        f"1995-12-31 and the EUR->GBP rates cover {first_gbp} to ")


def test_normalise_names_the_entry_in_every_valuation():
    frame = pd.DataFrame({"id": ["g"], "date": ["2015-03-10"], "amount": ["1000000"],
                          "currency": ["XDR"], "where": ["p.toml:1: entry 'g'"]})
    rates = _frame([("XDR", "USD", Decimal("1.4"))])
    for valuation in ("entry-date", "2016-01-04", "yearly-average"):
        with pytest.raises(LedgerError) as err:
            normalise(frame, currency="EUR", valuation=valuation, rates=[rates])
        assert "\n" not in str(err.value)
        assert "entry 'g'" in str(err.value) and "no XDR->EUR rate on " in str(err.value)


def _ledger(path, currency, entries, rates):
    path.mkdir()
    (path / "ledger.toml").write_text(f'[ledger]\nname = "t"\ncurrency = "{currency}"\n')
    (path / "p.toml").write_text("".join(
        f'[[entry]]\nid = "{i}"\ndate = 2015-03-10\nfunder = "F"\npurpose = "P"\n'
        f'amount = "{a}"\ncurrency = "{c}"\nstatus = "pledged"\n' for i, a, c in entries))
    (path / "rates.csv").write_text("date,from,to,rate,source\n" + rates)
    return path


def _one_line(r, *needles):
    assert r.returncode == 1 and "Traceback" not in r.stderr
    err = [ln for ln in r.stderr.splitlines() if "warning" not in ln]
    assert len(err) == 1, r.stderr
    assert all(n in err[0] for n in needles), err[0]


@pytest.mark.parametrize("cmd", ["balance", "report", "export"])
def test_commands_refuse_in_one_line_and_write_nothing(tmp_path, cmd):
    xdr = _ledger(tmp_path / "xdr", "GBP", [("g", "1000000", "XDR")],
                  "2015-01-01,XDR,USD,1.4,test\n")
    kwd = _ledger(tmp_path / "kwd", "KWD", [("e", "1000", "EUR"), ("b", "1000", "GBP")],
                  "2015-01-01,KWD,GBP,2.2,test\n")
    out = tmp_path / "out"
    extra = {"balance": [], "report": ["--out", str(out)],
             "export": ["-o", str(out) + ".journal"]}[cmd]
    for ledger, currency, needles in (
            (xdr, "EUR", ("entry 'g'", "no XDR->EUR rate on 2015-03-10", "XDR<->EUR")),
            (xdr, "GBP", ("entry 'g'", "no XDR->GBP rate on 2015-03-10", "XDR<->EUR")),
            (kwd, "KWD", ("entry 'e'", "no EUR->KWD rate on 2015-03-10", "KWD<->EUR"))):
        r = subprocess.run([*RUN, cmd, str(ledger), "--currency", currency, *extra],
                           capture_output=True, text=True, cwd=REPO)
        _one_line(r, *needles)
        assert r.stdout == "" and sorted(tmp_path.iterdir()) == [tmp_path / "kwd", xdr]
    r = subprocess.run([*RUN, "balance", str(xdr), "--currency", "USD"],
                       capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0 and "US$1,400,000.00" in r.stdout
