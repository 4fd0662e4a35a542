"""export --force never overwrites another ledger's journal, as report
--force never replaces another ledger's folder."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("fmt", ["csv", "hledger"])
def test_export_force_refuses_another_ledgers_journal(tmp_path, run_cli, fmt):
    mine, other = tmp_path / "h", tmp_path / "cal"
    shutil.copytree(EXAMPLES / "harbour", mine)
    shutil.copytree(EXAMPLES / "calais", other)
    one = tmp_path / "one.toml"          # a one-file ledger
    shutil.copy(other / "pledges.toml", one)
    for out in (other / "pledges.toml", one):
        before = out.read_bytes()
        code, _, err = run_cli("export", mine, "--to", fmt, "-o", out, "--force")
        assert code == 1 and str(out) in err and "journal" in err, err
        assert len(err.strip().splitlines()) == 1
        assert out.read_bytes() == before
    # report --force refuses the other ledger's folder alike
    before = sorted(p.name for p in other.iterdir())
    code, _, err = run_cli("report", mine, "--out", other, "--force")
    assert code == 1 and sorted(p.name for p in other.iterdir()) == before
    # any other existing file is still replaced with --force
    plain = tmp_path / "plain.txt"
    plain.write_text("mine")
    code, _, err = run_cli("export", mine, "--to", fmt, "-o", plain, "--force")
    assert code == 0, err
