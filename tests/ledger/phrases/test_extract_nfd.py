"""extract reads a document stored in decomposed Unicode (NFD: macOS, many
PDFs) as the same text typed composed; positions stay the file's own."""
from __future__ import annotations

import unicodedata
from decimal import Decimal

from ledger.phrases.extract import find_mentions

D = Decimal
TEXT = ("La préfecture verse 15 M€ chaque année pendant trois ans à Calais,\n"
        "puis 2 millions de livres par année et 3 millions de dollars américains.\n")


def test_a_decomposed_document_gives_the_composed_ones_figures():
    nfd = unicodedata.normalize("NFD", TEXT)
    got = find_mentions(nfd)
    assert [(m.amount, m.currency, m.per, m.over_years) for m in got] == [
        (D(15_000_000), "EUR", "year", D(3)), (D(2_000_000), "GBP", "year", None),
        (D(3_000_000), "USD", "", None)]
    for m in got:       # the phrase is the file's own (decomposed) span
        assert nfd[m.offset:m.offset + len(m.phrase)] == m.phrase
    assert [unicodedata.normalize("NFC", m.phrase) for m in got] == [
        "15 M€ chaque année pendant trois ans", "2 millions de livres par année",
        "3 millions de dollars américains"]
    # columns count the file's characters: "pre" + accent + "fecture" is one longer
    assert [(m.line, m.column) for m in got] == [(1, 22), (2, 6), (2, 41)]
    assert got[2].phrase.endswith("ame\u0301ricains")
