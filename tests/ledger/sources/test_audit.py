"""The audit on the seed documents and the example ledger: quote
verification, tolerant matching, hashes, restatements against the ECB rates,
cross-source checks, coverage, and the audit command's outputs."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from tests.conftest import line_col
import tomlkit
from hypothesis import given, settings, strategies as st

import ledger
from rates.table import load_rates
import rates
from ledger.sources.archive import Archive, read_source
from ledger.sources.audit import (audit, check_double_counting, check_packages, find_quote, fold,
                          verify_citation, check_citation_agreement)
from ledger.phrases.extract import find_mentions
from ledger.model import Citation, Entry, Link, Money
from ledger.phrases.money import parse_amount
from ledger.phrases.period import parse_period




def _edit_entries(book, change):
    """Apply ``change(list of entry tables)`` to the copy's pledges.toml."""
    path = book / "pledges.toml"
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    change(doc["entry"])
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def _entry_table(entries, entry_id):
    return next(t for t in entries if t["id"] == entry_id)


# ------------------------------------------------------------ the seeds
def test_every_citation_of_the_example_verifies(example_ledger, seeds_dir, run_cli):
    code, out, err = run_cli("audit", example_ledger, "--sources", seeds_dir, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    book = ledger.load(example_ledger)
    n_citations = sum(len(e.sources) for e in book.entries)
    assert data["summary"]["citations"] == n_citations > 0
    assert data["summary"]["verified"] == n_citations
    assert data["summary"]["errors"] == 0
    archive = Archive(seeds_dir)
    for fig in data["figures"]:
        assert fig["verified"], fig
        for c in fig["citations"]:
            raw = archive.path_of(book.documents[c["doc"]]).read_text(encoding="utf-8")
            folded, origin = fold(raw)
            i = folded.find(fold(c["quote"])[0])      # found independently of the audit
            assert i >= 0
            assert (c["line"], c["column"]) == line_col(raw, origin[i])
    assert "passed" in err


def test_a_changed_figure_fails_and_names_the_entry(ledger_copy, run_cli):
    book, archive = ledger_copy
    seed = archive / "002_e2d441578c61b003.txt"
    text = seed.read_text(encoding="utf-8")
    assert text.count("£12 million") == 1
    seed.write_text(text.replace("£12 million", "£13 million"), encoding="utf-8")
    code, out, err = run_cli("audit", book, "--sources", archive)
    assert code == 1
    assert "entry 'uk-joint-declaration-2014'" in out and "quote-not-found" in out
    assert "£13 million" in out                     # the closest passage is shown
    assert "hash-mismatch" in out and "002_e2d441578c61b003" in out
    assert "FAILED" in err and "Traceback" not in err
    # the changed figure is now money that no entry cites
    code, out, err = run_cli("audit", book, "--sources", archive, "--format", "json")
    unc = json.loads(out)["uncovered"]
    assert [u["phrase"].startswith("£13 million") for u in unc] == [True]


def test_hash_mismatch_alone_is_reported(ledger_copy, run_cli):
    book, archive = ledger_copy
    seed = archive / "004_f8273654f7973075.txt"
    seed.write_bytes(seed.read_bytes() + b"\nA line added later.\n")
    code, out, err = run_cli("audit", book, "--sources", archive, "--format", "json")
    data = json.loads(out)
    assert code == 1
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert [(f["code"], f["doc"]) for f in errors] == [("hash-mismatch", "004_f8273654f7973075")]
    assert data["summary"]["verified"] == data["summary"]["citations"]   # quotes still there
    assert "hash-mismatch" in err


def test_missing_document_and_archive(ledger_copy, run_cli):
    book, archive = ledger_copy
    (archive / "004_f8273654f7973075.txt").unlink()
    code, out, err = run_cli("audit", book, "--sources", archive)
    assert code == 1
    assert "document-missing" in out and "004_f8273654f7973075.txt" in out
    assert "uk-calais-asylum-humanitarian-2015" in out
    code, out, err = run_cli("audit", book, "--sources", archive / "nope")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "source archive folder" in err and "not found" in err


def test_restatements_are_checked_against_the_ecb_rates(example_ledger, seeds_dir):
    book = ledger.load(example_ledger)
    result = audit(book, seeds_dir, reference=load_rates(root=book.root))
    checked = {(f.entry_id, f.details["restated_currency"]): f for f in result.findings
               if f.code in ("restatement-checked", "restatement-deviation")}
    expected = {(e.id, r.currency) for e in book.entries for r in e.restated
                if r.currency != e.currency}
    assert set(checked) == expected and expected
    # the two examples are among them
    assert ("uk-joint-declaration-2014", "EUR") in checked
    assert ("uk-calais-lorry-waiting-area-2015", "EUR") in checked
    for e in book.entries:
        for r in e.restated:
            f = checked[(e.id, r.currency)]
            ref = rates.convert(1, e.currency, r.currency, e.date).rate
            implied = r.amount / e.amount
            assert f.details["reference_rate"] == ref.quantize(Decimal("1e-6"))
            assert f.details["implied_rate"] == implied.quantize(Decimal("1e-6"))
            dev = implied / ref - 1
            assert abs(f.details["deviation"] - dev) < Decimal("1e-6")
            assert (f.severity == "warning") == (abs(dev) > Decimal("0.05"))
            assert f"{ref:.4f}" in f.message and f"{implied:.4f}" in f.message


def test_tolerance_option_and_strict(example_ledger, seeds_dir, run_cli):
    book = ledger.load(example_ledger)
    devs = {(e.id, r.currency): abs(r.amount / e.amount
                                    / rates.convert(1, e.currency, r.currency, e.date).rate - 1)
            for e in book.entries for r in e.restated}
    tol = sorted(devs.values())[len(devs) // 2]        # half of them above it
    above = {k for k, v in devs.items() if v > tol}
    assert above
    code, out, err = run_cli("audit", example_ledger, "--sources", seeds_dir,
                             "--tolerance", str(tol), "--format", "json")
    assert code == 0                                   # deviations are warnings
    flagged = {(f["entry"], f["details"]["restated_currency"]) for f in json.loads(out)["findings"]
               if f["code"] == "restatement-deviation"}
    assert flagged == above
    code, out, err = run_cli("audit", example_ledger, "--sources", seeds_dir,
                             "--tolerance", str(tol), "--strict")
    assert code == 1 and "restatement-deviation" in out
    code, out, err = run_cli("audit", example_ledger, "--sources", seeds_dir, "--tolerance", "2")
    assert code == 2


def test_uncovered_figures_are_the_mentions_no_entry_cites(ledger_copy, run_cli):
    book, archive = ledger_copy
    loaded = ledger.load(book)
    # on the full example: every money mention in the seeds is cited
    cited = {}
    for e in loaded.entries:
        for c in e.sources:
            cited.setdefault(c.doc, []).append(fold(c.quote)[0])
    expected = []
    for d in loaded.documents.values():
        text = read_source(archive / d.path).text
        for m in find_mentions(text, d.id):
            if not any(fold(m.phrase)[0] in q for q in cited.get(d.id, [])):
                expected.append((d.id, m.line, m.column))
    result = audit(loaded, archive, reference=load_rates(root=loaded.root))
    assert [(d, loc.line, loc.column) for d, m, loc in result.uncovered] == expected == []
    # drop one entry: exactly its figure becomes uncovered
    _edit_entries(book, lambda ents: ents.remove(_entry_table(ents, "uk-syria-aid-2015")))
    code, out, err = run_cli("audit", book, "--sources", archive, "--format", "json")
    assert code == 0
    unc = json.loads(out)["uncovered"]
    text = read_source(archive / "001_c33d2c2f8263bd4b.txt").text
    want = [m for m in find_mentions(text) if m.amount == Decimal(100_000_000)]
    assert [(u["doc"], u["line"], u["column"], u["phrase"]) for u in unc] == [
        ("001_c33d2c2f8263bd4b", m.line, m.column, m.phrase) for m in want]


def test_documents_never_cited_are_listed(example_ledger, seeds_dir):
    book = ledger.load(example_ledger)
    result = audit(book, seeds_dir, reference=load_rates(root=book.root))
    cited = {c.doc for e in book.entries for c in e.sources}
    uncited = {f.file for f in result.findings if f.code == "document-not-cited"}
    assert uncited == set(book.documents) - cited


def test_wrong_amount_and_period_fail(ledger_copy, run_cli):
    book, archive = ledger_copy

    def change(ents):
        _entry_table(ents, "uk-africa-aid-2015")["amount"] = "£271 million"
        _entry_table(ents, "uk-calais-asylum-humanitarian-2015")["period"] = "over 3 years"
        _entry_table(ents, "uk-coquelles-railhead-2015")["amount"] = "£7 million"
    _edit_entries(book, change)
    code, out, err = run_cli("audit", book, "--sources", archive, "--format", "json")
    assert code == 1
    found = {(f["entry"], f["code"]) for f in json.loads(out)["findings"]}
    assert ("uk-africa-aid-2015", "amount-mismatch") in found
    assert ("uk-calais-asylum-humanitarian-2015", "period-mismatch") in found
    assert ("uk-coquelles-railhead-2015", "qualifier-mismatch") in found
    assert "entry 'uk-africa-aid-2015'" in err


def test_html_document_verifies_with_markup_in_the_quote(ledger_copy, run_cli):
    book, archive = ledger_copy
    seed = archive / "002_e2d441578c61b003.txt"
    import html
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in
                     seed.read_text(encoding="utf-8").split("\n\n"))
    body = body.replace("£12 million (", "<strong>&pound;12 million</strong>\n(")
    page = archive / "002.html"
    page.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    seed.unlink()
    src = (book / "sources.toml").read_text(encoding="utf-8")
    old = 'path = "002_e2d441578c61b003.txt"\nsha256 = "a783f0ee36171f9fccf09d5ed5c29507ffe116b6849ab1eae65383369621305b"'
    assert old in src
    from ledger.sources.archive import sha256_file
    (book / "sources.toml").write_text(src.replace(
        old, f'path = "002.html"\nsha256 = "{sha256_file(page)}"'), encoding="utf-8")
    code, out, err = run_cli("audit", book, "--sources", archive, "--format", "json")
    assert code == 0, out
    fig = next(f for f in json.loads(out)["figures"] if f["entry"] == "uk-joint-declaration-2014")
    c = next(c for c in fig["citations"] if c["doc"] == "002_e2d441578c61b003")
    raw = page.read_text(encoding="utf-8")
    assert c["verified"] and (c["line"], c["column"]) == line_col(raw, raw.index("&pound;12"))


# ------------------------------------------------------ tolerant matching
DOC = ("Britain\u2019s government has pledged \u00a312 million (\u20ac15 million, "
       "$19\u00a0million)\nover three years \u2013 \u201cto boost security\u201d at the port.")


@pytest.mark.parametrize("quote,how", [
    ("£12 million (€15 million, $19\u00a0million)", "verbatim"),
    ("£12 million (€15 million, $19 million) over three years", "normalised"),   # NBSP, line break
    ("Britain's government", "normalised"),                                        # curly apostrophe
    ('years - "to boost security"', "normalised"),                                 # dash, quotes
    ("£12   million (€15\nmillion,", "normalised"),
    ("BRITAIN\u2019S GOVERNMENT", "letter case"),
    ("pledged £12 million ... over three years", "elided"),
    ("pledged […] at the port", "elided"),
])
def test_find_quote_is_tolerant(quote, how):
    m = find_quote(quote, DOC)
    assert m is not None and m.how == how
    words = quote.split()
    assert fold(DOC[m.start:m.end])[0].lower().startswith(fold(words[0])[0].lower())


@pytest.mark.parametrize("quote", ["£13 million", "pledged £12 million ... at the station", ""])
def test_find_quote_rejects(quote):
    assert find_quote(quote, DOC) is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([" ", "\n", "\u00a0", "  ", "\t", " \n "]), min_size=30, max_size=30))
