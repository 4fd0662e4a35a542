"""An IATI item without a ref (a transaction named by its position, a
budget, a planned disbursement) is known again by its content when its
activity is read again (docs/interop.md, "Ids and re-import"): a publisher
removing or adding one before it shifts no id, so each surviving item's entry
keeps its id and the user's additions, the removed one is withdrawn (not
counted) and a new one takes an id no entry holds.

On real files (tests/fixtures/real/iati) and copies with one item taken out
or one put in.  Expected figures are read from the raw XML with ElementTree:
the count-once total of the newer file (``count_once``, the real-file tests'
independent reading) and each transaction's date and value by its position
in the file first imported, never from the importer's output.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import ledger
from ledger.model import NOT_COUNTED
from tests.conftest import FIXTURES
from tests.ledger.imports.test_iati_real import count_once, counted_in_ledger

REAL = FIXTURES / "real" / "iati"
WVUK = REAL / "worldvision-uk-cd.xml"            # 1 commitment, 3 disbursements, no refs
WVUK_ID = "iati-gb-chc-285908-195305"
DFID = REAL / "dfid-2.01.xml"
DFID_ACT = "GB-1-109636-101"                      # 1 commitment, 13 expenditures, no refs
DFID_ID = "iati-gb-1-109636-101"
TEARFUND = REAL / "tearfund-cd.xml"
TEARFUND_ID = "iati-gb-chc-265464-zai00598-0"


def _items(text: str, act: str, tag: str) -> tuple[int, int, list[tuple[int, int]]]:
    """(start, end) of the activity ``act`` in ``text`` and the spans of its
    ``tag`` elements, in order (the files write them on one line or many)."""
    at = text.index(f">{act}</iati-identifier>")
    start = text.rindex("<iati-activity", 0, at)
    end = text.index("</iati-activity>", at)
    spans = [(start + m.start(), start + m.end()) for m in re.finditer(
        rf"[ \t]*<{tag}\b.*?</{tag}>[ \t]*\n?", text[start:end], re.S)]
    return start, end, spans


def _without(src: Path, act: str, k: int, out: Path, tag: str = "transaction") -> Path:
    """A copy of ``src`` with the ``k``-th ``tag`` of activity ``act`` taken out."""
    text = src.read_text(encoding="utf-8")
    a, b = _items(text, act, tag)[2][k - 1]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text[:a] + text[b:], encoding="utf-8")
    return out


def _with_first(src: Path, act: str, item: str, out: Path) -> Path:
    """A copy of ``src`` with ``item`` put before the first transaction of ``act``."""
    text = src.read_text(encoding="utf-8")
    a = _items(text, act, "transaction")[2][0][0]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text[:a] + item + text[a:], encoding="utf-8")
    return out


def _transactions(path: Path, act: str) -> list[tuple[str, Decimal]]:
    """(transaction-date, value) of each transaction of ``act``, in order."""
    (el,) = [a for a in ET.parse(path).getroot().iter("iati-activity")
             if a.findtext("iati-identifier").strip() == act]
    return [(t.find("transaction-date").get("iso-date"), Decimal(t.findtext("value").strip()))
            for t in el.iter("transaction")]


def _import(run_cli, source: Path, book: Path) -> str:
    code, _, err = run_cli("import", "--from", "iati", source, "-o", book)
    assert code == 0, err
    return err


def _entries(book: Path) -> dict:
    return {e.id: e for e in ledger.load(book).entries}


def _withdrawn(e) -> bool:
    return NOT_COUNTED in e.tags and f"{NOT_COUNTED}-withdrawn" in e.tags


def _check(run_cli, book: Path) -> None:
    code, out, err = run_cli("check", book)
    assert code == 0 and "0 error(s)" in out + err, out + err


def test_a_removed_commitment_shifts_no_id_and_the_total_is_the_newer_files(tmp_path, run_cli):
    """World Vision's commitment (transaction #1) taken out: the three
    disbursements keep their entries, the commitment's is withdrawn, and the
    ledger reads and counts what the newer file counts (its budgets)."""
    book = tmp_path / "led"
    _import(run_cli, WVUK, book)
    first = _transactions(WVUK, "GB-CHC-285908-195305")
    newer = _without(WVUK, "GB-CHC-285908-195305", 1, tmp_path / "v2" / WVUK.name)
    _import(run_cli, newer, book)
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    assert _withdrawn(got[f"{WVUK_ID}-t-1"])
    for k, (date, value) in enumerate(first[1:], 2):
        e = got[f"{WVUK_ID}-t-{k}"]
        assert (e.date.isoformat(), e.amount) == (date, value) and not _withdrawn(e)
    assert not [i for i in got if i.startswith(f"{WVUK_ID}-t-") and i[len(WVUK_ID) + 3:]
                not in {"1", "2", "3", "4"}]


def test_user_additions_stay_on_their_transaction_when_one_before_it_goes(tmp_path, run_cli):
    """DFID's expenditure #3 taken out: #5's entry, which the user cited,
    commented and tagged, keeps its id, figure and the user's additions;
    nothing is refused; #3's entry is withdrawn."""
    book = tmp_path / "led"
    _import(run_cli, DFID, book)
    tx5 = f"{DFID_ID}-t-5"
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    head = f'id = "{tx5}"\n'
    assert text.count(head) == 1
    at = text.index(head)
    tags = text.index("tags = [", at)
    line_end = text.index("\n", tags)
    text = (text[:at] + head + "# checked with the annual review\n"
            + text[at + len(head):tags] + text[tags:line_end - 1] + ', "reviewed"]'
            + text[line_end:])
    journal.write_text(text, encoding="utf-8")
    (book / "review.txt").write_text("Q3 2006/07: 9,999 spent\n", encoding="utf-8")
    code, _, err = run_cli("sources", "add", "--ledger", book, "--title", "Annual review",
                           "--publisher", "me", "--published", "2008-01-01", "--id", "review",
                           book / "review.txt")
    assert code == 0, err
    code, _, err = run_cli("cite", book, tx5, "--source", "review", "--quote", "9,999",
                           "--locator", "line 1")
    assert code == 0, err
    first = _transactions(DFID, DFID_ACT)
    newer = _without(DFID, DFID_ACT, 3, tmp_path / "v2" / DFID.name)
    err = _import(run_cli, newer, book)
    assert ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    assert _withdrawn(got[f"{DFID_ID}-t-3"])
    for k, (date, value) in enumerate(first, 1):
        if k != 3:
            e = got[f"{DFID_ID}-t-{k}"]
            assert (e.date.isoformat(), e.amount) == (date, value) and not _withdrawn(e)
    e = got[tx5]
    assert first[4] == ("2006-12-31", Decimal("9999.00"))
    assert "reviewed" in e.tags
    assert [(c.doc, c.quote) for c in e.sources if c.doc == "review"] == [("review", "9,999")]
    assert f'id = "{tx5}"\n# checked with the annual review\n' in \
        journal.read_text(encoding="utf-8")
    # the newer file again: nothing changes
    before = journal.read_bytes()
    err = _import(run_cli, newer, book)
    assert journal.read_bytes() == before and ", 0 updated," in err


