"""import --to DIR.parquet inside a ledger folder is refused: the dataset's
_ledger.toml would be read as one of the ledger's journal files and change
its fiscal year unsaid."""
from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from decimal import Decimal
from pathlib import Path

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"


def _share_2024(start: dt.date, amount: Decimal) -> Decimal:
    """The calendar-2024 part of ``amount`` spread by day over the fiscal
    year beginning ``start`` (worked independently of the tool)."""
    end = dt.date(start.year + 1, start.month, start.day)
    days = (end - start).days
    in_2024 = (dt.date(2025, 1, 1) - start).days
    return (amount * in_2024 / days).quantize(Decimal("0.01"))


def test_a_dataset_inside_a_ledger_folder_is_refused(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = tmp_path / "h"
    shutil.copytree(HARBOUR, book)
    options = (book / "ledger.toml").read_text("utf-8")
    (book / "ledger.toml").write_text("\n".join(ln for ln in options.splitlines()
                                                if "fiscal_year_start" not in ln) + "\n")
    table = tmp_path / "z.csv"
    table.write_text("id,date,funder,purpose,amount,currency,fiscal_year_start\n"
                     "z1,2020-01-01,X,A,1000,USD,10-01\n", encoding="utf-8")
    before = sorted(p.relative_to(book) for p in book.rglob("*"))
    code, _, err = run_cli("import", table, "--to", book / "data.parquet")
    assert code == 1 and "data.parquet" in err and "ledger folder" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.relative_to(book) for p in book.rglob("*")) == before
    # the ledger's fiscal year still starts on 1 April: "£1.5m in fiscal
    # year 2024-25" is 275 of its 365 days in calendar 2024
    code, out, err = run_cli("balance", book, "--by", "year", "--currency", "GBP",
                             "--purpose", "Harbour:Porthwen lights", "--format", "csv")
    assert code == 0, err
    got = {(r["account"], r["year"]): Decimal(r["amount"])
           for r in csv.DictReader(io.StringIO(out))}
    assert got[("Purposes", "2024")] == _share_2024(dt.date(2024, 4, 1), Decimal(1_500_000))
    assert got[("Purposes", "2024")] == Decimal("1130136.99")
    # a dataset in the ledger's source archive or a hidden folder is not read by it
    code, _, err = run_cli("import", table, "--to", book / ".data" / "d.parquet")
    assert code == 0, err
    code, _, err = run_cli("import", table, "--to", tmp_path / "d.parquet")
    assert code == 0, err
