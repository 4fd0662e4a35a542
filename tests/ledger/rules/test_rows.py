"""Each rule once, on every input format: ledger/rules/rows.py (one entry's
fields) and ledger/rules/__init__.py (across entries).

One test per rule, run on a TOML journal (read entry by entry, and through
the column reader, which leaves a journal with problems to the entry reader),
a bulk CSV and a bulk Parquet file, each through ``ledger.read_book``: the
whole line a user sees is pinned (file:line or row, entry id, what is wrong,
the hint) with the rule's code.  A journal names the line of the field at
fault (the entry's first line when the field is missing, or for rules across
entries); a bulk table names the row's line (the header is line 1)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ledger.model import ACCOUNT_HOLDS_CONTROL, ACCOUNT_INVALID
from ledger.rules import rows as rr

FORMATS = ["journal", "journal-columns", "csv", "parquet"]
COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "status", "qualifier",
           "period", "disburses", "sources"]
GOOD = {"id": "a", "date": "2015-01-01", "funder": "UK:Home Office",
        "purpose": "Security:Calais port", "amount": "5000000", "currency": "GBP",
        "status": "pledged", "qualifier": "", "period": "over 3 years", "disburses": "",
        "sources": "d1"}
SLUG = "letters, digits, '.', '_' and '-', starting with a letter or digit"


def _period_error(text: str) -> str:
    from ledger.phrases.period import PeriodError, parse_period
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    return f"period: {err.value}"


# name: (rows as changes to GOOD, the row at fault, the field a journal
# points at (None: the entry's first line), code, message, hint, severity);
# a message or hint may differ by format ({format: text}, "bulk" for both tables)
CASES = {
    "bad-id": ([{"id": "bad id!"}], 0, "id", "bad-id", "id 'bad id!' is not a slug", SLUG,
               "error"),
    "missing-id": ([{"id": ""}], 0, None, "missing-field", "missing field 'id'",
                   'a unique slug, e.g. "uk-calais-2014"', "error"),
    "bad-date": ([{"date": "2015-02-30"}], 0, "date", "bad-date",
                 "date not a valid date: '2015-02-30' (use YYYY-MM-DD)", "", "error"),
    "date-in-another-iso-shape": ([{"date": "2015-W01-1"}], 0, "date", "bad-date",
                                  "date not a valid date: '2015-W01-1' (use YYYY-MM-DD)", "",
                                  "error"),
    "date-out-of-range": ([{"date": "9999-01-04"}], 0, "date", "date-out-of-range",
                          "date 9999-01-04 is outside the years 1900-2200", "", "error"),
    "missing-funder": ([{"funder": ""}], 0, None, "missing-field", "missing field 'funder'",
                       'the funder account, e.g. "UK:Home Office"', "error"),
    "bad-account": ([{"funder": "UK::Home"}], 0, "funder", "bad-account",
                    "funder 'UK::Home' " + ACCOUNT_INVALID[0], ACCOUNT_INVALID[1], "error"),
    "account-with-an-em-space": ([{"purpose": "A:\u2003B"}], 0, "purpose", "bad-account",
                                 f"purpose {'A:' + chr(0x2003) + 'B'!r} " + ACCOUNT_INVALID[0],
                                 ACCOUNT_INVALID[1], "error"),
    "account-control-character": ([{"funder": "UK:\x1bHome"}], 0, "funder", "bad-account",
                                  r"funder 'UK:\x1bHome' " + ACCOUNT_HOLDS_CONTROL[0],
                                  ACCOUNT_HOLDS_CONTROL[1], "error"),
    # every format character (Unicode's Cf): invisible, so "UK:Home\u200bOffice"
    # was a second funder; U+061C is a bidi control the rules said were refused
    **{f"account-format-character-{ord(c):04x}": (
        [{"funder": f"UK:Home{c}Office"}], 0, "funder", "bad-account",
        f"funder {'UK:Home' + c + 'Office'!r} " + ACCOUNT_HOLDS_CONTROL[0],
        ACCOUNT_HOLDS_CONTROL[1], "error") for c in "\u200b\ufeff\u061c\u00ad\u2060\u2066"},
    "lookalike-account": ([{}, {"id": "b", "funder": "UK:Н\u043eme Office"}], 1, None,
                          "lookalike-account",
                          "funder 'UK:Ноme Office' looks like 'UK:Home Office' (entry 'a') but "
                          "is another name ('Н' is U+041D CYRILLIC CAPITAL LETTER EN, 'о' is "
                          "U+043E CYRILLIC SMALL LETTER O): the two are totalled apart",
                          "use one spelling (a letter of another script, e.g. Cyrillic 'о' for "
                          "'o', looks the same)", "warning"),
    "missing-amount": ([{"amount": ""}], 0, None, "missing-field", "missing field 'amount'",
                       {"journal": 'the amount as written, e.g. "£12 million"',
                        "bulk": "the amount as a plain number, e.g. 12000000"}, "error"),
    "amount-too-big": ([{"amount": "5000000000000000000"}], 0, "amount", "amount-too-big",
                       {"journal": "amount '5000000000000000000 GBP' is more than ledger-tool's "
                                   "largest amount, 10^15 (a thousand trillion) in any currency",
                        "bulk": "amount '5000000000000000000' is more than ledger-tool's "
                                "largest amount, 10^15 (a thousand trillion) in any currency"},
                       "", "error"),
    "amount-not-positive": ([{"amount": "0"}], 0, "amount", "amount-not-positive",
                            "amount must be positive, got '0'", "", "error"),
    "unknown-currency": ([{"currency": "XYZ"}], 0, "currency", "unknown-currency",
                         "amount: unknown currency 'XYZ'",
                         "use an ISO 4217 code such as GBP, EUR or USD", "error"),
    "unknown-status": ([{"status": "pledgd"}], 0, "status", "unknown-status",
                       "unknown status 'pledgd'", "did you mean 'pledged'?", "error"),
    "unknown-status-far-off": ([{"status": "paid"}], 0, "status", "unknown-status",
                               "unknown status 'paid'",
                               "one of pledged, committed, disbursed, spent", "error"),
    "unknown-qualifier": ([{"qualifier": "maybe"}], 0, "qualifier", "unknown-qualifier",
                          "unknown qualifier 'maybe'", "one of exact, up to, at least, about",
                          "error"),
    "bad-period": ([{"period": "over three fortnights"}], 0, "period", "bad-period",
                   _period_error("over three fortnights"), "", "error"),
    "period-out-of-range": ([{"period": "per year for 1000000 years"}], 0, "period",
                            "period-out-of-range",
                            "period lasts 1000000 years, more than 100 years", "", "error"),
    # a day over 100 years: the bulk reader let it through (its own span formula)
    "period-a-day-too-long": ([{"date": "2000-01-01", "period": "from 2000-01-01 to 2100-01-01"}],
                              0, "period", "period-out-of-range",
                              "period lasts 100 years, more than 100 years", "", "error"),
    # N years from the entry's date run past 2200: a later command's horizon
    # was refused with no entry named
    "period-runs-past-the-last-year": ([{"date": "2195-01-01", "period": "per year for 10 years"}],
                                       0, "period", "period-out-of-range",
                                       "period runs to 2204-12-31, past the year 2200", "",
                                       "error"),
    "period-runs-past-by-a-fraction": ([{"date": "2190-07-01", "period": "over 10.6 years"}],
                                       0, "period", "period-out-of-range",
                                       "period runs to 2201-02-04, past the year 2200", "",
                                       "error"),
    # rules across entries (ledger.rules)
    "duplicate-id": ([{}, {"id": "b"}, {}], 2, None, "duplicate-id", "duplicate id 'a'",
                     {"journal": "first used at {file}:{line0}",
                      "bulk": "rows of one entry (its splits) must be next to each other"},
                     "error"),
    "missing-link": ([{}, {"id": "b", "disburses": "nowhere", "status": "disbursed"}], 1, None,
                     "missing-link", "disburses names a missing entry 'nowhere'", "", "error"),
    "self-link": ([{"disburses": "a"}], 0, None, "self-link",
                  "disburses links the entry to itself", "", "error"),
    "package-exceeded": ([{"amount": "100"},
                          {"id": "pay1", "amount": "60", "disburses": "a"},
                          {"id": "pay2", "amount": "50", "disburses": "a"}], 0, None,
                         "package-exceeded",
                         "disbursements (pay1, pay2) add up to 110 GBP, more than the 100 GBP "
                         "of 'a'", "", "error"),
    "package-currency": ([{"amount": "100"},
                          {"id": "pay1", "amount": "60", "currency": "EUR", "disburses": "a"}],
                         1, None, "package-currency", "disburses 'a' is in GBP, this entry in EUR",
                         "record the part in its package's currency and restate the other",
                         "warning"),
    "probable-duplicate": ([{}, {"id": "b", "sources": ""}], 1, None, "probable-duplicate",
                           "probably the same pledge as 'a' ({file}:{line0}): same funder, "
                           "purpose, recipient, date, amount and currency; both are counted in every total",
                           {"journal": "one figure is one entry: remove this one and cite its "
                                       "document in 'a' (ledger-tool cite), or link it "
                                       "(restates) if it re-announces it",
                            "bulk": "one figure is one row: remove this one and add its "
                                    "document to 'a''s sources, or link it (restates) if it "
                                    "re-announces it"}, "warning"),
    "no-source": ([{"sources": ""}], 0, None, "no-source",
                  "no source: every figure should cite a document",
                  {"journal": "add an [[entry.source]] with doc and quote",
                   "bulk": "add document ids in a 'sources' column"}, "warning"),
}


def _toml_value(field: str, value: str) -> str:
    if field == "date" and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        import datetime as dt
        try:
            dt.date.fromisoformat(value)
            return value   # a TOML date
        except ValueError:
            pass
    return json.dumps(value, ensure_ascii=True)   # a TOML basic string


def _journal(path: Path, rows: list[dict]) -> list[dict[str, int]]:
    """The rows as [[entry]] tables after one [[document]]; each entry's
    line per field (0: its [[entry]] header)."""
    lines = ['[[document]]', 'id = "d1"', 'title = "t"', '']
    where = []
    for row in rows:
        at = {"": len(lines) + 1}
        lines.append("[[entry]]")
        for k in COLUMNS:
            v = row[k]
            if not v or k == "sources":
                continue
            at[k] = len(lines) + 1
            lines.append(f"{k} = {_toml_value(k, v)}")
        for doc in filter(None, row["sources"].split(";")):
            lines += ["  [[entry.source]]", f'  doc = "{doc}"', f'  quote = "{row["amount"]}"']
        lines.append("")
        where.append(at)
    path.write_text("\n".join(lines), encoding="utf-8")
    return where


def _read(tmp_path: Path, fmt: str, rows: list[dict], monkeypatch):
    import pyarrow as pa

    import ledger
    import ledger.read.journal_columns as jf

    monkeypatch.setenv("LEDGER_TOOL_CACHE", "off")
    if fmt.startswith("journal"):
        path = tmp_path / "j.toml"
        at = _journal(path, rows)
        if fmt == "journal-columns":   # as a big journal: the column reader first
            monkeypatch.setattr(jf, "MIN_BYTES", 0)
    else:
        path = tmp_path / f"entries.{fmt}"
        cols = {k: [r[k] for r in rows] for k in COLUMNS}
        if fmt == "csv":
            import pyarrow.csv as pcsv
            pcsv.write_csv(pa.table(cols), path)
        else:
            import pyarrow.parquet as pq
            pq.write_table(pa.table(cols), path)
        at = [{"": i + 2, **{k: i + 2 for k in COLUMNS}} for i in range(len(rows))]
    return path, at, ledger.read_book(path).problems


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_words_its_problem_alike_in_every_format(tmp_path, monkeypatch, case, fmt):
    changes, bad, field, code, message, hint, severity = CASES[case]
    rows = [{**GOOD, **c} for c in changes]
    path, at, problems = _read(tmp_path, fmt, rows, monkeypatch)
    kind = "journal" if fmt.startswith("journal") else "bulk"
    message = message[kind] if isinstance(message, dict) else message
    hint = hint[kind] if isinstance(hint, dict) else hint
    hint = hint.format(file=path, line0=at[0][""])
    message = message.format(file=path, line0=at[0][""]) if "{file}" in message else message
    line = at[bad][field or ""]
    entry = f": entry {rows[bad]['id']!r}" if rows[bad]["id"] else ""
    want = f"{path}:{line}{entry}: {severity}: {message}" + (f" (hint: {hint})" if hint else "")
    mine = [p for p in problems if p.code == code]
    assert [str(p) for p in mine] == [want], [str(p) for p in problems]
    assert not [p for p in problems if p.severity == "error" and p.code != code]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_clean_ledger_has_no_problem_in_any_format(tmp_path, monkeypatch, fmt):
    rows = [GOOD, {**GOOD, "id": "b", "disburses": "a", "amount": "100"},
            {**GOOD, "id": "c", "date": "2000-01-01", "period": "from 2000-01-01 to 2099-12-31"},
            # to the last day of the last year, and a fraction that stays within it
            {**GOOD, "id": "d", "date": "2191-01-01", "period": "per year for 10 years"},
            {**GOOD, "id": "e", "date": "2190-07-01", "period": "over 10.5 years"}]
    _, _, problems = _read(tmp_path, fmt, rows, monkeypatch)
    assert list(problems) == []


BROKEN_JOURNAL = '''[ledger]
currency = "GBP"
colour = "blue"

[[document]]
id = "d1"
published = "yesterday"

[[entry]]
id = "a"
date = 2015-01-01
funder = "UK"
purpose = "P"
amount = 12.5
tags = ["x", 1]
restated = ["£1m"]
fundr = "x"

[[entry]]
id = "b"
date = 2015-01-01
funder = "UK"
amount = "£3m"
period = "one-off"
  [[entry.split]]
  purpose = "A"
  amount = "$1m"
  [[entry.source]]
  quote = 3

[[entry]]
id = "c"
date = 2015-01-01
funder = "UK"
purpose = "P"
amount = "£3m a year"
period = "over 3 years"
qualifier = "about"
'''


def test_every_problem_has_a_code(tmp_path, monkeypatch):
    """Whatever the reader finds, each problem says what kind it is."""
    import ledger

    monkeypatch.setenv("LEDGER_TOOL_CACHE", "off")
    j = tmp_path / "j.toml"
    j.write_text(BROKEN_JOURNAL, encoding="utf-8")
    csv = tmp_path / "e.csv"
    csv.write_text("id,date,funder,purpose,amount,currency,statuss\n"
                   "a,2015-01-01,UK,P,12,GBP,x\na,2015-01-02,UK,Q,12,GBP,x\n", encoding="utf-8")
    bad = tmp_path / "f.csv"
    bad.write_text("id,date,funder,purpose,amount\n", encoding="utf-8")
    problems = [p for path in (j, csv, bad, tmp_path / "none.toml")
                for p in ledger.read_book(path).problems]
    assert len(problems) >= 12
    assert [str(p) for p in problems if not p.code] == []


@pytest.mark.parametrize("fmt", ["journal", "journal-columns"])
def test_restated_conversions_follow_one_rule_in_both_journal_readers(tmp_path, monkeypatch, fmt):
    """The column reader once took a restated amount over 10^15 that the
    entry reader refused: both now run ``ledger.read.journal.read_restated``."""
    import ledger
    import ledger.read.journal_columns as jf

    monkeypatch.setenv("LEDGER_TOOL_CACHE", "off")
    if fmt == "journal-columns":
        monkeypatch.setattr(jf, "MIN_BYTES", 0)
    path = tmp_path / "j.toml"
    path.write_text('[[document]]\nid = "d1"\n\n[[entry]]\nid = "a"\ndate = 2015-01-01\n'
                    'funder = "UK"\npurpose = "P"\namount = "£5m"\n'
                    'restated = ["€5000000000000000000"]\n'
                    '  [[entry.source]]\n  doc = "d1"\n  quote = "£5m"\n', encoding="utf-8")
    assert [str(p) for p in ledger.read_book(path).problems] == [
        f"{path}:10: entry 'a': error: restated amount '€5000000000000000000' is more than "
        "ledger-tool's largest amount, 10^15 (a thousand trillion) in any currency"]


def test_a_rule_broken_by_many_rows_says_how_many_more(tmp_path):
    """A bulk table of a million rows gets at most 50 lines per rule, then
    one line counting the rest, with the rule's wording and code."""
    import ledger

    path = tmp_path / "e.csv"
    path.write_text("id,date,funder,purpose,amount,currency,status,sources\n" + "".join(
        f"e{i},2015-01-01,UK,P,5,GBP,paid,d\n" for i in range(53)), encoding="utf-8")
    problems = [p for p in ledger.read_book(path).problems if p.code == "unknown-status"]
    assert len(problems) == 51
    assert str(problems[49]) == (f"{path}:51: entry 'e49': error: unknown status 'paid' "
                                 "(hint: one of pledged, committed, disbursed, spent)")
    assert str(problems[50]) == (f"{path}: error: 3 more row(s) with the problem: unknown "
                                 "status '…' (hint: one of pledged, committed, disbursed, spent)")


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 6)), max_size=40))
def test_probable_duplicates_pair_each_entry_with_the_first_of_its_key(keys):
    """The rule's two inputs (keys from the entry reader, integer codes from
    the column readers) give the same pairs: each later entry of a key with
    the first entry of that key, entries without a key never."""
    import numpy as np

    from ledger.rules import same_pledge

    pairs = same_pledge(keys)
    codes = np.array([-1 if k is None else k for k in keys], dtype=np.int64)
    assert same_pledge(codes) == pairs
    want = [(i, keys.index(k)) for i, k in enumerate(keys)
            if k is not None and keys.index(k) != i]
    assert pairs == want


