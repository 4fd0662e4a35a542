"""A renamed budget (an item without a ref: its id said its position) in a
period that also has an original budget is still its item: the
publisher's revision updates it in place, never adds the budget again
(review47 #2).  The figure the ledger counts is read from the raw XML with
ElementTree: per period, the revised budget, else the original."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import ledger
from tests.ledger.imports.test_iati_rename47 import _import

XML = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="GBP">
  <iati-identifier>GB-1-200</iati-identifier>
  <reporting-org ref="GB-GOV-1" type="10"><narrative>UK Gov</narrative></reporting-org>
  <title><narrative>Roads</narrative></title>
  <participating-org role="1" ref="GB-GOV-1"><narrative>UK Gov</narrative></participating-org>
  <activity-status code="2"/>
  <budget type="1" status="1">
   <period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
   <value currency="GBP" value-date="2021-01-01">500000</value>
  </budget>
  <budget type="2" status="1">
   <period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
   <value currency="GBP" value-date="2021-01-01">600000</value>
  </budget>
  <budget type="1" status="1">
   <period-start iso-date="2022-01-01"/><period-end iso-date="2022-12-31"/>
   <value currency="GBP" value-date="2022-01-01">700000</value>
  </budget>
 </iati-activity>
</iati-activities>
"""


def _budgeted(path: Path) -> Decimal:
    """Per period, the revised budget's value, else the original's."""
    by: dict[str, dict[str, Decimal]] = {}
    for b in ET.parse(path).getroot().iter("budget"):
        start = b.find("period-start").get("iso-date")
        by.setdefault(start, {})[b.get("type")] = Decimal(b.find("value").text)
    return sum((v.get("2", v.get("1")) for v in by.values()), Decimal(0))


def test_a_renamed_revised_budget_is_updated_in_place(tmp_path, run_cli):
    book = tmp_path / "led"
    first = tmp_path / "f1.xml"
    first.write_text(XML, encoding="utf-8")
    _import(run_cli, first, book)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    assert 'id = "iati-gb-1-200-b-2"' in text     # its id and the link to it
    journal.write_text(text.replace('"iati-gb-1-200-b-2"', '"roads-2021"'), encoding="utf-8")
    later = tmp_path / "f2.xml"
    later.write_text(XML.replace(">600000<", ">650000<").replace(">700000<", ">750000<"),
                     encoding="utf-8")
    err = _import(run_cli, later, book)
    assert "0 new, 2 updated, 1 unchanged" in err and "updated roads-2021" in err
    (e,) = [x for x in ledger.load(book).entries if x.id == "roads-2021"]
    assert e.amount == 650000 and not any(t.startswith("not-counted") for t in e.tags)
    code, out, err = run_cli("balance", book)
    assert code == 0, err
    (total,) = [ln for ln in out.splitlines() if ln.startswith("(total)")]
    assert total.split()[-1] == f"£{_budgeted(later):,.2f}" == "£1,400,000.00"
