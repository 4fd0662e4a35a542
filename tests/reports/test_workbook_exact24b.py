"""Review of fix24: a cut Entries sheet has no total row, so its kept rows'
sum is never written and cannot make the sheet "exact text"; and a cell
rewritten as exact text or as a value keeps the projected year's shading.
The amounts are chosen so that each fits a spreadsheet number (15
significant digits) and only their sum does not."""
from __future__ import annotations

import pytest

openpyxl = pytest.importorskip("openpyxl")

SIX = "6000000000000.01"       # 15 significant digits: fits
# e1 + e2 + e3 = 12,000,000,000,001.52: 16 digits, does not fit


def _ledger(path, body):
    path.mkdir()
    (path / "ledger.toml").write_text('[ledger]\nname = "t"\ncurrency = "GBP"\n')
    (path / "p.toml").write_text(body)
    return path


def _entry(i, date, amount, extra=""):
    return (f'[[entry]]\nid = "{i}"\ndate = {date}\nfunder = "F{i}"\npurpose = "P"\n'
            f'amount = "{amount}"\ncurrency = "GBP"\nstatus = "pledged"\n{extra}')


def test_cut_entries_sheet_flags_only_what_it_shows(tmp_path, capsys):
    from ledger_tool.cli import main
    ledger = _ledger(tmp_path / "l", _entry("e1", "2015-03-10", SIX) + _entry("e2", "2015-03-11", SIX)
                     + _entry("e3", "2015-03-12", "1.50"))
    out = tmp_path / "out"
    assert main(["report", str(ledger), "--out", str(out), "--entries-sheet-limit", "2"]) == 0
    err = capsys.readouterr().err
    ws = openpyxl.load_workbook(out / "report.xlsx")["Entries"]
    caption = ws["A1"].value
    assert "Only 2 of 3" in caption or "2 of 3" in caption
    assert "significant digits" not in caption      # e1 and e2 fit; no total row here
    shown = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] in ("e1", "e2")]
    assert len(shown) == 2
    # the stderr note counts the Summary's wide totals, not the Entries sheet
    assert "Entries (" not in err


def test_projected_row_keeps_its_shading_when_a_total_is_rewritten(tmp_path):
    from ledger_tool.cli import main
    # open-ended from 2015-04-01, the last bounded entry in 2016 and a horizon
    # of 2018: 2017 and 2018 are projected, each 10,000,000,000,000.01 (17
    # significant digits: written as exact text)
    ledger = _ledger(tmp_path / "l",
                     _entry("o", "2015-04-01", "10000000000000.01", 'period = "a year"\n')
                     + _entry("b", "2016-06-01", "5"))
    out = tmp_path / "out"
    assert main(["report", str(ledger), "--out", str(out), "--horizon", "2018"]) == 0
    ws = openpyxl.load_workbook(out / "report.xlsx")["By year"]
    rows = [r for r in ws.iter_rows() if isinstance(r[0].value, str)
            and r[0].value.endswith("(projected)")]
    assert rows, "no projected year on the By year sheet"
    for row in rows:
        filled = [c for c in row if c.value is not None]
        assert any(isinstance(c.value, str) and c.column > 1 for c in filled), \
            "the projected row's figures should include exact text"
        for c in filled:
            assert c.fill.fill_type == "lightUp", f"{c.coordinate} lost the projected shading"

