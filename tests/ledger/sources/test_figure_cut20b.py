"""A quote cut inside a figure is not verified for the figure it cut, at
either end and at each part of an elided quote: "5 million euros" taken
from "15 million euros" starts inside the figure, "pledged £5 … for the
quay" from "pledged £5 billion … for the quay" stops inside one."""
from __future__ import annotations

from tests.ledger.sources.ledger16 import audited, codes, ledger_of

# line 1: "15" at column 18 (17 characters before it), so "5" at 19; line 5:
# "1,500,000" at column 9, its "500,000" at 11
DOC = ("The council gave 15 million euros for the wall.\n\n"
       "It pledged £5 billion and 3 million for the quay.\n\n"
       "It paid 1,500,000 euros to the port.\n\n"
       "It gave £2 million and 15 million euros to the dock.\n\n"
       "It gave €4.5 million (£3.9 million) to the school.\n")


def entry(eid: str, amount: str, quote: str) -> str:
    return (f'[[entry]]\nid = "{eid}"\ndate = 2024-01-01\nfunder = "UK:Council"\n'
            f'purpose = "Harbour:{eid}"\namount = "{amount}"\n'
            f'  [[entry.source]]\n  doc = "d1"\n  quote = "{quote}"\n\n')


ENTRIES = "".join([
    entry("tail", "€5m", "5 million euros"),
    entry("tail-elided", "€5m", "…5 million euros"),
    entry("tail-grouped", "€500,000", "500,000 euros"),
    entry("part-stops", "£5", "pledged £5 … for the quay"),
    entry("outer-part-stops", "£5", "… pledged £5 … for the quay"),
    entry("part-starts", "£2m", "gave £2 million … 5 million euros to the dock"),
    # the figures as the document gives them verify
    entry("whole", "€15m", "15 million euros"),
    entry("whole-elided", "£5bn", "pledged £5 billion … for the quay"),
    entry("restated", "£3.9m", "£3.9 million"),
])


def message(findings, eid: str) -> str:
    return next(f"{f['line']}:{f['column']}: {f['message']}" for f in findings
                if f["entry"] == eid and f["code"] == "amount-mismatch")


def test_a_quote_cut_inside_a_figure_is_an_amount_mismatch(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"d1.txt": DOC}, ENTRIES)
    figures, findings = audited(run_cli, book)
    for eid in ("tail", "tail-elided", "tail-grouped", "part-stops", "outer-part-stops",
                "part-starts"):
        assert not figures[eid]["verified"], eid
        assert ("ok", "quote-verified") not in codes(findings, eid), eid
    assert message(findings, "tail") == message(findings, "tail-elided") == (
        "1:19: the quote starts inside the figure: the document reads '15 million euros' "
        "but the entry records €5m")
    assert message(findings, "tail-grouped") == (
        "5:11: the quote starts inside the figure: the document reads '1,500,000 euros' "
        "but the entry records €500,000")
    assert message(findings, "part-stops") == message(findings, "outer-part-stops") == (
        "3:4: the quote stops inside the figure: the document reads '£5 billion' "
        "but the entry records £5")
    # the second part starts inside "15 million euros", which the gap begins
    assert message(findings, "part-starts") == (
        "7:4: the quote starts inside the figure: the document reads '15 million euros' "
        "but the entry records £2m")
    assert ("warning", "figure-in-omission") in codes(findings, "part-starts")
    for eid in ("whole", "whole-elided", "restated"):
        assert figures[eid]["verified"], (eid, codes(findings, eid))


# "5 million euros" twice: the tail of "15 million euros" (line 1), then whole (line 3)
TWICE = ("The council gave 15 million euros for the wall.\n\n"
         "It gave 5 million euros to the quay.\n")


def test_a_quote_found_whole_elsewhere_is_read_there(tmp_path, run_cli):
    entries = entry("quay", "€5m", "5 million euros") + entry("wall", "€15m", "15 million euros")
    book = ledger_of(tmp_path, run_cli, {"d1.txt": TWICE}, entries)
    figures, findings = audited(run_cli, book)
    assert figures["quay"]["verified"] and figures["wall"]["verified"]
    said = next(f for f in findings if f["entry"] == "quay" and f["code"] == "quote-repeated")
    # "It gave " is 8 characters: the whole figure starts at column 9
    assert (said["line"], said["column"]) == (3, 9)
    assert said["message"] == ("the quote occurs 2 times in d1; its locator does not say "
                               "which; the first that is not part of a longer number is at "
                               "3:9")
    # its locator can still point at the tail, which is then a mismatch
    (tmp_path / "2").mkdir()
    book2 = ledger_of(tmp_path / "2", run_cli, {"d1.txt": TWICE},
                      entry("tail", "€5m", "5 million euros")
                      .replace('quote = ', 'locator = "line 1"\n  quote = '))
    figures, findings = audited(run_cli, book2)
    assert not figures["tail"]["verified"]
    assert "starts inside the figure" in message(findings, "tail")
