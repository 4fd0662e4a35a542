"""A listing of a ledger whose fiscal year starts on 07-01, imported into a
journal file outside any ledger (whose fiscal years start on 04-01): its
"fiscal year 2017-18" would be April 2017 to March 2018 there, not July
2017 to June 2018, so that row is refused naming the dates; the one-off row
is imported.  By hand: US$4,000,000 of the two rows' 8,000,000."""
from __future__ import annotations

from decimal import Decimal

import ledger

LISTING = ("id,date,funder,purpose,amount,currency,period,sources,fiscal_year_start\n"
           "f1,2017-05-10,US,Sec,4000000,USD,fiscal year 2017-18,d1,07-01\n"
           "f2,2017-05-10,US,Hum,4000000,USD,one-off,d1,07-01\n")


def test_a_fiscal_year_of_another_start_into_a_journal_file(tmp_path, run_cli):
    src = tmp_path / "f.csv"
    src.write_text(LISTING, encoding="utf-8")
    out = tmp_path / "x.toml"
    out.write_text("# an existing journal file: a new one takes the listing's start\n")
    code, _, err = run_cli("import", src, "-o", out)
    assert code == 0, err
    assert "from 2017-07-01 to 2018-06-30" in err and "row 2" in err
    entries = ledger.load(out).entries
    assert [(e.id, e.amount) for e in entries] == [("f2", Decimal(4_000_000))]
