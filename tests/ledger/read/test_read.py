"""``ledger.load`` reads every ledger format, and every command takes each
(issue 13): the reader is chosen by the input, not by its size; ``check``
counts the true entries and documents; list / balance / report / export give
the same figures whichever format the same ledger comes in."""
from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import GENERATED_ENTRIES as N, REPO

FORMATS = ("journal", "csv", "parquet")


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    monkeypatch.setenv("LEDGER_TOOL_CACHE", "off")


def _path(big: Path, fmt: str) -> Path:
    return {"journal": big, "csv": big / "entries.csv", "parquet": big / "entries.parquet"}[fmt]


def test_format_is_chosen_by_the_input(big, tmp_path):
    from ledger.read import ledger_format

    assert ledger_format(big) == ("journal", "")
    assert ledger_format(big / "sources.toml") == ("journal", "")
    assert ledger_format(big / "entries.csv") == ("csv", "")
    assert ledger_format(big / "entries.parquet") == ("parquet", "")
    # no telling suffix: the first bytes decide
    shutil.copy(big / "entries.csv", tmp_path / "export.txt")
    shutil.copy(big / "entries.parquet", tmp_path / "data.bin")
    assert ledger_format(tmp_path / "export.txt")[0] == "csv"
    assert ledger_format(tmp_path / "data.bin")[0] == "parquet"
    (tmp_path / "notes.txt").write_text("hello\n")
    fmt, why = ledger_format(tmp_path / "notes.txt")
    assert fmt is None and "TOML journal" in why and ".csv or .parquet" in why
    assert ledger_format(tmp_path / "missing.csv") == (None, "no such file or folder")


def test_a_bulk_file_without_its_suffix_is_read_as_its_format(big, tmp_path):
    """A file known by its first bytes is read as that format by every way
    of reading a ledger (a Parquet file named .bin was read as CSV)."""
    from ledger.read import load_frame, read_book

    shutil.copy(big / "entries.csv", tmp_path / "export.txt")
    shutil.copy(big / "entries.parquet", tmp_path / "data.bin")
    ids = {r["id"] for r in csv.DictReader(io.StringIO(
        (big / "entries.csv").read_text(encoding="utf-8")))}
    for name in ("export.txt", "data.bin"):
        book = read_book(tmp_path / name)
        assert not book.errors, book.errors[:3]
        assert len(book) == len(ids)
        frame = load_frame(tmp_path / name)
        assert frame.entries == len(ids) and frame.problems == book.problems


