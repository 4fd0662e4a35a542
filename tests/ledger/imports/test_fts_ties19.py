"""FTS copies of one flow at one version where nothing says which is newer
(an updatedAt missing in one of them): the copy there first stays, in a
folder and in a file as against the ledger, so a folder and its files
imported one by one give one total, worked by hand from the pages."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow.dataset as ds
import pytest

import ledger
from ledger.imports.fts import read_fts
from ledger.imports.problem import kind_of

STAMP = "2020-10-22T16:22:59.857Z"


def _flow(fid: str, usd: int, updated=None, version: int = 1) -> dict:
    f = {"id": fid, "versionId": version, "status": "paid", "date": "2020-03-01T00:00:00Z",
         "amountUSD": usd, "boundary": "incoming", "onBoundary": "single",
         "sourceObjects": [{"type": "Organization", "id": "1", "name": "Donor"}],
         "destinationObjects": [{"type": "Location", "id": "2", "name": "Chad"}]}
    if updated is not None:
        f["updatedAt"] = updated
    return f


def _page(path: Path, *flows: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"data": {"flows": list(flows)}}), encoding="utf-8")
    return path


def _amounts(book: Path) -> dict[str, Decimal]:
    return {e.id: e.amount for e in ledger.load(book).entries}


def _locator(book: Path, eid: str) -> str:
    return next(e for e in ledger.load(book).entries if e.id == eid).sources[0].locator


# flow 901 at version 1: US$7,000,000 with no updatedAt, US$700,000 with one;
# 902 (US$500) in both, alike.  Nothing says which copy of 901 is newer: the
# first file's stays, whatever the route
UNSTAMPED = [_flow("901", 7_000_000), _flow("902", 500, STAMP)]
STAMPED = [_flow("901", 700_000, STAMP), _flow("902", 500, STAMP)]


@pytest.mark.parametrize("first, second, expected", [
    (UNSTAMPED, STAMPED, {"fts-901": Decimal(7_000_000), "fts-902": Decimal(500)}),
    (STAMPED, UNSTAMPED, {"fts-901": Decimal(700_000), "fts-902": Decimal(500)}),
], ids=["unstamped-first", "stamped-first"])
def test_a_folder_and_its_files_one_by_one_give_one_total(tmp_path, run_cli, first, second,
                                                          expected):
    folder = tmp_path / "pages"
    pages = [_page(folder / "1.json", *first), _page(folder / "2.json", *second)]
    code, _, err = run_cli("import", "--from", "fts", folder, "-o", tmp_path / "folder")
    assert code == 0, err
    assert _amounts(tmp_path / "folder") == expected
    assert "flow '901' version 1: nothing says it is newer than version 1" in err
    for page in pages:
        code, _, err = run_cli("import", "--from", "fts", page, "-o", tmp_path / "one")
        assert code == 0, err
    assert _amounts(tmp_path / "one") == expected
    out = tmp_path / "d.parquet"
    code, _, err = run_cli("import", "--from", "fts", folder, "--to", out)
    assert code == 0, err
    rows = ds.dataset(out, format="parquet", partitioning="hive").to_table().to_pylist()
    assert {r["id"]: Decimal(r["amount"]) for r in rows} == expected


def test_within_one_file_the_first_of_two_such_copies_stays(tmp_path):
    page = _page(tmp_path / "p.json", _flow("901", 7_000_000), _flow("901", 700_000, STAMP))
    got = read_fts(page)
    assert [r.fields["amount"] for r in got.records] == ["7000000"]
    told = [p for p in got.problems if kind_of(p) == "skip"]
    assert len(told) == 1 and "nothing says it is newer" in str(told[0])
    # a higher version is newer, stamp or none
    page = _page(tmp_path / "q.json", _flow("901", 7_000_000, STAMP),
                 _flow("901", 700_000, version=2))
    assert [r.fields["amount"] for r in read_fts(page).records] == ["700000"]
