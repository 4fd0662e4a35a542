"""``same_figures``: rows and entries the input cannot tell apart are
counted, as many pairs as can be (checked against a plain augmenting-path
matching), each entry one row's at most, and what is new does not depend on
the order of the rows (a period left out agrees with any, so agreeing is
not transitive: the order must still decide nothing)."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.imports.identity import (Figures, figure_key, recorded, records_agree,
                                     same_figures, compared)

PERIODS = ("", "over 2 years", "over 3 years")
GIVEN = {"doc", "quote", "recipient", "period", "status"}


def _key(recipient: str, period: str, quote: str = "") -> tuple:
    return figure_key("Spain", [("Education", Decimal(9000))], Decimal(9000), "EUR",
                      dt.date(2011, 1, 1), [("report", quote, "")],
                      recorded({"recipient": recipient, "period": period,
                                "date": dt.date(2011, 1, 1)}))


def _max_matching(rows: list[tuple], entries: list[tuple]) -> int:
    """The largest number of (row, entry) pairs that agree, each used once
    (Kuhn's augmenting paths, independent of ``same_figures``)."""
    at = compared(GIVEN)
    owner: dict[int, int] = {}

    def augment(r: int, seen: set[int]) -> bool:
        for e, ent in enumerate(entries):
            if e in seen or not records_agree(rows[r][-1], ent[-1], at):
                continue
            seen.add(e)
            if e not in owner or augment(owner[e], seen):
                owner[e] = r
                return True
        return False

    return sum(augment(r, set()) for r in range(len(rows)))


item = st.tuples(st.sampled_from(("UNICEF", "")), st.sampled_from(PERIODS))


@settings(max_examples=300, deadline=None)
@given(st.lists(item, max_size=4), st.lists(st.tuples(item, st.booleans()), max_size=6),
       st.booleans(), st.randoms(use_true_random=False))
def test_counted_and_order_free(entries, rows, passage, rnd: random.Random):
    quote = "9,000 euros" if passage else ""
    ledger = Figures(GIVEN)
    ekeys = [_key(r, p, quote) for r, p in entries]
    for n, k in enumerate(ekeys):
        ledger.add(k, (f"e{n}", "book.toml", n + 1))
    keyed = {n: (_key(r, p, quote), own) for n, ((r, p), own) in enumerate(rows)}
    got = same_figures(ledger, keyed)
    matched = [v.entry for v in got.values() if v.entry is not None]
    assert len(matched) == len(set(matched))                 # an entry is one row's at most
    assert len(matched) == _max_matching([k for k, _ in keyed.values()], ekeys)
    for n, v in got.items():                                 # a row is only what it agrees with
        if v.entry is not None:
            e = int(v.entry[0][1:])
            assert records_agree(keyed[n][0][-1], ekeys[e][-1], compared(GIVEN))
        assert v.row is None or got[v.row].row is None

    def new(result, keys) -> list:
        return sorted(repr((keys[n][0][-1], keys[n][1])) for n, v in result.items()
                      if v.entry is None and v.row is None)

    order = list(keyed)
    rnd.shuffle(order)
    shuffled = {m: keyed[n] for m, n in enumerate(order)}
    assert new(same_figures(ledger, shuffled), shuffled) == new(got, keyed)


def test_a_listing_names_documents_only():
    """A file giving documents but no quotes or recipients: the ledger's two
    entries citing two passages of one report are its two rows."""
    ledger = Figures(GIVEN)
    for n, quote in enumerate(("9,000 euros for schools", "another 9,000 euros")):
        ledger.add(_key("UNICEF" if n else "Save the Children", "", quote), (f"e{n}", "", 0))
    listing = Figures({"doc", "period", "status"})
    for n, quote in enumerate(("9,000 euros for schools", "another 9,000 euros")):
        listing.add(_key("UNICEF" if n else "Save the Children", "", quote), (f"e{n}", "", 0))
    rows = {0: (_key("", ""), False), 1: (_key("", ""), False)}
    assert [v.entry for v in same_figures(ledger, rows).values()] == [None, None]
    assert sorted(v.entry[0] for v in same_figures(listing, rows).values()) == ["e0", "e1"]
