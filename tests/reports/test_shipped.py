"""The cited documents copied beside the report page (reports.shipped):
confined to the archive, regular files only, web pages made inert."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

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


_SCRIPT = ('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>£1 million</p><script>'
           'document.body.appendChild(document.createTextNode("SCRIPT RAN"))</script></body></html>')
CHROMIUM = Path("/usr/bin/chromium")


def _ship(tmp_path, names: dict[str, bytes]):
    archive = tmp_path / "archive"
    archive.mkdir()
    for name, data in names.items():
        (archive / name).write_bytes(data)
    book = _book({f"d{i}": name for i, name in enumerate(names)})
    out = tmp_path / "out"
    out.mkdir()
    result = audit(book, archive, reference=load_rates(root=book.root))
    shipped, notes = ship_cited_documents(build_report(book, ReportOptions()), result, out)
    return out, {name: shipped.get(d) for d, name in zip(book.documents, names)}, notes


def test_only_inert_kinds_ship_under_their_own_name(tmp_path):
    """An allow-list: every kind a browser could run script in ships as text
    (a deny-list of .html, .svg, ... let .xht, .svgz, .mht through)."""
    page = _SCRIPT.encode()
    active = ["evil.xht", "evil.XHT", "evil.xhtm", "evil.svgz", "evil.shtm", "evil.mht",
              "evil.htm", "noext", "evil.md"]
    inert = {"a.txt": "£1 million".encode(), "b.csv": "£1 million".encode(),
             "c.PNG": b"\x89PNG\r\n\x1a\n\x00"}
    out, shipped, _ = _ship(tmp_path, {**{n: page for n in active}, **inert})
    for name in active:
        assert shipped[name] == f"sources/{name}.txt", name
        assert (out / shipped[name]).read_bytes() == page
    for name in inert:
        assert shipped[name] == f"sources/{name}", name


def test_a_rendering_beside_its_page_is_not_overwritten(tmp_path):
    # page.html ships as page.html.txt: an archived page.html.txt of its own keeps its name
    out, shipped, notes = _ship(tmp_path, {"page.html.txt": "£1 million".encode(),
                                           "page.html": _SCRIPT.encode()})
    assert shipped["page.html.txt"] == "sources/page.html.txt"
    assert (out / "sources" / "page.html.txt").read_text(encoding="utf-8") == "£1 million"
    assert len(notes) == 1 and "already another document's copy" in notes[0]


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Debian's chromium ({CHROMIUM})")
def test_no_shipped_copy_runs_script_in_a_browser(tmp_path):
    """Each copy opened as the page's link opens it (file://) in a real
    browser: the script never runs."""
    names = ["evil.xht", "evil.xhtm", "evil.mht", "noext"]
    out, shipped, _ = _ship(tmp_path, {n: _SCRIPT.encode() for n in names})
    profile = tmp_path / "profile"
    for name in names:
        dom = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                              f"--user-data-dir={profile}", "--dump-dom",
                              (out / shipped[name]).as_uri()],
                             capture_output=True, text=True, timeout=120).stdout
        assert "£1 million" in dom and "SCRIPT RAN" not in dom.replace('"SCRIPT RAN"', ""), name
    shutil.rmtree(profile, ignore_errors=True)
