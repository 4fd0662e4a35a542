"""Imported records as the raw form, checked by check_raw (ledger/imports/rows.py):
each refused record with its problems and the field at fault, the accepted
ones' rows (``EntryRow``) made from the checked rows, equal to what the
journal written from them reads back as."""
from __future__ import annotations

import datetime as dt


import ledger
from ledger.book import Book
from ledger.imports.common import Record, ReadResult, finish
from ledger.imports.rows import bulk_table, check_records, entry_rows
from ledger.imports.table import import_table
from ledger.model import Document
from ledger.rules import rows as rr
from ledger.read.journal_columns import read_journal_book
from ledger.writer import entry_table, render


def _rec(eid: str, **more) -> dict:
    base = {"id": eid, "date": dt.date(2016, 3, 3), "funder": "UK:Home Office",
            "purpose": "Humanitarian:Calais", "amount": "1000000", "currency": "GBP",
            "source": [{"doc": "doc-1", "quote": "£1 million"}]}
    return entry_table({**base, **more})


def _check(tables, **kw):
    return check_records(tables, list(range(2, len(tables) + 2)), name="in.csv",
                         documents={"doc-1"}, **{"rows": True, **kw})


def test_each_refused_record_names_the_field_at_fault():
    got = _check([_rec("ok"), _rec("bad-amount", amount="lots", currency=None),
                  _rec("bad-currency", currency="XXQ"), _rec("bad-date", date="2016-02-30"),
                  _rec("bad-status", status="maybe"), _rec("bad-tag", tags=["ok", "a\x07b"])])
    assert got.accepted == [0]
    fields = {k: [(p.field, p.code) for p in ps] for k, ps in got.problems.items()}
    assert fields[1] == [("amount", "bad-amount")]
    assert fields[2] == [("currency", "unknown-currency")]
    assert fields[3] == [("date", "bad-date")]
    assert [c for _, c in fields[4]] == ["unknown-status"]
    assert fields[5] == [("tags", "bad-tag")]
    # each at its record's line, with its id
    assert {(p.line, p.entry_id) for p in got.problems[3]} == {(5, "bad-date")}


def test_a_period_against_the_amount_phrase_is_refused_as_in_a_journal():
    """The journal's rule and words: a stated period must restate the
    phrase's ("£10m a year" is per year: "per year for 3 years" restates
    it, "over 3 years", three years' total, does not)."""
    got = _check([_rec("restates", amount="£10m a year", currency=None,
                       period="per year for 3 years"),
                  _rec("against", amount="£10m a year", currency=None, period="over 3 years")])
    assert got.accepted == [0]
    assert [(p.line, p.field, p.code, p.message) for p in got.problems[1]] == [
        (3, "period", "period-contradicts",
         "period 'over 3 years' contradicts the amount phrase ('per year')")]


def test_rows_are_equal_to_the_journal_read_back(tmp_path):
    tables = [
        _rec("plain"),
        _rec("phrase", amount="£17 million", currency=None, period="over 2 years",
             tags=["a", "b"], notes="n", recipient="R", location="L", qualifier="about"),
        _rec("split", purpose="", amount="3000000", split=[
            {"purpose": "Security:Calais port", "amount": "2000000"},
            {"purpose": "Humanitarian:Calais", "amount": "1000000"}]),
        _rec("part", amount="500000", disburses="plain", restated=["€600,000"],
             value_date=dt.date(2016, 4, 1)),
    ]
    got = _check(tables)
    assert got.accepted == [0, 1, 2, 3] and not got.problems
    j = tmp_path / "j.toml"
    j.write_text('[[document]]\nid = "doc-1"\n\n' + render(tables), encoding="utf-8")
    back = entry_rows(ledger.load(j))
    assert len(back) == len(got.accepted)
    assert all(got.rows[k].same(b) for k, b in zip(got.accepted, back))
    assert got.rows[1].amount_text == "£17 million"