def test_a_small_bulk_csv_is_read_as_a_table_not_as_toml(big, tmp_path, run_cli):
    lines = (big / "entries.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    small = tmp_path / "few.csv"
    small.write_text("".join(lines[:6]), encoding="utf-8")
    ids = {r["id"] for r in csv.DictReader(io.StringIO("".join(lines[:6])))}
    code, out, err = run_cli("check", str(small))
    assert "TOML" not in err
    assert code == 0, err
    assert f"{small}: {len(ids)} entries, 0 documents, 0 error(s)" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_counts_the_true_entries_whatever_the_format(big, fmt, run_cli):
    code, out, err = run_cli("check", str(_path(big, fmt)))
    assert code == 0, err
    docs = 0 if fmt != "journal" else len(__import__("ledger").load(big).documents)
    assert f": {N} entries, {docs} documents, 0 error(s)" in out


def test_a_big_bulk_file_counts_its_entries(big, tmp_path, monkeypatch, run_cli):
    """The size threshold of the journal's column reader never decides
    the format (a >= 4 MB bulk CSV used to report 0 entries)."""
    import ledger.read.journal_columns as jf
    monkeypatch.setattr(jf, "MIN_BYTES", 1)
    code, out, err = run_cli("check", str(big / "entries.csv"))
    assert code == 0, err
    assert f"{N} entries" in out


def test_what_is_not_a_ledger_is_refused_in_one_line(tmp_path, run_cli):
    (tmp_path / "notes.txt").write_text("hello\n")
    for cmd in (["check"], ["list"], ["balance"], ["export", "--to", "hledger", "-o", "-"]):
        code, out, err = run_cli(*cmd, str(tmp_path / "notes.txt"))
        assert code == 1 and out == ""
        lines = [ln for ln in err.splitlines() if "cannot tell what kind of ledger" in ln]
        assert len(lines) == 1 and "notes.txt" in lines[0]
        assert "Traceback" not in err


def _csv(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.parametrize("args", [
    ("list", "--format", "csv"),
    ("list", "--format", "json", "--funder", "UK"),
    ("balance", "--format", "csv"),
    ("balance", "--format", "csv", "--depth", "2", "--status", "pledged"),
    ("balance", "--currency", "GBP", "--format", "csv", "--by", "year"),
])
def test_commands_give_the_same_output_from_every_format(big, run_cli, args):
    outs = {}
    for fmt in FORMATS:
        code, out, err = run_cli(args[0], str(_path(big, fmt)), *args[1:])
        assert code == 0, (fmt, err)
        assert out.strip()
        outs[fmt] = out
    assert outs["csv"] == outs["journal"]
    assert outs["parquet"] == outs["journal"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_and_export_take_every_format(big, fmt, tmp_path, run_cli):
    code, out, err = run_cli("report", str(_path(big, fmt)), "--out", str(tmp_path / "r"),
                             "--format", "json", "--currency", "GBP")
    assert code == 0, err
    total = [r for r in json.loads(out) if r["funder"] == "(total)"][0]["amount"]
    code, out, err = run_cli("balance", str(_path(big, fmt)), "--currency", "GBP",
                             "--format", "json")
    assert code == 0, err
    assert [r for r in json.loads(out) if r["account"] == "(total)"][0]["amount"] == total
    code, out, err = run_cli("export", str(_path(big, fmt)), "--to", "hledger", "-o",
                             str(tmp_path / "x.journal"))
    assert code == 0, err
    assert (tmp_path / "x.journal").read_text(encoding="utf-8").count("\n    Funders:") >= N


def test_export_is_the_same_from_every_format(big, run_cli):
    outs = {}
    for fmt in FORMATS:
        code, out, err = run_cli("export", str(_path(big, fmt)), "--to", "csv", "-o", "-",
                                 "--currency", "GBP")
        assert code == 0, err
        outs[fmt] = _csv(out)
    keys = ("id", "purpose", "value_minor", "currency", "status", "disburses", "part_of")
    for fmt in ("csv", "parquet"):
        assert [tuple(r[k] for k in keys) for r in outs[fmt]] == \
            [tuple(r[k] for k in keys) for r in outs["journal"]]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_audit_of_a_bulk_table_without_documents_says_why_once(big, fmt, tmp_path, run_cli):
    code, out, err = run_cli("audit", str(_path(big, fmt)), "--sources", str(tmp_path),
                             "--format", "csv")
    assert code == 1 and "Traceback" not in err
    assert err.count("declares no documents (no entries.documents.csv)") == 1
    assert "citation(s) cannot be verified" in err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_sources_list_of_a_bulk_table_says_it_records_no_documents(big, fmt, run_cli):
    code, out, err = run_cli("sources", "list", str(_path(big, fmt)))
    assert code == 0 and out == ""
    assert "records no documents" in err


def test_sources_list_of_the_generated_journal(big, run_cli):
    code, out, err = run_cli("sources", "list", str(big), "--format", "csv")
    assert code == 0, err
    assert len(_csv(out)) == len(__import__("ledger").load(big).documents)


def test_load_raises_one_error_listing_the_problems(tmp_path):
    import ledger
    bad = tmp_path / "bad.csv"
    bad.write_text("id,date,funder,purpose,amount,currency\n"
                   "a,2015-02-30,UK,Security,12,GBP\n", encoding="utf-8")
    with pytest.raises(ledger.LedgerError) as err:
        ledger.load(bad)
    assert "1 problem(s)" in str(err.value) and "bad.csv:2" in str(err.value)
    book = ledger.read_book(bad)   # never raises
    assert len(book) == 0 and len(book.errors) == 1


def _generated(big: Path) -> dict:
    """The generator's own record of its entries (entries.csv, read with
    Python's csv module, none of our readers): id -> the entry's rows."""
    out: dict = {}
    with open(big / "entries.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["id"], []).append(row)
    return out


def _as_generated(e) -> tuple:
    """An ``Entry`` in the terms of the generator's rows."""
    links = {k: "" for k in ("disburses", "part_of", "restates")}
    links.update({ln.kind: ln.target for ln in e.links})
    p = e.period
    return (e.date.isoformat(), e.funder, e.currency, e.status, e.qualifier,
            (p.kind, p.years, p.start and p.start.isoformat(), p.end and p.end.isoformat(),
             p.fiscal_year),
            tuple(links.values()), ";".join(c.doc for c in e.sources),
            tuple((a.purpose, a.amount) for a in e.allocations()))


def _rows_as_generated(rows) -> tuple:
    r = rows[0]
    return (r["date"], r["funder"], r["currency"], r["status"], r["qualifier"],
            (r["period_kind"] or "one-off", Decimal(r["years"]) if r["years"] else None,
             r["start"] or None, r["end"] or None, r["fiscal_year"] or None),
            (r["disburses"], r["part_of"], r["restates"]), r["sources"],
            tuple((x["purpose"], Decimal(x["amount"])) for x in rows))


def test_the_journal_book_holds_every_entry_as_generated(big):
    """The journal read column-wise gives, as ``Entry`` views, every entry
    the generator wrote: date, accounts, currency, status, qualifier,
    period, links, cited documents and each allocation, in file order."""
    from ledger.read.cache import load_book

    book = load_book(big, use_cache=False)
    want = _generated(big)
    assert book.problems == ()
    assert book._entries is None       # built from columns, not from objects
    assert sorted(e.id for e in book.entries) == sorted(want)
    for e in book.entries:
        assert _as_generated(e) == _rows_as_generated(want[e.id]), e.id
        assert e.amount == sum(Decimal(r["amount"]) for r in want[e.id])
        assert e.file.endswith(".toml") and e.line > 0
    assert all(c.quote for e in book.entries for c in e.sources)   # the journal's quotes kept


def test_entry_by_id_reads_one_row_of_a_column_book(big):
    """``Book.entry`` on a Book read from columns gives the entry as
    generated, without making every entry an object."""
    import ledger
    from ledger.read.cache import load_book

    want = _generated(big)
    ids = list(want)
    for book in (load_book(big, use_cache=False), ledger.load(big / "entries.parquet")):
        for eid in (ids[0], ids[len(ids) // 2], ids[-1]):
            got = book.entry(eid)
            assert _as_generated(got)[:2] + _as_generated(got)[-1:] == \
                _rows_as_generated(want[eid])[:2] + _rows_as_generated(want[eid])[-1:]
        assert book._entries is None


def test_the_bulk_book_keeps_links_and_sources(big):
    import ledger
    ref = {e.id: e for e in ledger.load(big).entries}
    for name in ("entries.csv", "entries.parquet"):
        book = ledger.load(big / name)
        assert len(book) == N
        for e in book.entries[:400]:
            r = ref[e.id]
            assert (e.date, e.funder, e.amount, e.currency, e.period, e.status, e.qualifier,
                    e.links, e.allocations()) == \
                (r.date, r.funder, r.amount, r.currency, r.period, r.status, r.qualifier,
                 r.links, r.allocations())
            assert [c.doc for c in e.sources] == [c.doc for c in r.sources]


def test_the_cache_stores_the_book(big, tmp_path, monkeypatch):
    from ledger.read.cache import load_book
    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(tmp_path / "cache"))
    cold = load_book(big)
    warm = load_book(big)
    assert getattr(warm, "cache_hit", False) and not getattr(cold, "cache_hit", False)
    assert warm.entries == cold.entries
    assert warm.documents == cold.documents and warm.options == cold.options
    for name in ("entries", "allocations", "citations", "links"):
        assert len(getattr(warm.tables, name)) == len(getattr(cold.tables, name))


def test_the_cache_key_covers_every_module_the_reader_runs(big, tmp_path):
    """A change to any module that reads or checks a journal (the shared
    rules and limits too) makes a new cache key, so no stale result is
    served; measured in a fresh process, which imports only what it runs."""
    import subprocess
    import sys

    from ledger.read.cache import _code_files

    root = REPO
    probe = ("import sys\nfrom ledger.read.cache import load_book\n"
             "load_book(sys.argv[1], use_cache=True); load_book(sys.argv[1], use_cache=True)\n"
             "print('\\n'.join(m.__file__ for n, m in sys.modules.items() "
             "if n == 'ledger' or n.startswith('ledger.')))")
    out = subprocess.run([sys.executable, "-c", probe, str(big)], capture_output=True,
                         text=True, check=True, cwd=root,
                         env={"PYTHONPATH": str(root), "LEDGER_TOOL_CACHE": str(tmp_path / "c"),
                              "PATH": "/usr/bin:/bin"}).stdout
    ran = {Path(f).resolve() for f in out.split()}
    assert ran and ran <= set(_code_files())


def test_select_matches_the_entry_filters(big):
    import datetime as dt

    import ledger

    def under(account, prefixes):
        return any(account.casefold() == p.casefold() or
                   account.casefold().startswith(p.casefold() + ":") for p in prefixes)

    book = ledger.load(big)
    cases = [({"funder": ["UK"]}, lambda e: under(e.funder, ["UK"])),
             ({"purpose": "Health"},
              lambda e: any(under(s.purpose, ["Health"]) for s in e.allocations())),
             ({"status": ["spent", "committed"]}, lambda e: e.status in ("spent", "committed")),
             ({"start": dt.date(2010, 1, 1), "end": dt.date(2012, 6, 30)},
              lambda e: dt.date(2010, 1, 1) <= e.date <= dt.date(2012, 6, 30)),
             ({"funder": "uk:home office", "purpose": ["Security", "Health:Malaria"]},
              lambda e: under(e.funder, ["UK:Home Office"]) and any(
                  under(s.purpose, ["Security", "Health:Malaria"]) for s in e.allocations()))]
    for kw, want in cases:
        got = book.select(**kw)
        expected = [e.id for e in book.entries if want(e)]
        assert expected and [e.id for e in got.entries] == expected
        assert len(got.frame()) == sum(len(e.allocations()) for e in got.entries)


def test_the_model_and_readers_do_not_import_rates_or_reports():
    """Layers: the model, the readers and the rules never import rates or
    reports (rates takes a Book; the cache folder is ledger.cachedir)."""
    import subprocess
    import sys

    code = ("import sys, ledger, ledger.book, ledger.read, ledger.read.cache, ledger.read.table, "
            "ledger.read.journal, ledger.read.journal_columns, ledger.rules, "
            "ledger.rules.rows, ledger.limits, ledger.phrases.money, ledger.phrases.period; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('rates', 'reports')); "
            "print(bad)")
    root = REPO
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    layers = [*(root / "ledger").glob("*.py")] + [
        f for pkg in ("read", "rules", "phrases") for f in (root / "ledger" / pkg).glob("*.py")]
    assert len(layers) > 15
    for f in layers:
        text = f.read_text(encoding="utf-8")
        assert "from rates" not in text and "import rates" not in text, f
        assert "from reports" not in text and "import reports" not in text, f


def test_amounts_are_exact_in_every_format(big):
    import ledger
    sums = set()
    for fmt in FORMATS:
        book = ledger.load(_path(big, fmt))
        sums.add(sum((Decimal(a) for a in book.tables.allocations["amount"].tolist()),
                     Decimal(0)))
    assert len(sums) == 1


def test_add_refuses_a_bulk_table_in_one_line(big, tmp_path, run_cli):
    table = tmp_path / "t.csv"
    shutil.copy(big / "entries.csv", table)
    before = table.read_bytes()
    code, out, err = run_cli("add", str(table), "--id", "x1", "--date", "2015-01-01",
                             "--funder", "UK", "--purpose", "P", "--amount", "£1m",
                             "--source", "d", "--quote", "q")
    assert code == 1 and "bulk table (csv)" in err and "syntax error" not in err
    assert len(err.strip().splitlines()) == 1
    assert table.read_bytes() == before
