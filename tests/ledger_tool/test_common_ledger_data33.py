"""refuse_ledger_output, the one check of every command that writes: --force
never overwrites a ledger's own data (a bulk table, a dataset, an archived
document, a journal), and a folder of journals without ledger.toml is a
ledger folder to export, extract --draft and import -o/--to alike."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"
DOC = Path("sources") / "wenlock-minutes-2024.txt"
BULK = "id,date,funder,purpose,amount,currency,period\na1,2024-01-01,UK,Harbour,1000,GBP,one-off\n"


@pytest.fixture
def harbour(tmp_path) -> Path:
    book = tmp_path / "h"
    shutil.copytree(HARBOUR, book)
    return book


@pytest.fixture
def journals(tmp_path) -> Path:
    """The harbour ledger without its ledger.toml: a folder of journals."""
    book = tmp_path / "j"
    shutil.copytree(HARBOUR, book)
    (book / "ledger.toml").unlink()
    return book


def _refused(got, path: Path, *words: str) -> None:
    code, _, err = got
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1 and str(path) in err, err
    assert all(w in err for w in words), err


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_force_never_overwrites_a_bulk_table_ledger(harbour, tmp_path, run_cli, suffix):
    bulk = tmp_path / f"bulk{suffix}"
    if suffix == ".csv":
        bulk.write_text(BULK, encoding="utf-8")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [line.split(",") for line in BULK.splitlines()]
        pq.write_table(pa.table({k: [r[i] for r in rows[1:]] for i, k in enumerate(rows[0])}),
                       bulk)
    assert run_cli("check", bulk)[0] == 0          # a ledger
    before = bulk.read_bytes()
    _refused(run_cli("export", harbour, "-o", bulk, "--force"), bulk, "bulk table",
             "never overwrites")
    assert bulk.read_bytes() == before
    # an earlier export (not a ledger) is still replaced with --force
    out = tmp_path / f"out{suffix}"
    assert run_cli("export", harbour, "-o", out)[0] == 0
    assert run_cli("check", out)[0] == 1
    code, _, err = run_cli("export", harbour, "-o", out, "--force")
    assert code == 0, err


def test_force_never_overwrites_an_archived_document(harbour, run_cli):
    doc = harbour / DOC
    before = _tree(harbour)
    _refused(run_cli("export", harbour, "-o", doc, "--to", "csv", "--force"), doc,
             "source archive")
    assert _tree(harbour) == before
    code, out, err = run_cli("audit", harbour)
    assert "hash-mismatch" not in out + err


def test_force_never_overwrites_a_dataset(harbour, tmp_path, run_cli):
    table = tmp_path / "in.csv"
    table.write_text(BULK, encoding="utf-8")
    ds = tmp_path / "d.parquet"
    assert run_cli("import", table, "--to", ds)[0] == 0
    before = _tree(ds)
    _refused(run_cli("export", harbour, "-o", ds, "--to", "csv", "--force"), ds, "dataset")
    part = next(ds.rglob("*.parquet"))
    _refused(run_cli("export", harbour, "-o", part, "--force"), part, "dataset")
    _refused(run_cli("import", table, "-o", ds), ds, "dataset", "nothing written")
    assert _tree(ds) == before


def test_a_folder_of_journals_is_a_ledger_to_every_write(journals, tmp_path, run_cli):
    before = _tree(journals)
    doc = journals / DOC
    _refused(run_cli("export", journals, "-o", doc, "--to", "csv", "--force"), doc,
             "source archive")
    other = tmp_path / "other"
    shutil.copytree(HARBOUR, other)
    # another ledger's folder of journals, not the one exported
    _refused(run_cli("export", other, "-o", doc, "--to", "csv", "--force"), doc,
             "source archive")
    new = journals / "new.toml"
    _refused(run_cli("export", other, "-o", new, "--to", "csv"), new, "ledger folder")
    draft = journals / "draft.toml"
    _refused(run_cli("extract", doc, "--draft", draft), draft, "ledger folder")
    table = tmp_path / "in.csv"
    table.write_text(BULK, encoding="utf-8")
    ds = journals / "d.parquet"
    _refused(run_cli("import", table, "--to", ds), ds, "ledger folder")
    archived = journals / "sources" / "new.toml"
    _refused(run_cli("import", table, "-o", archived), archived, "source archive")
    assert _tree(journals) == before
    assert run_cli("check", journals)[0] == 0


def test_a_one_file_ledger_is_not_a_ledger_folder(harbour, tmp_path, run_cli):
    """One journal alone is a one-file ledger: its folder takes other files."""
    one = tmp_path / "w" / "one.toml"
    one.parent.mkdir()
    shutil.copy(harbour / "pledges.toml", one)
    draft = one.parent / "draft.toml"
    code, _, err = run_cli("extract", harbour / DOC, "--draft", draft)
    assert code == 0, err
