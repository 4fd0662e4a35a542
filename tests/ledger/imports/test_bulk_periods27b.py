"""A bulk file's period columns (period_kind, start, years, end,
fiscal_year) are read by `import` as `check` reads the bulk file, so the
imported ledger (TOML or Parquet) counts every year as the bulk file does;
and a one-off with a start column is one rule however its period is
written (period text "one-off", "one-off from DAY", period_kind one-off)."""
from __future__ import annotations

import csv
import io

import pytest

G = """id,date,funder,purpose,amount,currency,period_kind,start,end,years
late,2020-06-01,UK,P:late,1000,GBP,one-off,2021-03-01,,
same,2020-06-01,UK,P:same,200,GBP,one-off,2020-06-01,,
early,2020-06-01,UK,P:early,300,GBP,one-off,2019-12-31,,
plain,2020-06-01,UK,P:plain,500,GBP,one-off,,,
py,2020-06-01,UK,P:py,1000,GBP,per-year,2021-03-01,,2
"""
# by hand: late 1000 in 2021, same 200 and plain 500 in 2020, early 300 in
# 2019; py £1000 a year from 2021-03-01 for 2 years: 306/365 of it in 2021
# (838.36), 1000 in 2022, 59/365 in 2023 (161.64)
BY_YEAR = {"2019": "300.00", "2020": "700.00", "2021": "1838.36", "2022": "1000.00",
           "2023": "161.64"}


def by_year(run_cli, ledger) -> dict[str, str]:
    code, out, err = run_cli("balance", ledger, "--currency", "GBP", "--by", "year",
                             "--format", "csv")
    assert code == 0, err
    return {r["year"]: r["amount"] for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "(total)"}


@pytest.mark.parametrize("out", ["g.toml", "g.parquet"])
def test_import_reads_the_period_columns_as_check_does(tmp_path, run_cli, out):
    src = tmp_path / "g.csv"
    src.write_text(G, encoding="utf-8")
    assert by_year(run_cli, src) == BY_YEAR
    dest = tmp_path / "new" / out
    dest.parent.mkdir()
    code, _, err = run_cli("import", src, "--to" if out.endswith(".parquet") else "-o", dest)
    assert code == 0, err
    assert "not imported" not in err
    assert by_year(run_cli, dest) == BY_YEAR


def test_a_bad_period_column_is_a_reject_naming_its_row(tmp_path, run_cli):
    src = tmp_path / "b.csv"
    src.write_text("id,date,funder,purpose,amount,currency,period_kind,start\n"
                   "ok,2020-06-01,UK,P:a,10,GBP,one-off,\n"
                   "bad,2020-06-01,UK,P:b,10,GBP,weekly,\n", encoding="utf-8")
    code, _, err = run_cli("check", src)
    assert code == 1 and "unknown period kind 'weekly'" in err
    dest = tmp_path / "new" / "b.toml"
    dest.parent.mkdir()
    code, _, err = run_cli("import", src, "-o", dest)
    line = next(x for x in err.splitlines() if "weekly" in x)
    assert "row 3" in line and "unknown period kind 'weekly'" in line
    assert 'id = "ok"' in dest.read_text(encoding="utf-8")
    assert 'id = "bad"' not in dest.read_text(encoding="utf-8")


def test_a_lone_start_column_of_a_spreadsheet_is_still_noted(tmp_path, run_cli):
    src = tmp_path / "s.csv"
    src.write_text("date,funder,purpose,amount,start\n2020-06-01,UK,P:a,£10,2021-03-01\n",
                   encoding="utf-8")
    dest = tmp_path / "new" / "s.toml"
    dest.parent.mkdir()
    code, _, err = run_cli("import", src, "-o", dest)
    assert code == 0, err
    assert "columns not imported: 'start'" in err


@pytest.mark.parametrize("period, kind", [("one-off", ""), ("one-off from 2021-03-01", ""),
                                          ("", "one-off"), ("", "")])
def test_a_one_off_with_a_start_is_one_rule(tmp_path, run_cli, period, kind):
    src = tmp_path / "p.csv"
    src.write_text("id,date,funder,purpose,amount,currency,period,period_kind,start\n"
                   f"a,2020-06-01,UK,P:a,1000,GBP,{period},{kind},2021-03-01\n",
                   encoding="utf-8")
    if not kind:   # without period_kind the start column is read beside the text
        text = src.read_text(encoding="utf-8").replace(",period_kind", "").replace(",,2021", ",2021")
        src.write_text(text, encoding="utf-8")
    code, _, err = run_cli("check", src)
    assert code == 0, err
    # paid on 2021-03-01, not on its date
    assert by_year(run_cli, src) == {"2021": "1000.00"}


def test_a_start_against_the_text_is_refused(tmp_path, run_cli):
    src = tmp_path / "p.csv"
    src.write_text("id,date,funder,purpose,amount,currency,period,start\n"
                   "b,2020-06-01,UK,P:b,100,GBP,one-off from 2021-03-01,2022-01-01\n",
                   encoding="utf-8")
    code, _, err = run_cli("check", src)
    assert code == 1
    assert "start: 2022-01-01 contradicts the period 'one-off from 2021-03-01'" in err
