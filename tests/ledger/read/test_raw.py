"""ledger.read.raw: every reader hands the rules its citations, links and
restatements as tables of their own (entry, doc / entry, kind, target /
entry, phrase), not as columns of the entries, and its split parts as the
splits table (entry, row, purpose, amount)."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from ledger.model import LINK_KINDS
from ledger.read.journal_columns import read_records
from ledger.read.table import bulk_raw, read_table

# one ledger: a split entry (two rows), links of each kind, sources with
# blanks, an empty id between ';', and an entry citing nothing
ROWS = [
    ("a", "2016-01-01", "UK:HO", "FR:Calais", "60", "GBP", " d1 ; d2", "", "", "",
     "EUR 70; USD 80"),
    ("b", "2016-01-02", "UK:HO", "FR:Calais", "40", "GBP", "d1;;d3", "a", "", "", "EUR 7 ;;€8m"),
    ("b", "2016-01-02", "UK:HO", "FR:Lille", "20", "GBP", "d1;;d3", "a", "", "", "EUR 7 ;;€8m"),
    ("c", "2016-01-03", "UK:HO", "FR:Calais", "10", "GBP", "", "", "a", "b", ""),
    ("d", "2016-01-04", "UK:HO", "FR:Calais", "5", "GBP", "d2", "", "missing", "", "USD 6"),
]
HEAD = ("id", "date", "funder", "purpose", "amount", "currency", "sources", *LINK_KINDS,
        "restated")


def _expected(path: Path):
    """(citations, links, restatements) worked out from the file's text: the
    entries are the runs of rows sharing an id, each one's values on its
    first row."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    firsts = [r for k, r in enumerate(rows) if k == 0 or rows[k - 1]["id"] != r["id"]]
    cites = [(e, d.strip()) for e, r in enumerate(firsts) for d in r["sources"].split(";")
             if d.strip()]
    links = [(e, k, r[k]) for e, r in enumerate(firsts) for k in LINK_KINDS if r[k]]
    restated = [(e, x.strip()) for e, r in enumerate(firsts) for x in r["restated"].split(";")
                if x.strip()]
    return cites, links, restated


def _tables(raw):
    c, lk, rs = raw.citations, raw.links, raw.restatements
    return (list(zip(c.column("entry").to_pylist(), c.column("doc").to_pylist())),
            list(zip(lk.column("entry").to_pylist(), lk.column("kind").to_pylist(),
                     lk.column("target").to_pylist())),
            list(zip(rs.column("entry").to_pylist(), rs.column("phrase").to_pylist())))


def test_a_bulk_table_gives_its_citations_links_and_restatements_as_tables(tmp_path):
    path = tmp_path / "e.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEAD, *ROWS])
    raw = bulk_raw(read_table(path), str(path))
    cites, links, restated = _expected(path)
    assert cites == [(0, "d1"), (0, "d2"), (1, "d1"), (1, "d3"), (3, "d2")]
    assert restated == [(0, "EUR 70"), (0, "USD 80"), (1, "EUR 7"), (1, "€8m"), (3, "USD 6")]
    assert _tables(raw) == (cites, links, restated)
    assert not {"sources", "restated", *LINK_KINDS} & set(raw.entries.column_names)
    assert not any(v.any() for v in raw.differs.values())   # the split's rows agree


def test_a_journal_gives_the_same_tables(tmp_path):
    """The same ledger as journal records (read as a journal's entries):
    the same citations and links, each entry's once however many parts."""
    path = tmp_path / "e.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEAD, *ROWS])
    records = []
    for r in ROWS:
        if records and records[-1]["id"] == r[0]:
            continue
        parts = [x for x in ROWS if x[0] == r[0]]
        rec = {"id": r[0], "date": dt.date.fromisoformat(r[1]), "funder": r[2],
               "amount": f"{sum(int(x[4]) for x in parts)} {r[5]}"}
        if len(parts) > 1:
            rec["split"] = [{"purpose": x[3], "amount": x[4]} for x in parts]
        else:
            rec["purpose"] = r[3]
        rec["source"] = [{"doc": d.strip(), "quote": "q"} for d in r[6].split(";") if d.strip()]
        rec.update({k: v for k, v in zip(LINK_KINDS, r[7:10]) if v})
        if r[10]:
            rec["restated"] = [x.strip() for x in r[10].split(";") if x.strip()]
        records.append(rec)
    raw = read_records([("j.toml", records, list(range(1, len(records) + 1)))]).form.raw
    assert _tables(raw) == _expected(path)
    assert not {"sources", "restated", *LINK_KINDS} & set(raw.entries.column_names)


