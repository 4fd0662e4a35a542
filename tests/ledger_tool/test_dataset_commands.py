"""The dataset commands on a Dask distributed cluster (a LocalCluster of
worker processes on the loopback address): every total equals the
single-process run to the minor unit, and the raw Parquet's."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tests.conftest import generate_module
from tests.ledger.read.test_dataset import balance_csv, recorded_by_hand
from tests.reports.test_dataset import TOTALS_SHEETS, _page, _sheets

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=3, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as c:
        yield c.scheduler_address


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    d = tmp_path_factory.mktemp("cl") / "gen.parquet"
    generate_module().write_dataset(d, 2000, seed=11, chunk=500)
    return d


def _run(run_cli, *args):
    code, out, err = run_cli(*map(str, args))
    assert code == 0, err
    return out


def test_balances_on_the_cluster_equal_the_local_run(run_cli, cluster, dataset):
    for extra in ([], ["--currency", "GBP"], ["--currency", "USD", "--by", "year"],
                  ["--currency", "GBP", "--basis", "recorded"]):
        local = _run(run_cli, "balance", dataset, "--format", "csv", *extra)
        remote = _run(run_cli, "balance", dataset, "--format", "csv", "--scheduler", cluster,
                      *extra)
        assert remote == local
        assert balance_csv(local, with_year="--by" in extra)   # not empty
    recorded = balance_csv(_run(run_cli, "balance", dataset, "--format", "csv", "--scheduler",
                                cluster))
    assert {k: v for k, v in recorded.items() if k[0] != "(total)"} == recorded_by_hand(dataset)


def test_report_and_check_on_the_cluster(run_cli, cluster, dataset, tmp_path, monkeypatch):
    local = _run(run_cli, "report", dataset, "--out", tmp_path / "a", "--format", "csv")
    monkeypatch.setenv("LEDGER_TOOL_SCHEDULER", cluster)     # the variable, no option
    remote = _run(run_cli, "report", dataset, "--out", tmp_path / "b", "--format", "csv")
    assert remote == local
    for name in ("summary", "by_purpose", "by_funder", "by_year", "by_status"):
        assert (tmp_path / "a" / f"{name}.csv").read_text() == \
            (tmp_path / "b" / f"{name}.csv").read_text()
    total = {r["funder"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(remote))}
    gbp = balance_csv(_run(run_cli, "balance", dataset, "--currency", "GBP", "--format", "csv"))
    assert total["(total)"] == gbp[("(total)", "GBP")]
    assert "2000 entries" in _run(run_cli, "check", dataset)
    # the workbook and the page, from the cluster's partial results, as the local run's
    sheets_a, sheets_b = (_sheets(tmp_path / d / "report.xlsx") for d in "ab")
    for sheet in (*TOTALS_SHEETS, "Entries", "Sources"):
        assert sheets_b[sheet] == sheets_a[sheet], sheet
    page_a, page_b = (_page(tmp_path / d / "report.html") for d in "ab")
    assert page_b["cells"] == page_a["cells"] and page_b["entries"] == page_a["entries"]


def test_an_unreachable_scheduler_is_one_line(run_cli, dataset):
    code, out, err = run_cli("balance", str(dataset), "--scheduler", "tcp://127.0.0.1:9")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "127.0.0.1:9" in err


def test_converted_total_on_the_cluster_by_hand(run_cli, cluster, tmp_path):
    """The rows of tests/ledger/read/test_dataset.py's HAND_ROWS, counted by hand there."""
    from tests.ledger.read.test_dataset import HAND_ROWS, HAND_TOTAL, write_dataset

    ds = write_dataset(tmp_path / "hand.parquet", HAND_ROWS)
    got = balance_csv(_run(run_cli, "balance", ds, "--currency", "GBP", "--format", "csv",
                           "--scheduler", cluster))
    assert got[("(total)", "GBP")] == HAND_TOTAL
    assert got[("Purposes:Health", "GBP")] == Decimal(1000)


def test_exports_on_the_cluster_equal_the_local_run(run_cli, cluster, dataset, tmp_path):
    for fmt in ("beancount", "parquet"):
        for name, extra in (("a", []), ("b", ["--scheduler", cluster])):
            _run(run_cli, "export", dataset, "--to", fmt, "-o", tmp_path / f"{name}.{fmt}",
                 *extra)
        assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()
