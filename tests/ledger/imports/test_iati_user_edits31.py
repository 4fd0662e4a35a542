"""An IATI re-import that updates an entry keeps what the user added to it
(docs/interop.md, "Your edits of an imported entry stay"): a citation added
with `cite`, a field the importer never writes, comments, tags and remarks;
the importer's own figure, splits and citation are replaced by the newer
statement's, and an edit of a field the importer writes is said, naming the
entry and the field.  On Tearfund's real file (tests/fixtures/real/iati) and
a later statement of it that changes one transaction and one budget (the
@last-updated-datetime a year on); the figures are read from the raw XML
with ElementTree, never from the importer."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import ledger
from tests.conftest import FIXTURES

TEARFUND = FIXTURES / "real" / "iati" / "tearfund-cd.xml"
TX = "iati-gb-chc-265464-zai00598-0-t-3"       # transaction #3, a disbursement to Heal Africa
TX6 = "iati-gb-chc-265464-zai00598-0-t-6"      # transaction #6, the same in both files
BUDGET = "iati-gb-chc-265464-zai00598-0-b-2"   # the budget of 2012-04-01 to 2013-03-31


def _later(tmp_path: Path) -> Path:
    """The later statement: transaction #3 140995 -> 150995, budget #2
    1568703 -> 1600000, the activity updated a year later."""
    text = TEARFUND.read_text(encoding="utf-8")
    for old, new in ((">140995<", ">150995<"), (">1568703<", ">1600000<"),
                     ("2013-02-01T16:13:27", "2014-02-01T16:13:27")):
        assert text.count(old) == 1
        text = text.replace(old, new)
    out = tmp_path / "later" / "tearfund-cd.xml"
    out.parent.mkdir()
    out.write_text(text, encoding="utf-8")
    return out


def _raw(path: Path) -> tuple[dict[int, Decimal], Decimal]:
    """(transaction values by position, the sum of the budgets) of the file."""
    (act,) = ET.parse(path).getroot().iter("iati-activity")
    tx = {k: Decimal(t.find("value").text) for k, t in enumerate(act.iter("transaction"), 1)}
    budgets = sum((Decimal(b.find("value").text) for b in act.iter("budget")), Decimal(0))
    return tx, budgets


def _import(run_cli, source: Path, book: Path) -> str:
    code, _, err = run_cli("import", "--from", "iati", source, "-o", book)
    assert code == 0, err
    return err


def _entry(book: Path, eid: str):
    (e,) = [e for e in ledger.load(book).entries if e.id == eid]
    return e


def _after(text: str, eid: str, line: str) -> str:
    head = f'id = "{eid}"\n'
    assert text.count(head) == 1
    return text.replace(head, head + line)


def _edited(tmp_path: Path, run_cli) -> Path:
    """Tearfund imported, then the user's additions to two entries."""
    book = tmp_path / "led"
    _import(run_cli, TEARFUND, book)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    text = _after(text, TX, 'location = "Goma"  # my own research\n# checked with the partner\n')
    text = _after(text, BUDGET, 'location = "North Kivu"\n')
    text = text.replace('tags = ["iati", "iati-type-D"]\nnotes = "IATI 1.0x (no @version; '
                        'letter codes) transaction type D (Disbursement); linked, not counted: '
                        'the activity is counted once, by its budgets"\n  [[entry.split]]\n'
                        '  purpose = "Education and training in water supply and sanitation:'
                        'Congo (the Democratic Republic of the)"\n  amount = "47938.3"',
                        'tags = ["iati", "iati-type-D", "wash"]\nnotes = "IATI 1.0x (no @version; '
                        'letter codes) transaction type D (Disbursement); linked, not counted: '
                        'the activity is counted once, by its budgets; seen in the annual '
                        'report"\n  [[entry.split]]\n'
                        '  purpose = "Education and training in water supply and sanitation:'
                        'Congo (the Democratic Republic of the)"\n  amount = "47938.3"', 1)
    assert "seen in the annual report" in text
    journal.write_text(text, encoding="utf-8")
    (book / "rep.txt").write_text("Tearfund paid 140,995 to Heal Africa; 1,568,703 budgeted\n",
                                  encoding="utf-8")
    code, _, err = run_cli("sources", "add", "--ledger", book, "--title", "Annual report",
                           "--publisher", "me", "--published", "2013-01-01", "--id", "myrep",
                           book / "rep.txt")
    assert code == 0, err
    for eid, quote in ((TX, "140,995"), (BUDGET, "1,568,703")):
        code, _, err = run_cli("cite", book, eid, "--source", "myrep", "--quote", quote,
                               "--locator", "line 1")
        assert code == 0, err
    return book


