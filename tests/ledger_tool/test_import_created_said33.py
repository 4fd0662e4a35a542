"""A failed import into a new folder says nothing of a ledger it made and
removed: "created the new ledger" is printed only once the journal is
written (and init's "created" only once its files are)."""
from __future__ import annotations

import errno

import pytest

from ledger_tool import cmd_init, import_data

TABLE = "id,date,funder,purpose,amount,currency\nb1,2024-01-01,UK,Harbour,1000,GBP\n"


def _full(path, *args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", str(path))


@pytest.mark.parametrize("empty", [False, True])
def test_a_failed_import_does_not_say_it_made_a_ledger(tmp_path, run_cli, monkeypatch, empty):
    table = tmp_path / "in.csv"
    table.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "w" / "newled"
    out.parent.mkdir()
    if empty:
        out.mkdir()
    monkeypatch.setattr(import_data, "write_atomic", _full)
    code, _, err = run_cli("import", table, "-o", out)
    assert code == 1 and "No space left on device" in err
    assert "new ledger" not in err, err
    assert sorted(out.parent.rglob("*")) == ([out] if empty else [])
    monkeypatch.undo()
    code, _, err = run_cli("import", table, "-o", out)
    assert code == 0 and err.count("new ledger") == 1, err
    assert err.index("new ledger") < err.index("1 entry written")


def test_a_failed_init_does_not_say_created(tmp_path, run_cli, monkeypatch):
    monkeypatch.setattr(cmd_init, "write_all_atomic", _full)
    code, _, err = run_cli("init", tmp_path / "x")
    assert code == 1 and "created" not in err and not (tmp_path / "x").exists()


def test_a_partly_written_import_says_the_ledger_it_kept(tmp_path, capsys):
    from ledger.atomic import PartlyWritten

    made = import_data.Created()
    kept = tmp_path / "kept.toml"
    kept.write_text("", encoding="utf-8")
    with pytest.raises(PartlyWritten), made.undone_on_failure():
        made.files.append(kept)
        made.said.append("ledger-tool: import: created the new ledger x")
        raise PartlyWritten("some written")
    assert kept.exists()
    assert "created the new ledger x" in capsys.readouterr().err