def test_splits_that_do_not_add_up_are_refused():
    parts = [{"purpose": "P:One", "amount": "2"}, {"purpose": "P:Two", "amount": "2"}]
    got = _check([_rec("s", purpose="", amount="5", split=parts),
                  _rec("t", purpose="", amount="4", split=parts)])
    assert got.accepted == [1]
    assert [(p.code, p.line) for p in got.problems[0]] == [("split-sum", 2)]
    assert [s.amount for s in got.rows[1].splits] == [2, 2]


def test_one_id_in_turn_is_a_duplicate_not_a_split():
    got = _check([_rec("a", purpose="P:One"), _rec("a", purpose="P:Two", amount="5")])
    assert got.accepted == [0]
    assert [p.code for p in got.problems[1]] == ["duplicate-id"]
    assert got.rows[0].splits == ()


def test_a_link_to_a_refused_record_is_refused_in_turn():
    got = _check([_rec("pledge", amount="lots", currency=None),
                  _rec("paid", amount="5", disburses="pledge")])
    assert got.accepted == []
    assert [p.code for p in got.problems[1]] == ["missing-link"]


def test_the_ledger_is_checked_with_the_records():
    old = ledger.model.Entry("pkg", dt.date(2016, 1, 1), "UK:Home Office", "Humanitarian:Calais",
                             ledger.model.Decimal(10), "GBP", file="l.toml", line=3)
    got = _check([_rec("p1", amount="6", part_of="pkg"), _rec("p2", amount="6", part_of="pkg",
                                                              date=dt.date(2016, 3, 4))],
                 ledger=Book.from_entries([old]))
    # the parts exceed the ledger's package only with the records: theirs, at their
    # lines (the ledger left as it was, so ``check`` passes after the import)
    assert got.accepted == []
    for k in (0, 1):
        (p,) = got.problems[k]
        assert (p.code, p.field, p.entry_id) == ("package-exceeded", "part_of", f"p{k + 1}")
        assert "12 GBP, more than the 10 GBP of 'pkg'" in p.message and "l.toml:3" in p.message
    got = _check([_rec("p1", amount="6", part_of="nowhere")], ledger=Book.from_entries([old]))
    assert [p.code for p in got.problems[0]] == ["missing-link"]


def test_imports_refuse_rows_by_the_field_at_fault(tmp_path):
    src = tmp_path / "t.csv"
    src.write_text("id,date,funder,purpose,amount,currency,status\n"
                   "a,2016-01-01,UK,P,£1m,,\nb,2016-01-02,UK,P,lots,,\nc,2016-01-03,UK,P,5,GBP,maybe\n",
                   encoding="utf-8")
    res = import_table(src)
    assert [e.id for e in res.entries] == ["a"]
    assert {r.line: r.column for r in res.rejects} == {3: "amount", 4: "status"}
    docs = {"doc-1": Document("doc-1")}
    journal = tmp_path / "j.toml"     # the ledger the import wrote
    journal.write_text(res.text, encoding="utf-8")
    done = finish([ReadResult("f.json", [Record("flow 1", _rec("f1")),
                                         Record("flow 2", _rec("a", amount="7"))], [])],
                  name="f.json", entries=ledger.load(journal), documents=docs)
    assert [t["id"] for t in done.new] == ["f1"]
    # a record with the id of an entry there, other content: an update, its entry a row
    assert [(old.amount, new.amount) for old, _, new in done.updated] == [(1_000_000, 7)]


def test_a_rows_problems_come_in_the_journal_s_order(tmp_path):
    """The entry reader's order (status before a missing purpose, which a
    split would give), so the rejects file reads as it did."""
    src = tmp_path / "t.csv"
    src.write_text("date,funder,purpose,amount,status\n2016-01-05,UK,,£2m,maybe\n",
                   encoding="utf-8")
    frame = import_table(src).rejects_frame()
    assert frame["column"].tolist() == ["status; purpose"]
    assert frame["reason"][0].startswith("unknown status 'maybe'")


