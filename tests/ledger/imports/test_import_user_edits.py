"""A re-import keeps what the user added to an imported entry: the tags the
importer does not set (a hand-added ``not-counted`` keeps the entry out of
every total) and the notes it did not write; the importer's own tags and
note are its to replace.  Totals are worked out by hand from the XML below:
activity XM-UPD-1 commits 120000 (c1), XM-UPD-2 commits 50000 (c2)."""
from __future__ import annotations

import re
from decimal import Decimal

from ledger.model import NOT_COUNTED

from tests.ledger.imports.test_iati_reimport2 import (_activity, _budget, _commitment, _file,
                                                      _import, counted)

MINE = "checked with the ministry: the same money as c2"


def _two(tmp_path, name: str, c1: int = 120000):
    return _file(tmp_path / name,
                 _activity("XM-UPD-1", _budget(100000), _commitment(c1, "c1")),
                 _activity("XM-UPD-2", _commitment(50000, "c2")))


def _edit_c1(book, tags: str, note: str = MINE) -> None:
    """c1's entry in iati.toml as the user edits it by hand."""
    path = book / "iati.toml"
    text = path.read_text(encoding="utf-8")
    head = text.index('id = "iati-xm-upd-1-t-c1"')
    tail = text.index("[[entry.source]]", head)
    block = text[head:tail]
    block = re.sub(r'(?m)^tags = \[(.*)\]$', lambda m: f"tags = [{m.group(1)}, {tags}]", block)
    block = re.sub(r'(?m)^notes = "(.*)"$', lambda m: f'notes = "{m.group(1)}; {note}"', block)
    path.write_text(text[:head] + block + text[tail:], encoding="utf-8")


def _c1(book):
    import ledger
    return next(e for e in ledger.load(book).entries if e.id == "iati-xm-upd-1-t-c1")


def test_a_hand_excluded_entry_stays_excluded_when_the_same_file_is_imported_again(
        tmp_path, run_cli):
    book = tmp_path / "book"
    v = _two(tmp_path, "v.xml")
    _import(run_cli, v, book)
    assert counted(book) == {"USD": Decimal(170000)}       # 120000 + 50000
    _edit_c1(book, f'"{NOT_COUNTED}", "{NOT_COUNTED}-duplicate"')
    assert counted(book) == {"USD": Decimal(50000)}        # c1 left out by hand
    err = _import(run_cli, v, book)
    assert "0 updated, 3 unchanged" in err, err
    assert counted(book) == {"USD": Decimal(50000)}
    c1 = _c1(book)
    assert {NOT_COUNTED, f"{NOT_COUNTED}-duplicate", "iati", "iati-type-2"} == set(c1.tags)
    assert c1.notes.endswith(MINE)


def test_a_newer_file_replaces_the_importers_part_and_keeps_the_users(tmp_path, run_cli):
    book = tmp_path / "book"
    _import(run_cli, _two(tmp_path, "v1.xml"), book)
    _edit_c1(book, '"reviewed"')
    _import(run_cli, _two(tmp_path, "v2.xml", c1=130000), book)
    c1 = _c1(book)
    assert c1.amount == Decimal(130000)
    assert c1.tags == ("iati", "iati-type-2", "reviewed")
    assert c1.notes.count(MINE) == 1 and c1.notes.startswith("IATI 2.03 transaction type 2")
    assert counted(book) == {"USD": Decimal(180000)}       # 130000 + 50000


def test_hand_exclusion_survives_a_withdrawal_and_a_return(tmp_path, run_cli):
    """v3 no longer gives c1 (the activity counted by its budget, 100001),
    v2 gives it again: c1 is the user's to keep out all along."""
    book = tmp_path / "book"
    _import(run_cli, _two(tmp_path, "v1.xml"), book)
    _edit_c1(book, f'"{NOT_COUNTED}", "{NOT_COUNTED}-duplicate"')
    _import(run_cli, _file(tmp_path / "v3.xml", _activity("XM-UPD-1", _budget(100001)),
                           _activity("XM-UPD-2", _commitment(50000, "c2"))), book)
    assert counted(book) == {"USD": Decimal(150001)}       # 100001 + 50000
    _import(run_cli, _two(tmp_path, "v2.xml"), book)
    assert counted(book) == {"USD": Decimal(50000)}        # c1 still out, the budget linked
    c1 = _c1(book)
    assert f"{NOT_COUNTED}-duplicate" in c1.tags and NOT_COUNTED in c1.tags
    assert MINE in c1.notes


def test_the_importers_own_exclusion_is_lifted_when_the_item_returns(tmp_path, run_cli):
    """No hand edit: c1 withdrawn by v3 (not-counted-withdrawn) counts again
    once v2 gives it back, its withdrawal note gone."""
    book = tmp_path / "book"
    _import(run_cli, _two(tmp_path, "v1.xml"), book)
    _import(run_cli, _file(tmp_path / "v3.xml", _activity("XM-UPD-1", _budget(100001))), book)
    assert NOT_COUNTED in _c1(book).tags
    _import(run_cli, _two(tmp_path, "v2.xml"), book)
    c1 = _c1(book)
    assert c1.tags == ("iati", "iati-type-2")
    assert "not counted" not in c1.notes
    assert counted(book) == {"USD": Decimal(170000)}


def _fts(path, *flows):
    import json
    path.write_text(json.dumps({"data": {"flows": [
        {"id": fid, "versionId": v, "status": "paid", "date": "2020-03-01T00:00:00Z",
         "amountUSD": usd, "boundary": "incoming", "onBoundary": "single",
         "sourceObjects": [{"type": "Organization", "id": "1", "name": "Donor"}],
         "destinationObjects": [{"type": "Location", "id": "2", "name": "Chad"}]}
        for fid, v, usd in flows]}}), encoding="utf-8")
    return path


