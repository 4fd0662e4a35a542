"""A quote that starts or ends with an ellipsis ("… pledged £5 million …")
is its words between them, found as any quote is; one with omissions
inside as well is elided, by the same rules (a gap in one paragraph, a
figure in the words left out named)."""
from __future__ import annotations

import pytest

from ledger.sources.audit import find_quote
from tests.ledger.sources.ledger16 import audited, codes, ledger_of

TEXT = "The council pledged £5 million for the wall, and £2 million for the quay."


@pytest.mark.parametrize("quote", [
    "… pledged £5 million …", "...pledged £5 million...", "pledged £5 million …",
    "… pledged £5 million", "[…] pledged £5 million [...]", "… … pledged £5 million",
    '"… pledged £5 million …"',
])
def test_the_words_between_outer_ellipses(quote):
    m = find_quote(quote, TEXT)
    assert m is not None and m.how == "verbatim" and not m.parts
    assert (m.start, m.end) == (12, 30) and TEXT[m.start:m.end] == "pledged £5 million"


def test_outer_and_inner_ellipses():
    m = find_quote("… council … £5 million …", TEXT)
    assert m is not None and m.how == "elided"
    assert [TEXT[a:b] for a, b in m.parts] == ["council", "£5 million"]
    # the words between are folded as any quote's; letter case is told
    m = find_quote("… PLEDGED  £5\u00a0million …", TEXT)
    assert m is not None and m.how == "letter case" and m.text == "pledged £5 million"
    # a gap still stays in its paragraph
    assert find_quote("… £5 million … a year", "£5 million for schools.\n\nIn a year") is None
    # nothing but an ellipsis, or words the text does not hold
    assert find_quote("…", TEXT) is None
    assert find_quote("… pledged £6 million …", TEXT) is None


ENTRIES = '''
[[entry]]
id = "outer"
date = 2024-01-01
funder = "UK:Council"
purpose = "Harbour:Wall"
amount = "£5m"
  [[entry.source]]
  doc = "d1"
  quote = "… pledged £5 million …"

[[entry]]
id = "gap-figure"
date = 2024-01-01
funder = "UK:Council"
purpose = "Harbour:Quay"
amount = "£2m"
  [[entry.source]]
  doc = "d1"
  quote = "… The council pledged … £2 million for the quay …"

[[entry]]
id = "cut"
date = 2024-01-01
funder = "UK:Council"
purpose = "Harbour:Other"
amount = "£5"
  [[entry.source]]
  doc = "d1"
  quote = "… pledged £5 …"
'''


def test_audit_verifies_the_words_between(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"d1.txt": TEXT + "\n"}, ENTRIES)
    figures, findings = audited(run_cli, book)
    assert figures["outer"]["verified"]
    assert codes(findings, "outer") == {("ok", "quote-verified")}
    # the £5 million between the parts is named, as without the outer ellipses
    assert figures["gap-figure"]["verified"]
    assert codes(findings, "gap-figure") == {("ok", "quote-verified"), ("info", "quote-elided"),
                                             ("warning", "figure-in-omission")}
    said = next(f["message"] for f in findings
                if f["entry"] == "gap-figure" and f["code"] == "figure-in-omission")
    assert "'£5 million'" in said
    # "£5" of "£5 million": the figure runs on past the quote's end
    assert not figures["cut"]["verified"]
    assert ("error", "amount-mismatch") in codes(findings, "cut")
    assert ("error", "quote-not-found") not in codes(findings, "cut")