def test_a_split_row_naming_other_sources_or_links_is_found_by_the_reader(tmp_path):
    path = tmp_path / "e.csv"
    rows = [list(r) for r in ROWS]
    rows[2][6], rows[2][7] = "d1", "c"   # b's second row: other sources, another link
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEAD, *rows])
    raw = bulk_raw(read_table(path), str(path))
    differs = {k: v.tolist() for k, v in raw.differs.items() if any(v)}
    assert differs == {"sources": [False, False, True, False, False],
                       "disburses": [False, False, True, False, False]}
    assert {"date", "funder", "currency", "part_of", "restated"} <= set(raw.differs)
    assert _tables(raw) == _expected(path)   # the first row's, as the Book keeps


def test_the_restated_rule_reads_each_entrys_phrases_as_the_journal_lists_them(tmp_path):
    """A bulk cell's conversions and a journal's list read alike: the
    frame's text is the conversions read ('' when one is refused), the
    problems at the entry's line."""
    from ledger.read.table import check_raw

    path = tmp_path / "e.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEAD[:6] + ("restated",),
                                  ("a", "2016-01-01", "UK:HO", "P", "60", "GBP", "€8m; USD 80"),
                                  ("b", "2016-01-02", "UK:HO", "P", "40", "GBP", "GBP 5"),
                                  ("b", "2016-01-02", "UK:HO", "Q", "20", "GBP", "GBP 5")])
    frame, problems = check_raw(bulk_raw(read_table(path), str(path)), None)
    assert frame["restated"].tolist() == ["EUR 8000000; USD 80"]
    assert [(p.line, p.entry_id, p.code) for p in problems if p.severity == "error"] == [
        (3, "b", "bad-restated")]


def test_a_bulk_tables_conversions_are_valued_as_a_journals(tmp_path, run_cli):
    """The Book keeps the conversions as the rule read them, whatever the
    input: "EUR 1.5 million" in a bulk cell is EUR 1,500,000 as stated
    (it was valued EUR 1.50, the cell's text read again by a pattern, and
    "EUR 15,000,000" broke `export`), as in a journal."""
    bulk = tmp_path / "e.csv"
    bulk.write_text("id,date,funder,purpose,amount,currency,sources,restated\n"
                    "a,2020-01-05,UK:HO,FR:Calais,70,GBP,,EUR 1.5 million\n"
                    'b,2020-01-06,UK:HO,FR:Calais,80,GBP,,"EUR 15,000,000"\n',
                    encoding="utf-8")
    journal = tmp_path / "j.toml"
    journal.write_text("".join(
        f'[[entry]]\nid = "{i}"\ndate = {d}\nfunder = "UK:HO"\npurpose = "FR:Calais"\n'
        f'amount = "{a} GBP"\nrestated = ["{r}"]\n\n'
        for i, d, a, r in (("a", "2020-01-05", 70, "EUR 1.5 million"),
                           ("b", "2020-01-06", 80, "EUR 15,000,000"))), encoding="utf-8")
    for ledger in (bulk, journal):
        code, out, _ = run_cli("balance", ledger, "--currency", "EUR", "--valuation", "as-stated")
        assert code == 0
        assert out.splitlines()[-1].split() == ["(total)", "€16,500,000.00"], ledger
        code, _, err = run_cli("export", ledger, "--to", "csv", "-o", tmp_path / f"{ledger.stem}.out.csv")
        assert code == 0, err


