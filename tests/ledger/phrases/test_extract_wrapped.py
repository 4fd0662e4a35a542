"""A figure whose scale word or period wraps onto the next line (a hard-wrapped
text, a PDF's rendering) is read whole, by extract and by the audit alike."""
from __future__ import annotations

import tomllib
from decimal import Decimal

from ledger.phrases.extract import find_mentions

D = Decimal

WRAPPED = ("The Fund will give £12\nmillion over three years to the harbour.\n"
           "The Fund will give €4\nmillion a year to schools.\n"
           "Also £7\nm for roads and $2.5\nbillion for ports.\n")


def test_a_scale_word_on_the_next_line_is_read_with_its_number():
    got = [(m.amount, m.currency, m.per, m.over_years, m.line, m.column, m.phrase)
           for m in find_mentions(WRAPPED)]
    # lines and columns counted by hand in WRAPPED
    assert got == [
        (D(12_000_000), "GBP", "", D(3), 1, 20, "£12\nmillion over three years"),
        (D(4_000_000), "EUR", "year", None, 3, 20, "€4\nmillion a year"),
        (D(7_000_000), "GBP", "", None, 5, 6, "£7\nm"),
        (D(2_500_000_000), "USD", "", None, 6, 17, "$2.5\nbillion"),
    ]


def test_spaces_around_the_break_keep_positions_in_the_original_text():
    text = "Intro line.  \nIt gives   up to £12  \n   million   \n  a year and £3 \n m.\n"
    ms = find_mentions(text)
    assert [(m.amount, m.currency, m.qualifier, m.per) for m in ms] == [
        (D(12_000_000), "GBP", "up to", "year"), (D(3_000_000), "GBP", "exact", "")]
    for m in ms:   # the phrase is the document's own span, at its offset
        assert text[m.offset:m.offset + len(m.phrase)] == m.phrase
    assert ms[0].phrase == "up to £12  \n   million   \n  a year"
    assert (ms[0].line, ms[0].column) == (2, 12)
    assert (ms[1].line, ms[1].column, ms[1].phrase) == (4, 14, "£3 \n m")


def test_a_qualifier_at_the_end_of_the_previous_line_belongs_to_the_figure():
    (m,) = find_mentions("The grant is worth up to\n£7 million.")
    assert (m.qualifier, m.amount, m.line, m.column) == ("up to", D(7_000_000), 1, 20)


def test_a_blank_line_still_parts_a_figure_from_what_follows():
    (m,) = find_mentions("Funding: £12\n\nmillion people live there.")
    assert (m.amount, m.phrase) == (D(12), "£12")


def test_draft_and_audit_read_the_wrapped_figure(tmp_path, run_cli):
    book = tmp_path / "book"
    doc = tmp_path / "doc.txt"
    doc.write_text(WRAPPED, encoding="utf-8")
    assert run_cli("init", book)[0] == 0
    assert run_cli("sources", "add", doc, "--ledger", book, "--id", "doc", "--title", "Doc",
                   "--publisher", "P", "--published", "2020-01-01")[0] == 0
    draft = tmp_path / "draft.toml"
    code, _, err = run_cli("extract", book / "sources" / "doc.txt", "--draft", draft)
    assert code == 0, err
    entries = tomllib.loads(draft.read_text("utf-8"))["entry"]
    assert [(e["amount"], e.get("period"), e["source"][0]["quote"]) for e in entries] == [
        ("£12 million", "over 3 years", "£12\nmillion over three years"),
        ("€4 million", "per year", "€4\nmillion a year"),
        ("£7 m", None, "£7\nm"),
        ("$2.5 billion", None, "$2.5\nbillion"),
    ]
    code, _, err = run_cli("add", book, "--from-extract", draft, "--pick", "2",
                           "--funder", "Fund", "--purpose", "Schools")
    assert code == 0, err
    code, _, err = run_cli("audit", book)
    assert code == 0 and "1 verified" in err, err

    # the figure as the old drafts wrote it (units), citing the wrapped phrase:
    # the quote says four million, the audit does not sign off four euros
    code, _, err = run_cli("add", book, "--id", "units", "--date", "2020-01-01",
                           "--funder", "Fund", "--purpose", "Schools", "--amount", "€4",
                           "--period", "a year", "--source", "doc",
                           "--quote", "€4\nmillion a year")
    assert code == 0, err
    code, out, err = run_cli("audit", book)
    assert code == 1 and "1 verified; 1 error(s)" in err, err
    (line,) = [x for x in out.splitlines() if x.startswith("error: entry 'units'")]
    assert "says '€4 million a year' but the entry records €4 [amount-mismatch]" in line, out
