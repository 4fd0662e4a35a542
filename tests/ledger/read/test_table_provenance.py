"""A bulk table's provenance columns (recipient, location, tags, notes) reach
its Book as the journal's do: the real IATI files imported as a journal and
as a dataset export and list the same rows, and a bulk CSV written by hand
shows its own cells.

One documented difference: ``amount_text``.  The journal keeps the amount
phrase an import wrote ("253482 USD"); a bulk table has only its ``amount``
column, so export writes the amount with its currency's places
("253482.00 USD"), as it did before (a generated ledger's output unchanged).
"""
from __future__ import annotations

import csv
import io

import pyarrow.dataset as pds
import pytest

from tests.conftest import FIXTURES

IATI = FIXTURES / "real" / "iati"
SHOWN = ("recipient", "location", "tags", "notes")


def _rows(text: str, drop=()) -> list[tuple]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return sorted(tuple((k, v) for k, v in r.items() if k not in drop) for r in rows)


def _tags(cell: str) -> list[str]:
    return [t.strip() for t in cell.split(";") if t.strip()]


def _export(run_cli, ledger, tmp_path, name):
    out = tmp_path / name
    code, _, err = run_cli("export", ledger, "--to", "csv", "-o", out)
    assert code == 0, err
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """All the real IATI files imported as a journal and as a dataset."""
    from ledger_tool.cli import main

    tmp = tmp_path_factory.mktemp("iati")
    assert main(["import", "--from", "iati", str(IATI), "-o", str(tmp / "j")]) == 0
    assert main(["import", "--from", "iati", str(IATI), "--to", str(tmp / "d.parquet")]) == 0
    return tmp / "j", tmp / "d.parquet"


def test_iati_journal_and_dataset_export_the_same_rows(imported, run_cli, tmp_path):
    journal, dataset = imported
    ej = _export(run_cli, journal, tmp_path, "j.csv")
    ed = _export(run_cli, dataset, tmp_path, "d.csv")
    assert _rows(ej, drop=("amount_text",)) == _rows(ed, drop=("amount_text",))
    # the dataset's own cells, read from its files (not through our reader)
    stored = {r["id"]: r for r in pds.dataset(dataset, format="parquet",
                                              partitioning="hive").to_table().to_pylist()}
    exported = list(csv.DictReader(io.StringIO(ed)))
    assert {r["id"] for r in exported} == set(stored)
    for r in exported:
        want = stored[r["id"]]
        assert [r[k] for k in ("recipient", "location", "notes")] == \
            [want[k].strip() for k in ("recipient", "location", "notes")], r["id"]
        assert _tags(r["tags"]) == _tags(want["tags"]), r["id"]
    # the real files do fill them (else the comparison above proves nothing)
    for k in ("recipient", "tags", "notes"):
        assert sum(bool(r[k]) for r in exported) > len(exported) // 10, k


def test_iati_journal_and_dataset_list_the_same_rows(imported, run_cli):
    journal, dataset = imported
    got = [run_cli("list", ledger, "--format", "csv") for ledger in imported]
    assert got[0][0] == got[1][0] == 0, got[0][2] + got[1][2]
    assert _rows(got[0][1]) == _rows(got[1][1])


HAND = ('id,date,funder,purpose,amount,currency,sources,recipient,location,tags,notes\n'
        'a,2020-01-02,UK,P,5,GBP,,  Red Cross ,Calais,"  port ; ; security;",'
        '"first, with a comma"\n'
        's,2020-02-03,UK,P,2,GBP,,NGO,Dunkirk,x,split\n'
        's,2020-02-03,UK,Q,3,GBP,,NGO,Dunkirk,x,split\n'
        'b,2020-03-04,France,P,7,EUR,,,,,\n')


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_bulk_table_written_by_hand_shows_its_provenance(tmp_path, run_cli, fmt):
    path = tmp_path / "hand.csv"
    path.write_text(HAND, encoding="utf-8")
    if fmt == "parquet":
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq
        pq.write_table(pcsv.read_csv(path), tmp_path / "hand.parquet")
        path = tmp_path / "hand.parquet"
    rows = list(csv.DictReader(io.StringIO(_export(run_cli, path, tmp_path, "out.csv"))))
    got = {(r["id"], r["purpose"]): tuple(r[k] for k in SHOWN) for r in rows}
    assert got == {
        ("a", "P"): ("Red Cross", "Calais", "port; security", "first, with a comma"),
        ("s", "P"): ("NGO", "Dunkirk", "x", "split"),
        ("s", "Q"): ("NGO", "Dunkirk", "x", "split"),
        ("b", "P"): ("", "", "", ""),
    }


def test_fts_dataset_counts_what_the_journal_counts(tmp_path, run_cli):
    """FTS flows tagged ``not-counted`` (shared, outside the boundary) are
    recorded, not counted: the dataset's tags now say so to its Book, as
    the journal's do, so the balances agree (before, the dataset added
    them)."""
    folder = FIXTURES / "real" / "fts"
    journal, dataset = tmp_path / "j", tmp_path / "d.parquet"
    assert run_cli("import", "--from", "fts", folder, "-o", journal)[0] == 0
    assert run_cli("import", "--from", "fts", folder, "--to", dataset)[0] == 0
    stored = pds.dataset(dataset, format="parquet", partitioning="hive").to_table()
    assert any("not-counted" in _tags(t) for t in stored.column("tags").to_pylist())
    got = [run_cli("balance", ledger) for ledger in (journal, dataset)]
    assert got[0][0] == got[1][0] == 0, got[0][2] + got[1][2]
    assert got[0][1] == got[1][1]
