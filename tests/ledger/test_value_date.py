"""An entry's value_date (``ledger.model.Entry.value_date``): the date whose
exchange rate converts the amount, through every reader, the writer, the
one valuation step and the IATI importer (issue 21: value-date is the date
of the exchange rate, transaction-date the entry's date)."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

import ledger
from ledger.writer import render
from rates import RateTable, to_frame

ACTIVITY = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
  <iati-activity default-currency="EUR">
    <iati-identifier>XM-TEST-1</iati-identifier>
    <reporting-org ref="XM-TEST" type="10"><narrative>Test donor</narrative></reporting-org>
    <title><narrative>Rate date</narrative></title>
    <participating-org ref="XM-TEST" role="1" type="10"><narrative>Test donor</narrative></participating-org>
    <recipient-country code="KE" percentage="100"/>
    <sector vocabulary="1" code="12220" percentage="100"/>
    <transaction ref="C1">
      <transaction-type code="2"/>
      <transaction-date iso-date="2007-03-01"/>
      <value currency="EUR" value-date="2021-06-30">1000000</value>
    </transaction>
  </iati-activity>
</iati-activities>
"""

JOURNAL = """[[entry]]
id = "a"
date = 2007-03-01
value_date = 2021-06-30
funder = "UK:Home Office"
purpose = "Security:Port"
amount = "EUR 1000000"
status = "committed"

[[entry]]
id = "b"
date = 2007-03-01
funder = "UK:Home Office"
purpose = "Security:Port"
amount = "EUR 2000000"
status = "committed"
"""


def _gbp(amount: str, date: str) -> Decimal:
    """The amount in GBP at the ECB rate of ``date``, from the rate table's own lookup."""
    return RateTable.load().convert(amount, "EUR", "GBP", date).amount


def _total(out: str) -> Decimal:
    return Decimal(next(r["amount"] for r in json.loads(out) if r["account"] == "(total)"))


def test_the_value_date_converts_the_amount_and_the_entry_keeps_its_date(tmp_path, run_cli):
    (tmp_path / "l.toml").write_text(JOURNAL, encoding="utf-8")
    book = ledger.load(tmp_path / "l.toml")
    a = {e.id: e for e in book.entries}["a"]
    assert str(a.date) == "2007-03-01" and str(a.value_date) == "2021-06-30"
    code, out, err = run_cli("balance", tmp_path / "l.toml", "--currency", "GBP", "--format", "json")
    assert code == 0, err
    want = _gbp("1000000", "2021-06-30") + _gbp("2000000", "2007-03-01")
    assert _gbp("1000000", "2021-06-30") != _gbp("1000000", "2007-03-01")
    assert _total(out) == want
    # as-stated with no GBP restatement falls back to the same rates, and says which date
    code, out, err = run_cli("balance", tmp_path / "l.toml", "--currency", "GBP", "--format", "json",
                             "--valuation", "as-stated")
    assert code == 0, err
    assert _total(out) == want
    frame = to_frame(book, valuation="as-stated")
    assert list(frame["rate_source"].str.endswith("valued at its value_date)")) == [True, False]
    # by year: the entry stays in 2007
    code, out, err = run_cli("balance", tmp_path / "l.toml", "--currency", "GBP", "--by", "year",
                             "--format", "json")
    assert code == 0, err
    assert {r["year"] for r in json.loads(out)} == {"2007"}


def test_the_journal_writer_and_the_bulk_table_keep_the_value_date(tmp_path, run_cli):
    (tmp_path / "l.toml").write_text(JOURNAL, encoding="utf-8")
    book = ledger.load(tmp_path / "l.toml")
    again = tmp_path / "again.toml"
    again.write_text(render(book.entries), encoding="utf-8")
    assert [e.value_date for e in ledger.load(again).entries] == [e.value_date for e in book.entries]
    bulk = tmp_path / "l.csv"
    bulk.write_text("id,date,value_date,funder,purpose,amount,currency,status\n"
                    "a,2007-03-01,2021-06-30,UK:Home Office,Security:Port,1000000,EUR,committed\n"
                    "b,2007-03-01,,UK:Home Office,Security:Port,2000000,EUR,committed\n",
                    encoding="utf-8")
    assert [e.value_date for e in ledger.load(bulk).entries] == [e.value_date for e in book.entries]
    totals = []
    for path in (tmp_path / "l.toml", again, bulk):
        code, out, err = run_cli("balance", path, "--currency", "GBP", "--format", "json")
        assert code == 0, err
        totals.append(_total(out))
    assert len(set(totals)) == 1


@pytest.mark.parametrize("name,text", [
    ("l.toml", JOURNAL.replace("value_date = 2021-06-30", 'value_date = "30/06/2021"')),
    ("l.csv", "id,date,value_date,funder,purpose,amount,currency\n"
              "a,2007-03-01,30/06/2021,UK:Home Office,Security:Port,1000000,EUR\n"),
])
def test_a_bad_value_date_is_one_line_naming_the_entry(tmp_path, run_cli, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run_cli("check", tmp_path / name)
    assert code == 1
    bad = [ln for ln in err.splitlines() if "error: value_date" in ln]
    assert len(bad) == 1 and "entry 'a'" in bad[0] and "error" in bad[0], err
    assert "Traceback" not in err


@pytest.mark.parametrize("to", ["journal", "dataset"])
def test_iati_value_date_is_the_value_date(tmp_path, run_cli, to):
    xml = tmp_path / "a.xml"
    xml.write_text(ACTIVITY, encoding="utf-8")
    target = tmp_path / ("l.toml" if to == "journal" else "l.parquet")
    code, out, err = run_cli("import", "--from", "iati", xml,
                             "-o" if to == "journal" else "--to", target)
    assert code == 0, err
    if to == "journal":
        (e,) = ledger.load(target).entries
        assert str(e.date) == "2007-03-01" and str(e.value_date) == "2021-06-30"
    code, out, err = run_cli("balance", target, "--currency", "GBP", "--format", "json")
    assert code == 0, err
    assert _total(out) == _gbp("1000000", "2021-06-30")


def test_a_dataset_needs_a_parquet_name(tmp_path, run_cli):
    # a dataset written under another name is one no command reads back
    xml = tmp_path / "a.xml"
    xml.write_text(ACTIVITY, encoding="utf-8")
    code, out, err = run_cli("import", "--from", "iati", xml, "--to", tmp_path / "l.toml")
    assert code == 1 and "ends in .parquet" in err and "Traceback" not in err
    assert not (tmp_path / "l.toml").exists()
