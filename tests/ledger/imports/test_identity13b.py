"""``same_figures``: a row left over is only ever "the same figure" as a
row it agrees with (``records_agree``), whatever the periods of the entries
the other rows were paired with."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.imports.identity import (Figures, compared, figure_key, recorded,
                                     records_agree, same_figures)

PERIODS = ("", "over 2 years", "over 3 years")
GIVEN = {"doc", "quote", "recipient", "period", "status"}
AT = compared(GIVEN)


def _key(recipient: str, period: str, quote: str = "") -> tuple:
    return figure_key("Spain", [("Education", Decimal(9000))], Decimal(9000), "EUR",
                      dt.date(2011, 1, 1), [("report", quote, "")],
                      recorded({"recipient": recipient, "period": period,
                                "date": dt.date(2011, 1, 1)}))


def test_a_row_paired_with_an_entry_leaving_out_the_period():
    """One entry without a period; rows "over 2 years" and "over 3 years":
    either row is that entry, the other disagrees with it and is new (two
    figures: the ledger had one, the import adds one)."""
    ledger = Figures(GIVEN)
    ledger.add(_key("", ""), ("e0", "book.toml", 1))
    rows = {0: (_key("", "over 2 years"), False), 1: (_key("", "over 3 years"), False)}
    got = same_figures(ledger, rows)
    assert sorted(v.entry is not None for v in got.values()) == [False, True]
    assert [v.row for v in got.values()] == [None, None]


item = st.tuples(st.sampled_from(("UNICEF", "")), st.sampled_from(PERIODS))


@settings(max_examples=400, deadline=None)
@given(st.lists(item, max_size=4), st.lists(st.tuples(item, st.booleans()), max_size=6),
       st.booleans(), st.randoms(use_true_random=False))
def test_a_repeat_agrees_with_its_row(entries, rows, passage, rnd: random.Random):
    quote = "9,000 euros" if passage else ""
    ledger = Figures(GIVEN)
    for n, (r, p) in enumerate(entries):
        ledger.add(_key(r, p, quote), (f"e{n}", "book.toml", n + 1))
    keyed = {n: (_key(r, p, quote), own) for n, ((r, p), own) in enumerate(rows)}
    order = list(keyed)
    rnd.shuffle(order)
    for ks in (keyed, {m: keyed[n] for m, n in enumerate(order)}):
        for n, v in same_figures(ledger, ks).items():
            if v.row is not None:
                assert records_agree(ks[n][0][-1], ks[v.row][0][-1], AT), (n, v.row)