# ---------------------------------------------------------- as a journal words it
# Each record below is fed through an import and, written out, through a
# journal: both must say the same (code, field, message), written here by hand.

def _both(tmp_path, **fields) -> tuple[list, list]:
    table = _rec("r", **fields)
    got = _check([table])
    imported = [(p.code, p.field, p.message) for p in got.problems.get(0, [])]
    j = tmp_path / "j.toml"
    j.write_text('[[document]]\nid = "doc-1"\n\n' + render([table]), encoding="utf-8")
    book = read_journal_book(j)
    journal = [(p.code, p.field, p.message) for p in book.problems if p.severity == "error"]
    assert (0 in got.accepted) == (len(book.entries) == 1)
    return imported, journal


def test_a_record_with_a_bad_amount_has_its_other_fields_checked_too(tmp_path):
    """The import used to stop at the amount phrase; the journal words
    every field of the entry in one run."""
    imported, journal = _both(tmp_path, amount="lots", currency=None, qualifier="roughly",
                              status="maybe")
    assert imported == journal == [
        ("bad-amount", "amount",
         "amount: no amount found in 'lots' (write e.g. '£12 million' or 'twelve million pounds')"),
        ("unknown-qualifier", "qualifier", "unknown qualifier 'roughly'"),
        ("unknown-status", "status", "unknown status 'maybe'")]
    imported, journal = _both(tmp_path, amount="£2m a year", currency=None,
                              period="over 3 years", status="maybe")
    assert imported == journal == [
        ("period-contradicts", "period",
         "period 'over 3 years' contradicts the amount phrase ('per year')"),
        ("unknown-status", "status", "unknown status 'maybe'")]


def test_a_split_entry_s_problem_is_said_once(tmp_path):
    parts = [{"purpose": "P:A", "amount": "x"}, {"purpose": "P:B", "amount": "2"}]
    imported, journal = _both(tmp_path, purpose=None, amount="3", status="maybe", split=parts)
    assert imported == journal == [
        ("unknown-status", "status", "unknown status 'maybe'"),
        ("bad-split", "split",
         "split amount: no amount found in 'x' (write e.g. '£12 million' or 'twelve million pounds')")]


def test_no_amount_says_nothing_of_the_currency(tmp_path):
    """The import used to word an unknown currency (or a missing one) beside
    the missing amount."""
    for currency in ("XYZ", None):
        imported, journal = _both(tmp_path, amount=None, currency=currency, qualifier="roughly")
        assert imported == journal == [("missing-field", "amount", "missing field 'amount'"),
                                       ("unknown-qualifier", "qualifier",
                                        "unknown qualifier 'roughly'")]


def test_a_blank_period_is_refused_as_in_a_journal(tmp_path):
    """The import used to take a period of spaces as none."""
    for amount in ("1000000", "£2m a year"):
        imported, journal = _both(tmp_path, amount=amount, period="  ",
                                  currency="GBP" if amount.isdigit() else None)
        assert imported == journal == [("bad-period", "period", "period: empty period (write "
                                        "e.g. 'one-off', 'a year', 'over 3 years')")]


def test_a_restated_amount_written_alone_is_a_list_of_one(tmp_path):
    """The import used to read a lone conversion letter by letter."""
    imported, journal = _both(tmp_path, restated="€600,000")
    assert imported == journal == []
    imported, journal = _both(tmp_path, restated="lots")
    assert imported == journal == [
        ("bad-restated", "restated", "restated: no amount found in 'lots' "
         "(write e.g. '£12 million' or 'twelve million pounds')")]


def test_an_amount_of_more_digits_than_held_in_the_parser_s_words(tmp_path):
    """The import used to call it more than the largest amount; the journal
    says why it cannot even be read."""
    imported, journal = _both(tmp_path, amount="1" + "0" * 30)
    assert imported == journal == [
        ("bad-amount", "amount", "amount: 1000000000000000000000000000000 has too many digits "
         "to be held exactly (at most 28 significant digits)")]
    imported, journal = _both(tmp_path, amount="2000000000000000")
    assert [c for c, _, _ in imported] == [c for c, _, _ in journal] == ["amount-too-big"]


