"""A partitioned Parquet dataset's ``amount`` column has one decimal-mark
convention, decided over every partition's cells (``amount_rule``): the
same rows read as a dataset and as one file are refused and added alike,
however they are split.  Figures by hand from the raw rows."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ledger
from ledger.read.dataset import amount_places, scan

COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency"]


def _table(rows: list[tuple[str, int, str]]):
    return pa.table({"id": [r[0] for r in rows], "date": [f"{r[1]}-01-01" for r in rows],
                     "funder": ["UK"] * len(rows), "purpose": [f"P{r[0]}" for r in rows],
                     "amount": [r[2] for r in rows], "currency": ["GBP"] * len(rows)})


def _written(root: Path, rows: list[tuple[str, int, str]]) -> tuple[Path, Path]:
    """(a dataset of ``rows`` (id, year, amount cell) split by year, one
    Parquet file of the same rows)."""
    ds = root / "ds.parquet"
    by_year = defaultdict(list)
    for r in rows:
        by_year[r[1]].append(r)
    for year, rs in by_year.items():
        (ds / f"year={year}").mkdir(parents=True)
        pq.write_table(_table(rs), ds / f"year={year}" / "part-0.parquet")
    one = root / "one.parquet"
    pq.write_table(_table(rows), one)
    return ds, one


def _amounts(book) -> dict:
    return {e.id: e.amount for e in book.entries}


def _refused(problems) -> set:
    return {p.entry_id for p in problems if p.severity == "error"}


def test_the_reviewers_dataset_reads_as_its_one_file(tmp_path, run_cli):
    # year=2020: "1,500", "2,000"; year=2021: "2,5", "3,000": was £3,505.50 (the
    # first partition in thousands, the second in decimals) against one file's £9.00
    ds, one = _written(tmp_path, [("a1", 2020, "1,500"), ("a2", 2020, "2,000"),
                                  ("b1", 2021, "2,5"), ("b2", 2021, "3,000")])
    found = scan(ds, _amounts)
    assert _refused(found.problems) == {"a1", "a2", "b2"} == _refused(ledger.read_book(one).problems)
    code, _, err = run_cli("balance", ds)
    assert code == 1 and "Traceback" not in err
    assert (f"year=2020{'/'}part-0.parquet:2: entry 'a1': error: amount: '1,500' is 1500 with a "
            f"decimal point or 1.5 with a decimal comma: the column's amounts that read one "
            f"way only have a decimal comma (year=2021/part-0.parquet line 2: '2,5')") in err


def test_a_partition_of_thousands_beside_one_of_decimal_points(tmp_path):
    # the point told in 2021 reads 2020's "1,500" as 1500 (both ways the same here)
    ds, _ = _written(tmp_path, [("a", 2020, "1,500"), ("b", 2020, "2.000"),
                                ("c", 2021, "1,250,000.5")])
    found = scan(ds, _amounts)
    assert not found.errors
    got = {k: v for part in found.results for k, v in part.items()}
    assert got == {"a": Decimal(1500), "b": Decimal(2), "c": Decimal("1250000.5")}


def test_amount_places_by_the_whole_column(tmp_path):
    # "2,5" in 2021 tells a decimal comma: 2020's "1.500" is not 1.500 (3 places)
    ds, _ = _written(tmp_path, [("a", 2020, "1.500"), ("b", 2021, "2,5")])
    assert amount_places(ds) == 1
    assert _refused(scan(ds).problems) == {"a"}


AMBIGUOUS = st.builds("{},{:03d}".format, st.integers(1, 999), st.integers(0, 999)) | \
    st.builds("{}.{:03d}".format, st.integers(1, 999), st.integers(0, 999))
TELLING = st.builds("{},{}".format, st.integers(0, 9999), st.integers(1, 99)) | \
    st.builds("{}.{}".format, st.integers(0, 9999), st.integers(1, 99)) | \
    st.builds("{},{:03d}.{}".format, st.integers(1, 999), st.integers(0, 999),
              st.integers(1, 9)) | \
    st.builds("{}.{:03d},{}".format, st.integers(1, 999), st.integers(0, 999), st.integers(1, 9))
CELLS = AMBIGUOUS | TELLING | st.integers(1, 10**6).map(str)


@settings(deadline=None, max_examples=40,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(2019, 2022), CELLS), min_size=1, max_size=12))
def test_any_split_of_the_rows_reads_as_one_file(tmp_path_factory, rows):
    root = tmp_path_factory.mktemp("split")
    ds, one = _written(root, [(f"r{i}", year, cell) for i, (year, cell) in enumerate(rows)])
    whole = ledger.read_book(one)
    found = scan(ds, _amounts)
    assert _refused(found.problems) == _refused(whole.problems)
    if not found.errors:
        got = {k: v for part in found.results for k, v in part.items()}
        assert got == _amounts(whole)
        assert sum(got.values()) == sum(_amounts(whole).values())
        # every cell read with one mark, a point unless a cell reads only with a comma
        cells = {f"r{i}": cell for i, (_, cell) in enumerate(rows)}
        marks = [m for m in (".", ",") if all(got[k] == _by_hand(c, m) for k, c in cells.items())]
        assert marks and (marks[0] == "." or any(_by_hand(c, ".") is None
                                                 for c in cells.values()))


def _by_hand(cell: str, mark: str) -> Decimal | None:
    """``cell`` as a number with the decimal ``mark``, the other mark grouping
    thousands (None: not so written)."""
    group = "," if mark == "." else "."
    whole, _, frac = cell.partition(mark)
    if mark in frac or (frac and group in frac):
        return None
    head, *groups = whole.split(group)
    if groups and (not 1 <= len(head) <= 3 or head[0] == "0"
                   or any(len(g) != 3 for g in groups)):
        return None
    return Decimal("".join([head, *groups]) + ("." + frac if frac else ""))
