"""--status on a partitioned dataset counts a linked entry as itself when
the filter leaves out its target in another partition (another year), as
on one bulk file of the same rows (``reports.filters.counted_as_themselves``):
every command's totals equal the bulk file's to the minor unit."""
from __future__ import annotations

import csv
import io
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.reports.linked_cases import STATUSES, linked_cases
from tests.reports.test_dataset import _sheets

COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "status", "disburses",
           "part_of", "restates", "tags", "sources"]


def case_rows(amounts, statuses, uncounted, links) -> list[dict]:
    """A linked case as rows, entry i in year 2016 + i % 3: a link often
    leads to another year's partition."""
    rows = []
    for i, amount in enumerate(amounts):
        row = {c: "" for c in COLUMNS}
        row.update(id=f"e{i}", date=f"{2016 + i % 3}-05-01", funder="UK", purpose="P",
                   amount=f"{amount}000000.5{i}", currency="GBP", status=statuses[i])
        if links[i]:
            row[links[i][0]] = f"e{links[i][1]}"
        if uncounted[i]:
            row["tags"] = "not-counted"
        rows.append(row)
    return rows


def write_both(root: Path, rows: list[dict]) -> tuple[Path, Path]:
    """``rows`` as one bulk CSV file and as a dataset partitioned by year."""
    bulk = root / "one.csv"
    with open(bulk, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, COLUMNS)
        w.writeheader()
        w.writerows(rows)
    ds = root / "ds.parquet"
    by_year: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_year[r["date"][:4]].append(r)
    for year, rs in by_year.items():
        (ds / f"year={year}").mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({c: [r[c] for r in rs] for c in COLUMNS}),
                       ds / f"year={year}" / "part-0.parquet")
    return bulk, ds


def _out(run_cli, *args) -> str:
    code, out, err = run_cli(*map(str, args))
    assert code == 0, err
    return out


def _balance(text: str) -> dict:
    return {(r["account"], r["currency"]): Decimal(r["amount"])
            for r in csv.DictReader(io.StringIO(text))}


def _exported(text: str) -> dict:
    """value_minor counted (primary) per id: what every total adds up."""
    return {r["id"]: (r["primary"], int(r["value_minor"]))
            for r in csv.DictReader(io.StringIO(text))}


def _result(run_cli, parse, *args):
    """(exit code, ``parse`` of stdout when it is 0): no entry left is an error both ways."""
    code, out, err = run_cli(*map(str, args))
    assert code in (0, 1, 2), err
    return code, parse(out) if code == 0 else None


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(linked_cases(tagged=True), st.sampled_from(STATUSES))
@example(([3, 2], ["pledged", "disbursed"], [False, False], [None, ("disburses", 0)]),
         "disbursed")
def test_every_status_filter_gives_the_bulk_files_totals(run_cli, case, status):
    with tempfile.TemporaryDirectory() as tmp:
        bulk, ds = write_both(Path(tmp), case_rows(*case))
        for args in (["--format", "csv", "--status", status],
                     ["--format", "csv", "--status", status, "--currency", "GBP"]):
            one = _result(run_cli, _balance, "balance", bulk, *args)
            assert _result(run_cli, _balance, "balance", ds, *args) == one
        args = ["--to", "csv", "-o", "-", "--status", status]
        one = _result(run_cli, _exported, "export", bulk, *args)
        assert _result(run_cli, _exported, "export", ds, *args) == one


def _by_status(report: Path) -> dict:
    rows = _sheets(report / "report.xlsx")["By status"]
    head = next(r for r in rows if r and r[0] == "funder")
    return {r[0]: dict(zip(head, r)) for r in rows[rows.index(head) + 1:] if r and r[0]}


def test_a_disbursement_of_a_pledge_in_another_year(run_cli, tmp_path):
    """£10m pledged in 2019, £4m of it disbursed in 2020 (another partition):
    --status disbursed counts the £4m as itself, paid £4m, outstanding 0."""
    rows = [dict.fromkeys(COLUMNS, "") for _ in range(2)]
    rows[0].update(id="p", date="2019-03-01", funder="UK", purpose="P", amount="10000000",
                   currency="GBP", status="pledged")
    rows[1].update(id="d", date="2020-03-01", funder="UK", purpose="P", amount="4000000",
                   currency="GBP", status="disbursed", disburses="p")
    bulk, ds = write_both(tmp_path, rows)
    for path in (bulk, ds):
        code, out, err = run_cli("balance", str(path), "--format", "csv", "--currency", "GBP",
                                 "--status", "disbursed")
        assert code == 0, err
        assert _balance(out)[("(total)", "GBP")] == Decimal("4000000.00")
        assert "so each counts as itself: d." in err      # said, as on one file
        got = _balance(_out(run_cli, "balance", path, "--format", "csv", "--currency", "GBP",
                            "--status", "pledged"))
        assert got[("(total)", "GBP")] == Decimal("10000000.00")
    for path in (bulk, ds):
        out = tmp_path / f"r-{path.name}"
        _out(run_cli, "report", path, "--out", out, "--status", "disbursed")
        row = _by_status(out)["UK"]
        disbursed, total, paid = (Decimal(str(row[k])) for k in ("disbursed", "total", "paid"))
        assert (disbursed, paid, total - paid) == (4000000, 4000000, 0)   # outstanding: a formula


@pytest.mark.parametrize("status", STATUSES)
def test_the_reports_status_table_is_the_bulk_files(run_cli, tmp_path, status):
    """A chain across three years: pledge 2016, a part of it 2017 (spent),
    a disbursement of the part 2018 (disbursed), a second pledge restated
    in 2018; every column of the status table as the bulk file's."""
    case = ([9, 5, 2, 7, 3], ["pledged", "spent", "disbursed", "committed", "disbursed"],
            [False] * 5, [None, ("part_of", 0), ("disburses", 1), None, ("restates", 3)])
    bulk, ds = write_both(tmp_path, case_rows(*case))
    got = []
    for path in (bulk, ds):
        out = tmp_path / f"r-{path.name}"
        _out(run_cli, "report", path, "--out", out, "--status", status)
        got.append(_by_status(out))
    assert got[1] == got[0]


def test_on_a_cluster_a_target_in_another_partition(run_cli, tmp_path):
    """The same on a LocalCluster of worker processes: the links' facts of
    every partition come back from the workers."""
    distributed = pytest.importorskip("distributed")
    case = ([9, 5, 2, 7, 3], ["pledged", "spent", "disbursed", "committed", "disbursed"],
            [False] * 5, [None, ("part_of", 0), ("disburses", 1), None, ("restates", 3)])
    bulk, ds = write_both(tmp_path, case_rows(*case))
    args = ["--format", "csv", "--currency", "GBP", "--status", "disbursed"]
    one = _balance(_out(run_cli, "balance", bulk, *args))
    assert one[("(total)", "GBP")] == Decimal("5000001.06")   # e2 2000000.52, e4 3000000.54
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        got = _balance(_out(run_cli, "balance", ds, *args, "--scheduler",
                            cluster.scheduler_address))
    assert got == one
