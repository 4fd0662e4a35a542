"""``list`` and ``export`` on a partitioned dataset: the table's columns are
as wide as their widest cell in any partition (the table of the same rows
read as one bulk file, byte for byte), and an output that is a folder is one
line of usage, exit 1."""
from __future__ import annotations

import pytest

from tests.ledger.read.test_dataset import write_dataset

ROWS = [
    {"id": "a", "date": "2019-01-01", "funder": "UK", "purpose": "P", "amount": "5",
     "currency": "GBP", "sources": "d"},
    # a later partition's cells longer than any of the first's
    {"id": "a-much-longer-id", "date": "2020-02-01",
     "funder": "France:Ministère de l'Intérieur", "purpose": "Port:Calais:Security fencing",
     "amount": "1234567.89", "currency": "EUR", "sources": "d"},
    {"id": "b", "date": "2021-03-01", "funder": "UK", "purpose": "P", "amount": "7",
     "currency": "JPY", "sources": "d"},
]


def _both(tmp_path):
    ds = write_dataset(tmp_path / "in.parquet", ROWS)
    bulk = tmp_path / "in.csv"
    cols = list(ROWS[0])
    bulk.write_text(",".join(cols) + "\n" + "".join(
        ",".join(f'"{r[c]}"' for c in cols) + "\n" for r in ROWS), encoding="utf-8")
    return ds, bulk


def test_the_list_table_is_as_wide_as_every_partitions_cells(tmp_path, run_cli):
    ds, bulk = _both(tmp_path)
    got = run_cli("list", ds)
    want = run_cli("list", bulk)
    assert got[0] == want[0] == 0, got[2] + want[2]
    assert got[1] == want[1]
    lines = got[1].splitlines()
    # by hand: the funder column is as wide as the longest funder, in 2020's partition
    rule = lines[1].split("  ")
    head = lines[0].split()
    assert len(rule[head.index("funder")]) == len("France:Ministère de l'Intérieur")
    # every row's cells start where the header's do
    start = lines[0].index("funder")
    assert [line[start:].split("  ")[0].strip() for line in lines[2:]] == \
        ["UK", "France:Ministère de l'Intérieur", "UK"]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "hledger", "beancount"])
def test_export_to_a_folder_is_one_line_of_usage(tmp_path, run_cli, fmt):
    ds, bulk = _both(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    for ledger in (ds, bulk):
        for extra in ([], ["--force"]):
            code, out, err = run_cli("export", ledger, "--to", fmt, "-o", folder, *extra)
            assert code == 1 and out == "", err
            assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
            assert str(folder) in err and "is a folder" in err, err
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "hledger"])
def test_export_to_a_new_folders_name_writes_no_file(tmp_path, run_cli, fmt):
    """``-o new/`` (a folder that does not exist yet) once wrote a file
    named ``new``: refused in one line, nothing written."""
    ds, bulk = _both(tmp_path)
    for ledger in (ds, bulk):
        code, out, err = run_cli("export", ledger, "--to", fmt, "-o", f"{tmp_path / 'new'}/")
        assert code == 1 and out == "", err
        assert len(err.strip().splitlines()) == 1 and "names a folder" in err, err
        assert not (tmp_path / "new").exists()


OPEN = {"id": "o", "date": "2020-06-01", "funder": "UK", "purpose": "P", "amount": "3",
        "currency": "GBP", "sources": "d", "period": "per year"}


def _in_date_order(tmp_path, rows):
    """``rows`` in date order as a dataset and as one bulk CSV, every amount
    at two places."""
    rows = sorted(({**r, "amount": f"{float(r['amount']):.2f}"} for r in rows),
                  key=lambda r: r["date"])
    ds = write_dataset(tmp_path / "in.parquet", rows)
    cols = ["id", "date", "funder", "purpose", "amount", "currency", "sources", "period"]
    bulk = tmp_path / "in.csv"
    bulk.write_text(",".join(cols) + "\n" + "".join(
        ",".join(f'"{r.get(c, "")}"' for c in cols) + "\n" for r in rows), encoding="utf-8")
    return ds, bulk


