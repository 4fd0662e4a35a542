"""The bulk format's ``citations`` column (``ledger.read.table``): each
entry's quotes and locators reach the Book and the audit as a journal's do,
and a bad cell is one line naming the file, line and entry."""
from __future__ import annotations

import csv
import glob
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from lxml import etree

from ledger.read.table import read_bulk_book

FIXTURE = Path(__file__).parents[2] / "fixtures" / "real" / "iati" / "africa-educational-trust.xml"
INCOMING = {"IF", "1"}   # incoming funds: skipped by the importer's rule
HEAD = ["id", "date", "funder", "purpose", "amount", "currency", "sources", "citations"]


def _xml_figures() -> Counter:
    """The fixture's figures the import records, read with lxml: each
    budget's and each transaction's value but incoming funds'."""
    tree = etree.parse(str(FIXTURE))
    values = [b.findtext("value") for b in tree.iter("budget")]
    values += [t.findtext("value") for t in tree.iter("transaction")
               if t.find("transaction-type").get("code") not in INCOMING]
    return Counter(v.strip() for v in values if v and v.strip())


@pytest.fixture(scope="module")
def three_formats(tmp_path_factory):
    """The fixture imported as a journal and as a dataset, and the dataset's
    rows written as one bulk CSV (its documents and archive beside it)."""
    from ledger_tool.cli import main

    tmp = tmp_path_factory.mktemp("cite")
    journal, dataset = tmp / "j", tmp / "d.parquet"
    assert main(["import", "--from", "iati", str(FIXTURE), "-o", str(journal)]) == 0
    assert main(["import", "--from", "iati", str(FIXTURE), "--to", str(dataset)]) == 0
    bulk = tmp / "c" / "d.csv"
    bulk.parent.mkdir()
    pcsv.write_csv(_rows(dataset), bulk)
    with open(dataset / "_documents.csv", newline="", encoding="utf-8") as f:
        docs = list(csv.DictReader(f))
    with open(bulk.with_name("d.documents.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(docs[0]))
        w.writeheader()
        w.writerows(docs)
    shutil.copytree(dataset / "_sources", bulk.parent / "sources")
    return journal, dataset, bulk


def _rows(dataset: Path):
    tables = [pq.read_table(f, partitioning=None)
              for f in sorted(glob.glob(str(dataset / "year=*" / "*.parquet")))]
    return pa.concat_tables(tables)


def _audit(run_cli, ledger) -> dict:
    code, out, err = run_cli("audit", ledger, "--format", "json")
    assert "Traceback" not in err
    return {"code": code, **json.loads(out)}


def test_the_same_entries_give_the_same_audit_in_every_format(three_formats, run_cli):
    figures = _xml_figures()
    expected = sum(figures.values())
    assert expected == 11   # 10 transactions (4 incoming funds skipped) and 1 budget
    xml = FIXTURE.read_text(encoding="utf-8")
    said = {}
    for ledger in three_formats:
        got = _audit(run_cli, ledger)
        assert got["code"] == 0, ledger
        assert got["summary"] == {"entries": expected, "citations": expected,
                                  "verified": expected, "errors": 0, "warnings": 0,
                                  "uncovered": 0}, ledger
        assert Counter(f["amount"] for f in got["figures"]) == figures
        cites = {(f["entry"], c["doc"], c["quote"], c["locator"])
                 for f in got["figures"] for c in f["citations"]}
        assert len(cites) == expected and all(q and q in xml for _, _, q, _ in cites)
        findings = {(x["severity"], x["code"], x["entry"], x["doc"], x["message"])
                    for f in got["figures"] for x in f["findings"]}
        said[str(ledger)] = (cites, findings)
    assert len({json.dumps(sorted(map(sorted, v)), default=str) for v in said.values()}) == 1


def test_the_books_citations_carry_the_quotes(three_formats):
    from ledger import read_book

    journal, dataset, bulk = three_formats

    def cited(book):
        en, ci = book.tables.entries, book.tables.citations
        ids = en["id"].astype(str).tolist()
        return sorted((ids[e], d, q, loc) for e, d, q, loc in
                      zip(ci["entry"], ci["doc"], ci["quote"], ci["locator"]))

    want = cited(read_book(journal))
    assert all(q for _, _, q, _ in want)
    assert cited(read_book(dataset)) == want
    assert cited(read_bulk_book(bulk)) == want


def _bulk(tmp_path: Path, rows) -> Path:
    p = tmp_path / "b.csv"
    with open(p, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEAD)
        for i, (sources, cell) in enumerate(rows, 1):
            w.writerow([f"e{i}", "2020-01-01", "UK:FCDO", "Health", str(100 * i), "GBP",
                        sources, cell])
    return p


GOOD = '[{"doc": "d1", "quote": "£1m", "locator": "p. 1"}]'
BAD = [   # (sources, cell, what the line says)
    ("", '[{"doc": "d1", "quote": ', "citations are not JSON"),
    ("", '{"doc": "d1", "quote": "q"}', "citations are a table, not a JSON list"),
    ("", '"[{}]"', "citations are text, not a JSON list"),
    ("", '[{"doc": "d1", "quote": 5}]', "citation #1: quote must be text, not a number"),
    ("", '[{"doc": "d1", "locator": ["p. 1"]}]', "nested 3 deep"),
    ("", '["d1"]', "citation #1 is text, not a table"),
    ("", '[{"doc": "d1", "qoute": "q"}]', "citation #1 has an unknown key 'qoute'"),
    ("", "[" * 100_000 + "]" * 100_000, "more than"),
    ("", "[" * 20_000 + "]" * 20_000, "citations nested 20000 deep"),
    ("", '[{"doc": "d1", "quote": "' + "x" * 100_000 + '"}]', "more than 100,000"),
    ("", '[{"doc": "d1", "quote": "q", "doc": 1' + "0" * 5000 + "}]",
     "citation #1: doc must be text, not a number"),
    ("d1", '[{"doc": "d2", "quote": "q"}]', "sources name d1 but citations name d2"),
    ("d1;d2", GOOD, "sources name d1; d2 but citations name d1"),
    ("d1", "[]", "sources name d1 but citations name none"),
    ("", '[{"doc": "d1", "quote": "\\ud800"}]', "quote holds a lone surrogate"),
]


def test_bad_citations_cells_are_one_line_each_in_one_run(tmp_path, run_cli):
    p = _bulk(tmp_path, [("", GOOD)] + [(s, c) for s, c, _ in BAD])
    code, _, err = run_cli("check", p)
    assert code == 1 and "Traceback" not in err
    for k, (_, _, what) in enumerate(BAD):
        line = k + 3   # the header is line 1, the good row line 2
        said = [s for s in err.splitlines() if s.startswith(f"{p}:{line}: entry 'e{k + 2}': ")]
        assert len(said) == 1 and "error: " in said[0] and what in said[0], (what, said)
        assert len(said[0]) < 400
    assert f"{p}:2:" not in err


def test_sources_and_citations_naming_the_same_documents_agree(tmp_path):
    p = _bulk(tmp_path, [
        ("d2;d1", '[{"doc": "d1", "quote": "£1m"}, {"doc": "d2", "quote": "£1m"}, '
                  '{"doc": "d1", "quote": "one million", "locator": "p. 2"}]'),
        ("d1", ""),                          # sources only: a document without a quote
        ("", '[{"doc": " d2 ", "quote": " £3m"}]'),   # citations only
    ])
    book = read_bulk_book(p, documents={"d1": None, "d2": None})
    assert [x for x in book.problems if x.severity == "error"] == []
    assert not any(x.code == "no-quote" for x in book.problems)   # as before the column
    ci = book.tables.citations
    assert list(zip(ci["entry"], ci["doc"], ci["quote"], ci["locator"])) == [
        (0, "d1", "£1m", ""), (0, "d2", "£1m", ""), (0, "d1", "one million", "p. 2"),
        (1, "d1", "", ""), (2, "d2", " £3m", "")]


def test_a_bulk_citation_of_a_missing_document_without_a_quote(tmp_path, run_cli):
    p = tmp_path / "b.csv"
    p.write_text("id,date,funder,purpose,amount,currency,sources\n"
                 "e1,2020-01-01,UK:FCDO,Health,100,GBP,d1\n", encoding="utf-8")
    (tmp_path / "b.documents.csv").write_text("id,title,path\nd1,A report,gone.pdf\n",
                                              encoding="utf-8")
    (tmp_path / "sources").mkdir()
    code, out, err = run_cli("audit", p, "--format", "json")
    messages = [x["message"] for f in json.loads(out)["figures"] for x in f["findings"]]
    assert code == 1
    assert "cites d1 without a quote: document 'd1' is not available" in messages
    assert not any(re.search(r"quote ''", m) for m in messages)


def test_the_rows_of_one_entry_cite_alike(tmp_path, run_cli):
    p = tmp_path / "b.csv"
    with open(p, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEAD)
        w.writerow(["s1", "2020-01-01", "UK:FCDO", "Health", "100", "GBP", "", GOOD])
        w.writerow(["s1", "2020-01-01", "UK:FCDO", "Education", "50", "GBP", "",
                    GOOD.replace("£1m", "£2m")])
    code, _, err = run_cli("check", p)
    assert code == 1
    assert f"{p}:3: entry 's1': error: split row differs from the row before in " \
           f"'citations'" in err


def test_the_reports_sources_sheet_shows_the_same_quotes(three_formats, run_cli, tmp_path):
    import openpyxl

    xml = FIXTURE.read_text(encoding="utf-8")
    sheets = []
    for k, ledger in enumerate(three_formats):
        out = tmp_path / f"r{k}"
        code, _, err = run_cli("report", ledger, "--out", out)
        assert code == 0, err
        wb = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
        rows = [tuple(r) for r in wb["Sources"].iter_rows(values_only=True)]
        head = rows.index(("document", "title", "publisher", "published", "url", "quote",
                           "locator", "entry"))
        sheets.append(Counter(rows[head + 1:]))
    # (the rows' order follows each format's entry order: a dataset's is by year)
    assert sheets[0] == sheets[1] == sheets[2]
    quotes = [r[5] for r in sheets[0]]
    assert len(quotes) == sum(_xml_figures().values()) and all(q and q in xml for q in quotes)


def test_a_few_bad_cells_among_many_are_read_alone(tmp_path, monkeypatch):
    """A bad cell shaped like the good ones (which Arrow's JSON reader
    refuses) among thousands: each worded at its row as when alone, every
    good cell's quotes kept, and json reading only the cells near the bad
    ones, not the whole column."""
    import ledger.read.table as table

    bad = {7: ('[{"doc": "d1", "quote": 5}]', "citation #1: quote must be text, not a number"),
           2500: ('[{"doc": "d1", "qoute": "q"}]', "citation #1 has an unknown key 'qoute'"),
           2501: ('[{"doc": "d1", "quote": "q",}]', "citations are not JSON"),
           4999: ('[{"doc": "d1", "quote": "q", "locator": 1}]',
                  "citation #1: locator must be text, not a number")}
    n = 5000
    rows = [("", bad[i][0] if i in bad else
             json.dumps([{"doc": "d1", "quote": f"£{i}m", "locator": f"p. {i}"}]))
            for i in range(n)]
    p = _bulk(tmp_path, rows)
    read = []
    monkeypatch.setattr(table, "_citations_json",
                        lambda text, f=table._citations_json: read.append(text) or f(text))
    book = read_bulk_book(p, documents={"d1": None})
    errors = [(x.line, x.entry_id, x.message) for x in book.problems if x.severity == "error"]
    assert [e[:2] for e in errors] == [(i + 2, f"e{i + 1}") for i in sorted(bad)]
    for (_, _, message), i in zip(errors, sorted(bad)):
        assert bad[i][1] in message, message
    ci, ids = book.tables.citations, book.tables.entries["id"].astype(str).tolist()
    assert sorted((ids[e], q, loc) for e, q, loc in zip(ci["entry"], ci["quote"], ci["locator"])) \
        == sorted((f"e{i + 1}", f"£{i}m", f"p. {i}") for i in range(n) if i not in bad)
    assert set(bad[i][0] for i in bad) <= set(read)
    assert len(read) < n // 4, len(read)


def test_a_null_citation_is_worded_alike_wherever_it_stands(tmp_path):
    """A null in a cell's list is one wording whether or not a refused
    cell stands near it (Arrow reads a null; json words it)."""
    good = json.dumps([{"doc": "d1", "quote": "q"}])
    cells = {10: '[{"doc": "d1", "quote": 5}]', 20: '[{"doc": "d1", "quote": "q"}, null]',
             500: '[{"doc": "d1", "quote": "q"}, null]'}
    p = _bulk(tmp_path, [("", cells.get(i, good)) for i in range(600)])
    book = read_bulk_book(p, documents={"d1": None})
    said = {x.line: x.message for x in book.problems if x.severity == "error"}
    assert set(said) == {12, 22, 502}
    assert said[22] == said[502] and "null" in said[502]


def test_cells_bad_everywhere_are_read_by_json_at_once(tmp_path, monkeypatch):
    """When most pieces of a run are refused, the run goes to json whole,
    not through Arrow again at every level."""
    import ledger.read.table as table

    n, every = 5000, 110    # 46 bad cells (under the reader's cap of 50), in every piece
    rows = [("", '[{"doc": "d1", "quote": 5}]' if i % every == 0 else
             json.dumps([{"doc": "d1", "quote": f"£{i}m"}])) for i in range(n)]
    p = _bulk(tmp_path, rows)
    tries = []
    monkeypatch.setattr(table, "_citations_together",
                        lambda c, at, f=table._citations_together: tries.append(len(at)) or f(c, at))
    book = read_bulk_book(p, documents={"d1": None})
    assert sum(x.severity == "error" for x in book.problems) == len(range(0, n, every))
    assert len(tries) <= 1 + table._CITATION_PIECES, tries
