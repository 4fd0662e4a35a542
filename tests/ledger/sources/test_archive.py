"""The source archive: reading text/HTML/PDF with file positions, hashes,
recording documents (sources add) and listing them."""
from __future__ import annotations

import hashlib
import tomllib

import pytest
from tests.conftest import line_col

import ledger
from ledger.sources.archive import Archive, add_document, read_source, sha256_file
from ledger.errors import LedgerError




def test_seed_hashes_match_the_sources_file(seeds_dir, example_ledger):
    book = ledger.load(example_ledger)
    archive = Archive(seeds_dir)
    assert book.documents
    for d in book.documents.values():
        src = archive.read(d)
        assert src.kind == "text"
        assert src.sha256 == hashlib.sha256(archive.path_of(d).read_bytes()).hexdigest()
        assert src.sha256 == sha256_file(archive.path_of(d)) == d.sha256


def test_plain_text_positions_are_file_positions(seeds_dir):
    path = seeds_dir / "002_e2d441578c61b003.txt"
    src = read_source(path)
    raw = path.read_text(encoding="utf-8")
    i = raw.index("£12")
    assert src.locate(i).line == line_col(raw, i)[0]
    assert (src.locate(i).line, src.locate(i).column) == line_col(raw, i)
    assert "\u00a0" in src.text      # the seeds' non-breaking spaces are kept as they are


def test_html_text_maps_back_to_source_line_and_column(tmp_path):
    page = tmp_path / "page.html"
    source = ("<!doctype html>\n<html><head><title>T</title><style>p{}</style></head>\n"
              "<body><p>Britain has <b>pledged</b>\n   &pound;12&nbsp;million (&#8364;15 million)"
              " over three years.</p>\n<script>var x = '£99 million';</script></body></html>\n")
    page.write_text(source, encoding="utf-8")
    src = read_source(page)
    assert src.kind == "html"
    assert "<b>" not in src.text and "£99" not in src.text and "p{}" not in src.text
    i = src.text.index("£12")
    loc = src.locate(i)
    assert (loc.line, loc.column) == line_col(source, source.index("&pound;12"))
    j = src.text.index("15 million")
    assert (src.locate(j).line, src.locate(j).column) == line_col(source, source.index("15 million"))
    assert src.sha256 == hashlib.sha256(page.read_bytes()).hexdigest()


