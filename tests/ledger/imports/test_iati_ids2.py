"""IATI entry ids: one per activity and transaction, however long or alike
their ids and refs.

An activity id or a ref longer than its part of an entry id keeps a readable
start plus a short hash of the whole text: two activities whose ids share
their first 60 characters are two activities, not one "updating" the other.
Short ids keep the ids ledgers already hold.  The expected totals are
computed from the raw XML with the standard library.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import ledger
from ledger.imports.iati import read_iati
from tests.ledger.imports.test_iati_reimport2 import counted
from ledger.model import is_slug

# the ids of /tmp/hunt4/longid: equal in their first 60 characters
LONG = "XM-DAC-41114-PROJECT-HUMANITARIAN-RESPONSE-PLAN-2020-COMPONENT-00{}"


def _activity(ident: str, transactions: str) -> str:
    return (f' <iati-activity default-currency="USD">\n'
            f'  <iati-identifier>{ident}</iati-identifier>\n'
            f'  <reporting-org ref="XM-DAC-41114"><narrative>UNDP</narrative></reporting-org>\n'
            f'{transactions} </iati-activity>\n')


def _tx(value: int, ref: str | None = None, date: str = "2020-01-01") -> str:
    at = f' ref="{ref}"' if ref is not None else ""
    return (f'  <transaction{at}><transaction-type code="2"/><transaction-date iso-date="{date}"/>'
            f'<value>{value}</value></transaction>\n')


def _file(path, *activities: str):
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
                    + "".join(activities) + "</iati-activities>\n", encoding="utf-8")
    return path


def commitments(*paths) -> Decimal:
    """The commitments of the files' activities (no duplicates in these files)."""
    return sum((Decimal(v.text) for p in paths for v in ET.parse(p).getroot().iter("value")),
               Decimal(0))


def test_activities_sharing_their_first_60_characters_stay_apart(tmp_path, run_cli):
    a1 = _file(tmp_path / "a1.xml", _activity(LONG.format(1), _tx(100000, "1")))
    a2 = _file(tmp_path / "a2.xml", _activity(LONG.format(2), _tx(200000, "1", "2020-02-01")))
    book = tmp_path / "book"
    for path in (a1, a2):
        code, _, err = run_cli("import", "--from", "iati", path, "-o", book)
        assert code == 0, err
        assert "1 new, 0 updated" in err
    assert counted(book) == {"USD": commitments(a1, a2)} == {"USD": Decimal(300000)}
    ids = [e.id for e in ledger.load(book).entries]
    assert len(set(ids)) == 2 and all(is_slug(i) for i in ids)
    # a readable start: the activity id's slug, cut
    assert all(i.startswith("iati-xm-dac-41114-project-humanitarian-response-plan") for i in ids)
    # the same file again matches the entries it made
    code, _, err = run_cli("import", "--from", "iati", a2, "-o", book)
    assert code == 0 and "0 new, 0 updated, 1 unchanged" in err, err


def test_long_activities_in_one_file(tmp_path, run_cli):
    path = _file(tmp_path / "both.xml", _activity(LONG.format(1), _tx(100000, "1")),
                 _activity(LONG.format(2), _tx(200000, "1")))
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", path, "-o", book)
    assert code == 0, err
    assert counted(book) == {"USD": commitments(path)} == {"USD": Decimal(300000)}


def test_refs_sharing_their_first_40_characters_stay_apart(tmp_path, run_cli):
    ref = "TRANSACTION-REFERENCE-FOR-THE-SECOND-PHASE-{}"
    path = _file(tmp_path / "refs.xml", _activity("XM-1", _tx(1000, ref.format("A"))
                                                  + _tx(2000, ref.format("B"))))
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", path, "-o", book)
    assert code == 0, err
    assert counted(book) == {"USD": commitments(path)} == {"USD": Decimal(3000)}


def test_refs_alike_once_slugged_stay_apart(tmp_path, run_cli):
    """"1/A" and "1-a" slug alike; "1", "1" and "1-2" would give two "-1-2"."""
    body = "".join(_tx(v, r) for v, r in ((10, "1/A"), (20, "1-a"), (40, "1"), (80, "1"),
                                          (160, "1-2")))
    path = _file(tmp_path / "refs.xml", _activity("XM-1", body))
    r = read_iati(path)
    ids = [x.fields["id"] for x in r.records]
    assert len(ids) == len(set(ids)) == 5
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", path, "-o", book)
    assert code == 0, err
    assert counted(book) == {"USD": commitments(path)} == {"USD": Decimal(310)}


def test_short_ids_are_as_they_were(tmp_path):
    """Ledgers already hold these: a re-import must still match them."""
    path = _file(tmp_path / "a.xml", _activity("GB-GOV-1-300123/A.1", _tx(5, "D-2013/1") + _tx(6)))
    ids = sorted(x.fields["id"] for x in read_iati(path).records)
    assert ids == ["iati-gb-gov-1-300123-a-1-t-2", "iati-gb-gov-1-300123-a-1-t-d-2013-1"]


def test_a_ledger_holding_the_old_cut_ids_still_matches(tmp_path, run_cli):
    """Ledgers imported before the hash hold ids cut at 60 (activity) and
    40 (ref) characters: a re-import matches them by the item each cites
    (an update, not a second entry counted beside the first), and the
    second activity, whose cut id the first holds, gets its own."""
    ref = "TRANSACTION-REFERENCE-FOR-THE-SECOND-PHASE-A"
    a1 = _file(tmp_path / "a1.xml", _activity(LONG.format(1), _tx(100000, ref)))
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", a1, "-o", book)
    assert code == 0, err
    journal = book / "iati.toml"
    (new_id,) = [e.id for e in ledger.load(book).entries]
    old_id = f"iati-{LONG.format(1).lower()[:60]}-t-{ref.lower()[:40]}"
    assert new_id != old_id
    journal.write_text(journal.read_text(encoding="utf-8").replace(new_id, old_id),
                       encoding="utf-8")
    code, _, err = run_cli("import", "--from", "iati", a1, "-o", book)
    assert code == 0 and "0 new, 0 updated, 1 unchanged" in err, err
    a2 = _file(tmp_path / "a2.xml", _activity(LONG.format(2), _tx(200000, ref, "2020-02-01")))
    code, _, err = run_cli("import", "--from", "iati", a2, "-o", book)
    assert code == 0 and "1 new, 0 updated" in err, err
    assert counted(book) == {"USD": commitments(a1, a2)} == {"USD": Decimal(300000)}
    assert old_id in {e.id for e in ledger.load(book).entries}