def test_add_and_check_warn_about_a_pledge_recorded_twice(tmp_path, run_cli):
    book = tmp_path / "b.toml"
    book.write_text('[[entry]]\nid = "a"\ndate = 2024-03-03\nfunder = "UK"\npurpose = "H"\n'
                    'amount = "£12m"\n', encoding="utf-8")
    code, _, err = run_cli("add", book, "--id", "b", "--date", "2024-03-03", "--funder", "UK",
                           "--purpose", "H", "--amount", "£12 million")
    assert code == 0 and f"probably the same pledge as 'a' ({book}:1)" in err
    code, out, err = run_cli("check", book)
    assert code == 0 and "probably the same pledge as 'a'" in out + err


def test_two_records_of_one_data_file_are_not_a_duplicate(tmp_path, run_cli):
    """Entries citing one document at places of their own (an IATI file's
    budgets of three activities, FTS flows) are its records, not one figure
    twice; the same place cited twice, or two documents, still warn."""
    def entry(i, doc, locator):
        return (f'[[entry]]\nid = "e{i}"\ndate = 2024-03-03\nfunder = "UK"\npurpose = "H"\n'
                f'amount = "£12m"\n  [[entry.source]]\n  doc = "{doc}"\n  quote = "£12m"\n'
                + (f'  locator = "{locator}"\n' if locator else "") + "\n")
    docs = ('[[document]]\nid = "d"\ntitle = "t"\npublisher = "p"\npublished = 2024-03-03\n'
            'path = "d.txt"\n\n[[document]]\nid = "g"\ntitle = "t"\npublisher = "p"\n'
            'published = 2024-03-03\npath = "g.txt"\n\n')
    for cites, warned in [((("d", "activity 1"), ("d", "activity 2")), False),
                          ((("d", "activity 1"), ("d", "activity 1")), True),
                          ((("d", "activity 1"), ("g", "activity 2")), True),
                          ((("d", ""), ("d", "")), True)]:
        book = tmp_path / f"b{len(list(tmp_path.iterdir()))}.toml"
        book.write_text(docs + "".join(entry(i, d, loc) for i, (d, loc) in enumerate(cites)),
                        encoding="utf-8")
        code, out, err = run_cli("check", book)
        assert code == 0, err
        assert ("probably the same pledge as 'e0'" in out + err) == warned, (cites, err)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["UK", "France"]), st.sampled_from(["P", "Q"]),
                          st.sampled_from(["2015-01-01", "2015-01-02"]),
                          st.sampled_from(["5", "5.00", "6", "0.5"]),
                          st.sampled_from(["GBP", "EUR"])), min_size=1, max_size=25))
