"""Looking for a figure a quoted part cuts reads a bounded stretch of the
document around each part, however long its line and however few its
spaces: a quote of 40 parts on a line of a million characters without a
space read the whole line once per part."""
from __future__ import annotations

from ledger.sources import audit

# one line: a million characters with no space, then the quoted words
PREFIX = "1," * 500_000
TAIL = " paid 15 million euros to w0 " + " ".join(f"w{i}" for i in range(1, 40)) + ".\n"
TEXT = PREFIX + TAIL
# about this many characters are read before and after a part
WINDOW = 200


def parts(*words: str) -> list[tuple[int, int]]:
    out, at = [], len(PREFIX)
    for w in words:
        at = TEXT.index(w, at)
        out.append((at, at + len(w)))
        at += len(w)
    return out


def read(spans):
    return [audit._read_words(TEXT, a, b) for a, b in spans]


def scanned(monkeypatch, spans) -> tuple[int, object]:
    seen: list[int] = []
    real = audit.find_mentions

    def counting(text, *args, **kwargs):
        seen.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(audit, "find_mentions", counting)
    cut = audit._figure_cut(spans, TEXT, read(spans))
    return sum(seen), cut


def test_each_part_reads_a_bounded_stretch(monkeypatch):
    spans = parts("paid 15 million euros to w0", *(f"w{i}" for i in range(1, 40)))
    total, cut = scanned(monkeypatch, spans)
    assert cut is None
    # each part: at most the window before it (moved back to a break), the
    # part and the window after it, far from the million before them
    assert total <= sum(b - a for a, b in spans) + len(spans) * 3 * WINDOW


def test_a_cut_figure_is_still_found_on_a_long_line(monkeypatch):
    spans = parts("5 million euros to w0")
    total, cut = scanned(monkeypatch, spans)
    assert cut is not None and cut[0] == "starts"
    assert cut[1].amount == 15_000_000 and cut[1].currency == "EUR"
    assert total <= 3 * WINDOW + 30
