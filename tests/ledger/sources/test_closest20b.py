"""The closest passage to a quote that is not found is the longest stretch
the document and the quote share (difflib's longest match, at least 6
characters and a third of the quote), found from the places that hold a
piece of the quote rather than by comparing every character of the
document with every character of the quote."""
from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.sources import audit
from ledger.sources.audit import _closest
from tests.ledger.sources.ledger16 import ledger_of


def by_difflib(quote: str, text: str):
    """The closest passage as the whole document compared with difflib gives it."""
    q = quote.strip()
    m = difflib.SequenceMatcher(None, text, q, autojunk=False).find_longest_match(
        0, len(text), 0, len(q))
    if not q or m.size < max(6, len(q) // 3):
        return None
    a = max(0, m.a - m.b)
    return a, text[a:a + len(q)]


# few letters, so the document and the quote share many stretches and ties
LETTERS = st.text(alphabet="ab £1", max_size=120)


@settings(max_examples=400, deadline=None)
@given(LETTERS, LETTERS, st.integers(0, 120), st.integers(0, 40))
def test_the_same_passage_as_comparing_everything(text, quote, at, length):
    # a stretch of the document put into the quote, as a changed figure leaves it
    quote = quote[:20] + text[at:at + length] + quote[20:]
    text, quote = " ".join(text.split()), " ".join(quote.split())
    assert _closest(quote, text) == by_difflib(quote, text)


def grants(n: int) -> str:
    return "".join(f"Grant {k} of £{k % 97 + 1} million went to school {k}.\n"
                   for k in range(1, n + 1))


@pytest.fixture
def pairs_counted(monkeypatch):
    """The pairs of characters difflib is asked to compare, refused past
    4 million (the old search asked for the document's length times the
    quote's)."""
    asked = []
    real = difflib.SequenceMatcher.find_longest_match

    def counted(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        asked.append((ahi - alo) * (bhi - blo))
        assert asked[-1] <= 4_000_000, f"{asked[-1]} pairs compared"
        return real(self, alo, ahi, blo, bhi)

    monkeypatch.setattr(difflib.SequenceMatcher, "find_longest_match", counted)
    return asked


def test_a_two_megabyte_document_is_not_compared_whole(pairs_counted):
    text = grants(42_000)
    assert len(text) > 2_000_000
    # grant 20000 is £19 million (20000 = 206 × 97 + 18); the quote says
    # billion: the longest shared stretch is "illion went to school 20000",
    # from the quote's 21st character, so the passage is the line's first
    # 47 characters, as many as the quote's
    quote = "Grant 20000 of £19 billion went to school 20000"
    at = text.index("Grant 20000 of")
    assert _closest(quote, text) == (at, "Grant 20000 of £19 million went to school 20000")
    # a quote of 400 characters: the five lines from grant 30000, one figure changed
    start = text.index("Grant 30000 of")
    lines = text[start:start + 400]
    assert "£28 million" in lines          # 30000 = 309 × 97 + 27
    quote = lines.replace("£28 million", "£28 billion")
    # (the passage is read folded: a line break is a space)
    assert _closest(quote, text) == (start, lines.replace("\n", " "))
    assert sum(pairs_counted) == 0


def test_a_quote_whose_pieces_are_everywhere_is_said_not_sought(tmp_path, run_cli, monkeypatch):
    text = "a " * 200_000     # 400 kB: 28 million pairs for difflib
    assert _closest("a " * 30 + "£6 million", text) is False
    # told in the audit (the limits lowered, for a small document)
    monkeypatch.setattr(audit, "_MAX_WORK", 50)
    monkeypatch.setattr(audit, "_MAX_PAIRS", 100)
    entries = ('[[entry]]\nid = "e"\ndate = 2024-01-01\nfunder = "UK:Council"\n'
               'purpose = "Harbour:Wall"\namount = "£6m"\n  [[entry.source]]\n  doc = "d1"\n'
               f'  quote = "{"a " * 30}£6 million"\n')
    book = ledger_of(tmp_path, run_cli, {"d1.txt": "a " * 200 + "£5 million.\n"}, entries)
    code, out, err = run_cli("audit", book)
    assert code == 1
    assert ("the closest passage was not sought: the document holds the quote's words "
            "too often [quote-not-found]") in out