def test_a_bulk_table_flags_the_duplicates_counted_independently(tmp_path_factory, rows):
    """The column reader's hashed keys flag exactly the rows whose funder,
    purpose, date, exact amount and currency an earlier row has."""
    import csv
    from decimal import Decimal

    import ledger

    path = tmp_path_factory.mktemp("dups") / "t.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "date", "funder", "purpose", "amount", "currency", "sources"])
        for k, (f, p, d, a, c) in enumerate(rows):
            w.writerow([f"e{k}", d, f, p, a, c, "x"])
    seen, want = set(), set()
    for k, (f, p, d, a, c) in enumerate(rows):
        key = (f, p, d, Decimal(a), c)
        if key in seen:
            want.add(f"e{k}")
        seen.add(key)
    got = {p.entry_id for p in ledger.read_book(path, use_cache=False).problems
           if p.code == "probable-duplicate"}
    assert got == want
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_name_composed_or_decomposed_is_one_account_in_every_format(tmp_path, monkeypatch,
                                                                      fmt):
    """"Sécurité" typed with é as one character (NFC) or as e + combining
    accent (NFD) looked the same and made two purposes with two totals."""
    import unicodedata
    name = "Sécurité:Calais"
    rows = [{**GOOD, "purpose": unicodedata.normalize("NFC", name)},
            {**GOOD, "id": "b", "purpose": unicodedata.normalize("NFD", name)}]
    path, _, problems = _read(tmp_path, fmt, rows, monkeypatch)
    assert not [p for p in problems if p.severity == "error"], problems
    assert not [p for p in problems if p.code == "lookalike-account"]
    import ledger
    book = ledger.read_book(path)
    assert set(book.frame()["purpose"].astype(str)) == {unicodedata.normalize("NFC", name)}