def test_a_newer_statement_keeps_the_users_citation_fields_tags_notes_and_comments(
        tmp_path, run_cli):
    book = _edited(tmp_path, run_cli)
    # a status corrected by hand on transaction #6, which the later file states anew
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'id = "{TX6}"\n')
    cut = text.index('status = "disbursed"\n', at)
    journal.write_text(text[:cut] + 'status = "committed"\n'
                       + text[cut + len('status = "disbursed"\n'):], encoding="utf-8")
    later = _later(tmp_path)
    err = _import(run_cli, later, book)
    tx, budgets = _raw(later)
    # the publisher's newer statement decides the fields the importer writes: said
    assert _entry(book, TX6).status == "disbursed"
    assert f"updated {TX6}" in err and "status committed -> disbursed" in err
    e = _entry(book, TX)
    # the importer's part: the newer statement's figure and citation
    assert e.amount == tx[3] == Decimal(150995)
    assert sum((s.amount for s in e.splits), Decimal(0)) == tx[3]
    theirs = [c for c in e.sources if c.doc.startswith("iati-")]
    assert len(theirs) == 1 and ">150995<" in theirs[0].quote
    # the user's part, kept
    assert e.location == "Goma"
    assert [(c.doc, c.quote, c.locator) for c in e.sources if c.doc == "myrep"] == [
        ("myrep", "140,995", "line 1")]
    assert "wash" in e.tags and e.notes.endswith("; seen in the annual report")
    text = (book / "iati.toml").read_text(encoding="utf-8")
    assert 'location = "Goma"  # my own research\n# checked with the partner\n' in text
    # said: the entry updated, and the user's citation made for the old figure
    assert f"updated {TX}" in err and "amount 140995 -> 150995" in err
    (said,) = [ln for ln in err.splitlines() if "'myrep'" in ln and f"'{TX}'" in ln]
    assert "kept" in said and "140995 GBP" in said and "150995 GBP" in said
    # the budget the activity is counted by: the total is the later file's budgets
    b = _entry(book, BUDGET)
    assert b.location == "North Kivu" and any(c.doc == "myrep" for c in b.sources)
    code, out, err = run_cli("balance", book, "--format", "csv")
    assert code == 0, err
    assert f"(total),GBP,{budgets}" in out.splitlines(), out
    assert budgets == Decimal(271573 + 1600000 + 1290200 + 311024)
    code, out, err = run_cli("check", book)
    assert code == 0, out + err


def test_importing_the_same_file_again_changes_no_byte(tmp_path, run_cli):
    book = _edited(tmp_path, run_cli)
    before = (book / "iati.toml").read_bytes()
    err = _import(run_cli, TEARFUND, book)
    assert (book / "iati.toml").read_bytes() == before
    assert "0 new, 0 updated, 12 unchanged" in err
    # and after the newer statement, that one again
    later = _later(tmp_path)
    _import(run_cli, later, book)
    after = (book / "iati.toml").read_bytes()
    err = _import(run_cli, later, book)
    assert (book / "iati.toml").read_bytes() == after
    assert "0 new, 0 updated, 12 unchanged" in err


def test_a_status_edit_stays_while_the_data_is_the_same_and_is_said(tmp_path, run_cli):
    """The data the entry cites has not changed: the differing status is the
    user's edit, kept, and said naming the entry and the field."""
    book = _edited(tmp_path, run_cli)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    head = f'id = "{TX}"\n'
    at = text.index(head)
    cut = text.index('status = "disbursed"\n', at)
    text = text[:cut] + 'status = "committed"  # not paid yet, says the partner\n' + \
        text[cut + len('status = "disbursed"\n'):]
    journal.write_text(text, encoding="utf-8")
    before = journal.read_bytes()
    err = _import(run_cli, TEARFUND, book)
    assert journal.read_bytes() == before
    assert _entry(book, TX).status == "committed"
    (said,) = [ln for ln in err.splitlines() if f"'{TX}'" in ln and "status" in ln]
    assert "'committed'" in said and "kept" in said and "'disbursed'" in said


def test_a_newer_statement_replaces_a_hand_edited_amount_and_says_so(tmp_path, run_cli):
    book = _edited(tmp_path, run_cli)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'id = "{TX}"\n')
    cut = text.index('[[entry.source]]', at)
    # the amount and its three splits (sum 123456), by hand
    head, tail = text[at:cut], text[cut:]
    for was, now in (('amount = "140995"', 'amount = "123456"'),
                     ('amount = "47938.3"', 'amount = "41152"'),
                     ('amount = "46528.35"', 'amount = "41152"')):
        assert was in head
        head = head.replace(was, now)
    text = text[:at] + head + tail
    journal.write_text(text, encoding="utf-8")
    # the same file again: the edit stays (the data it cites is unchanged), said once
    err = _import(run_cli, TEARFUND, book)
    assert journal.read_text(encoding="utf-8") == text
    (said,) = [ln for ln in err.splitlines() if f"'{TX}'" in ln and "amount" in ln]
    assert "your amount 123456 GBP is kept" in said and "140995 GBP" in said
    assert not [ln for ln in err.splitlines() if f"'{TX}'" in ln and "currency" in ln]
    later = _later(tmp_path)
    err = _import(run_cli, later, book)
    tx, _ = _raw(later)
    assert _entry(book, TX).amount == tx[3]
    (said,) = [ln for ln in err.splitlines() if f"'{TX}'" in ln and "edit of yours" in ln]
    assert "amount 123456 GBP" in said and "150995 GBP" in said
