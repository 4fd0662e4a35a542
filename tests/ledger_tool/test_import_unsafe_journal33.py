"""import refuses a ledger whose journal file links out of its folder or is
over the size cap, as check and report do (before: a warning, then the
import went ahead with that file's ids unknown); and every line of an error
naming several unreadable journals is known for ledger-tool's."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"
TABLE = "id,date,funder,purpose,amount,currency\nb3,2024-02-01,FR,Wall,777,EUR\n"
OUTSIDE = '[[entry]]\nid = "z1"\ndate = 2024-01-01\nfunder = "UK"\npurpose = "P"\n' \
          'amount = "1000"\ncurrency = "GBP"\n'


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def table(tmp_path) -> Path:
    t = tmp_path / "in.csv"
    t.write_text(TABLE, encoding="utf-8")
    return t


def test_a_journal_linking_out_is_refused_as_check_refuses_it(tmp_path, run_cli, table):
    book = tmp_path / "k"
    shutil.copytree(HARBOUR, book)
    out = tmp_path / "out"
    out.mkdir()
    (out / "ext.toml").write_text(OUTSIDE, encoding="utf-8")
    (book / "ext.toml").symlink_to(out / "ext.toml")
    assert run_cli("check", book)[0] == 1
    assert run_cli("report", book, "--out", tmp_path / "rep")[0] == 1
    before, outside = _tree(book), (out / "ext.toml").read_bytes()
    code, _, err = run_cli("import", table, "-o", book)
    assert code == 1 and "ext.toml" in err and "outside" in err and "nothing written" in err
    assert _tree(book) == before and (out / "ext.toml").read_bytes() == outside


def test_journals_over_the_cap_are_refused_each_line_prefixed(tmp_path, run_cli, table,
                                                              monkeypatch):
    book = tmp_path / "k"
    shutil.copytree(HARBOUR, book)
    monkeypatch.setenv("LEDGER_TOOL_MAX_FILE_SIZE", "1K")
    assert run_cli("check", book)[0] == 1
    before = _tree(book)
    code, _, err = run_cli("import", table, "-o", book)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) >= 2, err
    assert all(line.startswith("ledger-tool: import: ") and "limit" in line
               for line in lines), err
    assert _tree(book) == before
    code, _, err = run_cli("balance", book)          # load_ledger's list of errors
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) >= 3 and all(line.startswith("ledger-tool: ")
                                                 for line in lines), err
