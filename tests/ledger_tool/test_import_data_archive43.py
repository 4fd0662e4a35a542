"""A data file's archived copy is never put where the ledger reads it as a
journal (hunt20 r6: flows.toml archived in the ledger folder broke every
check): refused, as sources add refuses it, nothing written."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES


@pytest.mark.parametrize("how", ["--archive", "option"])
def test_a_toml_named_data_file_archived_in_the_ledger_folder_is_refused(tmp_path, run_cli, how):
    book = tmp_path / "book"
    assert run_cli("init", book)[0] == 0
    data = tmp_path / "flows.toml"
    shutil.copy(FIXTURES / "fts" / "flows.json", data)
    extra = ["--archive", book] if how == "--archive" else []
    if how == "option":
        toml = book / "ledger.toml"
        toml.write_text(toml.read_text("utf-8").replace('archive = "sources"', 'archive = "."'),
                        encoding="utf-8")
        assert 'archive = "."' in toml.read_text("utf-8")
    before = sorted(p.name for p in book.iterdir())
    code, _, err = run_cli("import", "--from", "fts", data, "-o", f"{book}/", *extra)
    assert code == 1 and "it would be read as part of the ledger" in err
    assert "nothing written" in err
    assert sorted(p.name for p in book.iterdir()) == before
    code, out, err = run_cli("check", book)
    assert code == 0, out + err
    # the same data named .json goes in the ledger folder, unread by check
    shutil.copy(data, tmp_path / "flows.json")
    code, _, err = run_cli("import", "--from", "fts", tmp_path / "flows.json", "-o", f"{book}/",
                           *extra)
    assert code == 0, err
    assert any(p.name.startswith("fts-flows-") and p.suffix == ".json" for p in book.iterdir())
    code, out, err = run_cli("check", book)
    assert code == 0, out + err
