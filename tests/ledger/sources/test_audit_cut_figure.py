"""A quote that stops inside its figure ("€4" of "€4⏎million a year", as
extract's drafts used to quote it) is not verified for the figure it cut."""
from __future__ import annotations

DOC = ("The Fund will give €4\nmillion a year to schools.\n"
       "It adds £12 million over three years for the harbour.\n")


def _book(tmp_path, run_cli):
    book, doc = tmp_path / "book", tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    assert run_cli("init", book)[0] == 0
    assert run_cli("sources", "add", doc, "--ledger", book, "--id", "doc", "--title", "Doc",
                   "--publisher", "P", "--published", "2020-01-01")[0] == 0
    return book


def _add(run_cli, book, ident, amount, quote, *extra):
    code, _, err = run_cli("add", book, "--id", ident, "--date", "2020-01-01", "--funder", "Fund",
                           "--purpose", "Schools", "--amount", amount, "--source", "doc",
                           "--quote", quote, *extra)
    assert code == 0, err


def test_a_quote_cut_inside_its_figure_is_an_amount_mismatch(tmp_path, run_cli):
    book = _book(tmp_path, run_cli)
    _add(run_cli, book, "wrapped", "€4", "€4")          # the document: four million euros
    _add(run_cli, book, "oneline", "£12", "It adds £12")  # twelve million pounds
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
    book = _book(tmp_path, run_cli)
    _add(run_cli, book, "whole", "€4 million", "€4\nmillion", "--period", "a year")
    _add(run_cli, book, "twelve", "£12 million", "£12 million")
    code, out, err = run_cli("audit", book)
    assert code == 0 and "2 verified; 0 error(s)" in err, out
