"""A real IATI file with one commitment given again identically and once
more with only its provider changed: the identical copy counts once, the
other counts (a duplicate is a transaction identical in every element and
attribute as published).  The independent counter of test_iati_real
(ElementTree, never our code) agrees with the ledger, and both equal the
original file's count plus the changed copy's value; with the old
seven-field key (ref, type, value, currency, dates, description) the
counter took the changed copy for a repeat."""
from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

import ledger
from tests.ledger.imports.test_iati_real import REAL, count_once, counted_in_ledger


def _commitment(root):
    """(activity, its first commitment, value, currency) of the first
    activity counted by its commitments (IATI 2.0x code 2)."""
    for act in root.iter("iati-activity"):
        version = act.get("version") or root.get("version") or ""
        txs = [t for t in act.findall("transaction")
               if (t.find("transaction-type").get("code") or "").strip() == "2"
               and t.find("value") is not None and t.find("transaction-date") is not None]
        if version.startswith("2") and txs:
            tx = txs[0]
            value = tx.find("value")
            cur = (value.get("currency") or act.get("default-currency") or "").strip()
            if Decimal(value.text.strip()) > 0 and cur:
                return act, tx, Decimal(value.text.strip()), cur
    return None


@pytest.mark.parametrize("name", ["dfid-2.03.xml", "usaid-2.03.xml", "gates-foundation-2.03.xml"])
def test_a_repeat_counts_once_a_changed_copy_counts(tmp_path, run_cli, name):
    tree = ET.parse(REAL / name)
    found = _commitment(tree.getroot())
    if found is None:
        pytest.skip(f"{name}: no positive commitment in an IATI 2.0x activity")
    act, tx, value, cur = found
    before = count_once(REAL / name)
    again = copy.deepcopy(tx)                    # identical: counts once
    other = copy.deepcopy(tx)                    # another provider: counts
    for old in other.findall("provider-org"):
        other.remove(old)
    provider = ET.SubElement(other, "provider-org", ref="XM-OTHER-1")
    ET.SubElement(provider, "narrative").text = "Another provider"
    at = list(act).index(tx) + 1
    act.insert(at, again)
    act.insert(at + 1, other)
    path = tmp_path / name
    ET.indent(tree)      # an element a line: each copy's own line, as publishers write
    tree.write(path, encoding="utf-8", xml_declaration=True)

    expected = dict(before)
    expected[cur] = expected.get(cur, Decimal(0)) + value
    assert count_once(path) == expected
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", path, "-o", book)
    assert code == 0, err
    assert "probable duplicate of the transaction" in err
    assert counted_in_ledger(ledger.load(book)) == expected
