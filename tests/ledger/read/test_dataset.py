"""ledger.read.dataset: a partitioned Parquet dataset is a ledger, read
partition by partition; its totals equal figures computed here from the raw
Parquet (pyarrow + Decimal), and the whole-ledger path's."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ledger.read import ledger_format
from ledger.read.dataset import is_dataset, read_dataset_book, scan
from tests.conftest import generate_module

COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "status", "period",
           "disburses", "part_of", "sources"]
DIGITS = {"JPY": 0}


def write_dataset(root: Path, rows: list[dict]) -> Path:
    """``rows`` (dicts of text) as year=YYYY/part-0.parquet files, in order."""
    by_year: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_year[r["date"][:4]].append(r)
    for year, rs in by_year.items():
        (root / f"year={year}").mkdir(parents=True, exist_ok=True)
        table = pa.table({c: [r.get(c, "") for r in rs] for c in COLUMNS})
        pq.write_table(table, root / f"year={year}" / "part-0.parquet")
    return root


def raw_rows(root: Path) -> list[dict]:
    """Every row of the dataset, read here with pyarrow (not our reader)."""
    out = []
    for f in sorted(root.glob("year=*/*.parquet")):
        out += pq.read_table(f).to_pylist()
    return out


def recorded_by_hand(root: Path) -> dict[tuple[str, str], Decimal]:
    """Recorded balances, every account and its parents, from the raw rows:
    linked entries left out, each row at its currency's minor unit (half up)."""
    leaf: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in raw_rows(root):
        if any(r.get(k) for k in ("disburses", "part_of", "restates")):
            continue
        cur = r["currency"]
        amount = Decimal(r["amount"]).quantize(Decimal(1).scaleb(-DIGITS.get(cur, 2)),
                                               ROUND_HALF_UP)
        leaf[("Funders:" + r["funder"], cur)] -= amount
        leaf[("Purposes:" + r["purpose"], cur)] += amount
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (acct, cur), v in leaf.items():
        parts = acct.split(":")
        for i in range(len(parts)):
            out[(":".join(parts[:i + 1]), cur)] += v
    return dict(out)


def balance_csv(out: str, with_year: bool = False) -> dict:
    rows = csv.DictReader(io.StringIO(out))
    return {((r["account"], r["year"]) if with_year else (r["account"], r["currency"])):
            Decimal(r["amount"]) for r in rows}