def test_a_transaction_put_first_takes_an_id_no_entry_holds(tmp_path, run_cli):
    """A disbursement put before World Vision's first transaction: the four
    entries keep their ids and figures, the new one is a fifth entry."""
    book = tmp_path / "led"
    _import(run_cli, WVUK, book)
    ids = set(_entries(book))
    item = ('<transaction><transaction-type code="D"/><value value-date="2011-06-01" '
            'currency="GBP">5000</value><transaction-date iso-date="2011-06-01"/>'
            '</transaction>')
    newer = _with_first(WVUK, "GB-CHC-285908-195305", item, tmp_path / "v2" / WVUK.name)
    first = _transactions(WVUK, "GB-CHC-285908-195305")
    assert _transactions(newer, "GB-CHC-285908-195305") == [("2011-06-01", Decimal(5000))] + first
    err = _import(run_cli, newer, book)
    assert "1 new" in err and ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    for k, (date, value) in enumerate(first, 1):
        e = got[f"{WVUK_ID}-t-{k}"]
        assert (e.date.isoformat(), e.amount) == (date, value) and not _withdrawn(e)
    (new,) = set(got) - ids
    assert new.startswith(f"{WVUK_ID}-t-") and got[new].amount == 5000
    # again: the new one is known by its content, under the id it took
    err = _import(run_cli, newer, book)
    assert "0 new, 0 updated" in err and set(_entries(book)) == ids | {new}


