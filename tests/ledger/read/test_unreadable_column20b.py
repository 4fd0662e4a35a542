"""A Parquet column that cannot be read as text — bytes that are not UTF-8,
or a list, struct or map — is one line naming the column (and, for bytes,
the first bad row's line and entry), in a single .parquet file as in a
dataset's part file: never pyarrow's bare "Invalid UTF8 payload" or
"Unsupported cast"."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ledger.read.table import unreadable_as_text

ROWS = {"id": ["a1", "a2", "a3", "a4"], "date": ["2014-05-01"] * 4, "funder": ["UK"] * 4,
        "purpose": ["Port"] * 4, "amount": ["100", "200", "300", "400"], "currency": ["GBP"] * 4}


def parquet(path: Path, **columns) -> Path:
    """The four rows, ``columns`` replaced (name: a pyarrow array)."""
    table = pa.table({c: columns.get(c, pa.array(v)) for c, v in ROWS.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def refusals(run_cli, path) -> list[str]:
    code, out, err = run_cli("check", path)
    assert code == 1 and "Traceback" not in out + err
    return [line for line in err.splitlines() if "cannot read the table" in line]


# the third row (line 4: the header is line 1) holds a byte UTF-8 never starts with
BAD_AMOUNT = pa.array([b"100", b"200", b"\xff300", b"400"], pa.binary())
STRUCT = pa.array([{"name": "UK"}] * 4, pa.struct([("name", pa.string())]))


def test_a_file_names_the_column_row_and_entry(tmp_path, run_cli):
    path = parquet(tmp_path / "t.parquet", amount=BAD_AMOUNT)
    assert refusals(run_cli, path) == [
        f"{path}: error: cannot read the table: column 'amount' holds bytes that are not "
        "UTF-8 text, first at line 4, entry 'a3'"]


def test_a_file_names_each_column_it_cannot_read(tmp_path, run_cli):
    path = parquet(tmp_path / "t.parquet", funder=STRUCT,
                   purpose=pa.array([b"Port", b"\xc3", b"Port", b"Port"], pa.binary()))
    assert refusals(run_cli, path) == [
        f"{path}: error: cannot read the table: column 'funder' holds struct<name: string>, "
        "which cannot be read as text; column 'purpose' holds bytes that are not UTF-8 text, "
        "first at line 3, entry 'a2'"]


def test_bytes_that_are_utf8_text_are_read(tmp_path, run_cli):
    path = parquet(tmp_path / "t.parquet",
                   funder=pa.array([b"UK", b"Fran\xc3\xa7ais", b"UK", b"UK"], pa.binary()))
    code, out, err = run_cli("check", path)
    assert code == 0 and "4 entries, 0 documents, 0 error(s)" in out, err


def test_a_dataset_part_names_the_column(tmp_path, run_cli):
    root = tmp_path / "d.parquet"
    parquet(root / "year=2014" / "part-0.parquet")
    part = parquet(root / "year=2015" / "part-0.parquet", amount=BAD_AMOUNT,
                   date=pa.array(["2015-05-01"] * 4))
    assert refusals(run_cli, root) == [
        f"{part}: error: cannot read the table: column 'amount' holds bytes that are not "
        "UTF-8 text, first at line 4, entry 'a3'"]


@pytest.mark.parametrize("bad", [0, 1, 7777, 9998, 9999])
def test_the_first_bad_row_of_a_long_column(bad):
    cells = [b"1"] * 10_000
    cells[bad] = b"\x80"
    cells[-1] = b"\xfe"             # a later one too: the first is named
    chunks = [pa.array(cells[:4000], pa.binary()), pa.array(cells[4000:], pa.binary())]
    said = unreadable_as_text("amount", pa.chunked_array(chunks))
    assert said == f"column 'amount' holds bytes that are not UTF-8 text, first at line {bad + 2}"
    assert unreadable_as_text("amount", pa.chunked_array([pa.array([b"1"] * 3)])) is None
