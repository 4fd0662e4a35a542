"""Account names that differ only in case (``UK:HO`` and ``uk:ho``): one
rule everywhere (docs/reports.md).  The filters and ``--compare`` name an
account ignoring case, so both spellings are one account to them; the Book
keeps the spellings as written and ``check`` warns (``lookalike-account``);
the Comparison's Total never adds columns that contain one another.  The
ledger: ``a`` £2m from UK:HO, ``c`` £5m from uk:ho, both to Sec: £7m."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from ledger.rules.lookalike import lookalikes

LEDGER = """\
[ledger]
name = "case"
currency = "GBP"

[[entry]]
id = "a"
date = 2016-06-01
funder = "UK:HO"
purpose = "Sec"
amount = "£2m"

[[entry]]
id = "c"
date = 2016-06-01
funder = "uk:ho"
purpose = "Sec"
amount = "£5m"
"""
WHOLE = Decimal(7_000_000)


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "ledger.toml"
    path.write_text(LEDGER)
    return path


def test_names_equal_but_for_case_are_look_alikes():
    assert lookalikes(["UK:HO", "Sec", "uk:ho", "UK:Ho"]) == [("uk:ho", "UK:HO"),
                                                             ("UK:Ho", "UK:HO")]
    assert lookalikes(["UK:HO", "UK:HOME"]) == []


def test_check_warns_of_the_two_spellings(run_cli, ledger):
    code, _, err = run_cli("check", ledger)
    assert code == 0, err
    warned = [line for line in err.splitlines() if "'uk:ho'" in line and "'UK:HO'" in line]
    assert len(warned) == 1 and "entry 'c'" in warned[0], err


def _comparison(path):
    ws = openpyxl.load_workbook(path / "report.xlsx")["Comparison"]
    rows = list(ws.iter_rows(values_only=True))
    return rows[1], rows[2:]


def test_the_default_comparison_has_one_column_per_account(run_cli, ledger, tmp_path):
    code, _, err = run_cli("report", ledger, "--out", tmp_path / "r", "--format", "csv")
    assert code == 0, err
    head, rows = _comparison(tmp_path / "r")
    assert head == ("purpose", "UK", "Total")
    assert rows[0][:2] == ("Sec", WHOLE)


def test_the_funder_filter_and_the_column_agree(run_cli, ledger):
    for name in ("UK", "uk", "UK:HO"):
        code, out, err = run_cli("balance", ledger, "--funder", name, "--currency", "GBP",
                                 "--format", "csv")
        assert code == 0, err
        total = [Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
                 if r["account"] == "(total)"]
        assert total == [WHOLE]


@pytest.mark.parametrize("compare", [("UK", "UK:HO"), ("UK:HO", "UK"), ("UK", "uk")])
def test_overlapping_compare_columns_are_refused_in_one_line(run_cli, ledger, tmp_path,
                                                               compare):
    out = tmp_path / "r"
    code, _, err = run_cli("report", ledger, "--out", out, "--compare", compare[0],
                           "--compare", compare[1])
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "--compare" in lines[0] and "overlap" in lines[0], err
    assert "Traceback" not in err
    assert not (out / "report.xlsx").exists()


def test_disjoint_compare_columns_add_up(run_cli, ledger, tmp_path):
    # UK:HO holds both spellings (£7m); no other funder: one column, its Total £7m
    code, _, err = run_cli("report", ledger, "--out", tmp_path / "r", "--compare", "UK:HO",
                           "--format", "csv")
    assert code == 0, err
    head, rows = _comparison(tmp_path / "r")
    assert head == ("purpose", "UK:HO", "Total")
    assert rows[0][:2] == ("Sec", WHOLE)


def test_a_split_purpose_equal_but_for_case_is_warned_alike(run_cli, tmp_path):
    """A journal's split purpose was never compared ignoring case (the
    reader's shortcut looked at the entries' purposes alone), where the
    same rows as a bulk CSV warned; and the warning spoke of another
    script where only the case differs."""
    j = tmp_path / "j.toml"
    j.write_text('[[entry]]\nid = "a"\ndate = 2016-01-01\nfunder = "UK"\n'
                 'purpose = "Security:Dover"\namount = "£5m"\n\n'
                 '[[entry]]\nid = "b"\ndate = 2016-02-01\nfunder = "UK"\namount = "£17m"\n'
                 '[[entry.split]]\npurpose = "Humanitarian:Calais"\namount = "£10m"\n'
                 '[[entry.split]]\npurpose = "security:dover"\namount = "£7m"\n',
                 encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("id,date,funder,purpose,amount,currency\n"
                 "a,2016-01-01,UK,Security:Dover,5000000,GBP\n"
                 "b,2016-02-01,UK,Humanitarian:Calais,10000000,GBP\n"
                 "b,2016-02-01,UK,security:dover,7000000,GBP\n", encoding="utf-8")
    for path in (j, b):
        code, _, err = run_cli("check", path)
        assert code == 0, err
        warned = [x for x in err.splitlines() if "lookalike" in x or "only in case" in x]
        assert len(warned) == 1, err
        assert "'security:dover' differs from 'Security:Dover' (entry 'a') only in case" \
            in warned[0] and "another script" not in warned[0]
