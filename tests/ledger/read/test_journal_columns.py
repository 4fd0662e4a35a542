"""ledger.read.journal_columns: a TOML journal read column-wise into the raw
form and checked by the one rule engine (``ledger.read.table.check_raw``).

Every problem of an entry's own is worded once, at the line of the key at
fault (a missing field at the entry's ``[[entry]]`` line), entry by entry
and field by field; the entry is left out and the rules across entries run
on the others.  The expectations here are written by hand from the TOML
text (no second reader is asked)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ledger.read.journal_columns import read_journal_book, read_journal_frame

DOCS = '''
[[document]]
id = "d1"
title = "Announcement"

[[document]]
id = "d2"
title = "Press release"
'''

PLEDGE = '''
[[entry]]
id = "uk-2014"
date = 2014-09-20
funder = "UK:Home Office"
purpose = "Security:Calais port"
amount = "up to £12 million"
period = "over 3 years"
status = "committed"
  [[entry.source]]
  doc = "d1"
  quote = "£12 million"
  [[entry.source]]
  doc = "d2"
  quote = "£12m"
'''

OTHERS = '''
[[entry]]
id = "fr-2015"
date = 2015-08-20
funder = "France:Interior"
purpose = "Humanitarian:Camps"
amount = "€10 million"
period = "per year from 2015-09-01 to 2017-08-31"
  [[entry.source]]
  doc = "d2"
  quote = "10 million Euros a year"

[[entry]]
id = "uk-2016-paid"
date = 2016-03-03
funder = "UK:Home Office"
purpose = "Security:Calais port"
amount = "4,000,000.50 GBP"
status = "disbursed"
disburses = "uk-2014"
  [[entry.source]]
  doc = "d1"
  quote = "£4m"
'''


def _journal(tmp_path: Path, *extra: str, base: str = PLEDGE + OTHERS) -> Path:
    d = tmp_path / "book"
    d.mkdir(parents=True, exist_ok=True)
    (d / "sources.toml").write_text(DOCS, encoding="utf-8")
    (d / "entries.toml").write_text(base + "".join(extra), encoding="utf-8")
    return d


# fr-2015 again, under another id and cited elsewhere
AGAIN = ('\n[[entry]]\nid = "fr-2015-again"\ndate = 2015-08-20\nfunder = "France:Interior"\n'
         'purpose = "Humanitarian:Camps"\namount = "€10 million"\n'
         'period = "per year from 2015-09-01 to 2017-08-31"\n'
         '  [[entry.source]]\n  doc = "d1"\n  quote = "€10m"\n')

def _read(path: Path):
    got, _ = read_journal_frame(path)
    assert got is not None, "read column-wise"
    return got


def _others(got) -> list:
    """The problems but the warning that a purpose beside split tables is not
    kept, which the cases adding split tables to uk-2016-paid (a purpose of
    its own) all get (that warning's own test: tests/ledger/read/test_raw.py)."""
    return [p for p in got.problems if p.code != "purpose-beside-split"]


def _said(got) -> list[tuple]:
    """(line, entry, severity, code, field, message) of each problem, in order."""
    return [(p.line, p.entry_id, p.severity, p.code, p.field, p.message) for p in _others(got)]


def _rows(frame) -> list[tuple]:
    return [(r.id, str(r.date.date()), r.funder, r.purpose, Decimal(str(r.amount)), r.currency,
             r.qualifier, r.status, r.period, bool(r.primary))
            for r in frame.itertuples()]


CLEAN_ROWS = [
    ("uk-2014", "2014-09-20", "UK:Home Office", "Security:Calais port", Decimal("12000000"),
     "GBP", "up to", "committed", "over 3 years", True),
    ("fr-2015", "2015-08-20", "France:Interior", "Humanitarian:Camps", Decimal("10000000"),
     "EUR", "exact", "pledged", "per year from 2015-09-01 to 2017-08-31", True),
    ("uk-2016-paid", "2016-03-03", "UK:Home Office", "Security:Calais port",
     Decimal("4000000.50"), "GBP", "exact", "disbursed", "one-off", False),
]


def test_a_small_clean_journal(tmp_path):
    got = _read(_journal(tmp_path))
    assert got.problems == () and got.entries == 3
    assert _rows(got.frame) == CLEAN_ROWS
    assert set(got.documents) == {"d1", "d2"} and got.options == {}
    assert list(got.frame["years"]) == [Decimal(3), None, None]


def test_the_generated_ledger_reads_as_its_bulk_copy(big):
    """The generator writes the same entries as a journal and as a bulk CSV:
    the two readers give the same frame (the CSV reader is the oracle)."""
    from ledger.read.table import read_bulk

    got = _read(big)
    bulk, problems = read_bulk(big / "entries.csv", got.documents)
    assert not got.problems and not problems
    assert got.entries == 3000 and len(got.frame) == len(bulk) > got.entries   # splits
    assert set(got.frame["period_kind"]) == {"one-off", "per-year", "over", "fiscal-year"}
    for c in ("id", "funder", "purpose", "currency", "status", "qualifier", "period",
              "period_kind", "primary", "fiscal_year"):
        assert got.frame[c].astype(object).tolist() == bulk[c].astype(object).tolist(), c
    for c in ("date", "start", "end"):
        assert got.frame[c].equals(bulk[c]), c
    for c in ("amount", "entry_amount"):
        assert [Decimal(str(a)) for a in got.frame[c]] == [Decimal(str(b)) for b in bulk[c]], c


@pytest.mark.parametrize("extra, row", [
    # text padded with spaces and no-break spaces is stripped
    ('\n[[entry]]\nid = "pad"\ndate = 2017-01-01\nfunder = "\\u00a0UK:Home Office "\n'
     'purpose = " Security:Calais port\\t"\namount = " £1.4 million "\nstatus = " pledged "\n'
     '  [[entry.source]]\n  doc = " d1 "\n  quote = "£1.4 million"\n',
     [("pad", "2017-01-01", "UK:Home Office", "Security:Calais port", Decimal("1400000"),
       "GBP", "exact", "pledged", "one-off", True)]),
    # splits, restated conversions, tags, a stated qualifier agreeing with the phrase
    ('\n[[entry]]\nid = "split"\ndate = 2017-02-01\nfunder = "UK:Home Office"\n'
     'amount = "£3 million"\nqualifier = "exact"\nrestated = ["€3.5 million", "$4m"]\n'
     'tags = ["calais", "security"]\nnotes = "two parts"\nrecipient = "Port of Calais"\n'
     '  [[entry.split]]\n  purpose = "Security:Fencing"\n  amount = "2,000,000"\n'
     '  [[entry.split]]\n  purpose = "Security:Detection"\n  amount = "1000000"\n'
     '  [[entry.source]]\n  doc = "d2"\n  quote = "£3 million"\n',
     [("split", "2017-02-01", "UK:Home Office", "Security:Fencing", Decimal("2000000"), "GBP",
       "exact", "pledged", "one-off", True),
      ("split", "2017-02-01", "UK:Home Office", "Security:Detection", Decimal("1000000"), "GBP",
       "exact", "pledged", "one-off", True)]),
    # a plain number with its currency beside it
    ('\n[[entry]]\nid = "plain"\ndate = 2018-01-18\nfunder = "UK:Home Office"\n'
     'purpose = "Security:Calais port"\namount = "44500000"\ncurrency = "GBP"\n'
     'period = "fiscal year 2018-19"\n  [[entry.source]]\n  doc = "d1"\n  quote = "£44.5m"\n',
     [("plain", "2018-01-18", "UK:Home Office", "Security:Calais port", Decimal("44500000"),
       "GBP", "exact", "pledged", "fiscal year 2018-19", True)]),
])
def test_unusual_but_valid_shapes(tmp_path, extra, row):
    got = _read(_journal(tmp_path, extra))
    assert got.problems == ()
    assert _rows(got.frame) == CLEAN_ROWS + row


def test_two_records_of_one_document_are_not_called_the_same_pledge(tmp_path):
    """Same figure, each record cited at a place of its own in one document
    (ledger.rules.records_apart): no warning."""
    text = (PLEDGE + OTHERS).replace('quote = "10 million Euros a year"',
                                     'quote = "10 million Euros a year"\n  locator = "row 1"')
    again = AGAIN.replace('doc = "d1"\n  quote = "€10m"',
                          'doc = "d2"\n  quote = "€10m"\n  locator = "row 2"')
    got = _read(_journal(tmp_path, again, base=text))
    assert got.problems == () and got.entries == 4


def test_whole_number_amounts_throughout(tmp_path):
    body = "".join(
        f'\n[[entry]]\nid = "n{i}"\ndate = 2019-0{i}-01\nfunder = "UK:Home Office"\n'
        f'purpose = "Security:Calais port"\namount = {i}000000\ncurrency = "EUR"\n'
        f'  [[entry.source]]\n  doc = "d1"\n  quote = "{i}m"\n' for i in range(1, 4))
    got = _read(_journal(tmp_path, base=body))
    assert got.problems == ()
    assert [(r[0], r[4], r[5]) for r in _rows(got.frame)] == [
        ("n1", Decimal(1000000), "EUR"), ("n2", Decimal(2000000), "EUR"),
        ("n3", Decimal(3000000), "EUR")]


# a valid entry written in a shape of its own: (edit, the entry's parts as read)
VALID_SHAPES = {
    "whole numbers amid text in splits": (
        ('quote = "£4m"\n', 'quote = "£4m"\n  [[entry.split]]\n'
         '  purpose = "Security:Fences"\n  amount = "2,000,000"\n'
         '  [[entry.split]]\n  purpose = "Security:Gates"\n'
         '  amount = 2000000\n  [[entry.split]]\n'
         '  purpose = "Security:Locks"\n  amount = "0.50"\n'),
        {"uk-2016-paid": [("Security:Fences", Decimal(2000000)),
                          ("Security:Gates", Decimal(2000000)),
                          ("Security:Locks", Decimal("0.50"))]}),
    "a whole number amid phrases": (
        ('amount = "€10 million"', 'amount = 10000000\ncurrency = "EUR"'), {}),
    "a source written as one table": (
        ('  [[entry.source]]\n  doc = "d2"\n  quote = "10 million Euros a year"\n',
         'source = { doc = "d2", quote = "10 million Euros a year" }\n'), {}),
    "a restated amount not in a list": (
        ('status = "committed"', 'status = "committed"\nrestated = "€15 million"'), {}),
    "a date written as text": (("date = 2015-08-20", 'date = "2015-08-20"'), {}),
    "a date with a time and offset": (("date = 2015-08-20", "date = 2015-08-20T23:30:00+05:00"),
                                      {}),
}


@pytest.mark.parametrize("case", sorted(VALID_SHAPES))
def test_valid_entries_in_shapes_of_their_own(tmp_path, case):
    (old, new), parts = VALID_SHAPES[case]
    text = PLEDGE + OTHERS
    assert old in text, case
    got = _read(_journal(tmp_path, base=text.replace(old, new, 1)))
    # split tables added to an entry stating a purpose: that purpose is not kept, and said
    said = tuple(p for p in got.problems if p.code == "purpose-beside-split"
                 and p.severity == "warning" and "[[entry.split]]" in new)
    assert got.problems == said and got.entries == 3
    want = []
    for row in CLEAN_ROWS:
        for purpose, amount in parts.get(row[0], [(row[3], row[4])]):
            want.append((*row[:3], purpose, amount, *row[5:]))
    assert _rows(got.frame) == want


def test_a_period_in_the_amount_phrase(tmp_path):
    text = (PLEDGE + OTHERS).replace(
        'amount = "€10 million"\nperiod = "per year from 2015-09-01 to 2017-08-31"',
        'amount = "€10 million a year"')
    got = _read(_journal(tmp_path, base=text))
    assert got.problems == ()
    assert [(r[0], r[8]) for r in _rows(got.frame)] == [
        ("uk-2014", "over 3 years"), ("fr-2015", "per year"), ("uk-2016-paid", "one-off")]


# An entry with problems of its own (an edit of PLEDGE + OTHERS, and the
# problems as (line, entry, code, field, start of the message)): worded,
# and the entry left out.  Lines: uk-2014's [[entry]] is line 2 (amount 7,
# period 8, status 9), fr-2015's 17 (amount 22), uk-2016-paid's 28 (status 34).
WRONG = {
    "an unknown field": (('status = "committed"', 'status = "committed"\nfundr = "x"'),
                         [(10, "uk-2014", "unknown-field", "fundr", "unknown field 'fundr'")]),
    "a qualifier the phrase contradicts": (
        ('status = "committed"', 'status = "committed"\nqualifier = "about"'),
        [(10, "uk-2014", "qualifier-contradicts", "qualifier",
          "qualifier 'about' contradicts the amount phrase ('up to')")]),
    "an unknown qualifier": (('status = "disbursed"', 'status = "disbursed"\nqualifier = "nearly"'),
                             [(35, "uk-2016-paid", "unknown-qualifier", "qualifier",
                               "unknown qualifier 'nearly'")]),
    "an empty period": (('period = "over 3 years"', 'period = ""'),
                        [(8, "uk-2014", "bad-period", "period", "period: empty period")]),
    "a negative amount": (('amount = "€10 million"', 'amount = "-€10 million"'),
                          [(22, "fr-2015", "amount-not-positive", "amount",
                            "amount must be positive, got '-€10 million'")]),
    "an unreadable amount": (('amount = "€10 million"', 'amount = "ten million"'),
                             [(22, "fr-2015", "bad-amount", "amount",
                               "amount: no currency in 'ten million'")]),
    # the keys of [[entry.split]] and [[entry.source]] tables: at the key's
    # line in its own table (the split's header is line 39), else its header
    "a split with an unknown field": (
        ('quote = "£4m"\n', 'quote = "£4m"\n  [[entry.split]]\n  purpose = "Security:Fences"\n'
                            '  amount = "4,000,000.50"\n  share = "all"\n'),
        [(42, "uk-2016-paid", "unknown-field", "split",
          "unknown field 'share' in [[entry.split]]")]),
    "a citation without doc": (('doc = "d1"\n  quote = "£4m"', 'quote = "£4m"'),
                               [(36, "uk-2016-paid", "bad-source", "source",
                                 "[[entry.source]] needs doc (a document id)")]),
    "a second split's amount in another currency": (
        ('quote = "£4m"\n', 'quote = "£4m"\n  [[entry.split]]\n  purpose = "Security:Fences"\n'
                            '  amount = "4,000,000"\n  [[entry.split]]\n'
                            '  purpose = "Security:Gates"\n  amount = "€0.50"\n'),
        [(44, "uk-2016-paid", "bad-split", "split",
          "split amount '€0.50' is in EUR, the entry in GBP")]),
    "a split without purpose": (
        ('quote = "£4m"\n', 'quote = "£4m"\n  [[entry.split]]\n'
                            '  amount = "4,000,000.50"\n'),
        [(39, "uk-2016-paid", "bad-split", "split", "split needs a purpose")]),
    "a split written inline, without purpose": (
        ('status = "disbursed"', 'status = "disbursed"\nsplit = [{ amount = "4000000.50" }]'),
        [(35, "uk-2016-paid", "bad-split", "split", "split needs a purpose")]),
    # a split table's purpose or amount of another TOML type: named once, at its key
    "a split whose purpose is a list": (
        ('quote = "£4m"\n', 'quote = "£4m"\n  [[entry.split]]\n'
                            '  purpose = ["Security:Fences"]\n  amount = "4,000,000.50"\n'),
        [(40, "uk-2016-paid", "bad-split", "split", "split purpose must be text, not list")]),
    "a split whose amount is a float": (
        ('quote = "£4m"\n', 'quote = "£4m"\n  [[entry.split]]\n'
                            '  purpose = "Security:Fences"\n  amount = 4000000.5\n'),
        [(41, "uk-2016-paid", "bad-split", "split",
          'split amount must not be a TOML float (binary rounding); write it as text, '
          'e.g. "12.5"')]),
    # a second citation: an unknown field, then no doc (its header, line 39)
    "a citation with an unknown field before one without doc": (
        ('quote = "£4m"\n', 'quote = "£4m"\n  page = 3\n  [[entry.source]]\n'
                            '  quote = "4 million"\n'),
        [(39, "uk-2016-paid", "unknown-field", "source",
          "unknown field 'page' in [[entry.source]]"),
         (40, "uk-2016-paid", "bad-source", "source",
          "[[entry.source]] needs doc (a document id)")]),
    "a restated amount in its own currency": (
        ('status = "committed"', 'status = "committed"\nrestated = ["£12m"]'),
        [(10, "uk-2014", "bad-restated", "restated",
          "restated amount '£12m' is in the entry's own currency")]),
    "an entry without id": (('id = "fr-2015"\n', ''),
                            [(17, "", "missing-field", "id", "missing field 'id'")]),
    "an unknown status": (('status = "disbursed"', 'status = "paid"'),
                          [(34, "uk-2016-paid", "unknown-status", "status",
                            "unknown status 'paid'")]),
    "a tag with a control character": (
        ('status = "committed"', 'status = "committed"\ntags = ["a\\u200bb"]'),
        [(10, "uk-2014", "bad-tag", "tags",
          "tag 'a\\u200bb' holds a control or invisible character")]),
    # what the user wrote: the padding of a date, a TOML whole number amid text
    "a padded text date that is not a date": (
        ('date = 2015-08-20', 'date = " 2015-13-01 "'),
        [(19, "fr-2015", "bad-date", "date",
          "date not a valid date: ' 2015-13-01 ' (use YYYY-MM-DD)")]),
    "a whole-number amount of nothing amid phrases": (
        ('amount = "€10 million"', 'amount = 0\ncurrency = "EUR"'),
        [(22, "fr-2015", "amount-not-positive", "amount", "amount must be positive, got 0")]),
    # uk-2016-paid disburses uk-2014, left out: not called a missing entry
    "a link to an entry left out": (('amount = "up to £12 million"', 'amount = "up to £0"'),
                                    [(7, "uk-2014", "amount-not-positive", "amount",
                                      "amount must be positive, got 'up to £0'")]),
}


@pytest.mark.parametrize("case", sorted(WRONG))
def test_an_entry_with_problems_of_its_own_is_worded_and_left_out(tmp_path, case):
    (old, new), want = WRONG[case]
    text = PLEDGE + OTHERS
    assert old in text, case
    got = _read(_journal(tmp_path, base=text.replace(old, new, 1)))
    said = [(line, eid, code, field, msg) for line, eid, _, code, field, msg in _said(got)]
    assert [s[:4] for s in said] == [w[:4] for w in want]
    for s, w in zip(said, want):
        assert s[4].startswith(w[4]), (s, w)
    assert all(p.severity == "error" and p.file.endswith("entries.toml") for p in _others(got))
    left = {w[1] for w in want} | {"fr-2015" for w in want if not w[1]}
    assert got.entries == 2
    assert [r[0] for r in _rows(got.frame)] == [r[0] for r in CLEAN_ROWS if r[0] not in left]


def test_an_entry_left_out_takes_no_part_in_the_rules_across_entries(tmp_path):
    """uk-2016-paid renamed uk-2014 with an unknown status (line 34): left
    out for its own error, so no citation rule speaks of it; but its id is
    taken all the same: the duplicate id is said (at its [[entry]], line
    28), every problem in one run; the others read on."""
    text = (PLEDGE + OTHERS).replace('id = "uk-2016-paid"', 'id = "uk-2014"').replace(
        'status = "disbursed"', 'status = "paid"')
    got = _read(_journal(tmp_path, base=text))
    assert [(p.line, p.entry_id, p.code) for p in got.problems] == [
        (34, "uk-2014", "unknown-status"), (28, "uk-2014", "duplicate-id")]
    assert got.entries == 2
    assert [r[0] for r in _rows(got.frame)] == ["uk-2014", "fr-2015"]
    assert got.extras["amount_text"].tolist() == ["up to £12 million", "€10 million"]


def test_a_toml_syntax_error_leaves_the_file_out(tmp_path):
    got = _read(_journal(tmp_path, base=(PLEDGE + OTHERS).replace('status = "disbursed"',
                                                                  'status = disbursed')))
    assert [(p.line, p.code) for p in got.problems] == [(34, "toml-syntax")]
    assert got.entries == 0 and len(got.frame) == 0


def test_one_id_on_two_entries_apart(tmp_path):
    got = _read(_journal(tmp_path, base=(PLEDGE + OTHERS).replace(
        '\n[[entry]]\nid = "uk-2016-paid"', '\n[[entry]]\nid = "uk-2014"')))
    assert [s[:5] for s in _said(got)] == [
        (28, "uk-2014", "error", "duplicate-id", ""), (28, "uk-2014", "error", "self-link", "")]
    assert got.problems[0].message == "duplicate id 'uk-2014'"


def test_one_id_on_two_entries_in_turn(tmp_path):
    got = _read(_journal(tmp_path, base=(PLEDGE + OTHERS).replace(
        '\n[[entry]]\nid = "uk-2016-paid"', '\n[[entry]]\nid = "fr-2015"')))
    assert _said(got) == [(28, "fr-2015", "error", "duplicate-id", "", "duplicate id 'fr-2015'")]
    assert got.entries == 3


def test_a_split_that_does_not_add_up(tmp_path):
    got = _read(_journal(tmp_path, base=(PLEDGE + OTHERS).replace(
        'quote = "£4m"\n', 'quote = "£4m"\n  [[entry.split]]\n  purpose = "Security:Fences"\n'
        '  amount = "2,000,000"\n  [[entry.split]]\n  purpose = "Security:Gates"\n'
        '  amount = "1"\n')))
    assert _said(got) == [(28, "uk-2016-paid", "error", "split-sum", "",
                           "split does not add up: parts sum to 2000001 GBP, the entry is "
                           "4000000.5 GBP")]


@pytest.mark.parametrize("phrase, said", [
    ("€10 million a year", []),   # the stated period restates the phrase's
    ("€10 million over 2 years",
     [(23, "fr-2015", "error", "period-contradicts", "period",
       "period 'per year from 2015-09-01 to 2017-08-31' contradicts the amount phrase "
       "('over 2 years')")]),
])
def test_a_period_both_stated_and_in_the_amount_phrase(tmp_path, phrase, said):
    got = _read(_journal(tmp_path, base=(PLEDGE + OTHERS).replace(
        'amount = "€10 million"', f'amount = "{phrase}"')))
    assert _said(got) == said
    assert got.entries == 3 - len(said)


def test_a_split_purpose_of_another_type_is_no_purpose_in_any_file(tmp_path):
    """A whole-number purpose in one file, text purposes in another: not
    joined as text (3 is no purpose): its TOML type is named, at its key."""
    book = _journal(tmp_path, '\n[[entry]]\nid = "s1"\ndate = 2017-02-01\n'
                    'funder = "UK:Home Office"\namount = "£3 million"\n'
                    '  [[entry.split]]\n  purpose = "Security:Fencing"\n  amount = "3000000"\n')
    (book / "more.toml").write_text(
        '[[entry]]\nid = "s2"\ndate = 2017-02-01\nfunder = "UK:Home Office"\n'
        'amount = "£3 million"\n  [[entry.split]]\n  purpose = 3\n  amount = "3000000"\n',
        encoding="utf-8")
    got = _read(book)
    assert [s[:5] for s in _said(got) if s[1] == "s2"] == [   # the purpose's key, line 7
        (7, "s2", "error", "bad-split", "split")]
    # its purposes are its parts': not also called missing from the entry
    assert [p.message for p in got.problems if p.entry_id == "s2"] == [
        "split purpose must be text, not int"]


# the TOML types and the field rules, several entries at once: worded entry
# by entry and, within an entry, in the order of its fields
MANY = """
[[entry]]
id = "a"
date = 2015-01-01
fundr = "x"
funder = 3
purpose = "A:B"
amount = 1.5
  [[entry.source]]
  doc = "d1"
  quote = "q"

[[entry]]
id = "b"
status = "paid"
tags = "x"
date = 5
funder = "UK:Home Office"
purpose = "A:B"
amount = "£5m over 300 years"

[[entry]]
id = "c c"
date = 1700-01-01
funder = "UK::Home"
purpose = "A:B"
amount = "£99999999999999999 billion"
source = "x"
period = 3

[[entry]]
id = "d"
date = 2015-01-01
funder = "UK:Home Office"
purpose = "A:B"
amount = "£1m"
currency = 5
split = 3
notes = [1]
value_date = "2015-13-01"

[[entry]]
id = "e"
date = 2015-01-01
funder = "UK:Home Office"
amount = "5"
currency = "XYZ"
restated = 3
  [[entry.source]]
  doc = "d1"
  lokator = "p"
  quote = 3
"""


def test_every_problem_of_many_entries_in_entry_and_field_order(tmp_path):
    got = _read(_journal(tmp_path, base=MANY))
    assert _said(got) == [
        (5, "a", "error", "unknown-field", "fundr", "unknown field 'fundr'"),
        (6, "a", "error", "bad-funder", "funder", "funder must be text, not int"),
        (8, "a", "error", "bad-amount", "amount", "amount must not be a TOML float (binary "
         "rounding); write it as text, e.g. \"12.5\""),
        (17, "b", "error", "bad-date", "date", "date not a date: 5 (use YYYY-MM-DD)"),
        (20, "b", "error", "period-out-of-range", "amount",
         "period lasts 300 years, more than 100 years"),
        (15, "b", "error", "unknown-status", "status", "unknown status 'paid'"),
        (16, "b", "error", "bad-tags", "tags", "tags must be a list of text"),
        (23, "c c", "error", "bad-id", "id", "id 'c c' is not a slug"),
        (24, "c c", "error", "date-out-of-range", "date",
         "date 1700-01-01 is outside the years 1900-2200"),
        (25, "c c", "error", "bad-account", "funder",
         "funder 'UK::Home' is not a valid account name"),
        (27, "c c", "error", "amount-too-big", "amount",
         "amount '£99999999999999999 billion' is more than ledger-tool's largest amount, "
         "10^15 (a thousand trillion) in any currency"),
        (29, "c c", "error", "bad-period", "period", "period must be text, e.g. \"over 3 years\""),
        (28, "c c", "error", "bad-source", "source", "source must be [[entry.source]] tables"),
        (40, "d", "error", "bad-date", "value_date",
         "value_date not a valid date: '2015-13-01' (use YYYY-MM-DD)"),
        (37, "d", "error", "bad-currency", "currency", "currency must be text"),
        (38, "d", "error", "bad-split", "split", "split must be [[entry.split]] tables"),
        (39, "d", "error", "bad-notes", "notes", "notes must be text, not list"),
        (47, "e", "error", "unknown-currency", "currency", "amount: unknown currency 'XYZ'"),
        (42, "e", "error", "missing-field", "purpose", "missing field 'purpose'"),
        (48, "e", "error", "bad-restated", "restated",
         "restated must be a list of amounts, e.g. [\"€15 million\"]"),
        (51, "e", "error", "unknown-field", "source",
         "unknown field 'lokator' in [[entry.source]]"),
        (52, "e", "error", "bad-source", "source", "quote and locator must be text"),
    ]
    assert got.entries == 0 and len(got.frame) == 0


# ------------------------------------------------------------ parse_amounts
_PHRASES = st.builds(
    lambda q, cur, num, scale, post, noise: f"{q}{cur}{num}{scale}{post}{noise}",
    st.sampled_from(["", "up to ", "about ", "at least ", "Up to ", "over ", "around "]),
    st.sampled_from(["", "£", "€", "$", "US$", "GBP ", "JPY ", "XAU ", "ABC ", "chf "]),
    st.one_of(st.integers(0, 10**20).map(str),
              st.integers(0, 10**12).map(lambda i: f"{i:,}"),
              st.decimals(0, 10**9, places=4, allow_nan=False, allow_infinity=False).map(str),
              st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,12})?", fullmatch=True)),
    st.sampled_from(["", " thousand", " million", " billion", "m", " bn", "  million"]),
    st.sampled_from(["", " GBP", " EUR", " XYZ", " Euros"]),
    st.sampled_from(["", "", "", " a year", " over 3 years", " (€15 million)", "x"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(_PHRASES, min_size=1, max_size=30))
def test_parse_amounts_reads_as_parse_amount(phrases):
    from ledger.model import ONCE
    from ledger.phrases.money import MoneyError, parse_amount, parse_amounts

    got = parse_amounts(phrases)
    for i, text in enumerate(phrases):
        try:
            want = parse_amount(text)
        except MoneyError:
            want = None
        if want is None or want.period != ONCE:
            assert got.slow[i], text
            continue
        assert not got.slow[i], text
        assert Decimal(got.amount[i].as_py()) == want.amount, text
        assert got.currency[i].as_py() == want.currency, text
        assert got.qualifier[i].as_py() == want.qualifier, text


def test_files_are_read_one_by_one_into_arrow_and_joined(tmp_path):
    """A field one file lacks is empty there; a field typed differently in
    two files (whole numbers here, text there) is read as text."""
    from ledger.read import load_frame

    book = _journal(tmp_path)
    ints = ('\n[[entry]]\nid = "n1"\ndate = 2019-01-01\nfunder = "UK:Home Office"\n'
            'purpose = "Security:Calais port"\namount = 5000000\ncurrency = "EUR"\n'
            '  [[entry.source]]\n  doc = "d1"\n  quote = "5m"\n')
    n1 = ("n1", "2019-01-01", "UK:Home Office", "Security:Calais port", Decimal(5000000), "EUR",
          "exact", "pledged", "one-off", True)
    (book / "more.toml").write_text(ints.replace("5000000", '"5000000"'), encoding="utf-8")
    got = _read(book)
    assert got.problems == () and got.entries == 4 and len(got.files) == 3
    assert _rows(got.frame) == CLEAN_ROWS + [n1]
    (book / "more.toml").write_text(ints, encoding="utf-8")
    got = _read(book)   # whole numbers there, text here: read as text
    assert got.problems == () and _rows(got.frame) == CLEAN_ROWS + [n1]
    loaded = load_frame(book, use_cache=False)
    assert not loaded.problems and loaded.entries == 4
    assert _rows(loaded.frame) == CLEAN_ROWS + [n1]


# problems between entries, or of a file's options and top-level keys, leave
# every entry in: (edit, [(line, entry, severity, code, start of the message)])
BETWEEN = {
    "a citation without quote": (('quote = "£12m"', 'quote = "  "'),
                                 [(2, "uk-2014", "warning", "no-quote",
                                   "citation of 'd2' has no quote")]),
    "a citation with no quote field": (('  quote = "£12m"\n', ""),
                                       [(2, "uk-2014", "warning", "no-quote",
                                         "citation of 'd2' has no quote")]),
    "an entry citing nothing": (('  [[entry.source]]\n  doc = "d2"\n'
                                 '  quote = "10 million Euros a year"\n', ""),
                                [(17, "fr-2015", "warning", "no-source",
                                  "no source: every figure should cite a document")]),
    "an unknown document": (('doc = "d1"\n  quote = "£4m"', 'doc = "d9"\n  quote = "£4m"'),
                            [(28, "uk-2016-paid", "error", "unknown-document",
                              "source names an unknown document 'd9'")]),
    "a link to a missing entry": (('disburses = "uk-2014"', 'disburses = "uk-2041"'),
                                  [(28, "uk-2016-paid", "error", "missing-link",
                                    "disburses names a missing entry 'uk-2041'")]),
    "a link to the entry itself": (('disburses = "uk-2014"', 'part_of = "uk-2016-paid"'),
                                   [(28, "uk-2016-paid", "error", "self-link",
                                     "part_of links the entry to itself")]),
    "a disbursement beyond its pledge": (
        ('amount = "4,000,000.50 GBP"', 'amount = "12,000,000.50 GBP"'),
        [(2, "uk-2014", "error", "package-exceeded", "disbursements (uk-2016-paid) add up to "
          "12000000.5 GBP, more than the 12000000 GBP of 'uk-2014'")]),
    "a disbursement in another currency": (
        ('amount = "4,000,000.50 GBP"', 'amount = "4,000,000.50 EUR"'),
        [(28, "uk-2016-paid", "warning", "package-currency",
          "disburses 'uk-2014' is in GBP, this entry in EUR")]),
    "the same pledge twice": (
        ('\n[[entry]]\nid = "uk-2016-paid"', AGAIN + '\n[[entry]]\nid = "uk-2016-paid"'),
        [(28, "fr-2015-again", "warning", "probable-duplicate",
          "probably the same pledge as 'fr-2015' (")]),
    "the same pledge twice, one written as one split part": (
        ('\n[[entry]]\nid = "uk-2016-paid"',
         AGAIN.replace('purpose = "Humanitarian:Camps"\n', '') +
         '  [[entry.split]]\n  purpose = "Humanitarian:Camps"\n  amount = "10000000"\n'
         '\n[[entry]]\nid = "uk-2014-b"\ndate = 2014-09-20\nfunder = "UK:Home Office"\n'
         'purpose = "Security:Calais port"\namount = "up to £12 million"\n'
         'period = "over 3 years"\nstatus = "committed"\n'
         '\n[[entry]]\nid = "uk-2016-paid"'),
        # fr-2015-again (one split part) is not called fr-2015's twin
        [(41, "uk-2014-b", "warning", "probable-duplicate",
          "probably the same pledge as 'uk-2014' ("),
         (41, "uk-2014-b", "warning", "no-source", "no source")]),
    "a funder that looks like another": (
        ('funder = "UK:Home Office"\npurpose = "Security:Calais port"\n'
         'amount = "4,000,000.50 GBP"',
         'funder = "UK:Home \u041effice"\npurpose = "Security:Calais port"\n'
         'amount = "4,000,000.50 GBP"'),
        [(28, "uk-2016-paid", "warning", "lookalike-account",
          "funder 'UK:Home \u041effice' looks like 'UK:Home Office'")]),
    "a split purpose that looks like a purpose": (
        ('\n[[entry]]\nid = "uk-2016-paid"',
         AGAIN.replace('purpose = "Humanitarian:Camps"\n', '') +
         '  [[entry.split]]\n  purpose = "Humanitarian:C\u0430mps"\n  amount = "4000000"\n'
         '  [[entry.split]]\n  purpose = "Humanitarian:Food"\n  amount = "6000000"\n'
         '\n[[entry]]\nid = "uk-2016-paid"'),
        [(28, "fr-2015-again", "warning", "lookalike-account",
          "purpose 'Humanitarian:C\u0430mps' looks like 'Humanitarian:Camps'")]),
    "options misspelt or refused": (
        ('\n[[entry]]\nid = "uk-2014"',
         '[ledger]\nnme = "x"\ncurrency = "XYZ"\n\n[[entry]]\nid = "uk-2014"'),
        [(2, "", "error", "unknown-option", "unknown option 'nme' in [ledger]"),
         (3, "", "error", "bad-option", "option currency: currency 'XYZ' is not")]),
    "an unknown top-level key": (
        ('\n[[entry]]\nid = "fr-2015"', '\n[[entrie]]\nid = "x"\n\n[[entry]]\nid = "fr-2015"'),
        [(17, "", "error", "unknown-key", "unknown top-level key 'entrie'")]),
}


@pytest.mark.parametrize("case", sorted(BETWEEN))
def test_problems_between_entries_keep_every_entry(tmp_path, case):
    (old, new), want = BETWEEN[case]
    text = PLEDGE + OTHERS
    assert old in text, case
    got = _read(_journal(tmp_path, base=text.replace(old, new, 1)))
    said = [(line, eid, sev, code, msg) for line, eid, sev, code, _, msg in _said(got)]
    assert [s[:4] for s in said] == [w[:4] for w in want]
    for s, w in zip(said, want):
        assert s[4].startswith(w[4]), (s, w)
    assert got.entries == text.replace(old, new, 1).count("[[entry]]")   # none left out


def test_long_reads_say_what_they_are_doing(big, tmp_path, monkeypatch):
    from ledger.read import load_frame

    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(tmp_path / "cache"))
    notes: list[str] = []
    load_frame(big, progress=notes.append)
    files = sorted(big.rglob("*.toml"))
    assert notes[0] == f"reading {files[0].name} (1/{len(files)})"
    assert "checking 3,000 entries" in notes and notes[-1] == "caching the parsed ledger"


# --------------------------------------------------------------- fuzzing
@pytest.fixture(scope="module")
def small_generated(tmp_path_factory) -> Path:
    from tests.conftest import generate_module

    d = tmp_path_factory.mktemp("small")
    generate_module().write(d, 150, seed=3)
    return d


VALUE_EDITS = [
    b'amount = 5000000\n', b'amount = "\xc2\xa35m a year"\n', b'amount = "GBP 0"\n',
    b'date = "2015-01-01"\n', b'date = 2015-02-29\n', b'date = 2015-01-01T10:00:00\n',
    b'period = ""\n', b'period = "over 0 years"\n', b'period = "fiscal year 2015-17"\n',
    b'status = "paid"\n', b'qualifier = "about"\n', b'qualifier = "up to"\n',
    b'funder = "UK::Home"\n', b'funder = " UK:Home "\n', b'purpose = "A:\xe2\x80\x83B"\n',
    b'currency = "XYZ"\n', b'currency = "GBP"\n', b'disburses = "nope"\n',
    b'tags = ["a", 1]\n', b'restated = ["\xe2\x82\xac1m"]\n', b'notes = 3\n',
    b'  doc = "doc-99999"\n', b'  quote = ""\n', b'  quote = " \xc2\xa0"\n',
    b'  [[entry.split]]\n  purpose = "A:B"\n  amount = "1"\n', b'id = "e0000001"\n',
]


def test_any_edit_is_worded_at_a_line_of_its_file(tmp_path, small_generated):
    """Random edits of a clean generated journal (line mutations from
    test_fuzz plus value edits): the reader never fails; every problem names
    a file of the journal and a line within it; the entries read plus those
    left out for errors of their own are the entries written."""
    import shutil

    from hypothesis import HealthCheck

    from tests.project.test_fuzz import mutation, watchdog

    book = tmp_path / "book"
    shutil.copytree(small_generated, book, ignore=shutil.ignore_patterns("*.csv", "*.parquet"))
    files = sorted((book / "journal").glob("*.toml"))
    originals = {f: f.read_bytes() for f in files}
    assert _read(book).problems == ()   # clean before any edit
    worded = []

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(data=st.data())
    def run(data):
        for f, b in originals.items():
            f.write_bytes(b)
        victim = data.draw(st.sampled_from(files), label="file")
        lines = originals[victim].splitlines(keepends=True)
        if data.draw(st.booleans(), label="value edit"):
            i = data.draw(st.integers(0, len(lines)), label="at")
            lines.insert(i, data.draw(st.sampled_from(VALUE_EDITS), label="edit"))
        else:
            lines = data.draw(mutation(lines), label="mutation")
        victim.write_bytes(b"".join(lines))
        with watchdog():
            got, _ = read_journal_frame(book)
        if got is None:   # a shape still left to the entry reader
            return
        sizes = {str(f): len(f.read_bytes().splitlines()) for f in files}
        for p in got.problems:
            assert p.file in sizes and 0 <= p.line <= max(sizes[p.file], 1), p
        written = sum(f.read_bytes().count(b"[[entry]]") for f in files)
        assert got.entries <= written
        if not any(p.severity == "error" for p in got.problems):
            assert got.entries == written
        worded.extend(got.problems)

    run()
    assert worded, "some edits are wrong"


def test_a_split_value_of_another_toml_type_is_named_once_at_its_key(tmp_path):
    """Not "split needs a purpose" or "needs an amount": the TOML type at
    fault, once, at the key's line; the other part's rules still run."""
    j = tmp_path / "s.toml"
    j.write_text('[[entry]]\nid = "a"\ndate = 2016-01-01\nfunder = "UK"\namount = "£5m"\n'
                 'status = "pledged"\n'
                 '[[entry.split]]\npurpose = ["P:A"]\namount = "£2m"\n'
                 '[[entry.split]]\npurpose = "P:B"\namount = 3.0\n'
                 '[[entry.split]]\npurpose = "P:C"\namount = true\n'
                 '[[entry.split]]\npurpose = "P:D"\namount = "-1"\n', encoding="utf-8")
    got = read_journal_book(j)
    assert [(p.line, p.code, p.field, p.message) for p in got.problems] == [
        (8, "bad-split", "split", "split purpose must be text, not list"),
        (12, "bad-split", "split", "split amount must not be a TOML float (binary rounding); "
                                   'write it as text, e.g. "12.5"'),
        (15, "bad-split", "split", 'split amount must be text like "£12 million", not bool'),
        (18, "bad-split", "split", "split amount for 'P:D' must be a positive number")]
    assert got.entries == ()
