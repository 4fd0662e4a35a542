"""An IATI entry whose id the user changed (and the links to it) is still the
item its citation names (docs/interop.md, "Ids and re-import"): a re-import
finds it by its citation's locator and updates it in place, under the
user's id, keeping the user's tags and fields; it never adds the item
again beside it (counted twice).  A copy the user made of an entry is left
as it is and said.  The figures are read from the raw XML with
ElementTree, never from the importer."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import ledger

XML = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="GBP">
  <iati-identifier>GB-1-100</iati-identifier>
  <reporting-org ref="GB-GOV-1" type="10"><narrative>UK Gov</narrative></reporting-org>
  <title><narrative>Water project</narrative></title>
  <participating-org role="1" ref="GB-GOV-1"><narrative>UK Gov</narrative></participating-org>
  <participating-org role="4" ref="XM-2"><narrative>Water NGO</narrative></participating-org>
  <activity-status code="2"/>
  <transaction ref="c1">
   <transaction-type code="2"/>
   <transaction-date iso-date="2020-01-15"/>
   <value currency="GBP" value-date="2020-01-15">1000000</value>
   <receiver-org ref="XM-2"><narrative>Water NGO</narrative></receiver-org>
  </transaction>
  <transaction ref="d1">
   <transaction-type code="3"/>
   <transaction-date iso-date="2020-06-15"/>
   <value currency="GBP" value-date="2020-06-15">400000</value>
   <receiver-org ref="XM-2"><narrative>Water NGO</narrative></receiver-org>
  </transaction>
  <transaction>
   <transaction-type code="3"/>
   <transaction-date iso-date="2020-09-15"/>
   <value currency="GBP" value-date="2020-09-15">300000</value>
  </transaction>
 </iati-activity>
</iati-activities>
"""
C1, D1 = "iati-gb-1-100-t-c1", "iati-gb-1-100-t-d1"
LOC_C1 = "activity GB-1-100, transaction 'c1'"
LOC_D1 = "activity GB-1-100, transaction 'd1'"


def _file(tmp_path: Path, name: str, *changes: tuple[str, str]) -> Path:
    text = XML
    for old, new in changes:
        assert text.count(old) == 1
        text = text.replace(old, new)
    out = tmp_path / name
    out.write_text(text, encoding="utf-8")
    return out


def _raw(path: Path) -> dict[str, Decimal]:
    """transaction ref -> its <value>, from the XML."""
    (act,) = ET.parse(path).getroot().iter("iati-activity")
    return {t.get("ref"): Decimal(t.find("value").text) for t in act.iter("transaction")
            if t.get("ref")}


def _import(run_cli, source: Path, book: Path) -> str:
    code, _, err = run_cli("import", "--from", "iati", source, "-o", book)
    assert code == 0, err
    return err


def _renamed(tmp_path: Path, run_cli, old: str, new: str) -> Path:
    """The file imported, then the entry ``old`` renamed ``new`` by hand (its
    id and every link to it), a tag and a field of the user's added."""
    book = tmp_path / "led"
    _import(run_cli, _file(tmp_path, "v1.xml"), book)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8").replace(f'"{old}"', f'"{new}"')
    head = f'id = "{new}"\n'
    assert text.count(head) == 1
    journal.write_text(text.replace(head, head + 'location = "Kenya"  # mine\n'), encoding="utf-8")
    code, out, err = run_cli("check", book)
    assert code == 0, out + err
    return book


def _citing(book: Path, locator: str) -> list:
    return [e for e in ledger.load(book).entries
            if any(c.locator == locator for c in e.sources)]


def test_a_renamed_commitment_is_updated_in_place_not_added_again(tmp_path, run_cli):
    book = _renamed(tmp_path, run_cli, C1, "water-commitment-2020")
    later = _file(tmp_path, "v2.xml", (">1000000<", ">1100000<"))
    err = _import(run_cli, later, book)
    assert "0 new, 1 updated" in err
    (e,) = _citing(book, LOC_C1)
    assert e.id == "water-commitment-2020" and e.amount == _raw(later)["c1"] == 1100000
    assert e.location == "Kenya"
    assert 'location = "Kenya"  # mine\n' in (book / "iati.toml").read_text(encoding="utf-8")
    # the commitments the ledger counts: the file's, once
    led = ledger.load(book)
    assert C1 not in {x.id for x in led.entries}
    committed = sum((x.amount for x in led.entries if x.status == "committed"), Decimal(0))
    assert committed == _raw(later)["c1"]
    # the disbursements still link to it, under its new id
    assert {x.link("disburses") for x in led.entries if x.status == "disbursed"} == {
        "water-commitment-2020"}


def test_a_renamed_entry_read_again_from_the_same_file_is_unchanged(tmp_path, run_cli):
    book = _renamed(tmp_path, run_cli, C1, "water-commitment-2020")
    before = (book / "iati.toml").read_bytes()
    err = _import(run_cli, tmp_path / "v1.xml", book)
    assert "0 new, 0 updated, 3 unchanged, 0 rejected" in err
    assert (book / "iati.toml").read_bytes() == before


def test_a_renamed_disbursement_is_updated_in_place(tmp_path, run_cli):
    book = _renamed(tmp_path, run_cli, D1, "my-d1")
    err = _import(run_cli, tmp_path / "v1.xml", book)
    assert "0 new, 0 updated, 3 unchanged, 0 rejected" in err
    later = _file(tmp_path, "v2.xml", (">400000<", ">250000<"))
    err = _import(run_cli, later, book)
    assert "0 new, 1 updated" in err and "updated my-d1" in err
    (e,) = _citing(book, LOC_D1)
    assert e.id == "my-d1" and e.amount == _raw(later)["d1"] == 250000
    assert e.location == "Kenya"
    disbursed = sum((x.amount for x in ledger.load(book).entries if x.status == "disbursed"),
                    Decimal(0))
    assert disbursed == 250000 + 300000


def test_a_users_copy_of_an_entry_is_left_as_it_is_and_said(tmp_path, run_cli):
    book = tmp_path / "led"
    _import(run_cli, _file(tmp_path, "v1.xml"), book)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'id = "{C1}"')
    entry = text[text.rindex("[[entry]]", 0, at):text.index("[[entry]]", at)]
    journal.write_text(text + "\n" + entry.replace(C1, "my-copy"), encoding="utf-8")
    later = _file(tmp_path, "v2.xml", (">1000000<", ">1100000<"))
    err = _import(run_cli, later, book)
    assert "0 new, 1 updated" in err
    (said,) = [ln for ln in err.splitlines() if "'my-copy'" in ln]
    assert "left as it is" in said and "counted twice" in said
    got = {e.id: e for e in _citing(book, LOC_C1)}
    assert got[C1].amount == 1100000 and got["my-copy"].amount == 1000000
    assert "not-counted" not in got["my-copy"].tags
