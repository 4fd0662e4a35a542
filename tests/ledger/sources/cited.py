"""A ledger of one archived document and entries citing it, made through
the commands a user runs (init, sources add, add), for the audit's tests."""
from __future__ import annotations


def ledger_citing(tmp_path, run_cli, text: str, published: str = "2020-01-01"):
    """A new ledger whose archive holds ``text`` as the document 'doc'."""
    book, doc = tmp_path / "book", tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    assert run_cli("init", book)[0] == 0
    assert run_cli("sources", "add", doc, "--ledger", book, "--id", "doc", "--title", "Doc",
                   "--publisher", "P", "--published", published)[0] == 0
    return book


def add_cited(run_cli, book, eid: str, amount: str, quote: str, *extra: str,
              date: str = "2020-01-01", funder: str = "Fund", purpose: str = "Schools") -> None:
    """``add`` an entry of ``amount`` citing 'doc' with ``quote``."""
    code, _, err = run_cli("add", book, "--id", eid, "--date", date, "--funder", funder,
                           "--purpose", purpose, "--amount", amount, "--source", "doc",
                           "--quote", quote, *extra)
    assert code == 0, err
