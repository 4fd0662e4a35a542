"""A quote that gives a range's upper bound ("£3 million for roads" of
"from £2 million to £3 million for roads") does not start inside a figure:
the document's figure there is the range, and its upper bound is the
amount the quote reads (review of fix20c, which refused it)."""
from __future__ import annotations

from tests.ledger.sources.ledger16 import audited, codes, ledger_of

DOC = ("Ministers gave from £2 million to £3 million for roads.\n\n"
       "Between £4 million and £6 million went to bridges.\n\n"
       "It gave between 2 and 3 million euros to ports.\n\n"
       "The state paid 15 million euros to farms.\n")


def entry(eid: str, amount: str, quote: str) -> str:
    return (f'[[entry]]\nid = "{eid}"\ndate = 2024-01-01\nfunder = "UK:Council"\n'
            f'purpose = "Harbour:{eid}"\namount = "{amount}"\nqualifier = "up to"\n'
            f'  [[entry.source]]\n  doc = "d1"\n  quote = "{quote}"\n\n')


ENTRIES = "".join([
    entry("roads", "£3m", "£3 million for roads"),
    entry("bridges", "£6m", "£6 million went to bridges"),
    entry("ports", "€3m", "3 million euros to ports"),
    entry("tail", "€5m", "5 million euros to farms"),      # still a cut: 15 million
])


def test_a_range_upper_bound_is_not_a_cut(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"d1.txt": DOC}, ENTRIES)
    figures, findings = audited(run_cli, book)
    for eid in ("roads", "bridges", "ports"):
        assert ("error", "amount-mismatch") not in codes(findings, eid), (eid, codes(findings, eid))
        assert figures[eid]["verified"], (eid, codes(findings, eid))
    assert not figures["tail"]["verified"]
    assert ("error", "amount-mismatch") in codes(findings, "tail")