def test_the_journal_syntax_rules_word_a_value_of_another_toml_type():
    """A rule without a code of its own is "bad-FIELD" (a journal field) or
    "bad-entry"; its wording names the field and the TOML type."""
    assert rr.NOT_TEXT.word(field="funder", kind="int") == ("funder must be text, not int", "")
    assert rr.NOT_TEXT.code_for("funder") == "bad-funder"
    assert rr.NOT_TEXT.code_for("fundr") == "bad-entry"
    assert rr.UNKNOWN_FIELD.word("fundr") == ("unknown field 'fundr'", "did you mean 'funder'?")
    assert rr.UNKNOWN_FIELD.code_for("fundr") == "unknown-field"
    assert rr.SOURCE_UNKNOWN_FIELD.word("lokator")[1] == "did you mean 'locator'?"
    assert rr.NOT_A_DATE_VALUE.word("not a date: 5 (use YYYY-MM-DD)", "value_date")[0] == \
        "value_date not a date: 5 (use YYYY-MM-DD)"


def test_the_journal_syntax_is_worded_by_the_rules_at_each_key(tmp_path):
    """A value of another TOML type is said in the words written once in
    rules/rows.py, at its key's line, and the entry is left out."""
    from ledger.read import read_book

    f = tmp_path / "j.toml"
    f.write_text('[[entry]]\nid = "a"\ndate = 2015-01-01\nfunder = 3\npurpose = "A:B"\n'
                 'amount = 1.5\ntags = "x"\n', encoding="utf-8")
    book = read_book(f, use_cache=False)
    assert not book.entries
    assert [(p.line, p.code, p.field, p.message) for p in book.problems
            if p.severity == "error"] == [
        (4, "bad-funder", "funder", "funder must be text, not int"),
        (6, "bad-amount", "amount", 'amount must not be a TOML float (binary rounding); write it '
                                    'as text, e.g. "12.5"'),
        (7, "bad-tags", "tags", "tags must be a list of text")]


