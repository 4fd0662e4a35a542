"""Import: spreadsheets → journal entries; rejects, ids, clashes, round trips."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import ledger
from ledger.errors import LedgerError
from ledger.imports.table import import_table, make_id, parse_dates
from tests.conftest import FIXTURES

HEADER = ["Funder", "Date announced", "Purpose", "Amount", "Currency", "Period", "Status",
          "Source", "Quote"]


def _csv(path: Path, rows, header=HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _rejects(path: Path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


GOOD = [
    ["UK:Home Office", "2016-03-03", "Security:Calais port", "£17 million", "", "", "pledged",
     "https://www.gov.uk/news/calais", "£17 million"],
    ["France:Government", "20 March 2016", "Humanitarian:Calais", "5,000,000", "EUR",
     "over 2 years", "committed", "", ""],
]
BAD = [
    ["UK:Home Office", "03/04/2016", "Humanitarian:Calais", "£1m", "", "", "", "", ""],
    ["UK:Home Office", "2016-02-30", "Humanitarian:Calais", "£1m", "", "", "", "", ""],
    ["UK:Home Office", "2016-01-05", "Humanitarian:Calais", "lots", "", "", "", "", ""],
    ["UK:Home Office", "2016-01-05", "", "£2m", "", "", "maybe", "", ""],
    ["UK:Home Office", "2016-01-05", "Humanitarian:Calais", "€2m", "GBP", "", "", "", ""],
]


def test_import_cli_writes_loadable_entries_and_rejects(tmp_path, run_cli):
    src = _csv(tmp_path / "pledges.csv", GOOD + BAD)
    out = tmp_path / "out.toml"
    code, stdout, err = run_cli("import", src, "-o", out)
    assert code == 0, err
    book = ledger.load(out)
    assert [e.funder for e in book.entries] == ["UK:Home Office", "France:Government"]
    fr = book.entries[1]
    assert (fr.amount, fr.currency, fr.period.describe()) == (Decimal(5_000_000), "EUR", "over 2 years")
    assert book.entries[0].sources[0].quote == "£17 million"
    assert book.documents[book.entries[0].sources[0].doc].url == "https://www.gov.uk/news/calais"
    # every bad row: reported with row and column, and written to the rejects file
    rejects = _rejects(tmp_path / "out.rejects.csv")
    assert [int(r["row"]) for r in rejects] == [4, 5, 6, 7, 8]
    assert rejects[0]["column"] == "Date announced" and "ambiguous" in rejects[0]["reason"]
    assert rejects[1]["column"] == "Date announced" and "not a date" in rejects[1]["reason"]
    assert rejects[2]["column"] == "Amount"
    assert "Status" in rejects[3]["column"] and "Purpose" in rejects[3]["column"]
    assert rejects[4]["column"] == "Currency" and "EUR" in rejects[4]["reason"]
    assert rejects[2]["Amount"] == "lots"      # the original cells are kept
    for r in (4, 5, 6, 7, 8):
        assert f"row {r}" in err
    assert "Traceback" not in err and stdout == ""


def test_ids_generated_stable_and_deduplicated(tmp_path):
    rows = [["UK:Home Office", "2016-03-03", "Security:Calais port", "£17 million"],
            ["UK:Home Office", "2016-03-03", "Humanitarian:Calais", "£17 million"]]
    src = _csv(tmp_path / "a.csv", rows, HEADER[:4])
    one = import_table(src)
    two = import_table(src)
    ids = [e.id for e in one.entries]
    assert ids == [e.id for e in two.entries]
    assert ids[0] == make_id("UK:Home Office", dt.date(2016, 3, 3), "£17 million")
    assert ids[1] == ids[0] + "-2"
    assert ids[0].startswith("uk-home-office-2016-03-03-17m")


def test_import_never_overwrites_and_reports_clashes(tmp_path, run_cli, example_ledger):
    book = tmp_path / "calais"
    shutil.copytree(example_ledger, book)
    before = {p.name: p.read_bytes() for p in book.glob("*.toml")}
    existing = ledger.load(book).entries[0]
    rows = [[existing.id, existing.funder, existing.date.isoformat(), existing.purpose, "£5m"],
            ["new-pledge", "UK:Home Office", "2016-01-01", "Security:Calais port", "£5m"]]
    src = _csv(tmp_path / "b.csv", rows, ["ID", "Funder", "Date", "Purpose", "Amount"])
    code, _, err = run_cli("import", src, "-o", book)
    assert code == 0, err
    assert "already in the ledger" in err and "row 2" in err
    for name, raw in before.items():
        assert (book / name).read_bytes() == raw      # nothing rewritten
    loaded = ledger.load(book)
    assert loaded.entry(existing.id) == existing
    assert loaded.entry("new-pledge").amount == Decimal(5_000_000)
    # importing the same file again: everything clashes, nothing is written, exit 1
    again = (book / "imported.toml").read_bytes()
    code, _, err = run_cli("import", src, "-o", book)
    assert code == 1 and "nothing imported" in err
    assert (book / "imported.toml").read_bytes() == again


def test_round_trip_export_csv_import(tmp_path, run_cli, example_ledger):
    csv_path = tmp_path / "calais.csv"
    assert run_cli("export", example_ledger, "--to", "csv", "-o", csv_path)[0] == 0
    target = tmp_path / "copy"
    target.mkdir()
    for name in ("ledger.toml", "sources.toml"):
        shutil.copy(example_ledger / name, target / name)
    code, _, err = run_cli("import", csv_path, "-o", target)
    assert code == 0, err
    assert ledger.load(target).entries == ledger.load(example_ledger).entries


def test_round_trip_with_splits_and_links(tmp_path, run_cli):
    j = tmp_path / "src.toml"
    j.write_text(
        '[[entry]]\nid = "pkg"\ndate = 2016-03-03\nfunder = "UK:Home Office"\namount = "£17 million"\n'
        'tags = ["a", "b"]\nnotes = "x, y"\n  [[entry.split]]\n  purpose = "Security:Calais port"\n'
        '  amount = "10000000"\n  [[entry.split]]\n  purpose = "Humanitarian:Calais"\n'
        '  amount = "7000000"\n\n[[entry]]\nid = "part"\ndate = 2016-05-01\n'
        'funder = "UK:Home Office"\npurpose = "Humanitarian:Calais"\namount = "£2m"\n'
        'part_of = "pkg"\nrestated = ["€2.5 million"]\n', encoding="utf-8")
    out = tmp_path / "x.csv"
    assert run_cli("export", j, "--to", "csv", "-o", out)[0] == 0
    (tmp_path / "back").mkdir()
    back = tmp_path / "back" / "back.toml"
    code, _, err = run_cli("import", out, "-o", back)
    assert code == 0, err
    assert ledger.load(back).entries == ledger.load(j).entries


def test_xlsx_with_mapping_and_sheet(tmp_path, run_cli):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "notes"
    ws = wb.create_sheet("Pledges")
    ws.append(["Donor org", "When", "For", "Pledge (GBP)", "Doc"])
    ws.append(["UK:DFID", dt.datetime(2015, 9, 7), "Humanitarian:Syria crisis", 100000000, "gov-uk-1"])
    ws.append(["UK:DFID", "07/10/2015", "Humanitarian:Syria crisis", 1.5e6, ""])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    mapping = tmp_path / "map.toml"
    mapping.write_text('date_format = "%d/%m/%Y"\n[columns]\nfunder = "Donor org"\n'
                       'date = "When"\npurpose = "For"\namount = "Pledge (GBP)"\ndoc = "Doc"\n'
                       '[defaults]\ncurrency = "GBP"\nstatus = "committed"\n', encoding="utf-8")
    out = tmp_path / "o.toml"
    code, _, err = run_cli("import", path, "--sheet", "Pledges", "--map", mapping, "-o", out)
    assert code == 0, err
    es = ledger.load(out).entries
    assert [(e.date, e.amount, e.currency, e.status) for e in es] == [
        (dt.date(2015, 9, 7), Decimal(100_000_000), "GBP", "committed"),
        (dt.date(2015, 10, 7), Decimal(1_500_000), "GBP", "committed")]
    code, _, err = run_cli("import", path, "--sheet", "Nope", "-o", tmp_path / "z.toml")
    assert code == 1 and "Pledges" in err


def test_dry_run_writes_nothing(tmp_path, run_cli):
    src = _csv(tmp_path / "d.csv", GOOD)
    out = tmp_path / "d.toml"
    code, stdout, err = run_cli("import", src, "-o", out, "--dry-run")
    assert code == 0, err
    assert not out.exists() and "[[entry]]" in stdout
    import tomllib
    assert len(tomllib.loads(stdout)["entry"]) == 2


@pytest.mark.parametrize("content,needle", [
    (None, "no such file"),
    (b"\x00\x01binary", "binary"),
    (b"Funder,Purpose\nUK,X\n", "no column for 'date'"),
    (b"", "cannot read"),
])
def test_bad_files_one_clear_line(tmp_path, run_cli, content, needle):
    src = tmp_path / "bad.csv"
    if content is not None:
        src.write_bytes(content)
    code, _, err = run_cli("import", src, "-o", tmp_path / "o.toml")
    assert code == 1
    assert needle in err and "Traceback" not in err
    assert not (tmp_path / "o.toml").exists()


def test_nothing_importable_exits_1_with_rejects(tmp_path, run_cli):
    src = _csv(tmp_path / "all-bad.csv", BAD)
    code, _, err = run_cli("import", src, "-o", tmp_path / "o.toml")
    assert code == 1 and "nothing imported" in err
    assert not (tmp_path / "o.toml").exists()
    assert len(_rejects(tmp_path / "o.rejects.csv")) == len(BAD)


def test_duplicate_row_and_bad_link_rejected(tmp_path):
    rows = [["a1", "UK", "2015-01-01", "P", "£1m", ""],
            ["a1", "UK", "2015-01-01", "P", "£1m", ""],
            ["a2", "UK", "2015-01-02", "P", "£1m", "missing-id"],
            ["a1", "UK", "2015-02-02", "Q", "£3m", ""]]
    src = _csv(tmp_path / "l.csv", rows, ["id", "funder", "date", "purpose", "amount", "disburses"])
    res = import_table(src)
    # the rows of a1 apart: neither is imported as if it were all of a1
    assert [e.id for e in res.entries] == []
    reasons = {r.line: r.message for r in res.rejects}
    assert "duplicate row" in reasons[3]
    assert "missing entry" in reasons[4]
    assert all("duplicate id" in reasons[r] and "not next to each other" in reasons[r]
               for r in (2, 5))
    # each reject names its column by the problem's code, not by its wording
    columns = {r.line: r.column for r in res.rejects}
    assert (columns[4], columns[5]) == ("disburses", "id")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)),
                          st.integers(1, 10**12), st.sampled_from(["GBP", "EUR", "USD", "JPY"])),
                min_size=1, max_size=8))
def test_generated_rows_round_trip(tmp_path_factory, rows):
    d = tmp_path_factory.mktemp("h")
    src = _csv(d / "g.csv", [[f"F{i}", day.isoformat(), "Purpose", str(n), cur]
                             for i, (day, n, cur) in enumerate(rows)],
               ["funder", "date", "purpose", "amount", "currency"])
    res = import_table(src)
    assert not res.rejects
    (d / "g.toml").write_text(res.text, encoding="utf-8")
    back = ledger.load(d / "g.toml").entries
    assert [(e.date, e.amount, e.currency) for e in back] == [(day, Decimal(n), cur)
                                                              for day, n, cur in rows]


def test_parse_dates_vectorised():
    import pandas as pd

    dates, reasons = parse_dates(pd.Series(["2015-07-30", "30 July 2015", "", "7/30/2015", "x"]))
    assert list(dates[:2]) == [dt.date(2015, 7, 30)] * 2
    assert reasons[2] == "no date" and "ambiguous" in reasons[3] and "not a date" in reasons[4]
    dates, reasons = parse_dates(pd.Series(["30/07/2015"]), "%d/%m/%Y")
    assert dates[0] == dt.date(2015, 7, 30) and reasons[0] == ""


@pytest.mark.parametrize("header, delimiter", [
    ("id,date,funder,amount", ","),
    ("id;date;funder;amount", ";"),
    ("id\tdate\tfunder\tamount", "\t"),
    ("id|date|funder|amount", "|"),
    ('"Funder; donor";date;amount', ";"),          # a delimiter inside a quoted name does not count
    ('"a,b,c";"d";"e";"f"', ";"),
    ("amount", ","),                                 # one column: the default
    ("", ","),
])
def test_the_delimiter_is_read_from_the_header(header, delimiter):
    from ledger.imports.table import guess_delimiter
    assert guess_delimiter(header) == delimiter


def test_a_huge_odd_header_is_read_in_one_pass(tmp_path):
    """csv.Sniffer's regexes can backtrack for minutes on a long line of quotes
    and spaces; the header's delimiter is counted in one pass instead."""
    import signal
    from ledger.imports.table import guess_delimiter

    def fire(*_):
        raise TimeoutError("the delimiter guess hung")
    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(20)
    try:
        assert guess_delimiter(('"a ' + " " * 40) * 25_000 + ";x") == ";"
        f = tmp_path / "odd.csv"
        f.write_text('"' * 200_000 + "\n", encoding="utf-8")
        from ledger.imports.table import import_table
        try:
            import_table(f)
        except LedgerError:
            pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_nothing_imported_into_a_new_folder_makes_no_ledger(tmp_path, run_cli):
    """Table and FTS imports alike: the rejects go beside the folder, which is
    not made; a second run never overwrites the first's rejects."""
    import json

    src = _csv(tmp_path / "all-bad.csv", BAD)
    flows = tmp_path / "flows.json"
    flows.write_text(json.dumps({"data": {"flows": [{"amountUSD": 5}, {"id": ""}]}}),
                     encoding="utf-8")
    for args, n in ((("import", src), len(BAD)), (("import", "--from", "fts", flows), 2)):
        for run, name in ((1, "new.rejects.csv"), (2, "new.rejects-2.csv")):
            code, _, err = run_cli(*args, "-o", tmp_path / "new")
            assert code == 1 and "Traceback" not in err, err
            assert not (tmp_path / "new").exists()
            assert len(_rejects(tmp_path / name)) == n, (args, run)
            assert name in err
        (tmp_path / "new.rejects.csv").unlink()
        (tmp_path / "new.rejects-2.csv").unlink()


