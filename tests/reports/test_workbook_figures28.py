"""The workbook's other figures a spreadsheet number cannot hold (a cell is
an IEEE double, exact to 15 significant digits): a user's rate of 16 digits
on the Entries sheet and an audit figure of 18 on the Audit sheet are
written as exact text, right-aligned, with one note on the sheet and one on
stderr; rates that fit stay numbers, shown to their last digit (they were
shown at 6 decimals).  The expected figures are the rate table's as typed
and the restatements' quotients worked here from the journal; LibreOffice's
recalculated sheets are checked where it is installed."""
from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal, localcontext

import pytest

openpyxl = pytest.importorskip("openpyxl")

WIDE_RATE = "0.6543210987654321"          # 16 significant digits
FIT_RATE = "0.7234567890123"              # 13: a number cell holds it
REF_RATE = "19725.5"                      # GBP->IDR, the audit's reference
RATES = (f"date,from,to,rate,source\n2015-01-01,USD,GBP,{WIDE_RATE},long\n"
         f"2015-01-01,EUR,GBP,{FIT_RATE},short\n2015-01-01,GBP,IDR,{REF_RATE},ref\n")
ENTRIES = [("u", "1000", "USD", None), ("e", "1000", "EUR", None),
           ("r", "7", "GBP", "IDR 1234567890123"),       # implied rate: 18 digits at 1e-6
           ("f", "12", "GBP", "IDR 236706")]             # implied 19725.5: fits
SIX = Decimal("1e-6")


def _ledger(path):
    path.mkdir()
    (path / "ledger.toml").write_text('[ledger]\nname = "t"\ncurrency = "GBP"\n')
    (path / "rates.csv").write_text(RATES)
    (path / "p.toml").write_text("".join(
        f'[[entry]]\nid = "{i}"\ndate = 2015-03-10\nfunder = "F{i}"\npurpose = "P"\n'
        f'amount = "{a}"\ncurrency = "{c}"\n' + (f'restated = ["{r}"]\n' if r else "")
        for i, a, c, r in ENTRIES))
    return path


def _audit_by_hand() -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """Per restating entry: (implied rate, reference rate, deviation) at 6 places."""
    out = {}
    ref = Decimal(REF_RATE)
    for i, a, _, r in ENTRIES:
        if r:
            with localcontext() as ctx:
                ctx.prec = 28
                implied = Decimal(r.split()[1]) / Decimal(a)
                out[i] = (implied.quantize(SIX), ref.quantize(SIX), (implied / ref - 1).quantize(SIX))
    return out


def _digits(d: Decimal) -> int:
    return len(d.normalize().as_tuple().digits)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    base = tmp_path_factory.mktemp("figures28")
    (base / "src").mkdir()
    return _ledger(base / "led"), base


def test_wide_rates_and_audit_figures_are_exact_text(written, run_cli):
    led, base = written
    out = base / "out1"
    code, _, err = run_cli("report", led, "--out", out, "--sources", base / "src")
    assert code == 0, err
    notes = [ln for ln in err.splitlines() if "significant digits" in ln]
    assert len(notes) == 1 and notes[0].startswith("note: the workbook: ")
    assert "Entries (1), Audit (1)" in notes[0]
    wb = openpyxl.load_workbook(out / "report.xlsx")
    ws = wb["Entries"]
    assert "more than 15 significant digits" in ws["A1"].value
    head = [c.value for c in ws[2]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=3) if r[0].value in {"u", "e"}}
    rate = head.index("rate")
    wide, fit = rows["u"][rate], rows["e"][rate]
    assert wide.data_type == "s" and wide.value == WIDE_RATE
    assert wide.alignment.horizontal == "right"
    assert fit.data_type == "n" and Decimal(str(fit.value)) == Decimal(FIT_RATE)
    audit = wb["Audit"]
    assert "more than 15 significant digits" in audit["A1"].value
    cols = [c.value for c in audit[3]]
    want = _audit_by_hand()
    seen = set()
    for r in audit.iter_rows(min_row=4):
        entry, code_ = r[cols.index("entry")].value, r[cols.index("code")].value
        if entry not in want or not code_.startswith("restatement-"):
            continue
        seen.add(entry)
        for name, figure in zip(("implied_rate", "reference_rate", "deviation"), want[entry]):
            cell = r[cols.index(name)]
            if _digits(figure) > 15:
                assert cell.data_type == "s" and Decimal(cell.value) == figure, (entry, name)
            else:
                assert cell.data_type == "n" and Decimal(str(cell.value)) == figure, (entry, name)
    assert seen == set(want) and _digits(want["r"][0]) > 15 >= _digits(want["f"][0])


def test_libreoffice_shows_every_rate_and_audit_figure_exactly(written, run_cli, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("soffice (LibreOffice) is not installed; the cells are checked by "
                    "test_wide_rates_and_audit_figures_are_exact_text")
    led, base = written
    out = base / "out2"
    code, _, err = run_cli("report", led, "--out", out, "--sources", base / "src")
    assert code == 0, err
    # every sheet recalculated and saved as shown ("as shown": token 9), one CSV each
    subprocess.run([soffice, "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,"
                    "false,-1", "--outdir", str(tmp_path), str(out / "report.xlsx")],
                   check=True, timeout=180, capture_output=True)
    entries = list(csv.reader((tmp_path / "report-Entries.csv").open(encoding="utf-8")))
    head = entries[1]
    shown = {r[0]: r[head.index("rate")] for r in entries[2:] if r and r[0] in {"u", "e"}}
    assert Decimal(shown["u"]) == Decimal(WIDE_RATE) and Decimal(shown["e"]) == Decimal(FIT_RATE)
    audit = list(csv.reader((tmp_path / "report-Audit.csv").open(encoding="utf-8")))
    cols = audit[2]
    want = _audit_by_hand()
    got = {r[cols.index("entry")]: r for r in audit[3:]
           if len(r) == len(cols) and r[cols.index("code")].startswith("restatement-")}
    assert set(got) == set(want)
    for entry, figures in want.items():
        for name, figure in zip(("implied_rate", "reference_rate", "deviation"), figures):
            assert Decimal(got[entry][cols.index(name)]) == figure, (entry, name)
