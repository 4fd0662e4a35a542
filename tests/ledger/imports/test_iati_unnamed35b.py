"""Items without a ref known again on re-import (docs/interop.md, "Ids and
re-import"), the review of fix35: an identical repeat counted once as on a
fresh import; pairing on what the importer recorded (its citation's quote),
not on what the user or --names may change; a moved item keeping its own
entry; fresh ids no ref can take.  Expected figures from the raw XML
(ElementTree: ``count_once`` and ``_transactions``), never the importer's.
"""
from __future__ import annotations

from decimal import Decimal

import ledger
from tests.ledger.imports.test_iati_real import count_once, counted_in_ledger
from tests.ledger.imports.test_iati_unnamed35 import (
    DFID, DFID_ACT, DFID_ID, TEARFUND, WVUK, WVUK_ID, _check, _entries, _import, _items,
    _transactions, _with_first, _withdrawn, _without)


def test_a_budget_repeated_identically_counts_once_on_re_import_as_fresh(tmp_path, run_cli):
    """Tearfund's budget #2 given twice, identically: a re-import over the
    ledger of the file without the repeat counts what a fresh import of the
    newer file counts, and that is the file's count once (the repeat adds
    nothing)."""
    act = "GB-CHC-265464-ZAI00598-0"
    text = TEARFUND.read_text(encoding="utf-8")
    _, _, spans = _items(text, act, "budget")
    a, b = spans[1]
    newer = tmp_path / "v2" / TEARFUND.name
    newer.parent.mkdir()
    newer.write_text(text[:b] + text[a:b] + text[b:], encoding="utf-8")
    assert count_once(newer) == count_once(TEARFUND)
    book, fresh = tmp_path / "led", tmp_path / "fresh"
    _import(run_cli, TEARFUND, book)
    _import(run_cli, newer, book)
    _import(run_cli, newer, fresh)
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer) == \
        counted_in_ledger(ledger.load(fresh))
    # again: nothing changes
    before = (book / "iati.toml").read_bytes()
    err = _import(run_cli, newer, book)
    assert (book / "iati.toml").read_bytes() == before and ", 0 updated," in err


def _edit(book, eid: str, field: str, value: str) -> None:
    """Set ``field`` of entry ``eid`` in the journal, as a user would; add a tag."""
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'id = "{eid}"\n')
    f = text.index(f"\n{field} = ", at) + 1
    text = text[:f] + f"{field} = {value}" + text[text.index("\n", f):]
    tags = text.index("tags = [", at)
    end = text.index("\n", tags)
    journal.write_text(text[:tags] + text[tags:end - 1] + ', "mine"]' + text[end:],
                       encoding="utf-8")


def _kept_apart_from_3(got: dict, first: list, now: list) -> None:
    """Each of DFID's transactions but #3 (taken out) keeps its entry, with
    its date and value in the newer file (``now``, read from the XML); #3's
    entry is the one withdrawn, and no other entry is made."""
    assert [i for i, e in got.items() if i.startswith(DFID_ID + "-") and _withdrawn(e)] == [
        f"{DFID_ID}-t-3"]
    assert {i for i in got if i.startswith(f"{DFID_ID}-t-")} == {
        f"{DFID_ID}-t-{k}" for k in range(1, len(first) + 1)}
    for k in range(1, len(first) + 1):
        if k != 3:
            e = got[f"{DFID_ID}-t-{k}"]
            assert (e.date.isoformat(), e.amount) == now[k - 2 if k > 3 else k - 1]


def test_the_funder_named_otherwise_pairs_each_transaction_with_its_own_entry(tmp_path,
                                                                              run_cli):
    """DFID's #3 taken out and the file imported again with --names calling
    its funder otherwise: every funder differs from the entries', yet each
    transaction updates its own entry (by the importer's quote of its
    value); #3's is withdrawn, none takes a neighbour's figures."""
    book = tmp_path / "led"
    _import(run_cli, DFID, book)
    first = _transactions(DFID, DFID_ACT)
    newer = _without(DFID, DFID_ACT, 3, tmp_path / "v2" / DFID.name)
    names = tmp_path / "names.toml"
    names.write_text('[organisations]\n"GB-GOV-1" = "UK:DFID"\n', encoding="utf-8")
    code, _, err = run_cli("import", "--from", "iati", newer, "-o", book, "--names", names)
    assert code == 0 and ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    _kept_apart_from_3(got, first, _transactions(newer, DFID_ACT))
    assert got[f"{DFID_ID}-t-5"].funder == "UK:DFID"


def test_a_moved_date_after_a_removed_transaction_keeps_the_users_entry(tmp_path, run_cli):
    """DFID's #3 taken out and #4's date moved a day: #4's entry, tagged by
    the user, takes the new date and keeps its value and the tag (the same
    value pairs it before position); #3's is withdrawn."""
    book = tmp_path / "led"
    _import(run_cli, DFID, book)
    _edit(book, f"{DFID_ID}-t-4", "status", '"spent"')
    first = _transactions(DFID, DFID_ACT)
    newer = _without(DFID, DFID_ACT, 3, tmp_path / "v2" / DFID.name)
    text = newer.read_text(encoding="utf-8")
    a, b = _items(text, DFID_ACT, "transaction")[2][2]       # #4, third now
    assert first[3][0] == "2006-09-30" and text[a:b].count("2006-09-30") == 2
    newer.write_text(text[:a] + text[a:b].replace("2006-09-30", "2006-10-01") + text[b:],
                     encoding="utf-8")
    now = _transactions(newer, DFID_ACT)
    assert now[2] == ("2006-10-01", first[3][1])
    err = _import(run_cli, newer, book)
    assert ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    _kept_apart_from_3(got, first, now)
    assert "mine" in got[f"{DFID_ID}-t-4"].tags and "mine" not in got[f"{DFID_ID}-t-3"].tags


