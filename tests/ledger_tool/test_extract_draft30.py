"""extract --draft never overwrites a ledger's journal nor writes a new .toml
into a ledger folder, whatever --force says (as export and report refuse)."""
from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"


@pytest.fixture
def harbour(tmp_path) -> Path:
    book = tmp_path / "h"
    shutil.copytree(HARBOUR, book)
    return book


def test_force_does_not_overwrite_the_ledgers_journal(harbour, run_cli):
    journal = harbour / "pledges.toml"
    before = journal.read_bytes()
    n = len(tomllib.loads(before.decode())["entry"])
    code, _, err = run_cli("extract", harbour / "sources" / "wenlock-minutes-2024.txt",
                           "--draft", journal, "--force")
    assert code == 1
    assert "pledges.toml" in err and "journal" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert journal.read_bytes() == before
    code, out, err = run_cli("check", harbour)
    assert code == 0 and f"{n} entries" in out + err


def test_a_new_toml_in_the_ledger_folder_is_refused(harbour, run_cli):
    draft = harbour / "draft.toml"
    code, _, err = run_cli("extract", harbour / "sources" / "wenlock-minutes-2024.txt",
                           "--draft", draft)
    assert code == 1 and "draft.toml" in err and "ledger folder" in err
    assert not draft.exists()
    assert run_cli("check", harbour)[0] == 0


def test_a_one_file_ledger_is_not_overwritten_an_earlier_draft_is(harbour, tmp_path,
                                                                    run_cli):
    doc = harbour / "sources" / "wenlock-minutes-2024.txt"
    one = tmp_path / "one.toml"
    shutil.copy(harbour / "pledges.toml", one)
    before = one.read_bytes()
    code, _, err = run_cli("extract", doc, "--draft", one, "--force")
    assert code == 1 and "one.toml" in err and one.read_bytes() == before
    draft = tmp_path / "d.toml"
    assert run_cli("extract", doc, "--draft", draft)[0] == 0
    draft.write_text(draft.read_text("utf-8").replace('funder = ""', 'funder = "X"', 1),
                     encoding="utf-8")
    code, _, err = run_cli("extract", doc, "--draft", draft, "--force")
    assert code == 0, err
    assert 'funder = "X"' not in draft.read_text("utf-8")
