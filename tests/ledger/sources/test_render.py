"""Web pages and PDFs as sources (ledger/sources/render.py): archived as the original
bytes plus a text rendering that quotes, extraction and the audit read.  The
tests make their own page and PDF (matplotlib's PDF backend writes it)."""
from __future__ import annotations

import json
import tomllib

import pytest

from ledger.errors import LedgerError
from ledger.sources.render import check_locator, heading_at, read_rendering_file, render, rendering_path

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>UK pledges £18.5 million - GOV.UK</title>
<script>var teaser = "£99m";</script><style>p {color: red}</style></head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/funding">Our £1bn programme</a></li></ul></nav></header>
<main><article>
<h1>UK pledges £18.5 million for Channel patrols</h1>
<p>The Home Secretary today confirmed <b>£18.5&nbsp;million</b> (&euro;21.6 million) for new
surveillance equipment at northern French ports.</p>
<h2>Intelligence</h2>
<p>Up to £4m a year for three years will fund a joint intelligence cell, and about
2,400 people are housed in Kent.</p>
</article></main>
<footer><p>Contact us: 020 7035 4848. Cookies. &copy; Crown copyright</p>
<ul><li><a href="/x">Related: £3m for ports</a></li></ul></footer>
</body></html>
"""

PDF_PAGES = [
    ["Annual report 2024", "The Department committed £7.25 million in 2023-24 to coastal defence."],
    ["Section 2 - Funding", "France will pay €30 million (£26m) a year for three years.",
     "Article 12 applies; 82% was disbursed."],
]


def write_pdf(path, pages=PDF_PAGES):
    """A small text PDF, one figure per page, TrueType fonts so that the text
    can be extracted."""
    import matplotlib
    matplotlib.use("pdf")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for lines in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            for i, line in enumerate(lines):
                fig.text(0.08, 0.9 - 0.05 * i, line, fontsize=11)
            pdf.savefig(fig)
            plt.close(fig)


@pytest.fixture
def sources(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    write_pdf(pdf)
    return page, pdf


def test_html_rendering_keeps_the_main_text_and_drops_navigation(sources):
    text = render(sources[0])
    assert "£18.5 million (€21.6 million)" in text
    assert "# UK pledges £18.5 million for Channel patrols" in text
    assert "## Intelligence" in text
    for noise in ("£1bn", "£3m", "£99m", "Cookies", "color: red"):
        assert noise not in text
    at = text.index("Up to £4m")
    assert heading_at(text, at) == "Intelligence"


def test_pdf_rendering_has_its_pages(sources, tmp_path):
    text = render(sources[1])
    assert text.count("\f") == 1
    first, second = text.split("\f")
    assert "£7.25 million in 2023-24" in first and "€30 million (£26m)" in second
    out = rendering_path(tmp_path / "report.pdf")
    out.write_text(text, encoding="utf-8")
    doc = read_rendering_file(out)
    assert doc.kind == "pdf"
    at = doc.text.index("€30 million")
    assert doc.locate(at).page == 2
    assert check_locator("page 2", doc, at) is None
    assert check_locator("p. 1", doc, at) == "the quote is on page 2"


def test_broken_inputs_are_one_clear_line(tmp_path):
    from ledger.errors import LedgerError

    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(LedgerError, match="broken.pdf"):
        render(bad)
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>x</title></head><body><script>var a;</script></body></html>",
                     encoding="utf-8")
    with pytest.raises(LedgerError, match="empty.html: no text found"):
        render(empty)


def test_special_files_and_oversized_inputs_are_refused(sources, tmp_path, monkeypatch):
    """The original is read through safe_io (a FIFO would hang a plain read);
    a PDF's page count and text are bounded before pypdf's text runs on."""
    import os

    import ledger.sources.render as render_mod
    import ledger.sources.text as text_mod
    from ledger.errors import LedgerError

    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    with pytest.raises(LedgerError, match=r"pipe\.html: is a FIFO"):
        render(fifo)
    monkeypatch.setattr(text_mod, "MAX_PDF_PAGES", 1)
    with pytest.raises(LedgerError, match=r"report\.pdf: a PDF of 2 pages, more than the 1"):
        render(sources[1])
    monkeypatch.setattr(text_mod, "MAX_PDF_PAGES", 10)
    monkeypatch.setattr(text_mod, "MAX_PDF_TEXT", 20)
    with pytest.raises(LedgerError, match=r"report\.pdf: the PDF's text runs past 20 characters"):
        render(sources[1])
    monkeypatch.setattr(render_mod, "MAX_SOURCE_BYTES", 100)
    with pytest.raises(LedgerError, match=r"page\.html: .* more than the 100 bytes limit"):
        render(sources[0])
    monkeypatch.setenv("LEDGER_TOOL_MAX_FILE_SIZE", "1M")   # the message's advice works
    assert "£18.5 million" in render(sources[0])


LEDGER = """
[[entry]]
id = "uk-channel-2024"
date = 2024-03-03
funder = "UK:Home Office"
purpose = "Security:Channel"
amount = "£18.5 million"
restated = ["€21.6 million"]
[[entry.source]]
doc = "page"
quote = "£18.5 million (€21.6 million)"
locator = "heading: UK pledges £18.5 million for Channel patrols"