def test_each_journal_file_is_parsed_once(tmp_path, run_cli, monkeypatch):
    """Deciding which TOML files are the ledger's and reading them share one
    read and parse per file (a large ledger was parsed twice, once by pure-Python
    tomllib); a .toml linked from outside the folder is refused, not read, and
    the import with it (fix33: the ledger's ids cannot all be read)."""
    import ledger.safe_io as safe_io

    book = tmp_path / "book"
    assert run_cli("import", _csv(tmp_path / "a.csv", GOOD), "-o", book)[0] == 0
    (tmp_path / "outside.toml").write_text("[ledger]\nname = 'elsewhere'\n", encoding="utf-8")
    (book / "link.toml").symlink_to(tmp_path / "outside.toml")
    seen = []
    real = safe_io.read_bytes

    def read_bytes(path, **kw):
        if kw.get("what") == "journal file":
            seen.append(Path(path))
        return real(path, **kw)
    monkeypatch.setattr(safe_io, "read_bytes", read_bytes)
    flows = FIXTURES / "fts" / "flows.json"
    before = {f: f.read_bytes() for f in book.rglob("*") if f.is_file()}
    code, _, err = run_cli("import", "--from", "fts", flows, "-o", book, "-n")
    assert code == 1 and "link.toml: a symbolic link to" in err and "nothing written" in err, err
    # each read once at most (outside.toml too: it sits in the folder above,
    # read to tell whether that folder is a ledger, fix33b)
    assert len(seen) == len(set(seen))
    assert {f: f.read_bytes() for f in book.rglob("*") if f.is_file()} == before