def test_any_white_space_in_a_seed_quote_is_found(seps):
    base = "Britain's government has pledged £12 million (€15 million, $19 million) over three years"
    words = base.split(" ")
    quote = "".join(w + seps[i] for i, w in enumerate(words)).strip()
    m = find_quote(quote, DOC)
    assert m is not None and DOC[m.start:].startswith("Britain")


# ------------------------------------------------------- cross-source checks
def _entry(id, amount, *, date="2015-07-14", funder="UK:Home Office", period=None,
           sources=(), links=(), restated=()):
    p = parse_amount(amount)
    return Entry(id=id, date=dt.date.fromisoformat(date), funder=funder, purpose="P",
                 amount=p.amount, currency=p.currency, amount_text=amount,
                 qualifier=p.qualifier, period=parse_period(period) if period else p.period,
                 sources=tuple(sources), links=tuple(links),
                 restated=tuple(Money(parse_amount(r).amount, parse_amount(r).currency)
                                for r in restated))


def test_possible_double_counting():
    a = _entry("a", "£1.4 million", restated=["€2 million"])
    b = _entry("b", "£1.4 million", date="2015-08-01", funder="UK")       # parent funder
    c = _entry("c", "€2 million", date="2015-07-20")                      # a's restatement
    d = _entry("d", "£1.4 million", date="2016-07-14")                    # a year later
    e = _entry("e", "£1.4 million", date="2015-07-15", funder="France")   # another funder
    f = _entry("f", "£1.4 million", links=[Link("restates", "a")])        # linked: fine
    found = {(x.entry_id, x.details["other"]) for x in
             check_double_counting([a, b, c, d, e, f])}
    assert found == {("a", "b"), ("a", "c")}
    assert {(x.entry_id, x.details["other"]) for x in
            check_double_counting([a, b, d], window_days=400)} == {("a", "b"), ("a", "d"), ("b", "d")}


