"""An elided quote is sought in time linear in the document: each later
part's search is bounded (its nearest occurrence only moves forward), and
the matches are exactly those of the plain search that tries every start
of the first part and takes each later part's nearest occurrence."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.sources import audit
from ledger.sources.audit import find_quote, find_quotes


def _reference(parts: list[str], text: str, gap: int) -> list[tuple]:
    """The plain search (quadratic): every start of the first part, each
    later part at its nearest occurrence after the one before, the gap at
    most ``gap`` folded characters and free of paragraph breaks."""
    folded, origin = audit.fold(text)
    out = []
    for i in range(len(folded)):
        if not folded.startswith(parts[0], i):
            continue
        end, found = i + len(parts[0]), [(i, i + len(parts[0]))]
        for part in parts[1:]:
            j = folded.find(part, end)
            if j < 0 or j - end > gap or audit._PARAGRAPH_BREAK.search(
                    text, origin[end - 1] + 1, origin[j]):
                break
            end = j + len(part)
            found.append((j, end))
        else:
            out.append((origin[i], origin[end - 1] + 1,
                        tuple((origin[a], origin[b - 1] + 1) for a, b in found)))
    return out


def _found(quote: str, text: str, gap: int) -> list[tuple]:
    return [(m.start, m.end, m.parts) for m in find_quotes(quote, text, gap=gap)
            if m.how == "elided"]


def test_each_start_takes_the_nearest_later_parts():
    text = "pledged x £5 million; pledged £5 million\n\npledged y z w £5 million"
    m = list(find_quotes("pledged … £5 million", text, gap=6))
    # the third "pledged" has its "£5 million" 7 characters on: past the gap
    assert [(x.start, x.end, x.parts, x.gaps) for x in m] == [
        (0, 20, ((0, 7), (10, 20)), ((7, 10),)),
        (22, 40, ((22, 29), (30, 40)), ((29, 30),))]
    assert all(x.how == "elided" for x in m)
    # a later part after a blank line is another paragraph's
    assert find_quote("£5 million … y z", text) is None
    m = find_quote("£5 million … w", "£5 million x\n\n£5 million w")
    assert m is not None and m.start == 14


def test_three_parts_each_within_the_gap():
    text = "a1 b a2 c b d c"
    assert _found("a … b … c", text, gap=4) == [(0, 9, ((0, 1), (3, 4), (8, 9))),
                                               (5, 15, ((5, 6), (10, 11), (14, 15)))]
    # the first "a"'s "c" is 4 on from its "b", the second's "b" 4 on from it
    assert _found("a … b … c", text, gap=3) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "ab", " ", "x", "\n", "\n\n", "  \n \n", "£5"]),
                max_size=40),
       st.lists(st.sampled_from(["a", "b", "ab", "a b", "£5", "b a"]), min_size=2,
                max_size=4),
       st.integers(0, 8))
def test_the_same_matches_as_the_plain_search(words, parts, gap):
    text = "".join(words)     # (no "…" in it: the quote is never found whole)
    assert _found(" … ".join(parts), text, gap) == _reference(parts, text, gap)


class _Counted(str):
    """The folded document, counting the characters its searches pass over."""
    scanned = 0

    def find(self, sub, start=0, end=None):   # type: ignore[override]
        r = str.find(self, sub, start, end)
        stop = len(self) if end is None else min(end, len(self))
        _Counted.scanned += (r + len(sub) if r >= 0 else stop) - start
        return r


def _scanned(monkeypatch, quote: str, text: str) -> tuple[int, int, list]:
    folded, origin = audit.fold(text)
    monkeypatch.setattr(audit, "_fold_cached", lambda t: (_Counted(folded), origin))
    _Counted.scanned = 0
    found = list(find_quotes(quote, text))
    return _Counted.scanned, len(folded), found


def test_a_missing_later_part_is_sought_once(monkeypatch):
    # (the hunt's document: 2 MB of "a a a …" took minutes; 10,000 words here
    # made the plain search pass over 50 million characters)
    scanned, n, found = _scanned(monkeypatch, "a a … £5 million", "a " * 10_000)
    assert found == []
    assert scanned < 5 * n


def test_a_far_later_part_skips_the_starts_it_cannot_follow(monkeypatch):
    text = "a " * 10_000 + "£5 million"
    scanned, n, found = _scanned(monkeypatch, "a a … £5 million", text)
    at = text.index("£5")
    assert [m.start for m in found] == [i for i in range(at) if text.startswith("a a", i)
                                        and at - (i + 3) <= 400]
    assert len(found) == 200
    assert all(re.fullmatch(r"a a( a)* £5 million", m.text) for m in found)
    assert scanned < 5 * n
    # a third part far off, the second near every start
    text = "a b " * 5_000 + "c"
    scanned, n, found = _scanned(monkeypatch, "a … b … c", text)
    at = len(text) - 1
    assert [m.start for m in found] == [i for i in range(0, at, 4) if at - (i + 3) <= 400]
    assert scanned < 5 * n