def test_a_qualifier_is_read_against_the_amount_phrase_as_in_a_journal(tmp_path):
    """check_raw reads the stated qualifier against the phrase's for both
    (the import's record reader no longer resolves it itself)."""
    imported, journal = _both(tmp_path, amount="about £2m", currency=None, qualifier="up to")
    assert imported == journal == [
        ("qualifier-contradicts", "qualifier",
         "qualifier 'up to' contradicts the amount phrase ('about')")]
    for amount, currency in (("1000000", "GBP"), ("about £2m", None)):
        imported, journal = _both(tmp_path, amount=amount, currency=currency, qualifier="roughly")
        assert imported == journal == [("unknown-qualifier", "qualifier",
                                        "unknown qualifier 'roughly'")]
    got = _check([_rec("a", amount="about £2m", currency=None), _rec("b", qualifier="at least")])
    assert [got.rows[k].qualifier for k in got.accepted] == ["about", "at least"]


def test_restated_amounts_are_read_by_check_raw_as_in_a_journal(tmp_path):
    imported, journal = _both(tmp_path, restated=["£600,000", "€5"])
    assert imported == journal == [
        ("bad-restated", "restated", "restated amount '£600,000' is in the entry's own currency")]
    got = _check([_rec("r", restated=["€600,000", "$1.5m"])])
    rows = bulk_table(got, ["origin"]).to_pylist()
    assert [v for v in rows[0].values() if v and v.startswith("EUR")] == ["EUR 600000; USD 1500000"]
    assert [(m.currency, m.amount) for m in got.rows[0].restated] == [
        ("EUR", 600_000), ("USD", 1_500_000)]


def test_a_parser_failure_is_worded_not_raised_as_in_a_journal(tmp_path, monkeypatch):
    """Both read an amount phrase by rr.read_amount_phrase (the import used
    to let a parser's own failure through as a traceback) and code a rule
    without one by its field."""
    real = rr.parse_amount

    def failing(text, *a, **kw):
        if text == "five quid":
            raise RuntimeError("boom")
        return real(text, *a, **kw)

    monkeypatch.setattr(rr, "parse_amount", failing)
    imported, journal = _both(tmp_path, amount="five quid", currency=None)
    assert imported == journal == [
        ("bad-amount", "amount", "amount 'five quid' could not be read (boom)")]


def test_a_date_and_time_is_its_day_as_in_a_journal(tmp_path):
    """The import used to refuse it ('2016-03-03T12:00:00' not a date)."""
    imported, journal = _both(tmp_path, date=dt.datetime(2016, 3, 3, 12, 0),
                              value_date=dt.datetime(2016, 4, 1, 9, 30))
    assert imported == journal == []
    got = _check([_rec("r", date=dt.datetime(2016, 3, 3, 12, 0))])
    assert got.rows[0].date == dt.date(2016, 3, 3)


def test_a_split_value_of_another_type_is_named_as_in_a_journal(tmp_path):
    """An import's split table read by the journal's reader: the type at
    fault named once (not "split needs a purpose"), at the record's line
    (a record has no lines of its keys)."""
    parts = [{"purpose": ["P:A"], "amount": "2"}, {"purpose": "P:B", "amount": 3.0}]
    imported, journal = _both(tmp_path, purpose=None, amount="5", split=parts)
    assert imported == journal == [
        ("bad-split", "split", "split purpose must be text, not list"),
        ("bad-split", "split", "split amount must not be a TOML float (binary rounding); "
                               'write it as text, e.g. "12.5"')]
    got = _check([_rec("r", purpose=None, amount="5", split=parts)])
    assert [p.line for p in got.problems[0]] == [2, 2]


