"""A folder of FTS pages keeps each flow's newest version, whichever file
gives it and however the files fall into batches, as importing the pages
one by one does (docs/interop.md: "in any order: the ledger is the same");
each older version is told as superseded."""
from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pyarrow.dataset as ds
import pytest

import ledger


def _flow(fid: str, version: int, usd: int, status: str = "paid") -> dict:
    return {"id": fid, "versionId": version, "status": status, "date": "2020-03-01T00:00:00Z",
            "amountUSD": usd, "boundary": "incoming", "onBoundary": "single",
            "sourceObjects": [{"type": "Organization", "id": "1", "name": "Donor"}],
            "destinationObjects": [{"type": "Location", "id": "2", "name": "Chad"}]}


def _page(*flows: dict) -> str:
    return json.dumps({"data": {"flows": list(flows)}})


# flow 901: version 1 in one page, version 3 in another, version 2 in a third;
# flow 902 once; what FTS counts now: the newest of each
PAGES = [[_flow("901", 1, 1_000_000, "commitment"), _flow("902", 1, 700)],
         [_flow("901", 3, 1_200_000)],
         [_flow("901", 2, 1_100_000)]]
NEWEST = {"fts-901": Decimal(1_200_000), "fts-902": Decimal(700)}


def _folder(tmp_path: Path, order: list[int]) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for n, k in enumerate(order):
        (folder / f"page-{n}.json").write_text(_page(*PAGES[k]), encoding="utf-8")
    return folder


def _skipped(rejects: Path) -> list[tuple[str, str]]:
    with open(rejects, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["kind"] == "skip" for r in rows), rows
    return sorted((r["where"], r["reason"]) for r in rows)


@pytest.mark.parametrize("order", [[0, 1, 2], [1, 0, 2], [2, 0, 1], [0, 2, 1]])
def test_a_folder_keeps_each_flows_newest_version(tmp_path, run_cli, monkeypatch, order):
    import ledger_tool.import_data as import_data

    folder = _folder(tmp_path, order)
    newest_file = f"page-{order.index(1)}.json"
    code, _, err = run_cli("import", "--from", "fts", folder, "-o", tmp_path / "book")
    assert code == 0, err
    assert {e.id: e.amount for e in ledger.load(tmp_path / "book").entries} == NEWEST
    told = _skipped(tmp_path / "book" / "fts.rejects.csv")
    assert [w for w, _ in told] == ["flow '901' version 1", "flow '901' version 2"]
    assert all("superseded by version 3" in why and newest_file in why for _, why in told)
    # one by one, in the same order: the same ledger
    for page in sorted(folder.iterdir()):
        code, _, err = run_cli("import", "--from", "fts", page, "-o", tmp_path / "one")
        # a page of older versions only: nothing imported (exit 1), said
        assert code == 0 or "older than version 3 in the ledger" in err, err
    assert {e.id: e.amount for e in ledger.load(tmp_path / "one").entries} == NEWEST
    # a dataset: one batch; a file a batch here; a file a batch in two workers
    for n, (batch, workers) in enumerate([(None, 1), (1, 1), (1, 2)]):
        if batch is not None:
            monkeypatch.setattr(import_data, "BATCH_BYTES", batch)
        monkeypatch.setattr(import_data.os, "sched_getaffinity", lambda _p, w=workers: set(range(w)))
        out = tmp_path / f"d{n}.parquet"
        code, _, err = run_cli("import", "--from", "fts", folder, "--to", out)
        assert code == 0, err
        rows = ds.dataset(out, format="parquet", partitioning="hive").to_table().to_pylist()
        assert {r["id"]: Decimal(r["amount"]) for r in rows} == NEWEST
        assert [w for w, _ in _skipped(out / "_rejects.csv")] == [w for w, _ in told]
