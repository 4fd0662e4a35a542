"""``import FILE -o X/n.parquet/imp.toml`` with no ``X/n.parquet`` yet
(review4742): it made the folder ``n.parquet``, which every reader takes for
a Parquet dataset by its name.  A new folder on the way named .parquet is
refused in one line naming it, nothing written; an existing folder of that
name holding a journal is the user's, and a new ordinary folder still works."""
from __future__ import annotations

import csv
import io

import pytest

TABLE = """\
id,date,funder,purpose,amount,currency
a,2020-01-15,UK:DFID,Health,1000,GBP
"""


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


@pytest.mark.parametrize("rel", ["n1.parquet/imp.toml", "new/N1.PARQUET/deeper/imp.toml"])
def test_a_new_parquet_folder_on_the_way_is_refused(tmp_path, run_cli, table, rel):
    out = tmp_path / "X" / rel
    code, _, err = run_cli("import", table, "-o", out)
    assert code == 1
    assert err.count("\n") == 1 and "read as a Parquet dataset" in err and "nothing written" in err
    assert "Traceback" not in err
    assert not (tmp_path / "X").exists()


def test_a_new_ordinary_folder_is_made(tmp_path, run_cli, table):
    out = tmp_path / "X" / "n1" / "imp.toml"
    code, _, err = run_cli("import", table, "-o", out)
    assert code == 0, err
    code, text, err = run_cli("list", out, "--format", "csv")
    assert code == 0, err
    assert {r["id"] for r in csv.DictReader(io.StringIO(text))} == {"a"}
