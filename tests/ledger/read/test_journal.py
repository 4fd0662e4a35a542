"""The journal reader and `ledger-tool check`: the example ledger and every bad-input case."""
from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal

import pytest

import ledger
from ledger.model import OVER, PER_YEAR, Citation, Money

GOOD = """\
[[document]]
id = "doc1"
title = "A document"

[[entry]]
id = "e1"
date = 2015-07-14
funder = "UK:Home Office"
purpose = "Security:Calais port"
amount = "£1.4 million"
restated = ["2m Euros"]
  [[entry.source]]
  doc = "doc1"
  quote = "a further £1.4 million (2m Euros)"
"""


def write(tmp_path, text, name="j.toml"):
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_example_ledger_checks_clean(example_ledger, run_cli):
    code, out, err = run_cli("check", example_ledger)
    assert code == 0, err
    assert "8 entries, 5 documents, 0 error(s), 0 warning(s)" in out


def test_example_ledger_entries(example_ledger):
    book = ledger.load(example_ledger)
    by_id = {e.id: e for e in book.entries}
    jd = by_id["uk-joint-declaration-2014"]
    assert (jd.amount, jd.currency, jd.period.kind, jd.period.years) == (
        Decimal("12000000"), "GBP", OVER, Decimal(3))
    assert set(jd.restated) == {Money(Decimal("15000000"), "EUR"), Money(Decimal("19000000"), "USD")}
    # one pledge reported by two documents: one entry with two citations
    assert [c.doc for c in jd.sources] == ["001_c33d2c2f8263bd4b", "002_e2d441578c61b003"]
    assert by_id["uk-coquelles-railhead-2015"].qualifier == "up to"
    fr = by_id["france-africa-development-2015"]
    assert (fr.qualifier, fr.period.kind, fr.amount, fr.currency) == (
        "at least", PER_YEAR, Decimal("3000000000"), "EUR")
    assert fr.period.is_open_ended
    assert sum(1 for e in book.entries for c in e.sources if "12 million" in c.quote) == 2


def test_example_quotes_are_short_and_verbatim(example_ledger, seeds_dir):
    """Quotes are short phrases found in their seed, never whole paragraphs."""
    book = ledger.load(example_ledger)
    for e in book.entries:
        for c in e.sources:
            text = (seeds_dir / book.documents[c.doc].path).read_text(encoding="utf-8")
            # the seeds use non-breaking spaces in places; compare words
            assert " ".join(c.quote.split()) in " ".join(text.split()), (e.id, c.quote)
            assert len(c.quote.split()) <= 12, (e.id, c.quote)


def test_example_records_document_metadata(example_ledger, seeds_dir):
    import hashlib
    book = ledger.load(example_ledger)
    assert {p.stem for p in seeds_dir.glob("*.txt")} == set(book.documents)
    for d in book.documents.values():
        assert d.title and d.publisher and isinstance(d.published, dt.date)
        assert hashlib.sha256((seeds_dir / d.path).read_bytes()).hexdigest() == d.sha256


def test_reads_a_single_file(tmp_path):
    book = ledger.read_book(write(tmp_path, GOOD))
    assert book.problems == () and list(book.documents) == ["doc1"]
    (e,) = book.entries
    assert e.sources == (Citation("doc1", "a further £1.4 million (2m Euros)"),)
    assert e.line == 5 and e.file.endswith("j.toml")


def test_folder_of_files_loads_together(tmp_path):
    write(tmp_path, GOOD.split("[[entry]]")[0], "sources.toml")
    write(tmp_path, "[[entry]]" + GOOD.split("[[entry]]")[1], "sub/pledges.toml")
    book = ledger.load(tmp_path)
    assert [e.id for e in book.entries] == ["e1"] and "doc1" in book.documents


def test_utf8_bom_and_crlf_are_read(tmp_path):
    p = tmp_path / "j.toml"
    p.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    book = ledger.read_book(p)
    assert book.problems == () and len(book.entries) == 1


