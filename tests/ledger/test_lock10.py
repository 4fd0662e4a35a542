"""Two commands writing one journal file always contend for one lock,
whichever way each names the ledger (``ledger.edit.writing``): ``add L
--file L/sub/x.toml`` and ``import q.csv -o L/sub/x.toml`` in a folder
without ``ledger.toml``, or ``add L/sub/x.toml`` (the file as a one-file
ledger) while ``add L --file L/sub/x.toml`` writes it; and two imports into a
ledger folder that does not exist yet.  Neither entry is lost."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from tests.ledger.test_lock6 import _env, _wait_for

# ledger-tool with the rename onto SLOW_NAME in the folder LEDGER (which may
# not exist yet) held until the file GO exists: a slow disk at the worst moment.
SLOW = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    _replace = os.replace
    def slow(src, dst, **kw):
        fd = kw.get("dst_dir_fd")
        where = (os.readlink(f"/proc/self/fd/{fd}") if fd is not None
                 else os.path.dirname(os.path.abspath(dst)))
        if (str(dst).endswith(os.environ["SLOW_NAME"])
                and os.path.realpath(where) == os.path.realpath(os.environ["LEDGER"])):
            Path(os.environ["PAUSED"]).touch()
            end = time.monotonic() + 60
            while not Path(os.environ["GO"]).exists() and time.monotonic() < end:
                time.sleep(0.05)
        return _replace(src, dst, **kw)
    os.replace = slow
    from ledger_tool.cli import main
    raise SystemExit(main(sys.argv[1:]))
""")

ENTRY = '[[entry]]\nid = "{id}"\ndate = 2024-01-01\nfunder = "UK:D"\npurpose = "H:W"\n' \
        'amount = 5\ncurrency = "GBP"\n'
CSV = "id,date,funder,purpose,amount,currency\nq-1,2024-06-01,UK:Dept,Harbour:Wall,5000000,GBP\n"


def _ids(path: Path) -> set[str]:
    return {t["id"] for t in tomllib.loads(path.read_text("utf-8")).get("entry", [])}


def _ledger(tmp_path: Path) -> Path:
    ledger = tmp_path / "L"
    (ledger / "sub").mkdir(parents=True)
    (ledger / "a.toml").write_text(ENTRY.format(id="a-1"))
    (ledger / "sub" / "x.toml").write_text(ENTRY.format(id="x-1"))
    (tmp_path / "q.csv").write_text(CSV)
    return ledger


def _add(*where: str) -> list[str]:
    return ["add", *where, "--id", "n-1", "--date", "2024-05-01", "--funder", "UK:X",
            "--purpose", "H:Y", "--amount", "£1m"]


def _race(tmp_path: Path, first: list[str], second: list[str], slow_dir: Path,
          slow_name: str) -> tuple[str, str]:
    """``first`` paused just before renaming ``slow_name`` in ``slow_dir``,
    ``second`` run meanwhile until it finishes or says it waits; then both
    finish.  Returns their stderr."""
    script = tmp_path / "slow.py"
    script.write_text(SLOW)
    paused, go = tmp_path / "paused", tmp_path / "go"
    first_err, second_err = tmp_path / "first.err", tmp_path / "second.err"
    with first_err.open("w") as e1, second_err.open("w") as e2:
        slow = subprocess.Popen([sys.executable, str(script), *first], stderr=e1, cwd=tmp_path,
                                stdout=subprocess.DEVNULL,
                                env=_env(SLOW_NAME=slow_name, PAUSED=str(paused), GO=str(go),
                                         LEDGER=str(slow_dir)))
        other = None
        try:
            _wait_for(lambda: paused.exists() or slow.poll() is not None, "the first rename")
            assert paused.exists(), first_err.read_text()
            other = subprocess.Popen([sys.executable, "-m", "ledger_tool", *second], stderr=e2,
                                     stdout=subprocess.DEVNULL, cwd=tmp_path, env=_env())
            # without a shared lock the second finishes now; with one it waits, saying so
            _wait_for(lambda: other.poll() is not None or "waiting" in second_err.read_text(),
                      "the second command")
        finally:
            go.touch()
        assert slow.wait(120) == 0, first_err.read_text()
        assert other is not None and other.wait(120) == 0, second_err.read_text()
    return first_err.read_text(), second_err.read_text()


@pytest.mark.parametrize("add_first", [True, False], ids=["add-then-import", "import-then-add"])
def test_add_and_import_into_one_file_of_a_plain_folder_both_land(tmp_path, add_first):
    ledger = _ledger(tmp_path)
    add = _add("L", "--file", "L/sub/x.toml")
    imp = ["import", "q.csv", "-o", "L/sub/x.toml"]
    first, second = (add, imp) if add_first else (imp, add)
    _, said = _race(tmp_path, first, second, ledger / "sub", "x.toml")
    assert _ids(ledger / "sub" / "x.toml") == {"x-1", "n-1", "q-1"}
    assert "waiting for it to finish" in said


def test_a_file_named_as_its_own_ledger_waits_for_the_folder_s_writer(tmp_path):
    ledger = _ledger(tmp_path)
    (ledger / "ledger.toml").write_text("[ledger]\n")
    first = _add("L", "--file", "L/sub/x.toml")
    second = ["add", "L/sub/x.toml", "--id", "n-2", *_add()[3:]]
    _, said = _race(tmp_path, first, second, ledger / "sub", "x.toml")
    assert _ids(ledger / "sub" / "x.toml") == {"x-1", "n-1", "n-2"}
    assert "waiting for it to finish" in said


def test_two_imports_into_a_ledger_folder_not_made_yet_both_land(tmp_path):
    (tmp_path / "a.csv").write_text(CSV)
    (tmp_path / "b.csv").write_text(CSV.replace("q-1", "q-2").replace("5000000", "7000000"))
    new = tmp_path / "NEW"
    # the second finds the first's file: appended (a new id) or refused, never lost
    _, said = _race(tmp_path, ["import", "a.csv", "-o", "NEW"], ["import", "b.csv", "-o", "NEW"],
                    new, "imported.toml")
    assert "waiting for it to finish" in said
    assert _ids(new / "imported.toml") == {"q-1", "q-2"}


def test_a_refused_write_into_a_new_folder_leaves_no_folder(tmp_path):
    ledger = _ledger(tmp_path)
    run = subprocess.run([sys.executable, "-m", "ledger_tool", "add", "L", "--file",
                          "L/new/deeper/x.toml", "--id", "a-1", "--date", "2024-05-01",
                          "--funder", "UK:X", "--purpose", "H:Y", "--amount", "£1m"],
                         cwd=tmp_path, env=_env(), capture_output=True, text=True)
    assert run.returncode == 1, run.stderr      # a-1 is taken already
    assert not (ledger / "new").exists()
