"""Numbers are read in ASCII digits only (xsd:decimal, JSON): an IATI
<value> or percentage, an FTS versionId or flow id in Arabic-Indic digits is
refused in one line, never read as the number Python's Decimal() makes of
it; and an empty IATI file is said to be empty."""
from __future__ import annotations

from decimal import Decimal

from ledger.imports.iati import read_iati
from ledger.limits import foreign_digits
from tests.ledger_tool.test_import_kill_order48 import _ACTIVITY

ARABIC_1000 = "\u0661\u0660\u0660\u0660"      # ١٠٠٠


def test_foreign_digits():
    assert not foreign_digits("1000.50") and not foreign_digits("£1,000 (€)")
    assert foreign_digits(ARABIC_1000) and foreign_digits("£\u0667 million")


def test_an_iati_value_in_arabic_indic_digits_is_refused(tmp_path):
    f = tmp_path / "a.xml"
    f.write_text(_ACTIVITY.format(ident="GB-1-1", value=ARABIC_1000), encoding="utf-8")
    r = read_iati(f)
    assert not r.records
    [p] = [p for p in r.problems if "is not a number" in p.message]
    assert ARABIC_1000 in p.message and p.details["where"].endswith("(line 9)"), p
    # the same file in ASCII digits: read
    f.write_text(_ACTIVITY.format(ident="GB-1-1", value=1000), encoding="utf-8")
    [rec] = read_iati(f).records
    assert rec.fields["amount"] == "1000"


def test_an_fts_version_in_arabic_indic_digits_is_refused(tmp_path, run_cli):
    f = tmp_path / "v.json"
    f.write_text('{"data": {"flows": [{"id": 5, "versionId": "' + ARABIC_1000[:1] + '", '
                 '"status": "paid", "date": "2020-01-01", "amountUSD": 10, "sourceObjects": '
                 '[{"type": "Organization", "name": "X"}]}]}}', encoding="utf-8")
    code, _, err = run_cli("import", "--from", "fts", f, "-o", tmp_path / "book")
    assert code == 1 and "Traceback" not in err
    assert "flow '5': versionId" in err and "is not a whole number from 0 to" in err


def test_an_empty_iati_file_is_said_to_be_empty(tmp_path):
    f = tmp_path / "e.xml"
    for blank in (b"", b"\xef\xbb\xbf \n", b"\n" * 5000 + b" \t\r\n" * 20000):
        f.write_bytes(blank)
        [p] = read_iati(f).problems
        assert p.severity == "error"
        assert "line 1: the file is empty" in p.message and "truncated" not in p.message, \
            (len(blank), p.message)


def test_a_spreadsheet_amount_in_arabic_indic_digits_is_refused(tmp_path, run_cli):
    f = tmp_path / "a.csv"
    f.write_text("id,date,funder,purpose,amount\n"
                 f"x1,2020-01-01,F,P,£{ARABIC_1000}\n"
                 "x2,2020-01-01,F,P,£1000\n", encoding="utf-8")
    code, _, err = run_cli("import", f, "-o", tmp_path / "book")
    assert code == 0, err
    assert f"row 2: column 'amount': entry 'x1': amount: '£{ARABIC_1000}' is written with " \
           "digits other than 0-9" in err, err
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "book").glob("*.toml"))
    assert 'id = "x2"' in text and 'id = "x1"' not in text
    code, _, err = run_cli("import", f, "--to", tmp_path / "ds.parquet")
    assert code == 0 and "digits other than 0-9" in err, err


_SECTORS = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="GBP">
  <iati-identifier>GB-1-9</iati-identifier>
  <reporting-org ref="GB-GOV-1" type="10"><narrative>UK Gov</narrative></reporting-org>
  <participating-org role="1" ref="GB-GOV-1"><narrative>UK Gov</narrative></participating-org>
  <sector vocabulary="1" code="12220" percentage="{a}"/>
  <sector vocabulary="1" code="11220" percentage="{b}"/>
  <sector vocabulary="1" code="15110" percentage="20"/>
  <transaction ref="c1"><transaction-type code="2"/><transaction-date iso-date="2021-01-15"/>\
<value currency="GBP" value-date="2021-01-15">1000</value></transaction>
 </iati-activity>
</iati-activities>
"""


def test_an_iati_percentage_in_arabic_indic_digits_is_refused_not_missing(tmp_path):
    f = tmp_path / "p.xml"
    f.write_text(_SECTORS.format(a="\u0666\u0660", b="\u0662\u0660"), encoding="utf-8")
    r = read_iati(f)
    assert not r.records     # never shared as if missing (400/400/200 before)
    [p] = [p for p in r.problems if "percentage" in p.message]
    assert p.severity == "error" and "GB-1-9" in p.details["where"], p
    assert "sector '12220' (line 7): percentage '\u0666\u0660' is written with digits other " \
           "than 0-9" in p.message, p.message
    # in ASCII digits: the split the percentages give, from the raw figures
    f.write_text(_SECTORS.format(a="60", b="20"), encoding="utf-8")
    [rec] = read_iati(f).records
    got = {s["purpose"].split(":")[0]: Decimal(s["amount"]) for s in rec.fields["split"]}
    assert sorted(got.values()) == sorted(Decimal(1000) * p / 100 for p in (60, 20, 20))
