"""``audit NAME.csv`` / ``audit NAME.parquet``: a bulk file is audited as a
journal is, its documents those of NAME.documents.csv beside it, its
archive the ``sources`` folder beside it; the findings are those of the
same rows as a partitioned dataset, worked out here from the rows."""
from __future__ import annotations

import hashlib
import json

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from ledger.read.documents import DECLARE_THEM, documents_file
from tests.ledger_tool.test_dataset_audit import ROWS
from tests.reports.test_dataset import _dataset_and_bulk

NOTES = "UK pledged £1m.\n"


@pytest.fixture
def bulk(tmp_path):
    """(the dataset, the bulk CSV, the bulk Parquet file of ROWS), each with
    d1 (archived), d2 (its file missing) and d3 (archived, no sha256) declared."""
    root, csv_file = _dataset_and_bulk(tmp_path / "aud", ROWS)
    parquet_dir = tmp_path / "pq"
    parquet_dir.mkdir()
    parquet_file = parquet_dir / "aud.parquet"
    pq.write_table(pacsv.read_csv(csv_file), parquet_file)
    sha = hashlib.sha256(NOTES.encode()).hexdigest()
    declared = f"id,title,path,sha256\nd1,Notes,notes.txt,{sha}\nd2,Gone,gone.txt,\nd3,Same,notes.txt,\n"
    for documents, archive in ((root / "_documents.csv", root / "_sources"),
                               (tmp_path / "aud.documents.csv", tmp_path / "sources"),
                               (parquet_dir / "aud.documents.csv", parquet_dir / "sources")):
        documents.write_text(declared, encoding="utf-8")
        archive.mkdir()
        (archive / "notes.txt").write_text(NOTES, encoding="utf-8")
    return root, csv_file, parquet_file


def test_a_bulk_files_audit_is_the_datasets(bulk, run_cli):
    root, csv_file, parquet_file = bulk
    said = []
    for ledger, archive in ((root, root / "_sources"), (csv_file, csv_file.parent / "sources"),
                            (parquet_file, parquet_file.parent / "sources")):
        code, out, err = run_cli("audit", ledger, "--format", "json")
        assert code == 1 and out, err
        # the same findings, but for where the documents file and archive are
        said.append(json.loads(out.replace(json.dumps(str(documents_file(ledger)))[1:-1], "DOCS")
                               .replace(json.dumps(str(archive))[1:-1], "ARCHIVE")))
    assert said[1] == said[0]
    assert said[2] == said[0]
    findings = {(f["severity"], f["code"], f.get("entry") or "", f.get("doc") or "")
                for f in said[1]["findings"]}
    # from ROWS: d1 cited by dec, pkg, part1 and later; d2 by jan; d3 by later;
    # a bulk row names a document, never a passage
    assert {(e, d) for s, c, e, d in findings if c == "no-quote"} == \
        {("dec", "d1"), ("pkg", "d1"), ("part1", "d1"), ("later", "d1"), ("later", "d3")}
    assert ("error", "document-unavailable", "jan", "d2") in findings
    assert ("error", "document-missing", "", "d2") in findings
    assert ("warning", "no-hash", "", "d3") in findings
    assert (said[1]["summary"]["entries"], said[1]["summary"]["citations"],
            said[1]["summary"]["verified"]) == (6, 6, 0)
    assert ("warning", "no-source", "part2", "") in findings
    assert ("warning", "possible-double-count", "dec", "") in findings


def test_a_bulk_file_without_documents_says_why_in_one_line(bulk, run_cli, tmp_path):
    _, csv_file, _ = bulk
    (tmp_path / "aud.documents.csv").unlink()
    (tmp_path / "sources" / "notes.txt").unlink()
    (tmp_path / "sources").rmdir()
    code, out, err = run_cli("audit", csv_file)
    assert code == 1 and not out and err.count("\n") == 1, err
    assert "aud.documents.csv" in err and "6 citation(s) cannot be verified" in err
    assert "Traceback" not in err
    # given an archive, the audit runs: each of the six citations undeclared, said once why
    code, out, err = run_cli("audit", csv_file, "--sources", tmp_path / "pq" / "sources",
                             "--format", "json")
    assert code == 1
    got = json.loads(out)
    assert sorted(f["entry"] for f in got["findings"] if f["code"] == "undeclared-document") \
        == ["dec", "jan", "later", "later", "part1", "pkg"]
    assert err.count("declares no documents (no aud.documents.csv)") == 1


def test_a_bulk_file_without_its_archive_is_one_line(bulk, run_cli, tmp_path):
    _, csv_file, _ = bulk
    (tmp_path / "sources" / "notes.txt").unlink()
    (tmp_path / "sources").rmdir()
    code, out, err = run_cli("audit", csv_file)
    assert code == 1 and err.count("\n") == 1 and "--sources" in err and "[ledger]" not in err


def test_a_dataset_without_documents_says_why_once(bulk, run_cli):
    root, _, _ = bulk
    (root / "_documents.csv").unlink()
    code, out, err = run_cli("audit", root, "--format", "json")
    assert code == 1
    assert err.count("declares no documents (no _documents.csv): the quotes of its 6 "
                     "citation(s) cannot be verified") == 1
    assert len([f for f in json.loads(out)["findings"]
                if f["code"] == "undeclared-document"]) == 6


def test_the_missing_documents_file_is_said_in_one_wording(bulk, run_cli, tmp_path):
    """With no documents file, the error (no archive either) and the note
    (an archive given) say why in the same sentence."""
    _, csv_file, _ = bulk
    (tmp_path / "aud.documents.csv").unlink()
    (tmp_path / "sources" / "notes.txt").unlink()
    (tmp_path / "sources").rmdir()
    _, _, error = run_cli("audit", csv_file)
    _, _, note = run_cli("audit", csv_file, "--sources", tmp_path / "pq" / "sources",
                         "--format", "json")
    why = (f"{csv_file} declares no documents (no aud.documents.csv): the quotes of its 6 "
           f"citation(s) cannot be verified; {DECLARE_THEM}")
    assert error.startswith(f"ledger-tool: audit: {why}, ") and error.count("\n") == 1
    assert f"ledger-tool: audit: note: {why}\n" in note
