"""The running year's yearly-average note goes with the figures: every
command that values with it says it (balance, report, export, a dataset's
balance), each time it runs, once per command, through the valuation's
notes (``Valued.rate_notes``), not printed by ``rates`` itself."""
from __future__ import annotations

import datetime as dt
import pytest

from tests.ledger.read.test_dataset import write_dataset
from tests.rates.ecb_raw import ecb_rates


def _last_usd_day() -> dt.date:
    """The last day the bundled ECB file gives USD, from the raw file."""
    return max(ecb_rates()["USD"])


@pytest.fixture
def running(tmp_path):
    last = _last_usd_day()
    if last.month == 12 and last.day >= 24:
        pytest.skip(f"the bundled rates reach {last}: no running year left to note")
    (tmp_path / "ledger.toml").write_text('[ledger]\nname = "t"\ncurrency = "GBP"\n')
    (tmp_path / "p.toml").write_text(
        f'[[entry]]\nid = "usd-run"\ndate = {last.year}-{last.month:02d}-01\nfunder = "US"\n'
        'purpose = "E"\namount = "$1,000,000"\nstatus = "pledged"\n')
    return tmp_path, last


def _said(err: str, last: dt.date) -> list[str]:
    return [ln for ln in err.splitlines()
            if f"{last.year} yearly average USD->GBP" in ln and str(last) in ln]


def test_balance_says_it_every_time_it_runs(running, run_cli):
    ledger, last = running
    for _ in range(2):   # in one process: a once-per-process set said it only the first time
        code, _, err = run_cli("balance", ledger, "--currency", "GBP",
                               "--valuation", "yearly-average")
        assert code == 0, err
        said = _said(err, last)
        assert len(said) == 1 and said[0].startswith("ledger-tool: balance: note: "), err


def test_report_and_export_say_it(running, run_cli, tmp_path):
    ledger, last = running
    code, _, err = run_cli("report", ledger, "--currency", "GBP", "--valuation",
                           "yearly-average", "--out", tmp_path / "r")
    assert code == 0, err
    assert len(_said(err, last)) == 1, err
    code, _, err = run_cli("export", ledger, "--to", "csv", "-o", tmp_path / "e.csv",
                           "--currency", "GBP", "--valuation", "yearly-average")
    assert code == 0, err
    assert len(_said(err, last)) == 1, err


def test_a_dataset_says_it_once_for_all_its_partitions(running, run_cli, tmp_path):
    _, last = running
    rows = [{"id": f"u{y}", "date": f"{last.year}-{m:02d}-01", "funder": "US", "purpose": "E",
             "amount": "1000", "currency": "USD", "sources": "d"}
            for y, m in ((1, 1), (2, last.month))]
    rows.append({"id": "old", "date": "2019-05-01", "funder": "US", "purpose": "E",
                 "amount": "1000", "currency": "USD", "sources": "d"})
    root = write_dataset(tmp_path / "d.parquet", rows)
    code, _, err = run_cli("balance", root, "--currency", "GBP", "--valuation", "yearly-average")
    assert code == 0, err
    assert len(_said(err, last)) == 1, err
