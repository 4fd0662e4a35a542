"""The words between a quote's outer ellipses are sought as the quote
writes them, so the match is labelled as the same quote without the
ellipses is: "council’s" against the document's "council's" is
normalised, not verbatim."""
from __future__ import annotations

import pytest

from ledger.sources.audit import find_quote

TEXT = "The council's pledged £5 million for the wall."
WORDS = (4, 32)      # "council's pledged £5 million", counted by hand


@pytest.mark.parametrize("quote, how", [
    ("… council\u2019s pledged £5 million …", "normalised"),
    ("council\u2019s pledged £5 million", "normalised"),
    ("\u201c… council\u2019s pledged £5 million …\u201d", "normalised"),
    ("[…] council\u2019s pledged £5 million", "normalised"),
    ("… council's  pledged £5 million …", "normalised"),    # two spaces
    ("… council's pledged £5 million …", "verbatim"),
    ("... council's pledged £5 million ...", "verbatim"),
    ("… COUNCIL's pledged £5 million …", "letter case"),
])
def test_outer_ellipses_keep_how_the_words_match(quote, how):
    m = find_quote(quote, TEXT)
    assert m is not None and (m.start, m.end) == WORDS
    assert TEXT[m.start:m.end] == "council's pledged £5 million"
    assert m.how == how


def test_a_decomposed_accent_at_the_end_stays_with_its_letter():
    text = "Le fonds verse 5 millions au café."
    quote = "… verse 5 millions au cafe\u0301 …"     # é written as e + U+0301
    m = find_quote(quote, text)
    assert m is not None and m.how == "normalised"
    assert text[m.start:m.end] == "verse 5 millions au café"
