"""The report at scale: Entries/Sources sheets cut at --entries-sheet-limit with
a note, full tables in entries.csv/.parquet and sources.csv/.parquet, totals
and formulas still right; build_report's vectorised tables on generated data."""
from __future__ import annotations

import csv
import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import pytest

import ledger
from ledger.model import Citation, Entry
from reports.tables import TOTAL, ReportOptions, build_report
from tests.conftest import REPO

openpyxl = pytest.importorskip("openpyxl")
from tests.reports.test_workbook import recalc  # noqa: E402  (the same formula evaluator)



def _csv_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def _every_total(wb) -> dict[str, Decimal]:
    """The grand total of each total-bearing sheet, recalculated from its cells."""
    out = {}
    for name in ("Summary", "By year", "Comparison"):
        ws = wb[name]
        r = next(c.row for c in ws["A"] if c.value == TOTAL)
        out[name] = recalc(ws, f"{openpyxl.utils.get_column_letter(ws.max_column)}{r}")
    for name in ("By purpose", "By funder"):
        ws = wb[name]
        r = next(c.row for c in ws["A"] if c.value == TOTAL)
        col = [c.value for c in ws[2]].index("amount") + 1
        out[name] = recalc(ws, ws.cell(r, col).coordinate)
    ws = wb["By status"]
    r = next(c.row for c in ws["A"] if c.value == TOTAL)
    out["By status"] = recalc(ws, ws.cell(r, [c.value for c in ws[2]].index("total") + 1).coordinate)
    return out


def _largest_ids(entries, n: int) -> list:
    """The ids of the n rows with the largest |normalised| (exact Decimals), in
    the table's order: what a cut Entries sheet must hold."""
    size = [abs(Decimal(str(v))) for v in entries["normalised"].astype(object)]
    top = sorted(range(len(size)), key=lambda i: (-size[i], i))[:n]
    return [entries["id"].iloc[i] for i in sorted(top)]


@pytest.fixture(scope="module")
def cut(example_ledger, tmp_path_factory):
    """`ledger-tool report` on the example with a limit of 3 rows."""
    from ledger_tool.cli import main
    out = tmp_path_factory.mktemp("cut")
    code = main(["report", str(example_ledger), "--out", str(out), "--entries-sheet-limit", "3"])
    assert code in (0, None)
    return out, build_report(ledger.load(example_ledger), ReportOptions())


def test_cut_entries_sheet_says_so_and_holds_the_limit(cut):
    out, report = cut
    n = len(report.entries)
    assert n > 3, "the example must have more rows than the limit for this test"
    wb = openpyxl.load_workbook(out / "report.xlsx")
    ws = wb["Entries"]
    note = ws["A1"].value
    assert f"Showing 3 of {n}" in note and "entries.csv" in note
    data = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] in set(report.entries["id"])]
    largest = _largest_ids(report.entries, 3)
    assert [r[0] for r in data] == list(largest)     # the 3 largest, in the table's order
    assert "the largest by normalised amount" in note
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=3, max_col=2, values_only=True) if r[0]}
    assert f"Showing 3 of {n}" in about["Entries sheet"] and "entries.csv" in about["Entries sheet"]
    n_src = len(report.sources)
    assert f"of {n_src} citations" in about["Sources sheet"]
    assert f"Showing 3 of {n_src}" in wb["Sources"]["A1"].value
    cited = [r[-1] for r in wb["Sources"].iter_rows(min_row=3, values_only=True)
             if r[-1] in set(report.entries["id"])]
    assert cited and set(cited) <= set(largest)      # the citations of the entries shown


def test_cut_sheet_has_no_partial_sumif_and_totals_still_match(cut):
    out, report = cut
    wb = openpyxl.load_workbook(out / "report.xlsx")
    formulas = [c.value for row in wb["Entries"].iter_rows() for c in row if c.data_type == "f"]
    assert formulas == [], "a SUMIF over the rows shown would disagree with the totals"
    total = sum(report.summary["amount"], Decimal(0))
    assert set(_every_total(wb).values()) == {total}


