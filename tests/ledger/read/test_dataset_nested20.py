"""A dataset's part file with a column of a type that cannot be read as
text (a list, a list of lists, a struct, a map) is one line naming the part
file and the column, exit 1, in every command that reads the dataset: never
a traceback, the amount column (read first, for the decimal-mark rule) as
any other."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ledger.read.dataset import read_dataset_book, scan

GOOD = {"id": "a1", "date": "2014-05-01", "funder": "UK", "purpose": "Port",
        "amount": "100.50", "currency": "GBP"}


def _dataset(root: Path, column: str, typ: pa.DataType, value) -> Path:
    """year=2014 a part file of text; year=2015 one whose ``column`` is ``typ``."""
    for year, row, types in ((2014, GOOD, {}),
                             (2015, {**GOOD, "id": "b1", "date": "2015-05-01", column: value},
                              {column: typ})):
        (root / f"year={year}").mkdir(parents=True)
        table = pa.table({c: pa.array([v], types.get(c, pa.string())) for c, v in row.items()})
        pq.write_table(table, root / f"year={year}" / "part-0.parquet")
    return root


NESTED = [
    ("amount", pa.list_(pa.list_(pa.string())), [["100", "50"]]),
    ("amount", pa.list_(pa.string()), ["100"]),
    ("funder", pa.struct([("name", pa.string())]), {"name": "UK"}),
    ("purpose", pa.map_(pa.string(), pa.string()), [("a", "b")]),
]


@pytest.mark.parametrize("column,typ,value", NESTED)
@pytest.mark.parametrize("command", [["check"], ["balance"], ["report", "--out", "r.xlsx"]])
def test_one_line_names_the_part_file_and_column(tmp_path, run_cli, column, typ, value,
                                                 command):
    root = _dataset(tmp_path / "d.parquet", column, typ, value)
    args = [a if a != "r.xlsx" else tmp_path / a for a in command]
    code, out, err = run_cli(args[0], root, *args[1:])
    assert code == 1
    assert "Traceback" not in out + err
    said = [line for line in err.splitlines() if "cannot read the table" in line]
    assert len(said) == 1, err
    part = str(root / "year=2015" / "part-0.parquet")
    # (the type as the file holds it: Parquet names a list's items "element")
    assert part in said[0] and f"column {column!r} holds {str(typ).split('<')[0]}<" in said[0]
    assert "which cannot be read as text" in said[0]
    assert not (tmp_path / "r.xlsx").exists()


def test_the_readers_name_the_column(tmp_path):
    root = _dataset(tmp_path / "d.parquet", *NESTED[0])
    found = scan(root)
    wrong = [p for p in found.errors if p.code == "unreadable-table"]
    assert [(Path(p.file).parent.name, "'amount'" in p.message) for p in wrong] == [
        ("year=2015", True)]
    book = read_dataset_book(root)
    assert [p.code for p in book.problems if p.severity == "error"] == ["unreadable-table"]
    assert "column 'amount' holds list<element: list<element: string>>" in \
        book.problems[-1].message
