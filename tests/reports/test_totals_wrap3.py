"""Totals past 64-bit integers: summed exactly or refused in one line, never
wrapped round (README, "Hostile input": report totals never wrap).

The ledger: one entry of £10^15 (the largest amount a journal accepts) a
year for 100 years from 1 January 2020, so each calendar year 2020-2119
holds £10^15 and the total is £10^17 = 10^19 pence, past int64's
9,223,372,036,854,775,807.  Wrapped round, the total read
-£84,467,440,737,095,516.16 (10^19 - 2^64 pence)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq

import ledger
from reports.columns import _minor
from reports.dataset import _merged_cells
from reports.valuation import Spec, basis_frame, value

TOTAL = Decimal(10) ** 17          # pounds: 10^15 a year x 100 years
TOTAL_PENCE = 10 ** 19


def _ledger(tmp_path):
    d = tmp_path / "big"
    d.mkdir()
    (d / "ledger.toml").write_text(
        '[ledger]\ncurrency = "GBP"\n\n[[entry]]\nid = "big"\ndate = 2020-01-01\n'
        'funder = "F"\npurpose = "P"\namount = "£1,000,000,000,000,000 a year for 100 years"\n',
        encoding="utf-8")
    return d


def _total_row(text: str) -> list[str]:
    return [r for r in csv.reader(io.StringIO(text)) if r and r[0] == "(total)"][0]


def test_report_total_past_int64_is_exact_everywhere(tmp_path, run_cli):
    book = _ledger(tmp_path)
    out = tmp_path / "r"
    code, stdout, err = run_cli("report", book, "--out", out, "--format", "csv")
    assert code == 0, err
    assert Decimal(_total_row(stdout)[2]) == TOTAL
    summary = (out / "summary.csv").read_text(encoding="utf-8")
    assert Decimal(_total_row(summary)[2]) == TOTAL
    entries = list(csv.DictReader(io.StringIO((out / "entries.csv").read_text(encoding="utf-8"))))
    assert [Decimal(r["normalised"]) for r in entries] == [TOTAL]
    assert pq.read_table(out / "entries.parquet").column("normalised").to_pylist() == [TOTAL]
    sheet = openpyxl.load_workbook(out / "report.xlsx")["Summary"]
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert cells["P"] == float(TOTAL)


def test_years_summed_back_exactly(tmp_path):
    book = ledger.load(_ledger(tmp_path), use_cache=False)
    for fast in (False, True):
        valued = value(book, Spec(currency="GBP"), fast=fast, by_year=True)
        assert len(valued.spread) == 100
        assert set(valued.spread["value_minor"].astype(object)) == {10 ** 17}
        rows, _ = basis_frame(valued, fast=fast)
        assert [int(v) for v in rows["value_minor"]] == [TOTAL_PENCE]


def test_minor_units_widen_before_a_sum_could_wrap():
    m = _minor(pd.DataFrame({"value_minor": np.array([2 ** 62, 2 ** 62, 2 ** 62], np.int64)}))
    assert int(m.sum()) == 3 * 2 ** 62
    small = _minor(pd.DataFrame({"value_minor": np.array([5, -7], np.int64)}))
    assert small.dtype == np.int64 and int(small.sum()) == -2


def test_partitions_cells_summed_past_int64():
    """Two partitions, each with a cell of 6 x 10^18 (fits int64): together
    12 x 10^18 (does not)."""
    def part(entry):
        cells = pd.DataFrame({"funder": ["F"], "minor": np.array([6 * 10 ** 18], np.int64)})
        return cells, np.array([entry]), np.array([0, 1])
    cells, flat, bounds = _merged_cells([part(0), part(1)], ["funder"])
    assert [int(v) for v in cells["minor"]] == [12 * 10 ** 18]
    assert sorted(flat.tolist()) == [0, 1]


def test_export_total_past_int64(tmp_path, run_cli):
    book = _ledger(tmp_path)
    code, _, err = run_cli("export", book, "--to", "csv", "--basis", "total",
                           "-o", tmp_path / "x.csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO((tmp_path / "x.csv").read_text(encoding="utf-8"))))
    assert [(Decimal(r["value"]), int(r["value_minor"])) for r in rows] == [(TOTAL, TOTAL_PENCE)]
    # Parquet's value_minor is int64: refused in one line, nothing written
    target = tmp_path / "y.parquet"
    code, out, err = run_cli("export", book, "--to", "parquet", "--basis", "total", "-o", target)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "'big'" in err and "value_minor" in err and str(TOTAL_PENCE) in err
    assert not target.exists() and list(tmp_path.glob("y.parquet*")) == []