def test_full_tables_beside_the_workbook_are_complete(cut):
    out, report = cut
    rows = _csv_rows(out / "entries.csv")
    assert [r["id"] for r in rows] == list(report.entries["id"])
    counted = sum(Decimal(r["normalised"]) for r in rows if r["counted"] == "yes")
    assert counted == sum(report.summary["amount"], Decimal(0))
    assert list(rows[0]) == list(report.entries.columns)
    src = _csv_rows(out / "sources.csv")
    assert sorted((r["document"], r["entry"]) for r in src) == \
        sorted(zip(report.sources["document"], report.sources["entry"]))
    import pandas as pd
    pq = pd.read_parquet(out / "entries.parquet")
    assert len(pq) == len(report.entries)
    assert sum(pq.loc[pq["counted"] == "yes", "normalised"], Decimal(0)) == counted


def test_html_entries_table_is_cut_with_a_link(cut):
    out, report = cut
    page = (out / "report.html").read_text(encoding="utf-8")
    import json
    import re
    n = report.entries["id"].nunique()
    assert "the 3 largest entries" in page and f"all {n:,} entries" in page
    assert '<a href="entries.csv">entries.csv</a>' in page
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.S)[1])
    assert len(data["entries"]) == 3 and data["meta"]["entriesTotal"] == n


def test_uncut_workbook_keeps_its_sumif_and_writes_no_extra_files(tmp_path, example_ledger):
    from reports.workbook import write_workbook
    report = build_report(ledger.load(example_ledger), ReportOptions())
    limit = max(len(report.entries), len(report.sources))     # nothing cut
    path = write_workbook(tmp_path / "r.xlsx", report, entries_limit=limit)
    ws = openpyxl.load_workbook(path)["Entries"]
    assert any(c.data_type == "f" and c.value.startswith("=SUMIF(")
               for row in ws.iter_rows() for c in row)
    assert not (tmp_path / "entries.csv").exists()
    # the library call that cuts writes the full tables itself (the note must be true)
    write_workbook(tmp_path / "cut.xlsx", report, entries_limit=2)
    assert len(_csv_rows(tmp_path / "entries.csv")) == len(report.entries)


def test_hostile_text_past_the_cut_stays_inert_in_the_csv(tmp_path):
    from reports.workbook import write_workbook
    evil = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "@SUM(A1)", "-cmd", "fine"]
    entries = tuple(Entry(id=f"e{i}", date=__import__("datetime").date(2015, 1, 1), funder="F",
                          purpose="P", amount=Decimal(100 - i), currency="GBP", amount_text=q,
                          sources=(Citation("d1", q),)) for i, q in enumerate(evil))
    r = build_report(ledger.Ledger(entries, {}, {}, None), ReportOptions())
    wb = openpyxl.load_workbook(write_workbook(tmp_path / "x.xlsx", r, entries_limit=2))
    for row in wb["Entries"].iter_rows(min_row=3, max_row=4):
        for c in row:
            if isinstance(c.value, str):
                assert c.data_type == "s", c.coordinate
    shown = [row[4] for row in wb["Entries"].iter_rows(min_row=3, max_row=4, values_only=True)]
    assert shown == evil[:2] and wb["Entries"]["E3"].quotePrefix
    written = {r["id"]: r["amount as written"] for r in _csv_rows(tmp_path / "entries.csv")}
    assert written == {f"e{i}": ("'" + q if q[0] in "=+-@" else q) for i, q in enumerate(evil)}