def test_phased_parts_that_do_not_add_up():
    pkg = _entry("pkg", "£17 million")
    p1 = _entry("p1", "£10 million", links=[Link("part_of", "pkg")])
    p2 = _entry("p2", "£5 million", links=[Link("part_of", "pkg")])
    p3 = _entry("p3", "£2 million", links=[Link("part_of", "pkg")])
    assert check_packages([pkg, p1, p2, p3]) == []
    short = check_packages([pkg, p1, p2])
    assert [(f.severity, f.code, f.entry_id) for f in short] == [
        ("warning", "parts-short-of-package", "pkg")]
    from ledger.phrases.money import format_money
    assert format_money(Decimal(2_000_000), "GBP", compact=True) in short[0].message
    over = check_packages([pkg, p1, p2, p3, _entry("p4", "£1 million", links=[Link("part_of", "pkg")])])
    assert [(f.severity, f.code) for f in over] == [("error", "parts-exceed-package")]


def test_citations_that_disagree(tmp_path):
    (tmp_path / "a.txt").write_text("The UK pledged £12 million over three years.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Britain will give £12 million over two years.\n", encoding="utf-8")
    e = _entry("x", "£12 million", period="over 3 years",
               sources=[Citation("a", "£12 million over three years"),
                        Citation("b", "£12 million over two years")])
    checks = [verify_citation(e, 0, read_source(tmp_path / "a.txt")),
              verify_citation(e, 1, read_source(tmp_path / "b.txt"))]
    assert checks[0].verified and not checks[1].verified
    assert [f.code for f in checks[1].findings] == ["period-mismatch"]
    found = check_citation_agreement(e, checks)
    assert [f.code for f in found] == ["citations-disagree"] and "over 2 years" in found[0].message


