"""``import FILE -o X.parquet`` (hunt19): it wrote a folder of journals that
every reader takes for a Parquet dataset by its name ("not a partition of the
dataset", 4 errors).  It is refused in one line naming ``--to``, nothing
written; ``--to X.parquet`` writes the dataset, and ``-o X.csv`` (a folder of
journals that is read as one) still works."""
from __future__ import annotations

import csv
import io

import pytest

# two entries, one of them split over two rows
TABLE = """\
id,date,funder,purpose,amount,currency
a,2020-01-15,UK:DFID,Health,1000,GBP
b,2020-03-01,EU:C,Water,700,EUR
b,2020-03-01,EU:C,Food,300,EUR
"""


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def _entries(run_cli, ledger) -> set[str]:
    code, out, err = run_cli("list", ledger, "--format", "csv")
    assert code == 0, err
    return {r["id"] for r in csv.DictReader(io.StringIO(out))}


@pytest.mark.parametrize("name", ["x.parquet", "X.PARQUET"])
def test_o_parquet_is_refused_in_one_line(tmp_path, run_cli, table, name):
    out = tmp_path / name
    code, _, err = run_cli("import", table, "-o", out)
    assert code == 1
    assert err.count("\n") == 1 and "--to" in err and "nothing written" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_o_an_existing_dataset_is_refused_and_left_as_it_was(tmp_path, run_cli, table):
    out = tmp_path / "d.parquet"
    code, _, err = run_cli("import", table, "--to", out)
    assert code == 0, err
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    code, _, err = run_cli("import", table, "-o", out)
    assert code == 1 and "--to" in err
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert _entries(run_cli, out) == {"a", "b"}


def test_o_csv_folder_is_a_ledger_that_check_reads(tmp_path, run_cli, table):
    out = tmp_path / "x.csv"
    code, _, err = run_cli("import", table, "-o", out)
    assert code == 0, err
    code, _, err = run_cli("check", out)
    assert code == 0, err
    assert _entries(run_cli, out) == {"a", "b"}
