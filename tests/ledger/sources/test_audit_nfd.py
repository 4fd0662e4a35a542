"""Quotes match under canonical equivalence: a document stored in decomposed
Unicode (NFD: macOS, many PDFs) holds a quote typed composed (NFC), and the
other way round; positions stay the document's own."""
from __future__ import annotations

import unicodedata

from ledger.sources.audit import _closest, find_quote

SENTENCE = "Le Café Fund donnera 5 millions d'euros à l'école.\n"
NFD = unicodedata.normalize("NFD", SENTENCE)
NFC = unicodedata.normalize("NFC", SENTENCE)
QUOTE = "5 millions d'euros à l'école"


def test_a_composed_quote_is_found_in_a_decomposed_document():
    assert len(NFD) == len(SENTENCE) + 3    # three accents, each its own character
    m = find_quote(unicodedata.normalize("NFC", QUOTE), NFD)
    assert m is not None and m.how == "normalised"
    # "Le " + "Cafe" + accent + " Fund donnera ": 3 + 5 + 14 characters before it;
    # the quote's 28 characters and two accents after
    assert (m.start, m.end) == (22, 52)
    assert m.text == unicodedata.normalize("NFD", QUOTE)


def test_the_span_keeps_the_accents_of_its_last_letter():
    m = find_quote("Le Café", NFD)
    assert m is not None and (m.start, m.end) == (0, 8) and m.text == NFD[:8]


def test_a_decomposed_quote_is_found_in_a_composed_document():
    m = find_quote(unicodedata.normalize("NFD", QUOTE), NFC)
    assert m is not None and (m.start, m.end) == (21, 49) and m.text == QUOTE


def test_the_closest_passage_is_read_whole():
    near = _closest("5 millions d'euros à l'école primaire", NFD)
    assert near is not None and near[0] == 22
    assert near[1].startswith("5 millions d'euros à l'école.")


def test_audit_verifies_a_composed_quote_of_a_decomposed_document(tmp_path, run_cli):
    book, doc = tmp_path / "book", tmp_path / "doc.txt"
    doc.write_text(NFD, encoding="utf-8")
    assert run_cli("init", book)[0] == 0
    assert run_cli("sources", "add", doc, "--ledger", book, "--id", "doc", "--title", "Doc",
                   "--publisher", "P", "--published", "2020-01-01")[0] == 0
    code, _, err = run_cli("add", book, "--id", "cafe", "--date", "2020-01-01",
                           "--funder", "Café Fund", "--purpose", "École",
                           "--amount", "5 millions d'euros", "--source", "doc", "--quote", QUOTE)
    assert code == 0, err
    code, out, err = run_cli("audit", book)
    assert code == 0 and "1 verified; 0 error(s)" in err, out
    # the file's own column: 22 characters before the quote on line 1
    assert "doc:1:23" in out or " 1:23 " in out, out