def test_an_output_under_a_file_is_refused_first_for_every_import(tmp_path, run_cli):
    blocker = tmp_path / "blk"
    blocker.write_text("x", encoding="utf-8")
    src = _csv(tmp_path / "a.csv", GOOD)
    flows = FIXTURES / "fts" / "flows.json"
    for args in (("import", src), ("import", "--from", "fts", flows)):
        for out in (blocker / "sub", blocker / "sub" / "x.toml"):
            code, _, err = run_cli(*args, "-o", out)
            assert code == 1 and f"-o {out}: {blocker} is not a folder" in err, err
            assert len(err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.rejects*.csv"))


SPLIT_HEADER = ["id", "date", "funder", "purpose", "amount", "currency"]


def test_rows_of_one_id_next_to_each_other_are_one_split_entry(tmp_path, run_cli):
    """``check s.csv`` reads the rows of one id next to each other as one
    entry split between purposes (the bulk format); the spreadsheet import
    of the same file reads them so too, into a journal and a dataset."""
    rows = [["s1", "2019-03-01", "UK", "Health", "60", "GBP"],
            ["s1", "2019-03-01", "UK", "Shelter", "40.5", "GBP"],
            ["s2", "2019-04-01", "France", "Port", "30", "EUR"]]
    src = _csv(tmp_path / "s.csv", rows, SPLIT_HEADER)
    # what the bulk reader (check) makes of the file
    bulk = ledger.load(src)
    assert {e.id: (e.amount, [(p.purpose, p.amount) for p in e.splits])
            for e in bulk.entries} == {
        "s1": (Decimal("100.5"), [("Health", Decimal("60")), ("Shelter", Decimal("40.5"))]),
        "s2": (Decimal("30"), [])}
    res = import_table(src)
    assert not res.rejects
    assert [(e.id, e.amount, [(p.purpose, p.amount) for p in e.splits]) for e in res.entries] \
        == [("s1", Decimal("100.5"), [("Health", Decimal("60")), ("Shelter", Decimal("40.5"))]),
            ("s2", Decimal("30"), [])]
    code, _, err = run_cli("import", src, "--to", tmp_path / "D.parquet")
    assert code == 0 and "0 rejected" in err, err
    code, out, err = run_cli("balance", tmp_path / "D.parquet", "--format", "csv")
    assert "Purposes:Shelter,GBP,40.5" in out.splitlines(), out


def test_a_split_entrys_rows_that_differ_are_refused_whole(tmp_path):
    """Rows of one id next to each other that differ in more than purpose
    and amount: ``check`` refuses the entry, and so does the import: every
    row of it, the reason naming the split reading and what to do."""
    rows = [["s1", "2019-03-01", "UK", "Health", "60", "GBP"],
            ["s1", "2019-03-01", "France", "Shelter", "40", "GBP"],
            ["s2", "2019-04-01", "France", "Port", "30", "EUR"]]
    src = _csv(tmp_path / "s.csv", rows, SPLIT_HEADER)
    assert any(p.entry_id == "s1" and "funder" in p.message
               for p in ledger.read_book(src).errors)
    res = import_table(src)
    assert [e.id for e in res.entries] == ["s2"]
    reasons = {r.line: r.message for r in res.rejects}
    assert sorted(reasons) == [2, 3]
    assert "one entry split between purposes, as 'ledger-tool check' reads the file" in reasons[3]
    assert "differ in funder" in reasons[3] and "give this row its own id" in reasons[3]
    assert "refused at row 3" in reasons[2]


@pytest.mark.parametrize("bad", [
    ["s1", "2019-03-01", "UK", "Shelter", "40 quid", "GBP"],     # a share refused on its own
    ["s1", "2019-13-01", "UK", "Shelter", "40", "GBP"],          # a date refused on its own
    ["s1", "2019-03-01", "UK", "Shelter", "1e1000000", "GBP"],   # no sum may see it
    ["s1", "2019-03-01", "UK", "Shelter", "sNaN", "GBP"]])
@pytest.mark.parametrize("first", [True, False])
def test_a_split_entry_with_one_bad_row_is_refused_whole(tmp_path, run_cli, bad, first):
    """A row of a split entry refused for its own reason takes the entry's
    other rows with it, before or after it: ``check`` refuses the entry, and
    the import must not keep the other rows as if they were all of the
    pledge (it kept GBP 60 of 100); hostile shares never reach a sum (a
    traceback before)."""
    good = ["s1", "2019-03-01", "UK", "Health", "60", "GBP"]
    rows = [bad, good] if first else [good, bad]
    src = _csv(tmp_path / "s.csv", rows + [["s2", "2019-04-01", "France", "Port", "30", "EUR"]],
               SPLIT_HEADER)
    assert "s1" in {p.entry_id for p in ledger.read_book(src).errors}
    res = import_table(src)
    assert [e.id for e in res.entries] == ["s2"]
    assert sorted(r.line for r in res.rejects) == [2, 3]
    code, _, err = run_cli("import", src, "--to", tmp_path / "D.parquet")
    assert code == 0 and "Traceback" not in err and "2 rejected" in err, err


@pytest.mark.parametrize("header", [SPLIT_HEADER, SPLIT_HEADER + ["amount_text", "entry_amount"]])
@pytest.mark.parametrize("rows, at_fault, said", [
    # the rules refuse the second row's purpose, its share, the entry's currency
    ([["s1", "2019-03-01", "UK", "Health", "10", "GBP"],
      ["s1", "2019-03-01", "UK", "Hum\x07x", "30", "GBP"]], 3, "'Hum\\x07x'"),
    ([["s1", "2019-03-01", "UK", "Health", "10", "GBP"],
      ["s1", "2019-03-01", "UK", "Port", "NaN", "GBP"]], 3, "'NaN'"),
    ([["s1", "2019-03-01", "UK", "Health", "10", "XXX"],
      ["s1", "2019-03-01", "UK", "Port", "30", "XXX"]], 2, "'XXX'")])
def test_a_split_entry_refused_by_the_rules_is_refused_on_each_row(tmp_path, run_cli, header,
                                                                   rows, at_fault, said):
    """When the rules refuse an entry given over several rows, every row of
    it is in the rejects file: the reason at the row it comes from, the
    others refused with it (only the first row was, at times naming the
    other row's purpose; the second row was in neither the journal nor the
    rejects file)."""
    other = ["s2", "2019-03-02", "FR", "Port", "40", "EUR"]
    if "entry_amount" in header:   # as the export writes a split entry: its whole on each row
        rows = [r + ["40", "40"] for r in rows]
        other = other + ["40", "40"]
    src = _csv(tmp_path / "s.csv", rows + [other], header)
    res = import_table(src)
    assert [e.id for e in res.entries] == ["s2"]
    reasons = {r.line: r.message for r in res.rejects}
    assert sorted(reasons) == [2, 3]
    assert said in reasons[at_fault]
    assert f"refused at row {at_fault}" in reasons[5 - at_fault]
    code, _, err = run_cli("import", src, "-o", tmp_path / "j.toml")
    assert code == 0 and "2 row(s) rejected" in err, err
    assert [r["row"] for r in _rejects(tmp_path / "j.rejects.csv")] == ["2", "3"]


@pytest.mark.parametrize("id_last", [False, True])
def test_a_malformed_row_inside_a_split_entry_refuses_it_whole(tmp_path, run_cli, id_last):
    """A row with a cell too many (an unquoted thousands comma) inside a
    split entry is refused as malformed, and so is the entry around it: it
    was skipped like a blank line and s1 written with 40 of its 1,040. Its
    id is read at the id column from either side of the stray cell."""
    rows = ["s1,2019-03-01,UK,Health,10,GBP", "s1,2019-03-01,UK,Shelter,1,000,GBP",
            "s1,2019-03-01,UK,Port,30,GBP", "s2,2019-03-02,FR,Port,40,EUR"]
    header = ",".join(SPLIT_HEADER)
    if id_last:   # the id after the stray cell: "1,000" shifts it one to the right
        header = ",".join(SPLIT_HEADER[1:] + ["id"])
        rows = [r.split(",", 1)[1] + "," + r.split(",", 1)[0] for r in rows]
    src = tmp_path / "m.csv"
    src.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    res = import_table(src)
    assert [(e.id, e.amount) for e in res.entries] == [("s2", Decimal("40"))]
    reasons = {r.line: r.message for r in res.rejects}
    assert sorted(reasons) == [2, 3, 4]
    assert "7 cells, the header has 6" in reasons[3]
    assert all("refused at row 3" in reasons[r] for r in (2, 4)), reasons
    code, _, err = run_cli("import", src, "--to", tmp_path / "d.parquet")
    assert code == 0 and "3 rejected" in err, err
    listed = [r["where"].split(": ")[0]
              for r in _rejects(tmp_path / "d.parquet" / "_rejects.csv")]
    assert listed == ["row 2", "row 3", "row 4"]


def test_cells_merged_down_a_split_entry_hold_for_each_of_its_rows(tmp_path):
    """An XLSX whose id, date, funder and currency are merged down the rows
    of a split entry: the rows are one entry with its whole amount, as the
    sheet shows it (s1 was imported with 10 of 40, its second row refused
    as "no date" and never said to be s1's). An amount merged down the rows
    is not given to each row (the pledge counted once per row): the entry
    is refused whole; cells merged across columns, or in a column the
    import does not read, are left as the file holds them."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(SPLIT_HEADER + ["Region"])
    ws.append(["s1", "2019-03-01", "UK", "Health", 10, "GBP", "North"])
    ws.append([None, None, None, "Port", 30, None, None])
    ws.append(["s2", "2019-03-02", "FR", "Port", 40, "EUR", "South"])
    ws.append(["s3", "2019-03-03", "FR", "Port", 50, "EUR", "West"])
    for col in "ABCFG":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("G4:H4")      # across columns, one the import does not read
    wb.save(tmp_path / "m.xlsx")
    res = import_table(tmp_path / "m.xlsx")
    assert not res.rejects, res.messages()
    assert [(e.id, e.amount, [(p.purpose, p.amount) for p in e.splits]) for e in res.entries] \
        == [("s1", Decimal("40"), [("Health", Decimal("10")), ("Port", Decimal("30"))]),
            ("s2", Decimal("40"), []), ("s3", Decimal("50"), [])]
    # a source merged down the rows is the entry's; an id named through a
    # mapping file is filled down as one named by the header
    ws["G1"] = "Source"
    wb.save(tmp_path / "source.xlsx")
    res = import_table(tmp_path / "source.xlsx")
    assert [(e.id, e.amount, [s.doc for s in e.sources]) for e in res.entries][0][:2] \
        == ("s1", Decimal("40"))
    assert len(res.entries[0].sources) == 1 and not res.rejects, res.messages()
    ws["A1"] = "Pledge No"
    wb.save(tmp_path / "mapped.xlsx")
    res = import_table(tmp_path / "mapped.xlsx", mapping={"columns": {"id": "Pledge No"}})
    assert [(e.id, e.amount) for e in res.entries][0] == ("s1", Decimal("40"))
    ws["A1"], ws["G1"] = SPLIT_HEADER[0], "Region"
    # one pledge of 40 for two purposes, its amount merged: not 80
    ws["E2"], ws["E3"] = 40, None
    ws.merge_cells("E2:E3")
    wb.save(tmp_path / "amount.xlsx")
    res = import_table(tmp_path / "amount.xlsx")
    assert [e.id for e in res.entries] == ["s2", "s3"]
    assert sorted({r.line for r in res.rejects}) == [2, 3]


_DAMAGE = {"": lambda p, a: (p, a), "amount": lambda p, a: (p, "abc"),
           "malformed": lambda p, a: (p, f"1,{a:03d}"), "control": lambda p, a: (p + "\x07", a)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.lists(st.tuples(st.integers(1, 999), st.sampled_from(sorted(_DAMAGE))),
                                min_size=1, max_size=3),
                        min_size=1, max_size=5),
       move=st.integers(0, 20))
def test_an_entry_over_several_rows_is_imported_whole_or_refused_whole(tmp_path_factory, entries,
                                                                       move):
    """Whatever is wrong with which row (a bad share, a cell too many, a
    control character, a row moved away from its id's others), each id is
    either imported with the sum of all its rows' shares, computed here
    from the rows written, or refused on every one of its rows."""
    lines, rows_of, total = [], {}, {}
    for k, parts in enumerate(entries):
        for j, (share, damage) in enumerate(parts):
            purpose, amount = _DAMAGE[damage](f"P{j}", share)
            lines.append((f"e{k}", f"e{k},2019-03-0{1 + k % 9},UK,{purpose},{amount},GBP"))
    if move and len(lines) > 2:   # one row moved elsewhere: its id's rows may end up apart
        lines.insert(move % len(lines), lines.pop(move % (len(lines) - 1)))
    for n, (eid, line) in enumerate(lines, 2):
        rows_of.setdefault(eid, set()).add(n)
        cells = line.split(",")
        total[eid] = total.get(eid, 0) + (int(cells[4]) if cells[4].isdigit() and len(cells) == 6
                                          and cells[3].isalnum() else 10**9)
    src = tmp_path_factory.mktemp("whole") / "s.csv"
    src.write_text(",".join(SPLIT_HEADER) + "\n" + "\n".join(ln for _, ln in lines) + "\n",
                   encoding="utf-8")
    res = import_table(src)
    rejected = {r.line for r in res.rejects}
    got = {e.id: e.amount for e in res.entries}
    for eid, rows in rows_of.items():
        if eid in got:
            assert got[eid] == total[eid] and not rows & rejected, (eid, lines, res.messages())
        else:
            assert rows <= rejected, (eid, lines, res.messages())


def test_a_copied_row_does_not_cut_a_split_entry_in_two(tmp_path):
    """A row repeated cell for cell is refused as a copy, and the rows of its
    id on either side stay one entry: refused whole when one of them is bad
    (the row after the copy was kept as if it were all of the pledge),
    kept whole when none is."""
    bad = ["s1", "2019-03-01", "UK", "Shelter", "abc", "GBP"]
    rows = [["s1", "2019-03-01", "UK", "Health", "10", "GBP"], bad, bad,
            ["s1", "2019-03-01", "UK", "Port", "30", "GBP"]]
    res = import_table(_csv(tmp_path / "a.csv", rows, SPLIT_HEADER))
    assert res.entries == [] and sorted(r.line for r in res.rejects) == [2, 3, 4, 5]
    good = ["s1", "2019-03-01", "UK", "Shelter", "20", "GBP"]
    rows = [rows[0], good, good, rows[3]]
    res = import_table(_csv(tmp_path / "b.csv", rows, SPLIT_HEADER))
    assert [(e.id, e.amount) for e in res.entries] == [("s1", Decimal("60"))]
    assert [r.line for r in res.rejects] == [4]


def test_a_dataset_import_lists_the_rejects_by_row_as_a_journal_import(tmp_path, run_cli):
    """The same spreadsheet's rejects in the same order whether it goes to a
    journal (-o) or a dataset (--to): by row, in the messages and in the
    rejects file (a split entry refused at its second row was listed before
    its first row, a copy after both)."""
    bad = ["s1", "2019-03-01", "UK", "Shelter", "abc", "GBP"]
    rows = [["s1", "2019-03-01", "UK", "Health", "10", "GBP"], bad, bad,
            ["s1", "2019-03-01", "UK", "Port", "30", "GBP"],
            ["s2", "2019-03-02", "FR", "Port", "40", "EUR"]]
    src = _csv(tmp_path / "a.csv", rows, SPLIT_HEADER)
    lines = {}
    for how in (("-o", tmp_path / "j.toml"), ("--to", tmp_path / "d.parquet")):
        code, _, err = run_cli("import", src, *how)
        assert code == 0, err
        lines[how[0]] = [int(ln.split(": row ")[1].split(":")[0]) for ln in err.splitlines()
                         if ": row " in ln and "warning" not in ln]
    assert lines["-o"] == lines["--to"] == [2, 3, 4, 5]
    listed = [r["where"].split(": ")[0]
              for r in _rejects(tmp_path / "d.parquet" / "_rejects.csv")]
    assert listed == ["row 2", "row 3", "row 4", "row 5"]


def test_a_dataset_import_says_its_rejects_as_a_journal_import(tmp_path, run_cli):
    """-o and --to say a rejected row alike: its row, its column, the entry
    (the row's id) and what is wrong; the dataset's rejects file too."""
    src = _csv(tmp_path / "a.csv", [["s1", "2019-03-01", "UK", "Shelter", "abc", "GBP"],
                                    ["s2", "2019-13-02", "FR", "Port", "40", "EUR"],
                                    ["s3", "2019-03-02", "FR", "Port", "40", "EUR"]],
               SPLIT_HEADER)
    said = {}
    for how in (("-o", tmp_path / "j.toml"), ("--to", tmp_path / "d.parquet")):
        code, _, err = run_cli("import", src, *how)
        assert code == 0, err
        said[how[0]] = [ln for ln in err.splitlines() if ": row " in ln and "warning: " not in ln]
    assert said["-o"] == said["--to"]
    assert [ln.split(f"{src}: ")[1].split(": ")[:3] for ln in said["--to"]] == [
        ["row 2", "column 'amount'", "entry 's1'"], ["row 3", "column 'date'", "entry 's2'"]]
    listed = _rejects(tmp_path / "d.parquet" / "_rejects.csv")
    assert [(r["where"], r["reason"].split(": ")[0]) for r in listed] == [
        ("row 2: column 'amount'", "entry 's1'"), ("row 3: column 'date'", "entry 's2'")]


@pytest.mark.parametrize("header", [SPLIT_HEADER, SPLIT_HEADER + ["amount_text", "entry_amount"]])
def test_rows_of_one_id_apart_are_said_to_be_apart(tmp_path, header):
    """A file sorted by purpose puts the rows of a split entry apart: each
    refused row says, in one line with its file, row and id, that the rows
    of that id are not next to each other and where they are (before: a
    bare "duplicate id" or "split does not add up"), and no row of it is
    imported (the first was, as if its part were all of the pledge)."""
    rows = [["s1", "2019-03-01", "UK", "Health", "10", "GBP"],
            ["s2", "2019-03-02", "FR", "Port", "40", "EUR"],
            ["s1", "2019-03-01", "UK", "Port", "30", "GBP"]]
    if "entry_amount" in header:   # as the export writes a split entry: its whole on each row
        rows = [r + (["£40", "40"] if r[0] == "s1" else ["€40", "40"]) for r in rows]
    src = _csv(tmp_path / "sorted.csv", rows, header)
    res = import_table(src)
    at = [n for n, r in enumerate(rows, 2) if r[0] == "s1"]
    said = res.messages()
    assert [e.id for e in res.entries] == ["s2"]
    assert sorted(r.line for r in res.rejects) == at
    refused = [m for m in said if "'s1'" in m]
    assert len(refused) == len(at)
    assert refused and all(f"{src}: row " in m and "\n" not in m for m in refused)
    assert all(f"not next to each other (rows {at[0]}, {at[1]})" in m for m in refused), said


def test_an_import_makes_only_the_warnings_it_shows(tmp_path, run_cli, monkeypatch):
    """Rows without sources each get a warning: all are counted in the
    summary, but only the lines shown are made (before: a message for every
    row, a million for a million rows)."""
    import ledger_tool.import_data as import_data

    n = 40
    rows = [[f"e{i}", "2019-03-01", "UK", f"P{i}", str(100 + i), "GBP"] for i in range(n)]
    src = _csv(tmp_path / "nosources.csv", rows, SPLIT_HEADER)
    made = []
    line = import_data._line
    monkeypatch.setattr(import_data, "_line", lambda pr: made.append(pr) or line(pr))
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", "3")
    code, _, err = run_cli("import", src, "-o", tmp_path / "j.toml")
    assert code == 0, err
    assert err.count("no source") == 3 and f"and {n - 3} more message(s) not shown" in err
    assert f"{n} entries written to" in err and f"{n} warning(s)" in err
    assert len(made) == 3


def test_a_tag_with_a_control_character_is_refused_as_check_refuses_it(tmp_path, run_cli):
    """A spreadsheet's tags are trimmed of spaces only: a control character
    reaches the tag rule (check of the same file as a bulk ledger refuses
    it), not stripped away; commas and line breaks still separate tags."""
    f = tmp_path / "t.csv"
    f.write_text('id,date,funder,purpose,amount,currency,tags\n'
                 's1,2015-01-01,UK:F,P:Q,10,GBP,"a\x1f;\tb"\n'
                 's2,2015-01-01,UK:F,P:R,10,GBP,"c, d"\n'
                 's3,2015-01-01,UK:F,P:S,10,GBP,e\x1f\n'       # at a cell's ends too
                 's4,2015-01-01,UK:F,P:T,10,GBP,\x1ff\n', encoding="utf-8")
    code, _, err = run_cli("check", f)
    assert code == 1 and "'a\\x1f'" in err
    out = tmp_path / "o.toml"
    code, _, err = run_cli("import", f, "-o", out)
    assert "row 2: column 'tags': entry 's1': tag 'a\\x1f' holds a control" in err
    text = out.read_text(encoding="utf-8")
    assert 'id = "s1"' not in text and 'tags = ["c", "d"]' in text
    assert "entry 's3': tag 'e\\x1f'" in err and "entry 's4': tag '\\x1ff'" in err
    assert 'id = "s3"' not in text and 'id = "s4"' not in text


def test_rejected_rows_are_counted_once_in_both_summaries(tmp_path, run_cli):
    """A copy of a row with a bad date is refused for both (the date, the
    copy): two rows rejected for three reasons, for -o and --to alike
    (--to counted its messages: 3)."""
    bad = ["s1", "2019-13-01", "UK", "Shelter", "10", "GBP"]
    src = _csv(tmp_path / "a.csv", [bad, bad, ["s2", "2019-03-02", "FR", "Port", "40", "EUR"]],
               SPLIT_HEADER)
    _, _, err = run_cli("import", src, "-o", tmp_path / "j.toml")
    assert "2 row(s) rejected" in err, err
    _, _, err = run_cli("import", src, "--to", tmp_path / "d.parquet")
    assert ", 2 rejected, " in err, err
    assert len(_rejects(tmp_path / "d.parquet" / "_rejects.csv")) == 3    # every reason kept


def test_a_spreadsheet_import_makes_no_entry(tmp_path, run_cli, example_ledger, monkeypatch):
    """A spreadsheet import checks its rows and hands the accepted ones on
    as rows of their checked tables (``rows.EntryRow``): no ``Entry`` is
    made from the start of the command (issue 24), into a ledger (a split
    entry over two rows, a citation of a new document, a row refused) or a
    dataset.  What it writes is what the rows say."""
    from ledger.model import Entry

    book = tmp_path / "calais"
    shutil.copytree(example_ledger, book)
    rows = [["s1", "2019-03-01", "UK:F", "Shelter", "10", "GBP", "https://example.org/a", "10"],
            ["s1", "2019-03-01", "UK:F", "Food", "30", "GBP", "https://example.org/a", "10"],
            ["s2", "2019-13-01", "UK:F", "Port", "40", "EUR", "", ""],
            ["s3", "2019-03-02", "FR", "Port", "£5m", "", "", ""]]
    src = _csv(tmp_path / "a.csv", rows, SPLIT_HEADER + ["source", "quote"])

    def refused(self, *args, **kwargs):
        raise AssertionError("an Entry was made")
    monkeypatch.setattr(Entry, "__init__", refused)
    code, _, err = run_cli("import", src, "-o", book)
    assert code == 0, err
    code, _, err2 = run_cli("import", src, "--to", tmp_path / "d.parquet")
    monkeypatch.undo()
    assert code == 0, err2
    assert "2 entries written" in err and "1 row(s) rejected" in err, err
    got = ledger.load(book)
    assert [(s.purpose, s.amount) for s in got.entry("s1").splits] == [
        ("Shelter", Decimal(10)), ("Food", Decimal(30))]
    assert got.entry("s1").amount == Decimal(40) and got.entry("s1").sources[0].quote == "10"
    assert (got.entry("s3").amount, got.entry("s3").currency) == (Decimal(5_000_000), "GBP")
    assert "s2" not in {e.id for e in got.entries}