BAD_CASES = {
    "broken syntax": ("[[entry]\nid = 'x'\n", "TOML syntax error", 1),
    "unknown field": (GOOD.replace('purpose =', 'purpsoe ='), "unknown field 'purpsoe'", 9),
    "unknown currency": (GOOD.replace('"£1.4 million"', '"1.4 million ZZZ"'), "ZZZ", 10),
    "unparseable amount": (GOOD.replace('"£1.4 million"', '"lots of money"'), "amount", 10),
    "zero amount": (GOOD.replace('"£1.4 million"', '"£0"'), "amount", 10),
    "negative amount": (GOOD.replace('"£1.4 million"', '"-£5m"'), "amount", 10),
    "impossible date": (GOOD.replace("2015-07-14", "2015-02-30"), "", 0),
    "impossible date as text": (GOOD.replace("2015-07-14", '"2015-02-30"'), "not a valid date", 7),
    "duplicate id": (GOOD + GOOD.split("\n\n", 1)[1], "duplicate id 'e1'", 15),
    "link to a missing id": (GOOD.replace('amount =', 'part_of = "nope"\namount ='), "missing entry 'nope'", 5),
    "unknown document": (GOOD.replace('doc = "doc1"', 'doc = "doc9"'), "unknown document 'doc9'", 5),
    "unbalanced split": (GOOD.replace('purpose = "Security:Calais port"\n', "") +
                         '  [[entry.split]]\n  purpose = "A"\n  amount = "1000000"\n'
                         '  [[entry.split]]\n  purpose = "B"\n  amount = "300000"\n',
                         "split does not add up", 5),
    "unknown status": (GOOD.replace('amount =', 'status = "promised"\namount ='), "unknown status", 10),
    "restated in own currency": (GOOD.replace('"2m Euros"', '"£2m"'), "own currency", 11),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_gives_one_clear_line(tmp_path, run_cli, case):
    text, expected, line = BAD_CASES[case]
    path = write(tmp_path, text)
    code, out, err = run_cli("check", path)
    assert code == 1
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ": error: " in ln]
    assert lines, err
    assert expected in err
    assert all(str(path) in ln for ln in lines)
    if line:
        assert any(ln.startswith(f"{path}:{line}:") for ln in lines), err
    if case not in ("broken syntax", "impossible date"):
        assert "entry 'e1'" in err


@pytest.mark.parametrize("content,expected", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x00\x01\x02binary\x00", "binary file"),
    (b"id = '\xff\xfe'\n", "not valid UTF-8"),
])
def test_unreadable_files(tmp_path, run_cli, content, expected):
    p = tmp_path / "j.toml"
    p.write_bytes(content)
    code, out, err = run_cli("check", p)
    assert code == 1 and expected in err and str(p) in err and "Traceback" not in err


def test_missing_path(tmp_path, run_cli):
    code, out, err = run_cli("check", tmp_path / "nope")
    assert code == 1 and "no such file or folder" in err and "nope" in err


def test_empty_folder(tmp_path, run_cli):
    code, out, err = run_cli("check", tmp_path)
    assert code == 1 and "no journal files" in err


def test_all_problems_reported_in_one_run(tmp_path, run_cli):
    text = GOOD.replace('purpose =', 'purpsoe =') + GOOD.split("\n\n", 1)[1].replace(
        "2015-07-14", '"2015-13-01"').replace('id = "e1"', 'id = "e2"').replace('"£1.4 million"', '"£-1"')
    write(tmp_path, text)
    code, out, err = run_cli("check", tmp_path / "j.toml")
    assert code == 1
    assert "unknown field 'purpsoe'" in err and "entry 'e2'" in err and "not a valid date" in err
    assert "3 error(s)" in err or "4 error(s)" in err


def test_load_raises_ledger_error_listing_problems(tmp_path):
    write(tmp_path, GOOD.replace('purpose =', 'purpsoe ='))
    with pytest.raises(ledger.LedgerError, match="purpsoe"):
        ledger.load(tmp_path / "j.toml")