def test_a_phrase_holding_a_key_separator_is_read_on_its_own(tmp_path, run_cli):
    """Equal lists of conversion phrases are read once; a phrase holding the
    grouping key's separator (here U+001F) must not pass as the list
    ["EUR 5", "USD 6"] of another entry, which the rule accepts: it is read
    by itself, and its 'USD 6' refused."""
    toml = tmp_path / "kj.toml"
    toml.write_text(
        '[[entry]]\nid = "a"\ndate = 2020-01-01\nfunder = "UK"\npurpose = "P"\n'
        'amount = "£5"\nrestated = ["EUR 5", "USD 6"]\n\n'
        '[[entry]]\nid = "b"\ndate = 2020-01-01\nfunder = "UK"\npurpose = "Q"\n'
        'amount = "£5"\nrestated = ["EUR 5\\u001fUSD 6"]\n', encoding="utf-8")
    bulk = tmp_path / "k.csv"
    bulk.write_text("id,date,funder,purpose,amount,currency,restated\n"
                    "a,2020-01-01,UK,P,5,GBP,EUR 5; USD 6\n"
                    'b,2020-01-01,UK,Q,5,GBP,"EUR 5\x1fUSD 6"\n', encoding="utf-8")
    for ledger, line in ((toml, 15), (bulk, 3)):
        code, _, err = run_cli("check", ledger)
        assert code == 1, err
        errors = [x for x in err.splitlines() if ": error: " in x]
        assert len(errors) == 1 and errors[0].startswith(f"{ledger}:{line}: entry 'b': "), err
        assert "'USD 6'" in errors[0]


def _splits(raw):
    s = raw.splits
    assert raw.by_entry   # one row per entry, its parts in the splits table alone
    return list(zip(s.column("entry").to_pylist(), s.column("purpose").to_pylist(),
                    s.column("amount").to_pylist()))


def test_every_reader_gives_an_entrys_parts_as_the_splits_table(tmp_path):
    """The bulk file's rows sharing an id, and the journal's [[entry.split]]
    tables, as (entry, purpose, amount), worked out from the rows."""
    path = tmp_path / "e.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEAD, *ROWS])
    expected = [(1, "FR:Calais", "40"), (1, "FR:Lille", "20")]   # b's two rows
    assert _splits(bulk_raw(read_table(path), str(path))) == expected
    records = [{"id": "a", "date": dt.date(2016, 1, 1), "funder": "UK:HO", "purpose": "P",
                "amount": "60 GBP", "source": [{"doc": "d1", "quote": "q"}]},
               {"id": "b", "date": dt.date(2016, 1, 2), "funder": "UK:HO", "amount": "60 GBP",
                "split": [{"purpose": "FR:Calais", "amount": "40"},
                          {"purpose": "FR:Lille", "amount": "20"}],
                "source": [{"doc": "d1", "quote": "q"}]},
               {"id": "c", "date": dt.date(2016, 1, 3), "funder": "UK:HO", "amount": "5 GBP",
                "split": [{"purpose": "FR:Lille", "amount": "5"}],   # one part is a split too
                "source": [{"doc": "d1", "quote": "q"}]}]
    raw = read_records([("j.toml", records, [1, 10, 20])]).form.raw
    assert _splits(raw) == [*expected, (2, "FR:Lille", "5")]


def test_the_split_rules_read_the_parts_the_splits_table_names():
    """A row the splits table names is a part (its blank purpose is the
    split rule's); the same row named by none is an entry's."""
    import numpy as np
    import pyarrow as pa

    from ledger.read.raw import RawTables, split_table
    from ledger.read.table import check_raw

    entries = pa.table({c: pa.array([v]) for c, v in (
        ("id", "a"), ("date", "2016-01-01"), ("funder", "UK:HO"), ("purpose", ""),
        ("amount", "5"), ("currency", "GBP"))})
    plain = RawTables(entries, "e.csv", np.array([2]))
    split = RawTables(entries, "e.csv", np.array([2]),
                      splits=split_table([0], [0], pa.array([""]), pa.array(["5"])))
    def errors(raw):
        return [p.message for p in check_raw(raw, None)[1] if p.severity == "error"]

    assert errors(plain) == ["missing field 'purpose'"]
    assert errors(split) == ["split needs a purpose"]


