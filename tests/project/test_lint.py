"""ruff and mypy over the whole checkout, configured in pyproject.toml
([tool.ruff], [tool.mypy]), and the report page's script and style (oxlint,
configured in reports/page/oxlintrc.jsonc; tinycss2's parser); each test
fails with the tool's own report."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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


PAGE = ROOT / "reports" / "page"


def _oxlint() -> str:
    # the test extra's wheel puts the binary beside this Python
    found = shutil.which("oxlint", path=str(Path(sys.executable).parent)) or shutil.which("oxlint")
    if not found:
        pytest.skip("oxlint (the test extra) is not installed: the page's script is not linted")
    return found


def _lint_script(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_oxlint(), "-c", str(PAGE / "oxlintrc.jsonc"), "--disable-nested-config",
                           "--deny-warnings", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_page_script():
    out = _lint_script(PAGE / "page.js")
    assert out.returncode == 0, out.stdout + out.stderr


def test_page_script_lint_finds_a_fault(tmp_path):
    """The configuration catches what it is for: a name used but never
    defined (a typo the browser meets only on that path) and one defined but
    never used."""
    bad = tmp_path / "page.js"
    bad.write_text((PAGE / "page.js").read_text(encoding="utf-8")
                   + "\nfunction late() { return undefinedHelper(1); }\n", encoding="utf-8")
    out = _lint_script(bad)
    assert out.returncode != 0
    assert "undefinedHelper" in out.stdout + out.stderr
    assert "late" in out.stdout + out.stderr


def _style_faults(css: str) -> list[str]:
    tinycss2 = pytest.importorskip("tinycss2", reason="tinycss2 (the test extra) is not installed")
    faults = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "error":
            faults.append(f"{rule.source_line}:{rule.source_column}: {rule.message}")
        elif rule.type == "qualified-rule":
            for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                    skip_whitespace=True):
                if d.type == "error":
                    faults.append(f"{d.source_line}:{d.source_column}: {d.message}")
        elif rule.type == "at-rule" and rule.content is not None:
            faults.extend(_style_faults(tinycss2.serialize(rule.content)))
    return faults


def test_page_style():
    assert _style_faults((PAGE / "page.css").read_text(encoding="utf-8")) == []


def test_page_style_lint_finds_a_fault():
    assert _style_faults("a { color: red; }\nb { color red; }\n}") != []
