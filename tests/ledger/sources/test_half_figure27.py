""""half a million pounds" is one figure, 500,000: a quote "a million
pounds" taken from it starts inside the figure and is not verified for
£1m; the figure quoted whole verifies its £500,000."""
from __future__ import annotations

from tests.ledger.sources.ledger16 import audited, codes, ledger_of

# line 1: "half" at column 13, its "a million" at 18
DOC = ("The UK gave half a million pounds to Calais.\n\n"
       "It paid two and a half million euros to the port.\n\n"
       "France gave half a million pounds to Dunkirk.\n")


def entry(eid: str, amount: str, quote: str) -> str:
    return (f'[[entry]]\nid = "{eid}"\ndate = 2024-01-01\nfunder = "UK"\n'
            f'purpose = "Calais:{eid}"\namount = "{amount}"\n'
            f'  [[entry.source]]\n  doc = "d1"\n  quote = "{quote}"\n\n')


ENTRIES = "".join([
    entry("cut", "£1m", "a million pounds to Calais"),
    entry("whole", "£500,000", "half a million pounds to Dunkirk"),
    entry("whole-half", "€2.5m", "two and a half million euros"),
])


def message(findings, eid: str) -> str:
    return next(f"{f['line']}:{f['column']}: {f['message']}" for f in findings
                if f["entry"] == eid and f["code"] == "amount-mismatch")


def test_half_a_million_is_one_figure(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"d1.txt": DOC}, ENTRIES)
    figures, findings = audited(run_cli, book)
    assert not figures["cut"]["verified"]
    assert ("ok", "quote-verified") not in codes(findings, "cut")
    assert message(findings, "cut") == (
        "1:18: the quote starts inside the figure: the document reads "
        "'half a million pounds' but the entry records £1m")
    for eid in ("whole", "whole-half"):
        assert figures[eid]["verified"], (eid, codes(findings, eid))
        assert codes(findings, eid) == {("ok", "quote-verified")}, eid
