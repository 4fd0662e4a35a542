"""A figure with a period the ledger does not read ("£1.2m a month", "£3m
annually until 2017") is neither drafted nor audited as one-off or as a rate
without end."""
from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest

from ledger.phrases.extract import find_mentions

D = Decimal

DOC = ("The camp gets £1.2m a month from the Home Office.\n"
       "Security costs £20,000 a week.\n"
       "The council adds £3m annually until 2017.\n")


def test_period_words_not_read_are_kept_with_the_figure():
    got = [(m.phrase, m.amount, m.period_unread, m.unread_rate, m.period_text)
           for m in find_mentions(DOC)]
    assert got == [
        ("£1.2m a month", D(1_200_000), "a month", True, "a month"),
        ("£20,000 a week", D(20_000), "a week", True, "a week"),
        ("£3m annually until 2017", D(3_000_000), "until 2017", False, "annually until 2017"),
    ]


@pytest.mark.parametrize("text", ["£5m a year.", "£5m, a day later.", "£5m over three years.",
                                  "£5m to 2017 projects.", "£5m for 2017."])
def test_periods_read_or_words_that_are_no_period_are_not_flagged(text):
    assert [m.period_unread for m in find_mentions(text)] == [""]


def test_french_rates_per_month():
    (m,) = find_mentions("La préfecture verse 2 millions d'euros par mois.")
    assert (m.amount, m.currency, m.period_unread) == (D(2_000_000), "EUR", "par mois")


def test_draft_writes_the_period_as_written_and_the_audit_refuses_it(tmp_path, run_cli):
    book, doc, draft = tmp_path / "book", tmp_path / "doc.txt", tmp_path / "draft.toml"
    doc.write_text(DOC, encoding="utf-8")
    assert run_cli("init", book)[0] == 0
    assert run_cli("sources", "add", doc, "--ledger", book, "--id", "doc", "--title", "Doc",
                   "--publisher", "P", "--published", "2016-01-01")[0] == 0
    code, out, err = run_cli("extract", book / "sources" / "doc.txt", "--draft", draft)
    assert code == 0, err
    assert err.count("warning:") == 3 and "the period 'a month' is not one" in err
    assert "'a month' not read" in out and "per year, 'until 2017' not read" in out
    entries = tomllib.loads(draft.read_text("utf-8"))["entry"]
    assert [(e["amount"], e.get("period")) for e in entries] == [
        ("£1.2m", "a month"), ("£20,000", "a week"), ("£3m", "annually until 2017")]

    # the journal refuses a month's rate: nothing recorded one-off
    code, _, err = run_cli("add", book, "--from-extract", draft, "--pick", "1",
                           "--funder", "UK:Home Office", "--purpose", "Camp")
    assert code == 1 and "cannot understand period 'a month'" in err
    # an end year: the journal reads it from the entry's date, 2016 and 2017
    code, _, err = run_cli("add", book, "--from-extract", draft, "--pick", "3",
                           "--funder", "Council", "--purpose", "Security")
    assert code == 0, err
    code, out, err = run_cli("audit", book)
    assert code == 0, out
    assert "per year from 2016-01-01 to 2017-12-31" in out

    # a month's rate recorded one-off by hand, citing the phrase: not verified
    assert run_cli("add", book, "--id", "camp", "--date", "2016-01-01", "--funder", "UK:Home Office",
                   "--purpose", "Camp", "--amount", "£1.2m", "--source", "doc",
                   "--quote", "£1.2m a month")[0] == 0
    code, out, err = run_cli("audit", book)
    (line,) = [x for x in out.splitlines() if x.startswith("error: entry 'camp'")]
    assert code == 1 and "'a month', which an entry cannot record" in line
    assert line.endswith("[period-mismatch]")