[[entry]]
id = "fr-ports-2024"
date = 2024-06-01
funder = "UK:Home Office"
purpose = "Security:Ports"
amount = "€30 million"
period = "per year for 3 years"
restated = ["£26m"]
[[entry.source]]
doc = "report"
quote = "€30 million (£26m) a year for three years"
locator = "page 2"
"""


def _audit(run_cli, book, archive):
    code, out, err = run_cli("audit", book, "--sources", archive, "--format", "json")
    return code, json.loads(out)


def test_add_cite_and_audit_a_page_and_a_pdf(run_cli, sources, tmp_path):
    page, pdf = sources
    book, archive = tmp_path / "book", tmp_path / "archive"
    book.mkdir()
    archive.mkdir()
    for f, title in ((page, "UK pledges £18.5m"), (pdf, "Annual report")):
        code, out, err = run_cli("sources", "add", f, "--ledger", book, "--sources", archive,
                                 "--title", title, "--publisher", "HMG",
                                 "--published", "2024-03-03")
        assert code == 0, err
    docs = {d["id"]: d for d in tomllib.loads((book / "sources.toml").read_text("utf-8"))["document"]}
    assert docs["page"]["path"] == "page.html" and docs["page"]["text"] == "page.html.txt"
    assert docs["report"]["text"] == "report.pdf.txt"
    assert (archive / "page.html").read_bytes() == page.read_bytes()   # the original, byte for byte
    assert "£18.5 million" in (archive / "page.html.txt").read_text("utf-8")

    # extract from the renderings: drafts cite the document ids with a heading or a page
    code, out, err = run_cli("extract", archive / "page.html.txt", archive / "report.pdf.txt",
                             "--draft", tmp_path / "draft.toml")
    assert code == 0, err
    drafts = tomllib.loads((tmp_path / "draft.toml").read_text("utf-8"))["entry"]
    cites = [(d["source"][0]["doc"], d["source"][0]["locator"]) for d in drafts]
    assert ("page", "heading: Intelligence") in cites
    assert ("report", "page 2, line 5, column 17") in cites

    (book / "ledger.toml").write_text(LEDGER, encoding="utf-8")
    code, data = _audit(run_cli, book, archive)
    assert code == 0, data["findings"]
    assert data["summary"]["verified"] == 2
    kinds = {d["id"]: d["kind"] for d in data["documents"]}
    assert kinds == {"page": "html", "report": "pdf"}
    codes = {f["code"] for f in data["findings"]}
    assert "unrecorded-file" not in codes      # renderings are part of their documents

    # a wrong page or heading is a warning
    (book / "ledger.toml").write_text(LEDGER.replace('locator = "page 2"', 'locator = "page 1"')
                                      .replace("heading: UK pledges", "heading: Intelligence UK"),
                                      encoding="utf-8")
    code, data = _audit(run_cli, book, archive)
    found = [(f["code"], f["entry"]) for f in data["findings"] if f["code"] == "locator-mismatch"]
    assert sorted(found) == [("locator-mismatch", "fr-ports-2024"),
                             ("locator-mismatch", "uk-channel-2024")]
    (book / "ledger.toml").write_text(LEDGER, encoding="utf-8")

    # the original changes: said, and whether its text still reads the same
    (archive / "page.html").write_text(PAGE + "<!-- edited -->\n", encoding="utf-8")
    code, data = _audit(run_cli, book, archive)
    (mismatch,) = [f for f in data["findings"] if f["code"] == "hash-mismatch"]
    assert code == 1 and mismatch["doc"] == "page" and "rendering is unchanged" in mismatch["message"]
    (archive / "page.html").write_text(PAGE.replace("£18.5&nbsp;million", "£19&nbsp;million"),
                                       encoding="utf-8")
    code, data = _audit(run_cli, book, archive)
    (mismatch,) = [f for f in data["findings"] if f["code"] == "hash-mismatch"]
    assert "renders differently" in mismatch["message"]

    # the rendering is edited: an error, and quotes are read from it as it is
    text = (archive / "report.pdf.txt").read_text("utf-8")
    (archive / "report.pdf.txt").write_text(text.replace("€30 million", "€31 million"), "utf-8")
    code, data = _audit(run_cli, book, archive)
    codes = [(f["code"], f["doc"]) for f in data["findings"] if f["severity"] == "error"]
    assert ("rendering-changed", "report") in codes and ("quote-not-found", "report") in codes


def test_a_small_fragment_is_rendered_whole(tmp_path):
    note = tmp_path / "note.html"
    note.write_text("<p>UK gives &pound;1m</p>", encoding="utf-8")
    assert render(note) == "UK gives £1m\n"


def test_sources_add_refuses_a_page_without_text(run_cli, tmp_path):
    book, archive = tmp_path / "book", tmp_path / "archive"
    book.mkdir()
    archive.mkdir()
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body>  </body></html>", encoding="utf-8")
    code, out, err = run_cli("sources", "add", empty, "--ledger", book, "--sources", archive,
                             "--title", "T", "--publisher", "P", "--published", "2024-01-01")
    assert code == 1 and "empty.html: no text found" in err and "Traceback" not in err
    assert not (book / "sources.toml").exists() and list(archive.iterdir()) == []


def test_a_failed_add_leaves_no_rendering(run_cli, sources, tmp_path):
    book, archive = tmp_path / "book", tmp_path / "archive"
    book.mkdir()
    archive.mkdir()
    (book / "sources.toml").write_text("this is = = not toml\n", encoding="utf-8")
    code, out, err = run_cli("sources", "add", sources[0], "--ledger", book, "--sources", archive,
                             "--title", "T", "--publisher", "P", "--published", "2024-01-01")
    assert code == 1 and "not valid TOML" in err
    assert not (archive / "page.html.txt").exists()


def test_a_rendering_outside_the_archive_is_refused(sources, tmp_path):
    """``text`` in a [[document]] is input like ``path``: a rendering that
    leaves the archive (``..``, a symlink out) is not read for the quotes."""
    from ledger.sources.archive import Archive
    from ledger.errors import LedgerError
    from ledger.model import Document

    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "page.html").write_bytes(sources[0].read_bytes())
    (tmp_path / "secret.txt").write_text("The secret says £5 million.\n", encoding="utf-8")
    (archive / "link.txt").symlink_to(tmp_path / "secret.txt")
    for text in ("../secret.txt", "link.txt"):
        doc = Document(id="page", path="page.html", text=text)
        with pytest.raises(LedgerError, match=r"document 'page': .*outside"):
            Archive(archive).read(doc)
    (archive / "page.html.txt").write_text(render(sources[0]), encoding="utf-8")
    doc = Document(id="page", path="page.html", text="page.html.txt")
    assert "£18.5 million" in Archive(archive).read(doc).text


def test_a_changed_original_is_rendered_from_where_the_archive_keeps_it(sources, tmp_path):
    """The audit re-renders a changed original from its recorded path, even
    when its rendering is kept in another folder."""
    from ledger.sources.audit import check_document
    from ledger.sources.archive import Archive, sha256_file
    from ledger.model import Document

    archive = tmp_path / "archive"
    (archive / "renders").mkdir(parents=True)
    (archive / "page.html").write_bytes(sources[0].read_bytes())
    (archive / "renders" / "page.html.txt").write_text(render(sources[0]), encoding="utf-8")
    doc = Document(id="page", path="page.html", text="renders/page.html.txt",
                   sha256=sha256_file(archive / "page.html"))
    (archive / "page.html").write_text(PAGE + "<!-- edited -->\n", encoding="utf-8")
    src = Archive(archive).read(doc)
    (mismatch,) = [f for f in check_document(doc, src, 1, str(archive)) if f.code == "hash-mismatch"]
    assert "rendering is unchanged" in mismatch.message


def test_extract_reads_an_original_as_its_rendering(run_cli, sources, tmp_path):
    """One rendering for HTML everywhere: extract on a page gives the mentions
    of the text that sources add archives (navigation, footer and scripts
    dropped), with the rendering's lines and headings; a PDF likewise."""
    page, pdf = sources
    code, out, err = run_cli("extract", page, "--format", "json")
    assert code == 0 and "made as 'sources add' makes it" in err
    fresh = json.loads(out)
    phrases = [m["phrase"] for m in fresh]
    assert "£99m" not in phrases and "£1bn" not in " ".join(phrases)    # script, navigation
    assert "£3m" not in " ".join(phrases)                                  # footer
    assert phrases[0].startswith("£18.5") and all(m["doc"] == "page.html.txt" for m in fresh)
    rendering_path(page).write_text(render(page), encoding="utf-8")       # as sources add does
    code, out, err = run_cli("extract", page, "--format", "json")
    assert code == 0 and json.loads(out) == fresh                         # the same text, places
    assert "read its text rendering, page.html.txt" in err
    text = rendering_path(page).read_text("utf-8").splitlines()
    for m in fresh:                    # lines and columns are the rendering file's
        assert text[m["line"] - 1][m["column"] - 1:].startswith(m["phrase"].split("\n")[0])
    code, out, err = run_cli("extract", pdf, "--draft", tmp_path / "d.toml")
    drafts = tomllib.loads((tmp_path / "d.toml").read_text("utf-8"))["entry"]
    (euros,) = [d for d in drafts if d["amount"].startswith("€30")]
    assert code == 0 and euros["source"][0]["doc"] == "report"
    assert euros["source"][0]["locator"].startswith("page 2, ")