@pytest.mark.parametrize("fmt", ["csv", "parquet", "hledger", "beancount", "fdp"])
@pytest.mark.parametrize("rows, passes", [(ROWS, 1), (ROWS + [OPEN], 2)])
def test_an_export_reads_the_dataset_once_unless_an_amount_is_open_ended(
        tmp_path, run_cli, monkeypatch, fmt, rows, passes):
    """No --horizon: the pass that writes the rows also gathers the
    horizon's facts; a second pass only when a partition holds an amount a
    year with no end. The files are those of the same rows as one bulk CSV."""
    import ledger_tool.dataset_scan as dc

    ds, bulk = _in_date_order(tmp_path, rows)
    real, count = dc.scan, []

    def counted(*a, **kw):
        count.append(1)
        return real(*a, **kw)
    monkeypatch.setattr(dc, "scan", counted)
    # (csv and parquet write amounts as recorded unless asked: no horizon)
    total = ["--basis", "total"] if fmt in ("csv", "parquet") else []
    got = run_cli("export", ds, "--to", fmt, "-o", tmp_path / f"d.{fmt}", *total)
    assert got[0] == 0, got[2]
    assert len(count) == passes
    want = run_cli("export", bulk, "--to", fmt, "-o", tmp_path / f"b.{fmt}", *total)
    assert want[0] == 0, want[2]
    if fmt == "fdp":
        for name in ("ledger.csv", "datapackage.json"):
            assert (tmp_path / f"d.{fmt}" / name).read_bytes() == \
                (tmp_path / f"b.{fmt}" / name).read_bytes()
    elif fmt == "parquet":
        import pyarrow.parquet as pq
        assert pq.read_table(tmp_path / "d.parquet").to_pylist() == \
            pq.read_table(tmp_path / "b.parquet").to_pylist()
    else:
        assert (tmp_path / f"d.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()
    assert got[2].replace(str(tmp_path / f"d.{fmt}"), "X") == \
        want[2].replace(str(tmp_path / f"b.{fmt}"), "X")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_per_year_export_takes_no_default_horizon(tmp_path, run_cli, fmt):
    """--basis per-year counts an amount a year in each year it names and
    leaves an open-ended one open (no total to close): a dataset takes no
    default horizon there either, as one bulk file of its rows does not."""
    ds, bulk = _in_date_order(tmp_path, ROWS + [OPEN])
    got = run_cli("export", ds, "--to", fmt, "--basis", "per-year", "-o", tmp_path / f"d.{fmt}")
    want = run_cli("export", bulk, "--to", fmt, "--basis", "per-year", "-o", tmp_path / f"b.{fmt}")
    assert got[0] == want[0] == 0, got[2]
    assert "horizon" not in got[2]
    if fmt == "parquet":
        import pyarrow.parquet as pq
        assert pq.read_table(tmp_path / "d.parquet").to_pylist() == \
            pq.read_table(tmp_path / "b.parquet").to_pylist()
    else:
        assert (tmp_path / "d.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_an_fdp_export_is_never_written_into_the_dataset_nor_streamed(tmp_path, run_cli):
    """The journal's output checks hold on a dataset: -o naming the dataset
    itself (fdp writes a folder) is refused and leaves it readable; fdp is
    not a stream."""
    ds, _ = _both(tmp_path)
    before = sorted(p.relative_to(ds) for p in ds.rglob("*"))
    code, _, err = run_cli("export", ds, "--to", "fdp", "-o", ds)
    assert code == 1 and err.count("\n") == 1 and "never writes into a ledger" in err, err
    assert sorted(p.relative_to(ds) for p in ds.rglob("*")) == before
    assert run_cli("check", ds)[0] == 0
    code, _, err = run_cli("export", ds, "--to", "fdp", "-o", "-")
    assert code == 1 and "not a stream" in err and not (tmp_path / "-").exists()
