"""A figure too large to hold near a quote is one error naming the document
and the figure's own line and column there, not those of the few lines the
audit reads around the quote (and, fix41, the audit goes on)."""
from __future__ import annotations

from tests.ledger.sources.cited import add_cited, ledger_citing

# 40 lines of text, then on line 43, column 8, the 30-digit figure after "Total: "
DOC = ("A line of text.\n" * 40 + "The fund gave £6 million to Kenya.\nLine two.\nTotal: "
       + "1" * 30 + " GBP.\n")


def test_a_huge_figure_after_a_quote_is_placed_in_its_document(tmp_path, run_cli):
    book = ledger_citing(tmp_path, run_cli, DOC)
    add_cited(run_cli, book, "kenya", "£6 million", "£6 million")
    code, out, err = run_cli("audit", book)
    assert code == 1 and "Traceback" not in err
    assert [line for line in out.splitlines() if line.startswith("error:")] == [
        "error: doc:43:8: a figure the audit cannot read: " + "1" * 30
        + " has too many digits to be held exactly (at most 28 significant digits) "
        "[figure-too-large]"]