BODY = ("<p>The Department today announced £12 million over three years to rebuild the "
        "storm-damaged harbour wall at an invented town on the coast, it said.</p>")


def test_headings_the_extractor_drops_are_put_back_in_place(tmp_path):
    """A title above <main> (trafilatura leaves it out): a citation under it
    can say "heading: …"; a heading in the navigation stays out."""
    page = tmp_path / "p.html"
    page.write_text(f"<html><body><nav><h2>Menu</h2><ul><li>Home</li></ul></nav>"
                    f"<h1>Harbour wall</h1><main>{BODY}<h2>Upkeep</h2>"
                    f"{BODY.replace('£12 million over three years', '£4m a year')}</main>"
                    f"</body></html>", encoding="utf-8")
    text = render(page)
    heads = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert heads == ["# Harbour wall", "## Upkeep"]
    assert text.index("# Harbour wall") < text.index("£12 million") < text.index("## Upkeep")
    at = text.index("£12 million")
    assert heading_at(text, at) == "Harbour wall"
    assert heading_at(text, text.index("£4m")) == "Upkeep"


def test_deeply_nested_pages_render_without_recursion(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 5000 + "<h1>Deep</h1>" + BODY +
                    "</div>" * 5000 + "</body></html>", encoding="utf-8")
    assert "£12 million" in render(page)