def test_more_than_twice_the_limit_of_uncited_rows_are_counted(tmp_path):
    """Uncited rows beyond twice the 50 worded once left the count line no
    file to name (a KeyError, a traceback): 50 lines, then one counting the rest."""
    import ledger

    path = tmp_path / "e.csv"
    path.write_text("id,date,funder,purpose,amount,currency\n" + "".join(
        f"e{i},2015-01-01,UK,P,5,GBP\n" for i in range(120)), encoding="utf-8")
    problems = [p for p in ledger.read_book(path).problems if p.code == "no-source"]
    assert len(problems) == 51
    assert str(problems[49]).startswith(f"{path}:51: entry 'e49': warning: no source")
    assert str(problems[50]).startswith(f"{path}: warning: 70 more row(s) with the problem: ")


# a tag either format can hold: no ';' (the bulk cell's separator); letters
# with combining marks, which both readers compose; invisible and control
# characters, some of them white space (tab, \x1f, \x85), which the tag rule
# refuses in both; padded with white space, which both trim
_PAD = st.text(st.sampled_from(" \xa0\u2003\u3000"), max_size=2)
_TAG = st.builds(lambda a, t, b: a + t + b, _PAD, st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zs", "Zl", "Zp"),
                          blacklist_characters=";"),
            max_size=6),
    st.sampled_from(["e\u0301", "A\u030a", "\u0301x", "n\u0303o", "\u00e9", "a,\"b\"",
                     "a\x1f", "\tb", "c\x85", "\u200bd", "\x0b"]),
), _PAD)


