"""ruff and mypy over the whole checkout, configured in pyproject.toml
([tool.ruff], [tool.mypy]); each test fails with the tool's own report."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests.conftest import REPO

ROOT = REPO


def _run(tool: str, *args: str) -> subprocess.CompletedProcess:
    pytest.importorskip(tool, reason=f"{tool} (the test extra) is not installed")
    return subprocess.run([sys.executable, "-m", tool, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_ruff():
    out = _run("ruff", "check", ".")
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy():
    out = _run("mypy")
    assert out.returncode == 0, out.stdout + out.stderr