def test_a_removed_budget_shifts_no_id(tmp_path, run_cli):
    """Tearfund's first budget taken out: the activity is counted by its
    budgets, so the total falls by it; the other budgets keep their entries."""
    book = tmp_path / "led"
    _import(run_cli, TEARFUND, book)
    before = {i: e.amount for i, e in _entries(book).items() if "-b-" in i}
    newer = _without(TEARFUND, "GB-CHC-265464-ZAI00598-0", 1, tmp_path / "v2" / TEARFUND.name,
                     "budget")
    err = _import(run_cli, newer, book)
    assert ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    assert _withdrawn(got[f"{TEARFUND_ID}-b-1"])
    for k in (2, 3, 4):
        e = got[f"{TEARFUND_ID}-b-{k}"]
        assert e.amount == before[e.id] and not _withdrawn(e)


def test_a_figure_changed_after_a_removed_transaction_updates_its_own_entry(tmp_path, run_cli):
    """DFID's expenditure #3 taken out and #6's value restated (19533.00 ->
    19000.00, same date, funder and receiver): #6's entry takes the new
    figure; no other entry is updated with it or withdrawn for it."""
    book = tmp_path / "led"
    _import(run_cli, DFID, book)
    first = _transactions(DFID, DFID_ACT)
    newer = _without(DFID, DFID_ACT, 3, tmp_path / "v2" / DFID.name)
    text = newer.read_text(encoding="utf-8")
    old = 'currency="GBP">19533.00</value>'
    assert text.count(old) == 1
    newer.write_text(text.replace(old, 'currency="GBP">19000.00</value>'), encoding="utf-8")
    now = _transactions(newer, DFID_ACT)
    assert now[4] == ("2007-03-31", Decimal("19000.00")) and first[5][0] == "2007-03-31"
    err = _import(run_cli, newer, book)
    assert "import: 0 new," in err and ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    assert [i for i, e in got.items() if i.startswith(DFID_ID + "-") and _withdrawn(e)] == [
        f"{DFID_ID}-t-3"]
    for k, (date, _) in enumerate(first, 1):
        if k != 3:
            e = got[f"{DFID_ID}-t-{k}"]
            assert (e.date.isoformat(), e.amount) == (date, now[k - 2 if k > 3 else k - 1][1])


GLOBAL_FUND = REAL / "global-fund.xml"             # 1 commitment, 13 disbursements, no refs
GLOBAL_FUND_ID = "iati-47045-arm-202-g05-h-00"


def test_a_withdrawn_disbursement_no_longer_fills_its_commitment(tmp_path, run_cli):
    """The Global Fund's disbursement #3 taken out: the other twelve now fit
    the commitment and the newer file links each to it; the withdrawn one,
    in no total, no longer fills it, so none is refused and the ledger checks clean."""
    book = tmp_path / "led"
    _import(run_cli, GLOBAL_FUND, book)
    act = "47045-ARM-202-G05-H-00"
    first = _transactions(GLOBAL_FUND, act)
    newer = _without(GLOBAL_FUND, act, 3, tmp_path / "v2" / GLOBAL_FUND.name)
    # the twelve left add up to no more than the commitment (read from the raw XML)
    assert sum(v for _, v in first[1:]) - first[2][1] <= first[0][1]
    err = _import(run_cli, newer, book)
    assert ", 0 rejected," in err, err
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer)
    got = _entries(book)
    gone = got[f"{GLOBAL_FUND_ID}-t-3"]
    assert _withdrawn(gone) and gone.amount == first[2][1]
    # its link stays (where the publisher said the money went); in no total, it fills nothing
    assert [(ln.kind, ln.target) for ln in gone.links] == [("disburses", f"{GLOBAL_FUND_ID}-t-1")]
    for k in range(2, len(first) + 1):
        if k != 3:
            e = got[f"{GLOBAL_FUND_ID}-t-{k}"]
            assert [(ln.kind, ln.target) for ln in e.links] == [
                ("disburses", f"{GLOBAL_FUND_ID}-t-1")]
            assert (e.date.isoformat(), e.amount) == first[k - 1]
