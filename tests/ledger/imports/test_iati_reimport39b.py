"""IATI re-imports, defects review39 found in fix39: files of two
publishers read as one document (a hidden double count), position pairing
after a removal and an addition, and a user's amount phrase kept when the
publisher changed the item's date.

Expected figures are read from the raw XML with ElementTree, never from
the importer.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

from tests.ledger.imports.test_iati_unnamed35 import _import

_FILE = """<iati-activities version="2.03"><iati-activity default-currency="GBP">\
<iati-identifier>{act}</iati-identifier><reporting-org ref="{rep}"><narrative>{rep}</narrative>\
</reporting-org>
<participating-org role="1" ref="GB-GOV-1"><narrative>FCDO</narrative></participating-org>
<recipient-country code="KE"/><sector vocabulary="1" code="12220"/>
<transaction><transaction-type code="2"/><transaction-date iso-date="2020-01-15"/>\
<value>500000</value><provider-org ref="GB-GOV-1"><narrative>FCDO</narrative></provider-org>\
<receiver-org ref="GB-CHC-285776"><narrative>Oxfam GB</narrative></receiver-org></transaction>
</iati-activity></iati-activities>
"""


def _commitments(path: Path) -> list[tuple[str, str, str, Decimal]]:
    """(reporting-org, provider, date, value) of each commitment, from the XML."""
    return [(a.find("reporting-org").get("ref"), t.find("provider-org").get("ref"),
             t.find("transaction-date").get("iso-date"), Decimal(t.findtext("value")))
            for a in ET.parse(path).getroot().iter("iati-activity")
            for t in a.iter("transaction") if t.find("transaction-type").get("code") == "2"]


def test_two_publishers_reporting_one_commitment_are_a_probable_duplicate(tmp_path, run_cli):
    """The funder (GB-GOV-1, activity GB-GOV-1-100) and the recipient
    (GB-CHC-285776, its own activity GB-CHC-285776-KE1) each report the
    same commitment: two files, two publishers, one pledge.  Counting both
    doubles it; import and check both say "probably the same pledge"."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.xml").write_text(_FILE.format(act="GB-GOV-1-100", rep="GB-GOV-1"))
    (d / "b.xml").write_text(_FILE.format(act="GB-CHC-285776-KE1", rep="GB-CHC-285776"))
    (a,), (b,) = _commitments(d / "a.xml"), _commitments(d / "b.xml")
    assert a[0] != b[0] and a[1:] == b[1:] == ("GB-GOV-1", "2020-01-15", Decimal(500000))
    book = tmp_path / "led"
    err = _import(run_cli, d, book)
    assert err.count("probably the same pledge") == 1, err
    code, out, err = run_cli("check", book)
    assert "probably the same pledge" in out + err and "1 warning(s)" in out + err, out + err
