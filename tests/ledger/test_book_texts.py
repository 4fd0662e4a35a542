"""The Book's text of each entry (amount as written, recipient, location,
notes, tags) from the raw form of the entries kept, for a journal, a bulk
CSV, a bulk Parquet file and an import alike (``ledger.read.raw.book_texts``):
each column checked against values worked out here from the input written,
with Python's own ``str.strip`` and ``unicodedata``, never from our output."""
from __future__ import annotations

import csv
import unicodedata

import pytest

from ledger.read import read_book

# Python's str.strip() takes these (and more) for white space; the tags
# are trimmed of the white space that is no control character
_PAD = " \u00a0\u2003\u3000"

# (id, funder, [(purpose, amount as written)], currency, recipient, location,
#  notes, tags, bad): an entry of many parts is split; ``bad``: refused by a
# rule (a control character in a tag), so not in the Book
ENTRIES = [
    ("e1", "UK", [("P:a", "1000")], "GBP", "  Port of Calais\u00a0", "\u2003Calais ",
     "first\nnote  ", [" a ", "", "b", "Cafe\u0301"], False),
    ("e2", "UK", [("P:a", "600"), ("P:b", "400")], "EUR", "R2", "", " split note",
     ["x", "y "], False),
    ("e3", "FR", [("P:c", "5")], "USD", "", "", "", [], False),
    ("e4", "FR", [("P:c", "7")], "USD", "r4", "l4", "n4", ["ok", " bad\x01"], True),
    ("e5", "FR", [("P:d", "2"), ("P:e", "3")], "USD", "\u3000r5", "l5", "n5 ",
     [";", "\u3000z"], False),
]


def _want(rows, amount_text):
    """Per entry kept: its Book text, from the values written."""
    out = {}
    for eid, _, parts, cur, rec, loc, notes, tags, bad in rows:
        if bad:
            continue
        kept = [unicodedata.normalize("NFC", t.strip(_PAD)) for t in tags
                if t.strip(_PAD) and t != ";"]   # ';' alone: a separator in a bulk cell
        out[eid] = {"amount_text": amount_text(parts, cur), "recipient": rec.strip(),
                    "location": loc.strip(), "notes": notes.strip(), "tags": ";".join(kept)}
    return out


def _got(book):
    en = book.tables.entries
    return {r["id"]: {k: str(r[k]) for k in ("amount_text", "recipient", "location", "notes",
                                              "tags")}
            for r in en.to_dict("records")}


def _toml(text: str) -> str:
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def _write_journal(path, rows, amounts):
    out = ['[[document]]\nid = "d1"\ntitle = "D"\n']
    for (eid, funder, parts, cur, rec, loc, notes, tags, _), amount in zip(rows, amounts):
        out.append(f'[[entry]]\nid = "{eid}"\ndate = 2020-01-02\nfunder = "{funder}"\n'
                   f"amount = {_toml(amount)}\ncurrency = \"{cur}\"\n"
                   f"recipient = {_toml(rec)}\nlocation = {_toml(loc)}\nnotes = {_toml(notes)}\n"
                   f"tags = [{', '.join(_toml(t) for t in tags if t != ';')}]\n")
        if len(parts) == 1:
            out.append(f'purpose = "{parts[0][0]}"\n')
        else:
            for p, a in parts:
                out.append(f'  [[entry.split]]\n  purpose = "{p}"\n  amount = "{a} {cur}"\n')
        out.append('  [[entry.source]]\n  doc = "d1"\n  quote = "q"\n\n')
    path.write_text("".join(out), encoding="utf-8")


def test_a_journals_book_text_is_the_entries_as_written(tmp_path):
    """Each entry's amount as written (its phrase, with the currency field
    after it), its recipient, location and notes trimmed, its tags trimmed,
    composed and the blank ones left out; a split entry's from the entry,
    not its parts; the refused entry left out and the others in place."""
    amounts = [" 1,000.00 ", "1000", "5", "7", "5 "]
    _write_journal(tmp_path / "j.toml", ENTRIES, amounts)
    book = read_book(tmp_path / "j.toml", use_cache=False)
    assert {p.entry_id for p in book.problems if p.severity == "error"} == {"e4"}
    written = dict(zip((r[0] for r in ENTRIES), amounts))
    want = _want(ENTRIES, lambda parts, cur: "")
    for eid, w in want.items():
        w["amount_text"] = f"{written[eid].strip()} {dict((r[0], r[3]) for r in ENTRIES)[eid]}"
    assert _got(book) == want