def test_a_pdf_whose_pages_share_one_big_stream_is_refused_by_its_bound(tmp_path):
    """9,000 pages drawing one stream took 232 s; the pages' content is
    bounded as a whole (pages x stream size), before any text is extracted."""
    from tests.conftest import generate_module
    from ledger.sources.text import MAX_PDF_CONTENT
    f = tmp_path / "shared.pdf"
    f.write_bytes(generate_module().shared_stream_pdf(9000, 2000))
    with pytest.raises(LedgerError) as err:
        render(f)
    msg = str(err.value)
    assert msg.startswith(f"{f}: the PDF's 9,000 pages draw ") and "\n" not in msg
    assert f"more than the {MAX_PDF_CONTENT // 2**20} MB" in msg
    # the same stream on a few pages is read
    f.write_bytes(generate_module().shared_stream_pdf(3, 20))
    assert render(f).count("the fund pays GBP 20 million") == 3


@pytest.mark.parametrize("error", [NotImplementedError("unsupported filter"),
                                   AttributeError("'NullObject' has no attribute 'get'"),
                                   AssertionError(), IndexError("list index out of range")])
def test_any_exception_from_the_pdf_library_is_one_line_naming_the_file(tmp_path, monkeypatch,
                                                                        error):
    """Malformed PDFs gave NotImplementedError, AttributeError and
    AssertionError tracebacks from extract and sources add."""
    import pypdf
    write_pdf(tmp_path / "a.pdf")

    def broken(self, *a, **k):
        raise error
    monkeypatch.setattr(pypdf.PageObject, "extract_text", broken)
    with pytest.raises(LedgerError) as err:
        render(tmp_path / "a.pdf")
    assert str(err.value).startswith(f"{tmp_path / 'a.pdf'}: cannot read PDF (")
    assert type(error).__name__ in str(err.value) and "\n" not in str(err.value)


