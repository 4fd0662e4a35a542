"""The lock folder for folders not made yet (``atomic.folder_name_lock``)
is a convenience, not a gate (revF): when it cannot be used (another
user's, a file in its place, a stale XDG_RUNTIME_DIR), add and import
write with one warning, as on a file system that cannot lock."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

ENTRY = '[[entry]]\nid = "a-1"\ndate = 2024-01-01\nfunder = "UK:D"\npurpose = "H:W"\n' \
        'amount = 5\ncurrency = "GBP"\n'


def _ids(path: Path) -> set[str]:
    return {t["id"] for t in tomllib.loads(path.read_text("utf-8")).get("entry", [])}


@pytest.mark.parametrize("spoil", ["file", "missing", "other-owner"])
def test_add_and_import_write_when_the_lock_folder_is_unusable(
        tmp_path, run_cli, monkeypatch, spoil):
    runtime = tmp_path / "run"
    lock = runtime / f"ledger-tool-locks-{os.getuid()}"
    if spoil == "file":
        runtime.mkdir()
        lock.write_text("")
    elif spoil == "other-owner":
        if os.getuid() != 0:
            pytest.skip("needs root to give the folder to another user")
        lock.mkdir(parents=True)
        os.chown(lock, 65534, 65534)
    # "missing": XDG_RUNTIME_DIR names a folder that is not there
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    ledger = tmp_path / "L"
    ledger.mkdir()
    (ledger / "a.toml").write_text(ENTRY, encoding="utf-8")
    code, _, err = run_cli("add", ledger, "--id", "n-1", "--date", "2024-05-01", "--funder",
                           "UK:X", "--purpose", "H:Y", "--amount", "£1m")
    assert code == 0, err
    assert "cannot use the lock folder" in err and "Traceback" not in err
    (tmp_path / "q.csv").write_text("id,date,funder,purpose,amount,currency\n"
                                    "q-1,2024-06-01,UK:Dept,Harbour:Wall,5000000,GBP\n",
                                    encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "q.csv", "-o", ledger / "q.toml")
    assert code == 0, err
    ids = set().union(*(_ids(p) for p in ledger.glob("*.toml")))
    assert ids == {"a-1", "n-1", "q-1"}
