"""ledger.read.table: CSV/Parquet entries into the normalise base frame, checked
column-wise with the journal's rules and wording."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ledger.read.table import BULK_COLUMNS, load_bulk, read_bulk
from ledger.errors import LedgerError

HEAD = "id,date,funder,purpose,amount,currency,status,period,disburses,sources\n"


def _csv(tmp_path: Path, rows: str, head: str = HEAD, name: str = "e.csv") -> Path:
    p = tmp_path / name
    p.write_text(head + rows, encoding="utf-8")
    return p


def _errors(problems):
    return [p for p in problems if p.severity == "error"]


def test_a_good_file_becomes_the_base_frame(tmp_path):
    from rates.normalise import ENTRY_COLUMNS, normalise

    p = _csv(tmp_path, "uk-1,2014-09-20,UK:Home Office,Security:Calais port,12000000,GBP,pledged,"
                       "over 3 years,,doc-a\n"
                       "fr-1,2015-08-20,France:Interior,Security:Calais,5000000.50,eur,committed,"
                       "fiscal year 2015-16,,doc-a;doc-b\n"
                       "uk-2,2015-09-01,UK:Home Office,Humanitarian,1000000,GBP,disbursed,,uk-1,doc-b\n")
    frame, problems = read_bulk(p, documents={"doc-a", "doc-b"})
    assert problems == []
    assert list(frame.columns) == ENTRY_COLUMNS
    assert frame["amount"].tolist() == [Decimal("12000000"), Decimal("5000000.50"), Decimal("1000000")]
    assert frame["currency"].tolist() == ["GBP", "EUR", "GBP"]
    assert frame["period"].tolist() == ["over 3 years", "fiscal year 2015-16", "one-off"]
    assert frame["years"].tolist()[0] == Decimal(3)
    assert frame["primary"].tolist() == [True, True, False]
    assert frame["where"][1] == f"{p}:3: entry 'fr-1'"
    out = normalise(frame, currency="GBP")
    assert out.loc[out["id"] == "uk-1", "value"].sum() == Decimal("12000000.00")


def test_split_rows_make_one_entry(tmp_path):
    p = _csv(tmp_path, "pkg,2016-03-03,UK:Home Office,Security,10000000,GBP,,,,d\n"
                       "pkg,2016-03-03,UK:Home Office,Humanitarian,7000000,GBP,,,,d\n"
                       "solo,2016-03-04,UK:Home Office,Security,1,GBP,,,,d\n")
    frame, problems = read_bulk(p)
    assert problems == []
    assert frame["entry_amount"].tolist() == [Decimal(17000000), Decimal(17000000), Decimal(1)]
    assert frame["amount"].sum() == Decimal(17000001)


def test_every_problem_is_reported_with_file_line_and_id(tmp_path):
    p = _csv(tmp_path,
             "a,2015-02-30,UK,P,5,GBP,,,,d\n"          # impossible date (line 2)
             "b,2015-01-01,UK::Home,P,5,GBP,,,,d\n"     # bad account (3)
             "c,2015-01-01,UK,P,-5,GBP,,,,d\n"          # negative amount (4)
             "d,2015-01-01,UK,P,0,GBP,,,,d\n"           # zero (5)
             "e,2015-01-01,UK,P,5,XYZ,,,,d\n"           # unknown currency (6)
             "f,2015-01-01,UK,P,5,GBP,pledgd,,,d\n"     # unknown status (7)
             "g,2015-01-01,UK,P,5,GBP,,over zero years,,d\n"  # bad period (8)
             "h,2015-01-01,UK,P,5,GBP,,,nowhere,d\n"    # link to a missing id (9)
             "a,2015-01-01,UK,P,5,GBP,,,,d\n"           # duplicate id, not adjacent (10)
             ",2015-01-01,UK,P,5,GBP,,,,d\n"            # no id (11)
             "i,2015-01-01,UK,Q,5,GBP,,,,\n")           # no source: a warning (12)
    frame, problems = read_bulk(p)
    by_line = {}
    for prob in problems:
        by_line.setdefault(prob.line, []).append(prob)
    text = "\n".join(str(x) for x in problems)
    assert f"{p}:2: entry 'a': error: date not a valid date: '2015-02-30'" in text
    assert "UK::Home" in str(by_line[3][0]) and "not a valid account name" in str(by_line[3][0])
    assert "is not a plain number" in str(by_line[4][0])
    assert "amount must be positive" in str(by_line[5][0])
    assert "unknown currency 'XYZ'" in str(by_line[6][0])
    assert "unknown status 'pledgd'" in str(by_line[7][0])
    assert by_line[7][0].hint == "did you mean 'pledged'?"   # the journal's hint, one rule
    assert "period:" in str(by_line[8][0])
    assert "disburses names a missing entry 'nowhere'" in str(by_line[9][0])
    assert "duplicate id 'a'" in str(by_line[10][0])
    assert "missing field 'id'" in str(by_line[11][0])
    assert by_line[12][0].severity == "warning" and "no source" in by_line[12][0].message
    assert len(_errors(problems)) == 10
    # only good entries are kept (the duplicated id loses both rows)
    assert frame["id"].tolist() == ["i"]
    with pytest.raises(LedgerError) as err:
        load_bulk(p)
    assert "10 problem(s)" in str(err.value) and "2015-02-30" in str(err.value)


def test_split_rows_must_agree_and_packages_must_not_be_exceeded(tmp_path):
    p = _csv(tmp_path, "pkg,2016-03-03,UK,A,10,GBP,,,,d\n"
                       "pkg,2016-03-03,UK,B,7,EUR,,,,d\n"
                       "pledge,2016-01-01,UK,A,100,GBP,,,,d\n"
                       "pay1,2016-02-01,UK,A,60,GBP,disbursed,,pledge,d\n"
                       "pay2,2016-03-01,UK,A,50,GBP,disbursed,,pledge,d\n")
    _, problems = read_bulk(p)
    text = "\n".join(str(x) for x in problems)
    assert f"{p}:3: entry 'pkg': error: split row differs from the row before in 'currency'" in text
    assert ("disbursements (pay1, pay2) add up to 110 GBP, more than the 100 GBP of 'pledge'"
            in text)


def test_split_rows_must_agree_on_the_entrys_provenance_text(tmp_path):
    """The Book keeps an entry's recipient (notes, location, tags) from its
    first row: a later split row saying another is refused, not dropped."""
    head = "id,date,funder,purpose,amount,currency,sources,recipient\n"
    differ = tmp_path / "differ.csv"
    differ.write_text(head + "s,2020-01-01,UK,A,5,GBP,d,Town\n"
                             "s,2020-01-01,UK,B,6,GBP,d,City\n", encoding="utf-8")
    _, problems = read_bulk(differ)
    assert [str(x) for x in problems if x.severity == "error"] == [
        f"{differ}:3: entry 's': error: split row differs from the row before in 'recipient' "
        "(hint: rows sharing an id are the splits of one entry: only purpose and amount may "
        "differ)"]
    same = tmp_path / "same.csv"
    same.write_text(head + "s,2020-01-01,UK,A,5,GBP,d,Town\n"
                           "s,2020-01-01,UK,B,6,GBP,d,Town\n", encoding="utf-8")
    assert not [x for x in read_bulk(same)[1] if x.severity == "error"]


def test_unknown_documents_and_columns(tmp_path):
    p = _csv(tmp_path, "a,2015-01-01,UK,P,5,GBP,,,,doc-a;doc-zz\n",
             head="id,date,funder,purpose,amount,currency,status,period,disburses,sources\n")
    _, problems = read_bulk(p, documents={"doc-a"})
    assert [str(x) for x in problems] == [
        f"{p}:2: entry 'a': error: source names an unknown document 'doc-zz' "
        "(hint: declare it in the table's documents file (NAME.documents.csv beside "
        "NAME.csv, a dataset's _documents.csv))"]
    q = _csv(tmp_path, "a,2015-01-01,UK,P,5,GBP\n", head="id,date,funder,purpose,amount,curency\n",
             name="f.csv")
    frame, problems = read_bulk(q)
    assert frame is None and "missing column(s) 'currency'" in str(problems[0])
    r = _csv(tmp_path, "a,2015-01-01,UK,P,5,GBP,x\n",
             head="id,date,funder,purpose,amount,currency,statuss\n", name="g.csv")
    _, problems = read_bulk(r)
    assert "unknown column 'statuss'" in str(problems[0]) and "did you mean 'status'" in str(problems[0])


def test_missing_file_and_unreadable_table(tmp_path):
    frame, problems = read_bulk(tmp_path / "none.csv")
    assert frame is None and "no such file" in str(problems[0])
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    frame, problems = read_bulk(bad)
    assert frame is None and str(problems[0]).startswith(f"{bad}: error: cannot read the table")


def test_phrases_and_period_columns_agree(tmp_path):
    rows = [("a", "2015-01-01", "over 3 years", "over", "3", "", "", ""),
            ("b", "2015-06-01", "per year for 2 years", "per-year", "2", "", "", ""),
            ("c", "2015-06-01", "fiscal year 2015-16", "fiscal-year", "", "", "", "2015-16"),
            ("d", "2015-06-01", "from 2015-06-01 to 2016-05-31", "over", "", "2015-06-01",
             "2016-05-31", ""),
            ("e", "2015-06-01", "over 18 months", "over", "1.5", "", "", ""),
            ("f", "2015-06-01", "until 2016-12-31", "over", "", "2015-06-01", "2016-12-31", "")]
    head = "id,date,funder,purpose,amount,currency,sources,period"
    phr = _csv(tmp_path, "".join(f"{i},{d},UK,P{i},100,GBP,x,{p}\n" for i, d, p, *_ in rows),
               head=head + "\n", name="phr.csv")
    cols = _csv(tmp_path, "".join(f"{i},{d},UK,P{i},100,GBP,x,{p},{k},{y},{s},{e},{f}\n"
                                  for i, d, p, k, y, s, e, f in rows),
                head=head + ",period_kind,years,start,end,fiscal_year\n", name="cols.csv")
    a, pa_ = read_bulk(phr)
    b, pb = read_bulk(cols)
    assert pa_ == [] and pb == []
    for c in ("period_kind", "years", "start", "end", "period"):
        assert a[c].tolist() == b[c].tolist(), c


def test_empty_period_columns_take_the_period_from_its_phrase(tmp_path):
    """``import --to D.parquet`` writes the period's phrase and leaves the
    period columns empty: such a row's period is its phrase's (it was read
    as one-off, so "over 3 years" fell whole in its first year); a row that
    fills the columns keeps them."""
    rows = [("a", "2015-01-01", "over 3 years"), ("b", "2015-06-01", "per year for 2 years"),
            ("c", "2015-06-01", "fiscal year 2015-16"), ("f", "2015-06-01", "until 2016-12-31"),
            ("g", "2015-06-01", "")]
    head = "id,date,funder,purpose,amount,currency,sources,period"
    phr = _csv(tmp_path, "".join(f"{i},{d},UK,P{i},100,GBP,x,{p}\n" for i, d, p in rows),
               head=head + "\n", name="phr.csv")
    empty = _csv(tmp_path, "".join(f"{i},{d},UK,P{i},100,GBP,x,{p},,,,,\n" for i, d, p in rows)
                 + "h,2015-06-01,UK,Ph,100,GBP,x,label only,over,4,,,\n",
                 head=head + ",period_kind,years,start,end,fiscal_year\n", name="empty.csv")
    a, pa_ = read_bulk(phr)
    b, pb = read_bulk(empty)
    assert pa_ == [] and pb == []
    assert b["period_kind"].tolist()[:4] == ["over", "per-year", "fiscal-year", "over"]
    for c in ("period_kind", "years", "start", "end", "period"):
        assert a[c].tolist() == b[c].tolist()[:len(rows)], c
    assert b["period_kind"].tolist()[-1] == "over" and b["years"].tolist()[-1] == Decimal(4)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e15"), places=2),
                min_size=1, max_size=20))
def test_amounts_are_read_exactly(tmp_path_factory, amounts):
    d = tmp_path_factory.mktemp("amounts")
    rows = "".join(f"e{i},2015-01-01,UK,P{i},{a},GBP,,,,x\n" for i, a in enumerate(amounts))
    frame, problems = read_bulk(_csv(d, rows))
    assert problems == []
    assert frame["amount"].tolist() == amounts


def test_parquet_with_typed_columns(tmp_path):
    import pandas as pd

    df = pd.DataFrame({"id": ["a", "b"], "date": pd.to_datetime(["2015-01-01", "2016-02-29"]),
                       "funder": ["UK", "FR"], "purpose": ["P", "Q"], "amount": ["12.5", "7"],
                       "currency": ["GBP", "EUR"], "sources": ["x", "y"]})
    df.to_parquet(tmp_path / "t.parquet")
    frame, problems = read_bulk(tmp_path / "t.parquet")
    assert problems == []
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2015-01-01", "2016-02-29"]
    assert set(BULK_COLUMNS) >= set(df.columns)


_KIND = st.sampled_from(["", "one-off", "over", "per-year", "fiscal-year", "yearly"])
_YEARS = st.sampled_from(["", "1", "3", "1.5", "2.50", "0", "-1", "abc", "0.25"])
_DATE = st.sampled_from(["", "2015-06-01", "2016-02-29", "2015-02-30", "2014-01-01",
                         "2015-6-1", "0000-01-01", "20150601"])
_FY = st.sampled_from(["", "2015-16", "2015/2016", "FY2015-16", "1999-00", "2015-17", "x"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_KIND, _YEARS, _DATE, _DATE, _FY), min_size=1, max_size=25))
def test_period_columns_read_column_wise_as_one_by_one(tmp_path_factory, rows):
    """The column-wise reading of the period columns gives the frame and the
    problems of the one-by-one path (each period built as a ``Period``)."""
    import numpy as np

    import ledger.read.table as bulk

    d = tmp_path_factory.mktemp("periods")
    head = "id,date,funder,purpose,amount,currency,sources,period_kind,years,start,end,fiscal_year\n"
    p = _csv(d, "".join(f"e{i},2015-01-01,UK,P,100,GBP,x,{k},{y},{s},{e},{f}\n"
                        for i, (k, y, s, e, f) in enumerate(rows)), head=head)
    fast, fast_problems = read_bulk(p)
    real = bulk._period_columns

    def all_slow(cols):
        per, slow = real(cols)
        return per, np.ones_like(slow)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(bulk, "_period_columns", all_slow)
        slow, slow_problems = read_bulk(p)
    assert [str(x) for x in fast_problems] == [str(x) for x in slow_problems]
    assert (fast is None) == (slow is None)
    if fast is not None:
        for c in ("period_kind", "period", "years", "fiscal_year"):
            assert fast[c].tolist() == slow[c].tolist(), c
        for c in ("start", "end"):
            assert fast[c].equals(slow[c]), c


def test_values_are_trimmed_only_and_always_when_they_need_it(tmp_path):
    """read_table skips the trim when no value can start or end with
    whitespace, and still trims ASCII and Unicode spaces."""
    from ledger.read.table import read_table

    p = _csv(tmp_path, "a,2015-01-01,UK, P ,100,GBP,,,,x\n"
                       "b,2015-01-01,UK,\u00a0Q\u3000,100,GBP,,,,x\n"
                       "c,2015-01-01,UK,R,100,GBP,,,,x\n")
    t = read_table(p)
    assert t.column("purpose").to_pylist() == ["P", "Q", "R"]
    assert t.column("funder").to_pylist() == ["UK", "UK", "UK"]
    frame, problems = read_bulk(p)
    assert not _errors(problems) and frame["purpose"].tolist() == ["P", "Q", "R"]


def test_a_column_named_twice_is_refused_not_the_last_kept(tmp_path, run_cli):
    table = tmp_path / "dup.csv"
    table.write_text("id,date,funder,purpose,amount,currency,amount\n"
                     "e1,2015-01-01,UK,P,100,GBP,999\n", encoding="utf-8")
    code, _, err = run_cli("check", table)
    assert code == 1
    assert (f"{table}: error: cannot read the table: column 'amount' appears twice "
            f"(columns 5 and 7): keep one") in err.splitlines()


# a tag holding an invisible character (U+200B), the same rule and words as a
# journal's tags, quoted as written (its padding after ';' too); each entry's
# tags once, on its first row
_TAGGED = [("a", "2015-01-01", "UK", "P", "5", "GBP", "calais; ca\u200bmp"),
           ("b", "2015-01-01", "UK", "P", "6", "GBP", "calais"),
           ("s", "2015-01-01", "UK", "P", "1", "GBP", "\u2066x"),
           ("s", "2015-01-01", "UK", "Q", "2", "GBP", "\u2066x")]


def _tag_problems(problems):
    return [(p.line, p.entry_id, p.code, p.field, p.message) for p in _errors(problems)]


_TAG_WANT = [(2, "a", "bad-tag", "tags",
              "tag ' ca\\u200bmp' holds a control or invisible character"),
             (4, "s", "bad-tag", "tags",
              "tag '\\u2066x' holds a control or invisible character")]


def test_a_csv_tags_column_is_checked(tmp_path):
    rows = "".join(",".join(r) + "\n" for r in _TAGGED)
    p = _csv(tmp_path, rows, head="id,date,funder,purpose,amount,currency,tags\n")
    frame, problems = read_bulk(p)
    assert _tag_problems(problems) == _TAG_WANT
    assert frame["id"].tolist() == ["b"]   # the entries with a bad tag left out


def test_a_parquet_tags_column_is_checked(tmp_path):
    import pandas as pd

    cols = ["id", "date", "funder", "purpose", "amount", "currency", "tags"]
    pd.DataFrame(_TAGGED, columns=cols).to_parquet(tmp_path / "t.parquet")
    frame, problems = read_bulk(tmp_path / "t.parquet")
    assert _tag_problems(problems) == _TAG_WANT
    assert frame["id"].tolist() == ["b"]


def test_a_restated_column_is_checked_by_the_journals_rule(tmp_path):
    """The source's conversions: another currency than the entry's, each
    readable; worded as the journal words its restated list, once per
    entry (a split's rows share them)."""
    p = _csv(tmp_path, "a,2015-01-01,UK,P,5,GBP,EUR 6; GBP 5\n"
                       "b,2015-01-01,UK,P,5,GBP,EUR 6; USD 7\n"
                       "s,2015-01-01,UK,P,1,EUR,lots\n"
                       "s,2015-01-01,UK,Q,2,EUR,lots\n",
             head="id,date,funder,purpose,amount,currency,restated\n")
    frame, problems = read_bulk(p)
    got = [(p.line, p.entry_id, p.code, p.field, p.message) for p in _errors(problems)]
    assert [g[:4] for g in got] == [(2, "a", "bad-restated", "restated"),
                                    (4, "s", "bad-restated", "restated")]
    assert got[0][4] == "restated amount 'GBP 5' is in the entry's own currency"
    assert got[1][4].startswith("restated: ") and "'lots'" in got[1][4]   # the parser's why
    assert frame["id"].tolist() == ["b"]


# one bad part of a split, written in each input's own way: (its purpose,
# its amount) -> the journal's line of it, and (code, field, message) as a
# user should read it whatever the input
BAD_PARTS = {
    "a purpose that is no account": (("Security::Fencing", "3"), 13, (
        "bad-account", "split", "split purpose 'Security::Fencing' is not a valid account name")),
    "a zero amount": (("Security:Fencing", "0"), 14, (
        "bad-split", "split", "split amount for 'Security:Fencing' must be a positive number")),
    "a negative amount": (("Security:Fencing", "-5"), 14, (
        "bad-split", "split", "split amount for 'Security:Fencing' must be a positive number")),
    "too many decimal places": (("Security:Fencing", "3.0000000001"), 14, (
        "amount-too-precise", "amount", "amount '3.0000000001' has more than 9 decimal places")),
    "no purpose": (("", "3"), 12, ("bad-split", "split", "split needs a purpose")),
    "no amount": (("Security:Fencing", ""), 12, (
        "bad-split", "split", "split for 'Security:Fencing' needs an amount")),
}


@pytest.mark.parametrize("case", sorted(BAD_PARTS))
def test_a_bad_split_is_worded_alike_in_every_input(tmp_path, case):
    """The same bad part in a journal's [[entry.split]] table, a bulk CSV's
    and a bulk Parquet's row sharing its id, and an import's split: one
    problem, the same code, field and words; at the journal's key (the
    table's header when the key is missing), the bulk file's row, the
    import's record."""
    import pyarrow.csv as pv
    import pyarrow.parquet as pq

    from ledger.imports.rows import check_records
    from ledger.read import read_book

    (purpose, amount), key_line, want = BAD_PARTS[case]
    journal = tmp_path / "j.toml"
    journal.write_text(
        '[[entry]]\nid = "s"\ndate = 2016-03-03\nfunder = "UK:Home Office"\n'   # lines 1-4
        'amount = "10 GBP"\nsource = [{doc = "d", quote = "q"}]\n\n'           # 5-7
        '[[entry.split]]\npurpose = "Humanitarian"\namount = "7"\n\n'          # 8-11
        '[[entry.split]]\n'                                                    # 12
        + (f'purpose = "{purpose}"\n' if purpose else "")                      # 13
        + (f'amount = "{amount}"\n' if amount else ""), encoding="utf-8")      # 13 or 14
    bulk = _csv(tmp_path, "s,2016-03-03,UK:Home Office,Humanitarian,7,GBP,d\n"
                          f"s,2016-03-03,UK:Home Office,{purpose},{amount},GBP,d\n",
                head="id,date,funder,purpose,amount,currency,sources\n")
    parquet = tmp_path / "e.parquet"
    pq.write_table(pv.read_csv(bulk, convert_options=pv.ConvertOptions(
        column_types={c: "string" for c in ("id", "date", "funder", "purpose", "amount",
                                            "currency", "sources")},
        strings_can_be_null=False)), parquet)
    part = {k: v for k, v in (("purpose", purpose), ("amount", amount)) if v}
    imported = check_records([{
        "id": "s", "date": "2016-03-03", "funder": "UK:Home Office", "amount": "10",
        "currency": "GBP", "split": [{"purpose": "Humanitarian", "amount": "7"}, part],
        "source": [{"doc": "d", "quote": "q"}]}], [5], name="in.xlsx", documents={"d"})

    def said(problems):
        return [(p.line, p.entry_id, p.code, p.field, p.message) for p in problems
                if p.severity == "error"]

    assert said(read_book(journal).problems) == [(key_line, "s", *want)]
    assert said(read_book(bulk).problems) == [(3, "s", *want)]
    assert said(read_book(parquet).problems) == [(3, "s", *want)]
    assert said(imported.problems[0]) == [(5, "s", *want)]
    assert imported.accepted == []


def test_a_refused_entry_takes_its_id_but_is_never_called_counted(tmp_path):
    """The same six entries as a journal and as a bulk CSV: 'a' refused (an
    impossible date) and a second 'a'; 'x' and 'y' the same pledge, both
    refused (an unknown status); 'b' and 'c' the same pledge, both kept.
    Both inputs say the duplicate id (the refused 'a' holds its id), and
    the probable duplicate only of the entries counted: never of x and y,
    which no total counts."""
    from ledger.read import read_book

    rows = [("a", "2015-02-30", "P", "pledged"), ("b", "2015-01-01", "P", "pledged"),
            ("c", "2015-01-01", "P", "pledged"), ("a", "2015-01-01", "Q", "pledged"),
            ("x", "2015-01-01", "Q", "pledgd"), ("y", "2015-01-01", "Q", "pledgd")]
    bulk = _csv(tmp_path, "".join(f"{i},{d},UK,{p},5,GBP,{s},,,d\n" for i, d, p, s in rows))
    journal = tmp_path / "j.toml"
    journal.write_text("".join(
        f'[[entry]]\nid = "{i}"\ndate = "{d}"\nfunder = "UK"\npurpose = "{p}"\n'
        f'amount = "5 GBP"\nstatus = "{s}"\nsource = [{{doc = "d", quote = "q"}}]\n\n'
        for i, d, p, s in rows), encoding="utf-8")
    want = [("a", "error", "bad-date"), ("x", "error", "unknown-status"),
            ("y", "error", "unknown-status"), ("a", "error", "duplicate-id"),
            ("c", "warning", "probable-duplicate")]
    # a CSV row per line after the header; a journal entry every 9 lines, its date
    # the 3rd, its status the 7th
    for f, lines in ((bulk, [2, 6, 7, 5, 4]), (journal, [3, 43, 52, 28, 19])):
        got = [p for p in read_book(f).problems if p.code != "unknown-document"]
        assert [(p.entry_id, p.severity, p.code) for p in got] == want, f
        assert [p.line for p in got] == lines, f
        assert "'b'" in got[-1].message and "counted in every total" in got[-1].message


def test_a_citation_without_doc_is_worded_alike_by_the_rules(tmp_path):
    """A citation naming no document: the journal's [[entry.source]] table
    (at its header, line 15) and an import's record say the same; a bulk
    table's sources are document ids, and an empty one between ';' is no
    citation at all (nothing to say)."""
    from ledger.imports.rows import check_records
    from ledger.read import read_book

    journal = tmp_path / "j.toml"
    journal.write_text('[[document]]\nid = "d"\n\n[[entry]]\nid = "s"\ndate = 2016-03-03\n'
                       'funder = "UK:Home Office"\npurpose = "P"\namount = "10 GBP"\n\n'
                       '[[entry.source]]\ndoc = "d"\nquote = "q"\n\n'
                       '[[entry.source]]\nquote = "no doc"\n', encoding="utf-8")
    want = ("s", "bad-source", "source", "[[entry.source]] needs doc (a document id)")
    book = read_book(journal)
    assert [(p.line, p.entry_id, p.code, p.field, p.message) for p in book.problems] == [
        (15, *want)]
    assert book.entries == ()
    got = check_records([{"id": "s", "date": "2016-03-03", "funder": "UK:Home Office",
                          "purpose": "P", "amount": "10", "currency": "GBP",
                          "source": [{"doc": "d", "quote": "q"}, {"quote": "no doc"}]}],
                        [5], name="in.xlsx", documents={"d"})
    assert [(p.line, p.entry_id, p.code, p.field, p.message) for p in got.problems[0]] == [
        (5, *want)]
    bulk = _csv(tmp_path, "s,2016-03-03,UK:Home Office,P,10,GBP,d;;\n",
                head="id,date,funder,purpose,amount,currency,sources\n")
    frame, problems = read_bulk(bulk, documents={"d"})
    assert problems == [] and frame["id"].tolist() == ["s"]


def test_an_entry_written_with_splits_still_states_its_amount(tmp_path):
    """A journal entry or an import's record with split tables but no
    amount of its own: 'missing field amount' at the entry (its parts are
    no amount of the entry's), beside any problem of a part."""
    from ledger.imports.rows import check_records
    from ledger.read import read_book

    journal = tmp_path / "j.toml"
    journal.write_text('[[entry]]\nid = "s"\ndate = 2016-03-03\nfunder = "UK:Home Office"\n'
                       'currency = "GBP"\nsource = [{doc = "d", quote = "q"}]\n\n'
                       '[[entry.split]]\npurpose = "A"\namount = "7"\n\n'
                       '[[entry.split]]\npurpose = "B::x"\namount = "3"\n', encoding="utf-8")
    assert [(p.line, p.code, p.field, p.message) for p in read_book(journal).problems
            if p.code != "unknown-document"] == [
        (1, "missing-field", "amount", "missing field 'amount'"),
        (13, "bad-account", "split", "split purpose 'B::x' is not a valid account name")]
    got = check_records([{"id": "s", "date": "2016-03-03", "funder": "UK:Home Office",
                          "currency": "GBP", "source": [{"doc": "d", "quote": "q"}],
                          "split": [{"purpose": "A", "amount": "7"},
                                    {"purpose": "B", "amount": "3"}]}],
                        [5], name="in.xlsx", documents={"d"})
    assert [(p.line, p.code, p.field, p.message) for p in got.problems[0]] == [
        (5, "missing-field", "amount", "missing field 'amount'")]


def test_a_sources_cell_of_only_separators_cites_nothing(tmp_path):
    """A cell of nothing but ';' and blanks names no document: its entry
    gets the no-source warning, as an empty cell's does; a cell naming one
    among empty ones does not."""
    p = _csv(tmp_path, "a,2015-01-01,UK,P,5,GBP,,,,\n"         # empty (line 2)
                       "b,2015-01-02,UK,P,5,GBP,,,,;\n"        # ';' alone (3)
                       'c,2015-01-03,UK,P,5,GBP,,,," ; ; "\n'  # blanks between (4)
                       "d,2015-01-04,UK,P,5,GBP,,,,;d1;\n"     # one named (5)
                       "e,2015-01-05,UK,P,5,GBP,,,,d2\n")      # (6)
    frame, problems = read_bulk(p)
    assert not _errors(problems)
    assert sorted((x.line, x.entry_id) for x in problems if "no source" in x.message) == \
        [(2, "a"), (3, "b"), (4, "c")]
    assert len(frame) == 5


def test_split_rows_citing_different_documents_are_refused(tmp_path):
    """Only the first row's sources are read: a split row citing others
    is refused, not its documents lost; rows citing alike are one entry."""
    p = _csv(tmp_path, "s,2015-01-01,UK,A,5,GBP,,,,d1\n"
                       "s,2015-01-01,UK,B,5,GBP,,,,d2\n"
                       "t,2015-01-01,UK,A,5,GBP,,,,d1;d2\n"
                       "t,2015-01-01,UK,B,5,GBP,,,,d1;d2\n")
    frame, problems = read_bulk(p)
    assert [(x.line, x.entry_id, x.code, x.field, x.message) for x in _errors(problems)] == [
        (3, "s", "split-row-differs", "sources",
         "split row differs from the row before in 'sources'")]
    assert set(frame["id"]) == {"t"} and frame["amount"].sum() == Decimal(10)


def test_an_export_read_as_a_ledger_is_said_to_be_an_export(tmp_path, run_cli, example_ledger):
    """`export --to csv` writes valued columns a bulk ledger does not have:
    `check` of it says once that it is an export to import, not one
    unknown-column error per column; its import is the ledger again."""
    out = tmp_path / "e.csv"
    assert run_cli("export", example_ledger, "--to", "csv", "-o", out)[0] == 0
    code, _, err = run_cli("check", out)
    assert code == 1
    problems = err.splitlines()[:-1]    # the summary line last
    assert len(problems) == 1 and "export of a ledger" in problems[0]
    assert problems[0].startswith(f"{out}:1: ") and "import" in problems[0]
    parquet = tmp_path / "e.parquet"
    assert run_cli("export", example_ledger, "--to", "parquet", "-o", parquet)[0] == 0
    code, _, err = run_cli("check", parquet)
    assert code == 1 and "export of a ledger" in err
    code, _, err = run_cli("balance", out)
    assert code == 1 and "export of a ledger" in err
    # a user's own 'value' or 'rate' column is no export: its error says it
    bulk = tmp_path / "b.csv"
    bulk.write_text("id,date,funder,purpose,amount,currency,value,rate,doc\n"
                    "a,2015-01-01,UK:F,P:Q,10,GBP,10,1,x\n", encoding="utf-8")
    code, _, err = run_cli("check", bulk)
    assert "export of a ledger" not in err
    assert all(f"unknown column '{c}'" in err for c in ("value", "rate", "doc"))
    # the import reads the export back to the same balance
    new = tmp_path / "new.toml"
    assert run_cli("import", out, "-o", new)[0] == 0
    assert run_cli("balance", new)[1] == run_cli("balance", example_ledger)[1]


def test_a_split_entrys_own_amount_is_bounded_in_places(tmp_path, run_cli):
    """A journal entry written with split tables states its amount: one
    with more places than any currency has is refused at its line, as an
    entry without parts is, not read as no amount (its parts' £10
    counted, the stated £10.0000000001 dropped silently)."""
    j = tmp_path / "j.toml"
    j.write_text('[[entry]]\nid = "x"\ndate = 2016-03-03\nfunder = "UK:Home Office"\n'
                 'amount = "10.0000000001 GBP"\n\n'
                 '[[entry.split]]\npurpose = "Humanitarian"\namount = "7"\n\n'
                 '[[entry.split]]\npurpose = "Security:Fencing"\namount = "3"\n',
                 encoding="utf-8")
    code, _, err = run_cli("check", j)
    assert code == 1
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert errors == [f"{j}:5: entry 'x': error: amount '10.0000000001' has more than 9 "
                      "decimal places (hint: no currency has units that small: round it)"]
