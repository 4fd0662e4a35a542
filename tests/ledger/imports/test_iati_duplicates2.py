"""IATI: a transaction repeated identically is counted once, and only then.

Two transactions that differ in anything the publisher wrote (the receiver,
the provider, their own sector or country, the aid, flow or finance type,
the humanitarian flag...) are two transactions.  The expected totals are
computed here from the raw XML with the standard library (each transaction
canonicalised by ``ElementTree.canonicalize``, its text stripped), never
from the importer's output.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from ledger.imports.iati import read_iati
from tests.ledger.imports.test_iati_reimport2 import counted
from ledger.imports.problem import kind_of

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="USD">
  <iati-identifier>XM-TEST-1</iati-identifier>
  <reporting-org ref="XM-TEST" type="40"><narrative>Test Fund</narrative></reporting-org>
  <sector code="72010" percentage="100"/>
"""
TAIL = """ </iati-activity>
</iati-activities>
"""
# a commitment of 50,000 USD on one date, with one thing of its own
PLAIN = ('<transaction-type code="2"/><transaction-date iso-date="2020-03-01"/>'
         '<value value-date="2020-03-01">50000</value>')
EXTRAS = {
    "receiver-org": '<receiver-org ref="NGO-{k}"><narrative>NGO {k}</narrative></receiver-org>',
    "provider-org": '<provider-org ref="XM-P{k}"><narrative>Donor {k}</narrative></provider-org>',
    "sector": '<sector vocabulary="1" code="1{k}220"/>',
    "recipient-country": '<recipient-country code="{country}"/>',
    "recipient-region": '<recipient-region code="29{k}"/>',
    "aid-type": '<aid-type code="{aid}"/>',
    "flow-type": '<flow-type code="{k}0"/>',
    "finance-type": '<finance-type code="11{k}"/>',
    "tied-status": '<tied-status code="{k}"/>',
    "disbursement-channel": '<disbursement-channel code="{k}"/>',
    "description": '<description><narrative>Grant {k}</narrative></description>',
    "narrative in another language": ('<description><narrative>Grant</narrative>'
                                      '<narrative xml:lang="fr">Don {k}</narrative></description>'),
}
COUNTRIES, AIDS = ("KE", "UG"), ("C01", "B02")


def _transaction(extra: str = "", attrs: str = "") -> str:
    return f"  <transaction{attrs}>{PLAIN}{extra}</transaction>\n"


def _write(tmp_path, body: str):
    path = tmp_path / "activity.xml"
    path.write_text(HEAD + body + TAIL, encoding="utf-8")
    return path


def distinct_total(path) -> Decimal:
    """The activity's commitments, each transaction as published counted once."""
    root = ET.parse(path).getroot()
    seen, total = set(), Decimal(0)
    for tx in root.iter("transaction"):
        published = ET.canonicalize(ET.tostring(tx, encoding="unicode"), strip_text=True)
        if published not in seen:
            seen.add(published)
            total += Decimal(tx.findtext("value").strip())
    return total


@pytest.mark.parametrize("what", sorted(EXTRAS))
def test_transactions_that_differ_in_one_element_are_both_counted(what, tmp_path, run_cli):
    body = "".join(_transaction(EXTRAS[what].format(k=k, country=COUNTRIES[k - 1],
                                                    aid=AIDS[k - 1])) for k in (1, 2))
    path = _write(tmp_path, body)
    expected = distinct_total(path)
    assert expected == Decimal(100000)
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", path, "-o", book)
    assert code == 0, err
    assert "probable duplicate" not in err
    assert counted(book) == {"USD": expected}


def test_an_attribute_of_the_transaction_tells_two_apart(tmp_path, run_cli):
    body = _transaction(attrs=' humanitarian="1"') + _transaction(attrs=' humanitarian="0"')
    path = _write(tmp_path, body)
    book = tmp_path / "book"
    assert run_cli("import", "--from", "iati", path, "-o", book)[0] == 0
    assert counted(book) == {"USD": distinct_total(path)} == {"USD": Decimal(100000)}


def test_the_hunt_file_two_receivers_counts_both(tmp_path, run_cli):
    """Two commitments of 50,000 USD on one date, to NGO A in Kenya and to
    NGO B in Uganda (no @ref): the publisher's total is 100,000."""
    body = "".join(_transaction(f'<receiver-org ref="NGO-{n}"><narrative>NGO {n}</narrative>'
                                f'</receiver-org><recipient-country code="{c}"/>')
                   for n, c in (("A", "KE"), ("B", "UG")))
    path = _write(tmp_path, body)
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", path, "-o", book)
    assert code == 0, err
    assert counted(book) == {"USD": Decimal(100000)} == {"USD": distinct_total(path)}
    code, out, _ = run_cli("balance", book)
    assert code == 0 and "100,000.00" in out


def test_a_transaction_repeated_identically_is_counted_once(tmp_path, run_cli):
    """Identical but for white space and the order of attributes: one
    transaction, the repeat skipped and said."""
    one = ('<receiver-org ref="NGO-A" type="21"><narrative>NGO A</narrative></receiver-org>'
           '<aid-type code="C01" vocabulary="1"/>')
    again = ('\n   <receiver-org type="21" ref="NGO-A"><narrative> NGO A </narrative>'
             '</receiver-org>\n   <aid-type vocabulary="1" code="C01"/>')
    other = '<receiver-org ref="NGO-B"><narrative>NGO B</narrative></receiver-org>'
    path = _write(tmp_path, _transaction(one) + _transaction(again) + _transaction(other))
    expected = distinct_total(path)
    assert expected == Decimal(100000)
    r = read_iati(path)
    skipped = [p for p in r.problems if kind_of(p) == "skip"]
    assert len(skipped) == 1 and "probable duplicate of the transaction at line" in \
        skipped[0].message
    assert sum(Decimal(x.fields["amount"]) for x in r.records) == expected
    book = tmp_path / "book"
    assert run_cli("import", "--from", "iati", path, "-o", book)[0] == 0
    assert counted(book) == {"USD": expected}


def test_many_alike_transactions_each_repeat_found(tmp_path):
    """200 cash transfers of one value on one day to 150 people (50 of
    them paid twice over, repeated identically): 150 counted."""
    body = "".join(_transaction(f'<receiver-org ref="P{k % 150}"><narrative>Person {k % 150}'
                                f'</narrative></receiver-org>') for k in range(200))
    path = _write(tmp_path, body)
    expected = distinct_total(path)
    assert expected == 150 * Decimal(50000)
    r = read_iati(path)
    assert sum(Decimal(x.fields["amount"]) for x in r.records) == expected
    assert sum(kind_of(p) == "skip" and "probable duplicate" in p.message
               for p in r.problems) == 50