def test_missing_source_is_a_warning_and_strict_fails(tmp_path, run_cli):
    write(tmp_path, GOOD.split("  [[entry.source]]")[0])
    code, out, err = run_cli("check", tmp_path / "j.toml")
    assert code == 0 and "warning: no source" in err
    code, _, _ = run_cli("check", "--strict", tmp_path / "j.toml")
    assert code == 1


def test_phased_parts_exceeding_package(tmp_path, run_cli):
    pkg = GOOD.replace("[[document]]", "[[document]]", 1)
    parts = "".join(
        GOOD.split("\n\n", 1)[1].replace('id = "e1"', f'id = "p{i}"').replace(
            'amount = "£1.4 million"', f'part_of = "e1"\namount = "£{v}"')
        for i, v in ((1, "1m"), (2, "500000")))
    write(tmp_path, pkg + parts)
    code, out, err = run_cli("check", tmp_path / "j.toml")
    assert code == 1 and "phased parts (p1, p2) add up to 1500000 GBP" in err


def test_usage_error_exits_2(run_cli):
    code, out, err = run_cli("check")
    assert code == 2 and "Traceback" not in err


def test_a_link_to_an_entry_left_out_for_its_errors_is_not_called_missing(tmp_path, run_cli):
    """The entry's own errors are reported; its dependants are not sent
    looking for an entry that is there, and a truly missing target still is."""
    bad = GOOD.split("\n\n", 1)[1].replace('"£1.4 million"', '"£5 zillion"')
    payer = GOOD.split("\n\n", 1)[1].replace('id = "e1"', 'id = "pay"').replace(
        'amount = "£1.4 million"', 'disburses = "e1"\namount = "£1m"')
    lost = payer.replace('id = "pay"', 'id = "lost"').replace('disburses = "e1"',
                                                             'disburses = "e9"')
    write(tmp_path, GOOD.split("\n\n", 1)[0] + "\n\n" + bad + payer + lost)
    assert [e.id for e in ledger.read_book(tmp_path / "j.toml").entries] == ["pay", "lost"]
    code, out, err = run_cli("check", tmp_path / "j.toml")
    assert code == 1
    assert "entry 'e1': error: amount:" in err
    assert "missing entry 'e1'" not in err
    assert "entry 'lost': error: disburses names a missing entry 'e9'" in err
    assert "2 entries" in err and "2 error(s)" in err


@pytest.mark.parametrize("amount, message", [
    ('"€1m"', "split amount '€1m' is in EUR, the entry in GBP"),
    ('"£1 zillion"', "split amount: cannot understand 'zillion'"),
    ("true", 'split amount must be text like "£12 million", not bool'),   # its TOML type
    ('"-5"', "split amount for 'Security:Fencing' must be a positive number"),
])
def test_split_amount_problems(tmp_path, run_cli, amount, message):
    entry = GOOD.split("\n\n", 1)[1].replace('purpose = "Security:Calais port"\n', "") + (
        f'  [[entry.split]]\n  purpose = "Security:Fencing"\n  amount = {amount}\n'
        '  [[entry.split]]\n  purpose = "Security:Gates"\n  amount = "400,000"\n')
    write(tmp_path, GOOD.split("\n\n", 1)[0] + "\n\n" + entry)
    code, _, err = run_cli("check", tmp_path / "j.toml")
    assert code == 1 and message in err, err
    assert err.count("error:") == 1, err   # that problem alone
    good = tmp_path / "ok"
    write(good, GOOD.split("\n\n", 1)[0] + "\n\n" + entry.replace(f"amount = {amount}",
                                                                   'amount = "£1m"'))
    assert run_cli("check", good / "j.toml")[0] == 0


# ---------------------------------------------- shapes the column reader takes
# Each journal below is read by ledger.read_book (column-wise, the only
# journal reader); the expected problems are written out by hand: message,
# line, code and field, as the entry-by-entry reading gave them.

_DOC = '[[document]]\nid = "d"\ntitle = "A document"\n\n'


