"""A column of bytes that are not UTF-8 is refused naming the first bad
row's line and entry also when the column is dictionary-encoded (its rows,
not its dictionary's slots) and when the id column is numeric."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROWS = {"id": ["a1", "a2", "a3", "a4"], "date": ["2014-05-01"] * 4, "funder": ["UK"] * 4,
        "purpose": ["Port"] * 4, "amount": ["100", "200", "300", "400"], "currency": ["GBP"] * 4}
# the third row (line 4: the header is line 1) holds a byte UTF-8 never starts with
BAD = [b"100", b"200", b"\xff300", b"100"]


def parquet(path: Path, **columns) -> Path:
    table = pa.table({c: columns.get(c, pa.array(v)) for c, v in ROWS.items()})
    pq.write_table(table, path)
    return path


def refusal(run_cli, path) -> str:
    code, out, err = run_cli("check", path)
    assert code == 1 and "Traceback" not in out + err
    return next(line for line in err.splitlines() if "cannot read the table" in line)


def test_a_dictionary_encoded_column_names_row_and_entry(tmp_path, run_cli):
    # the dictionary holds 3 values: the bad one is slot 2, row 3
    amount = pa.array(BAD, pa.binary()).dictionary_encode()
    assert amount.dictionary.to_pylist().index(b"\xff300") == 2
    said = refusal(run_cli, parquet(tmp_path / "t.parquet", amount=amount))
    assert said.endswith("column 'amount' holds bytes that are not UTF-8 text, first at "
                         "line 4, entry 'a3'")


def test_a_numeric_id_names_the_entry(tmp_path, run_cli):
    said = refusal(run_cli, parquet(tmp_path / "t.parquet", id=pa.array([11, 12, 13, 14]),
                                    amount=pa.array(BAD, pa.binary())))
    assert said.endswith("column 'amount' holds bytes that are not UTF-8 text, first at "
                         "line 4, entry '13'")


def test_an_id_not_text_names_no_entry(tmp_path, run_cli):
    said = refusal(run_cli, parquet(tmp_path / "t.parquet",
                                    id=pa.array([b"a1", b"\xff", b"a3", b"a4"], pa.binary())))
    assert said.endswith("column 'id' holds bytes that are not UTF-8 text, first at line 3")
