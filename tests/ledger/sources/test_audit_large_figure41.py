"""ledger.sources.audit: a figure too large to hold is one problem line, at
the entry whose quote holds it or else at its place in the document, and
the audit checks every other citation (fix41: it stopped at the figure,
so the other entries' mismatches were never said)."""
from __future__ import annotations

from tests.ledger.sources.cited import add_cited, ledger_citing

BIG = "1" * 30
DOC = ("A line.\nThe fund gave £6 million to Kenya.\nTotal: " + BIG + " GBP.\n"
       "The fund gave £5 million to Chad.\nAlso £4 million to Mali.\n")
TOO_MANY = (f"{BIG} has too many digits to be held exactly (at most 28 significant digits) "
            "[figure-too-large]")


def _errors(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("error:")]


def test_the_audit_goes_on_past_a_huge_figure(tmp_path, run_cli):
    book = ledger_citing(tmp_path, run_cli, DOC)
    add_cited(run_cli, book, "kenya", "£6 million", "£6 million")
    add_cited(run_cli, book, "chad", "£7 million", "£5 million")
    code, out, err = run_cli("audit", book)
    assert code == 1 and "Traceback" not in err
    assert _errors(out) == [
        "error: entry 'chad': doc:4:15: the source says '£5 million' but "
        "the entry records £7 million [amount-mismatch]",
        f"error: doc:3:8: a figure the audit cannot read: {TOO_MANY}"]
    # the other figures are still read: Mali's is uncovered
    assert "£4 million" in out and "1 uncovered figure(s)" in err


def test_a_quote_holding_it_is_said_once_at_its_entry(tmp_path, run_cli):
    book = ledger_citing(tmp_path, run_cli, DOC)
    add_cited(run_cli, book, "big", "£4 million", f"Total: {BIG} GBP")
    add_cited(run_cli, book, "chad", "£5 million", "£5 million")
    code, out, err = run_cli("audit", book)
    assert code == 1 and "Traceback" not in err
    assert _errors(out) == [
        "error: entry 'big': doc:3:8: the quote holds a figure it cannot "
        f"read: {TOO_MANY}"]
    assert "2 citations, 1 verified" in err
