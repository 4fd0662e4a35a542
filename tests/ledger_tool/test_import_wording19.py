"""Messages that said the wrong thing: an ISO date and time whose time or
zone is out of range is an invalid time (not "has a time of day"); an
archived IATI file's message reads "a copy of an archived IATI file"; a
ledger whose fiscal_year_start is invalid is said to have an invalid one,
not to start on "7" or "13-45"."""
from __future__ import annotations

import types

import pytest

from ledger.errors import LedgerError
from ledger.imports.iati import _archived

HEAD = "id,date,funder,purpose,amount,currency,source\n"


@pytest.mark.parametrize("when", ["2015-07-30T25:61:00Z", "2015-07-30T14:30:00+99:99",
                                  "2015-07-30 24:00", "2015-07-30T14:60"])
def test_an_iso_date_with_an_invalid_time_says_so(tmp_path, run_cli, when):
    (tmp_path / "d.csv").write_text(HEAD + f"d1,{when},UK:A,P:A,100,GBP,doc\n",
                                    encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "d.csv", "-o", tmp_path / "out.toml")
    assert code == 1
    assert f"not a date: {when!r} has an invalid time of day or time zone" in err, err
    assert "has a time of day: write" not in err


def test_a_valid_iso_date_and_time_is_its_day(tmp_path, run_cli):
    (tmp_path / "d.csv").write_text(HEAD + "d1,2015-07-30T23:59:00+05:30,UK:A,P:A,100,GBP,doc\n"
                                    "d2,2015-07-30 14:30 =cmd,UK:A,P:B,100,GBP,doc\n",
                                    encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "d.csv", "-o", tmp_path / "out.toml")
    assert code == 0, err
    assert "date = 2015-07-30" in (tmp_path / "out.toml").read_text(encoding="utf-8")
    # a date with other text after its time keeps the time-of-day reason
    assert "'2015-07-30 14:30 =cmd' has a time of day: write the date alone" in err


def test_an_archived_iati_file_message_reads_well(tmp_path):
    (tmp_path / "sources" / "a.xml").mkdir(parents=True)     # a folder, not a file
    doc = types.SimpleNamespace(path="a.xml", sha256="")
    with pytest.raises(LedgerError) as got:
        _archived(tmp_path / "sources", doc)
    assert "a copy of an archived IATI file" in str(got.value)
    assert "a archived" not in str(got.value)


LISTING = ("date,funder,purpose,amount,currency,period,sources,fiscal_year_start\n"
           "2017-04-01,UK:A,P:A,100,GBP,fiscal year 2017-18,doc,07-01\n"
           "2017-05-01,UK:A,P:B,200,GBP,one-off,doc,07-01\n")


@pytest.mark.parametrize("start", ["7", '"7"', '"13-45"'])
def test_an_invalid_fiscal_year_start_is_said_invalid(tmp_path, run_cli, start):
    book = tmp_path / "book"
    book.mkdir()
    (book / "ledger.toml").write_text(f'[ledger]\nname = "b"\nfiscal_year_start = {start}\n',
                                      encoding="utf-8")
    (tmp_path / "l.csv").write_text(LISTING, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "l.csv", "-o", book)
    shown = start.strip('"')
    assert f"fiscal_year_start {shown!r} is invalid" in err, err
    assert f"starts on {shown}" not in err, err
    # the listing's fiscal year 2017-18 (from 1 July) is refused, its dates given
    assert (f"this ledger's fiscal_year_start {shown!r} is invalid, so its fiscal years are "
            f"unknown: write the period as its dates ('from 2017-07-01 to 2018-06-30')") in err
