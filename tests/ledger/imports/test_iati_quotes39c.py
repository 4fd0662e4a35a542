"""IATI citations, review39b: each entry quotes its own <value> element,
even where a file puts many elements (a budget and a transaction of the
same number) on one line.

Expected quotes are read from the raw XML with ElementTree, never from the
importer.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ledger.imports.iati import read_iati

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real" / "iati"

# one line: a budget, then a transaction of the same number, each with its own value-date
_ONE_LINE = (
    '<iati-activities version="2.03"><iati-activity default-currency="GBP">'
    '<iati-identifier>GB-1-X</iati-identifier><reporting-org ref="GB-1"><narrative>R</narrative>'
    '</reporting-org><participating-org role="1" ref="GB-1"><narrative>F</narrative>'
    '</participating-org><recipient-country code="KE"/><sector vocabulary="1" code="12220"/>'
    '<budget type="1" status="1"><period-start iso-date="2012-04-01"/>'
    '<period-end iso-date="2013-03-31"/><value currency="GBP" value-date="2012-10-01">5000'
    '</value></budget>'
    '<transaction><transaction-type code="2"/><transaction-date iso-date="2012-09-26"/>'
    '<value currency="GBP" value-date="2012-09-26">5000</value></transaction>'
    '<transaction><transaction-type code="3"/><transaction-date iso-date="2012-11-02"/>'
    '<value currency="GBP" value-date="2012-11-02">5000</value></transaction>'
    '</iati-activity></iati-activities>\n')


def _quoted(quote: str) -> tuple[dict, str] | None:
    """A quoted <value> element's attributes and text."""
    m = re.fullmatch(r"<value([^>]*)>\s*([^<]*?)\s*</value>", quote.strip())
    if not m:
        return None
    return dict(re.findall(r'([\w:-]+)="([^"]*)"', m.group(1))), m.group(2)


def _transaction_values(path: Path) -> dict[tuple[str, str], tuple[dict, str]]:
    """(activity id, locator's transaction label) -> its <value>'s attributes and text."""
    out = {}
    for a in ET.parse(path).getroot().iter("iati-activity"):
        act = " ".join((a.findtext("iati-identifier") or "").split())
        for k, t in enumerate(a.findall("transaction"), 1):
            v = t.find("value")
            if v is None:
                continue
            ref = (t.get("ref") or "").strip()
            label = f"transaction {ref!r}" if ref else f"transaction #{k}"
            out[(act, label)] = (dict(v.attrib), (v.text or "").strip())
    return out


def _check(path: Path) -> int:
    """Every transaction citation quotes its own <value>; how many were checked."""
    want = _transaction_values(path)
    checked = 0
    for rec in read_iati(path).records:
        for src in rec.fields["source"]:
            m = re.fullmatch(r"activity (.*), (transaction .*?)( \(reversal\))?", src["locator"])
            if not m:
                continue
            got = _quoted(src["quote"])
            assert got is not None, (path.name, src)
            assert got == want[(m.group(1), m.group(2))], (path.name, rec.fields["id"], src)
            checked += 1
    return checked


def test_a_transaction_quotes_its_own_value_not_a_budget_on_the_same_line(tmp_path):
    f = tmp_path / "one-line.xml"
    f.write_text(_ONE_LINE, encoding="utf-8")
    assert _check(f) == 2
    budget = [r for r in read_iati(f).records if "-b-" in r.fields["id"]]
    assert budget and 'value-date="2012-10-01"' in budget[0].fields["source"][0]["quote"]


@pytest.mark.parametrize("name", ["dfid-2.03.xml", "gates-foundation-2.03.xml",
                                  "ocha-cbpf-2.03.xml", "worldvision-uk-cd.xml"])
def test_real_files_quote_each_transactions_own_value(name):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    assert _check(path) > 0

