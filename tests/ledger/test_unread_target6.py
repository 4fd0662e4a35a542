"""``import -o`` and ``add --file`` refuse a journal file the ledger would
not read (hidden, in a hidden folder, in the source archive): entries
written there would be reported written and never counted."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

ROWS = "id,date,funder,purpose,amount,currency\nq-1,2024-06-01,UK:Dept,Harbour:Wall,5000000,GBP\n"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def ledger(tmp_path) -> Path:
    ledger = tmp_path / "harbour"
    shutil.copytree(REPO / "examples" / "harbour", ledger)
    return ledger


@pytest.mark.parametrize("where", [".hid.toml", ".git/x.toml", "sources/x.toml",
                                   ".hidden-folder"])
@pytest.mark.parametrize("ledger_option", [False, True])
def test_import_refuses_an_output_the_ledger_does_not_read(ledger, tmp_path, run_cli, where,
                                                           ledger_option):
    (ledger / ".git").mkdir()
    rows = tmp_path / "rows.csv"
    rows.write_text(ROWS, "utf-8")
    before = _files(ledger)
    extra = ["--ledger", ledger] if ledger_option else []
    code, _, err = run_cli("import", rows, "-o", ledger / where, *extra)
    assert code == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "would not be part of the ledger" in lines[0], err
    assert "nothing written" in lines[0] and "Traceback" not in err
    assert _files(ledger) == before


def test_import_into_a_ledger_file_it_reads_is_still_written(ledger, tmp_path, run_cli):
    rows = tmp_path / "rows.csv"
    rows.write_text(ROWS, "utf-8")
    code, _, err = run_cli("import", rows, "-o", ledger / "q.toml")
    assert code == 0, err
    code, out, err = run_cli("list", ledger)
    assert code == 0 and "q-1" in out


@pytest.mark.parametrize("where", [".hid.toml", ".git/x.toml", "sources/x.toml"])
def test_add_file_refuses_the_same_places(ledger, run_cli, where):
    (ledger / ".git").mkdir()
    before = _files(ledger)
    code, _, err = run_cli("add", ledger, "--file", where, "--id", "x", "--date", "2024-05-01",
                           "--funder", "UK:X", "--purpose", "H:Y", "--amount", "£1m")
    assert code == 1 and "would be ignored" in err
    assert _files(ledger) == before
