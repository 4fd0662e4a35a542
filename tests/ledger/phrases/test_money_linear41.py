"""ledger.phrases.money: what is said right before a number ("between", a
comma) is looked for in a bounded stretch before it, not from the start of
the text: one line of thousands of amounts in words took 49 s for 220 KB
(fix41), each number searching the whole line before it."""
from __future__ import annotations

import re

from ledger.phrases import money
from ledger.phrases.extract import find_mentions


class _Spans:
    """A pattern that records how much text each search reads."""

    def __init__(self, pattern: re.Pattern):
        self.pattern, self.read = pattern, []

    def search(self, text, pos=0, end=None):
        end = len(text) if end is None else end
        self.read.append(end - pos)
        return self.pattern.search(text, pos, end)


def test_a_long_line_of_amounts_reads_a_bounded_stretch_before_each(monkeypatch):
    spies = {name: _Spans(getattr(money, name)) for name in ("_BETWEEN_BEFORE", "_COMMA_BEFORE")}
    for name, spy in spies.items():
        monkeypatch.setattr(money, name, spy)
    unit = "five million two hundred thousand pounds, "
    got = find_mentions(unit * 400)
    # 5 × 10^6 + 200 × 10^3 each time
    assert len(got) == 400 and {m.amount for m in got} == {5_200_000}
    read = [n for spy in spies.values() for n in spy.read]
    assert read and max(read) <= 256     # whatever the length of the line (16,800)
