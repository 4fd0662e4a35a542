"""The audit of a partitioned Parquet dataset (``report D --sources DIR``,
``audit D``), partition by partition: its findings are those of the same
rows read as one bulk file, including the checks across entries of two
partitions (double counting over a new year, phased parts filed in another
year's folder), which are worked out here from the rows."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ledger.read.dataset import read_dataset_book
from ledger.sources.audit import audit
from rates.table import load_rates
from reports.audit import audit_json
from tests.reports.test_dataset import _dataset_and_bulk, _sheets

ROWS = [
    # 16 days apart over a new year: one pledge recorded twice, in two partitions
    {"id": "dec", "date": "2019-12-20", "funder": "UK:FCDO", "purpose": "Health",
     "amount": "1000000", "currency": "GBP", "sources": "d1"},
    {"id": "jan", "date": "2020-01-05", "funder": "UK", "purpose": "Health",
     "amount": "1000000", "currency": "GBP", "sources": "d2"},
    # a package in 2019 and its phased parts in 2020 and 2021: 30 + 40 of 100
    {"id": "pkg", "date": "2019-03-01", "funder": "France", "purpose": "Port",
     "amount": "100", "currency": "EUR", "sources": "d1"},
    {"id": "part1", "date": "2020-03-01", "funder": "France", "purpose": "Port",
     "amount": "30", "currency": "EUR", "part_of": "pkg", "sources": "d1"},
    {"id": "part2", "date": "2021-03-01", "funder": "France", "purpose": "Port",
     "amount": "40", "currency": "EUR", "part_of": "pkg"},
    # far apart: not the same pledge
    {"id": "later", "date": "2021-09-01", "funder": "UK", "purpose": "Health",
     "amount": "1000000", "currency": "GBP", "sources": "d1;d3"},
]


@pytest.fixture
def ledgers(tmp_path) -> tuple[Path, Path, Path]:
    root, bulk = _dataset_and_bulk(tmp_path / "aud", ROWS)
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "notes.txt").write_text("UK pledged £1m.\n", encoding="utf-8")
    return root, bulk, archive


def _findings(rows) -> set[tuple]:
    """(severity, code, entry) of the Audit sheet's finding rows."""
    return {(r[0], r[1], r[2]) for r in rows[3:]}


def test_a_datasets_audit_is_the_bulk_files(ledgers, run_cli, tmp_path):
    root, bulk, archive = ledgers
    said = []
    for ledger, name in ((root, "d"), (bulk, "w")):
        code, _, err = run_cli("report", ledger, "--out", tmp_path / name, "--sources", archive)
        assert code == 1, err   # every citation names an undeclared document
        said.append([line.replace(str(tmp_path / name), "OUT") for line in err.splitlines()
                     if line.startswith(("audit:", "ledger-tool: report: audit:"))
                     or "the audit FAILED" in line])
    assert said[0] == said[1]
    assert said[0][0] == ("audit: 6 entries, 6 citations, 0 verified; 6 error(s), 3 warning(s), "
                          "0 uncovered figure(s)")
    sheets = [_sheets(tmp_path / name / "report.xlsx")["Audit"] for name in ("d", "w")]
    assert sheets[0] == sheets[1]
    found = _findings(sheets[0])
    # from the rows: six citations (d1, d2, d1, d1, d1 and d3), none declared
    undeclared = [r[2] for r in sheets[0][3:] if r[1] == "undeclared-document"]
    assert sorted(undeclared) == ["dec", "jan", "later", "later", "part1", "pkg"]
    assert ("warning", "no-source", "part2") in found
    # across partitions: 2019-12-20 and 2020-01-05, UK:FCDO inside UK, the same £1m
    assert ("warning", "possible-double-count", "dec") in found
    assert not any(f[1] == "possible-double-count" and "later" in f for f in found)
    # the package in 2019, its parts in 2020 and 2021: 70 of 100 EUR
    short = [r for r in sheets[0][3:] if r[1] == "parts-short-of-package"]
    assert [(r[0], r[2]) for r in short] == [("warning", "pkg")]
    assert "add up to €70 of the package's €100; €30 is not" in short[0][6]
    assert ("info", "unrecorded-file", None) in found


