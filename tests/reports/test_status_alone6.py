"""reports.filters.counted_alone, column-wise: which linked entries --status
counts as themselves, and which are paid within one of them, equal what a
walk along each case's links (written here from the rule's words) finds."""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import read_book
from reports.filters import (KEPT, LEFT_BY_OTHERS, LEFT_BY_STATUS, Filters, counted_alone,
                             select)
from tests.reports.linked_cases import STATUSES, journal_of, linked_cases

PAID = ("disbursed", "spent")


def by_walking(statuses, tags, links, primary, status):
    """(counted as themselves, paid within one of them) of a case: each
    entry's chain is its link's target, that one's, and so on."""
    n = len(statuses)
    kept = [s == status for s in statuses]

    def chain(i):
        out = []
        while links[i]:
            i = links[i][1]
            out.append(i)
        return out
    alone = {i for i in range(n)
             if kept[i] and links[i] and not primary[i] and not tags[i]
             and not any(kept[j] for j in chain(i))}
    within = {i for i in range(n)
              if kept[i] and links[i] and not primary[i] and i not in alone
              and any(j in alone and statuses[j] in PAID for j in chain(i))}
    return {f"e{i}" for i in alone}, {f"e{i}" for i in within}


@settings(max_examples=150, deadline=None)
@given(linked_cases(tagged=True), st.sampled_from(STATUSES))
def test_counted_as_themselves_is_the_walk_along_the_links(case, status):
    amounts, statuses, tags, links = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "l.toml"
        path.write_text(journal_of(amounts, statuses, links, tags), encoding="utf-8")
        book = read_book(path, use_cache=False)
    primary = dict(zip(book.tables.entries["id"].astype(str),
                       book.tables.entries["primary"].to_numpy(dtype=bool)))
    alone, within = by_walking(statuses, tags, links,
                               [primary[f"e{i}"] for i in range(len(amounts))], status)
    got = select(book, Filters(status=(status,)))
    assert set(getattr(got, "counted_as_themselves", ())) == alone
    assert set(getattr(got, "paid_within_them", ())) == within


def test_a_long_chain():
    """e0 (primary) kept, e1 … e1998 left out by --status, e1999 kept, each
    linking to the one before: e1999's first target is left out by --status
    but e0, further on, is kept: it does not count as itself; once e0 is
    left out it does (and is paid: nothing kept links to it); when its
    first target is left out by another filter it does not."""
    n = 2_000
    ids = np.array([f"e{i}" for i in range(n)], dtype=object)
    state = np.full(n, LEFT_BY_STATUS, dtype=np.int8)
    state[0] = KEPT
    state[-1] = KEPT
    facts = {"ids": ids, "state": state, "primary": np.r_[True, np.zeros(n - 1, dtype=bool)],
             "tagged": np.zeros(n, dtype=bool), "paid": np.ones(n, dtype=bool),
             "src": ids[1:], "dst": ids[:-1]}
    assert counted_alone(**facts) == (frozenset(), frozenset())
    state[0] = LEFT_BY_OTHERS
    assert counted_alone(**facts) == (frozenset({f"e{n - 1}"}), frozenset())
    state[-2] = LEFT_BY_OTHERS
    assert counted_alone(**facts) == (frozenset(), frozenset())