def test_mutated_pdfs_are_read_or_refused_in_one_line(tmp_path):
    """Bytes of a real PDF changed at random (seeded): each is text or one
    LedgerError, never another exception."""
    import random
    write_pdf(tmp_path / "a.pdf")
    data = (tmp_path / "a.pdf").read_bytes()
    rng = random.Random(26)
    f = tmp_path / "m.pdf"
    for _ in range(150):
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i:i + rng.randint(1, 4)] = bytes(rng.randrange(256) for _ in range(rng.randint(0, 4)))
        f.write_bytes(bytes(b))
        try:
            render(f)
        except LedgerError as err:
            assert "\n" not in str(err)


def test_a_large_page_is_rendered_in_one_pass_with_the_same_conventions(sources, monkeypatch):
    """Over LARGE_PAGE_BYTES the page is not given to trafilatura (its time
    grew faster than the page: a 20 MB page took minutes): every visible
    block is kept in page order, navigation, footers and scripts dropped,
    headings as # lines, list items as - lines, table rows as a | b."""
    import trafilatura

    import ledger.sources.render as render_mod

    def slow(*a, **k):
        raise AssertionError("trafilatura was given a large page")
    monkeypatch.setattr(trafilatura, "extract", slow)
    monkeypatch.setattr(render_mod, "LARGE_PAGE_BYTES", 100)
    page = sources[0]
    page.write_text(PAGE.replace("</article>", "<ul><li>Ports: £2m</li><li>Kent</li></ul>"
                                 "<table><tr><th>Year</th><td>£5m</td></tr></table>"
                                 "<!-- £77m in a comment -->Loose £6m text</article>"),
                    encoding="utf-8")
    text = render(page)
    assert text.split("\n\n") == [
        "# UK pledges £18.5 million for Channel patrols",
        "The Home Secretary today confirmed £18.5 million (€21.6 million) for new "
        "surveillance equipment at northern French ports.",
        "## Intelligence",
        "Up to £4m a year for three years will fund a joint intelligence cell, and about "
        "2,400 people are housed in Kent.",
        "- Ports: £2m\n- Kent",
        "Year | £5m",
        "Loose £6m text\n"]
    at = text.index("Up to £4m")
    assert heading_at(text, at) == "Intelligence"
    monkeypatch.setattr(render_mod, "LARGE_PAGE_BYTES", 10 ** 9)
    with pytest.raises(AssertionError, match="trafilatura"):
        render(page)


def test_the_block_a_heading_goes_before_is_found_as_a_scan_would():
    """_restore_headings finds blocks by bisection over the sorted blocks
    (a scan to the end for every unmatched text was quadratic): the same
    block as the first one at or after ``at`` that starts with the text."""
    from hypothesis import given, settings, strategies as st

    from ledger.sources.render import _first_block_from

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.text("ab ", max_size=4), max_size=12), st.text("ab ", min_size=1,
                                                                    max_size=3),
           st.integers(0, 12))
    def same(plain, prefix, at):
        order = sorted(range(len(plain)), key=plain.__getitem__)
        want = next((k for k in range(at, len(plain)) if plain[k].startswith(prefix)), None)
        assert _first_block_from([plain[k] for k in order], order, prefix, at) == want
    same()


