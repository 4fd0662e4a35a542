"""Two commands editing one ledger at once: the second waits for the first
(``ledger.atomic.ledger_lock``), so both edits land; none is lost."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from ledger import atomic
from ledger.edit import add_citation, add_entry
from ledger.errors import LedgerError
from ledger.sources.archive import add_document, remove_document
from tests.conftest import REPO

# Runs ledger-tool with the rename of one file of the ledger (SLOW_NAME in
# the folder LEDGER) held until the file GO exists: a slow disk at the worst
# moment, after every check.
SLOW = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    _replace = os.replace
    here = os.stat(os.environ["LEDGER"])
    def slow(src, dst, **kw):
        fd = kw.get("dst_dir_fd")
        where = os.fstat(fd) if fd is not None else os.stat(os.path.dirname(os.path.abspath(dst)))
        if (str(dst).endswith(os.environ["SLOW_NAME"])
                and (where.st_dev, where.st_ino) == (here.st_dev, here.st_ino)):
            Path(os.environ["PAUSED"]).touch()
            end = time.monotonic() + 60
            while not Path(os.environ["GO"]).exists() and time.monotonic() < end:
                time.sleep(0.05)
        return _replace(src, dst, **kw)
    os.replace = slow
    from ledger_tool.cli import main
    raise SystemExit(main(sys.argv[1:]))
""")


def _env(**extra) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO), **extra)
    env.pop("LEDGER_TOOL_CACHE", None)
    return env


def _ledger(tmp_path: Path) -> Path:
    ledger = tmp_path / "harbour"
    shutil.copytree(REPO / "examples" / "harbour", ledger)
    return ledger


def _add_args(ledger: Path, n: int) -> list[str]:
    return ["add", str(ledger), "--id", f"race-{n}", "--date", "2024-05-01",
            "--funder", "UK:X", "--purpose", f"H:Y{n}", "--amount", f"£{n}m"]


def _doc(tmp_path: Path, n: int) -> Path:
    f = tmp_path / f"note-{n}.txt"
    f.write_text(f"Note {n}: the council pledged £{n} million to the harbour.\n")
    return f


def _sources_args(ledger: Path, n: int, tmp_path: Path) -> list[str]:
    return ["sources", "add", str(_doc(tmp_path, n)), "--ledger", str(ledger), "--title",
            f"Note {n}", "--publisher", "Council", "--published", "2024-05-01"]


def _ids(path: Path, table: str) -> set[str]:
    return {t["id"] for t in tomllib.loads(path.read_text("utf-8")).get(table, [])}


def _wait_for(cond, what: str, limit: float = 90) -> None:
    end = time.monotonic() + limit
    while not cond():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.parametrize("kind", ["add", "sources add"])
def test_second_edit_during_a_slow_rename_is_not_lost(tmp_path, kind):
    ledger = _ledger(tmp_path)
    script = tmp_path / "slow.py"
    script.write_text(SLOW)
    paused, go = tmp_path / "paused", tmp_path / "go"
    if kind == "add":
        name, table, file = "pledges.toml", "entry", ledger / "pledges.toml"
        first, second = _add_args(ledger, 1), _add_args(ledger, 2)
        want = {"race-1", "race-2"}
    else:
        name, table, file = "sources.toml", "document", ledger / "sources.toml"
        first, second = _sources_args(ledger, 1, tmp_path), _sources_args(ledger, 2, tmp_path)
        want = {"note-1", "note-2"}
    before = _ids(file, table)
    slow = subprocess.Popen([sys.executable, str(script), *first], stderr=subprocess.PIPE,
                            env=_env(SLOW_NAME=name, PAUSED=str(paused), GO=str(go),
                                     LEDGER=str(ledger)), text=True)
    try:
        _wait_for(lambda: paused.exists() or slow.poll() is not None, "the first edit's rename")
        assert paused.exists(), slow.communicate()[1]
        err_file = tmp_path / "second.err"
        with err_file.open("w") as err:
            other = subprocess.Popen([sys.executable, "-m", "ledger_tool", *second], stderr=err,
                                     env=_env(), text=True)
            # without a lock the second finishes now; with one it waits, saying so
            _wait_for(lambda: other.poll() is not None or "waiting" in err_file.read_text(),
                      "the second edit")
    finally:
        go.touch()
    assert slow.wait(120) == 0, slow.communicate()[1]
    rc = other.wait(120)
    said = err_file.read_text()
    assert rc == 0, said
    assert _ids(file, table) == before | want      # both edits, neither lost
    assert "waiting for it to finish" in said


