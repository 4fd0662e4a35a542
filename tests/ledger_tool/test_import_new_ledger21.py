"""A listing's fiscal_year_start goes to every new ledger `import` makes:
a new folder, an existing empty folder (made a ledger) and a new journal
file alone (a one-file ledger: its [ledger] table).  By hand: £10m a year
from 1 January 2016 falls in the fiscal year 2015-16 starting 1 July
(1 July 2015 - 30 June 2016, 366 days) for 1 January - 30 June 2016, 182
days: £10m × 182/366 = £4,972,677.60 (April years, as before for the
empty folder and the new file: 91 days, £2,486,338.80)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

LISTING = """\
date,funder,purpose,amount,currency,qualifier,period,status,links,sources,restated,\
value_date,tags,fiscal_year_start
2016-01-01,UK:A,X,10000000,GBP,exact,per year,pledged,,,,,,07-01
2016-07-01,UK:B,Y,6000000,GBP,exact,over 18 months,committed,,,,,,07-01
"""
WANT_2015_16 = Decimal("10000000") * 182 / 366


def _fiscal_years(run_cli, book: Path) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", book, "--currency", "GBP", "--by", "fiscal-year",
                             "--format", "csv")
    assert code == 0, err
    return {r["year"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "(total)"}


@pytest.mark.parametrize("output", ["new-folder", "empty-folder", "new.toml"])
def test_every_new_ledger_takes_the_listings_fiscal_year_start(tmp_path, run_cli, output):
    rows = tmp_path / "rows.csv"
    rows.write_text(LISTING, encoding="utf-8")
    out = tmp_path / "out" / output
    out.parent.mkdir()
    if output == "empty-folder":
        out.mkdir()
    code, _, err = run_cli("import", rows, "-o", out)
    assert code == 0, err
    assert "fiscal year's" not in err and "start on 04-01" not in err, err
    assert "fiscal year starts on 07-01" in err
    years = _fiscal_years(run_cli, out)
    assert abs(years["2015-16"]) == WANT_2015_16.quantize(Decimal("0.01"))


def test_an_april_listing_into_a_new_file_adds_no_table(tmp_path, run_cli):
    """A listing of a ledger starting in April (the default) writes the
    new journal file as before: its entries alone."""
    rows = tmp_path / "rows.csv"
    rows.write_text(LISTING.replace(",07-01", ",04-01"), encoding="utf-8")
    code, _, err = run_cli("import", rows, "-o", tmp_path / "new.toml")
    assert code == 0, err
    assert "[ledger]" not in (tmp_path / "new.toml").read_text(encoding="utf-8")
    assert abs(_fiscal_years(run_cli, tmp_path / "new.toml")["2015-16"]) == \
        Decimal("2486338.80")
