"""Each importer says which parts of an entry's note are its own: every part
it writes is made by one of its wordings (``NOTES``), and a re-import reads
an old note's parts back by the same wordings, so a user's remark is told
from the importer's parts by what the importer writes, whole, not by how a
part begins.  The expected notes are the parts the XML below calls for,
written out by hand."""
from __future__ import annotations

import re
from decimal import Decimal

import ledger
from ledger.imports import fts, iati
from ledger.imports.common import SHARE_NOTES, percentages

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
TAIL = "</iati-activities>\n"


def _xml(path, disbursement_currency: str = "", c1: int = 100000):
    cur = f' currency="{disbursement_currency}"' if disbursement_currency else ""
    path.write_text(
        HEAD + ' <iati-activity default-currency="USD">\n'
        '  <iati-identifier>XM-NOTE-1</iati-identifier>\n'
        '  <reporting-org ref="XM-NOTE"><narrative>Note Donor</narrative></reporting-org>\n'
        '  <transaction ref="c1"><transaction-type code="2"/>'
        f'<transaction-date iso-date="2020-02-01"/><value value-date="2020-02-01">{c1}</value>'
        '</transaction>\n'
        '  <transaction ref="d1"><transaction-type code="3"/>'
        '<transaction-date iso-date="2020-03-01"/>'
        f'<value{cur} value-date="2020-03-01">40000</value></transaction>\n'
        ' </iati-activity>\n' + TAIL, encoding="utf-8")
    return path


def _import(run_cli, path, book) -> str:
    code, _, err = run_cli("import", "--from", "iati", path, "-o", book)
    assert code == 0, err
    return err


def _notes(book, eid: str) -> str:
    return next(e for e in ledger.load(book).entries if e.id == eid).notes


def _add_remark(book, eid: str, remark: str) -> None:
    path = book / "iati.toml"
    text = path.read_text(encoding="utf-8")
    head = text.index(f'id = "{eid}"')
    path.write_text(text[:head] + re.sub(r'(?m)^(notes = ".*)"$', lambda m: f'{m.group(1)}; {remark}"',
                                         text[head:], count=1), encoding="utf-8")


COMMITMENT = ("IATI 2.03 transaction type 2 (Outgoing Commitment); funder from the reporting-org; "
              "counted: the activity is counted once, by its commitments")
LINKED = "linked, not counted: the activity is counted once, by its commitments"
DISBURSEMENT = "IATI 2.03 transaction type 3 (Disbursement); funder from the reporting-org"


def test_a_remark_that_begins_like_an_importers_note_is_the_users(tmp_path, run_cli):
    """"IATI figure confirmed by phone" begins as the importer's notes do
    but is none of its wordings: it stays through a newer file."""
    book = tmp_path / "book"
    _import(run_cli, _xml(tmp_path / "v1.xml"), book)
    remark = "IATI figure confirmed by phone"
    _add_remark(book, "iati-xm-note-1-t-c1", remark)
    err = _import(run_cli, _xml(tmp_path / "v2.xml", c1=120000), book)
    assert "are replaced" not in err, err
    assert _notes(book, "iati-xm-note-1-t-c1") == f"{COMMITMENT}; {remark}"


def test_an_importers_part_it_no_longer_writes_goes(tmp_path, run_cli):
    """d1 in EUR is linked with a part saying so; once the newer file gives
    it in US dollars that part is the importer's to drop, not a remark kept
    for ever (its opening was in no list of the importer's)."""
    book = tmp_path / "book"
    _import(run_cli, _xml(tmp_path / "v1.xml", "EUR"), book)
    eur = "in EUR, not in the currency of its commitments: linked as a restatement"
    assert _notes(book, "iati-xm-note-1-t-d1") == f"{DISBURSEMENT}; {eur}; {LINKED}"
    _add_remark(book, "iati-xm-note-1-t-d1", "mine")
    _import(run_cli, _xml(tmp_path / "v2.xml"), book)
    assert _notes(book, "iati-xm-note-1-t-d1") == f"{DISBURSEMENT}; {LINKED}; mine"


def test_each_wording_reads_back_what_it_writes_and_no_remark():
    written = [iati._TRANSACTION(version="2.03", code="2", name="Outgoing Commitment"),
               iati._BUDGET(version="1.0x", type="original", status="1", name="Indicative"),
               iati._UNDATED(what="period-start", given="missing", by="period-end"),
               iati._NET(gone="t2 (line 9)", reported="10", net="7"),
               iati._WITHDRAWN(file="v2.xml", activity="XM-1"),
               fts._SPLIT(n=4), fts._CHILD(parent="12"), fts._DESTINATION(kind="plan", name="Chad"),
               fts._UNCOUNTED(reason=fts.NOT_COUNTED["shared"])]
    for part in written:
        assert (iati.NOTES.wrote(part) or fts.NOTES.wrote(part)), part
    for remark in ("IATI figure confirmed by phone", "split equally, says the ministry",
                   "child of flow 12", "FTS figure checked", "planned: yes"):
        assert not iati.NOTES.wrote(remark) and not fts.NOTES.wrote(remark), remark


def test_the_percentage_notes_are_the_iati_readers_own():
    """Sectors 40 and 40 with a third without a percentage: it gets the
    remaining 20 (100 - 40 - 40); sectors 30 and 20: scaled to 100."""
    weights, note = percentages([("A", Decimal(40)), ("B", Decimal(40)), ("C", None)], "sectors")
    assert weights[-1] == ("C", Decimal(20))
    assert note == "sectors C without a percentage share the remaining 20%"
    _, scaled = percentages([("A", Decimal(30)), ("B", Decimal(20))], "sectors")
    assert scaled == "sectors percentages add up to 50, not 100: scaled to 100"
    assert SHARE_NOTES.wrote(note) and iati.NOTES.wrote(note) and iati.NOTES.wrote(scaled)
    assert not fts.NOTES.wrote(note)