def _entry(eid, amount='"£10"', more="", purpose='purpose = "Security:Port"\n'):
    return (f'[[entry]]\nid = "{eid}"\ndate = 2020-01-01\nfunder = "UK:Home Office"\n'
            f'{purpose}amount = {amount}\n{more}  [[entry.source]]\n  doc = "d"\n'
            f'  quote = "£10"\n\n')


def _said(book):
    return [(p.line, p.entry_id, p.code, p.field, p.severity, p.message, p.hint)
            for p in book.problems]


def test_one_id_on_two_entries_in_turn_is_two_entries_and_a_duplicate(tmp_path):
    """The raw form keeps two entries sharing an id apart (their rows are
    not the splits of one): both stay in the Book, the second is named."""
    path = write(tmp_path, _DOC + _entry("a") + _entry("a", '"£11"') + _entry(
        "b", more='  [[entry.split]]\n  purpose = "X"\n  amount = "4"\n'
                  '  [[entry.split]]\n  purpose = "Y"\n  amount = "6"\n', purpose="")
        + _entry("b", '"£12"'))
    book = ledger.read_book(path)
    assert [(e.id, e.amount, e.line) for e in book.entries] == [
        ("a", Decimal(10), 5), ("a", Decimal(11), 15), ("b", Decimal(10), 25),
        ("b", Decimal(12), 40)]
    assert [s.purpose for s in book.entries[2].splits] == ["X", "Y"]
    assert book.tables.allocations["amount"].tolist() == [10, 11, 4, 6, 12]
    assert _said(book) == [
        (15, "a", "duplicate-id", "", "error", "duplicate id 'a'", f"first used at {path}:5"),
        (40, "b", "duplicate-id", "", "error", "duplicate id 'b'", f"first used at {path}:25")]


@pytest.mark.parametrize("amount, parts, words", [
    ('"£10"', ("4", "5"), "parts sum to 9 GBP, the entry is 10 GBP"),
    ('"£10.5"', ("5", "5"), "parts sum to 10 GBP, the entry is 10.5 GBP"),
    ('"£1 million"', ("600,000", "400,000.25"),
     "parts sum to 1000000.25 GBP, the entry is 1000000 GBP"),
])
def test_a_split_that_does_not_add_up_is_an_error_at_the_entry(tmp_path, amount, parts, words):
    split = "".join(f'  [[entry.split]]\n  purpose = "P{i}"\n  amount = "{a}"\n'
                    for i, a in enumerate(parts))
    path = write(tmp_path, _DOC + _entry("s", amount, split, purpose="") + _entry("ok", '"£3"'))
    book = ledger.read_book(path)
    assert _said(book) == [(5, "s", "split-sum", "", "error", "split does not add up: " + words,
                            "")]
    s = book.entry("s")   # kept, as written: the entry's amount and its parts
    assert s.amount == Decimal(amount.strip('"£').replace(" million", "000000"))
    assert [p.amount for p in s.splits] == [Decimal(a.replace(",", "")) for a in parts]
    assert [e.id for e in book.entries] == ["s", "ok"]


def test_a_split_that_adds_up_as_written_in_one_table(tmp_path):
    path = write(tmp_path, _DOC + _entry(
        "s", '"£10"', 'split = [{purpose = "X", amount = "4"}, {purpose = "Y", amount = 6}]\n',
        purpose=""))
    book = ledger.read_book(path)
    assert _said(book) == []
    assert [(p.purpose, p.amount) for p in book.entry("s").splits] == [
        ("X", Decimal(4)), ("Y", Decimal(6))]


@pytest.mark.parametrize("stated, period", [
    ("per year", "per year"),
    ("a year", "per year"),
    ("each year from 2020 to 2022", "per year from 2020-01-01 to 2022-12-31"),
    ("per year for 3 years", "per year for 3 years"),
])
def test_a_period_stated_and_in_the_amount_phrase_stands_when_it_restates_it(
        tmp_path, stated, period):
    path = write(tmp_path, _DOC + _entry("y", '"£10m a year"', f'period = "{stated}"\n'))
    book = ledger.read_book(path)
    assert _said(book) == []
    (e,) = book.entries
    assert (e.amount, e.period.describe()) == (Decimal(10_000_000), period)


