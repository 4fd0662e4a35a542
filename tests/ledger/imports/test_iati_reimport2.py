"""IATI re-imports: the file imported last is the publisher's current
statement of each activity it holds.

An entry of such an activity that the file no longer gives (a transaction
withdrawn, its ref changed, a budget gone) is kept with its figures and
sources but tagged ``not-counted`` and ``not-counted-withdrawn``, named in
a warning, and so left out of every total: the ledger then counts what the
last file counts.  Expected totals are the count-once rule applied by hand to
the last file's raw XML (its commitments where it has any, else its
budgets), read with the standard library.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal

import ledger
from ledger.model import NOT_COUNTED

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
"""
TAIL = "</iati-activities>\n"


def _activity(ident: str, *items: str) -> str:
    return (f' <iati-activity default-currency="USD">\n'
            f'  <iati-identifier>{ident}</iati-identifier>\n'
            f'  <reporting-org ref="XM-UPD"><narrative>Upd Donor</narrative></reporting-org>\n'
            + "".join(items) + " </iati-activity>\n")


def _budget(value: int, year: int = 2020) -> str:
    return (f'  <budget type="1" status="1"><period-start iso-date="{year}-01-01"/>'
            f'<period-end iso-date="{year}-12-31"/>'
            f'<value value-date="{year}-01-01">{value}</value></budget>\n')


def _commitment(value: int, ref: str) -> str:
    return (f'  <transaction ref="{ref}"><transaction-type code="2"/>'
            f'<transaction-date iso-date="2020-02-01"/>'
            f'<value value-date="2020-02-01">{value}</value></transaction>\n')


def _file(path, *activities: str):
    path.write_text(HEAD + "".join(activities) + TAIL, encoding="utf-8")
    return path


def counted_by_hand(*paths) -> Decimal:
    """Each activity of the files as the last file giving it states it:
    its commitments if any, else its budgets."""
    last: dict[str, ET.Element] = {}
    for p in paths:
        for act in ET.parse(p).getroot().iter("iati-activity"):
            last[act.findtext("iati-identifier").strip()] = act
    total = Decimal(0)
    for act in last.values():
        commitments = [Decimal(t.findtext("value")) for t in act.iter("transaction")
                       if t.find("transaction-type").get("code") == "2"]
        total += sum(commitments) if commitments else \
            sum(Decimal(b.findtext("value")) for b in act.iter("budget"))
    return total


def counted(book) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for e in ledger.load(book).entries:
        if e.is_primary:
            totals[e.currency] += e.amount
    return dict(totals)


def _import(run_cli, path, book):
    code, _, err = run_cli("import", "--from", "iati", path, "-o", book)
    assert code == 0, err
    return err


def test_a_withdrawn_commitment_is_no_longer_counted(tmp_path, run_cli):
    """The hunt's case: v1 a budget of 100,000; v2 adds commitment c1 of
    120,000; v3 the budget alone, 100,001.  The ledger counted 220,001."""
    v1 = _file(tmp_path / "v1.xml", _activity("XM-UPD-1", _budget(100000)))
    v2 = _file(tmp_path / "v2.xml", _activity("XM-UPD-1", _budget(100000),
                                              _commitment(120000, "c1")))
    v3 = _file(tmp_path / "v3.xml", _activity("XM-UPD-1", _budget(100001)))
    book = tmp_path / "book"
    _import(run_cli, v1, book)
    _import(run_cli, v2, book)
    assert counted(book) == {"USD": counted_by_hand(v1, v2)} == {"USD": Decimal(120000)}
    err = _import(run_cli, v3, book)
    assert counted(book) == {"USD": counted_by_hand(v1, v2, v3)} == {"USD": Decimal(100001)}
    # said, naming the entry; the entry kept with its figure and source
    (warning,) = [ln for ln in err.splitlines() if "no longer" in ln or "is not in this" in ln]
    assert "warning" in warning and "'iati-xm-upd-1-t-c1'" in warning and "v3.xml" in warning
    (c1,) = [e for e in ledger.load(book).entries if e.id == "iati-xm-upd-1-t-c1"]
    assert c1.amount == Decimal(120000) and c1.sources
    assert NOT_COUNTED in c1.tags and f"{NOT_COUNTED}-withdrawn" in c1.tags
    code, out, err = run_cli("balance", book)
    assert code == 0 and "100,001.00" in out and "220,001" not in out
    assert "withdrawn: 1" in err
    code, out, err = run_cli("check", book)
    assert code == 0 and "0 error(s), 0 warning(s)" in out + err, out + err
    # v3 again: nothing to do, nothing said
    err = _import(run_cli, v3, book)
    assert "0 new, 0 updated, 1 unchanged" in err and "warning" not in err
    # the publisher states c1 again: it counts again
    _import(run_cli, v2, book)
    assert counted(book) == {"USD": Decimal(120000)}
    (c1,) = [e for e in ledger.load(book).entries if e.id == "iati-xm-upd-1-t-c1"]
    assert NOT_COUNTED not in c1.tags