def test_concurrent_adds_every_reported_entry_is_in_the_file(tmp_path):
    ledger = _ledger(tmp_path)
    n = 6
    procs = [subprocess.Popen([sys.executable, "-m", "ledger_tool", *_add_args(ledger, i)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env=_env()) for i in range(1, n + 1)]
    outcomes = [(p.wait(300), p.communicate()[1]) for p in procs]
    added = {f"race-{i}" for i, (rc, err) in enumerate(outcomes, 1)
             if rc == 0 and f"added entry 'race-{i}'" in err}
    for rc, err in outcomes:
        assert rc in (0, 1) and "Traceback" not in err, err
    # every process either added its entry or failed saying nothing was written
    assert all(rc == 0 or "nothing written" in err for rc, err in outcomes)
    in_file = {i for i in _ids(ledger / "pledges.toml", "entry") if i.startswith("race-")}
    assert in_file == added
    assert len(added) == n      # a two-minute wait is ample for six adds


@pytest.fixture
def held_elsewhere(tmp_path):
    """The ledger's lock held by another process until the test ends."""
    def hold(ledger: Path):
        ready = tmp_path / "held"
        code = ("import fcntl, os, sys, time, pathlib; "
                "fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY); "
                "fcntl.flock(fd, fcntl.LOCK_EX); pathlib.Path(sys.argv[2]).touch(); "
                "time.sleep(600)")
        proc = subprocess.Popen([sys.executable, "-c", code, str(ledger), str(ready)])
        procs.append(proc)
        _wait_for(ready.exists, "the other process to take the lock", 30)
    procs: list[subprocess.Popen] = []
    yield hold
    for p in procs:
        p.kill()
        p.wait()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("edit", ["add", "cite", "sources add", "sources remove"])
def test_an_edit_gives_up_in_one_line_while_another_holds_the_ledger(
        tmp_path, monkeypatch, held_elsewhere, edit):
    ledger = _ledger(tmp_path)
    doc = _doc(tmp_path, 7)
    before = _snapshot(ledger)
    held_elsewhere(ledger)
    monkeypatch.setattr(atomic, "LOCK_WAIT", 1.0)
    if edit == "add":
        def run():
            add_entry(ledger, {"id": "x", "date": dt.date(2024, 5, 1),
                               "funder": "UK:X", "purpose": "H:Y", "amount": "£1m"})
    elif edit == "cite":
        entry = sorted(_ids(ledger / "pledges.toml", "entry"))[0]
        doc_id = sorted(_ids(ledger / "sources.toml", "document"))[0]

        def run():
            add_citation(ledger, entry, {"doc": doc_id, "quote": "a new quote"})
    elif edit == "sources add":
        def run():
            add_document(ledger, doc, title="Note", publisher="Council",
                         published=dt.date(2024, 5, 1))
    else:
        doc_id = sorted(_ids(ledger / "sources.toml", "document"))[0]

        def run():
            remove_document(ledger, doc_id, force=True)
    start = time.monotonic()
    with pytest.raises(LedgerError) as err:
        run()
    assert time.monotonic() - start >= 1.0
    message = str(err.value)
    assert "\n" not in message and "another ledger-tool command" in message
    assert "nothing written" in message
    assert _snapshot(ledger) == before


def test_import_into_the_ledger_waits_for_its_lock_too(tmp_path, monkeypatch, held_elsewhere,
                                                       run_cli):
    ledger = _ledger(tmp_path)
    rows = tmp_path / "rows.csv"
    rows.write_text("id,date,funder,purpose,amount,currency\n"
                    "q-1,2024-06-01,UK:Dept,Harbour:Wall,5000000,GBP\n", "utf-8")
    before = _snapshot(ledger)
    held_elsewhere(ledger)
    monkeypatch.setattr(atomic, "LOCK_WAIT", 1.0)
    code, _, err = run_cli("import", rows, "-o", ledger / "pledges.toml")
    assert code == 1
    assert "another ledger-tool command" in err and "nothing written" in err
    assert "Traceback" not in err
    assert _snapshot(ledger) == before
    code, _, err = run_cli("import", rows, "-o", ledger / "pledges.toml", "--dry-run")
    assert code == 0, err     # a dry run writes nothing: it does not wait