def test_a_parts_purpose_and_amount_are_the_splits_tables():
    """The split rules and the parts' sum read the splits table's purpose
    and amount, not the part's row (which a raw form of one row per entry
    will not have): rows leaving them blank, parts of 2.5 and 3 to FR:A
    and FR:B, make an entry of 5.5 with no problem of its parts; a part
    the table leaves blank is said to be one."""
    import numpy as np
    import pyarrow as pa

    from ledger.read.raw import RawTables, split_table
    from ledger.read.table import check_raw

    entries = pa.table({c: pa.array([v, v]) for c, v in (
        ("id", "a"), ("date", "2016-01-01"), ("funder", "UK:HO"), ("purpose", ""),
        ("amount", ""), ("currency", "GBP"))})

    def checked(purposes, amounts):
        raw = RawTables(entries, "e.csv", np.array([2, 3]),
                        splits=split_table([0, 0], [0, 1], pa.array(purposes), pa.array(amounts)))
        frame, problems = check_raw(raw, None)
        return frame, [(p.line, p.message) for p in problems if p.severity == "error"]

    frame, errors = checked(["FR:A", "FR:B"], ["2.5", "3"])
    assert errors == []
    assert [str(a) for a in frame["entry_amount"]] == ["5.5", "5.5"]
    assert checked(["FR:A", ""], ["2.5", "-3"])[1] == [(3, "split needs a purpose")]
    assert checked(["FR:A", "FR:B"], ["2.5", "0"])[1] == [
        (3, "split amount for 'FR:B' must be a positive number")]


def test_the_book_counts_the_parts_the_rules_checked():
    """Rows whose purpose and amount disagree with the splits table's (a
    raw form made by hand; a reader's rows repeat its parts'): the rules
    read the table's parts, 2.5 to FR:A and 3 to FR:B, and so does the
    Book, which counts neither row's 9 to FR:Row."""
    from decimal import Decimal

    import numpy as np
    import pyarrow as pa

    from ledger.book import Book
    from ledger.read.raw import RawTables, split_table
    from ledger.read.table import check_raw

    entries = pa.table({c: pa.array([v, v, w]) for c, v, w in (
        ("id", "a", "b"), ("date", "2016-01-01", "2016-01-02"), ("funder", "UK:HO", "UK:HO"),
        ("purpose", "FR:Row", "FR:C"), ("amount", "9", "4"), ("currency", "GBP", "GBP"),
        ("sources", "d", "d"))})
    parts = [("FR:A", "2.5"), ("FR:B", "3")]
    raw = RawTables(entries, "e.csv", np.array([2, 3, 4]),
                    splits=split_table([0, 0], [0, 1], pa.array([p for p, _ in parts]),
                                       pa.array([a for _, a in parts])))
    frame, problems = check_raw(raw, None)
    assert [p.message for p in problems if p.severity == "error"] == []
    counted = [(p, Decimal(a)) for p, a in parts] + [("FR:C", Decimal("4"))]
    assert list(zip(frame["purpose"].astype(str), frame["amount"])) == counted
    allocations = Book.from_frame(frame).tables.allocations
    assert sorted(zip(allocations["purpose"].astype(str), allocations["amount"])) == counted
    assert list(frame["entry_amount"]) == [Decimal("5.5"), Decimal("5.5"), Decimal("4")]


