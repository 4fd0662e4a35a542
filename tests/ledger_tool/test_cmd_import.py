"""ledger-tool import: the imported records' warnings are said at import
time, as ``check`` words them of the entries written (at the input's row or
item), counted in the summary and capped; they never change what is written."""
from __future__ import annotations

import re

import pyarrow.dataset as ds

from tests.conftest import FIXTURES

IATI = FIXTURES / "iati" / "activities-v2.xml"

# two rows of one id: one entry in two parts, both naming one purpose; no source
ONE_PURPOSE_TWICE = ("id,date,funder,purpose,amount,currency,status\n"
                     "a,2020-01-01,UK,Health,10,GBP,pledged\n"
                     "a,2020-01-01,UK,Health,5,GBP,pledged\n")


def _check_warnings(run_cli, ledger) -> list[tuple[str, str]]:
    """(entry id, what is wrong) of each warning ``check`` gives the ledger."""
    code, out, err = run_cli("check", ledger)
    assert code == 0, err
    found = [re.fullmatch(r"[^:]+:\d+: entry '([^']*)': warning: (.*)", line)
             for line in (out + err).splitlines() if ": warning: " in line]
    assert all(found), out + err
    return [(m[1], m[2]) for m in found if m]


def _import_warnings(err: str, where: str) -> list[tuple[str, str]]:
    """(entry id, what is wrong) of each warning the import said at ``where``."""
    got = []
    for line in err.splitlines():
        if line.startswith("ledger-tool: import: warning: "):
            m = re.fullmatch(rf"ledger-tool: import: warning: {re.escape(where)}: "
                             rf"entry '([^']*)': (.*)", line)
            assert m, line
            got.append((m[1], m[2]))
    return got


def test_a_spreadsheet_import_says_the_warnings_check_gives(run_cli, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text(ONE_PURPOSE_TWICE, encoding="utf-8")
    out = tmp_path / "o.toml"
    code, _, err = run_cli("import", sheet, "-o", out)
    assert code == 0, err
    said = _import_warnings(err, f"{sheet}: row 2")
    assert sorted(said) == sorted(_check_warnings(run_cli, out))
    assert [m.split(":")[0] for _, m in said] == [
        "split purpose 'Health' is named by an earlier part of the entry too", "no source"]
    assert err.splitlines()[-1] == f"ledger-tool: import: 1 entry written to {out}, 2 warning(s)"
    # both parts are written as they were given: the warning changes nothing
    assert out.read_text(encoding="utf-8").count('purpose = "Health"') == 2


def test_warnings_are_capped_and_the_rest_counted(run_cli, tmp_path, monkeypatch):
    sheet = tmp_path / "s.csv"
    sheet.write_text(ONE_PURPOSE_TWICE, encoding="utf-8")
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", "1")
    code, toml, err = run_cli("import", sheet, "-o", tmp_path / "o.toml", "--dry-run")
    assert code == 0 and 'purpose = "Health"' in toml
    lines = err.splitlines()
    assert len(_import_warnings(err, f"{sheet}: row 2")) == 1
    assert "ledger-tool: import: ... and 1 more message(s) not shown (set " \
           "LEDGER_TOOL_MAX_MESSAGES=0 to see them all)" in lines
    assert lines[-1].endswith(", 0 row(s) rejected, 2 warning(s)")


def test_a_dataset_import_says_the_warnings_capped(run_cli, tmp_path, monkeypatch):
    sheet = tmp_path / "s.csv"
    sheet.write_text(ONE_PURPOSE_TWICE, encoding="utf-8")
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", "1")
    target = tmp_path / "d.parquet"
    code, _, err = run_cli("import", sheet, "--to", target)
    assert code == 0, err
    said = _import_warnings(err, f"{sheet}: row 2")
    assert len(said) == 1 and said[0][1].startswith("split purpose 'Health'")
    assert "ledger-tool: import: ... and 1 more message(s) not shown" in err
    assert ", 0 skipped by rule, 2 warning(s); written to" in err.splitlines()[-1]
    assert ds.dataset(target, partitioning="hive").to_table().num_rows == 2


def test_an_iati_import_says_the_warnings_check_gives(run_cli, tmp_path):
    # the ledger names the funder of the IATI file with a Cyrillic 'О': a lookalike
    folder = tmp_path / "ledger"
    folder.mkdir()
    (folder / "hand.toml").write_text(
        '[[document]]\nid = "press"\n\n[[entry]]\nid = "hand-1"\ndate = 2016-02-01\n'
        'funder = "Foreign, Commonwealth and Development \u041effice"\n'
        'purpose = "Health"\namount = "5"\ncurrency = "GBP"\nstatus = "committed"\n'
        '  [[entry.source]]\n  doc = "press"\n  quote = "5"\n', encoding="utf-8")
    assert _check_warnings(run_cli, folder) == []
    code, _, err = run_cli("import", "--from", "iati", IATI, "-o", folder)
    assert code == 0, err
    said = _import_warnings(err, f"{IATI}: activity 'GB-GOV-1-300001' transaction 'P1' "
                                 f"(line 30)")
    assert said == _check_warnings(run_cli, folder)
    assert said[0][0] == "iati-gb-gov-1-300001-t-p1"
    assert "looks like 'Foreign, Commonwealth and Development \u041effice'" in said[0][1]
    assert err.splitlines()[-1].endswith(", 1 warning(s); written to "
                                         f"{folder / 'iati.toml'}")
