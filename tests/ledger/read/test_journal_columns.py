"""ledger.read.journal_columns: the journal read column-wise gives the reference
reader's frame, or leaves the journal to the reference reader.

The reference is ``ledger.load_journal`` + ``rates.normalise.entries_frame``.
Every journal the column reader takes must give the same frame, documents,
options and entry count; a journal whose only problems are between
entries (citations, links) is worded by the column reader exactly as the
reference words it; every journal with another problem, or with a shape the
column reader does not take, must be left to the reference (so its messages are the reference's, word for word)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ledger.read.journal_columns import read_journal_frame

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


def _reference(path: Path):
    import ledger
    from rates.normalise import entries_frame

    entries, documents, problems, options = ledger.load_journal(path)
    return entries, documents, problems, options, entries_frame(entries)


def assert_same_frame(fast, ref) -> None:
    assert list(fast.columns) == list(ref.columns)
    assert len(fast) == len(ref)
    for c in fast.columns:
        if c in ("date", "start", "end"):
            assert fast[c].equals(ref[c]), c
        elif c in ("amount", "entry_amount", "years"):
            for a, b in zip(fast[c], ref[c]):
                assert (a is None and b is None) or Decimal(a) == Decimal(b), (c, a, b)
        else:
            assert fast[c].tolist() == ref[c].tolist(), c


def _taken(path: Path):
    got, _ = read_journal_frame(path)
    entries, documents, problems, options, ref = _reference(path)
    assert not problems, problems
    assert got is not None, "a clean journal should be read column-wise"
    assert_same_frame(got.frame, ref)
    assert got.documents == documents and got.options == options
    assert got.entries == len(entries)
    return got


def test_the_generated_ledger_is_read_column_wise_as_the_reference_reads_it(big):
    got = _taken(big)
    assert got.entries == 3000 and len(got.frame) > got.entries   # splits add rows
    assert set(got.frame["period_kind"]) == {"one-off", "per-year", "over", "fiscal-year"}


def test_a_small_clean_journal(tmp_path):
    _taken(_journal(tmp_path))


@pytest.mark.parametrize("extra", [
    # text padded with spaces and no-break spaces is stripped as the reader strips it
    '\n[[entry]]\nid = "pad"\ndate = 2017-01-01\nfunder = "\\u00a0UK:Home Office "\n'
    'purpose = " Security:Calais port\\t"\namount = " £1.4 million "\nstatus = " pledged "\n'
    '  [[entry.source]]\n  doc = " d1 "\n  quote = "£1.4 million"\n',
    # splits, restated conversions, tags, a stated qualifier agreeing with the phrase
    '\n[[entry]]\nid = "split"\ndate = 2017-02-01\nfunder = "UK:Home Office"\n'
    'amount = "£3 million"\nqualifier = "exact"\nrestated = ["€3.5 million", "$4m"]\n'
    'tags = ["calais", "security"]\nnotes = "two parts"\nrecipient = "Port of Calais"\n'
    '  [[entry.split]]\n  purpose = "Security:Fencing"\n  amount = "2,000,000"\n'
    '  [[entry.split]]\n  purpose = "Security:Detection"\n  amount = "1000000"\n'
    '  [[entry.source]]\n  doc = "d2"\n  quote = "£3 million"\n',
    # a plain number with its currency beside it
    '\n[[entry]]\nid = "plain"\ndate = 2018-01-18\nfunder = "UK:Home Office"\n'
    'purpose = "Security:Calais port"\namount = "44500000"\ncurrency = "GBP"\n'
    'period = "fiscal year 2018-19"\n  [[entry.source]]\n  doc = "d1"\n  quote = "£44.5m"\n',
])
def test_unusual_but_valid_shapes_are_read_column_wise(tmp_path, extra):
    _taken(_journal(tmp_path, extra))


def test_two_records_of_one_document_are_not_called_the_same_pledge(tmp_path):
    """Same figure, each record cited at a place of its own in one document
    (ledger.rules.records_apart): read column-wise, with no warning."""
    text = (PLEDGE + OTHERS).replace('quote = "10 million Euros a year"',
                                     'quote = "10 million Euros a year"\n  locator = "row 1"')
    again = AGAIN.replace('doc = "d1"\n  quote = "€10m"',
                          'doc = "d2"\n  quote = "€10m"\n  locator = "row 2"')
    _taken(_journal(tmp_path, again, base=text))


def test_whole_number_amounts_throughout_are_read_column_wise(tmp_path):
    body = "".join(
        f'\n[[entry]]\nid = "n{i}"\ndate = 2019-0{i}-01\nfunder = "UK:Home Office"\n'
        f'purpose = "Security:Calais port"\namount = {i}000000\ncurrency = "EUR"\n'
        f'  [[entry.source]]\n  doc = "d1"\n  quote = "{i}m"\n' for i in range(1, 4))
    _taken(_journal(tmp_path, base=body))


# an entry with problems of its own is worded by the entry rules and left out,
# the others read column-wise
UNUSUAL_OR_WRONG = {
    "whole numbers amid text in splits": ('quote = "£4m"\n',
                                          'quote = "£4m"\n  [[entry.split]]\n'
                                          '  purpose = "Security:Fences"\n  amount = "2,000,000"\n'
                                          '  [[entry.split]]\n  purpose = "Security:Gates"\n'
                                          '  amount = 2000000\n  [[entry.split]]\n'
                                          '  purpose = "Security:Locks"\n  amount = "0.50"\n'),
    "an unknown field": ('status = "committed"', 'status = "committed"\nfundr = "x"'),
    "a whole number amid phrases": ('amount = "€10 million"', 'amount = 10000000\ncurrency = "EUR"'),
    "a source written as one table": ('  [[entry.source]]\n  doc = "d2"\n'
                                      '  quote = "10 million Euros a year"\n',
                                      'source = { doc = "d2", quote = "10 million Euros a year" }\n'),
    "a restated amount not in a list": ('status = "committed"',
                                        'status = "committed"\nrestated = "€15 million"'),
    "a date written as text": ("date = 2015-08-20", 'date = "2015-08-20"'),
    "a date with a time and offset": ("date = 2015-08-20", "date = 2015-08-20T23:30:00+05:00"),
    "a qualifier the phrase contradicts": ('status = "committed"', 'status = "committed"\nqualifier = "about"'),
    "an empty period": ('period = "over 3 years"', 'period = ""'),
    "a period in the amount phrase": ('amount = "€10 million"\nperiod = "per year from 2015-09-01 to 2017-08-31"',
                                      'amount = "€10 million a year"'),
    "a period stated and in the amount phrase": ('amount = "€10 million"',
                                                 'amount = "€10 million a year"'),
    "a TOML syntax error": ('status = "disbursed"', 'status = disbursed'),
    "a negative amount": ('amount = "€10 million"', 'amount = "-€10 million"'),
    "an unreadable amount": ('amount = "€10 million"', 'amount = "ten million"'),
    "a split with an unknown field": ('quote = "£4m"\n',
                                      'quote = "£4m"\n  [[entry.split]]\n'
                                      '  purpose = "Security:Fences"\n'
                                      '  amount = "4,000,000.50"\n  share = "all"\n'),
    "a citation without doc": ('doc = "d1"\n  quote = "£4m"', 'quote = "£4m"'),
    "a restated amount in its own currency": ('status = "committed"',
                                              'status = "committed"\nrestated = ["£12m"]'),
    "an entry without id": ('id = "fr-2015"\n', ''),
    "an unknown status": ('status = "disbursed"', 'status = "paid"'),
    "a tag with a control character": ('status = "committed"',
                                       'status = "committed"\ntags = ["a\\u200bb"]'),
    "a link to an entry left out": ('amount = "up to £12 million"', 'amount = "up to £0"'),
    "an id given twice, in turn": ('\n[[entry]]\nid = "uk-2016-paid"', '\n[[entry]]\nid = "fr-2015"'),
    "an id given twice, apart": ('\n[[entry]]\nid = "uk-2016-paid"', '\n[[entry]]\nid = "uk-2014"'),
}


@pytest.mark.parametrize("case", sorted(UNUSUAL_OR_WRONG))
def test_entries_with_problems_of_their_own_are_worded_by_the_entry_rules(tmp_path, case):
    """The problems are the entry-by-entry reading's, word for word and in
    its order, at the key's line; the Book holds the same entries; a valid
    entry in a shape of its own is read as the entry rules read it."""
    old, new = UNUSUAL_OR_WRONG[case]
    text = PLEDGE + OTHERS
    assert old in text, case
    path = _journal(tmp_path, base=text.replace(old, new, 1))
    got, parsed = read_journal_frame(path)
    _, _, problems, _, ref = _reference(path)
    assert got is not None
    assert list(got.problems) == problems
    assert_same_frame(got.frame, ref)
    # and the cache's loader gives them too
    from ledger.read.cache import load_frame
    loaded = load_frame(path, use_cache=False)
    assert list(loaded.problems) == problems
    assert len(loaded.frame) == len(ref)


# fr-2015 again, under another id and cited elsewhere
AGAIN = ('\n[[entry]]\nid = "fr-2015-again"\ndate = 2015-08-20\nfunder = "France:Interior"\n'
         'purpose = "Humanitarian:Camps"\namount = "€10 million"\n'
         'period = "per year from 2015-09-01 to 2017-08-31"\n'
         '  [[entry.source]]\n  doc = "d1"\n  quote = "€10m"\n')

WORDED_COLUMN_WISE = {
    "a citation without quote": ('quote = "£12m"', 'quote = "  "'),
    "a citation with no quote field": ('  quote = "£12m"\n', ""),
    "an entry citing nothing": ('  [[entry.source]]\n  doc = "d2"\n'
                                '  quote = "10 million Euros a year"\n', ""),
    "an unknown document": ('doc = "d1"\n  quote = "£4m"', 'doc = "d9"\n  quote = "£4m"'),
    "a link to a missing entry": ('disburses = "uk-2014"', 'disburses = "uk-2041"'),
    "a link to the entry itself": ('disburses = "uk-2014"', 'part_of = "uk-2016-paid"'),
    "a disbursement beyond its pledge": ('amount = "4,000,000.50 GBP"',
                                         'amount = "12,000,000.50 GBP"'),
    "a disbursement in another currency": ('amount = "4,000,000.50 GBP"',
                                           'amount = "4,000,000.50 EUR"'),
    "the same pledge twice": ('\n[[entry]]\nid = "uk-2016-paid"', AGAIN + '\n[[entry]]\nid = "uk-2016-paid"'),
    "the same pledge twice, one written as one split part": (
        '\n[[entry]]\nid = "uk-2016-paid"',
        AGAIN.replace('purpose = "Humanitarian:Camps"\n', '') +
        '  [[entry.split]]\n  purpose = "Humanitarian:Camps"\n  amount = "10000000"\n'
        '\n[[entry]]\nid = "uk-2014-b"\ndate = 2014-09-20\nfunder = "UK:Home Office"\n'
        'purpose = "Security:Calais port"\namount = "up to £12 million"\n'
        'period = "over 3 years"\nstatus = "committed"\n'
        '\n[[entry]]\nid = "uk-2016-paid"'),
    "a funder that looks like another": (
        'funder = "UK:Home Office"\npurpose = "Security:Calais port"\namount = "4,000,000.50 GBP"',
        'funder = "UK:Home \u041effice"\npurpose = "Security:Calais port"\n'
        'amount = "4,000,000.50 GBP"'),
    "a split purpose that looks like a purpose": (
        '\n[[entry]]\nid = "uk-2016-paid"',
        AGAIN.replace('purpose = "Humanitarian:Camps"\n', '') +
        '  [[entry.split]]\n  purpose = "Humanitarian:C\u0430mps"\n  amount = "4000000"\n'
        '  [[entry.split]]\n  purpose = "Humanitarian:Food"\n  amount = "6000000"\n'
        '\n[[entry]]\nid = "uk-2016-paid"'),
    # the file's own problems (its options, top-level keys) leave its entries as they are
    "options misspelt or refused": ('\n[[entry]]\nid = "uk-2014"',
                                    '[ledger]\nnme = "x"\ncurrency = "XYZ"\n\n'
                                    '[[entry]]\nid = "uk-2014"'),
    "an unknown top-level key": ('\n[[entry]]\nid = "fr-2015"',
                                 '\n[[entrie]]\nid = "x"\n\n[[entry]]\nid = "fr-2015"'),
}


@pytest.mark.parametrize("case", sorted(WORDED_COLUMN_WISE))
def test_problems_that_keep_every_entry_are_worded_column_wise_as_the_reference_words_them(
        tmp_path, case):
    """A problem between entries, or of a file's options and top-level keys,
    leaves every entry in the Book: the column reader words it (the rules
    every reader runs, at the entry's or the file's line) instead of sending
    the journal back to the entry-by-entry reader."""
    old, new = WORDED_COLUMN_WISE[case]
    text = PLEDGE + OTHERS
    assert old in text, case
    path = _journal(tmp_path, base=text.replace(old, new, 1))
    got, _ = read_journal_frame(path)
    _, _, problems, _, ref = _reference(path)
    assert problems
    assert got is not None
    assert list(got.problems) == problems
    assert_same_frame(got.frame, ref)


def test_a_split_that_does_not_add_up_is_worded_column_wise(tmp_path):
    extra = ('\n[[entry]]\nid = "split"\ndate = 2017-02-01\nfunder = "UK:Home Office"\n'
             'amount = "£3 million"\n  [[entry.split]]\n  purpose = "Security:Fencing"\n'
             '  amount = "2,000,000"\n  [[entry.split]]\n  purpose = "Security:Detection"\n'
             '  amount = "999,999.99"\n  [[entry.source]]\n  doc = "d2"\n  quote = "£3 million"\n')
    path = _journal(tmp_path, extra)
    got = read_journal_frame(path)[0]
    assert got is not None
    assert list(got.problems) == _reference(path)[2]
    assert any("split does not add up" in p.message for p in got.problems)


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
    two files (whole numbers here, text there) is read as text, as the
    entry rules read it."""
    from ledger.read.cache import load_frame

    book = _journal(tmp_path)
    ints = ('\n[[entry]]\nid = "n1"\ndate = 2019-01-01\nfunder = "UK:Home Office"\n'
            'purpose = "Security:Calais port"\namount = 5000000\ncurrency = "EUR"\n'
            '  [[entry.source]]\n  doc = "d1"\n  quote = "5m"\n')
    (book / "more.toml").write_text(ints.replace("5000000", '"5000000"'), encoding="utf-8")
    got = _taken(book)
    assert got.entries == 4 and len(got.files) == 3
    (book / "more.toml").write_text(ints, encoding="utf-8")
    got = _taken(book)   # whole numbers there, text here: read as text
    assert got.entries == 4
    _, _, problems, _, ref = _reference(book)
    loaded = load_frame(book, use_cache=False)
    assert not problems and not loaded.problems and loaded.entries == 4
    assert_same_frame(loaded.frame, ref)