def _read_both(tmp, tag_lists):
    """The Books of entries e0, e1... with these tags, written as a
    journal's lists and as a bulk CSV's cells."""
    import csv

    import tomlkit

    from ledger.read import read_book

    journal, bulk = Path(tmp) / "j.toml", Path(tmp) / "e.csv"
    entries = tomlkit.aot()
    for i, tags in enumerate(tag_lists):
        entries.append(tomlkit.item({"id": f"e{i}", "date": "2016-01-01", "funder": "UK",
                                     "purpose": "P", "amount": "5 GBP", "tags": tags}))
    journal.write_text(tomlkit.dumps({"entry": entries}), encoding="utf-8")
    with open(bulk, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([("id", "date", "funder", "purpose", "amount", "currency",
                                   "tags"),
                                  *((f"e{i}", "2016-01-01", "UK", "P", "5", "GBP",
                                     "; ".join(tags)) for i, tags in enumerate(tag_lists))])
    return {path.suffix: read_book(path, use_cache=False) for path in (journal, bulk)}


def test_a_bulk_cell_refuses_the_control_characters_a_journal_refuses(tmp_path):
    """A tag's control characters that are also white space (\x1f, a tab)
    are refused in a bulk cell as in a journal's list, not trimmed away."""
    books = _read_both(tmp_path, [["a\x1f", "\tb"], ["c"]])
    for suffix, book in books.items():
        bad = [(p.entry_id, p.code) for p in book.problems if p.severity == "error"]
        assert bad == [("e0", "bad-tag"), ("e0", "bad-tag")], suffix


def test_a_bad_tag_is_quoted_as_written_in_a_journal_and_a_bulk_cell(tmp_path):
    """A bad tag's message quotes the tag as the user wrote it, padding and
    all, whether written in a journal's list or between ';' in a bulk cell
    (a bulk cell's was quoted trimmed)."""
    books = _read_both(tmp_path, [["  a\x1f ", "b"], ["d\u200b ", "c"]])
    for suffix, book in books.items():
        said = [(p.entry_id, p.message) for p in book.problems if p.severity == "error"]
        assert said == [("e0", "tag '  a\\x1f ' holds a control or invisible character"),
                        ("e1", "tag 'd\\u200b ' holds a control or invisible character")], \
            suffix


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_TAG, max_size=4), min_size=1, max_size=4))
def test_tags_written_as_a_journal_or_a_bulk_csv_are_the_same_book_tags(tag_lists):
    """Each entry's tags, written as a journal's list and as a bulk CSV's
    cell (between ';'), are refused in both (a control or invisible
    character: Unicode's Cc and Cf) or are the Book's tags: each trimmed of
    its padding and composed (NFC), the blank ones left out, joined by ';',
    in the order written, worked out here with unicodedata."""
    import tempfile
    import unicodedata

    refused = {f"e{i}" for i, tags in enumerate(tag_lists)
               if any(unicodedata.category(c) in ("Cc", "Cf") for t in tags for c in t)}
    want = [";".join(unicodedata.normalize("NFC", t.strip(" \xa0\u2003\u3000")) for t in tags
                     if t.strip(" \xa0\u2003\u3000")) for tags in tag_lists]
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, book in _read_both(tmp, tag_lists).items():
            errors = [p for p in book.problems if p.severity == "error"]
            assert {p.code for p in errors} <= {"bad-tag"}, suffix
            assert {p.entry_id for p in errors} == refused, suffix
            got = book.tables.entries.set_index("id")["tags"].astype(str)
            assert [got[f"e{i}"] for i in range(len(tag_lists)) if f"e{i}" not in refused] == [
                w for i, w in enumerate(want) if f"e{i}" not in refused], suffix
