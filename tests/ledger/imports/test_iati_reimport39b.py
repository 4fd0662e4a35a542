"""IATI re-imports, defects review39 found in fix39: files of two
publishers read as one document (a hidden double count), position pairing
after a removal and an addition, and a user's amount phrase kept when the
publisher changed the item's date.

Expected figures are read from the raw XML with ElementTree, never from
the importer.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

import ledger
from ledger.model import ONCE
from tests.ledger.imports.test_iati_real import count_once, counted_in_ledger
from tests.ledger.imports.test_iati_reimport39 import DFID_203, FCDO_ACT, FCDO_TX, _value_of
from tests.ledger.imports.test_iati_unnamed35 import (
    DFID, DFID_ACT, DFID_ID, _check, _entries, _import, _items, _transactions, _withdrawn,
    _without)

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


def _tag(journal: Path, eid: str, word: str) -> None:
    """Add the tag ``word`` to entry ``eid``, as a user would."""
    text = journal.read_text(encoding="utf-8")
    tags = text.index("tags = [", text.index(f'id = "{eid}"\n'))
    end = text.index("\n", tags)
    journal.write_text(text[:tags] + text[tags:end - 1] + f', "{word}"]' + text[end:],
                       encoding="utf-8")


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


def test_a_removal_and_an_addition_pair_no_item_by_position(tmp_path, run_cli):
    """DFID's expenditure #3 taken out, #4's date and figure both changed,
    and an expenditure added at the end: as many transactions as before,
    but every item after #4 now sits one place earlier, so a position names
    another item.  #3's and #4's entries are withdrawn with the user's tags;
    the changed item and the added one are new entries; no live entry holds
    a user's tag, and the ledger counts what the newer file counts."""
    book = tmp_path / "led"
    _import(run_cli, DFID, book)
    journal = book / "iati.toml"
    _tag(journal, f"{DFID_ID}-t-3", "mine3")
    _tag(journal, f"{DFID_ID}-t-4", "mine4")
    first = _transactions(DFID, DFID_ACT)
    newer = _without(DFID, DFID_ACT, 3, tmp_path / "v2" / DFID.name)
    text = newer.read_text(encoding="utf-8")
    _, _, spans = _items(text, DFID_ACT, "transaction")
    a, b = spans[2]                                      # #4, third now
    la, lb = spans[-1]
    (d4, _), (dl, vl) = first[3], first[-1]
    changed = text[a:b].replace(d4, "2006-10-01").replace(">13158.00<", ">13000.00<")
    added = text[la:lb].replace(dl, "2012-03-31").replace(f">{vl}<", ">777.00<")
    newer.write_text(text[:a] + changed + text[b:lb] + added + text[lb:], encoding="utf-8")
    now = _transactions(newer, DFID_ACT)
    assert len(now) == len(first)
    assert now == first[:2] + [("2006-10-01", Decimal("13000.00"))] + first[4:] + [
        ("2012-03-31", Decimal("777.00"))]
    err = _import(run_cli, newer, book)
    assert "import: 2 new," in err and ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    assert sorted(i for i, e in got.items() if _withdrawn(e)) == [
        f"{DFID_ID}-t-3", f"{DFID_ID}-t-4"]
    assert "mine3" in got[f"{DFID_ID}-t-3"].tags and "mine4" in got[f"{DFID_ID}-t-4"].tags
    for k in (3, 4):        # each withdrawn entry keeps its own item's figure
        e = got[f"{DFID_ID}-t-{k}"]
        assert (e.date.isoformat(), e.amount) == first[k - 1]
    live = {(e.date.isoformat(), e.amount): i for i, e in got.items()
            if i.startswith(f"{DFID_ID}-t-") and not _withdrawn(e)}
    assert sorted(live) == sorted(now)
    assert not {i for i in live.values() if {"mine3", "mine4"} & set(got[i].tags)}
    assert live[now[2]] == f"{DFID_ID}-t-3.2" and live[now[-1]] == f"{DFID_ID}-t-14.2"
    for k in range(5, len(first) + 1):      # the items after #4 keep their entries
        assert live[first[k - 1]] == f"{DFID_ID}-t-{k}"
    # again: nothing changes
    before = journal.read_bytes()
    err = _import(run_cli, newer, book)
    assert journal.read_bytes() == before and ", 0 updated," in err, err


def _tx_date(path: Path, act: str, ref: str) -> str:
    """The transaction-date of transaction ``ref`` of activity ``act``, from the XML."""
    (el,) = [a for a in ET.parse(path).getroot().iter("iati-activity")
             if a.findtext("iati-identifier").strip() == act]
    (tx,) = [t for t in el.iter("transaction") if t.get("ref") == ref]
    return tx.find("transaction-date").get("iso-date")


@pytest.mark.parametrize("phrase, kept", [
    ("about 88523 GBP", False), ("up to 88523 GBP", False), ("at least 88,523 GBP", False),
    ("88523 GBP over 3 years", False), ("88523.0 GBP", True)])
def test_a_users_amount_phrase_of_another_qualifier_or_period_is_not_kept(
        tmp_path, run_cli, phrase, kept):
    """The user wrote FCDO's 88523 GBP as a phrase; the publisher then moved
    the transaction's date and kept its value.  Only a phrase of the same
    figure, exact and once ("88523.0 GBP"), stays as written; a qualifier
    or a period the data never gave is replaced by the file's figure."""
    book = tmp_path / "led"
    _import(run_cli, DFID_203, book)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'id = "{FCDO_TX}"\n')
    a = text.index("\namount = ", at) + 1
    c = text.index("\ncurrency = ", at) + 1
    assert a < c < text.index("[[entry.source]]", at)
    text = text[:a] + f"amount = {phrase!r}".replace("'", '"') + text[text.index("\n", a):c] + \
        text[text.index("\n", c) + 1:]
    journal.write_text(text, encoding="utf-8")
    assert _entries(book)[FCDO_TX].amount == Decimal(88523)
    src = DFID_203.read_text(encoding="utf-8")
    old_date = _tx_date(DFID_203, FCDO_ACT, "8314504")
    i = src.index('ref="8314504"')
    tx0, tx1 = src.rindex("<transaction", 0, i), src.index("</transaction>", i)
    changed = tmp_path / "v2" / DFID_203.name
    changed.parent.mkdir()
    changed.write_text(src[:tx0] + src[tx0:tx1].replace(old_date, "2019-01-01") + src[tx1:],
                       encoding="utf-8")
    assert _tx_date(changed, FCDO_ACT, "8314504") == "2019-01-01" != old_date
    value = _value_of(changed, FCDO_ACT, "8314504")
    assert value == _value_of(DFID_203, FCDO_ACT, "8314504") == Decimal(88523)
    _import(run_cli, changed, book)
    e = _entries(book)[FCDO_TX]
    assert (e.date.isoformat(), e.amount, e.currency) == ("2019-01-01", value, "GBP")
    written = re.search(r'\namount = "([^"]*)"', _entry_text(journal)).group(1)
    if kept:
        assert written == phrase
    else:
        assert (e.qualifier, e.period, written) == ("exact", ONCE, "88523")


def _entry_text(journal: Path) -> str:
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'[[entry]]\nid = "{FCDO_TX}"\n')
    return text[at:text.index("[[entry.source]]", at)]
