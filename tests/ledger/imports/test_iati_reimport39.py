"""IATI re-imports (docs/interop.md, "Ids and re-import"), defects left
open by earlier reviews: an item changed in date and figure after a removed
one is a new entry, not the removed one's; a user's amount edit kept when
the same file comes under another name; a re-import of some activities
warns of a "probably the same pledge" (a false warning, kept: see the
test); a user's amount text of the
same figure, and a withdrawn entry's amount, keep their bytes.

On real files (tests/fixtures/real/iati) and copies changed as a publisher
would.  Expected dates and figures are read from the raw XML with
ElementTree (``_transactions``, ``count_once``), never from the importer.
"""
from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import ledger
from tests.ledger.imports.test_iati_real import count_once, counted_in_ledger
from tests.ledger.imports.test_iati_unnamed35 import (
    DFID, DFID_ACT, DFID_ID, REAL, _check, _entries, _import, _items, _transactions,
    _withdrawn, _without)

DFID_203 = REAL / "dfid-2.03.xml"
FCDO_ACT = "GB-1-205242-105"
FCDO_TX = "iati-gb-1-205242-105-t-8314504"
SPAIN = REAL / "spain-maec-indonesia.xml"
TWINS = ("ES-DIR3-E04585801-009-002963", "ES-DIR3-E04585801-009-002969",
         "ES-DIR3-E04585801-009-002979")


def _entry_text(journal: Path, eid: str) -> str:
    """The text of entry ``eid`` in the journal, up to its first citation."""
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'[[entry]]\nid = "{eid}"\n')
    return text[at:text.index("[[entry.source]]", at)]


def _set(journal: Path, eid: str, field: str, value: str) -> None:
    """Set ``field`` of entry ``eid`` to ``value`` (TOML) and tag it "mine", as a user would."""
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'id = "{eid}"\n')
    f = text.index(f"\n{field} = ", at) + 1
    text = text[:f] + f"{field} = {value}" + text[text.index("\n", f):]
    tags = text.index("tags = [", at)
    end = text.index("\n", tags)
    journal.write_text(text[:tags] + text[tags:end - 1] + ', "mine"]' + text[end:],
                       encoding="utf-8")


def _value_of(path: Path, act: str, ref: str) -> Decimal:
    """The <value> of transaction ``ref`` of activity ``act``, from the XML."""
    (el,) = [a for a in ET.parse(path).getroot().iter("iati-activity")
             if a.findtext("iati-identifier").strip() == act]
    (tx,) = [t for t in el.iter("transaction") if t.get("ref") == ref]
    return Decimal(tx.findtext("value").strip())


def test_an_item_changed_in_date_and_figure_after_a_removed_one_is_a_new_entry(tmp_path,
                                                                                run_cli):
    """DFID's expenditure #3 taken out and #4's date and figure both
    changed: nothing pairs the changed item with an entry, and a position
    names another item once an item is gone, so it is a new entry (a fresh
    id); #3's and #4's entries are both withdrawn, #4's keeping the user's
    tag; no live entry holds the user's tag or a removed item's figure."""
    book = tmp_path / "led"
    _import(run_cli, DFID, book)
    _set(book / "iati.toml", f"{DFID_ID}-t-4", "status", '"spent"')
    first = _transactions(DFID, DFID_ACT)
    newer = _without(DFID, DFID_ACT, 3, tmp_path / "v2" / DFID.name)
    text = newer.read_text(encoding="utf-8")
    a, b = _items(text, DFID_ACT, "transaction")[2][2]       # #4, third now
    d4, v4 = first[3]
    item = text[a:b].replace(d4, "2006-10-01").replace(">13158.00<", ">13000.00<")
    newer.write_text(text[:a] + item + text[b:], encoding="utf-8")
    now = _transactions(newer, DFID_ACT)
    assert (d4, v4) == ("2006-09-30", Decimal("13158.00"))
    assert now == first[:2] + [("2006-10-01", Decimal("13000.00"))] + first[4:]
    ids = set(_entries(book))
    err = _import(run_cli, newer, book)
    assert "import: 1 new," in err and ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    assert sorted(i for i, e in got.items() if _withdrawn(e)) == [
        f"{DFID_ID}-t-3", f"{DFID_ID}-t-4"]
    (new,) = set(got) - ids
    assert new == f"{DFID_ID}-t-3.2"
    assert (got[new].date.isoformat(), got[new].amount) == now[2]
    assert "mine" in got[f"{DFID_ID}-t-4"].tags
    assert not [i for i, e in got.items() if "mine" in e.tags and not _withdrawn(e)]
    for k in range(5, len(first) + 1):      # the items after it keep their entries
        e = got[f"{DFID_ID}-t-{k}"]
        assert (e.date.isoformat(), e.amount) == first[k - 1] and not _withdrawn(e)
    # again: nothing changes
    before = (book / "iati.toml").read_bytes()
    err = _import(run_cli, newer, book)
    assert (book / "iati.toml").read_bytes() == before and ", 0 updated," in err, err


