"""An id given by two items of one folder import: the first item's, the
other refused and named, whatever batches the files fall into (a dataset
import's batch size and workers) and the same as the journal import."""
from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pyarrow.dataset as ds
import pytest

import ledger


def _activity(ident: str, transactions: list[tuple[str, str, str, str]]) -> str:
    """An IATI activity of GBP transactions (ref, type code, date, value)."""
    tx = "".join(f'<transaction ref="{ref}"><transaction-type code="{code}"/>'
                 f'<transaction-date iso-date="{day}"/><value>{value}</value></transaction>\n'
                 for ref, code, day, value in transactions)
    return (f'<iati-activity default-currency="GBP"><iati-identifier>{ident}</iati-identifier>\n'
            f'<reporting-org ref="XX-1"><narrative>Donor</narrative></reporting-org>\n'
            f'<sector vocabulary="1" code="12220"/>\n{tx}</iati-activity>\n')


def _iati(*activities: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
            + "".join(activities) + "</iati-activities>\n")


def _flow(fid: str, usd: int) -> dict:
    return {"id": fid, "versionId": 1, "status": "paid", "date": "2020-03-01T00:00:00Z",
            "amountUSD": usd, "boundary": "incoming", "onBoundary": "single",
            "sourceObjects": [{"type": "Organization", "id": "1", "name": "Donor"}],
            "destinationObjects": [{"type": "Location", "id": "2", "name": "Chad"},
                                   {"type": "GlobalCluster", "id": "3", "name": "Health"}]}


def _fts(*flows: dict) -> str:
    return json.dumps({"status": "ok", "data": {"flows": list(flows)}}, indent=1)


# The folder, by hand: a.* first, then b.* (the same activity or flows again,
# one of them with another amount, plus one item of its own), then c.*.
# FTS: kept: a's items, b's own one, c's; b's 701 (other figures at the same
# version, nothing saying which is newer) skipped, as importing a then b does
# (test_fts_fold19b.py); b's 702 is the same flow again, read once
# (test_fts_import_notes15.py), not refused.
# IATI: the activity is b's copy whole (the later file), a's two items skipped.
FOLDERS = {
    "iati": ({
        "a.xml": _iati(_activity("XX-1-A", [("C", "2", "2020-01-01", "1000"),
                                            ("D1", "3", "2020-02-01", "400")])),
        "b.xml": _iati(_activity("XX-1-A", [("C", "2", "2020-01-01", "1200"),
                                            ("D1", "3", "2020-02-01", "400"),
                                            ("D2", "3", "2020-03-01", "300")])),
        "c.xml": _iati(_activity("XX-1-B", [("C", "2", "2020-01-15", "500")])),
    }, {"iati-xx-1-a-t-c": Decimal(1200), "iati-xx-1-a-t-d1": Decimal(400),
        "iati-xx-1-a-t-d2": Decimal(300), "iati-xx-1-b-t-c": Decimal(500)}, set()),
    "fts": ({
        "a.json": _fts(_flow("701", 1000), _flow("702", 400)),
        "b.json": _fts(_flow("701", 1200), _flow("702", 400), _flow("703", 300)),
        "c.json": _fts(_flow("704", 500)),
    }, {"fts-701": Decimal(1000), "fts-702": Decimal(400), "fts-703": Decimal(300),
        "fts-704": Decimal(500)},
        set()),
}


def _folder(tmp_path: Path, kind: str) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in FOLDERS[kind][0].items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _amounts(rows) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for r in rows:
        out[r["id"]] = out.get(r["id"], Decimal(0)) + Decimal(r["amount"])
    return out


def _refused(rejects: Path, folder: Path) -> list[tuple[str, str, str]]:
    """The rejects file's rejected items: (file, where, reason), sorted."""
    with open(rejects, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"] == "reject"]
    return sorted((str(Path(r["file"]).relative_to(folder)), r["where"], r["reason"])
                  for r in rows)


def _dataset(run_cli, monkeypatch, folder: Path, kind: str, out: Path, batch_bytes: int | None,
             workers: int):
    import ledger_tool.import_data as import_data

    if batch_bytes is not None:
        monkeypatch.setattr(import_data, "BATCH_BYTES", batch_bytes)
    monkeypatch.setattr(import_data.os, "sched_getaffinity", lambda _pid: set(range(workers)))
    code, _, err = run_cli("import", "--from", kind, folder, "--to", out)
    assert code == 0, err
    rows = ds.dataset(out, format="parquet", partitioning="hive").to_table().to_pylist()
    return _amounts(rows), _refused(out / "_rejects.csv", folder), err


# IATI: the same activity in two files is taken whole from its newest copy,
# the other skipped (test_iati_folder_versions.py), not refused item by item
@pytest.mark.parametrize("kind", ["fts"])
def test_an_id_twice_keeps_the_first_item_whatever_the_batches(tmp_path, run_cli, monkeypatch,
                                                                kind):
    folder = _folder(tmp_path, kind)
    _, kept, refused_ids = FOLDERS[kind]
    # one batch; one file a batch in this process; one file a batch in two workers
    got = [_dataset(run_cli, monkeypatch, folder, kind, tmp_path / f"{n}.parquet", b, w)
           for n, (b, w) in enumerate([(None, 1), (1, 1), (1, 2)])]
    for amounts, refused, err in got:
        assert amounts == kept
        assert sum(amounts.values()) == Decimal(2200)      # 1000 + 400 + 300 + 500
        # one line each, at its file and item, naming its id
        assert len(refused) == len(refused_ids)
        assert {(f, next(i for i in kept if repr(i) in why)) for f, _, why in refused} == \
            refused_ids
        assert all(where and "duplicate id" in why for _, where, why in refused)
        assert "4 entries" in err and f"{len(refused_ids)} rejected" in err
    assert got[0][1] == got[1][1] == got[2][1]
    # the journal import: the same entries, the same refusals
    code, _, err = run_cli("import", "--from", kind, folder, "-o", tmp_path / "book")
    assert code == 0, err
    assert {e.id: e.amount for e in ledger.load(tmp_path / "book").entries} == kept
    assert _refused(tmp_path / "book" / f"{kind}.rejects.csv", folder) == got[0][1]
    code, out, err = run_cli("check", tmp_path / "book")
    assert code == 0, out + err


def test_an_activity_twice_is_the_later_files_whatever_the_batches(tmp_path, run_cli,
                                                                    monkeypatch):
    folder = _folder(tmp_path, "iati")
    _, kept, _ = FOLDERS["iati"]
    for n, (b, w) in enumerate([(None, 1), (1, 1), (1, 2)]):
        amounts, refused, err = _dataset(run_cli, monkeypatch, folder, "iati",
                                         tmp_path / f"{n}.parquet", b, w)
        assert amounts == kept and refused == []
        assert sum(amounts.values()) == Decimal(2400)      # 1200 + 400 + 300 + 500
        assert err.count("superseded by the same activity in") == 1, err
        assert "4 entries" in err and "0 rejected, 2 skipped" in err
        code, out, err = run_cli("check", tmp_path / f"{n}.parquet")
        assert code == 0, out + err
    code, _, err = run_cli("import", "--from", "iati", folder, "-o", tmp_path / "book")
    assert code == 0, err
    assert {e.id: e.amount for e in ledger.load(tmp_path / "book").entries} == kept
    code, out, err = run_cli("check", tmp_path / "book")
    assert code == 0, out + err