def test_a_period_stated_against_the_amount_phrase_is_an_error_at_its_key(tmp_path):
    path = write(tmp_path, _DOC + _entry("y", '"£10m a year"', 'period = "over 3 years"\n')
                 + _entry("z"))
    book = ledger.read_book(path)
    assert _said(book) == [(11, "y", "period-contradicts", "period", "error",
                            "period 'over 3 years' contradicts the amount phrase ('per year')",
                            "")]
    assert [e.id for e in book.entries] == ["z"]


def test_entries_written_as_an_inline_array_are_each_at_their_line(tmp_path):
    """``entry = [{…}, …]`` has no [[entry]] line: each entry is at the line
    of its ``{`` (braces inside text and comments do not count)."""
    path = write(tmp_path, 'entry = [\n'
                 '  {id = "a", date = 2020-01-01, funder = "F", purpose = "P{", amount = "£10",'
                 ' source = [{doc = "d", quote = """ten\n} pounds"""}]},  # {not one\n'
                 '\n'
                 '  {id = "b", date = 2020-01-02, funder = "F", purpose = "P", amount = "£12"},\n'
                 ']\n\n' + _DOC)
    book = ledger.read_book(path)
    assert [(e.id, e.line) for e in book.entries] == [("a", 2), ("b", 5)]
    assert _said(book) == [(5, "b", "no-source", "", "warning",
                            "no source: every figure should cite a document",
                            "add an [[entry.source]] with doc and quote")]


def test_fields_typed_apart_in_two_files_are_read_as_one(tmp_path):
    """Citations with other keys, splits with whole-number amounts in one
    file and text in another, lists empty in one file: one Book."""
    write(tmp_path, _DOC, "sources.toml")
    write(tmp_path, _entry("a", more='tags = []\nsplit = [{purpose = "X", amount = 10}]\n',
                           purpose="").replace('quote = "£10"', 'locator = "p. 1"\n  quote = "x"'),
          "a.toml")
    write(tmp_path, _entry("b", more='tags = ["t"]\n  [[entry.split]]\n  purpose = "Y"\n'
                                     '  amount = "10"\n', purpose=""), "b.toml")
    book = ledger.read_book(tmp_path)
    assert _said(book) == []
    a, b = book.entries
    assert [(c.doc, c.quote, c.locator) for c in a.sources] == [("d", "x", "p. 1")]
    assert [(c.doc, c.quote, c.locator) for c in b.sources] == [("d", "£10", "")]
    assert (a.splits[0].amount, b.splits[0].amount, a.tags, b.tags) == (
        Decimal(10), Decimal(10), (), ("t",))


def test_an_empty_folder_and_a_missing_path_are_one_problem_each(tmp_path):
    from ledger.read.journal_columns import read_journal_book

    assert _said(read_journal_book(tmp_path)) == [
        (0, "", "no-journal-files", "", "error", "no journal files (*.toml) in this folder", "")]
    assert _said(read_journal_book(tmp_path / "nope")) == [
        (0, "", "no-such-ledger", "", "error", "no such file or folder", "")]


def test_a_problem_of_an_inline_entry_is_at_its_table_line(tmp_path):
    path = write(tmp_path, '# notes\nentry = [\n  {id = "a", date = 2020-01-01, funder = "F", '
                 'purpose = "P", amount = "£1m"},\n  {id = "b", date = 2020-01-01, funder = "F", '
                 'purpose = "P", amount = "£2m", status = "paid"},\n]\n')
    book = ledger.read_book(path)
    assert [(p.line, p.entry_id, p.code, p.field, p.message) for p in book.errors] == [
        (4, "b", "unknown-status", "status", "unknown status 'paid'")]
    assert [e.id for e in book.entries] == ["a"]
