"""A quote cut inside a figure is read against the document's figure at the
cut, whatever else the quote reads and whether the figure is written in
digits or in words: "5 million euros in 2014 and 15 million euros in 2015"
cut from "15 million euros in 2014 and 15 million euros in 2015" starts
inside the first figure, though it reads "15 million euros" further on;
"five million euros" cut from "twenty-five million euros" starts inside a
figure of €25m."""
from __future__ import annotations

from tests.ledger.sources.ledger16 import audited, codes, ledger_of

# "The state paid " is 15 characters: "15" at column 16, its "5" at 17;
# "Spain gave twenty-" is 18 characters: "five" at column 19
DOC = ("The state paid 15 million euros in 2014 and 15 million euros in 2015.\n\n"
       "Spain gave twenty-five million euros to schools.\n\n"
       "Spain gave twenty five million euros to clinics.\n\n"
       "Portugal gave one hundred and five million euros to ports.\n\n"
       "Italy gave five million euros to farms.\n\n"
       "It gave €4.5 million (£3.9 million) to the school.\n")


def entry(eid: str, amount: str, quote: str, locator: str = "") -> str:
    where = f'  locator = "{locator}"\n' if locator else ""
    return (f'[[entry]]\nid = "{eid}"\ndate = 2024-01-01\nfunder = "UK:Council"\n'
            f'purpose = "Harbour:{eid}"\namount = "{amount}"\n'
            f'  [[entry.source]]\n  doc = "d1"\n{where}  quote = "{quote}"\n\n')


ENTRIES = "".join([
    entry("read-elsewhere", "€5m", "5 million euros in 2014 and 15 million euros in 2015"),
    entry("hyphen", "€5m", "five million euros to schools"),
    entry("spaced", "€5m", "five million euros to clinics"),
    entry("hundred", "€5m", "five million euros to ports"),
    # the figures as the document gives them verify
    entry("whole", "€15m", "15 million euros in 2014 and 15 million euros in 2015"),
    entry("words", "€25m", "twenty-five million euros to schools"),
    entry("five", "€5m", "five million euros to farms"),
    entry("restated", "£3.9m", "£3.9 million) to the school"),
])


def message(findings, eid: str) -> str:
    return next(f"{f['line']}:{f['column']}: {f['message']}" for f in findings
                if f["entry"] == eid and f["code"] == "amount-mismatch")


def test_a_cut_figure_is_read_against_the_quote_at_the_cut(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"d1.txt": DOC}, ENTRIES)
    figures, findings = audited(run_cli, book)
    assert not figures["read-elsewhere"]["verified"]
    assert ("ok", "quote-verified") not in codes(findings, "read-elsewhere")
    assert message(findings, "read-elsewhere") == (
        "1:17: the quote starts inside the figure: the document reads '15 million euros' "
        "but the entry records €5m")
    for eid in ("whole", "restated"):
        assert figures[eid]["verified"], (eid, codes(findings, eid))


def test_a_figure_in_words_is_cut_as_one_in_digits(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"d1.txt": DOC}, ENTRIES)
    figures, findings = audited(run_cli, book)
    for eid in ("hyphen", "spaced", "hundred"):
        assert not figures[eid]["verified"], (eid, codes(findings, eid))
        assert ("ok", "quote-verified") not in codes(findings, eid), eid
    assert message(findings, "hyphen") == (
        "3:19: the quote starts inside the figure: the document reads "
        "'twenty-five million euros' but the entry records €5m")
    assert "the document reads 'twenty five million euros'" in message(findings, "spaced")
    assert "the document reads 'one hundred and five million euros'" in \
        message(findings, "hundred")
    for eid in ("words", "five"):
        assert figures[eid]["verified"], (eid, codes(findings, eid))


# "five million euros to the port" twice: the tail of "twenty-five million
# euros" (line 1), then whole (line 3, "Later it gave " is 14 characters)
TWICE = ("Spain gave twenty-five million euros to the port.\n\n"
         "Later it gave five million euros to the port.\n")


def test_a_quote_cut_inside_a_figure_in_words_is_not_the_one_meant(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"d1.txt": TWICE},
                     entry("port", "€5m", "five million euros to the port"))
    figures, findings = audited(run_cli, book)
    assert figures["port"]["verified"], codes(findings, "port")
    said = next(f for f in findings if f["entry"] == "port" and f["code"] == "quote-repeated")
    assert (said["line"], said["column"]) == (3, 15)
    # its locator can still point at the tail, which is then a mismatch
    (tmp_path / "2").mkdir()
    book2 = ledger_of(tmp_path / "2", run_cli, {"d1.txt": TWICE},
                      entry("tail", "€5m", "five million euros to the port", "line 1"))
    figures, findings = audited(run_cli, book2)
    assert not figures["tail"]["verified"]
    assert "the document reads 'twenty-five million euros'" in message(findings, "tail")
