"""A user's rate that fits a spreadsheet number (15 significant digits or
fewer) is shown on the Entries sheet to its last digit, in LibreOffice too
(docs/reports.md).  The former format "0.0###…" did not: LibreOffice shows
20 decimal places at most (0.00000000123456789012345 came out as
0.00000000123456789012) and rounds a rate just below a power of ten
(999999999.999999 came out as 1000000000.0).

The expected figures are the rates as written in the ledger's rates.csv;
LibreOffice's own display (its CSV export "as shown") is compared with them
where it is installed."""
from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal

import pytest

openpyxl = pytest.importorskip("openpyxl")

RATES = {"USD": "0.00000000123456789012345",    # 15 digits, 23 decimal places
         "EUR": "999999999.999999",              # 15 nines: just below 10^9
         "CHF": "0.000000001",
         "SEK": "188.77",
         "NOK": "0.0000000999999999999999",      # 15 nines, 22 places
         "DKK": "0.00005012701935541",           # 16 places
         "JPY": "99999.9999999999",              # 15 nines: just below 10^5
         "AUD": "2"}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    from ledger_tool.cli import main
    base = tmp_path_factory.mktemp("rates28b")
    led = base / "led"
    led.mkdir()
    (led / "ledger.toml").write_text('[ledger]\nname = "t"\ncurrency = "GBP"\n')
    (led / "p.toml").write_text("".join(
        f'[[entry]]\nid = "{c.lower()}"\ndate = 2015-03-10\nfunder = "F{c}"\npurpose = "P"\n'
        f'amount = "1"\ncurrency = "{c}"\n' for c in RATES))
    (led / "rates.csv").write_text("date,from,to,rate,source\n" + "".join(
        f"2015-01-01,{c},GBP,{r},user\n" for c, r in RATES.items()))
    assert main(["report", str(led), "--out", str(base / "out")]) == 0
    return base / "out" / "report.xlsx"


def _column(rows, header_row: int, name: str) -> dict[str, object]:
    header = list(rows[header_row])
    j = header.index(name)
    return {r[0]: r[j] for r in rows[header_row + 1:] if r and r[0] in
            {c.lower() for c in RATES}}


def test_every_rate_is_a_number_cell_formatted_to_its_digits(workbook):
    """A number cell (not text), whose format keeps every decimal of the
    rate within the 20 places LibreOffice shows, or says it in scientific
    form with all its significant digits."""
    ws = openpyxl.load_workbook(workbook)["Entries"]
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[1]]
    cells = {r[0].value: r[header.index("rate")] for r in rows[2:]}
    for c, rate in RATES.items():
        cell, d = cells[c.lower()], Decimal(rate).normalize()
        assert cell.data_type == "n" and cell.value == float(rate), c
        fmt = cell.number_format
        if fmt.endswith("E+00"):
            assert len(fmt.split(".")[-1]) - 4 >= len(d.as_tuple().digits) - 1, (c, fmt)
        else:
            places = len(fmt.partition(".")[2])
            assert places <= 20 and places >= -d.as_tuple().exponent, (c, fmt)


def test_libreoffice_shows_every_rate_to_its_last_digit(workbook, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("soffice (LibreOffice) is not installed; the cells are checked by "
                    "test_every_rate_is_a_number_cell_formatted_to_its_digits")
    # token 9 true: each cell as LibreOffice shows it; -1: every sheet
    subprocess.run([soffice, "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,"
                    "false,-1", "--outdir", str(tmp_path), str(workbook)],
                   check=True, timeout=180, capture_output=True)
    out = next(tmp_path.glob("report*Entries*.csv"))
    rows = list(csv.reader(out.open(encoding="utf-8")))
    shown = _column(rows, 1, "rate")
    assert set(shown) == {c.lower() for c in RATES}
    for c, rate in RATES.items():
        assert Decimal(str(shown[c.lower()])) == Decimal(rate), (c, shown[c.lower()], rate)