def _generate(folder: Path, n: int, seed: int):
    spec = importlib.util.spec_from_file_location("bench_generate",
                                                  REPO / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.write(folder, n, seed=seed)


def test_generated_ledger_cut_report_agrees_with_its_full_table(tmp_path, run_cli):
    """A generated ledger (splits, links, every period kind): the cut workbook's
    totals, the summary CSV and the full entries.csv agree to the penny, and the
    vectorised per-entry collapse keeps each entry's years summing to it."""
    _generate(tmp_path / "g", 600, seed=3)
    code, _, err = run_cli("report", tmp_path / "g", "--out", tmp_path / "r",
                           "--entries-sheet-limit", "50")
    assert code == 0, err
    rows = _csv_rows(tmp_path / "r" / "entries.csv")
    book = ledger.load(tmp_path / "g")
    report = build_report(book, ReportOptions())
    assert len(rows) == len(report.entries) > 50
    counted = sum(Decimal(r["normalised"]) for r in rows if r["counted"] == "yes")
    *parts, total_row = _csv_rows(tmp_path / "r" / "summary.csv")
    summary = sum(Decimal(r["amount"]) for r in parts)
    assert total_row["funder"] == "(total)" and Decimal(total_row["amount"]) == summary
    wb = openpyxl.load_workbook(tmp_path / "r" / "report.xlsx")
    assert counted == summary and set(_every_total(wb).values()) == {summary}
    assert wb["Entries"].max_row <= 50 + 3
    # totals basis: the year parts of each entry × purpose sum to its collapsed value
    sp = report.spread.assign(m=report.spread["value_minor"].astype("int64"))
    parts = sp.groupby(["id", "purpose"])["m"].sum()
    whole = report.frame.set_index(["id", "purpose"])["value_minor"].astype("int64")
    assert parts.reindex(whole.index).equals(whole)
    assert re.search(r"Showing 50 of [\d,]+ rows", wb["Entries"]["A1"].value)


# ------------------------------------------------ --entries-sheet-limit
@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gen") / "g"
    _generate(folder, 400, seed=5)
    report = build_report(ledger.load(folder), ReportOptions())
    return folder, report


def _about(wb) -> dict:
    return {r[0]: r[1] for r in wb["About"].iter_rows(min_row=3, max_col=2, values_only=True)
            if r[0]}


def test_sheet_limit_all_writes_every_row_with_its_live_total(generated, tmp_path, run_cli):
    folder, report = generated
    code, _, err = run_cli("report", folder, "--out", tmp_path / "r",
                           "--entries-sheet-limit", "all")
    assert code == 0, err
    assert "Entries sheet" not in err and "Sources sheet" not in err    # nothing cut
    wb = openpyxl.load_workbook(tmp_path / "r" / "report.xlsx")
    ws = wb["Entries"]
    ids = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    n = len(report.entries)
    assert ids[:n] == list(report.entries["id"]) and ids[n] == "Total counted (counted = yes)"
    col = [c.value for c in ws[2]].index("normalised") + 1
    assert recalc(ws, ws.cell(3 + n, col).coordinate) == sum(report.summary["amount"],
                                                             Decimal(0))
    (table,) = ws.tables.values()
    assert table.ref.endswith(str(2 + n))
    about = _about(wb)
    assert about["Entries sheet"] == f"all {n:,} rows (one per entry and purpose)"
    assert about["Sources sheet"] == f"all {len(report.sources):,} citations"
    assert len(list(wb["Sources"].iter_rows(min_row=3))) == len(report.sources)


def test_sheet_limit_beyond_excel_rows_is_cut_with_a_note_and_full_tables(
        generated, tmp_path, run_cli, monkeypatch):
    """Excel's 1,048,576 rows a sheet, scaled down to 100 so that a small
    generated ledger crosses it: 'all' (or a larger N) fills the sheet to the
    limit, and the About sheet, the sheet's caption and stderr say why, and
    where the full table is."""
    import reports.workbook as workbook
    folder, report = generated
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 100)
    n, n_src = len(report.entries), len(report.sources)
    assert n > 97 and n_src > 97
    for limit in ("all", "5000"):
        out = tmp_path / f"r-{limit}"
        code, _, err = run_cli("report", folder, "--out", out, "--entries-sheet-limit", limit)
        assert code == 0, err
        wb = openpyxl.load_workbook(out / "report.xlsx")
        ws = wb["Entries"]
        data = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
        largest = _largest_ids(report.entries, 97)
        assert data[:97] == largest and len(data) == 98   # + its note
        assert ws.max_row <= 100
        about = _about(wb)
        for sheet, total, what in (("Entries", n, "rows"), ("Sources", n_src, "citations")):
            note = about[f"{sheet} sheet"]
            assert f"Showing 97 of {total:,} {what}" in note and "Excel holds at most 100 rows" in note
            assert f"note: the workbook's {sheet} sheet: showing 97 of {total:,}" in err
        assert f"Showing 97 of {n:,}" in ws["A1"].value
        assert [r["id"] for r in _csv_rows(out / "entries.csv")] == list(report.entries["id"])
        assert len(_csv_rows(out / "sources.csv")) == n_src


