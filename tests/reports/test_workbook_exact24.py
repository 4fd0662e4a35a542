"""Amounts a spreadsheet number cannot hold (hunt 14, finding 2): a cell is
an IEEE double, exact to 15 significant digits.  £10,000,000,000,000.01 has
17, so it and every total over it are written as exact text, the sheet's
totals as values, and one note says so on the sheet and on stderr; a ledger
whose amounts all fit keeps its live formulas.  The expected figures are
the entries' amounts added here by hand; LibreOffice's recalculation is
checked where it is installed."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

openpyxl = pytest.importorskip("openpyxl")

WIDE = [("huge", "Huge", "Big", "1000000000000000"),      # 10^15: one digit, fits
        ("small", "A", "P", "12345.67"),
        ("wide", "B", "P", "10000000000000.01")]          # 17 digits: does not fit
FITS = [("a", "A", "P", "9999999999999.99"),              # 15 digits
        ("b", "B", "P", "0.01")]                          # the total 10^13 fits


def _ledger(path, entries):
    path.mkdir()
    (path / "ledger.toml").write_text('[ledger]\nname = "t"\ncurrency = "GBP"\n')
    (path / "p.toml").write_text("".join(
        f'[[entry]]\nid = "{i}"\ndate = 2015-03-10\nfunder = "{f}"\npurpose = "{p}"\n'
        f'amount = "{a}"\ncurrency = "GBP"\nstatus = "pledged"\n' for i, f, p, a in entries))
    return path


def _by_hand(entries):
    """{purpose: {funder: amount}} with the row totals ("Total") and the
    column totals (purpose "Total"), added as exact decimals."""
    cells: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for _, funder, purpose, amount in entries:
        for p in (purpose, "Total"):
            for f in (funder, "Total"):
                cells[p][f] += Decimal(amount)
    return cells


def _digits(d: Decimal) -> int:
    return len(d.normalize().as_tuple().digits)


def _summary(xlsx):
    ws = openpyxl.load_workbook(xlsx)["Summary"]
    header = [c.value for c in ws[2]]
    rows = {r[0].value: dict(zip(header[1:], r[1:])) for r in ws.iter_rows(min_row=3)
            if r[0].value}
    return ws, rows


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    from ledger_tool.cli import main
    base = tmp_path_factory.mktemp("exact24")
    out = {}
    for name, entries in (("wide", WIDE), ("fits", FITS)):
        ledger = _ledger(base / name, entries)
        code = main(["report", str(ledger), "--out", str(base / f"{name}-out")])
        assert code == 0
        out[name] = base / f"{name}-out" / "report.xlsx"
    return out


def test_amounts_beyond_15_digits_are_exact_text(written):
    want = _by_hand(WIDE)
    ws, rows = _summary(written["wide"])
    assert "more than 15 significant digits" in ws["A1"].value
    seen = 0
    for purpose, cells in rows.items():
        for funder, cell in cells.items():
            exact = want[purpose][funder]
            assert cell.data_type != "f"              # the sheet's totals are values
            if _digits(exact) > 15:
                assert cell.data_type == "s" and Decimal(cell.value) == exact
                seen += 1
            else:
                assert Decimal(str(cell.value or 0)) == exact
    # P's row total, B's column total and the grand total: 1,010,000,000,012,345.68
    assert seen == 4 and rows["Total"]["Total"].value == "1010000000012345.68"
    entries = openpyxl.load_workbook(written["wide"])["Entries"]
    header = [c.value for c in entries[2]]
    norm = header.index("normalised")
    col = {r[0].value: r[norm].value for r in entries.iter_rows(min_row=3) if r[0].value}
    assert col["wide"] == "10000000000000.01" and col["huge"] == 1e15
    assert col["Total counted (counted = yes)"] == "1010000000012345.68"


def test_amounts_that_fit_keep_live_formulas(written):
    want = _by_hand(FITS)
    ws, rows = _summary(written["fits"])
    assert "significant digits" not in ws["A1"].value
    total = rows["Total"]["Total"]
    assert total.data_type == "f" and total.value.startswith("=SUM(")
    assert Decimal(str(rows["P"]["A"].value)) == want["P"]["A"] == Decimal("9999999999999.99")


def test_the_command_says_so_once(tmp_path, run_cli):
    for name, entries, notes in (("wide", WIDE, 1), ("fits", FITS, 0)):
        code, _, err = run_cli("report", _ledger(tmp_path / name, entries),
                               "--out", tmp_path / f"{name}-out")
        lines = [ln for ln in err.splitlines() if "significant digits" in ln]
        assert code == 0 and len(lines) == notes
        if notes:
            assert lines[0].startswith("note: the workbook: ") and "Summary (4), " in lines[0]
            assert "Entries (3)" in lines[0]   # the amount, as normalised and as stated; the total


@pytest.mark.parametrize("name", ["wide", "fits"])
def test_libreoffice_shows_every_figure_exactly(written, name, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("soffice (LibreOffice) is not installed; the cells are checked by "
                    "test_amounts_beyond_15_digits_are_exact_text")
    subprocess.run([soffice, "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,"
                    "false,2", "--outdir", str(tmp_path), str(written[name])],
                   check=True, timeout=180, capture_output=True)
    out = next(tmp_path.glob("report*Summary*.csv"), None) or tmp_path / "report.csv"
    rows = list(csv.reader(out.open(encoding="utf-8")))
    header = rows[1]
    want = _by_hand(WIDE if name == "wide" else FITS)
    checked = 0
    for row in rows[2:]:
        if not row or not row[0] or row[0] not in want:
            continue
        for funder, shown in zip(header[1:], row[1:]):
            # as shown after recalculation: "£12,345.67", or the exact text
            assert Decimal(re.sub(r"[^\d.\-]", "", shown) or "0") == want[row[0]][funder]
            checked += 1
    assert checked == len(want) * len(want["Total"])


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**17), max_value=10**17), st.sampled_from([0, 2, 3]))
def test_what_fits_is_shown_exactly_by_a_15_digit_spreadsheet(minor, places):
    from reports.workbook import fits_a_number
    amount = Decimal(minor).scaleb(-places)
    shown = Decimal(f"{float(amount):.15g}")      # the double, as Excel/LibreOffice show it
    assert fits_a_number(amount) == (shown == amount)