def test_audit_of_a_dataset_is_the_whole_books(ledgers, run_cli):
    """``audit D`` partition by partition gives the JSON of the audit of the
    dataset read whole, with and without a filter."""
    root, _, archive = ledgers
    whole = read_dataset_book(root)
    for extra, entries in (([], None),
                           (["--funder", "UK"], [e for e in whole.entries
                                                 if e.funder.split(":")[0] == "UK"])):
        code, out, err = run_cli("audit", root, "--sources", archive, "--format", "json", *extra)
        assert code == 1, err
        expected = audit(whole, archive, reference=load_rates(None, root=root), entries=entries)
        assert json.loads(out) == json.loads(json.dumps(audit_json(expected), default=str))
    got = json.loads(out)
    assert {f["entry"] for f in got["figures"]} == {"dec", "jan", "later"}
    assert got["uncovered"] == []


def test_a_missing_archive_is_one_line(ledgers, run_cli, tmp_path):
    root, _, _ = ledgers
    code, out, err = run_cli("report", root, "--out", tmp_path / "r", "--sources",
                             tmp_path / "none")
    assert code == 1 and err.count("\n") == 1 and "none" in err
    assert not (tmp_path / "r").exists()


def test_audit_without_sources_reads_the_datasets_own_archive(ledgers, run_cli, tmp_path):
    """A dataset's archive is its ``_sources`` folder (where ``import --to``
    copies the documents): ``audit D`` reads it as ``--sources D/_sources``;
    without one, one line says so and how to give one."""
    root, _, archive = ledgers
    code, out, err = run_cli("audit", root, "--format", "json")
    assert code == 1 and err.count("\n") == 1 and "_sources" in err and "--sources" in err
    assert "[ledger]" not in err
    import shutil
    shutil.copytree(archive, root / "_sources")
    code, out, err = run_cli("audit", root, "--format", "json")
    want = run_cli("audit", root, "--sources", root / "_sources", "--format", "json")
    assert (code, out) == want[:2] and out


def test_the_banner_counts_every_entry_citing_a_bad_document(tmp_path, run_cli, monkeypatch):
    """The page's static banner on a dataset listing its largest entry only:
    every entry citing a document with an error (d1 changed since archived,
    d2 missing) is counted and named, listed or not, as on the bulk file's
    page.  The citations themselves are made to verify (a bulk row carries
    no quote): the documents' errors are then the only ones."""
    import hashlib
    import re

    import ledger.sources.audit as checks
    import ledger_tool.dataset_outputs as outputs

    monkeypatch.setattr(outputs, "HTML_TABLE_LIMIT", 1)   # the dataset keeps its largest entry
    monkeypatch.setattr(checks, "verify_citation",
                        lambda entry, index, source, document=None:
                        checks.CitationCheck(entry.id, index, entry.sources[index]))
    root, bulk = _dataset_and_bulk(tmp_path / "aud", ROWS)
    text = "UK pledged £1m.\n"
    declared = ("id,title,path,sha256\n"
                f"d1,Changed,notes.txt,{hashlib.sha256(b'another text').hexdigest()}\n"
                f"d2,Gone,gone.txt,\nd3,Fine,notes.txt,{hashlib.sha256(text.encode()).hexdigest()}\n")
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "notes.txt").write_text(text, encoding="utf-8")
    (root / "_documents.csv").write_text(declared, encoding="utf-8")
    (tmp_path / "aud.documents.csv").write_text(declared, encoding="utf-8")
    banners = {}
    for ledger, name in ((root, "d"), (bulk, "w")):
        code, _, err = run_cli("report", ledger, "--out", tmp_path / name, "--sources", archive,
                               "--entries-sheet-limit", "1")
        assert code == 1, err
        page = (tmp_path / name / "report.html").read_text(encoding="utf-8")
        banners[name] = re.search(r'<div id="audit-banner".*?</div>', page, re.S)[0]
    assert banners["d"] == banners["w"]
    # from ROWS: dec, pkg, part1 and later cite d1; jan cites d2; part2 cites none
    assert ("5 entries carry figures their sources do not confirm: dec, jan, later, part1, "
            "pkg.") in banners["d"]