def test_a_ref_changed_between_versions_is_not_counted_twice(tmp_path, run_cli):
    """v4 gives commitment c1 of v2 the ref C1-2021: the ledger doubled to
    240,000."""
    v2 = _file(tmp_path / "v2.xml", _activity("XM-UPD-1", _budget(100000),
                                              _commitment(120000, "c1")))
    v4 = _file(tmp_path / "v4.xml", _activity("XM-UPD-1", _budget(100000),
                                              _commitment(120000, "C1-2021")))
    book = tmp_path / "book"
    _import(run_cli, v2, book)
    err = _import(run_cli, v4, book)
    assert "'iati-xm-upd-1-t-c1'" in err
    assert counted(book) == {"USD": counted_by_hand(v2, v4)} == {"USD": Decimal(120000)}


def test_a_budget_gone_and_other_activities_left_alone(tmp_path, run_cli):
    """Of two budgets one is gone in the newer file; another activity, not
    in the newer file, keeps its entries counted."""
    a = _file(tmp_path / "a.xml", _activity("XM-A", _budget(500, 2020), _budget(700, 2021)),
              _activity("XM-B", _budget(30)))
    a2 = _file(tmp_path / "a2.xml", _activity("XM-A", _budget(500, 2020)))
    book = tmp_path / "book"
    _import(run_cli, a, book)
    assert counted(book) == {"USD": Decimal(1230)}
    _import(run_cli, a2, book)
    assert counted(book) == {"USD": counted_by_hand(a, a2)} == {"USD": Decimal(530)}
    gone = [e for e in ledger.load(book).entries if NOT_COUNTED in e.tags]
    assert [e.id for e in gone] == ["iati-xm-a-b-2"]


def test_a_hand_edited_entry_keeps_its_edits(tmp_path, run_cli):
    v2 = _file(tmp_path / "v2.xml", _activity("XM-UPD-1", _commitment(120000, "c1"),
                                              _commitment(5000, "c2")))
    v3 = _file(tmp_path / "v3.xml", _activity("XM-UPD-1", _commitment(5000, "c2")))
    book = tmp_path / "book"
    _import(run_cli, v2, book)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    assert text.count('purpose = "Unspecified sector:Unspecified place"') == 2
    journal.write_text(text.replace('purpose = "Unspecified sector:Unspecified place"',
                                    'purpose = "Health:Kenya"', 1), encoding="utf-8")
    _import(run_cli, v3, book)
    (c1,) = [e for e in ledger.load(book).entries if e.id == "iati-xm-upd-1-t-c1"]
    assert c1.purpose == "Health:Kenya" and c1.amount == Decimal(120000)
    assert NOT_COUNTED in c1.tags
    assert counted(book) == {"USD": counted_by_hand(v2, v3)} == {"USD": Decimal(5000)}


def test_activities_whose_ids_slug_alike_keep_their_own_entries(tmp_path, run_cli):
    """"XM-1/A" and "XM-1-a" slug alike: in one file or in two, each
    keeps its entries (the second "updated" the first)."""
    one = _activity("XM-1/A", _commitment(100, "1"))
    two = _activity("XM-1-a", _commitment(200, "1"))
    book = tmp_path / "together"
    both = _file(tmp_path / "both.xml", one, two)
    _import(run_cli, both, book)
    assert counted(book) == {"USD": counted_by_hand(both)} == {"USD": Decimal(300)}
    assert "2 unchanged" in _import(run_cli, both, book)
    book = tmp_path / "apart"
    f1, f2 = _file(tmp_path / "one.xml", one), _file(tmp_path / "two.xml", two)
    _import(run_cli, f1, book)
    err = _import(run_cli, f2, book)
    assert "1 new, 0 updated" in err
    assert counted(book) == {"USD": counted_by_hand(f1, f2)} == {"USD": Decimal(300)}
    # and each file again updates nothing of the other's
    assert "1 unchanged" in _import(run_cli, f1, book)
    assert "1 unchanged" in _import(run_cli, f2, book)
    assert counted(book) == {"USD": Decimal(300)}
