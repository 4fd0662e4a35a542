"""A line break is never a digit group's separator: extract reads scale,
currency and period words across it, never digits, and the audit agrees."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions

D = Decimal


@pytest.mark.parametrize(("text", "want"), [
    # (amount, currency, phrase) read by hand: the digits after the break
    # are another number (people, tents), not the figure's thousands
    ("The Fund pledged £12\n300 families were rehoused.", [(D(12), "GBP", "£12")]),
    ("Total £5\n100 200 300", [(D(5), "GBP", "£5")]),
    ("Grant: €1\n500 people came.", [(D(1), "EUR", "€1")]),
    ("US$2\n400 tents", [(D(2), "USD", "US$2")]),
    ("a budget of 12\n300 euros", [(D(300), "EUR", "300 euros")]),
    ("1 234\n567 euros", [(D(567), "EUR", "567 euros")]),
    # a comma (or a point) then a break: two numbers, not one
    ("£12,\n300 homes", [(D(12), "GBP", "£12")]),
    ("£12.\n5m for roads", [(D(12), "GBP", "£12")]),
])
def test_digits_after_a_line_break_are_not_the_figures(text, want):
    assert [(m.amount, m.currency, m.phrase) for m in find_mentions(text)] == want


@pytest.mark.parametrize(("text", "want"), [
    ("It gives £12\nmillion.", (D(12_000_000), "GBP", "exact", None, "£12\nmillion")),
    ("Up to\n£5m for roads.", (D(5_000_000), "GBP", "up to", None, "Up to\n£5m")),
    ("between\n£5m and £7m", (D(5_000_000), "GBP", "range", D(7_000_000), "between\n£5m and £7m")),
    ("2 million\nUS dollars", (D(2_000_000), "USD", "exact", None, "2 million\nUS dollars")),
])
def test_words_after_a_line_break_still_belong_to_the_figure(text, want):
    (m,) = find_mentions(text)
    assert (m.amount, m.currency, m.qualifier, m.upper, m.phrase) == want
    assert "\t" not in m.amount_text and "\n" not in m.amount_text


def test_the_audit_signs_off_the_figure_before_the_break(tmp_path, run_cli):
    book = tmp_path / "book"
    doc = tmp_path / "doc.txt"
    doc.write_text("The Fund pledged £12\n300 families were rehoused by spring.\n",
                   encoding="utf-8")
    assert run_cli("init", book)[0] == 0
    assert run_cli("sources", "add", doc, "--ledger", book, "--id", "doc", "--title", "Doc",
                   "--publisher", "P", "--published", "2020-01-01")[0] == 0

    def add(eid, amount, quote):
        code, _, err = run_cli("add", book, "--id", eid, "--date", "2020-01-01",
                               "--funder", "Fund", "--purpose", "Homes", "--amount", amount,
                               "--source", "doc", "--quote", quote)
        assert code == 0, err

    add("right", "£12", "The Fund pledged £12")
    code, out, err = run_cli("audit", book)
    assert code == 0 and "1 verified; 0 error(s)" in err, out + err
    # the quote across the break reads £12, so £12,300 is not signed off
    add("wrong", "£12,300", "The Fund pledged £12\n300 families")
    code, out, err = run_cli("audit", book)
    assert code == 1 and "1 verified; 1 error(s)" in err, out + err
    (line,) = [x for x in out.splitlines() if x.startswith("error: entry 'wrong'")]
    assert "amount-mismatch" in line, out
