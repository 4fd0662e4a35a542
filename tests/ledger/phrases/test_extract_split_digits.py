"""A line break between digits at a figure ("£1⏎000 000"): the digits are
never joined across it ("£12⏎300 families" is £12), but the figure is
flagged, in extract's warnings and draft and in the audit, because it may
be £1,000,000."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions
from tests.ledger.sources.cited import add_cited, ledger_citing


@pytest.mark.parametrize("text, amount, split", [
    ("pays £1\n000 000 to the fund", Decimal(1), "£1⏎000 000"),
    ("pays £1 \n  000,000 to the fund", Decimal(1), "£1⏎000,000"),
    ("helped £12\n300 families", Decimal(12), "£12⏎300"),
    ("a sum of 1\n500 000 € for", Decimal(500_000), "1⏎500 000 €"),
    ("pays £12\nmillion", Decimal(12_000_000), ""),         # a scale word, read across
    ("pays £5m\n2000 families", Decimal(5_000_000), ""),    # the figure ends in its scale
    ("pays £5\n\n300 families", Decimal(5), ""),            # a paragraph break, not a wrap
    ("pays £5 to 300 families", Decimal(5), ""),
    ("pays £1,000\n000 in all", Decimal(1000), "£1,000⏎000"),
    ("pays £1\n000.50 in all", Decimal(1), "£1⏎000.50"),
    ("In 2015\n3 million euros was pledged", Decimal(3_000_000), ""),   # a year, not a group
    ("pays £3.5\n5 people", Decimal("3.5"), ""),           # no thousands after a decimal
    ("pays £12\n3000 people", Decimal(12), ""),            # four digits: not a group
    ("pays £2\n2015 was", Decimal(2), ""),
])
def test_digits_across_a_line_break_are_said_not_joined(text, amount, split):
    (m,) = [m for m in find_mentions(text) if m.currency in ("GBP", "EUR")][:1]
    assert (m.amount, m.across_break) == (amount, split)


def test_extract_warns_and_the_draft_asks_to_check(tmp_path, run_cli):
    doc = tmp_path / "doc.txt"
    doc.write_text("The Home Office will pay £1\n000 000 to the fund.\n", encoding="utf-8")
    code, out, err = run_cli("extract", doc, "--draft", tmp_path / "d.toml")
    assert code == 0, err
    assert (f"warning: {doc}:1:26: '£1': a line break splits digits at the figure "
            "('£1⏎000 000'); it is read as 1 GBP: check the amount in the document") in err
    draft = (tmp_path / "d.toml").read_text(encoding="utf-8")
    assert '# TODO: a line break splits digits at the figure ("£1⏎000 000")' in draft


def test_the_audit_warns_of_a_figure_split_by_a_line_break(tmp_path, run_cli):
    book = ledger_citing(tmp_path, run_cli, "It will pay £1\n000 000 to the fund.\n"
                                            "It adds £7 million for schools.\nIn 2015\n3 million pounds went to roads.\n")
    add_cited(run_cli, book, "cut", "£1", "pay £1")            # the quote stops at the break
    add_cited(run_cli, book, "whole", "£1", "£1\n000 000", funder="Other")   # both lines
    add_cited(run_cli, book, "plain", "£7 million", "£7 million")
    add_cited(run_cli, book, "year", "£3 million", "3 million pounds", funder="Third")
    code, out, err = run_cli("audit", book)
    # "cut" and "whole" read one figure at one place: also said to count it twice
    assert code == 0 and "4 verified; 0 error(s), 3 warning(s)" in err, out
    warned = sorted(x for x in out.splitlines() if x.startswith("warning: ")
                    and "[same-figure-twice]" not in x)
    twice = [x for x in out.splitlines() if "[same-figure-twice]" in x]
    assert len(twice) == 1 and twice[0].startswith("warning: entry 'whole'") and "'cut'" in twice[0]
    assert warned == [
        "warning: entry 'cut': doc:1:9: a line break splits digits at the figure "
        "('pay £1⏎000 000'); the quote is read as £1: check the figure in the document "
        "[figure-across-break]",
        "warning: entry 'whole': doc:1:13: a line break splits digits at the figure "
        "('£1⏎000 000'); the quote is read as £1: check the figure in the document "
        "[figure-across-break]",
    ]


def test_a_whole_figure_recorded_as_split_is_warned_beside_the_mismatch(tmp_path, run_cli):
    book = ledger_citing(tmp_path, run_cli, "It will pay £1\n000 000 to the fund.\n")
    add_cited(run_cli, book, "million", "£1,000,000", "£1 000 000")
    code, out, _ = run_cli("audit", book)
    assert code == 1
    found = [x.rsplit("[", 1)[1] for x in out.splitlines() if x.startswith(("warning: ", "error: "))]
    assert sorted(found) == ["amount-mismatch]", "figure-across-break]"], out


def test_digits_that_are_no_number_are_no_figure(tmp_path, run_cli):
    """"1⏎000 000 €": the second line's "000 000 €" is no number (a group
    never starts with 0), so no figure, and never a crash."""
    assert [m for m in find_mentions("a sum of 1\n000 000 € for roads")
            if m.currency == "EUR"] == []
    doc = tmp_path / "doc.txt"
    doc.write_text("prices: 000 000 € and £00\nor 1\n000 000 €\n", encoding="utf-8")
    code, _, err = run_cli("extract", doc)
    assert code == 0 and "Traceback" not in err, err