def test_pdf_text_is_read(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pdf = tmp_path / "statement.pdf"
    fig = plt.figure(figsize=(8, 2))
    fig.text(0.05, 0.5, "The Home Office pledged £12 million over three years.")
    fig.savefig(pdf)
    plt.close(fig)
    src = read_source(pdf)
    assert src.kind == "pdf"
    assert "£12 million over three years" in src.text
    assert src.locate(src.text.index("£12")).page == 1


def test_unreadable_documents_give_one_clear_line(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    with pytest.raises(LedgerError, match=r"image\.txt: binary file"):
        read_source(binary)
    with pytest.raises(LedgerError, match=r"nothing\.txt: no such file"):
        read_source(tmp_path / "nothing.txt")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf")
    with pytest.raises(LedgerError, match=r"broken\.pdf"):
        read_source(broken)
    with pytest.raises(LedgerError, match="source archive folder .* not found"):
        Archive(tmp_path / "missing")


def test_add_document_appends_and_keeps_comments(ledger_copy):
    book, archive = ledger_copy
    new = archive / "005_new_statement.txt"
    new.write_text("The Home Office will spend £3 million on fencing.\n", encoding="utf-8")
    before = (book / "sources.toml").read_text(encoding="utf-8")
    import datetime as dt
    doc = add_document(book, new, title="A new statement", publisher="Home Office",
                       published=dt.date(2016, 1, 2), url="https://example.org/s",
                       retrieved=dt.date(2024, 5, 6), archive=archive)
    after = (book / "sources.toml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))          # comments and layout kept
    assert doc.id == "005_new_statement" and doc.path == "005_new_statement.txt"
    loaded = ledger.load(book)
    d = loaded.documents["005_new_statement"]
    assert d.sha256 == hashlib.sha256(new.read_bytes()).hexdigest()
    assert (d.title, d.publisher, d.published, d.url, d.retrieved) == (
        "A new statement", "Home Office", dt.date(2016, 1, 2), "https://example.org/s",
        dt.date(2024, 5, 6))
    assert len(loaded.documents) == 6


def test_add_document_refuses_duplicates(ledger_copy):
    import datetime as dt
    book, archive = ledger_copy
    seed = archive / "002_e2d441578c61b003.txt"
    kw = dict(title="t", publisher="p", published=dt.date(2014, 11, 5), archive=archive)
    before = (book / "sources.toml").read_bytes()
    with pytest.raises(LedgerError, match="already recorded"):
        add_document(book, seed, **kw)                       # same id
    with pytest.raises(LedgerError, match="already recorded as document '002_e2d441578c61b003'"):
        add_document(book, seed, doc_id="another-id", **kw)  # same content
    other = archive / "other.txt"
    other.write_text("£5 million", encoding="utf-8")
    with pytest.raises(LedgerError, match="already recorded"):
        add_document(book, other, doc_id="001_c33d2c2f8263bd4b", **kw)
    with pytest.raises(LedgerError, match="cannot be a document id"):
        add_document(book, other, doc_id="bad id!", **kw)
    assert (book / "sources.toml").read_bytes() == before   # nothing written on refusal


def test_add_to_one_file_ledger_and_copy_into_archive(tmp_path):
    import datetime as dt
    journal = tmp_path / "book.toml"
    journal.write_text('# my ledger\n[ledger]\nname = "x"\n\n[[entry]]\nid = "a"\n'
                       'date = 2015-01-01\nfunder = "UK"\npurpose = "P"\namount = "£1m"\n',
                       encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    doc_file = outside / "note.html"
    doc_file.write_text("<p>UK gives &pound;1m</p>", encoding="utf-8")
    archive = tmp_path / "archive"
    archive.mkdir()
    add_document(journal, doc_file, title="Note", publisher="UK", published=dt.date(2015, 1, 1),
                 archive=archive)
    assert (archive / "note.html").read_bytes() == doc_file.read_bytes()
    data = tomllib.loads(journal.read_text(encoding="utf-8"))
    assert data["entry"][0]["id"] == "a" and data["document"][0]["path"] == "note.html"
    assert journal.read_text(encoding="utf-8").startswith("# my ledger\n")
    assert ledger.load(journal).documents["note"].sha256 == sha256_file(doc_file)


def test_sources_cli_add_and_list(ledger_copy, run_cli):
    book, archive = ledger_copy
    new = archive / "extra.txt"
    new.write_text("France will give 2 million euros.\n", encoding="utf-8")
    code, out, err = run_cli("sources", "add", new, "--ledger", book, "--title", "Extra",
                             "--publisher", "Élysée", "--published", "2016-02-03",
                             "--sources", archive)
    assert code == 0, err
    assert out.strip() == "extra" and "recorded document 'extra'" in err
    code, out, err = run_cli("sources", "add", new, "--ledger", book, "--title", "Extra",
                             "--publisher", "Élysée", "--published", "2016-02-03",
                             "--sources", archive)
    assert code == 1 and "already recorded" in err and "Traceback" not in err
    code, out, err = run_cli("sources", "add", new, "--ledger", book, "--title", "x",
                             "--publisher", "y", "--published", "03/02/2016")
    assert code == 2 and "YYYY-MM-DD" in err

    code, out, err = run_cli("sources", "list", book, "--sources", archive, "--format", "json")
    import json
    rows = json.loads(out)
    assert code == 0
    assert {r["id"] for r in rows} == set(ledger.load(book).documents)
    assert all(r["file"] == "ok" for r in rows)
    cited = {r["id"]: r["citations"] for r in rows}
    expected = {}
    for e in ledger.load(book).entries:
        for c in e.sources:
            expected[c.doc] = expected.get(c.doc, 0) + 1
    assert {k: v for k, v in cited.items() if v} == expected

    (archive / "extra.txt").write_text("changed", encoding="utf-8")
    code, out, err = run_cli("sources", "list", book, "--sources", archive)
    assert code == 1 and "'extra'" in err and "changed" in err


# ------------------------------------------------- one archive, by default
PAGE = ("<!doctype html><html><head><title>T</title><script>var a = '£250 million';</script>"
        "</head><body><nav><a href='/'>Our £250 million fund</a></nav><main><article>"
        "<h1>Harbour wall</h1><p>The Department will provide £12 million over three years "
        "to rebuild the harbour wall at an invented town; this sentence is long enough "
        "for a main-text extractor to keep it as the body of the page.</p>"
        "</article></main></body></html>")


def _newcomer(tmp_path, run_cli):
    book = tmp_path / "book"
    assert run_cli("init", book)[0] == 0
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    page = downloads / "Harbour Wall (final).html"
    page.write_text(PAGE, encoding="utf-8")
    code, out, err = run_cli("sources", "add", page, "--ledger", book, "--id", "harbour",
                             "--title", "Harbour", "--publisher", "Dept", "--published",
                             "2024-03-03")
    assert code == 0, err
    return book, downloads, page


def test_sources_add_copies_into_the_ledgers_archive_named_by_id(tmp_path, run_cli):
    book, downloads, page = _newcomer(tmp_path, run_cli)
    archive = book / "sources"
    assert sorted(p.name for p in archive.iterdir()) == ["harbour.html", "harbour.html.txt"]
    assert (archive / "harbour.html").read_bytes() == page.read_bytes()
    assert sorted(p.name for p in downloads.iterdir()) == [page.name]   # nothing left there
    (doc,) = tomllib.loads((book / "sources.toml").read_text("utf-8"))["document"]
    assert (doc["path"], doc["text"]) == ("harbour.html", "harbour.html.txt")
    assert doc["sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    code, out, err = run_cli("sources", "list", book, "--format", "json")
    import json
    assert code == 0 and [r["file"] for r in json.loads(out)] == ["ok"]   # the ledger's own


def test_the_archive_option_is_where_sources_add_writes(tmp_path, run_cli):
    book = tmp_path / "book"
    assert run_cli("init", book)[0] == 0
    text = (book / "ledger.toml").read_text("utf-8").replace('archive = "sources"',
                                                             'archive = "docs/originals"')
    (book / "ledger.toml").write_text(text, encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("The UK gives £1m.\n", encoding="utf-8")
    assert run_cli("sources", "add", note, "--ledger", book, "--title", "N", "--publisher", "P",
                   "--published", "2024-01-01")[0] == 0
    assert (book / "docs" / "originals" / "note.txt").read_bytes() == note.read_bytes()
    text = text.replace('archive = "docs/originals"', 'archive = "../../elsewhere"')
    (book / "ledger.toml").write_text(text, encoding="utf-8")
    code, _, err = run_cli("sources", "add", note, "--ledger", book, "--id", "n2", "--title",
                           "N", "--publisher", "P", "--published", "2024-01-01")
    assert code == 1 and "outside" in err and not (tmp_path.parent / "elsewhere").exists()


def test_sources_remove(tmp_path, run_cli):
    book, _, _ = _newcomer(tmp_path, run_cli)
    (book / "pledges.toml").write_text(
        '# pledges\n[[entry]]\nid = "wall"\ndate = 2024-03-03\nfunder = "UK"\npurpose = "H"\n'
        'amount = "£12m"\n  [[entry.source]]\n  doc = "harbour"\n  quote = "£12 million"\n',
        encoding="utf-8")
    sources_before = (book / "sources.toml").read_bytes()
    code, _, err = run_cli("sources", "remove", "harbour", "--ledger", book)
    assert code == 1 and "cited by 1 citation(s) of entry wall" in err and "--force" in err
    assert (book / "sources.toml").read_bytes() == sources_before
    assert (book / "sources" / "harbour.html").exists()
    code, _, err = run_cli("sources", "remove", "nothing", "--ledger", book)
    assert code == 1 and "no document 'nothing'" in err

    code, _, err = run_cli("sources", "remove", "harbour", "--ledger", book, "--force")
    assert code == 0, err
    assert "removed document 'harbour'" in err and "harbour.html.txt" in err
    assert "removed entry 'wall''s citation '£12 million'" in err
    assert list((book / "sources").iterdir()) == []
    # every other byte kept: the header comments of init, the entry without its source
    from ledger.sources.archive import NEW_SOURCES_HEADER
    assert (book / "sources.toml").read_text("utf-8").strip() == NEW_SOURCES_HEADER.strip()
    assert (book / "pledges.toml").read_text("utf-8") == (
        '# pledges\n[[entry]]\nid = "wall"\ndate = 2024-03-03\nfunder = "UK"\npurpose = "H"\n'
        'amount = "£12m"\n')
    code, out, err = run_cli("check", book)
    assert code == 0 and "no source" in out + err


def test_remove_keeps_the_other_documents_bytes(ledger_copy, run_cli):
    book, archive = ledger_copy
    before = (book / "sources.toml").read_text("utf-8")
    uncited = "000_a23507379a8d4142"
    (archive / f"{uncited}.txt").chmod(0o644)   # the seeds' copy may be read-only: then kept
    code, _, err = run_cli("sources", "remove", uncited, "--ledger", book, "--sources", archive)
    assert code == 0, err
    after = (book / "sources.toml").read_text("utf-8")
    start = before.index(f'id = "{uncited}"') - len("[[document]]\n")
    end = before.index("[[document]]", start + 1)
    assert after == before[:start] + before[end:]
    assert not (archive / f"{uncited}.txt").exists()
    assert uncited not in ledger.load(book).documents


def test_archived_document_is_found_by_place_or_hash(tmp_path, run_cli):
    from ledger.sources.archive import archived_document

    book, downloads, page = _newcomer(tmp_path, run_cli)
    for f in (book / "sources" / "harbour.html", book / "sources" / "harbour.html.txt"):
        assert archived_document(f).id == "harbour"        # found from the archive's folder
    assert archived_document(page) is None                  # the download: no ledger above it
    assert archived_document(page, book).id == "harbour"   # by its hash
    other = downloads / "other.html"
    other.write_text(PAGE.replace("£12", "£13"), encoding="utf-8")
    assert archived_document(other, book) is None


def test_a_one_file_ledgers_archive_is_beside_it(tmp_path, run_cli):
    journal = tmp_path / "book.toml"
    journal.write_text('[ledger]\nname = "x"\n', encoding="utf-8")
    note = tmp_path / "elsewhere" / "note.txt"
    note.parent.mkdir()
    note.write_text("The UK gives £1m.\n", encoding="utf-8")
    assert run_cli("sources", "add", note, "--ledger", journal, "--title", "N",
                   "--publisher", "P", "--published", "2024-01-01")[0] == 0
    assert (tmp_path / "sources" / "note.txt").read_bytes() == note.read_bytes()
    assert run_cli("add", journal, "--id", "a", "--date", "2024-01-01", "--funder", "UK",
                   "--purpose", "P", "--amount", "£1m", "--source", "note",
                   "--quote", "£1m")[0] == 0
    code, _, err = run_cli("audit", journal)
    assert code == 0 and "1 verified" in err


def test_sources_list_takes_the_ledger_as_add_and_remove_do(tmp_path, run_cli):
    book, _, _ = _newcomer(tmp_path, run_cli)
    positional = run_cli("sources", "list", book, "--format", "csv")
    assert positional[0] == 0 and "harbour" in positional[1]
    assert run_cli("sources", "list", "--ledger", book, "--format", "csv")[:2] == positional[:2]
    same = run_cli("sources", "list", book, "--ledger", f"{book}/", "--format", "csv")
    assert same[:2] == positional[:2]
    code, out, err = run_cli("sources", "list", "--format", "csv")
    assert code == 1 and out == "" and "which ledger" in err and "Traceback" not in err
    code, out, err = run_cli("sources", "list", book, "--ledger", tmp_path / "other")
    assert code == 1 and out == "" and "two ledgers" in err



def _two_files(tmp_path, run_cli, wall: list[tuple[str, str]]):
    """A ledger citing ``harbour`` from two files: ``wall`` (in a.toml)
    with the citations ``wall`` gives (doc, quote), ``gate`` (in b.toml)
    once; its journal texts' parts."""
    book, _, _ = _newcomer(tmp_path, run_cli)
    note = tmp_path / "note.txt"
    note.write_text("The UK gives £1m.\n", encoding="utf-8")
    assert run_cli("sources", "add", note, "--ledger", book, "--id", "note", "--title", "N",
                   "--publisher", "P", "--published", "2024-01-01")[0] == 0
    entry = ('[[entry]]\nid = "{id}"\ndate = 2024-03-03\nfunder = "UK"\npurpose = "H"\n'
             'amount = "£12m"\n')
    cite = '  [[entry.source]]\n  doc = "{doc}"\n  quote = "{quote}"\n'
    (book / "a.toml").write_text(entry.format(id="wall") + "".join(
        cite.format(doc=d, quote=q) for d, q in wall), encoding="utf-8")
    (book / "b.toml").write_text(entry.format(id="gate") + cite.format(doc="harbour",
                                                                       quote="harbour wall"),
                                 encoding="utf-8")
    return book, entry, cite


def test_sources_list_and_remove_read_the_citations_table(tmp_path, run_cli, monkeypatch):
    """``sources list`` counts and ``sources remove`` finds a document's
    citations in the Book's citations table: no ``Entry`` is made (issue
    24).  Two entries in two files cite it, one beside another document:
    said and removed in the order of the files, the other citation kept."""
    import json
    from ledger.model import Entry

    book, entry, cite = _two_files(tmp_path, run_cli, [("note", "£1m"), ("harbour", "£12m")])

    def refused(self, *args, **kwargs):
        raise AssertionError("an Entry was made")
    monkeypatch.setattr(Entry, "__init__", refused)
    code, out, err = run_cli("sources", "list", book, "--format", "json")
    assert code == 0, err
    assert {r["id"]: r["citations"] for r in json.loads(out)} == {"harbour": 2, "note": 1}
    code, _, err = run_cli("sources", "remove", "harbour", "--ledger", book)
    assert code == 1 and "cited by 2 citation(s) of entries gate, wall;" in err, err
    code, _, err = run_cli("sources", "remove", "harbour", "--ledger", book, "--force")
    monkeypatch.undo()
    assert code == 0, err
    assert [ln for ln in err.splitlines() if "citation" in ln] == [
        "ledger-tool: sources: removed entry 'wall''s citation '£12m'",
        "ledger-tool: sources: removed entry 'gate''s citation 'harbour wall'"]
    assert (book / "a.toml").read_text("utf-8") == entry.format(id="wall") + cite.format(
        doc="note", quote="£1m")
    assert (book / "b.toml").read_text("utf-8") == entry.format(id="gate")


def test_sources_remove_takes_out_a_document_an_entry_cites_twice(tmp_path, run_cli):
    """``--force`` removes both citations of an entry citing the document
    twice (its entry edited once: twice, the edit was refused as unsafe),
    each said in the entry's order; the entry's other citation kept."""
    book, entry, cite = _two_files(tmp_path, run_cli, [
        ("harbour", "£12 million"), ("note", "£1m"), ("harbour", "three years")])
    code, _, err = run_cli("sources", "remove", "harbour", "--ledger", book)
    assert code == 1 and "cited by 3 citation(s) of entries gate, wall;" in err, err
    code, _, err = run_cli("sources", "remove", "harbour", "--ledger", book, "--force")
    assert code == 0, err
    assert [ln for ln in err.splitlines() if "citation" in ln] == [
        "ledger-tool: sources: removed entry 'wall''s citation '£12 million'",
        "ledger-tool: sources: removed entry 'wall''s citation 'three years'",
        "ledger-tool: sources: removed entry 'gate''s citation 'harbour wall'"]
    assert (book / "a.toml").read_text("utf-8") == entry.format(id="wall") + cite.format(
        doc="note", quote="£1m")
    assert (book / "b.toml").read_text("utf-8") == entry.format(id="gate")
    assert run_cli("check", book)[0] == 0
