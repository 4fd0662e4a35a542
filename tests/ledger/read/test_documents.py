"""ledger.read.documents: the documents of a bulk table (NAME.documents.csv
beside it) and of a partitioned dataset (its _documents.csv, as ``import
--to DIR.parquet`` writes it) are part of the Book, as a journal's
sources.toml: ``sources list`` lists them, ``check`` says an id cited but
declared nowhere as a journal says it, the report's Sources sheet names
them; the dataset says what the same rows as one bulk CSV say."""
from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.ledger.read.test_dataset import write_dataset

ROWS = [
    {"id": "a", "date": "2019-01-01", "funder": "UK", "purpose": "P", "amount": "5",
     "currency": "GBP", "sources": "d1"},
    {"id": "b", "date": "2020-02-01", "funder": "UK", "purpose": "P", "amount": "7",
     "currency": "GBP", "sources": "d1;d2"},
    {"id": "c", "date": "2020-03-01", "funder": "France", "purpose": "Q", "amount": "9",
     "currency": "EUR", "sources": "d2"},
]
TEXT = b"the first document\n"
DOCS = ("id,title,retrieved,path,sha256,notes\n"
        f"d1,Doc one,2020-01-01,d1.txt,{hashlib.sha256(TEXT).hexdigest()},\n"
        "d2,Doc two,,,,\n")


