"""ledger_tool/dataset_scan.py: the horizon's second pass of an export."""
from __future__ import annotations

import argparse

from ledger_tool.dataset_scan import export_scan
from reports.options import ReportOptions
from reports.valuation import Spec
from tests.ledger.read.test_dataset import write_dataset
from tests.ledger_tool.test_dataset_list_export import OPEN, ROWS


def _horizon_given(book, options: dict):
    return options["horizon"]


def test_the_horizons_pass_leaves_the_callers_options_as_given(tmp_path):
    """A partition holds an amount a year with no end: the second pass gets
    the dataset's horizon in its own copy of the options; the options the
    caller passed still say none was given."""
    root = write_dataset(tmp_path / "in.parquet", ROWS + [OPEN])
    options = {"currency": "GBP", "horizon": None}
    got: list = []
    args = argparse.Namespace(ledger=str(root), scheduler=None)
    export_scan(args, _horizon_given, (options,), got.append,
                spec=Spec.of(ReportOptions(currency="GBP")), options=options,
                restart=got.clear)
    assert options == {"currency": "GBP", "horizon": None}
    # the open entry (2020, a year with no end) is valued to a year after it
    assert got and len(set(got)) == 1 and int(got[0]) >= 2020
