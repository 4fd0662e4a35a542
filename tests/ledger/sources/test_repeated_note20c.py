"""The note on a repeated quote says what picked the occurrence reported:
the locator alone, the locator and then the first of those it fits, or the
first that is not the tail of a longer number."""
from __future__ import annotations

from tests.ledger.sources.ledger16 import audited, ledger_of

QUOTE = "gave 5 million euros to the harbour"
LINES = ["Intro: the council gave 5 million euros to the harbour.", "",
         "Later the council gave 5 million euros to the harbour and again "
         "gave 5 million euros to the harbour.", "",
         "Then it gave 15 million euros to the harbour and gave 5 million euros to the "
         "harbour.", ""]
DOC = "\n".join(LINES)


def column(line: int, nth: int = 0, what: str = QUOTE) -> int:
    """1-based column of the nth occurrence of ``what`` on a 1-based line."""
    at = -1
    for _ in range(nth + 1):
        at = LINES[line - 1].index(what, at + 1)
    return at + 1


def entry(eid: str, locator: str, quote: str = QUOTE) -> str:
    where = f'  locator = "{locator}"\n' if locator else ""
    return (f'[[entry]]\nid = "{eid}"\ndate = 2024-01-01\nfunder = "UK:Council"\n'
            f'purpose = "Harbour:{eid}"\namount = "€5m"\n'
            f'  [[entry.source]]\n  doc = "d1"\n{where}  quote = "{quote}"\n\n')


def test_the_note_says_what_picked_the_occurrence(tmp_path, run_cli):
    tail = "5 million euros to the harbour"
    entries = (entry("two-fit", "line 3") + entry("none", "") + entry("one-fits", "line 1")
               + entry("tail-fits", "line 5", tail))
    book = ledger_of(tmp_path, run_cli, {"d1.txt": DOC}, entries)
    figures, findings = audited(run_cli, book)
    note = {f["entry"]: f["message"] for f in findings if f["code"] == "quote-repeated"}
    assert all(figures[e]["verified"] for e in ("two-fit", "none", "one-fits", "tail-fits"))
    assert note["two-fit"] == ("the quote occurs 4 times in d1; its locator fits 2 of them "
                               f"but does not say which; the first of those is at "
                               f"3:{column(3)}")
    assert note["none"] == ("the quote occurs 4 times in d1; its locator does not say which; "
                            f"the first is at 1:{column(1)}")
    assert note["one-fits"] == ("the quote occurs 4 times in d1; its locator points to the "
                                f"one at 1:{column(1)}")
    # line 5 holds the tail of "15 million euros to the harbour", then the whole
    assert note["tail-fits"] == (
        "the quote occurs 5 times in d1; its locator fits 2 of them but does not say which; "
        "the first of those that is not part of a longer number is at "
        f"5:{column(5, 1, tail)}")