def _bulk_rows(rows):
    head = ("id", "date", "funder", "purpose", "amount", "currency", "recipient", "location",
            "notes", "tags", "sources")
    body = [(eid, "2020-01-02", funder, p, a, cur, rec, loc, notes, ";".join(tags), "d1")
            for eid, funder, parts, cur, rec, loc, notes, tags, _ in rows for p, a in parts]
    return head, body


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_bulk_tables_book_text_is_each_entrys_first_row(tmp_path, fmt):
    """A bulk file's recipient, location and notes trimmed, its tags (a
    cell's between ';') as a journal's are kept; no amount as written; the
    entry with a bad tag left out, the entries after it in place."""
    head, body = _bulk_rows(ENTRIES)
    path = tmp_path / f"e.{fmt}"
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([head, *body])
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq
        pq.write_table(pa.table({h: [r[i] for r in body] for i, h in enumerate(head)}), path)
    book = read_book(path, use_cache=False)
    assert {p.entry_id for p in book.problems if p.severity == "error"} == {"e4"}
    assert _got(book) == _want(ENTRIES, lambda parts, cur: "")


def test_a_bulk_split_entry_whose_rows_differ_in_notes_is_left_out(tmp_path):
    """The Book keeps an entry's text from its first row, so the rows of an
    entry must agree on it: rows differing in their notes are refused (and
    nothing of them kept), the padding of a cell being no difference."""
    rows = [("s1", "UK", [("P:a", "1"), ("P:b", "2")], "GBP", "r", "l", "one", ["t"], False),
            ("s2", "UK", [("P:a", "1")], "GBP", "r", "l", "two", ["t"], False)]
    head, body = _bulk_rows(rows)
    body[1] = body[1][:8] + ("other",) + body[1][9:]
    body[2] = body[2][:9] + (" t ",) + body[2][10:]   # padding alone: no difference
    path = tmp_path / "e.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([head, *body])
    book = read_book(path, use_cache=False)
    errors = [(p.entry_id, p.code, p.field) for p in book.problems if p.severity == "error"]
    assert errors == [("s1", "split-row-differs", "notes")]
    assert _got(book) == {"s2": {"amount_text": "", "recipient": "r", "location": "l",
                                 "notes": "two", "tags": "t"}}


def test_an_imports_book_text_is_the_records_as_written(tmp_path, run_cli):
    """A spreadsheet imported to a bulk Parquet file (the Book of the
    records accepted, ``ledger.imports.rows.bulk_table``): the recipient,
    location, notes and tags of each record as written in its cells, a
    split record's from its rows; a refused record left out."""
    import pyarrow.parquet as pq

    sheet = tmp_path / "pledges.csv"
    sheet.write_text(
        "id,date,funder,purpose,amount,currency,recipient,location,notes,tags,quote,doc\n"
        's1,2020-01-01,UK:HO,S:P,£5m,,  R1 , L1 ,  padded note ,"a; b ;; Cafe\u0301",q,d1\n'
        "s2,2020-01-02,UK:HO,S:A,40,GBP,R2,L2,split note,x,q,d1\n"
        "s2,2020-01-02,UK:HO,S:B,60,GBP,R2,L2,split note,x,q,d1\n"
        "s3,2020-01-03,UK:HO,S:B,,GBP,R3,L3,no amount,y,q,d1\n"
        "s4,2020-01-04,FR:G,S:Q,10,EUR,,,,,q,d1\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    code, _, err = run_cli("import", sheet, "--to", out)
    assert code == 0, err
    got = {}
    for r in pq.read_table(out).to_pylist():
        got.setdefault(r["id"], {k: r[k] for k in ("recipient", "location", "notes", "tags")})
    want = {"s1": {"recipient": "R1", "location": "L1", "notes": "padded note",
                   "tags": ";".join(unicodedata.normalize("NFC", t) for t in ("a", "b", "Cafe\u0301"))},
            "s2": {"recipient": "R2", "location": "L2", "notes": "split note", "tags": "x"},
            "s4": {"recipient": "", "location": "", "notes": "", "tags": ""}}
    assert got == want