def test_a_users_funder_or_date_edit_keeps_its_entry_when_one_before_goes(tmp_path, run_cli):
    """The user corrected the funder of DFID's #5 and the date of #6; #3 is
    taken out: both entries stay theirs (paired by the importer's own
    citation, not the fields the user edited), with the user's tag; none is
    withdrawn but #3's and none made."""
    book = tmp_path / "led"
    _import(run_cli, DFID, book)
    _edit(book, f"{DFID_ID}-t-5", "funder", '"UK:DFID (my correction)"')
    _edit(book, f"{DFID_ID}-t-6", "date", "2007-04-02")
    first = _transactions(DFID, DFID_ACT)
    newer = _without(DFID, DFID_ACT, 3, tmp_path / "v2" / DFID.name)
    err = _import(run_cli, newer, book)
    assert "import: 0 new," in err and ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    _kept_apart_from_3(got, first, _transactions(newer, DFID_ACT))
    assert "mine" in got[f"{DFID_ID}-t-5"].tags and "mine" in got[f"{DFID_ID}-t-6"].tags


_PUT_FIRST = ('<transaction><transaction-type code="D"/><value value-date="2011-06-01" '
              'currency="GBP">5000</value><transaction-date iso-date="2011-06-01"/></transaction>')
_REF_1_2 = ('<transaction ref="1-2"><transaction-type code="D"/><value value-date="2013-01-10" '
            'currency="GBP">777</value><transaction-date iso-date="2013-01-10"/></transaction>')


def _fresh_then_ref(tmp_path, run_cli, legacy: bool) -> None:
    """World Vision's file with a disbursement put first (a new item whose
    positional id an entry holds: a fresh id), then with a transaction of
    ref "1-2" added last: the first stays the entry of the 5,000 item, the
    ref's is a new entry, none is withdrawn.  ``legacy``: the fresh id
    written as fix35 wrote it (-t-1-2, a ref's shape)."""
    act = "GB-CHC-285908-195305"
    book = tmp_path / "led"
    _import(run_cli, WVUK, book)
    v2 = _with_first(WVUK, act, _PUT_FIRST, tmp_path / "v2" / WVUK.name)
    ids = set(_entries(book))
    _import(run_cli, v2, book)
    (fresh,) = set(_entries(book)) - ids
    if legacy:
        journal = book / "iati.toml"
        old = journal.read_text(encoding="utf-8")
        journal.write_text(old.replace(f'{fresh}"', f'{WVUK_ID}-t-1-2"'), encoding="utf-8")
        fresh = f"{WVUK_ID}-t-1-2"
    text = v2.read_text(encoding="utf-8")
    end = _items(text, act, "transaction")[2][-1][1]
    v3 = tmp_path / "v3" / WVUK.name
    v3.parent.mkdir()
    v3.write_text(text[:end] + _REF_1_2 + text[end:], encoding="utf-8")
    assert _transactions(v3, act)[-1] == ("2013-01-10", Decimal(777))
    before = _entries(book)
    err = _import(run_cli, v3, book)
    assert "1 new, 0 updated" in err and ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(v3)
    got = _entries(book)
    e = got[fresh]
    assert (e.date.isoformat(), e.amount) == ("2011-06-01", Decimal(5000))
    assert not [i for i, e in got.items() if _withdrawn(e)]
    (new,) = set(got) - set(before)
    assert got[new].amount == 777
    assert fresh == f"{WVUK_ID}-t-1" + ("-2" if legacy else ".2")
    assert new == f"{WVUK_ID}-t-1-2" + (".2" if legacy else "")


def test_a_fresh_id_is_never_a_later_refs(tmp_path, run_cli):
    _fresh_then_ref(tmp_path, run_cli, legacy=False)


def test_a_fresh_id_written_in_a_refs_shape_stays_its_items(tmp_path, run_cli):
    _fresh_then_ref(tmp_path, run_cli, legacy=True)


def test_two_transactions_that_swap_dates_keep_their_figures(tmp_path, run_cli):
    """DFID's #3 and #4 swap dates in the newer file: each entry keeps its
    figure (the value its user's tag and citations are about) and takes the
    new date; pairing by date first swapped the figures under the user's
    additions (review35b)."""
    text = DFID.read_text(encoding="utf-8")
    _, _, spans = _items(text, DFID_ACT, "transaction")
    tx = [text[a:b] for a, b in spans]
    first = _transactions(DFID, DFID_ACT)
    (d3, v3), (d4, v4) = first[2], first[3]
    assert d3 != d4 and v3 != v4
    swapped = list(tx)
    swapped[2] = tx[2].replace(d3, d4)
    swapped[3] = tx[3].replace(d4, d3)
    newer = tmp_path / "v2" / DFID.name
    newer.parent.mkdir()
    newer.write_text(text[:spans[0][0]] + "".join(swapped) + text[spans[-1][1]:], encoding="utf-8")
    assert _transactions(newer, DFID_ACT)[2:4] == [(d4, v3), (d3, v4)]
    book = tmp_path / "led"
    _import(run_cli, DFID, book)
    for k in (3, 4):
        _edit(book, f"{DFID_ID}-t-{k}", "status", '"disbursed"')
    _import(run_cli, newer, book)
    _check(run_cli, book)
    got = _entries(book)
    t3, t4 = got[f"{DFID_ID}-t-3"], got[f"{DFID_ID}-t-4"]
    assert (t3.date.isoformat(), t3.amount, "mine" in t3.tags) == (d4, v3, True)
    assert (t4.date.isoformat(), t4.amount, "mine" in t4.tags) == (d3, v4, True)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
