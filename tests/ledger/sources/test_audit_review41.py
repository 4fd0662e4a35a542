"""ledger.sources.audit: a figure too large to hold in the words an elided
quote leaves out is said at its place in the document (review41: the audit
skipped every figure inside the quote's whole stretch, though the quote
reads its parts only, and passed)."""
from __future__ import annotations

from tests.ledger.sources.cited import add_cited, ledger_citing

BIG = "1" * 30
DOC = f"A line.\nThe fund gave £5 million, of a total of {BIG} GBP, to Chad.\n"


def test_a_huge_figure_an_elided_quote_leaves_out_is_an_error(tmp_path, run_cli):
    book = ledger_citing(tmp_path, run_cli, DOC)
    add_cited(run_cli, book, "chad", "£5 million", "The fund gave £5 million ... to Chad")
    code, out, err = run_cli("audit", book)
    assert code == 1 and "Traceback" not in err
    column = DOC.splitlines()[1].index(BIG) + 1
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert errors == [f"error: doc:2:{column}: a figure the audit cannot read: {BIG} has too "
                      "many digits to be held exactly (at most 28 significant digits) "
                      "[figure-too-large]"]


def test_an_amount_written_in_full_in_a_respective_list_is_verified(tmp_path, run_cli):
    book = ledger_citing(tmp_path, run_cli, "The UK and France gave £600,000 and £7 million "
                                            "respectively.\n")
    add_cited(run_cli, book, "uk", "£600,000", "£600,000 and £7 million respectively")
    code, out, err = run_cli("audit", book)
    # by hand: the UK's £600,000 is what the document says (fix41 read £600,000 million)
    assert code == 0 and "Traceback" not in err
    assert [line for line in out.splitlines() if line.startswith("error:")] == []
    assert "1 citations, 1 verified" in err