def test_the_bulk_reader_finds_the_parts_that_disagree(tmp_path):
    """An entry's rows must agree in every column but purpose and amount:
    the reader compares them (a funder written composed on one row and
    decomposed on the next is one name), the rules word each at its row."""
    from ledger.read.table import check_raw

    path = tmp_path / "e.csv"
    head = ("id", "date", "funder", "purpose", "amount", "currency", "notes")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([head,
                                  ("a", "2016-01-01", "FR:Préfecture", "P", "1", "EUR", "x"),
                                  ("a", "2016-01-01", "FR:Pre\u0301fecture", "Q", "2", "EUR", "x"),
                                  ("a", "2016-01-01", "FR:Préfecture", "R", "3", "EUR", "y"),
                                  ("b", "2016-01-02", "FR:Préfecture", "P", "4", "USD", "y")])
    raw = bulk_raw(read_table(path), str(path))
    assert {k: v.tolist() for k, v in raw.differs.items() if v.any()} == {
        "notes": [False, False, True, False]}
    assert [(p.line, p.code, p.field) for p in check_raw(raw, None)[1]
            if p.severity == "error"] == [(4, "split-row-differs", "notes")]


def test_a_purpose_beside_split_tables_is_said_at_its_key(tmp_path, run_cli):
    """An entry's split tables name its purposes: a purpose given beside
    them was dropped without a word (its money shown under the splits'
    purposes only). A warning at the purpose's line now says it is not
    kept; the entry's parts are read as without it."""
    entry = ('[[entry]]\nid = "a"\ndate = 2020-01-01\nfunder = "UK"\n{purpose}'
             'amount = "£5m"\n\n[[entry.split]]\npurpose = "X:Y"\namount = "£2m"\n\n'
             '[[entry.split]]\npurpose = "X:Z"\namount = "£3m"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text(entry.format(purpose='purpose = "X:W"\n'), encoding="utf-8")
    code, _, err = run_cli("check", bad)
    assert code == 0 and ": error: " not in err
    assert f"{bad}:5: entry 'a': warning: purpose 'X:W' is not kept" in err, err
    good = tmp_path / "good.toml"
    good.write_text(entry.format(purpose=""), encoding="utf-8")
    code, _, err = run_cli("check", good)
    assert code == 0 and "not kept" not in err
    for ledger in (bad, good):
        code, out, err = run_cli("list", ledger, "--format", "csv")
        assert code == 0, err
        assert list(csv.DictReader(out.splitlines()))[0]["purpose"] == "X:Y=2000000; X:Z=3000000"


def test_the_rows_of_kept_entries_are_numbered_among_them():
    """``entries_of``: a table keyed by entry keeps the rows of the entries
    kept, each renumbered among those kept (entry 2 of 0..3 with 1 left out
    is the second kept, 1)."""
    import numpy as np
    import pyarrow as pa

    from ledger.read.raw import entries_of, no_citations

    table = pa.table({"entry": pa.array([0, 0, 1, 2, 3, 3], pa.int64()),
                      "doc": ["a", "b", "c", "d", "e", "f"]})
    got = entries_of(table, np.array([True, False, True, True]))
    assert got.column("entry").to_pylist() == [0, 0, 1, 2, 2]
    assert got.column("doc").to_pylist() == ["a", "b", "d", "e", "f"]
    assert entries_of(no_citations(quoted=True), np.array([True])).column_names == [
        "entry", "doc", "quote", "locator"]


# one split entry whose first and third parts name one purpose (the third
# in decomposed form: "é" as "e" and a combining accent is the same name),
# and one whose parts differ only in case (two purposes)
TWICE = [("e", "Caf\u00e9:A", "60"), ("e", "FR:B", "10"), ("e", "Cafe\u0301:A", "30"),
         ("f", "FR:a", "5"), ("f", "FR:A", "5")]


def _twice(problems):
    return [(p.line, p.entry_id, p.severity, p.message) for p in problems
            if p.code == "split-purpose-twice"]


WORDS = ("split purpose 'Caf\u00e9:A' is named by an earlier part of the entry too: both "
         "amounts are counted under it")


def test_a_purpose_named_by_two_parts_is_said_alike_by_every_reader(tmp_path):
    """Two parts of one entry naming one purpose: a warning at the later
    part (a journal: its purpose key; a bulk table: its row; an import:
    the record's line), the same words whatever the reader; the entry is
    kept, its amount the parts' sum."""
    from ledger.read.journal_columns import read_journal_book
    from ledger.read.table import check_raw, read_bulk_book

    journal = tmp_path / "j.toml"
    text = ""
    for eid in ("e", "f"):
        parts = [x for x in TWICE if x[0] == eid]
        text += (f'[[entry]]\nid = "{eid}"\ndate = 2020-01-01\nfunder = "UK:HO"\n'
                 f'amount = "{sum(int(a) for _, _, a in parts)} GBP"\n')
        text += "".join(f'[[entry.split]]\npurpose = "{p}"\namount = "{a}"\n' for _, p, a in parts)
    journal.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    purpose_lines = [k + 1 for k, x in enumerate(lines) if x.startswith("purpose = ")]
    book = read_journal_book(journal)
    assert _twice(book.problems) == [(purpose_lines[2], "e", "warning", WORDS)]

    bulk = tmp_path / "b.csv"
    with open(bulk, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([("id", "date", "funder", "purpose", "amount", "currency"),
                                  *((i, "2020-01-01", "UK:HO", p, a, "GBP") for i, p, a in TWICE)])
    bbook = read_bulk_book(bulk)
    assert _twice(bbook.problems) == [(4, "e", "warning", WORDS)]   # header is line 1

    records = [{"id": eid, "date": dt.date(2020, 1, 1), "funder": "UK:HO",
                "amount": f"{sum(int(a) for i, _, a in TWICE if i == eid)} GBP",
                "split": [{"purpose": p, "amount": a} for i, p, a in TWICE if i == eid]}
               for eid in ("e", "f")]
    raw = read_records([("in.csv", records, [7, 8])]).form.raw
    _, problems = check_raw(raw, None)
    assert _twice(problems) == [(7, "e", "warning", WORDS)]

    # a warning: both entries kept, e's amount is its parts' sum, 100 GBP
    for b in (book, bbook):
        assert not [p for p in b.problems if p.severity == "error"]
        assert {e.id: e.amount for e in b.entries} == {"e": 100, "f": 10}
        assert [(s.purpose, s.amount) for s in b.entry("e").splits] == [
            ("Caf\u00e9:A", 60), ("FR:B", 10), ("Caf\u00e9:A", 30)]


def test_the_book_holds_every_readers_citations_alike(tmp_path):
    """The Book's citations (``raw.book_citations``) of a bulk file's
    sources, which state no quote nor locator, are a journal's citing the
    same documents without them: the same rows, '' for the quote and the
    locator, the same column types."""
    import tomlkit

    from ledger.read import read_book

    cells = {"a": " d1 ; d2", "b": "d1;;d3"}
    bulk, journal = tmp_path / "e.csv", tmp_path / "j.toml"
    with open(bulk, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([("id", "date", "funder", "purpose", "amount", "currency",
                                   "sources"),
                                  *((i, "2016-01-01", "UK", "P", "5", "GBP", s)
                                    for i, s in cells.items())])
    entries = tomlkit.aot()
    for i, s in cells.items():
        entries.append(tomlkit.item({"id": i, "date": "2016-01-01", "funder": "UK",
                                     "purpose": "P", "amount": "5 GBP",
                                     "source": [{"doc": d} for d in s.split(";")
                                                if d.strip()]}))
    journal.write_text(tomlkit.dumps({"entry": entries}), encoding="utf-8")
    want = [(e, d.strip(), "", "") for e, s in enumerate(cells.values()) for d in s.split(";")
            if d.strip()]
    books = [read_book(p, use_cache=False) for p in (bulk, journal)]
    for book in books:
        c = book.tables.citations
        assert list(zip(c["entry"], c["doc"], c["quote"], c["locator"])) == want
    assert [str(t) for t in books[0].tables.citations.dtypes] == \
        [str(t) for t in books[1].tables.citations.dtypes]
