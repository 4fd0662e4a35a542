"""``import`` whose ``-o`` names the ledger's journal file spelt otherwise
than ``--ledger`` (relative against absolute): the update and the new
entries go to that one file together, none lost (docs/guarantees.md §3)."""
from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import ledger

from tests.conftest import FIXTURES

FLOWS = FIXTURES / "fts" / "flows.json"


def _flows(tmp_path: Path, name: str, change) -> Path:
    data = json.loads(FLOWS.read_text(encoding="utf-8"))
    data["data"]["flows"] = [f for f in (change(f) for f in data["data"]["flows"]) if f]
    out = tmp_path / name
    out.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return out


def _without_150010(f):
    return None if f["id"] == "150010" else f


def _newer_150009(f):
    if f["id"] == "150009":
        f["versionId"], f["originalAmount"], f["amountUSD"] = 2, 6000000, 8665566.28
    return f


def test_update_kept_when_o_and_ledger_spell_the_file_differently(tmp_path, run_cli,
                                                                 monkeypatch):
    first = _flows(tmp_path, "first.json", _without_150010)
    newer = _flows(tmp_path, "newer.json", _newer_150009)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("import", "--from", "fts", first, "-o", "L")
    assert code == 0, err
    journal = next(p for p in Path("L").glob("*.toml") if b"fts-150009" in p.read_bytes())
    before = ledger.load(tmp_path / "L").entry("fts-150009").amount
    assert before == Decimal("5000000")       # flows.json: originalAmount of 150009
    code, _, err = run_cli("import", "--from", "fts", newer, "-o", str(journal),
                           "--ledger", str(tmp_path / "L"))
    assert code == 0 and "1 new, 1 updated" in err, err
    got = ledger.load(tmp_path / "L")
    assert got.entry("fts-150009").amount == Decimal("6000000")   # newer.json's figure
    assert got.entry("fts-150010").id == "fts-150010"
    assert not [n for n in os.listdir("L") if n.startswith(".")]
    assert run_cli("check", "L")[0] == 0
