"""The audit reads a range in words as a range and a fraction of the scale
as its figure: a wrong sum quoted from a range is not verified, and a quote
"a million pounds" cut from "three-quarters of a million pounds" starts
inside the figure."""
from __future__ import annotations

from tests.ledger.sources.ledger16 import audited, codes, ledger_of

DOC = ("The UK will give between one and two and a half million pounds to Calais.\n\n"
       "France will give between two and three million pounds to Dunkirk.\n\n"
       "The UK gave three-quarters of a million pounds to the port.\n\n"
       "France gave a third of a million pounds to the fund.\n\n"
       "The city got half of a million pounds more.\n")


def entry(eid: str, amount: str, quote: str) -> str:
    return (f'[[entry]]\nid = "{eid}"\ndate = 2024-01-01\nfunder = "UK"\n'
            f'purpose = "Calais:{eid}"\namount = "{amount}"\n'
            f'  [[entry.source]]\n  doc = "d1"\n  quote = "{quote}"\n\n')


ENTRIES = "".join([
    # the sums a reader that adds the words gets: 1 + 2.5, 2 + 3
    entry("sum", "£3.5m", "one and two and a half million pounds"),
    entry("sum2", "£5m", "two and three million pounds to Dunkirk"),
    entry("tq", "£1m", "a million pounds to the port"),
    entry("third", "£1m", "a million pounds to the fund"),
    entry("half", "£1m", "a million pounds more"),
    entry("tq-whole", "£750,000", "three-quarters of a million pounds"),
    entry("half-whole", "£500,000", "half of a million pounds"),
])


def test_ranges_and_fractions_in_words(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"d1.txt": DOC}, ENTRIES)
    figures, findings = audited(run_cli, book)
    for eid in ("sum", "sum2", "tq", "third", "half"):
        assert not figures[eid]["verified"], eid
        assert ("error", "amount-mismatch") in codes(findings, eid), eid
    for eid in ("tq", "third", "half"):
        said = next(f["message"] for f in findings
                    if f["entry"] == eid and f["code"] == "amount-mismatch")
        assert said.startswith("the quote starts inside the figure"), said
    for eid in ("tq-whole", "half-whole"):
        assert figures[eid]["verified"], (eid, codes(findings, eid))