def test_per_year_phrase_consistent_with_a_total(tmp_path):
    (tmp_path / "a.txt").write_text("It will pay £4 million a year for three years.\n", encoding="utf-8")
    e = _entry("x", "£12 million", period="over 3 years",
               sources=[Citation("a", "£4 million a year for three years")])
    c = verify_citation(e, 0, read_source(tmp_path / "a.txt"))
    assert c.verified and c.matched_as == "total"


# -------------------------------------------------------------- outputs
def test_csv_and_table_outputs(example_ledger, seeds_dir, run_cli):
    code, out, err = run_cli("audit", example_ledger, "--sources", seeds_dir, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    book = ledger.load(example_ledger)
    ok = [r for r in rows if r["code"] == "quote-verified"]
    assert code == 0 and len(ok) == sum(len(e.sources) for e in book.entries)
    assert all(r["line"] and r["column"] and r["entry"] and r["doc"] for r in ok)
    code, out, err = run_cli("audit", example_ledger, "--sources", seeds_dir)
    assert code == 0
    for e in book.entries:
        assert e.id in out
    assert "Uncovered figures" in out and "Documents" in out


def test_html_section_and_audit_sheet(example_ledger, seeds_dir, tmp_path):
    from openpyxl import Workbook, load_workbook

    from reports.audit import FINDING_COLUMNS, html_section, write_audit_sheet

    book = ledger.load(example_ledger)
    result = audit(book, seeds_dir, reference=load_rates(root=book.root))
    page = html_section(result)
    marks = page.count("<mark>")
    assert marks == len(result.citations)
    for c in result.citations:
        assert f'href="#audit-{c.entry_id}-{c.index + 1}"' in page
        assert f'id="audit-{c.entry_id}-{c.index + 1}"' in page
    assert "<mark>£12 million (€15 million, $19\u00a0million) over three years</mark>" in page
    assert "<script" not in page

    wb = Workbook()
    write_audit_sheet(wb, result)
    path = tmp_path / "audit.xlsx"
    wb.save(path)
    ws = load_workbook(path)["Audit"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert list(rows[0]) == list(FINDING_COLUMNS)
    assert len(rows) - 1 == len(result.findings)
    assert sum(1 for r in rows if r[1] == "quote-verified") == len(result.citations)


def test_html_section_escapes_document_text(tmp_path):
    from reports.audit import html_section

    (tmp_path / "evil.txt").write_text('Watch <script>alert(1)</script> the UK gives £5 million & more.\n',
                                       encoding="utf-8")
    journal = tmp_path / "book.toml"
    journal.write_text('[[document]]\nid = "evil"\npath = "evil.txt"\n\n[[entry]]\nid = "e"\n'
                       'date = 2015-01-01\nfunder = "UK"\npurpose = "P"\namount = "£5 million"\n'
                       '  [[entry.source]]\n  doc = "evil"\n  quote = "the UK gives £5 million"\n',
                       encoding="utf-8")
    result = audit(book := ledger.load(journal), tmp_path, reference=load_rates(root=book.root))
    page = html_section(result)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<mark>the UK gives £5 million</mark> &amp; more." in page
    assert any(f.code == "no-hash" for f in result.findings)


def test_audit_sheet_keeps_formula_like_quotes_as_text(tmp_path):
    from openpyxl import Workbook, load_workbook

    from reports.audit import write_audit_sheet

    (tmp_path / "d.txt").write_text("=HYPERLINK(1) the UK gives £5 million\n", encoding="utf-8")
    journal = tmp_path / "book.toml"
    journal.write_text('[[document]]\nid = "d"\npath = "d.txt"\n\n[[entry]]\nid = "e"\n'
                       'date = 2015-01-01\nfunder = "UK"\npurpose = "P"\namount = "£5 million"\n'
                       '  [[entry.source]]\n  doc = "d"\n  quote = "=HYPERLINK(1) the UK gives £5 million"\n',
                       encoding="utf-8")
    wb = Workbook()
    write_audit_sheet(wb, audit(book := ledger.load(journal), tmp_path, reference=load_rates(root=book.root)))
    wb.save(tmp_path / "a.xlsx")
    cells = [c for row in load_workbook(tmp_path / "a.xlsx")["Audit"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_report_with_sources_has_audit_sheet_and_section(example_ledger, seeds_dir, tmp_path,
                                                          run_cli):
    from openpyxl import load_workbook

    out = tmp_path / "report"
    code, _, err = run_cli("report", example_ledger, "--out", out, "--sources", seeds_dir)
    assert code == 0, err
    book = ledger.load(example_ledger)
    n = sum(len(e.sources) for e in book.entries)
    ws = load_workbook(out / "report.xlsx")["Audit"]
    codes = [r[1] for r in ws.iter_rows(min_row=4, values_only=True)]
    assert codes.count("quote-verified") == n
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<mark>") == n and 'href="#audit-uk-joint-declaration-2014-2"' in page
    code, _, err = run_cli("report", example_ledger, "--out", tmp_path / "r2", "--sources",
                           tmp_path / "missing")
    assert code == 1 and "source archive folder" in err


# ------------------------------------------- periods, starts and ranges (issue 17)
def test_a_one_off_total_quoting_a_rate_is_a_period_mismatch(tmp_path):
    (tmp_path / "a.txt").write_text("France gets €30 million (£26m) a year for three years.\n",
                                    encoding="utf-8")
    e = _entry("x", "€90 million", sources=[Citation("a", "€30 million (£26m) a year for three years")])
    c = verify_citation(e, 0, read_source(tmp_path / "a.txt"))
    assert not c.verified
    assert [f.code for f in c.findings] == ["period-mismatch", "restatement-not-recorded"]
    assert "one-off" in c.findings[0].message
    # recorded as the rate it is, it verifies
    ok = _entry("y", "€30 million", period="per year for 3 years",
                sources=[Citation("a", "€30 million (£26m) a year for three years")])
    assert verify_citation(ok, 0, read_source(tmp_path / "a.txt")).verified


def test_a_start_the_quote_states_must_be_the_entrys(tmp_path):
    (tmp_path / "a.txt").write_text(
        "It pays €30 million a year for three years from April 2024 to the fund.\n", encoding="utf-8")
    quote = "€30 million a year for three years from April 2024"
    late = _entry("x", "€30 million", period="per year for 3 years",
                  sources=[Citation("a", quote)])
    c = verify_citation(late, 0, read_source(tmp_path / "a.txt"))
    assert [f.code for f in c.findings] == ["period-start-mismatch"]
    assert "2024-04-01" in c.findings[0].message
    right = _entry("y", "€30 million", period="per year for 3 years from 2024-04-01",
                   sources=[Citation("a", quote)])
    assert verify_citation(right, 0, read_source(tmp_path / "a.txt")).verified


def test_fiscal_year_and_qualifier_of_the_quote_are_checked(tmp_path):
    (tmp_path / "a.txt").write_text("Britain will spend up to £250m in FY2024 on aid.\n",
                                    encoding="utf-8")
    e = _entry("x", "£250m", period="fiscal year 2024-25", sources=[Citation("a", "up to £250m in FY2024")])
    codes = [f.code for f in verify_citation(e, 0, read_source(tmp_path / "a.txt")).findings]
    assert codes == ["period-mismatch", "qualifier-mismatch"]
    good = _entry("y", "up to £250m", period="fiscal year 2023-24",
                  sources=[Citation("a", "up to £250m in FY2024")])
    assert verify_citation(good, 0, read_source(tmp_path / "a.txt")).verified


def test_a_range_verifies_its_bounds_with_a_qualifier(tmp_path):
    (tmp_path / "a.txt").write_text("The programme will cost £60m–£75m.\n", encoding="utf-8")
    low = _entry("x", "at least £60m", sources=[Citation("a", "£60m–£75m")])
    c = verify_citation(low, 0, read_source(tmp_path / "a.txt"))
    assert c.verified and [f.code for f in c.findings] == ["quote-verified"]
    exact = _entry("y", "£75m", sources=[Citation("a", "£60m–£75m")])
    assert [f.code for f in verify_citation(exact, 0, read_source(tmp_path / "a.txt")).findings] == [
        "quote-verified", "qualifier-mismatch"]


def test_audit_uses_the_archive_the_ledger_names(ledger_copy, run_cli):
    """Without --sources, the ledger's own archive option (a folder inside the
    ledger) is audited, without the option its 'sources' folder (where sources
    add copies documents); one pointing outside it, or none, is one clear line."""
    import shutil
    book, archive = ledger_copy
    shutil.copytree(archive, book / "sources")
    options = book / "ledger.toml"
    base = options.read_text(encoding="utf-8")
    options.write_text(base + 'archive = "sources"\n', encoding="utf-8")
    code, out, err = run_cli("audit", book, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["summary"]["verified"] == data["summary"]["citations"] == 9
    options.write_text(base + 'archive = "../seeds"\n', encoding="utf-8")   # outside the ledger
    code, _, err = run_cli("audit", book)
    assert code == 1 and "outside" in err and "--sources" in err and "Traceback" not in err
    options.write_text(base, encoding="utf-8")
    code, out, err = run_cli("audit", book, "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["verified"] == 9, err
    shutil.rmtree(book / "sources")
    code, _, err = run_cli("audit", book)
    assert code == 1 and "names no archive" in err and "--sources" in err


def test_a_quote_in_francs_cfa_takes_its_documents_zone(tmp_path):
    (tmp_path / "a.txt").write_text("Dakar, le 4 juillet 2024\n\nL'AFD prête 150 M€ "
                                    "(environ 98,4 milliards de francs CFA).\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Un prêt de 98,4 milliards de francs CFA a été signé.\n",
                                    encoding="utf-8")
    quote = "98,4 milliards de francs CFA"
    xof = _entry("x", "98.4 billion XOF", sources=[Citation("a", quote), Citation("b", quote)])
    assert verify_citation(xof, 0, read_source(tmp_path / "a.txt")).verified
    # the document names no zone: the entry's XOF settles it
    assert verify_citation(xof, 1, read_source(tmp_path / "b.txt")).verified
    # the document is about Senegal: XAF is not what it says
    xaf = _entry("y", "98.4 billion XAF", sources=[Citation("a", quote)])
    c = verify_citation(xaf, 0, read_source(tmp_path / "a.txt"))
    assert not c.verified and [f.code for f in c.findings] == ["amount-mismatch"]
