"""A heading holding a number ("Item 5", "Budget 2024-25") is a heading in
plain text: a wrong heading locator under it is found.  Only a line that
holds a money figure is taken for no heading."""
from __future__ import annotations

from tests.ledger.sources.ledger16 import audited, ledger_of

MINUTES = ("Minutes\n\nItem 4\n\nThe council agreed £1.5 million for lights.\n\nItem 5\n\n"
           "The council agreed £2.5 million for roads.\n\nBudget 2024-25\n\n"
           "It set £6 million for parks.\n")


def _entry(eid: str, amount: str, quote: str, locator: str) -> str:
    return (f'[[entry]]\nid = "{eid}"\ndate = 2024-04-10\nfunder = "Council {eid}"\n'
            f'purpose = "Town:{eid}"\namount = "{amount}"\nstatus = "pledged"\n'
            f'  [[entry.source]]\n  doc = "m"\n  quote = "{quote}"\n  locator = "{locator}"\n\n')


def test_a_numbered_heading_is_checked(tmp_path, run_cli):
    entries = (_entry("lights", "£1.5 million", "£1.5 million for lights", "heading: Item 4")
               + _entry("roads", "£2.5 million", "£2.5 million for roads", "heading: Item 4")
               + _entry("parks", "£6 million", "£6 million for parks", "heading: Budget 2024-25"))
    book = ledger_of(tmp_path, run_cli, {"m.txt": MINUTES}, entries)
    _, findings = audited(run_cli, book)
    wrong = [f for f in findings if f["code"] == "locator-mismatch"]
    assert [f["entry"] for f in wrong] == ["roads"], findings
    assert "'Item 5'" in wrong[0]["message"]