HIDDEN_PAGE = """<!DOCTYPE html><html><head><title>Harbour news</title></head><body>
<h1>Harbour wall</h1>
<p>The council pledged £2 million for the harbour wall over three years, and more will follow.</p>
<div style="display:none">The department pledged £900 million for the harbour.</div>
<p hidden>The ministry pledged £600 million for the quay.<p>The port pledged £7 million for the slip.</p>
<template><p>The agency pledged £500 million for the pier.</p></template>
<noscript><p>The fund pledged £400 million for the beach.</p></noscript>
<p style="font-size:0">The bank pledged £300 million for the dock.</p>
<p aria-hidden="true">The trust pledged £250 million for the steps.</p>
<div style="Visibility: Hidden !important">The board pledged £150 million for the crane.
 <p style="visibility:visible">The mayor pledged £8 million for the lamps.</p></div>
<div style="font-size:0px"><p style="font-size:1.5em">The club pledged £120 million for boats.</p>
 <p style="font-size:16px">The club pledged £9 million for the boathouse.</p></div>
<p style="opacity:0">The firm pledged £110 million for the quay wall.</p>
<form><input type="hidden" name="x" value="£100 million"></form>
<p>Other text about the harbour to make it long enough for extraction of main content, with
more words here about the harbour, the wall, the quay and the people of the town.</p>
</body></html>
"""
SEEN = ["£2 million", "£7 million", "£8 million", "£9 million"]
UNSEEN = ["£900", "£600", "£500", "£400", "£300", "£250", "£150", "£120", "£110", "£100"]


@pytest.mark.parametrize("reader", ["rendering", "large rendering", "raw page"])
def test_text_no_reader_sees_is_in_no_reading_of_the_page(tmp_path, monkeypatch, reader):
    """The audit checks the visible text: the hidden attribute, <template>,
    aria-hidden, inline display:none / visibility:hidden / font-size:0 /
    opacity:0 drop their text alike from trafilatura's rendering, the large
    page's one-pass rendering and the raw page's reader; a child made
    visible again (visibility:visible, an absolute font size) stays."""
    import ledger.sources.render as render_mod
    from ledger.sources.text import read_source

    page = tmp_path / "hidden.html"
    page.write_text(HIDDEN_PAGE, encoding="utf-8")
    if reader == "large rendering":
        monkeypatch.setattr(render_mod, "LARGE_PAGE_BYTES", 100)
    text = read_source(page).text if reader == "raw page" else render(page)
    assert [s for s in SEEN if s not in text] == []
    assert [s for s in UNSEEN if s in text] == []


def test_a_hidden_figure_is_not_verified_by_the_audit(run_cli, tmp_path):
    """sources add, then an entry citing a figure only a hidden element
    holds: quote-not-found, the audit fails; the visible one passes."""
    page = tmp_path / "hidden.html"
    page.write_text(HIDDEN_PAGE, encoding="utf-8")
    book, archive = tmp_path / "book", tmp_path / "archive"
    book.mkdir()
    archive.mkdir()
    code, _, err = run_cli("sources", "add", page, "--ledger", book, "--sources", archive,
                           "--title", "Harbour", "--publisher", "P", "--published", "2024-03-03")
    assert code == 0, err
    entry = '''[[entry]]
id = "{id}"
date = 2024-03-03
funder = "UK:Council"
purpose = "Harbour:Wall"
amount = "{amount}"
  [[entry.source]]
  doc = "hidden"
  quote = "{quote}"
'''
    seen = entry.format(id="seen", amount="£2 million", quote="pledged £2 million")
    (book / "ledger.toml").write_text(seen, encoding="utf-8")
    code, data = _audit(run_cli, book, archive)
    assert code == 0, data["findings"]
    for amount in ("£600 million", "£500 million", "£300 million", "£150 million"):
        (book / "ledger.toml").write_text(seen + entry.format(
            id="unseen", amount=amount, quote=f"pledged {amount}"), encoding="utf-8")
        code, data = _audit(run_cli, book, archive)
        assert code == 1 and ("quote-not-found", "unseen") in {
            (f["code"], f["entry"]) for f in data["findings"]}, amount
