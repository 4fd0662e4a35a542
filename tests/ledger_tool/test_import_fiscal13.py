"""A ledger's fiscal_year_start crosses a CSV round trip: `list --format
csv` and `export --to csv` write it (a fiscal_year_start column), and
`import` gives it to the new ledger it makes, so its fiscal years are the
first ledger's.  Into a ledger whose fiscal year starts on another day, a
row's fiscal-year period is refused (it would be another year) and the
difference is said.  Figures by hand: £5m in fiscal year 2017-18 of a
ledger starting on 1 July falls wholly in July 2017 - June 2018; counted
in April years it would be 274/365 and 91/365 of it."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

import ledger

BOOK = """\
[[document]]
id = "budget"
title = "Budget"

[[entry]]
id = "{id}"
date = 2017-07-01
funder = "UK"
purpose = "Ports"
amount = "£5m"
period = "fiscal year 2017-18"
  [[entry.source]]
  doc = "budget"
  quote = "{quote}"
"""


def _ledger(folder: Path, start: str, eid: str = "fy", quote: str = "£5m in 2017-18") -> Path:
    folder.mkdir()
    (folder / "ledger.toml").write_text(
        f'[ledger]\nname = "f"\ncurrency = "GBP"\nfiscal_year_start = "{start}"\n',
        encoding="utf-8")
    (folder / "book.toml").write_text(BOOK.format(id=eid, quote=quote), encoding="utf-8")
    return folder


def _rows(run_cli, book: Path, how: str, out: Path) -> Path:
    if how == "list":
        code, text, err = run_cli("list", book, "--format", "csv")
        out.write_text(text, encoding="utf-8")
    else:
        code, _, err = run_cli("export", book, "--to", "csv", "-o", out)
    assert code == 0, err
    return out


def _fiscal_years(run_cli, book: Path) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", book, "--currency", "GBP", "--by", "fiscal-year",
                             "--format", "csv")
    assert code == 0, err
    return {r["year"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "(total)"}


@pytest.mark.parametrize("how", ["list", "export"])
def test_a_new_ledger_gets_the_fiscal_year_start(tmp_path, run_cli, how):
    first = _ledger(tmp_path / "first", "07-01")
    assert _fiscal_years(run_cli, first) == {"2017-18": Decimal(5_000_000)}
    rows = _rows(run_cli, first, how, tmp_path / "rows.csv")
    code, _, err = run_cli("import", rows, "-o", tmp_path / "new")
    assert code == 0, err
    assert ledger.load(tmp_path / "new").options["fiscal_year_start"] == "07-01"
    assert _fiscal_years(run_cli, tmp_path / "new") == {"2017-18": Decimal(5_000_000)}


def test_a_fiscal_year_of_another_start_is_refused(tmp_path, run_cli):
    """An April ledger's "fiscal year 2017-18" into a July ledger would be
    July 2017 - June 2018: refused, naming the dates it means."""
    rows = _rows(run_cli, _ledger(tmp_path / "april", "04-01"), "list", tmp_path / "rows.csv")
    july = _ledger(tmp_path / "july", "07-01", eid="other", quote="five million")
    code, _, err = run_cli("import", rows, "-o", july)
    assert code == 1, err
    assert "from 2017-04-01 to 2018-03-31" in err, err
    assert [e.id for e in ledger.load(july).entries] == ["other"]


def test_another_start_is_said(tmp_path, run_cli):
    """A July ledger's rows (dates) into an April ledger keep their dates;
    that its fiscal years start on 04-01 is said."""
    rows = _rows(run_cli, _ledger(tmp_path / "july", "07-01"), "list", tmp_path / "rows.csv")
    april = tmp_path / "april"
    april.mkdir()
    (april / "ledger.toml").write_text('[ledger]\nname = "a"\ncurrency = "GBP"\n',
                                       encoding="utf-8")
    code, _, err = run_cli("import", rows, "-o", april)
    assert code == 0, err
    assert "starts on 07-01" in err and "starts on 04-01" in err, err
    # the entry as its dates: 274 of its 365 days before 1 April 2018
    assert _fiscal_years(run_cli, april) == {
        "2017-18": Decimal("3753424.66"), "2018-19": Decimal("1246575.34")}
