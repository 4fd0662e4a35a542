"""``fiscal_year_start`` in every spelling ``check`` accepts ("07-01",
"7-1", "--07-01", " 07-01") gives the same period words in ``list --format
csv`` and ``export --to csv|parquet``; a start that is 1 April however it is
written keeps the words "fiscal year 2017-18"."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

LEDGER = """\
[ledger]
name = "fy"
currency = "GBP"
fiscal_year_start = "{start}"

[[entry]]
id = "f-fy"
date = 2017-08-01
funder = "UK:Gov"
purpose = "Aid:Food"
amount = "£5,000,000"
period = "fiscal year 2017-18"
"""
# written by hand: the fiscal year 2017-18 from 1 July is 1 July 2017 - 30 June 2018
JULY = "from 2017-07-01 to 2018-06-30"


def _ledger(tmp_path, start: str):
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "ledger.toml").write_text(LEDGER.format(start=start), encoding="utf-8")
    return tmp_path / "L"


def _periods(run_cli, ledger, how: str, tmp_path) -> list[str]:
    if how == "list":
        code, out, err = run_cli("list", ledger, "--format", "csv")
        assert code == 0, err
        return [r["period"] for r in csv.DictReader(io.StringIO(out))]
    path = tmp_path / f"t.{how}"
    code, _, err = run_cli("export", ledger, "--to", how, "-o", path)
    assert code == 0, err
    assert "Traceback" not in err
    if how == "csv":
        return [r["period"] for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))]
    return [str(p) for p in pd.read_parquet(path)["period"]]


@pytest.mark.parametrize("how", ["list", "csv", "parquet"])
@pytest.mark.parametrize("start", ["07-01", "7-1", "--07-01", " 07-01"])
def test_every_spelling_of_1_july_gives_its_days(tmp_path, run_cli, how, start):
    code, _, err = run_cli("check", _ledger(tmp_path, start))
    assert code == 0, err
    assert _periods(run_cli, tmp_path / "L", how, tmp_path) == [JULY]


@pytest.mark.parametrize("how", ["list", "csv", "parquet"])
@pytest.mark.parametrize("start", ["04-01", "4-1", "--04-01", " 04-01"])
def test_every_spelling_of_1_april_keeps_the_words(tmp_path, run_cli, how, start):
    assert _periods(run_cli, _ledger(tmp_path, start), how, tmp_path) == ["fiscal year 2017-18"]
