"""reports.dataset: ``report`` on a partitioned Parquet dataset writes the
journal's report (workbook, charts, page) from the partitions' combined
totals; every figure equals the report of the same entries read as one bulk
CSV, and the by-hand figures of the raw rows; the per-entry parts carry the
largest entries and say where the rest are."""
from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from ledger.read.dataset import scan
from reports import dataset as ds
from reports.pagedata import page_data
from reports.tables import ReportOptions, build_report
from tests.conftest import generate_module
from tests.ledger.read.test_dataset import HAND_ROWS, HAND_TOTAL, write_dataset

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """3,000 generated entries in chunks of 1,000 (splits, links, ten
    currencies, open-ended amounts), and the same rows as one bulk CSV."""
    d = tmp_path_factory.mktemp("rds")
    root = d / "gen.parquet"
    generate_module().write_dataset(root, 3000, seed=7, chunk=1000)
    table = pa.concat_tables(pq.read_table(f) for f in sorted(root.glob("year=*/*.parquet")))
    pacsv.write_csv(table, d / "gen.csv")
    return root


def _report(run_cli, ledger, out, *extra):
    code, stdout, err = run_cli("report", ledger, "--out", out, "--format", "csv", *extra)
    assert code == 0, err
    return stdout, err


def _sheets(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def _pairs(rows) -> dict:
    return {r[0]: r[1] for r in rows if len(r) > 1 and r[0]}


def _page(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', text,
                      re.S)
    assert found, "the page's data"
    return json.loads(found.group(1))


TOTALS_SHEETS = ("Summary", "By purpose", "By funder", "By year", "By status", "Comparison",
                 "Funder accounts", "Purpose accounts")


def test_the_report_on_a_dataset_is_the_journals(generated, run_cli, tmp_path):
    """Workbook, page and summary of the dataset = those of the same rows
    read as one bulk CSV: every totals sheet cell for cell, the page's cells
    summed, the page's entries the same largest ones."""
    mine, err = _report(run_cli, generated, tmp_path / "d")
    whole, _ = _report(run_cli, generated.parent / "gen.csv", tmp_path / "w")
    assert mine == whole                       # the summary on stdout, to the minor unit
    assert (tmp_path / "d" / "summary.csv").read_text() == \
        (tmp_path / "w" / "summary.csv").read_text()
    for name in ("report.xlsx", "report.html", "chart-purpose.png", "chart-timeline.svg",
                 "by_funder.csv", "report-manifest.json"):
        assert (tmp_path / "d" / name).is_file(), name
    assert not (tmp_path / "d" / "entries.csv").exists()   # never a part said to be whole
    a, b = _sheets(tmp_path / "d" / "report.xlsx"), _sheets(tmp_path / "w" / "report.xlsx")
    for sheet in TOTALS_SHEETS:
        assert a[sheet][1:] == b[sheet][1:], sheet    # the caption (row 1) names the ledger
    about, theirs = _pairs(a["About"]), _pairs(b["About"])
    assert about["Entries reported"] == theirs["Entries reported"] == "3000"
    assert about["Counted in totals"] == theirs["Counted in totals"]
    # the Entries sheet: the largest 2,000 entries' rows, cut and saying where the rest are
    assert "ledger-tool list" in a["Entries"][0][0] and "3,000 entries" not in a["Entries"][0][0]
    assert "left out there" in err and "ledger-tool list" in err
    p, q = _page(tmp_path / "d" / "report.html"), _page(tmp_path / "w" / "report.html")
    assert p["meta"]["entriesTotal"] == q["meta"]["entriesTotal"] == 3000
    assert "ledger-tool list" in p["meta"]["fullList"] and "fullList" not in q["meta"]
    assert p["dims"] == q["dims"]
    for kind in ("total", "years"):
        assert _cells(p, kind) == _cells(q, kind), kind
    assert {e["id"] for e in p["entries"]} == {e["id"] for e in q["entries"]}
    assert len(p["entries"]) == 2000


def _cells(page: dict, kind: str) -> dict:
    """The page's cells by their keys: (money, number of entries: a listed
    entry each, a group of the others as many as it holds)."""
    c = page["cells"][kind]
    shown = len(page["entries"])
    keys = [k for k in ("f", "p", "s", "q", "t", "r", "y", "o") if k in c]
    out: dict = defaultdict(lambda: [0, 0])
    for i in range(len(c["m"])):
        k = tuple(c[x][i] for x in keys)
        out[k][0] += int(c["m"][i])
        out[k][1] += (len(c["e"][i]) if page["groups"] is None else
                      sum(1 if g < shown else page["groups"][g - shown] for g in c["e"][i]))
    return dict(out)


def test_the_report_of_partitions_equals_the_whole_books(generated):
    """``dataset_report`` against ``build_report`` on the dataset read as one
    Book: every table, the projections and the page's cells."""
    from ledger.read.dataset import read_dataset_book

    options = ReportOptions(currency="EUR", horizon="2040-41", years="fiscal-uk")
    collected = ds.ReportParts(100)  # cells merged, kept entries cut every few partitions
    found = scan(generated, ds.report_part, (options, 100), sink=collected.add)
    assert not found.errors and len(collected.parts) > ds.ReportParts.MERGE_AT
    assert sum(len(p["top"]) for p in collected.parts) <= 2 * 100 < 3000
    mine = ds.dataset_report(collected, options, "gen", 100, "elsewhere")
    whole = build_report(read_dataset_book(generated), options)
    for name in ("summary", "by_purpose", "by_funder", "by_status", "comparison",
                 "funder_tree", "purpose_tree"):
        got, want = getattr(mine, name), getattr(whole, name)
        assert got.astype(str).values.tolist() == want.astype(str).values.tolist(), name
    assert mine.by_year.astype(str).to_dict() == whole.by_year.astype(str).to_dict()
    assert mine.matrix.astype(str).to_dict() == whole.matrix.astype(str).to_dict()
    assert (mine.last_bounded, mine.projected) == (whole.last_bounded, whole.projected)
    if whole.open_by_year is not None:
        assert mine.open_by_year.astype(str).to_dict() == whole.open_by_year.astype(str).to_dict()
    a, b = page_data(mine, limit=100), page_data(whole, limit=100)
    for kind in ("total", "years"):
        assert _cells(a, kind) == _cells(b, kind)
    assert [e["id"] for e in a["entries"]] == [e["id"] for e in b["entries"]]
    assert len(mine.entries) == sum(len(e["rows"]) for e in a["entries"])


def test_a_dataset_report_by_hand(tmp_path, run_cli):
    """GBP only: the workbook's total and the page's counted cells are the
    raw rows' sum worked out by hand (tests/ledger/read/test_dataset.py)."""
    root = write_dataset(tmp_path / "hand.parquet", HAND_ROWS)
    stdout, _ = _report(run_cli, root, tmp_path / "r")
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert Decimal(rows[-1]["amount"]) == HAND_TOTAL
    by_purpose = {r[0]: r[1] for r in _sheets(tmp_path / "r" / "report.xlsx")["By purpose"][2:]
                  if r[0]}
    assert Decimal(str(by_purpose["Health:Vaccines"])) == 600
    page = _page(tmp_path / "r" / "report.html")
    counted = sum(int(m) for m, r in zip(page["cells"]["total"]["m"],
                                         page["cells"]["total"]["r"]) if r == 0)
    assert Decimal(counted) / 100 == HAND_TOTAL
    assert page["meta"]["entriesTotal"] == 4


def test_an_existing_report_is_replaced_only_with_force(tmp_path, run_cli):
    root = write_dataset(tmp_path / "hand.parquet", HAND_ROWS)
    _report(run_cli, root, tmp_path / "r")
    code, _, err = run_cli("report", root, "--out", tmp_path / "r")
    assert code == 1 and "--force" in err
    _report(run_cli, root, tmp_path / "r", "--force")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "mine.txt").write_text("x")
    code, _, err = run_cli("report", root, "--out", tmp_path / "other", "--force")
    assert code == 1 and (tmp_path / "other" / "mine.txt").read_text() == "x"


