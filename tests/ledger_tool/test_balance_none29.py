"""``balance`` with filters that match nothing: the warning naming the
filters and an empty balance, exit 0, with --currency as without it, for a
journal and a dataset alike (it was exit 2, the status of a malformed
command line, with --currency; README.md); ``report`` and ``export`` stop
with exit 1 (docs/guarantees.md)."""
from __future__ import annotations

import json

import pytest

from tests.ledger.read.test_dataset import write_dataset

JOURNAL = """\
[ledger]
currency = "GBP"

[[entry]]
id = "a"
date = 2016-07-01
funder = "UK"
purpose = "P"
amount = "£10m a year"
"""
ROWS = [{"id": "a", "date": "2016-07-01", "funder": "UK", "purpose": "P", "amount": "10000000",
         "currency": "GBP", "period": "per year", "sources": "d"}]


@pytest.fixture(params=["journal", "dataset"])
def ledger(request, tmp_path):
    if request.param == "journal":
        f = tmp_path / "l.toml"
        f.write_text(JOURNAL, encoding="utf-8")
        return f
    return write_dataset(tmp_path / "ds.parquet", ROWS)


@pytest.mark.parametrize("currency", [[], ["--currency", "GBP"], ["--currency", "EUR"]])
def test_balance_matching_nothing_warns_and_exits_0(run_cli, ledger, currency):
    code, out, err = run_cli("balance", ledger, "--funder", "Nobody", "--format", "json",
                             *currency)
    assert code == 0, err
    assert json.loads(out) == []
    assert "no entries match the filters (--funder Nobody)" in err
    assert "Traceback" not in err


def test_report_matching_nothing_stops_with_1(run_cli, tmp_path):
    src = tmp_path / "l.toml"
    src.write_text(JOURNAL, encoding="utf-8")
    code, _, err = run_cli("report", src, "--funder", "Nobody", "--out", tmp_path / "r")
    assert code == 1 and "no entries match the filters" in err
    assert not (tmp_path / "r").exists()
