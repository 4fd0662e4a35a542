"""``import --to DIR.parquet --ledger L`` is refused in one line: a dataset
is checked within itself, so a --ledger taken and not applied (no id
check, no same-figure check against L) would be a silent promise."""
from __future__ import annotations

import json

import pytest

ROWS = ("id,date,funder,purpose,amount,currency,source\n"
        "a1,2015-07-30,UK:A,P:A,100,GBP,doc\n")
FLOWS = {"data": {"flows": [{
    "id": "901", "versionId": 1, "status": "paid", "date": "2020-03-01T00:00:00Z",
    "amountUSD": 700, "boundary": "incoming", "onBoundary": "single",
    "sourceObjects": [{"type": "Organization", "id": "1", "name": "Donor"}],
    "destinationObjects": [{"type": "Location", "id": "2", "name": "Chad"}]}]}}


@pytest.mark.parametrize("kind", ["table", "fts"])
def test_to_with_ledger_is_refused_and_writes_nothing(tmp_path, run_cli, kind):
    if kind == "table":
        src = tmp_path / "rows.csv"
        src.write_text(ROWS, encoding="utf-8")
    else:
        src = tmp_path / "flows.json"
        src.write_text(json.dumps(FLOWS), encoding="utf-8")
    book = tmp_path / "book"
    # the ledger holds the row's id already: a check against it would refuse it
    code, _, err = run_cli("import", src, "--from", kind, "-o", book)
    assert code == 0, err
    before = sorted(p.name for p in tmp_path.iterdir())
    out = tmp_path / "d.parquet"
    code, _, err = run_cli("import", src, "--from", kind, "--to", out, "--ledger", book)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "--ledger" in lines[0] and "--to" in lines[0], err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    # without --ledger the dataset is written
    code, _, err = run_cli("import", src, "--from", kind, "--to", out)
    assert code == 0, err
    assert out.is_dir()
