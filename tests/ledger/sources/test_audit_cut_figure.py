"""A quote that stops inside its figure ("€4" of "€4⏎million a year", as
extract's drafts used to quote it) is not verified for the figure it cut."""
from __future__ import annotations

from tests.ledger.sources.cited import add_cited, ledger_citing

DOC = ("The Fund will give €4\nmillion a year to schools.\n"
       "It adds £12 million over three years for the harbour.\n")


def test_a_quote_cut_inside_its_figure_is_an_amount_mismatch(tmp_path, run_cli):
    book = ledger_citing(tmp_path, run_cli, DOC)
    add_cited(run_cli, book, "wrapped", "€4", "€4")          # the document: four million euros
    add_cited(run_cli, book, "oneline", "£12", "It adds £12")  # twelve million pounds
    code, out, err = run_cli("audit", book)
    assert code == 1 and "0 verified; 2 error(s)" in err, err
    errors = sorted(x for x in out.splitlines() if x.startswith("error: "))
    assert errors == [
        "error: entry 'oneline': doc:3:1: the quote stops inside the figure: the document reads "
        "'£12 million over three years' but the entry records £12 [amount-mismatch]",
        "error: entry 'wrapped': doc:1:20: the quote stops inside the figure: the document reads "
        "'€4 million a year' but the entry records €4 [amount-mismatch]",
    ]


def test_a_quote_ending_before_the_period_keeps_its_figure(tmp_path, run_cli):
    book = ledger_citing(tmp_path, run_cli, DOC)
    add_cited(run_cli, book, "whole", "€4 million", "€4\nmillion", "--period", "a year")
    add_cited(run_cli, book, "twelve", "£12 million", "£12 million")
    code, out, err = run_cli("audit", book)
    assert code == 0 and "2 verified; 0 error(s)" in err, out
