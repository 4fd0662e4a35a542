"""refuse_ledger_output after review33: a one-file ledger's archive, folders
reached through links, a bulk ledger's documents table, the files of an
fdp package, journals in subfolders, outputs that cannot be inspected; and
no refusal of a folder above a ledger, nor of a second draft beside a
one-file ledger."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"
DOC = Path("sources") / "wenlock-minutes-2024.txt"
TABLE = "id,date,funder,purpose,amount,currency\nq1,2024-01-01,UK,Harbour,1000,GBP\n"
SAID = "The council pledged £5,000 to the wall on 1 May 2024.\n"


@pytest.fixture
def harbour(tmp_path) -> Path:
    book = tmp_path / "h"
    shutil.copytree(HARBOUR, book)
    return book


@pytest.fixture
def other(tmp_path) -> Path:
    book = tmp_path / "other"
    shutil.copytree(HARBOUR, book)
    return book


def _refused(got, path: Path, *words: str) -> None:
    code, _, err = got
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1 and str(path) in err, err
    assert all(w in err for w in words), err


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_a_one_file_ledgers_archive_is_never_overwritten(harbour, tmp_path, run_cli):
    w = tmp_path / "w3"
    shutil.copytree(harbour / "sources", w / "sources")
    book = w / "book.toml"
    book.write_bytes((harbour / "sources.toml").read_bytes() + (harbour / "pledges.toml").read_bytes())
    assert run_cli("audit", book)[0] == 0
    before = _tree(w)
    _refused(run_cli("export", book, "-o", w / DOC, "--to", "csv", "--force"), w / DOC,
             "source archive")
    assert _tree(w) == before and run_cli("audit", book)[0] == 0


def test_a_folder_reached_through_a_link_is_checked_where_it_leads(harbour, other, tmp_path,
                                                                   run_cli):
    a = tmp_path / "a"
    a.mkdir()
    (harbour / "sub").mkdir()
    (a / "link").symlink_to(harbour / "sources")
    (a / "sublink").symlink_to(harbour / "sub")
    before = _tree(harbour)
    out = a / "link" / DOC.name
    _refused(run_cli("export", other, "-o", out, "--to", "csv", "--force"), out, "source archive")
    doc = tmp_path / "doc.txt"
    doc.write_text(SAID, encoding="utf-8")
    draft = a / "sublink" / "draft.toml"
    _refused(run_cli("extract", doc, "--draft", draft), draft, "ledger folder")
    assert _tree(harbour) == before and run_cli("check", harbour)[0] == 0
    table = tmp_path / "in.csv"
    table.write_text(TABLE, encoding="utf-8")
    ds = tmp_path / "ds.parquet"
    assert run_cli("import", table, "--to", ds)[0] == 0
    (a / "dsroot").symlink_to(ds)
    before = _tree(ds)
    out = a / "dsroot" / "_documents.csv"
    _refused(run_cli("export", other, "-o", out, "--force"), out, "dataset")
    assert _tree(ds) == before


def test_a_bulk_ledgers_documents_table_is_never_overwritten(other, tmp_path, run_cli):
    b = tmp_path / "b.csv"
    b.write_text("id,date,funder,purpose,amount,currency,sources\n"
                 "a1,2024-01-01,UK,Harbour,1000,GBP,d1\n", encoding="utf-8")
    docs = tmp_path / "b.documents.csv"
    docs.write_text("id,title,path,sha256\nd1,Doc one,,\n", encoding="utf-8")
    assert run_cli("check", b)[0] == 0
    before = docs.read_bytes()
    _refused(run_cli("export", other, "-o", docs, "--force"), docs, "documents table", str(b))
    assert docs.read_bytes() == before
    lone = tmp_path / "c.documents.csv"     # no ledger beside it: an output like any
    lone.write_text("x\n", encoding="utf-8")
    assert run_cli("export", other, "-o", lone, "--force")[0] == 0


def test_an_fdp_package_checks_each_file_it_writes(harbour, other, tmp_path, run_cli):
    fdpb = tmp_path / "fdpb"
    fdpb.mkdir()
    bulk = fdpb / "ledger.csv"
    bulk.write_text(TABLE, encoding="utf-8")
    _refused(run_cli("export", other, "--to", "fdp", "-o", fdpb, "--force"), bulk, "bulk table")
    assert bulk.read_text(encoding="utf-8") == TABLE
    archived = tmp_path / "ledger.csv"
    archived.write_text("Budget\n", encoding="utf-8")
    assert run_cli("sources", "add", "--ledger", harbour, "--title", "T", "--publisher", "P",
                   "--published", "2024-01-01", archived)[0] == 0
    before = _tree(harbour)
    _refused(run_cli("export", other, "--to", "fdp", "-o", harbour / "sources", "--force"),
             harbour / "sources" / "ledger.csv", "source archive")
    assert _tree(harbour) == before
    table = tmp_path / "in.csv"
    table.write_text(TABLE, encoding="utf-8")
    ds = tmp_path / "ds.parquet"
    assert run_cli("import", table, "--to", ds)[0] == 0
    before = _tree(ds)
    _refused(run_cli("export", other, "--to", "fdp", "-o", ds), ds, "dataset")
    assert _tree(ds) == before
    # an earlier package is still replaced with --force
    pkg = tmp_path / "pkg"
    assert run_cli("export", other, "--to", "fdp", "-o", pkg)[0] == 0
    assert run_cli("export", other, "--to", "fdp", "-o", pkg, "--force")[0] == 0


def test_journals_in_subfolders_are_a_ledger_folder(harbour, other, run_cli):
    (harbour / "ledger.toml").unlink()
    (harbour / "entries").mkdir()
    (harbour / "pledges.toml").rename(harbour / "entries" / "2024.toml")
    assert run_cli("check", harbour)[0] == 0
    before = _tree(harbour)
    _refused(run_cli("export", other, "-o", harbour / DOC, "--to", "csv", "--force"),
             harbour / DOC, "source archive")
    more = harbour / "entries" / "more.toml"
    _refused(run_cli("export", other, "-o", more, "--to", "csv"), more, "ledger folder")
    assert _tree(harbour) == before


def test_an_output_that_cannot_be_inspected_is_not_replaced(other, tmp_path, run_cli,
                                                             monkeypatch):
    big = tmp_path / "big.csv"
    big.write_text("id,date,funder,purpose,amount,currency\n" + "".join(
        f"e{i},2024-01-01,UK,Harbour,{i + 1},GBP\n" for i in range(5000)), encoding="utf-8")
    before = big.read_bytes()
    monkeypatch.setenv("LEDGER_TOOL_MAX_FILE_SIZE", "100K")
    _refused(run_cli("export", other, "-o", big, "--force"), big, "bulk table")
    monkeypatch.delenv("LEDGER_TOOL_MAX_FILE_SIZE")
    assert big.read_bytes() == before
    mine = tmp_path / "syn" / "mine.toml"
    mine.parent.mkdir()
    mine.write_bytes((HARBOUR / "pledges.toml").read_bytes() + b'\n[[entry]]\nid = "typo\n')
    before = mine.read_bytes()
    _refused(run_cli("export", other, "-o", mine, "--to", "csv", "--force"), mine, "journal")
    doc = tmp_path / "doc.txt"
    doc.write_text(SAID, encoding="utf-8")
    _refused(run_cli("extract", doc, "--draft", mine, "--force"), mine, "journal")
    assert mine.read_bytes() == before
    # our own earlier outputs, over the cap or not TOML, are still replaced with --force
    for name in ("out.csv", "out.toml"):
        out = tmp_path / name
        assert run_cli("export", other, "-o", out, "--to", "csv")[0] == 0
        # over the cap now, the ledger's files within it
        assert max(p.stat().st_size for p in other.glob("*.toml")) < out.stat().st_size
        monkeypatch.setenv("LEDGER_TOOL_MAX_FILE_SIZE", str(out.stat().st_size - 1))
        code, _, err = run_cli("export", other, "-o", out, "--to", "csv", "--force")
        assert code == 0, err


def test_no_refusal_below_a_folder_of_ledgers_nor_of_a_second_draft(harbour, tmp_path,
                                                                      run_cli):
    doc = tmp_path / "doc.txt"
    doc.write_text(SAID, encoding="utf-8")
    shutil.copytree(HARBOUR, tmp_path / "h2")   # the folder above two ledgers is not one
    code, _, err = run_cli("extract", doc, "--draft", tmp_path / "work" / "draft.toml")
    assert code == 0, err
    w = tmp_path / "w"
    w.mkdir()
    shutil.copy(harbour / "pledges.toml", w / "one.toml")
    for n in range(3):   # beside a one-file ledger, again and again
        code, _, err = run_cli("extract", doc, "--draft", w / f"draft{n}.toml")
        assert code == 0, err


def test_a_table_missing_the_readers_columns_is_no_ledger(other, tmp_path, run_cli):
    pay = tmp_path / "payments.csv"
    pay.write_text("id,date,amount\n1,2024-01-01,5\n", encoding="utf-8")
    assert run_cli("check", pay)[0] == 1
    code, _, err = run_cli("export", other, "-o", pay, "--force")
    assert code == 0, err


def test_import_checks_ids_against_the_ledger_folder_above(harbour, tmp_path, run_cli):
    (harbour / "sub").mkdir()
    dup = tmp_path / "dup.csv"
    dup.write_text("id,date,funder,purpose,amount,currency\n"
                   "porthwen-wall-2024,2024-01-01,UK,Harbour,1000,GBP\n", encoding="utf-8")
    run_cli("import", dup, "-o", harbour / "sub" / "imp.toml")
    code, out, err = run_cli("check", harbour)
    assert "duplicate" not in out + err and code == 0, out + err
