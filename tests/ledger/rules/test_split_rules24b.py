"""The rule engine on the raw form as the journal's reader gives it: one row
per entry, a split entry's parts in the splits table alone (issue 24).

Each expected message, line and figure is written out by hand from the
TOML text below (its line numbers counted in it), and the bulk form of
the same ledger is expected to say the same things."""
from __future__ import annotations

from decimal import Decimal

from ledger.read import journal_columns, read_book
from ledger.read import raw as raw_module
from ledger.read import table as table_module

JOURNAL = """\
[[document]]
id = "d"
title = "t"

[[entry]]
id = "a"
date = "2016-01-01"
funder = "UK:Home Office"
amount = "£5m"

[[entry.split]]
purpose = "Security:Border"
amount = "£2m"

[[entry.split]]
purpose = "Security:Border"
amount = "£3m"

[[entry.source]]
doc = "d"
quote = "£5m"

[[entry]]
id = "b"
date = "2016-02-30"
funder = "UK:Home Office"
amount = "£4m"

[[entry.split]]
amount = "£1m"

[[entry.split]]
purpose = "Health"
amount = "-3"

[[entry.source]]
doc = "d"
quote = "£4m"

[[entry]]
id = "c"
date = "2016-03-01"
funder = "UK:Home Office"
amount = "£6m"

[[entry.split]]
purpose = "Health:A"
amount = "£2m"

[[entry.split]]
purpose = "Health:B"
amount = "£2.5m"

[[entry.source]]
doc = "d"
quote = "£6m"

[[entry]]
id = "e"
date = "2016-04-01"
funder = "UK:Home Office"
purpose = "Health"
amount = "£1m"

[[entry.source]]
doc = "d"
quote = "£1m"
"""

# the same ledger in the bulk format (a part a row), but entry c, whose
# stated amount the bulk format cannot give
BULK = """\
id,date,funder,purpose,amount,currency,sources
a,2016-01-01,UK:Home Office,Security:Border,2000000,GBP,d
a,2016-01-01,UK:Home Office,Security:Border,3000000,GBP,d
b,2016-02-30,UK:Home Office,,1000000,GBP,d
b,2016-02-30,UK:Home Office,Health,-3,GBP,d
e,2016-04-01,UK:Home Office,Health,1000000,GBP,d
"""

TWICE = ("split purpose 'Security:Border' is named by an earlier part of the entry too: "
         "both amounts are counted under it")
BAD_DATE = "date not a valid date: '2016-02-30' (use YYYY-MM-DD)"
NO_PURPOSE = "split needs a purpose"
NOT_POSITIVE = "split amount for 'Health' must be a positive number"


def _journal(tmp_path):
    path = tmp_path / "l.toml"
    path.write_text(JOURNAL, encoding="utf-8")
    return path


def test_each_part_is_worded_at_its_own_table(tmp_path):
    book = read_book(_journal(tmp_path))
    got = [(p.line, p.entry_id, p.severity, p.message) for p in book.problems]
    assert got == [
        (16, "a", "warning", TWICE),              # the second part's purpose key
        (25, "b", "error", BAD_DATE),             # the entry's date key, once
        (29, "b", "error", NO_PURPOSE),           # the first part's table
        (34, "b", "error", NOT_POSITIVE),         # the second part's amount key
        (40, "c", "error", "split does not add up: parts sum to 4500000 GBP, "
                           "the entry is 6000000 GBP"),
    ]


def test_the_book_counts_each_part_of_the_entries_kept(tmp_path):
    book = read_book(_journal(tmp_path))
    frame = book.frame()
    rows = [(i, p, Decimal(str(a))) for i, p, a in
            zip(frame["id"], frame["purpose"], frame["amount"])]
    # b is refused for its own problems; a and c kept (c's sum is a rule
    # between its parts and its amount, which the journal words and keeps)
    assert rows == [("a", "Security:Border", Decimal(2_000_000)),
                    ("a", "Security:Border", Decimal(3_000_000)),
                    ("c", "Health:A", Decimal(2_000_000)),
                    ("c", "Health:B", Decimal(2_500_000)),
                    ("e", "Health", Decimal(1_000_000))]
    assert [Decimal(str(a)) for a in frame["entry_amount"]] == \
        [Decimal(5_000_000)] * 2 + [Decimal(6_000_000)] * 2 + [Decimal(1_000_000)]
    # each row at its entry's [[entry]] line
    assert [w.split(": entry")[0].rsplit(":", 1)[1] for w in frame["where"]] == \
        ["5", "5", "40", "40", "58"]


def test_the_journal_and_bulk_forms_say_the_same(tmp_path):
    journal = tmp_path / "j" / "l.toml"
    journal.parent.mkdir()
    journal.write_text(JOURNAL.replace('amount = "£6m"', 'amount = "£4.5m"'), encoding="utf-8")
    bulk = tmp_path / "l.csv"
    bulk.write_text(BULK, encoding="utf-8")
    said = {}
    for name, path in (("journal", journal), ("bulk", bulk)):
        said[name] = {(p.entry_id, p.severity, p.message) for p in read_book(path).problems
                      if p.entry_id}
    expected = {("a", "warning", TWICE), ("b", "error", BAD_DATE),
                ("b", "error", NO_PURPOSE), ("b", "error", NOT_POSITIVE)}
    assert said["journal"] == expected
    assert said["bulk"] == expected


def test_the_journal_is_checked_without_laying_it_out_per_part(tmp_path, monkeypatch):
    """The rules read the entries' one row and the splits table as they
    are: nothing lays the journal's form out per entry and purpose first."""
    def refused(*_a, **_k):
        raise AssertionError("laid out per entry and purpose")

    monkeypatch.setattr(raw_module, "by_part", refused, raising=False)   # should it come back
    for module in (table_module, journal_columns):
        if hasattr(module, "by_part"):
            monkeypatch.setattr(module, "by_part", refused)
    book = read_book(_journal(tmp_path))
    assert [p.line for p in book.problems] == [16, 25, 29, 34, 40]
    assert list(book.frame()["id"]) == ["a", "a", "c", "c", "e"]