def test_bulk_table_of_a_split_record_citing_one_document_twice():
    """The bulk rows of an accepted record, as the dataset import writes
    them: one per part, the document named once in ``sources``, each
    citation in ``citations``, the qualifier as the rules read it."""
    from ledger.read.table import BULK_COLUMNS, PROVENANCE_COLUMNS

    parts = [{"purpose": "P:A", "amount": "£2m"}, {"purpose": "P:B", "amount": "3000000"}]
    got = _check([_rec("s", purpose=None, amount="about £5m", currency=None, split=parts,
                       tags=["iati", "x"], notes=" n ", recipient="R", part_of="",
                       source=[{"doc": "doc-1", "quote": "£2m", "locator": "p. 1"},
                               {"doc": " doc-1 ", "quote": "£3m"}])])
    assert got.accepted == [0]
    table = bulk_table(got, ["o"])
    assert table.column_names == BULK_COLUMNS + PROVENANCE_COLUMNS
    assert {str(t) for t in table.schema.types} == {"string"}     # the bulk format: text
    rows = table.to_pylist()
    assert [(r["purpose"], r["amount"], r["currency"], r["qualifier"]) for r in rows] == [
        ("P:A", "2000000", "GBP", "about"), ("P:B", "3000000", "GBP", "about")]
    assert {(r["sources"], r["tags"], r["notes"], r["recipient"], r["origin"]) for r in rows} \
        == {("doc-1", "iati;x", "n", "R", "o")}
    assert rows[0]["citations"] == ('[{"doc": "doc-1", "quote": "£2m", "locator": "p. 1"}, '
                                    '{"doc": "doc-1", "quote": "£3m"}]')


def test_bulk_citations_are_the_json_of_what_each_record_cites():
    """The citations column is ``json.dumps(..., ensure_ascii=False)`` of
    each record's citations (the empty fields left out): quotes with
    double quotes, backslashes and non-ASCII text escaped as JSON does."""
    import json

    cited = [{"doc": "doc-1", "quote": '<value currency="EUR">5</value>',
              "locator": 'activity "A\\B", p. 2'},
             {"doc": "doc-1", "quote": "€3m – “three”"}]
    got = _check([_rec("q", amount="3000005", source=cited), _rec("plain")])
    assert got.accepted == [0, 1]
    rows = bulk_table(got, ["o", "p"]).to_pylist()
    assert [r["citations"] for r in rows] == [
        json.dumps(cited, ensure_ascii=False),
        json.dumps([{"doc": "doc-1", "quote": "£1 million"}], ensure_ascii=False)]
    assert [json.loads(r["citations"]) for r in rows][0] == cited


def test_the_accepted_records_warnings_are_those_check_gives_the_journal(tmp_path):
    twice = [{"purpose": "P:One", "amount": "2"}, {"purpose": "P:One", "amount": "3"}]
    tables = [_rec("fine"),
              _rec("uncited", source=[], amount="7"),
              _rec("twice", purpose="", amount="5", split=twice),
              _rec("refused", source=[], amount="lots", currency=None)]
    got = _check(tables)
    assert got.accepted == [0, 1, 2] and list(got.problems) == [3]
    j = tmp_path / "j.toml"
    j.write_text('[[document]]\nid = "doc-1"\n\n' + render(tables[:3]), encoding="utf-8")
    said = [(p.entry_id, p.code, p.message, p.hint)
            for p in ledger.load(j).problems if p.severity == "warning"]
    assert sorted(said) == sorted((p.entry_id, p.code, p.message, p.hint)
                                  for ps in got.warnings.values() for p in ps)
    assert {p.code for p in got.warnings[1]} == {"no-source"}
    assert {p.code for p in got.warnings[2]} == {"split-purpose-twice"}
    # at the record's line of the input, not the written journal's
    assert {(k, p.file, p.line) for k, ps in got.warnings.items() for p in ps} == \
        {(1, "in.csv", 3), (2, "in.csv", 4)}
