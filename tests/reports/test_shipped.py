"""The cited documents copied beside the report page (reports.shipped):
confined to the archive, regular files only, web pages made inert."""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest

import ledger
from rates.table import load_rates
from ledger.model import Citation, Document, Entry
from ledger.sources.audit import audit
from reports.shipped import ship_cited_documents
from reports.tables import ReportOptions, build_report


def _book(docs: dict[str, str]):
    entries = tuple(Entry(id=f"e{i}", date=dt.date(2015, 1, 1), funder="F", purpose="P",
                          amount=Decimal(1_000_000), currency="GBP", amount_text="£1 million",
                          sources=(Citation(d, "£1 million"),))
                    for i, d in enumerate(docs))
    documents = {d: Document(id=d, title=d, path=path) for d, path in docs.items()}
    return ledger.Ledger(entries, documents, {}, None)


def test_cited_documents_are_copied_and_nothing_else(tmp_path):
    archive = tmp_path / "archive"
    (archive / "sub").mkdir(parents=True)
    (archive / "a.txt").write_text("They gave £1 million.", encoding="utf-8")
    (archive / "sub" / "b.html").write_text("<p>£1 million</p><script>alert(1)</script>",
                                            encoding="utf-8")
    (archive / "uncited.txt").write_text("£1 million", encoding="utf-8")
    book = _book({"a": "a.txt", "b": "sub/b.html"})
    report = build_report(book, ReportOptions())
    out = tmp_path / "out"
    out.mkdir()
    shipped, notes = ship_cited_documents(report, audit(book, archive, reference=load_rates(root=book.root)), out)
    assert shipped == {"a": "sources/a.txt", "b": "sources/sub/b.html.txt"} and notes == []
    assert (out / "sources" / "a.txt").read_bytes() == (archive / "a.txt").read_bytes()
    # a web page is shipped as its text: opened from the report, it is read, never run
    assert (out / "sources" / "sub" / "b.html.txt").read_text(encoding="utf-8").startswith("<p>")
    assert not (out / "sources" / "uncited.txt").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_links_out_of_the_archive_and_special_files_are_left_out(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("£1 million and a password", encoding="utf-8")
    (archive / "out.txt").symlink_to(secret)
    os.mkfifo(archive / "pipe.txt")
    (archive / "ok.txt").write_text("£1 million", encoding="utf-8")
    book = _book({"out": "out.txt", "pipe": "pipe.txt", "ok": "ok.txt"})
    report = build_report(book, ReportOptions())
    out = tmp_path / "out"
    out.mkdir()
    try:
        result = audit(book, archive, reference=load_rates(root=book.root))
    except Exception as err:       # the audit itself refuses them: nothing to ship
        pytest.skip(f"the audit refuses the archive first: {err}")
    shipped, notes = ship_cited_documents(report, result, out)
    assert shipped == {"ok": "sources/ok.txt"}
    assert len(notes) == 2 and all("not copied" in n for n in notes)
    assert sorted(p.name for p in (out / "sources").rglob("*")) == ["ok.txt"]