def test_fts_a_hand_excluded_flow_stays_excluded_through_a_newer_version(tmp_path, run_cli):
    """FTS flows 701 (1000 USD) and 702 (400 USD): 1400; 701 excluded by
    hand: 400, the same after the page is imported again and after 701's
    version 2 (1500 USD) updates it; 702's version 2 (600 USD): 600."""
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "fts", _fts(tmp_path / "p1.json", ("701", 1, 1000),
                                                          ("702", 1, 400)), "-o", book)
    assert code == 0, err
    assert counted(book) == {"USD": Decimal(1400)}
    path = book / "fts.toml"
    text = path.read_text(encoding="utf-8")
    head = text.index('id = "fts-701"')
    tail = text.index("[[entry.source]]", head)
    block = re.sub(r'(?m)^tags = \[(.*)\]$', lambda m: f'tags = [{m.group(1)}, "{NOT_COUNTED}"]',
                   text[head:tail])
    block = re.sub(r'(?m)^(notes = ".*)"$', lambda m: f'{m.group(1)}; {MINE}"', block) \
        if "notes = " in block else block.replace("tags = ", f'notes = "{MINE}"\ntags = ', 1)
    path.write_text(text[:head] + block + text[tail:], encoding="utf-8")
    assert counted(book) == {"USD": Decimal(400)}
    code, _, err = run_cli("import", "--from", "fts", tmp_path / "p1.json", "-o", book)
    assert code == 0 and "0 updated, 2 unchanged" in err, err
    assert counted(book) == {"USD": Decimal(400)}
    code, _, err = run_cli("import", "--from", "fts", _fts(tmp_path / "p2.json", ("701", 2, 1500),
                                                          ("702", 2, 600)), "-o", book)
    assert code == 0 and "2 updated" in err, err
    assert counted(book) == {"USD": Decimal(600)}
    import ledger
    e701 = next(e for e in ledger.load(book).entries if e.id == "fts-701")
    assert e701.amount == Decimal(1500) and NOT_COUNTED in e701.tags
    assert "fts-version-2" in e701.tags and "fts-version-1" not in e701.tags
    assert MINE in e701.notes


def test_fts_an_older_description_is_replaced_not_kept_and_a_remark_among_is_said(
        tmp_path, run_cli):
    """The importer writes its note first (the flow's description first of
    all); a remark after it is the user's and stays; a part of the old
    note the new one lacks (an older description, a remark written among
    the importer's parts) is replaced, with a warning naming it."""
    import json

    def page(name: str, version: int, description: str):
        data = json.loads(_fts(tmp_path / name, ("701", version, 1000)).read_text())
        data["data"]["flows"][0]["description"] = description
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
        return tmp_path / name

    book = tmp_path / "book"
    for k, text in enumerate(["Food, first text", "Food, revised", "Food, revised again"], 1):
        code, _, err = run_cli("import", "--from", "fts", page(f"p{k}.json", k, text), "-o", book)
        assert code == 0, err
        if k == 2:
            assert "its notes 'Food, first text' are replaced by this version's" in err, err
    import ledger
    e701 = next(e for e in ledger.load(book).entries if e.id == "fts-701")
    assert e701.notes.startswith("Food, revised again") and "revised;" not in e701.notes \
        and "first text" not in e701.notes, e701.notes
    # a remark of the user's after the importer's note is kept through version 4
    path = book / "fts.toml"
    text = path.read_text(encoding="utf-8")
    head = text.index('id = "fts-701"')
    path.write_text(text[:head] + re.sub(r'(?m)^(notes = ".*)"$', lambda m: f'{m.group(1)}; {MINE}"',
                                         text[head:], count=1), encoding="utf-8")
    code, _, err = run_cli("import", "--from", "fts", page("p4.json", 4, "Food, final"),
                           "-o", book)
    assert code == 0, err
    e701 = next(e for e in ledger.load(book).entries if e.id == "fts-701")
    assert e701.notes.startswith("Food, final") and e701.notes.endswith(MINE), e701.notes
    assert e701.notes.count(MINE) == 1 and "again" not in e701.notes


def test_fts_a_remark_stays_when_a_newer_version_adds_a_note_of_the_importers(
        tmp_path, run_cli):
    """Version 2 of flow 701 adds a second source organisation, so the
    importer's note gains a part ("other source organisations: …"); the
    user's remark after its note is still theirs."""
    import json

    def page(name: str, version: int, funders: int):
        data = json.loads(_fts(tmp_path / name, ("701", version, 1000)).read_text())
        flow = data["data"]["flows"][0]
        flow["description"] = "Food aid"
        flow["sourceObjects"] = [{"type": "Organization", "id": str(k), "name": f"Donor {k}"}
                                 for k in range(1, funders + 1)]
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
        return tmp_path / name

    book = tmp_path / "book"
    assert run_cli("import", "--from", "fts", page("p1.json", 1, 1), "-o", book)[0] == 0
    path = book / "fts.toml"
    text = path.read_text(encoding="utf-8")
    head = text.index('id = "fts-701"')
    path.write_text(text[:head] + text[head:].replace('notes = "Food aid"',
                                                      f'notes = "Food aid; {MINE}"', 1),
                    encoding="utf-8")
    code, _, err = run_cli("import", "--from", "fts", page("p2.json", 2, 2), "-o", book)
    assert code == 0 and "are replaced" not in err, err
    import ledger
    e701 = next(e for e in ledger.load(book).entries if e.id == "fts-701")
    assert e701.notes == f"Food aid; other source organisations: Donor 2; {MINE}", e701.notes
