"""An export of a partitioned dataset whose partitions write their amounts
with different numbers of decimal places is byte for byte the export of the
same rows as one bulk file, which reads every amount at the file's largest
number of places (``ledger.read.dataset.amount_places``)."""
from __future__ import annotations

import pytest

from tests.reports.test_dataset import _dataset_and_bulk

ROWS = [
    {"id": "whole", "date": "2019-01-01", "funder": "UK", "purpose": "Health", "amount": "5",
     "currency": "EUR", "sources": "d"},
    {"id": "fine", "date": "2020-01-01", "funder": "UK", "purpose": "Health",
     "amount": "7.125", "currency": "GBP", "sources": "d"},
    {"id": "half", "date": "2020-02-01", "funder": "France", "purpose": "Port", "amount": "7.5",
     "currency": "USD", "sources": "d"},
]


def _largest_places(rows) -> int:
    return max(len(r["amount"].partition(".")[2]) for r in rows)


@pytest.mark.parametrize("fmt,basis", [("hledger", "total"), ("hledger", "recorded"),
                                       ("beancount", "recorded"), ("csv", "recorded")])
def test_amounts_as_written_take_the_whole_datasets_places(tmp_path, run_cli, fmt, basis):
    root, bulk = _dataset_and_bulk(tmp_path / "places", ROWS)
    for ledger, name in ((root, "d"), (bulk, "w")):
        code, _, err = run_cli("export", ledger, "--to", fmt, "--basis", basis,
                               "-o", tmp_path / f"{name}.{fmt}")
        assert code == 0, err
    mine, theirs = ((tmp_path / f"{n}.{fmt}").read_text(encoding="utf-8") for n in "dw")
    assert mine == theirs
    # the 2019 partition's whole amount, at the 2020 partition's three places
    five = "5." + "0" * _largest_places(ROWS)
    assert {"hledger": f'; amount as written "EUR {five}"',
            "beancount": f'amount-text: "EUR {five}"',
            "csv": f",{five} EUR,{five},"}[fmt] in mine
