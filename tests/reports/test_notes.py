"""reports.notes: the notes on entries in a currency with no published
rates, on a dataset: the ledger's rate table is read once for the command
(not once a partition), and not at all when every currency is one the ECB
publishes every day."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import reports.notes as notes


def write_dataset(root: Path, currency: str, restated: str) -> Path:
    """An entry a year, 2019 to 2021, each in its year's partition."""
    for y in (2019, 2020, 2021):
        (root / f"year={y}").mkdir(parents=True)
        pq.write_table(pa.table({
            "id": [f"e{y}"], "date": [f"{y}-03-01"], "funder": ["UK"], "purpose": ["P"],
            "amount": ["1000000"], "currency": [currency], "restated": [restated],
            "sources": ["d"]}), root / f"year={y}" / "part-0.parquet")
    return root


@pytest.fixture
def reads(monkeypatch):
    """How many times the ledger's rate table is read."""
    count = {"n": 0}
    real = notes.load_rates

    def counted(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)
    monkeypatch.setattr(notes, "load_rates", counted)
    notes._ledger_rates.cache_clear()
    return count


def test_a_datasets_rates_are_read_once(tmp_path, run_cli, reads):
    root = write_dataset(tmp_path / "xaf.parquet", "XAF", "EUR 1524.49")
    code, out, err = run_cli("balance", root, "--currency", "EUR")
    assert code == 0, err
    # three partitions, each entry in XAF (no published rate) with its restatement
    assert "3 entries in XAF, a currency with no published exchange rates" in err
    assert "€4,573.47" in out     # 3 x 1,524.49: their own restatements
    assert reads["n"] == 1


def test_no_rates_read_when_every_currency_is_published(tmp_path, run_cli, reads):
    root = write_dataset(tmp_path / "gbp.parquet", "GBP", "")
    code, out, err = run_cli("balance", root, "--currency", "EUR")
    assert code == 0, err
    assert reads["n"] == 0
