"""An import rewriting several files (activity A's entries in first.toml,
B's in iati.toml, the new documents declared in iati.toml), killed after
any of its renames, leaves a ledger ``check`` passes; the same import run
again finishes the job, and ``check`` never advises putting back an ``.old``
older than a later write."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

_ACTIVITY = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="GBP">
  <iati-identifier>{ident}</iati-identifier>
  <reporting-org ref="GB-GOV-1" type="10"><narrative>UK Gov</narrative></reporting-org>
  <title><narrative>Works</narrative></title>
  <participating-org role="1" ref="GB-GOV-1"><narrative>UK Gov</narrative></participating-org>
  <activity-status code="2"/>
  <transaction ref="c1"><transaction-type code="2"/><transaction-date iso-date="2021-01-15"/>\
<value currency="GBP" value-date="2021-01-15">{value}</value></transaction>
 </iati-activity>
</iati-activities>
"""

# kills the command (os._exit: no clean-up, as kill -9) right after the Nth rename
_KILLED = textwrap.dedent("""
    import os, runpy, sys
    n, real = [0], os.replace
    def replace(*a, **k):
        real(*a, **k)
        n[0] += 1
        if n[0] == int(os.environ["KILL_AFTER"]):
            os._exit(137)
    os.replace = replace
    sys.argv = ["ledger_tool", *sys.argv[1:]]
    runpy.run_module("ledger_tool", run_name="__main__")
""")


def _cli(*args, kill_after: int | None = None):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    cmd = [sys.executable, "-m", "ledger_tool", *map(str, args)]
    if kill_after is not None:
        env["KILL_AFTER"] = str(kill_after)
        cmd = [sys.executable, "-c", _KILLED, *map(str, args)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, cwd="/")


@pytest.fixture(scope="module")
def before(tmp_path_factory) -> tuple[Path, Path]:
    """(the ledger: A in first.toml, B in iati.toml; a folder of their revisions)"""
    base = tmp_path_factory.mktemp("kill")
    for name, ident, value in (("a1.xml", "GB-1-100", 1000000), ("b1.xml", "GB-1-200", 500000)):
        (base / name).write_text(_ACTIVITY.format(ident=ident, value=value), encoding="utf-8")
    led = base / "L"
    assert _cli("init", led).returncode == 0
    for name, out in (("a1.xml", "first.toml"), ("b1.xml", "iati.toml")):
        r = _cli("import", "--from", "iati", base / name, "-o", led / out)
        assert r.returncode == 0, r.stderr
    revised = base / "both"
    revised.mkdir()
    (revised / "a2.xml").write_text(_ACTIVITY.format(ident="GB-1-100", value=1200000), "utf-8")
    (revised / "b2.xml").write_text(_ACTIVITY.format(ident="GB-1-200", value=600000), "utf-8")
    return led, revised


def _renames(led: Path, revised: Path, tmp_path: Path) -> int:
    """How many renames the import makes (the archive copies, the journals)."""
    copy = tmp_path / "count"
    shutil.copytree(led, copy)
    for n in range(1, 20):
        r = _cli("import", "--from", "iati", revised, "-o", copy / "iati.toml", kill_after=n)
        if r.returncode == 0:
            return n - 1
        shutil.rmtree(copy)
        shutil.copytree(led, copy)
    raise AssertionError("the import never finished")


def test_a_kill_after_any_rename_leaves_a_ledger_check_passes(before, tmp_path):
    led, revised = before
    total = _renames(led, revised, tmp_path)
    assert total >= 4       # two archive copies, two journals
    for n in range(1, total + 1):
        copy = tmp_path / f"L{n}"
        shutil.copytree(led, copy)
        r = _cli("import", "--from", "iati", revised, "-o", copy / "iati.toml", kill_after=n)
        assert r.returncode == 137, (n, r.stderr)
        r = _cli("check", copy)
        assert r.returncode == 0, (n, r.stderr)
        assert "unknown document" not in r.stderr, (n, r.stderr)
        # the same import again: the ledger as after one whole import
        r = _cli("import", "--from", "iati", revised, "-o", copy / "iati.toml")
        assert r.returncode == 0, (n, r.stderr)
        r = _cli("check", copy)
        assert r.returncode == 0 and " 0 error(s)" in r.stdout, (n, r.stdout)
        assert " mv " not in r.stderr, (n, r.stderr)     # no backup older than the rerun
        r = _cli("import", "--from", "iati", revised, "-o", copy / "iati.toml")
        assert "0 new, 0 updated, 2 unchanged" in r.stderr, (n, r.stderr)


def test_a_rerun_declares_a_document_the_ledger_cites_but_lost(before, tmp_path):
    """A ledger left citing an undeclared document of this import (by a kill
    under the old order: first.toml written, iati.toml not): the rerun
    records the document again."""
    led, revised = before
    whole = tmp_path / "whole"
    shutil.copytree(led, whole)
    assert _cli("import", "--from", "iati", revised, "-o", whole / "iati.toml").returncode == 0
    broken = tmp_path / "broken"
    shutil.copytree(led, broken)
    shutil.copy(whole / "first.toml", broken / "first.toml")
    shutil.copytree(whole / "sources", broken / "sources", dirs_exist_ok=True)
    r = _cli("check", broken)
    assert r.returncode == 1 and "unknown document" in r.stderr, r.stderr
    r = _cli("import", "--from", "iati", revised, "-o", broken / "iati.toml")
    assert r.returncode == 0, r.stderr
    assert "recorded again" in r.stderr, r.stderr
    r = _cli("check", broken)
    assert r.returncode == 0 and " 0 error(s)" in r.stdout, r.stdout