def test_long_reads_say_what_they_are_doing(big, tmp_path, monkeypatch):
    from ledger.read.cache import load_frame

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


def test_any_edit_either_reads_as_the_reference_or_is_left_to_it(tmp_path, small_generated):
    """Random edits of a clean generated journal (line mutations from
    test_fuzz plus value edits): the column reader either declines or gives
    exactly the reference reader's frame on a problem-free journal; the cache
    loader's problems are always the reference's."""
    import shutil

    from hypothesis import HealthCheck

    from ledger.read.cache import load_frame
    from tests.project.test_fuzz import mutation, watchdog

    book = tmp_path / "book"
    shutil.copytree(small_generated, book, ignore=shutil.ignore_patterns("*.csv", "*.parquet"))
    files = sorted((book / "journal").glob("*.toml"))
    originals = {f: f.read_bytes() for f in files}
    assert read_journal_frame(book)[0] is not None   # taken before any edit
    taken = []

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
            _, _, problems, _, ref = _reference(book)
            loaded = load_frame(book, use_cache=False)
        assert list(loaded.problems) == problems
        if got is not None:
            assert list(got.problems) == problems
            assert_same_frame(got.frame, ref)
            taken.append(victim)

    run()
    assert taken, "some edits (e.g. a padded value, a dropped comment) keep the journal clean"