# GBP only, so the converted total can be counted by hand: 1000.005 (a penny
# half up), an entry over 2 years split 600/400, 250 a year for 3 years, and
# a disbursement in the next year's partition linked to its pledge
HAND_ROWS = [
    {"id": "a", "date": "2019-03-01", "funder": "UK:Home Office", "purpose": "Security",
     "amount": "1000.005", "currency": "GBP", "sources": "d"},
    {"id": "b", "date": "2019-06-01", "funder": "UK:FCDO", "purpose": "Health:Vaccines",
     "amount": "600", "currency": "GBP", "period": "over 2 years", "sources": "d"},
    {"id": "b", "date": "2019-06-01", "funder": "UK:FCDO", "purpose": "Health:Malaria",
     "amount": "400", "currency": "GBP", "period": "over 2 years", "sources": "d"},
    {"id": "c", "date": "2020-01-01", "funder": "UK:FCDO", "purpose": "Education",
     "amount": "250", "currency": "GBP", "period": "per year for 3 years", "sources": "d"},
    {"id": "d", "date": "2020-05-05", "funder": "UK:FCDO", "purpose": "Health:Vaccines",
     "amount": "300", "currency": "GBP", "status": "disbursed", "disburses": "b",
     "sources": "d"},
]
HAND_TOTAL = Decimal("1000.01") + 600 + 400 + 3 * 250


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated dataset: 3,000 entries in chunks of 1,000 (several part
    files a year, disbursements, splits, ten currencies)."""
    d = tmp_path_factory.mktemp("ds") / "gen.parquet"
    generate_module().write_dataset(d, 3000, seed=7, chunk=1000)
    return d


def test_a_parquet_folder_is_a_ledger(generated, tmp_path):
    assert ledger_format(generated) == ("dataset", "")
    assert is_dataset(generated)
    assert ledger_format(tmp_path) == ("journal", "")


def test_check_reads_every_partition(generated, run_cli):
    code, out, err = run_cli("check", generated)
    assert code == 0, err
    n_ids = len({r["id"] for r in raw_rows(generated)})
    assert f": {n_ids} entries," in out
    assert n_ids == 3000


def test_recorded_balance_equals_the_raw_rows(generated, run_cli):
    code, out, err = run_cli("balance", generated, "--format", "csv")
    assert code == 0, err
    got = balance_csv(out)
    want = recorded_by_hand(generated)
    assert {k: v for k, v in got.items() if k[0] != "(total)"} == want
    assert all(v == got[("Purposes", k[1])] == -got[("Funders", k[1])]
               for k, v in got.items() if k[0] == "(total)")


def test_converted_totals_equal_the_whole_ledger_path(generated, run_cli):
    """Partition by partition = the dataset read as one Book (the bulk
    reader's path that tests/project/test_scale.py pins to the journal's)."""
    from ledger.read.dataset import read_dataset_book
    from reports.balance import converted
    from reports.tables import ReportOptions, build_report

    code, out, err = run_cli("balance", generated, "--currency", "GBP", "--format", "csv")
    assert code == 0, err
    got = balance_csv(out)
    whole = read_dataset_book(generated)
    assert not whole.errors
    rows, _ = converted(whole, ReportOptions(currency="GBP"))
    assert got == {(r["account"], r["currency"]): r["amount"] for r in rows}
    code, out, err = run_cli("balance", generated, "--currency", "EUR", "--by", "year",
                             "--format", "csv")
    assert code == 0, err
    rows, _ = converted(whole, ReportOptions(currency="EUR"), by="year")
    assert balance_csv(out, with_year=True) == {(r["account"], r["year"]): r["amount"]
                                                for r in rows}
    report = build_report(whole, ReportOptions(currency="GBP"))
    report_dir = generated.parent / "report"
    code, out, err = run_cli("report", generated, "--out", report_dir, "--format", "csv")
    assert code == 0, err
    summary = {(r["funder"], r["purpose"]): Decimal(r["amount"])
               for r in csv.DictReader(io.StringIO(out))}    # the journal's summary on stdout
    assert summary.pop(("(total)", "")) == got[("(total)", "GBP")]
    assert summary == {(r.funder, r.purpose): r.amount for r in report.summary.itertuples()}
    for name, keys in (("by_funder", ["funder"]), ("by_purpose", ["purpose"]),
                       ("by_status", ["funder"])):
        col = "total" if name == "by_status" else "amount"
        with open(report_dir / f"{name}.csv", encoding="utf-8") as fh:
            mine = {tuple(r[k] for k in keys): (Decimal(r[col]), r.get("entries"),
                                                r.get("qualifiers"))
                    for r in csv.DictReader(fh)}
        table = getattr(report, name)
        assert mine == {tuple(str(r[k]) for k in keys): (
            Decimal(r[col]), None if "entries" not in r else str(r["entries"]),
            r.get("qualifiers")) for r in table.to_dict("records")}


def test_converted_total_by_hand(tmp_path, run_cli):
    """GBP only: the converted total is the amounts counted over their
    periods (an amount per year for 3 years, three times), linked entries
    once, a split as its parts; a link reaching into another partition."""
    ds = write_dataset(tmp_path / "hand.parquet", HAND_ROWS)
    code, out, err = run_cli("balance", ds, "--currency", "GBP", "--format", "csv")
    assert code == 0, err
    got = balance_csv(out)
    assert got[("(total)", "GBP")] == HAND_TOTAL
    assert got[("Purposes:Health", "GBP")] == Decimal(1000)
    assert got[("Funders:UK", "GBP")] == -(Decimal("1000.01") + 1000 + 750)
    assert "1 linked entry" in err and "'d'" not in err


@pytest.mark.parametrize("rows, code, message", [
    ([("x", "2019-01-01", ""), ("x", "2020-01-01", "")], "duplicate-id", "duplicate id 'x'"),
    ([("x", "2019-01-01", ""), ("y", "2020-01-01", "nowhere")], "missing-link",
     "names a missing entry 'nowhere'"),
])
def test_rules_across_partitions(tmp_path, run_cli, rows, code, message):
    ds = write_dataset(tmp_path / "bad.parquet", [
        {"id": i, "date": d, "funder": "UK", "purpose": "P", "amount": "5", "currency": "GBP",
         "disburses": link, "sources": "d"} for i, d, link in rows])
    found = scan(ds)
    assert [p.code for p in found.errors] == [code]
    assert message in found.errors[0].message
    assert found.errors[0].file.endswith("year=2020/part-0.parquet")
    status, out, err = run_cli("balance", ds)
    assert status == 1 and message in err and out == ""
    status, out, err = run_cli("check", ds)
    assert status == 1 and message in err


def test_a_package_exceeded_across_partitions(tmp_path):
    ds = write_dataset(tmp_path / "pkg.parquet", [
        {"id": "p", "date": "2019-12-30", "funder": "UK", "purpose": "P", "amount": "10",
         "currency": "GBP", "sources": "d"},
        {"id": "q", "date": "2020-01-02", "funder": "UK", "purpose": "P", "amount": "11",
         "currency": "GBP", "disburses": "p", "sources": "d"}])
    assert [p.code for p in scan(ds).errors] == ["package-exceeded"]


def test_the_rules_across_partitions_name_what_the_whole_book_names(tmp_path):
    """The rules across partitions (``id_pass``): an id in three partitions, a
    self-link, a link to a repeated id, a package in another currency and
    one exceeded give the problems the same rows read as one Book give,
    each repeat at its own row."""
    rows = [("a", "2018-05-01", "", "10", "GBP"), ("b", "2019-03-01", "b", "1", "GBP"),
            ("a", "2019-02-01", "", "10", "GBP"), ("c", "2020-01-01", "a", "4", "EUR"),
            ("a", "2020-04-01", "", "10", "GBP"), ("d", "2020-02-01", "e", "30", "GBP"),
            ("e", "2020-03-01", "", "20", "GBP"), ("f", "2021-01-01", "nowhere", "1", "GBP")]
    ds = write_dataset(tmp_path / "many.parquet", [
        {"id": i, "date": d, "funder": "UK", "purpose": "P", "amount": a, "currency": c,
         "disburses": link, "sources": "d"} for i, d, link, a, c in rows])
    found = scan(ds)
    whole = read_dataset_book(ds).problems
    assert sorted((p.code, p.entry) for p in found.problems) == \
        sorted((p.code, p.entry) for p in whole if p.code != "no-source")
    assert {p.code for p in found.problems} >= {"duplicate-id", "self-link", "missing-link",
                                                "package-exceeded", "package-currency"}
    repeats = [p for p in found.problems if p.code == "duplicate-id"]
    assert [(Path(p.file).parent.name, p.line) for p in repeats] == [("year=2019", 3),
                                                                     ("year=2020", 3)]


def test_an_id_repeated_apart_within_a_partition_is_an_error(tmp_path):
    """The reader leaves both rows out of the partition's Book: its own
    problem is said (the rules across entries never see the id)."""
    ds = write_dataset(tmp_path / "twice.parquet", [
        {"id": i, "date": d, "funder": "UK", "purpose": "P", "amount": "5", "currency": "GBP",
         "sources": "d"} for i, d in (("a", "2019-01-01"), ("b", "2019-02-01"),
                                      ("a", "2019-03-01"))])
    assert [(p.code, p.entry) for p in scan(ds).errors] == [("duplicate-id", "a")]


def test_a_row_in_the_wrong_year_is_an_error(tmp_path):
    ds = write_dataset(tmp_path / "w.parquet", [
        {"id": "a", "date": "2019-01-01", "funder": "UK", "purpose": "P", "amount": "5",
         "currency": "GBP", "sources": "d"}])
    (ds / "year=2019").rename(ds / "year=2018")
    found = scan(ds)
    assert [p.code for p in found.errors] == ["wrong-partition"]
    assert found.errors[0].line == 2 and found.errors[0].entry_id == "a"


def test_a_stray_file_is_named(tmp_path):
    ds = write_dataset(tmp_path / "s.parquet", [
        {"id": "a", "date": "2019-01-01", "funder": "UK", "purpose": "P", "amount": "5",
         "currency": "GBP", "sources": "d"}])
    (ds / "notes.txt").write_text("x")
    assert [p.code for p in scan(ds).errors] == ["not-a-partition"]


def test_list_and_export_write_every_entry_once(generated, run_cli, tmp_path):
    code, out, err = run_cli("list", generated, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3000 and len({r["id"] for r in rows}) == 3000
    want = sorted({r["id"] for r in raw_rows(generated)})
    assert sorted(r["id"] for r in rows) == want
    target = tmp_path / "out.csv"
    code, out, err = run_cli("export", generated, "--to", "csv", "-o", target)
    assert code == 0, err
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert len(rows) == len(raw_rows(generated))     # one row per entry and purpose
    assert f"export: {len(rows)} rows written" in err   # not the text's lines
    assert sorted({r["id"] for r in rows}) == want


def test_other_commands_read_the_dataset_whole(generated):
    import ledger

    book = ledger.load(generated)
    assert len(book) == 3000
    assert sorted(book.tables.entries["id"].astype(str)) == \
        sorted({r["id"] for r in raw_rows(generated)})


def test_an_error_in_the_last_partition_leaves_no_output(tmp_path, run_cli):
    ds = write_dataset(tmp_path / "late.parquet", [
        {"id": "a", "date": "2019-01-01", "funder": "UK", "purpose": "P", "amount": "5",
         "currency": "GBP", "sources": "d"},
        {"id": "b", "date": "2020-01-01", "funder": "UK", "purpose": "P", "amount": "-5",
         "currency": "GBP", "sources": "d"}])
    target = tmp_path / "out.csv"
    code, out, err = run_cli("export", ds, "--to", "csv", "-o", target)
    assert code == 1 and not target.exists()
    assert "year=2020/part-0.parquet:2: entry 'b'" in err
    code, out, err = run_cli("list", ds, "--format", "csv")
    assert code == 1 and out == ""


def test_scheduler_on_a_journal_says_it_reads_here(example_ledger, run_cli):
    code, out, err = run_cli("balance", example_ledger, "--scheduler", "tcp://127.0.0.1:9")
    assert code == 0 and "(total)" in out
    assert "--scheduler runs a partitioned Parquet dataset" in err


def test_an_open_ended_amount_takes_the_whole_datasets_horizon(tmp_path, run_cli):
    """No --horizon: the default horizon is the last year any bounded entry
    of the whole dataset reaches (another partition's here), as for the
    same entries in a journal; filters never change it."""
    rows = [{"id": "open", "date": "2019-01-01", "funder": "UK", "purpose": "Health",
             "amount": "100.000", "currency": "GBP", "period": "per year"},
            {"id": "later", "date": "2021-06-01", "funder": "France", "purpose": "Port",
             "amount": "50.000", "currency": "GBP", "period": "per year for 2 years"}]
    ds = write_dataset(tmp_path / "open.parquet", rows)
    code, out, err = run_cli("balance", ds, "--currency", "GBP", "--format", "csv")
    assert code == 0, err
    # by hand: "later" reaches 31 May 2023, so the horizon is 2023: 100 a year in 2019-2023
    assert balance_csv(out)[("(total)", "GBP")] == 5 * 100 + 2 * 50
    code, out, err = run_cli("balance", ds, "--currency", "GBP", "--format", "csv",
                             "--funder", "UK")
    assert code == 0, err
    assert balance_csv(out)[("(total)", "GBP")] == 500
    code, out, err = run_cli("export", ds, "--to", "csv", "--basis", "total", "-o", "-")
    assert code == 0, err
    journal = tmp_path / "open.csv"
    journal.write_text("id,date,funder,purpose,amount,currency,period\n"
                       + "".join(f"{r['id']},{r['date']},{r['funder']},{r['purpose']},"
                                 f"{r['amount']},{r['currency']},{r['period']}\n" for r in rows),
                       encoding="utf-8")
    code, whole, err = run_cli("balance", journal, "--currency", "GBP", "--format", "csv")
    assert code == 0, err
    assert balance_csv(whole)[("(total)", "GBP")] == 600


def test_a_dataset_is_read_once_unless_an_amount_is_open_ended(tmp_path, run_cli, monkeypatch):
    import ledger_tool.dataset_scan as dc
    passes = []
    real = dc.scan

    def counted(*a, **kw):
        passes.append(a[1].__name__ if len(a) > 1 and a[1] else "check")
        return real(*a, **kw)
    monkeypatch.setattr(dc, "scan", counted)
    bounded = write_dataset(tmp_path / "bounded.parquet", HAND_ROWS)
    code, out, err = run_cli("balance", bounded, "--currency", "GBP", "--format", "csv")
    assert code == 0, err
    assert balance_csv(out)[("(total)", "GBP")] == HAND_TOTAL
    assert passes == ["horizon_part"]
    passes.clear()
    rows = [{"id": "open", "date": "2019-01-01", "funder": "UK", "purpose": "Health",
             "amount": "100.000", "currency": "GBP", "period": "per year"}]
    code, out, err = run_cli("balance", write_dataset(tmp_path / "open.parquet", rows),
                             "--currency", "GBP", "--format", "csv")
    assert code == 0, err
    assert passes == ["horizon_part", "converted_part"]


@pytest.mark.parametrize("cmd, target", [
    (("export", "--to", "parquet", "--force", "-o"), "year=2019/part-0.parquet"),
    (("export", "--to", "parquet", "-o"), "year=2019/extra.parquet"),
    (("export", "--to", "csv", "-o"), "out.csv"),
    (("report", "--force", "--out"), "report"),
])
def test_no_output_is_written_into_the_dataset(tmp_path, run_cli, cmd, target):
    """A file in the dataset's folder is one of its partitions (its amounts
    counted again) or stops it being read: refused, even with --force."""
    ds = write_dataset(tmp_path / "in.parquet", [
        {"id": "a", "date": "2019-01-01", "funder": "UK", "purpose": "P", "amount": "5",
         "currency": "GBP", "sources": "d"}])
    before = {p: p.read_bytes() for p in ds.rglob("*") if p.is_file()}
    code, out, err = run_cli(cmd[0], ds, *cmd[1:], ds / target)
    assert code == 1 and "inside the partitioned dataset" in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in ds.rglob("*") if p.is_file()} == before


def _one_row(tmp_path):
    """One entry as a dataset (in.parquet/) and as one bulk file (in.csv)."""
    ds = write_dataset(tmp_path / "in.parquet", [
        {"id": "a", "date": "2019-01-01", "funder": "UK", "purpose": "P", "amount": "5",
         "currency": "GBP", "sources": "d"}])
    bulk = tmp_path / "in.csv"
    bulk.write_text("id,date,funder,purpose,amount,currency,sources\n"
                    "a,2019-01-01,UK,P,5,GBP,d\n", encoding="utf-8")
    return ds, bulk


@pytest.mark.parametrize("fmt", ["csv", "parquet", "beancount"])
def test_an_export_no_entry_matches_is_refused_as_the_journals(tmp_path, run_cli, fmt):
    """As ``export`` on a journal: no entry left by the filters is an error
    and no file (a CSV export once wrote an empty file and exited 0)."""
    ds, journal = _one_row(tmp_path)
    for ledger in (ds, journal):
        target = tmp_path / f"out-{ledger.suffix[1:]}.{fmt}"
        code, out, err = run_cli("export", ledger, "--to", fmt, "--funder", "Nobody", "-o",
                                 target)
        assert (code, err.strip().splitlines()[-1]) == (
            1, f"ledger-tool: export: no entries in {ledger} match the filters"), err
        assert not target.exists()
    code, out, err = run_cli("export", ds, "--to", "csv", "--funder", "Nobody", "-o", "-")
    assert code == 1 and out == ""


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_a_list_no_entry_matches_says_so(tmp_path, run_cli, fmt):
    """As ``balance`` on a dataset and ``list`` on a journal: filters that
    leave no entry say so on stderr (the list itself stays empty)."""
    ds, bulk = _one_row(tmp_path)
    code, out, err = run_cli("list", ds, "--format", fmt, "--funder", "Nobody")
    assert code == 0
    assert err == ("ledger-tool: warning: no entries match the filters (--funder Nobody): "
                   "all 1 left out\n")
    assert run_cli("list", bulk, "--format", fmt, "--funder", "Nobody")[2] == err
    code, out, err = run_cli("list", ds, "--format", fmt)
    assert code == 0 and "'a'" not in err and "left out" not in err and "a" in out


@pytest.mark.parametrize("args", [("--currency", "GBP"), ("--base-year", "2010")])
def test_a_balance_refused_on_a_dataset_says_what_a_bulk_file_says(tmp_path, run_cli, args):
    """No entry left to convert: the filters named, exit 0 (as without
    --currency, fix29); a conversion option without --currency: the option
    named, exit 2. Exit codes and stderr as the same row read as one bulk
    file."""
    ds, bulk = _one_row(tmp_path)
    got = run_cli("balance", ds, *args, "--funder", "Nobody")
    assert got == run_cli("balance", bulk, *args, "--funder", "Nobody")
    if args[0] == "--currency":
        assert got[0] == 0 and got[2] == ("ledger-tool: warning: no entries match the filters "
                                          "(--funder Nobody): all 1 left out\n")
    else:
        assert got[0] != 0 and len(got[2].splitlines()) == 1


NOTED_ROWS = [   # notes that differ per partition: rounded, open-ended (every
    # amount with three places: a bulk file's amounts as written take its largest)
    {"id": "r1", "date": "2019-02-01", "amount": "10.005", "currency": "GBP"},
    {"id": "o1", "date": "2019-03-01", "amount": "100.000", "currency": "GBP",
     "period": "per year"},
    {"id": "b1", "date": "2019-05-01", "amount": "90.000", "currency": "GBP",
     "period": "over 5 years"},
    # d1, d2: a currency with no published rates, valued by its own restatement
    {"id": "d1", "date": "2019-06-01", "amount": "100.000", "currency": "AED",
     "restated": "GBP 20.50"},
    {"id": "r2", "date": "2020-02-01", "amount": "20.001", "currency": "GBP"},
    {"id": "o2", "date": "2020-03-01", "amount": "50.000", "currency": "EUR",
     "period": "per year"},
    {"id": "x1", "date": "2021-01-05", "amount": "5.000", "currency": "EUR"},
    {"id": "d2", "date": "2021-06-01", "amount": "300.000", "currency": "AED",
     "restated": "GBP 60.25"},
]


@pytest.fixture()
def noted(tmp_path) -> tuple[Path, Path]:
    """NOTED_ROWS as a dataset and as one bulk CSV of the same rows."""
    cols = COLUMNS + ["restated"]
    rows = [{"funder": "UK", "purpose": "P", "sources": "d", **r} for r in NOTED_ROWS]
    root = tmp_path / "noted.parquet"
    for year in sorted({r["date"][:4] for r in rows}):
        (root / f"year={year}").mkdir(parents=True)
        pq.write_table(pa.table({c: [r.get(c, "") for r in rows if r["date"][:4] == year]
                                 for c in cols}), root / f"year={year}" / "part-0.parquet")
    with open(tmp_path / "noted.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows({c: r.get(c, "") for c in cols} for r in rows)
    return root, tmp_path / "noted.csv"


@pytest.mark.parametrize("args", [
    ["balance"], ["balance", "--funder", "UK"],
    ["balance", "--currency", "GBP"], ["balance", "--currency", "GBP", "--by", "year"],
    ["balance", "--currency", "GBP", "--horizon", "2022"],
    ["balance", "--currency", "GBP", "--basis", "recorded"],
    ["export", "--to", "hledger", "-o", "-"], ["export", "--to", "csv", "-o", "-"],
    ["export", "--to", "beancount", "-o", "-", "--horizon", "2021"],
    ["export", "--to", "hledger", "-o", "-", "--deflator", "INDEX", "--base-year", "2015"],
    ["export", "--to", "csv", "-o", "-", "--basis", "total", "--years", "calendar",
     "--deflator", "INDEX", "--base-year", "2015"],
])
def test_the_notes_are_the_whole_datasets(noted, run_cli, args, tmp_path):
    """Each partition has a rounded amount and an open-ended one: the notes
    count and name the whole dataset's, as on the same rows read as one
    bulk CSV (stdout and stderr the same); so do constant prices."""
    root, bulk = noted
    index = tmp_path / "index.csv"
    index.write_text("area,year,index,source\n" + "".join(
        f"GBP,{y},{100 + 3 * (y - 2000)},test index\n" for y in range(1995, 2041)),
        encoding="utf-8")
    args = [str(index) if a == "INDEX" else a for a in args]
    got = run_cli(args[0], str(root), *args[1:])
    want = run_cli(args[0], str(bulk), *args[1:])
    assert got[0] == want[0] == 0, got[2] + want[2]
    assert got[1] == want[1]
    assert got[2] == want[2]
    if args[0] == "balance":
        assert "2 amounts finer than their currency's minor unit" in got[2]
        converted = "--currency" in args
        assert ("counted up to the end of" in got[2]) is (converted and "recorded" not in args)
        # a recorded balance adds an amount per year as one year's rate
        assert ("2 amounts per year are added as one year's rate" in got[2]) is not converted
        assert ("2 entries in AED, a currency with no published exchange rates: converted "
                "by their own restated amount (the source's conversion): d1, d2"
                in got[2]) is converted
    if "--deflator" in args:
        assert "constant prices" in got[2]


@pytest.mark.parametrize("extra", [[], ["--horizon", "2024-25", "--years", "fiscal-uk"]])
def test_an_fdp_export_is_the_whole_datasets(noted, run_cli, tmp_path, extra):
    """``export --to fdp`` partition by partition: ledger.csv and
    datapackage.json byte for byte those of the same rows as one bulk CSV,
    and the same notes."""
    root, bulk = noted
    got = run_cli("export", str(root), "--to", "fdp", "-o", str(tmp_path / "a"), *extra)
    want = run_cli("export", str(bulk), "--to", "fdp", "-o", str(tmp_path / "b"), *extra)
    assert got[0] == want[0] == 0, got[2] + want[2]
    for name in ("ledger.csv", "datapackage.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert got[2].replace(str(tmp_path / "a"), "D") == want[2].replace(str(tmp_path / "b"), "D")
    assert "2 amounts finer" in got[2] and "rows written" in got[2]


def test_a_partitions_split_entry_whose_rows_differ_in_a_link_is_refused(tmp_path, run_cli):
    """A partition's entry of two rows, only its second disbursing another
    entry: refused as a bulk file refuses it (its rows must agree), where
    the link was read row by row and half of the entry counted (the first
    row primary, the second not); the partition's links are taken from the
    raw form, each entry's from its first row, like a bulk file's."""
    ds = write_dataset(tmp_path / "d.parquet", [
        {"id": "p", "date": "2020-01-01", "funder": "UK", "purpose": "P", "amount": "10",
         "currency": "GBP", "sources": "d"},
        {"id": "s", "date": "2020-02-01", "funder": "UK", "purpose": "A", "amount": "4",
         "currency": "GBP", "sources": "d"},
        {"id": "s", "date": "2020-02-01", "funder": "UK", "purpose": "B", "amount": "3",
         "currency": "GBP", "disburses": "p", "sources": "d"}])
    found = scan(ds)
    assert [(p.code, p.entry, p.field, p.line) for p in found.errors] == [
        ("split-row-differs", "s", "disburses", 4)]
    status, out, err = run_cli("balance", ds)
    assert status == 1 and out == ""


def test_a_partitions_links_are_the_books_and_count_once(tmp_path, run_cli):
    """A partition's links (to its own entries and another partition's)
    are the Book's links, each entry's first row's, and the linked entries
    are left out of the totals: computed here from the rows written."""
    rows = [{"id": "p", "date": "2019-05-01", "funder": "UK", "purpose": "P", "amount": "10",
             "currency": "GBP", "sources": "d"},
            {"id": "q", "date": "2020-01-01", "funder": "UK", "purpose": "P", "amount": "20",
             "currency": "GBP", "sources": "d"},
            {"id": "a", "date": "2020-02-01", "funder": "UK", "purpose": "A", "amount": "4",
             "currency": "GBP", "disburses": "p", "sources": "d"},
            {"id": "a", "date": "2020-02-01", "funder": "UK", "purpose": "B", "amount": "3",
             "currency": "GBP", "disburses": "p", "sources": "d"},
            {"id": "b", "date": "2020-03-01", "funder": "UK", "purpose": "A", "amount": "5",
             "currency": "GBP", "part_of": "q", "sources": "d"}]
    ds = write_dataset(tmp_path / "l.parquet", rows)
    assert scan(ds).errors == []
    from ledger.read.dataset import partition_book
    book, _, problems = partition_book(ds / "year=2020" / "part-0.parquet", ds)
    assert [p for p in problems if p.severity == "error"] == []
    links = book.tables.links
    ids = book.tables.entries["id"].astype(str).tolist()
    assert [(ids[e], k, t) for e, k, t in zip(links["entry"], links["kind"], links["target"])] \
        == [("a", "disburses", "p"), ("b", "part_of", "q")]
    assert book.tables.entries.set_index("id")["primary"].to_dict() == {
        "q": True, "a": False, "b": False}
    status, out, err = run_cli("balance", ds, "--format", "csv")
    assert status == 0, err
    want = sum(Decimal(r["amount"]) for r in rows
               if not r.get("disburses") and not r.get("part_of"))
    assert f"{want}" in out.replace(",", "")