@pytest.mark.parametrize("fmt, basis", [("hledger", "total"), ("hledger", "recorded"),
                                        ("beancount", "total"), ("beancount", "recorded")])
def test_journal_exports_are_the_bulk_files(generated, run_cli, tmp_path, fmt, basis):
    """Written partition by partition, the same bytes as the export of the
    same rows read as one bulk CSV (header, prices, opens, transactions)."""
    for ledger, name in ((generated, "d"), (generated.parent / "gen.csv", "w")):
        code, _, err = run_cli("export", ledger, "--to", fmt, "--basis", basis, "-o",
                               tmp_path / name)
        assert code == 0, err
    assert (tmp_path / "d").read_bytes() == (tmp_path / "w").read_bytes()
    code, _, err = run_cli("export", generated, "--to", fmt, "-o", tmp_path / "d")
    assert code == 1 and "--force" in err        # an existing file only with --force


def test_hledger_reads_the_raw_rows_sums(generated, run_cli, tmp_path):
    """hledger's own balance of the dataset's recorded export: per currency,
    the raw Parquet rows' amounts (pyarrow, Decimal, each at its minor unit)."""
    import shutil
    import subprocess

    if not shutil.which("hledger"):
        pytest.skip("hledger is not installed")
    target = tmp_path / "d.journal"
    code, _, err = run_cli("export", generated, "--to", "hledger", "--basis", "recorded",
                           "-o", target)
    assert code == 0, err
    out = subprocess.run(["hledger", "-f", str(target), "bal", "^Purposes", "--depth", "1",
                          "-O", "csv", "--layout=bare"], capture_output=True, text=True,
                         check=True).stdout
    got = {r["commodity"]: Decimal(r["balance"]) for r in csv.DictReader(io.StringIO(out))
           if r["account"] == "Purposes"}
    want: dict[str, Decimal] = defaultdict(Decimal)
    for f in sorted(generated.glob("year=*/*.parquet")):
        for r in pq.read_table(f, columns=["amount", "currency"]).to_pylist():
            unit = Decimal(1).scaleb(-{"JPY": 0}.get(r["currency"], 2))
            want[r["currency"]] += Decimal(r["amount"]).quantize(unit, "ROUND_HALF_UP")
    assert got == dict(want)


