"""ledger.sources.audit with fix45's lists: a figure read by its list's
decimal comma ("€250.000" of "€250.000 and €1,5 million": €250,000) is
quoted with the list by extract, and the audit verifies that quote."""
from __future__ import annotations

import pytest

from ledger.phrases.extract import find_mentions
from tests.ledger.sources.cited import add_cited, ledger_citing

DOC = "The EU gave €250.000 and €1,5 million to the two towns.\n"


def test_extract_quotes_the_list_that_says_the_decimal_comma():
    first = find_mentions(DOC)[0]
    # by hand: 250 × 1000, quoted with the "1,5" that says the comma
    assert (str(first.amount), first.phrase) == ("250000", "€250.000 and €1,5 million")


@pytest.mark.parametrize("amount", ["€250,000", "€1.5 million"])
def test_the_audit_verifies_each_figure_of_the_list(tmp_path, run_cli, amount):
    book = ledger_citing(tmp_path, run_cli, DOC)
    add_cited(run_cli, book, "eu", amount, "€250.000 and €1,5 million")
    code, out, err = run_cli("audit", book)
    assert code == 0 and "Traceback" not in err, out + err
    assert "1 citations, 1 verified" in err
