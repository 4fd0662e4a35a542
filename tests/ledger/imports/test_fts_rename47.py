"""An FTS entry whose id the user changed is still the flow its citation
names: a newer version of the flow updates it in place, under the user's
id, never adds the flow again beside it (counted twice); two renamed
entries of one flow, neither under the flow's id, leave the flow out, said.
The figures are read from the raw JSON, never from the importer."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import ledger
from tests.conftest import FIXTURES

FLOWS = FIXTURES / "fts" / "flows.json"
FLOW = "150002"


def _import(run_cli, source: Path, book: Path) -> str:
    code, _, err = run_cli("import", "--from", "fts", source, "-o", book)
    assert code == 0, err
    return err


def _revised(tmp_path: Path) -> tuple[Path, Decimal]:
    """flows.json with flow 150002 at a new version of another figure, and that figure."""
    data = json.loads(FLOWS.read_text(encoding="utf-8"))
    (newest,) = [f for f in data["data"]["flows"] if str(f["id"]) == FLOW
                 and f["versionId"] == max(g["versionId"] for g in data["data"]["flows"]
                                           if str(g["id"]) == FLOW)]
    newest["versionId"] += 1
    newest["originalAmount"] = newest["amountUSD"] = newest["amountUSD"] + 1000000
    out = tmp_path / "flows-later.json"
    out.write_text(json.dumps(data, indent=1), encoding="utf-8")
    raw = json.loads(out.read_text(encoding="utf-8"), parse_int=Decimal, parse_float=Decimal)
    (f,) = [f for f in raw["data"]["flows"] if f["versionId"] == newest["versionId"]
            and str(f["id"]) == FLOW]
    return out, f["originalAmount"]


def _renamed(tmp_path: Path, run_cli, *new: str) -> Path:
    """flows.json imported, then fts-150002 renamed by hand (and, given
    two names, copied under the second)."""
    book = tmp_path / "led"
    _import(run_cli, FLOWS, book)
    journal = book / "fts.toml"
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'id = "fts-{FLOW}"')
    start, end = text.rindex("[[entry]]", 0, at), text.index("[[entry]]", at)
    entry = text[start:end]
    tags = entry.index("]\n", entry.index("tags = ["))
    mine = (entry[:tags] + ', "syria"' + entry[tags:]).replace(f'id = "fts-{FLOW}"',
                                                               f'id = "{new[0]}"')
    copies = "".join(entry.replace(f'id = "fts-{FLOW}"', f'id = "{n}"') for n in new[1:])
    journal.write_text(text[:start] + mine + copies + text[end:], encoding="utf-8")
    return book


def _citing(book: Path) -> list:
    return [e for e in ledger.load(book).entries
            if any(c.locator.startswith(f"flow {FLOW} ") for c in e.sources)]


def test_a_renamed_flow_is_updated_in_place_not_added_again(tmp_path, run_cli):
    book = _renamed(tmp_path, run_cli, f"my-{FLOW}")
    later, amount = _revised(tmp_path)
    err = _import(run_cli, later, book)
    assert "0 new, 1 updated" in err and f"updated my-{FLOW}" in err
    (e,) = _citing(book)
    assert e.id == f"my-{FLOW}" and e.amount == amount == 26000000
    assert "syria" in e.tags


def test_a_renamed_flow_read_again_from_the_same_file_is_unchanged(tmp_path, run_cli):
    book = _renamed(tmp_path, run_cli, f"my-{FLOW}")
    before = (book / "fts.toml").read_bytes()
    n = len(ledger.load(book).entries)
    err = _import(run_cli, FLOWS, book)
    # every entry unchanged: the renamed one is not refused as a figure given again
    assert f"0 new, 0 updated, {n} unchanged" in err
    assert (book / "fts.toml").read_bytes() == before
    assert [e.id for e in _citing(book)] == [f"my-{FLOW}"]


def test_two_renamed_entries_of_one_flow_leave_it_out_said(tmp_path, run_cli):
    book = _renamed(tmp_path, run_cli, "mine-a", "mine-b")
    later, _ = _revised(tmp_path)
    err = _import(run_cli, later, book)
    assert "0 new, 0 updated" in err
    (said,) = [ln for ln in err.splitlines() if "'mine-a'" in ln]
    assert "'mine-b'" in said and "not imported" in said
    assert sorted(e.id for e in _citing(book)) == ["mine-a", "mine-b"]