def test_list_as_json_and_csv_is_the_bulk_files(generated, run_cli):
    for fmt in ("json", "csv"):
        outs = []
        for ledger in (generated, generated.parent / "gen.csv"):
            code, out, err = run_cli("list", ledger, "--format", fmt)
            assert code == 0, err
            outs.append(out)
        assert outs[0] == outs[1]
    code, out, _ = run_cli("list", generated, "--format", "json")
    assert len(json.loads(out)) == 3000
    code, out, err = run_cli("list", generated, "--format", "json", "--funder", "Nobody")
    assert code == 0 and json.loads(out) == []


def test_a_plain_list_is_the_bulk_files_table(generated, run_cli):
    """``list D`` (the table) streams partition by partition: byte for byte
    the table of the same rows read as one bulk CSV (every column as wide as
    its widest cell in any partition), one row per entry."""
    outs, tables = [], []
    for ledger in (generated, generated.parent / "gen.csv"):
        code, out, err = run_cli("list", ledger)
        assert code == 0, err
        outs.append(out)
        lines = out.splitlines()
        assert set(lines[1]) <= {"-", " "}          # the header's rule, once
        tables.append([lines[0].split()] + [line.split() for line in lines[2:]])
    assert outs[0] == outs[1]
    assert tables[0] == tables[1]
    assert len(tables[0]) - 1 == len({r["id"] for f in generated.glob("year=*/*.parquet")
                                      for r in pq.read_table(f, columns=["id"]).to_pylist()})
    code, out, err = run_cli("list", generated, "--funder", "Nobody")
    assert code == 0 and out == "(nothing to show)\n"


def test_a_parquet_export_is_the_bulk_files(generated, run_cli, tmp_path):
    """Partition by partition into one Parquet file: the same schema and rows
    as the export of the same rows read as one bulk CSV."""
    for ledger, name in ((generated, "d.parquet"), (generated.parent / "gen.csv", "w.parquet")):
        code, _, err = run_cli("export", ledger, "--to", "parquet", "-o", tmp_path / name)
        assert code == 0, err
    mine, theirs = pq.read_table(tmp_path / "d.parquet"), pq.read_table(tmp_path / "w.parquet")
    assert mine.schema.remove_metadata() == theirs.schema.remove_metadata()
    assert mine.to_pylist() == theirs.to_pylist()
    assert mine.num_rows == sum(pq.read_metadata(f).num_rows
                                for f in generated.glob("year=*/*.parquet"))