def _both(tmp_path: Path, rows=ROWS, docs: str | None = DOCS) -> tuple[Path, Path]:
    """``rows`` as a dataset D.parquet/ and as one bulk file B.csv, each with
    ``docs`` as its documents file (None: none) and d1's file archived."""
    ds = write_dataset(tmp_path / "D.parquet", rows)
    bulk = tmp_path / "B.csv"
    cols = list(rows[0])
    with open(bulk, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    if docs is not None:
        (ds / "_documents.csv").write_text(docs, encoding="utf-8")
        (tmp_path / "B.documents.csv").write_text(docs, encoding="utf-8")
        for archive in (ds / "_sources", tmp_path / "sources"):
            archive.mkdir()
            (archive / "d1.txt").write_bytes(TEXT)
    return ds, bulk


def _cited(rows) -> dict[str, int]:
    """Citations per document, counted from the raw rows."""
    out: dict[str, int] = {}
    for r in rows:
        for d in filter(None, (x.strip() for x in r["sources"].split(";"))):
            out[d] = out.get(d, 0) + 1
    return out


@pytest.mark.parametrize("which", [0, 1])
def test_sources_list_names_the_declared_documents(tmp_path, run_cli, which):
    ledger = _both(tmp_path)[which]
    code, out, err = run_cli("sources", "list", ledger, "--format", "csv")
    got = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert set(got) == {"d1", "d2"}, err
    assert {k: int(r["citations"]) for k, r in got.items()} == _cited(ROWS)
    assert got["d1"]["title"] == "Doc one" and got["d1"]["file"] == "ok"
    # d2 names no file: said, and the exit code says so, as for a journal
    assert code == 1 and "document 'd2': file missing" in err


def test_a_changed_archived_file_is_said_on_a_dataset(tmp_path, run_cli):
    ds, _ = _both(tmp_path)
    (ds / "_sources" / "d1.txt").write_bytes(b"another text\n")
    code, out, err = run_cli("sources", "list", ds, "--format", "csv")
    assert code == 1 and "document 'd1': file changed" in err


def test_an_id_declared_nowhere_is_the_journals_error(tmp_path, run_cli):
    rows = ROWS + [{"id": "x", "date": "2020-05-01", "funder": "UK", "purpose": "P",
                    "amount": "1", "currency": "GBP", "sources": "d9"}]
    ds, bulk = _both(tmp_path, rows)
    journal = tmp_path / "j.toml"
    journal.write_text('[[entry]]\nid = "x"\ndate = 2020-05-01\nfunder = "UK"\npurpose = "P"\n'
                       'amount = "GBP 1"\n[[entry.source]]\ndoc = "d9"\nquote = "GBP 1"\n',
                       encoding="utf-8")
    said = []
    for ledger in (ds, bulk, journal):
        code, out, err = run_cli("check", ledger)
        assert code == 1, out + err
        (line,) = [x for x in err.splitlines() if "d9" in x]
        said.append(line.split(": ", 1)[1])   # after the file and line
        assert "Traceback" not in err
    assert said[0] == said[1]
    # the journal's words, the hint naming where a table's documents go
    assert said[0].split(" (hint")[0] == said[2].split(" (hint")[0] == \
        "entry 'x': error: source names an unknown document 'd9'"
    assert "_documents.csv" in said[0]
    # the other commands refuse it too, as for a journal
    for ledger in (ds, bulk):
        code, out, err = run_cli("balance", ledger)
        assert code == 1 and "unknown document 'd9'" in err


def test_no_documents_file_is_a_note_naming_what_was_not_checked(tmp_path, run_cli):
    ds, bulk = _both(tmp_path, docs=None)
    cited = sum(_cited(ROWS).values())
    for ledger, name in ((ds, "_documents.csv"), (bulk, "B.documents.csv")):
        code, out, err = run_cli("check", ledger)
        assert code == 0, err
        (note,) = [x for x in err.splitlines() if "note:" in x]
        assert f"{cited} citation(s) name document ids" in note and name in note
        assert "not checked" in note
    code, out, err = run_cli("sources", "list", ds)
    assert code == 0 and "records no documents" in err


def test_a_bad_documents_file_is_one_line_a_problem(tmp_path, run_cli):
    docs = "id,title,retrieved,colour\nd1,One,2020-13-01,red\nd2,Two,,\nd2,Again,,\n"
    ds, bulk = _both(tmp_path, docs=docs)
    for ledger, fname in ((ds, ds / "_documents.csv"), (bulk, tmp_path / "B.documents.csv")):
        code, out, err = run_cli("check", ledger)
        assert code == 1 and "Traceback" not in err
        assert f"{fname}:1: error: unknown column 'colour'" in err
        assert f"{fname}:2: error: document 'd1': retrieved" in err
        assert f"{fname}:4: error: duplicate document id 'd2'" in err


def test_a_documents_file_leading_out_is_refused(tmp_path, run_cli):
    ds, _ = _both(tmp_path, docs=None)
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(DOCS, encoding="utf-8")
    (ds / "_documents.csv").symlink_to(outside)
    code, out, err = run_cli("check", ds)
    assert code == 1 and "Traceback" not in err
    # one error, on the file: its citations are not each called unknown
    (line,) = [x for x in err.splitlines() if ": error: " in x]
    assert "_documents.csv" in line and "unknown document" not in err and "note:" not in err


def test_the_reports_sources_are_the_bulk_files(tmp_path, run_cli):
    openpyxl = pytest.importorskip("openpyxl")
    ds, bulk = _both(tmp_path)
    sheets = []
    for ledger, out in ((ds, "a"), (bulk, "b")):
        code, _, err = run_cli("report", ledger, "--out", tmp_path / out, "--format", "csv")
        assert code == 0, err
        wb = openpyxl.load_workbook(tmp_path / out / "report.xlsx", read_only=True)
        sheets.append([tuple(r) for r in wb["Sources"].iter_rows(values_only=True)])
    assert sheets[0] == sheets[1]
    assert sum(row.count("Doc one") for row in sheets[0]) == _cited(ROWS)["d1"]


def test_an_imported_dataset_lists_its_documents(tmp_path, run_cli):
    """``import --to D.parquet`` writes _documents.csv and _sources/: they are
    the dataset's documents, each archived file unchanged, every row's
    citation counted."""
    from tests.conftest import FIXTURES

    real = sorted((FIXTURES / "real" / "iati").glob("*.xml"))[:2]
    if not real:
        pytest.skip("no IATI fixtures")
    folder = tmp_path / "in"
    folder.mkdir()
    for f in real:
        shutil.copy(f, folder / f.name)
    target = tmp_path / "i.parquet"
    code, _, err = run_cli("import", "--from", "iati", folder, "--to", target)
    assert code == 0, err
    code, out, err = run_cli("sources", "list", target, "--format", "csv")
    assert code == 0, err
    got = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    declared = [r["id"] for r in csv.DictReader(open(target / "_documents.csv",
                                                     encoding="utf-8"))]
    assert sorted(got) == sorted(declared) and all(r["file"] == "ok" for r in got.values())
    rows = [r for f in sorted(target.glob("year=*/*.parquet"))
            for r in pq.read_table(f, columns=["id", "sources"]).to_pylist()]
    first = {}
    for r in rows:        # an entry's citations once (its split rows repeat them)
        first.setdefault(r["id"], r)
    assert {k: int(r["citations"]) for k, r in got.items()} == _cited(first.values())
    code, out, err = run_cli("check", target)
    assert code == 0 and "not checked" not in err
    assert f" entries, {len(declared)} documents, " in out   # as a journal's check says


def test_a_partition_table_read_whole_has_the_documents(tmp_path):
    from ledger.read import read_book

    ds, bulk = _both(tmp_path)
    books = [read_book(ds), read_book(bulk)]
    assert [sorted(b.documents) for b in books] == [["d1", "d2"], ["d1", "d2"]]
    assert books[0].documents["d1"].title == "Doc one"


@pytest.mark.parametrize("which", [0, 1])
def test_the_edits_refuse_a_table_and_a_dataset(tmp_path, run_cli, which):
    """sources add/remove, add and cite write TOML: on a dataset they once
    wrote sources.toml into its folder, which then stopped it being read."""
    ledger = _both(tmp_path)[which]
    doc = tmp_path / "note.txt"
    doc.write_text("a note\n", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for args in (["sources", "add", doc, "--ledger", ledger, "--title", "T", "--publisher", "P",
                  "--published", "2020-01-01"],
                 ["sources", "remove", "d1", "--ledger", ledger],
                 ["cite", ledger, "a", "--source", "d1", "--quote", "5"]):
        code, out, err = run_cli(*args)
        assert code == 1 and len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err and str(ledger) in err
        if args[0] == "sources":
            assert ("_documents.csv" if which == 0 else "B.documents.csv") in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert run_cli("check", ledger)[0] == 0


def test_a_repeated_column_and_bad_utf8_are_named_at_their_line(tmp_path, run_cli):
    """A documents file naming a column twice would drop one of its values
    without a word; bytes that are not UTF-8 are named at their line."""
    ds, bulk = _both(tmp_path, docs="id,title,id\nd1,One,d9\nd2,Two,\n")
    for ledger, fname in ((ds, ds / "_documents.csv"), (bulk, tmp_path / "B.documents.csv")):
        code, out, err = run_cli("check", ledger)
        assert code == 1 and "Traceback" not in err
        assert f"{fname}:1: error: column 'id' appears twice" in err, err
        assert "unknown document" not in err   # the first 'id' column is read: d1, d2
        fname.write_bytes(b"id,title\nd1,One\nd2,T\xffwo\n")
        code, out, err = run_cli("check", ledger)
        assert code == 1 and "Traceback" not in err
        assert f"{fname}:3: error: not valid UTF-8" in err, err


def test_load_frame_reads_a_bulk_file_with_its_documents(tmp_path):
    """``ledger.read.load_frame`` (the Python API, the benchmarks) gives the
    command's Book of a bulk file and a dataset: its documents declared, an
    id declared nowhere the same error."""
    from ledger.read import load_frame, read_book

    ds, bulk = _both(tmp_path)
    for ledger in (bulk, ds):
        got = load_frame(ledger)
        assert sorted(got.documents) == ["d1", "d2"]   # DOCS's ids
        assert got.documents["d1"].path == "d1.txt"
        assert got.entries == len(ROWS) and not got.errors
        assert got.problems == read_book(ledger).problems
    (tmp_path / "B.documents.csv").write_text(DOCS.replace("d2,Doc two", "d9,Doc nine"),
                                              encoding="utf-8")
    got = load_frame(bulk)
    # rows b and c cite d2, which the file no longer declares
    assert sorted((p.entry_id, p.code) for p in got.errors) == \
        [("b", "unknown-document"), ("c", "unknown-document")]
