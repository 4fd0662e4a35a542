"""An elided quote ("… ") is read from its own words: the figure, currency
and period come from its parts, never from the words it leaves out; a gap
stays in its paragraph; a figure in the gap is named in a warning."""
from __future__ import annotations

from ledger.sources.audit import find_quote
from tests.ledger.sources.ledger16 import audited, codes, example_with, ledger_of

# a press release in the shape of the seeds' 001 (one paragraph a line)
RELEASE = (
    "Aid\n"
    "\n"
    "The Fund has announced new help. This includes grants totalling £40 million for "
    "schools, and a further £9 million in aid will help flood victims.\n"
    "\n"
    "With more than €2 billion a year in aid to the region, the Partner helps too.\n"
    "\n"
    "The port gets £12 million (€15 million) over three years.\n"
)

ENTRIES = '''
[[entry]]
id = "gap-figure"
date = 2015-07-30
funder = "Fund"
purpose = "Floods"
amount = "£9 million"
  [[entry.source]]
  doc = "release"
  quote = "The Fund has announced … in aid will help flood victims"

[[entry]]
id = "borrowed-rate"
date = 2015-07-30
funder = "Fund"
purpose = "Schools"
amount = "£40 million a year"
  [[entry.source]]
  doc = "release"
  quote = "totalling £40 million … a year"

[[entry]]
id = "fair-elision"
date = 2015-07-30
funder = "Fund"
purpose = "Schools"
amount = "£40 million"
  [[entry.source]]
  doc = "release"
  quote = "This includes grants … £40 million for schools"

[[entry]]
id = "restated-in-gap"
date = 2015-07-30
funder = "Fund"
purpose = "Port"
amount = "£12 million"
period = "over 3 years"
  [[entry.source]]
  doc = "release"
  quote = "The port gets £12 million … over three years"
'''


def test_a_gap_stays_in_its_paragraph():
    text = "totalling £40 million in aid.\n\nFrance gives €2 billion a year."
    assert find_quote("totalling £40 million … a year", text) is None
    # a line break inside a paragraph is no paragraph's end
    wrapped = "totalling £40 million\nin aid a year."
    m = find_quote("totalling £40 million … a year", wrapped)
    assert m is not None and m.how == "elided"
    assert [wrapped[a:b] for a, b in m.parts] == ["totalling £40 million", "a year"]
    assert [wrapped[a:b] for a, b in m.gaps] == ["\nin aid "]


def test_an_elided_quote_is_read_from_its_own_words(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"release.txt": RELEASE}, ENTRIES)
    figures, findings = audited(run_cli, book)
    # the £9m is in the words the quote leaves out: no figure in the quote
    assert not figures["gap-figure"]["verified"]
    assert codes(findings, "gap-figure") >= {("error", "no-figure-in-quote"),
                                             ("warning", "figure-in-omission")}
    said = next(f["message"] for f in findings
                if f["entry"] == "gap-figure" and f["code"] == "figure-in-omission")
    assert "'£40 million'" in said and "'£9 million'" in said
    # "a year" is only in the next paragraph (France's €2 billion)
    assert not figures["borrowed-rate"]["verified"]
    assert ("error", "quote-not-found") in codes(findings, "borrowed-rate")
    # an elision inside one paragraph, the figure in the quote's own words
    assert figures["fair-elision"]["verified"]
    assert codes(findings, "fair-elision") == {("ok", "quote-verified"), ("info", "quote-elided")}
    # a restatement in the gap belongs to the figure before it: no warning
    assert figures["restated-in-gap"]["verified"]
    assert ("warning", "figure-in-omission") not in codes(findings, "restated-in-gap")


def test_the_seeds_elided_quotes(tmp_path, run_cli, example_ledger, seeds_dir):
    raw = (seeds_dir / "001_c33d2c2f8263bd4b.txt").read_text(encoding="utf-8")
    para = next(p for p in raw.split("\n\n") if "totalling £217 million" in p)
    assert "a year" not in para and "£100 million" in para     # read by hand, checked here
    book = example_with(tmp_path, example_ledger, '''
[[entry]]
id = "fig-in-gap"
date = 2015-07-30
funder = "UK:DFID"
purpose = "Test:Gap"
amount = "£100 million"
  [[entry.source]]
  doc = "001_c33d2c2f8263bd4b"
  quote = "The UK Government has announced … in aid will help those displaced"

[[entry]]
id = "elided-rate2"
date = 2015-07-30
funder = "UK:DFID"
purpose = "Test:A"
amount = "£217 million a year"
  [[entry.source]]
  doc = "001_c33d2c2f8263bd4b"
  quote = "totalling £217 million … a year"
''')
    figures, findings = audited(run_cli, book, "--sources", seeds_dir)
    assert not figures["fig-in-gap"]["verified"] and not figures["elided-rate2"]["verified"]
    assert ("error", "no-figure-in-quote") in codes(findings, "fig-in-gap")
    said = [f["message"] for f in findings
            if f["entry"] == "fig-in-gap" and f["code"] == "figure-in-omission"]
    assert len(said) == 1 and "'£100 million'" in said[0] and "'£217 million'" in said[0]
    assert ("error", "quote-not-found") in codes(findings, "elided-rate2")
    # the example's own entries are untouched
    assert all(figures[e]["verified"] for e in figures if e not in ("fig-in-gap", "elided-rate2"))
