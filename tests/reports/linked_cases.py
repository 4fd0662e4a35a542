"""Random small ledgers of linked entries, for the hypothesis properties of
paid and of --status (tests/reports/test_paid2.py, test_paid3.py,
test_status4_filter.py): each case is (amounts, statuses, [not-counted
tags,] links), an entry's link none or a kind and an earlier entry, so
there is no cycle."""
from __future__ import annotations

from hypothesis import strategies as st

STATUSES = ("pledged", "committed", "disbursed", "spent")


def linked_cases(tagged: bool = False):
    """Cases of one to seven entries; ``tagged``: with a not-counted flag each."""
    def of(n: int):
        links = st.tuples(*[st.none() if i == 0 else
                            st.one_of(st.none(), st.tuples(st.sampled_from(
                                ("disburses", "part_of", "restates")), st.integers(0, i - 1)))
                            for i in range(n)])
        parts = [st.lists(st.integers(1, 9), min_size=n, max_size=n),
                 st.lists(st.sampled_from(STATUSES), min_size=n, max_size=n)]
        if tagged:
            parts.append(st.lists(st.booleans(), min_size=n, max_size=n))
        return st.tuples(*parts, links)
    return st.integers(1, 7).flatmap(of)


def journal_of(amounts, statuses, links, uncounted=None) -> str:
    """A case as a journal: entry i is "about £{amount}m" of funder UK
    ("about": a package may hold any parts; the package rule is not what
    these properties test), its status, its link, and tagged not-counted
    where ``uncounted`` says so."""
    text = '[ledger]\nname = "p"\ncurrency = "GBP"\n'
    for i, amount in enumerate(amounts):
        text += (f'\n[[entry]]\nid = "e{i}"\ndate = 2016-05-01\nfunder = "UK"\n'
                 f'purpose = "P"\namount = "about £{amount}m"\nstatus = "{statuses[i]}"\n')
        if links[i]:
            text += f'{links[i][0]} = "e{links[i][1]}"\n'
        if uncounted and uncounted[i]:
            text += 'tags = ["not-counted"]\n'
    return text