def _dataset_and_bulk(stem: Path, rows: list[dict]) -> tuple[Path, Path]:
    """``rows`` as STEM.parquet/ (a partition a year) and as one bulk STEM.csv."""
    root = write_dataset(stem.with_suffix(".parquet"), rows)
    bulk = stem.with_suffix(".csv")
    pacsv.write_csv(pa.concat_tables(pq.read_table(f) for f in sorted(root.glob("*/*.parquet"))),
                    bulk)
    return root, bulk


def test_the_notes_of_an_open_ended_amount_are_the_journals(tmp_path, run_cli):
    """No --horizon: the dataset's default horizon (another partition's
    bounded entry), said as the journal says it, with no projection note
    from a partition that holds only the open-ended entry."""
    rows = [{"id": "open", "date": "2019-01-01", "funder": "UK", "purpose": "Health",
             "amount": "100", "currency": "GBP", "period": "per year", "sources": "d"},
            {"id": "later", "date": "2021-06-01", "funder": "France", "purpose": "Port",
             "amount": "50", "currency": "GBP", "period": "per year for 2 years",
             "sources": "d"}]
    root, bulk = _dataset_and_bulk(tmp_path / "open", rows)
    said = []
    for ledger, name in ((root, "d"), (bulk, "w")):
        out, err = _report(run_cli, ledger, tmp_path / name)
        said.append((out, [n for n in err.splitlines() if n.startswith("note: ")
                           and "partitioned dataset" not in n]))
    assert said[0] == said[1]
    assert any("up to the end of 2023 (the ledger's horizon" in n for n in said[0][1])


def test_an_entry_valued_at_no_row_is_not_called_left_out(tmp_path, run_cli):
    """An open-ended entry starting after the horizon has no row: no entry
    sheet shows it (as on a journal), so the dataset's note does not count
    it as left out, and its citation is on the Sources sheet as on the bulk
    file's."""
    rows = [{"id": "b", "date": "2019-01-01", "funder": "UK", "purpose": "P", "amount": "100",
             "currency": "GBP", "sources": "d1"},
            {"id": "late", "date": "2024-01-01", "funder": "UK", "purpose": "Q", "amount": "5",
             "currency": "GBP", "period": "per year", "sources": "d2"}]
    root, bulk = _dataset_and_bulk(tmp_path / "late", rows)
    # (the default horizon is the latest entry's year, 2024: a horizon before it)
    code, _, err = run_cli("report", root, "--out", tmp_path / "d", "--horizon", "2019")
    assert code == 0, err
    assert ("note: A partitioned dataset: every total counts all 2 entries; the Entries sheet "
            "and the page carry the 1 largest.\n") in err
    assert run_cli("report", bulk, "--out", tmp_path / "w", "--horizon", "2019")[0] == 0
    sources = [_sheets(tmp_path / name / "report.xlsx")["Sources"] for name in ("d", "w")]
    assert sources[0] == sources[1]
    assert [r[0] for r in sources[0][2:]] == ["d1", "d2"]


def _notes(err: str) -> list[str]:
    """The notes on stderr but those on where the per-entry lists are."""
    return [n for n in err.splitlines() if n.startswith("note: ")
            and "partitioned dataset" not in n and "the workbook's" not in n]


def test_the_notes_naming_entries_are_the_whole_datasets(generated, run_cli, tmp_path):
    """Linked, not exact and open-ended entries sit in every partition: each
    note's count and ids are the whole dataset's, worded as the journal's
    (the same rows read as one bulk CSV), and the linked count is the raw
    rows' (ids with disburses, part_of or restates)."""
    said, errs = [], []
    for ledger, name in ((generated, "d"), (generated.parent / "gen.csv", "w")):
        _, err = _report(run_cli, ledger, tmp_path / name, "--horizon", "2040")
        said.append(_notes(err))
        errs.append(err)
    # a note naming more ids than it shows says where they all are: a journal's
    # entries.csv, a dataset's list command (it writes no entries.csv)
    where = re.search(r"the full list: (.*)\)\.$", next(
        n for n in errs[0].splitlines() if "partitioned dataset" in n)).group(1)
    assert "ledger-tool list" in where
    journal_says = "(the Entries table and entries.csv list every one)"
    assert any(f"(the full list: {where})" in n for n in said[0])
    assert not any(journal_says in n for n in said[0])
    assert [n.replace(f"(the full list: {where})", journal_says) for n in said[0]] == said[1]
    linked: dict[str, str] = {}     # id: its partition
    for f in sorted(generated.glob("year=*/*.parquet")):
        for r in pq.read_table(f).to_pylist():
            if any(r.get(k) for k in ("disburses", "part_of", "restates")) and \
                    "not-counted" not in (r.get("tags") or ""):
                linked[r["id"]] = f.parent.name
    assert len(set(linked.values())) > 1
    note = next(n for n in said[0] if "Totals count each pledge once" in n)
    assert f"({len(linked):,} such entries: " in note
    assert any("Some amounts are not exact" in n for n in said[0])


