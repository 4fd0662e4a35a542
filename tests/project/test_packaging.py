"""What a user installs: the built wheel holds every module, and the locks
were made for pyproject.toml's requirements as they are now."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
from lock_fingerprint import PREFIX, fingerprint, recorded  # noqa: E402


def test_the_wheel_holds_every_module_of_every_package(tmp_path):
    pytest.importorskip("setuptools")
    tracked = subprocess.run(["git", "ls-files", "pyproject.toml", "README.md", "ledger", "rates",
                              "reports", "ledger_tool"],
                             capture_output=True, text=True, cwd=REPO).stdout.split()
    src = tmp_path / "src"           # a copy: setuptools builds inside the source tree
    for name in tracked:
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, src / name)
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                          "--no-build-isolation", "-w", str(tmp_path / "dist"), str(src)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = [m for m in tracked if m.endswith((".py", ".js", ".css"))]
    assert any(m.startswith("ledger/read/") for m in modules)
    assert "reports/page/page.js" in modules      # the report page's script is package data
    assert [m for m in modules if m not in names] == []


@pytest.mark.parametrize("lock", ["test.lock", "run.lock"])
def test_the_locks_were_made_for_pyprojects_requirements(lock):
    path = REPO / "requirements" / lock
    assert path.read_text(encoding="utf-8").startswith(PREFIX)
    assert recorded(path) == fingerprint(), f"{path} is stale: run ./scripts/lock"


def test_a_stale_lock_is_refused_in_one_line(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    pyproject.write_text(text.replace('"pandas>=2.2.2",', '"pandas>=2.3",'), encoding="utf-8")
    assert fingerprint(pyproject) != fingerprint()
    # a comment is not a requirement: the locks stay fresh
    pyproject.write_text(text.replace("[project]", "# a comment\n[project]"), encoding="utf-8")
    assert fingerprint(pyproject) == fingerprint()
    stale = tmp_path / "old.lock"
    stale.write_text(PREFIX + "0" * 64 + "\nbabel==2.19.0\n", encoding="utf-8")
    r = subprocess.run([sys.executable, str(REPO / "scripts" / "lock_fingerprint.py"), "--check",
                        str(stale)], capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        f"{stale}: written for other requirements than pyproject.toml's now: run "
        f"./scripts/lock, then commit the locks"]
