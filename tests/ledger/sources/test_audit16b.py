"""The audit's provenance checks on the cases a review of fix16 found: a
short quote said more than once is placed by its locator; figures read
twice through overlapping quotes; a plain-text line holding a figure is no
heading; an omission never crosses a paragraph or page break, whatever the
break is written with; a raw web page's locators are those of extract's
rendering; real FTS flows are not paired through their reporting year."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ledger.sources.audit import find_quote
from ledger.sources import text as text_module
from ledger.sources.text import read_source
from tests.conftest import line_col
from tests.ledger.sources.ledger16 import audited, ledger_of

FTS = Path(__file__).resolve().parents[2] / "fixtures" / "real" / "fts"


def _entry(eid, amount, quote, locator="", *, funder="UK:Home Office", date="2015-01-01",
           purpose="Aid:Port", doc="d"):
    loc = f'\n  locator = "{locator}"' if locator else ""
    return (f'\n[[entry]]\nid = "{eid}"\ndate = {date}\nfunder = "{funder}"\n'
            f'purpose = "{purpose}"\namount = "{amount}"\n'
            f'  [[entry.source]]\n  doc = "{doc}"\n  quote = "{quote}"{loc}\n')


def _of(findings, code):
    return [f for f in findings if f["code"] == code]


TWICE = ("The council gives £5 million to flood defences.\n\n"
         "The trust gives £5 million to schools.\n")


def test_a_repeated_quote_is_placed_by_its_locator(tmp_path, run_cli):
    first, second = (line_col(TWICE, i) for i in
                     (TWICE.index("£5 million"), TWICE.rindex("£5 million")))
    assert first == (1, 19) and second == (3, 17)
    entries = "".join([
        _entry("flood", "£5 million", "£5 million", "line 1, column 19",
               purpose="Aid:Flood"),
        _entry("school", "£5 million", "£5 million", "line 3, column 17",
               purpose="Aid:School", funder="Trust", date="2015-09-01"),
        # no locator: which of the two it means is unknown
        _entry("either", "£5 million", "£5 million", funder="Other", date="2016-06-01"),
        # the right line, the wrong column: the line picks it (school's), the
        # column is said
        _entry("off", "£5 million", "£5 million", "line 3, column 2", funder="Fourth",
               date="2017-06-01"),
    ])
    book = ledger_of(tmp_path, run_cli, {"d.txt": TWICE}, entries)
    figures, findings = audited(run_cli, book)
    assert all(f["verified"] for f in figures.values())
    # only "off" and "school" name the same one (line 3); "either" names none
    assert [(f["entry"], f["details"]["other"]) for f in _of(findings, "same-figure-twice")] \
        == [("off", "school")]
    [off] = _of(findings, "locator-mismatch")
    assert off["entry"] == "off" and "line 3, column 17" in off["message"]
    said = {f["entry"]: f for f in _of(findings, "quote-repeated")}
    assert (said["school"]["line"], said["school"]["column"]) == second
    assert "points to the one at 3:17" in said["school"]["message"]
    assert "does not say which" in said["either"]["message"]
    # the two figures are cited, each by the entry whose locator names it
    assert _of(findings, "uncovered-figure") == []


def test_one_thousand_grants_quoting_one_phrase(tmp_path, run_cli):
    n = 1000
    doc = "\n\n".join(f"School {i} receives a grant of £5,000 for books." for i in range(n)) + "\n"
    col = doc.index("£5,000") + 1
    entries = "".join(
        _entry(f"s{i}", "£5,000", "£5,000", f"line {2 * i + 1}, column {col + len(str(i)) - 1}",
               funder=f"F{i}", purpose=f"Schools:S{i}") for i in range(n))
    book = ledger_of(tmp_path, run_cli, {"d.txt": doc}, entries)
    figures, findings = audited(run_cli, book)
    assert sum(f["verified"] for f in figures.values()) == n
    assert _of(findings, "same-figure-twice") == []
    assert _of(findings, "locator-mismatch") == []
    assert _of(findings, "uncovered-figure") == []


def test_a_figure_read_through_overlapping_quotes(tmp_path, run_cli):
    doc = "The UK will give £12 million over three years to Calais.\n"
    entries = (_entry("a", "£12 million", "The UK will give £12 million")
               + _entry("b", "£12 million", "£12 million over three years", funder="France",
                        date="2016-06-01"))
    book = ledger_of(tmp_path, run_cli, {"d.txt": doc}, entries)
    _, findings = audited(run_cli, book)
    [same] = _of(findings, "same-figure-twice")
    assert (same["entry"], same["details"]["other"]) == ("b", "a")


def test_a_figure_said_for_each_of_several(tmp_path, run_cli):
    doc = "The UK gives £5 million each to Calais and Dunkirk.\n"
    entries = (_entry("calais", "£5 million", "£5 million each to Calais", purpose="Port:Calais")
               + _entry("dunkirk", "£5 million", "£5 million each to Calais and Dunkirk",
                        purpose="Port:Dunkirk", date="2015-01-20"))
    book = ledger_of(tmp_path, run_cli, {"d.txt": doc}, entries)
    _, findings = audited(run_cli, book)
    assert _of(findings, "same-figure-twice") == []
    # a note, and the pair is not said to look like one pledge either
    [each] = _of(findings, "same-figure-each")
    assert (each["entry"], each["details"]["other"]) == ("dunkirk", "calais")
    assert _of(findings, "possible-double-count") == []


HARBOUR = ("Harbour report\n\nFunding\n\nThe council agreed the following grants:\n\n"
           "- £2 million for the new harbour wall\n\n- £1 million for the lights\n\n"
           "Signed: J. Smith\n\nTotal committed: £3 million\n\nRoads\n\n"
           "The county adds £4 million for roads.\n")


def test_a_line_holding_a_figure_is_no_heading(tmp_path, run_cli):
    entries = "".join([
        _entry("wall", "£2 million", "£2 million for the new harbour wall", "heading: Funding"),
        _entry("lights", "£1 million", "£1 million for the lights", "section: Funding",
               funder="B"),
        _entry("total", "£3 million", "Total committed: £3 million", "heading: Funding",
               funder="C"),
        # a real heading stands between: still a mismatch
        _entry("roads", "£4 million", "£4 million for roads", "heading: Funding", funder="D"),
    ])
    book = ledger_of(tmp_path, run_cli, {"d.txt": HARBOUR}, entries)
    _, findings = audited(run_cli, book)
    wrong = _of(findings, "locator-mismatch")
    assert [(f["entry"], "'Roads'" in f["message"]) for f in wrong] == [("roads", True)]


@pytest.mark.parametrize("brk", ["\u2029", "\u2028\u2028", "\n\u200b\n", "\x85\x85", "\f",
                                 "\n \t\n", "\r\n\r\n", "\x0b\x0b", "\x1e"])
def test_an_omission_stays_in_its_paragraph(brk):
    text = f"The UK will give £12 million to Calais.{brk}It will pay a year, the minister said.\n"
    assert find_quote("£12 million … a year", text) is None
    # one line break is not a paragraph's end
    one = "The UK will give £12 million to Calais.\nIt will pay a year, the minister said.\n"
    m = find_quote("£12 million … a year", one)
    assert m is not None and m.how == "elided"


def test_a_pdf_read_raw_breaks_its_pages(tmp_path, monkeypatch):
    pages = ["The UK will give £2 million to Dunkirk.", "It will pay a year, it said."]
    monkeypatch.setattr(text_module, "pdf_pages", lambda data, p: pages)
    path = tmp_path / "r.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    src = read_source(path)
    assert src.page_starts == (0, src.text.index("It will"))
    assert find_quote("£2 million … a year", src.text) is None
    # lines as in the rendering extract reads (page 2 is on line 3)
    assert src.locate(src.text.index("It will")).line == 3


PAGE = ("<!doctype html>\n<html>\n<head><title>Grants</title></head>\n<body>\n<main>\n"
        "<p>The department announced its grants today, in full, for the coming years of the "
        "programme. It will give\n<b>£12 million</b> to the port of Calais over the next year, "
        "the minister said in a statement.</p>\n<p>It will also give £3 million to Dunkirk for "
        "new lights on the harbour wall, officials confirmed later.</p>\n</main>\n</body>\n"
        "</html>\n")


def test_a_raw_web_page_takes_extracts_locators(tmp_path, run_cli):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    draft = tmp_path / "draft.toml"
    code, _, err = run_cli("extract", page, "--draft", draft)
    assert code == 0, err
    drafted = {e["amount"]: e["source"][0]["locator"]
               for e in tomllib.loads(draft.read_text(encoding="utf-8"))["entry"]}
    # lines of the rendering, not of the HTML file (the figure is on its line 7)
    assert drafted == {"£12 million": "line 1, column 105", "£3 million": "line 3, column 19"}
    book = ledger_of(tmp_path, run_cli, {"d.html": PAGE}, "")
    # the page archived without its rendering: the audit reads the raw HTML
    for f in book.rglob("*.html.txt"):
        f.unlink()
    toml = book / "sources.toml"
    toml.write_text("\n".join(ln for ln in toml.read_text(encoding="utf-8").splitlines()
                              if not ln.startswith("text")) + "\n", encoding="utf-8")
    (book / "pledges.toml").write_text(
        _entry("calais", "£12 million", "£12 million", drafted["£12 million"])
        + _entry("dunkirk", "£3 million", "£3 million", drafted["£3 million"], funder="B"),
        encoding="utf-8")
    figures, findings = audited(run_cli, book)
    assert all(f["verified"] for f in figures.values())
    assert not any("rendering is missing" in f["message"] for f in findings)
    assert _of(findings, "locator-mismatch") == []


# possible-double-count on each real FTS page before fix16 (its merge's first
# parent, 2bb81eb^1): the flows of one reporting year are not paired by it
FTS_BEFORE = {"location-1-2020-page-1.json": 8, "location-114-2020-page-1.json": 12,
              "location-171-2020-page-2.json": 14}


@pytest.mark.parametrize("name", sorted(FTS_BEFORE))
def test_real_fts_flows_are_not_paired_by_their_year(tmp_path, run_cli, name):
    if not (FTS / name).is_file():
        pytest.skip(f"no {FTS / name}")
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "fts", FTS / name, "-o", book)
    assert code == 0, err
    _, findings = audited(run_cli, book)
    double = _of(findings, "possible-double-count")
    assert all(f["details"]["days_apart"] <= 90 for f in double)
    assert len(double) == FTS_BEFORE[name]