def test_the_same_file_under_another_name_keeps_the_users_amount(tmp_path, run_cli):
    """The user corrected an amount; the same file (the same bytes) comes
    again under another name: the data has not changed, so the user's
    amount stays, as it does under the same name, and no byte changes."""
    book = tmp_path / "led"
    _import(run_cli, DFID_203, book)
    published = _value_of(DFID_203, FCDO_ACT, "8314504")
    assert published == Decimal(88523)
    journal = book / "iati.toml"
    _set(journal, FCDO_TX, "amount", '"88000"')
    renamed = tmp_path / "elsewhere" / "fcdo-congo.xml"
    renamed.parent.mkdir()
    shutil.copyfile(DFID_203, renamed)
    for source in (DFID_203, renamed):
        before = journal.read_bytes()
        err = _import(run_cli, source, book)
        assert journal.read_bytes() == before, source
        assert "your amount 88000 GBP is kept" in err and ", 0 updated," in err, err
        assert _entries(book)[FCDO_TX].amount == Decimal(88000)


def test_a_users_amount_text_of_the_same_figure_changes_no_byte(tmp_path, run_cli):
    """The user wrote the importer's 88523 as "88523.0", the same figure:
    importing the same file again changes no byte and updates nothing."""
    book = tmp_path / "led"
    _import(run_cli, DFID_203, book)
    journal = book / "iati.toml"
    _set(journal, FCDO_TX, "amount", '"88523.0"')
    assert Decimal("88523.0") == _value_of(DFID_203, FCDO_ACT, "8314504")
    before = journal.read_bytes()
    err = _import(run_cli, DFID_203, book)
    assert ", 0 updated," in err, err
    assert journal.read_bytes() == before


def test_a_withdrawn_entry_keeps_its_amount_lines(tmp_path, run_cli):
    """DFID's #3 taken out: its entry, withdrawn, keeps its amount and
    currency lines byte for byte (the form of every other entry: the
    number, its currency beside it); only its tags and notes change."""
    book = tmp_path / "led"
    _import(run_cli, DFID, book)
    journal = book / "iati.toml"
    eid = f"{DFID_ID}-t-3"
    old = _entry_text(journal, eid).splitlines()
    assert f'amount = "{_transactions(DFID, DFID_ACT)[2][1].normalize()}"' in old
    assert 'currency = "GBP"' in old
    _import(run_cli, _without(DFID, DFID_ACT, 3, tmp_path / "v2" / DFID.name), book)
    assert _withdrawn(_entries(book)[eid])
    new = _entry_text(journal, eid).splitlines()
    assert len(new) == len(old)
    assert [k.split(" = ")[0] for k, n in zip(old, new) if k != n] == ["tags", "notes"]


def _budget(path: Path, act: str) -> tuple[str, str, Decimal]:
    """(period-start, currency, value) of the activity's only budget, from the XML."""
    (el,) = [a for a in ET.parse(path).getroot().iter("iati-activity")
             if a.findtext("iati-identifier").strip() == act]
    (b,) = el.iter("budget")
    v = b.find("value")
    return b.find("period-start").get("iso-date"), v.get("currency"), Decimal(v.text.strip())


def test_a_re_import_of_one_activity_warns_of_a_probable_duplicate(tmp_path, run_cli):
    """Spain's three activities 009-002963/2969/2979 each give a budget of
    9,000 EUR from 2011-01-01, same funder and purpose: three records of
    one file, no warning.  A file of the first activity alone, its budget's
    value-date moved, updates that entry to cite the new file while the
    other two still cite the first: two files, and nothing in a citation
    says reliably that they are one publisher's (two publishers reporting
    one commitment look the same: test_iati_reimport39b), so import and
    check warn "probably the same pledge" -- a false warning here, which
    costs less than a double count hidden elsewhere."""
    assert len({_budget(SPAIN, a) for a in TWINS}) == 1
    text = SPAIN.read_text(encoding="utf-8")
    start, end, spans = _items(text, TWINS[0], "budget")
    a, b = spans[0]
    act = text[start:a] + text[a:b].replace('value-date="2011-01-01"', 'value-date="2011-01-02"') \
        + text[b:end]
    assert act.count('value-date="2011-01-02"') == 1
    first = text.index("<iati-activity")
    last = text.rindex("</iati-activity>")
    part = tmp_path / "v2" / "one-activity.xml"
    part.parent.mkdir()
    part.write_text(text[:first] + act + text[last:], encoding="utf-8")
    assert _budget(part, TWINS[0]) == _budget(SPAIN, TWINS[0])
    book = tmp_path / "led"
    err = _import(run_cli, SPAIN, book)
    assert "probably the same pledge" not in err
    err = _import(run_cli, part, book)
    assert re.search(r", 1 updated,", err) and "probably the same pledge" in err, err
    code, out, err = run_cli("check", book)
    assert code == 0 and "0 error(s), 2 warning(s)" in out + err, out + err
    for twin in TWINS[1:]:      # each as the pledge of the entry the new file updated
        assert f"entry 'iati-{twin.lower()}-b-1': warning: probably the same pledge as " \
            f"'iati-{TWINS[0].lower()}-b-1'" in out + err, out + err
