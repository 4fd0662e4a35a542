"""The dataset's _documents.csv is written with the formula guard of every
CSV output and read back without it (hunt20 r4: a title from the input
file's name, "=HYPERLINK(...)", was written raw)."""
from __future__ import annotations

import csv
import shutil

import ledger
from ledger.csv_guard import guard, unguard
from tests.conftest import FIXTURES

NAME = '=HYPERLINK("http:__x","y")'


def test_a_formula_title_is_guarded_in_the_file_and_read_back_as_it_was(tmp_path, run_cli):
    data = tmp_path / f"{NAME}.json"
    shutil.copy(FIXTURES / "fts" / "flows.json", data)
    ds = tmp_path / "ds.parquet"
    code, _, err = run_cli("import", "--from", "fts", data, "--to", ds)
    assert code in (0, 1) and ds.is_dir(), err
    with open(ds / "_documents.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["title"] for r in rows] == [f"'{NAME}.json (FTS)"]
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    titles = [d.title for d in ledger.load(ds).documents.values()]
    assert titles == [f"{NAME}.json (FTS)"]


def test_unguard_undoes_guard():
    for text in ("=1+1", "-x", "'-x", "''=x", "'x", "x", "-5", "@a", "\tq", ""):
        assert unguard(guard(text)) == text