def test_sheet_limit_a_number_cuts_and_says_so_on_stderr(generated, tmp_path, run_cli):
    folder, report = generated
    code, _, err = run_cli("report", folder, "--out", tmp_path / "r",
                           "--entries-sheet-limit", "5_00")
    n = len(report.entries)
    assert code == 0, err
    assert n < 500 < len(report.sources)
    assert "Entries sheet" not in err                        # 500 rows hold them all
    assert f"note: the workbook's Sources sheet: showing 500 of {len(report.sources):,}" in err
    code, _, err = run_cli("report", folder, "--out", tmp_path / "s",
                           "--entries-sheet-limit", "10")
    assert code == 0
    assert f"note: the workbook's Entries sheet: showing 10 of {n:,} rows" in err
    assert "entries.csv" in err and "Excel holds" not in err


@pytest.mark.parametrize("bad", ["0", "-3", "many", ""])
def test_sheet_limit_refuses_what_is_not_a_row_count(generated, tmp_path, run_cli, bad):
    folder, _ = generated
    code, _, err = run_cli("report", folder, "--out", tmp_path / "r", "--entries-sheet-limit", bad)
    assert code == 2
    assert "--entries-sheet-limit" in err and repr(bad) in err
    assert not (tmp_path / "r").exists()


def test_a_long_sheet_reports_its_progress(generated, tmp_path, monkeypatch):
    import io

    import reports.workbook as workbook
    from reports.progress import Progress
    _, report = generated
    monkeypatch.setattr(workbook, "PROGRESS_EVERY", 100)
    stream = io.StringIO()
    workbook.write_workbook(tmp_path / "p.xlsx", report, entries_limit=None,
                            progress=Progress("report", stream=stream, enabled=True))
    said = stream.getvalue()
    n, n_src = len(report.entries), len(report.sources)
    for k in range(100, n + 1, 100):
        assert f"Entries sheet, {k:,} of {n:,} rows" in said
    assert f"Sources sheet, 500 of {n_src:,} rows" in said


def test_libreoffice_recalculates_the_streamed_entries_total(generated, tmp_path, run_cli):
    """The streamed Entries sheet's SUMIF (written without a cached value)
    recalculates in LibreOffice to the ledger's total."""
    import shutil
    import subprocess
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("soffice (LibreOffice) is not installed; the SUMIF is recalculated in "
                    "Python by test_sheet_limit_all_writes_every_row_with_its_live_total")
    folder, report = generated
    code, _, err = run_cli("report", folder, "--out", tmp_path / "r",
                           "--entries-sheet-limit", "all")
    assert code == 0, err
    wb = openpyxl.load_workbook(tmp_path / "r" / "report.xlsx", read_only=True)
    sheet_no = wb.sheetnames.index("Entries") + 1
    subprocess.run([soffice, "--headless", "--convert-to",
                    f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,"
                    f"{sheet_no}", "--outdir", str(tmp_path), str(tmp_path / "r" / "report.xlsx")],
                   check=True, timeout=300, capture_output=True)
    out = next(tmp_path.glob("report*Entries*.csv"), None) or tmp_path / "report.csv"
    rows = list(csv.reader(out.open(encoding="utf-8")))
    headers = rows[1]
    (total,) = [r for r in rows if r and r[0] == "Total counted (counted = yes)"]
    shown = total[headers.index("normalised")]
    assert Decimal(re.sub(r"[^\d.]", "", shown)) == sum(report.summary["amount"], Decimal(0))
    assert len(rows) == 2 + len(report.entries) + 1
