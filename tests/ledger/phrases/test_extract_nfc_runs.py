"""Scripts whose decomposed letters have no accents: Hangul syllables as
jamo (a vowel and a final of combining class 0) and Tamil's two-part
vowels (U+0BC6 + U+0BBE) compose too, so a decomposed document reads, and
holds quotes, as one typed composed; positions stay the document's own."""
from __future__ import annotations

import unicodedata

import pytest

from ledger.phrases.extract import compose, find_mentions
from ledger.sources.audit import find_quote

KOREAN = "정부는 교육에 €5 million 지원했다.\n"
TAMIL = "அரசு கொடுத்தது €2 million தொகை.\n"
MIXED = "Le café 정부 கொ é\n"


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


@pytest.mark.parametrize("text", [KOREAN, TAMIL, MIXED])
def test_compose_is_nfc_and_maps_each_letter_to_its_parts(text):
    src = nfd(text)
    assert src != text     # there is something to compose
    composed, where = compose(src)
    assert composed == unicodedata.normalize("NFC", src)
    ends = [where.original(i) for i in range(1, len(composed))] + [len(src)]
    for i, ch in enumerate(composed):   # each letter stands where its parts were
        assert unicodedata.normalize("NFC", src[where.original(i):ends[i]]) == ch


@pytest.mark.parametrize(("text", "amount"), [(KOREAN, 5_000_000), (TAMIL, 2_000_000)])
def test_a_figure_in_a_decomposed_document_keeps_its_place(text, amount):
    src = nfd(text)
    (m,) = find_mentions(src)
    # the figure's place counted in the decomposed text itself
    assert (m.amount, m.line, m.column, m.offset) == (amount, 1, src.index("€") + 1,
                                                      src.index("€"))
    assert m.phrase == src[m.offset:m.offset + len(m.phrase)] == text[text.index("€"):][:len(m.phrase)]


@pytest.mark.parametrize(("text", "quote"), [
    (KOREAN, "교육에 €5 million 지원했다"),
    (TAMIL, "கொடுத்தது €2 million தொகை"),
])
def test_a_composed_quote_is_found_whole_in_a_decomposed_document(text, quote):
    src = nfd(text)
    m = find_quote(quote, src)
    assert m is not None and m.how == "normalised"
    # the span is the quote's own letters, every jamo and vowel part of its last
    assert m.text == nfd(quote) and (m.start, m.end) == (src.index(nfd(quote)),
                                                        src.index(nfd(quote)) + len(nfd(quote)))