@pytest.mark.parametrize("basis", ["total", "recorded"])
def test_two_accounts_one_beancount_name_in_two_partitions(tmp_path, run_cli, basis):
    """"UK:Home Office" (2019) and "UK:Home-Office" (2020) both become
    Income:Funders:UK:Home-Office: refused as for the same rows as one bulk
    CSV, with its message, and no file written."""
    rows = [{"id": "a", "date": "2019-03-01", "funder": "UK:Home Office", "purpose": "P",
             "amount": "10", "currency": "GBP", "sources": "d"},
            {"id": "b", "date": "2020-03-01", "funder": "UK:Home-Office", "purpose": "P",
             "amount": "20", "currency": "GBP", "sources": "d"}]
    root, bulk = _dataset_and_bulk(tmp_path / "clash", rows)
    said = []
    for ledger, name in ((root, "d.beancount"), (bulk, "w.beancount")):
        code, _, err = run_cli("export", ledger, "--to", "beancount", "--basis", basis, "-o",
                               tmp_path / name)
        assert code == 1 and not (tmp_path / name).exists()
        said.append([n for n in err.splitlines() if "both become" in n])
    assert said[0] == said[1] == [
        "ledger-tool: export: accounts 'Funders:UK:Home Office' and 'Funders:UK:Home-Office'"
        " both become 'Income:Funders:UK:Home-Office' in beancount; rename one of them"]


def test_the_horizon_warning_names_every_partitions_entries(tmp_path, run_cli):
    """Open-ended entries starting after --horizon in two partitions: one
    warning naming both, as for the same rows as one bulk CSV."""
    rows = [{"id": "x", "date": "2019-01-01", "funder": "UK", "purpose": "Health",
             "amount": "100", "currency": "GBP", "sources": "d"},
            {"id": "late1", "date": "2025-01-01", "funder": "UK", "purpose": "Health",
             "amount": "10", "currency": "GBP", "period": "per year", "sources": "d"},
            {"id": "late2", "date": "2026-01-01", "funder": "France", "purpose": "Port",
             "amount": "20", "currency": "GBP", "period": "per year", "sources": "d"}]
    root, bulk = _dataset_and_bulk(tmp_path / "late", rows)
    said = []
    for ledger, name in ((root, "d"), (bulk, "w")):
        _, err = _report(run_cli, ledger, tmp_path / name, "--horizon", "2020")
        said.append([n for n in err.splitlines() if "the horizon 2020 ends before" in n])
    assert said[0] == said[1] and len(said[0]) == 1
    assert "2 open-ended entries" in said[0][0] and "late1, late2" in said[0][0]


def test_the_partitions_flag_the_entries_the_audit_flags(tmp_path):
    """``report_part`` given the audit's flags: the numbers of the entries
    flagged by id or citing a document with an error, in every partition,
    listed on the page or not (the page marks them all)."""
    from tests.ledger_tool.test_dataset_audit import ROWS

    root = write_dataset(tmp_path / "aud.parquet", ROWS)
    want = {"jan"} | {r["id"] for r in ROWS if "d1" in r.get("sources", "").split(";")}
    assert want == {"jan", "dec", "pkg", "part1", "later"}
    got: list = []

    def sink(part):
        if part is not None:
            name = dict(zip(part["top"].tolist(), part["facts_top"]["id"].astype(str)))
            got.extend(name[n] for n in part["flagged"].tolist())

    options = ReportOptions(currency="GBP")
    found = scan(root, ds.report_part, (options, 100, False, ({"jan"}, {"d1"})), sink=sink)
    assert not found.errors
    assert sorted(got) == sorted(want)
    collected = ds.ReportParts(1)
    scan(root, ds.report_part, (options, 1, False, ({"jan"}, {"d1"})), sink=collected.add)
    cells = ds.dataset_report(collected, options, "aud", 1, "elsewhere").extra["page cells"]
    assert len(set(cells[6].tolist())) == len(want)
