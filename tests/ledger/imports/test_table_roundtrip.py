"""A ledger exported to CSV (``export --to csv``) and imported back
(``import -o`` / ``--to D.parquet``) gives the same entries and totals as
the original ledger, also when a spreadsheet program or a user drops
columns the import does not strictly need."""
from __future__ import annotations

import csv
import importlib.util
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ledger

SPLIT_LEDGER = (
    '[[entry]]\nid = "pkg"\ndate = 2016-03-03\nfunder = "UK:Home Office"\n'
    'amount = "£17 million"\n'
    '  [[entry.split]]\n  purpose = "Security:Calais port"\n  amount = "10000000"\n'
    '  [[entry.split]]\n  purpose = "Humanitarian:Calais"\n  amount = "7000000"\n\n'
    '[[entry]]\nid = "one"\ndate = 2016-05-01\nfunder = "France:Interior"\n'
    'purpose = "Humanitarian:Calais"\namount = "€2.5 million"\n')


def _export(tmp_path: Path, run_cli, journal: Path) -> list[dict]:
    out = tmp_path / "x.csv"
    code, _, err = run_cli("export", journal, "--to", "csv", "-o", out)
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))


def _write(path: Path, rows: list[dict], drop: tuple[str, ...] = ()) -> Path:
    fields = [c for c in rows[0] if c not in drop]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def _figures(entries) -> dict[str, tuple]:
    """Each entry's amount, currency and parts, as the journal holds them."""
    return {e.id: (e.amount, e.currency, sorted(e.postings()))
            for e in entries}


def test_a_split_entry_without_amount_text_takes_entry_amount(tmp_path, run_cli):
    journal = tmp_path / "src.toml"
    journal.write_text(SPLIT_LEDGER, encoding="utf-8")
    rows = _export(tmp_path, run_cli, journal)
    assert [r["entry_amount"] for r in rows if r["id"] == "pkg"] == ["17000000"] * 2
    table = _write(tmp_path / "plain.csv", rows, drop=("amount_text",))
    (tmp_path / "back").mkdir()
    back = tmp_path / "back" / "back.toml"
    code, _, err = run_cli("import", table, "-o", back)
    assert code == 0 and "split does not add up" not in err, err
    original = ledger.load(journal).entries
    assert _figures(ledger.load(back).entries) == _figures(original)
    assert _figures(original)["pkg"][0] == Decimal(17_000_000)


def _documents(entries) -> dict[str, list[str]]:
    return {e.id: list(dict.fromkeys(s.doc for s in e.sources)) for e in entries}


def test_the_sources_column_of_list_csv_keeps_each_entrys_documents(
        tmp_path, run_cli, example_ledger):
    code, out, err = run_cli("list", example_ledger, "--format", "csv")
    assert code == 0, err
    assert "sources" in next(csv.reader(io.StringIO(out)))
    table = tmp_path / "list.csv"
    table.write_text(out, encoding="utf-8")
    target = tmp_path / "copy"
    target.mkdir()
    for name in ("ledger.toml", "sources.toml"):
        (target / name).write_bytes((example_ledger / name).read_bytes())
    code, _, err = run_cli("import", table, "-o", target)
    assert code == 0, err
    assert "'sources'" not in err              # not among the columns left out
    original = _documents(ledger.load(example_ledger).entries)
    assert any(len(d) > 1 for d in original.values())
    assert _documents(ledger.load(target).entries) == original


def test_doc_and_sources_columns_that_disagree_are_refused(tmp_path, run_cli):
    table = tmp_path / "t.csv"
    table.write_text("id,date,funder,purpose,amount,currency,doc,sources\n"
                     "a1,2015-01-01,UK:Home Office,Humanitarian:Calais,5,GBP,doc-a,doc-a\n"
                     "b2,2015-01-02,UK:Home Office,Humanitarian:Calais,6,GBP,doc-a,doc-b\n",
                     encoding="utf-8")
    (tmp_path / "out").mkdir()
    code, _, err = run_cli("import", table, "-o", tmp_path / "out" / "new.toml")
    assert code == 0, err
    line = next(x for x in err.splitlines() if "disagree" in x)
    assert f"{table}: row 3" in line and "'b2'" in line and "doc-b" in line
    back = ledger.load(tmp_path / "out" / "new.toml").entries
    assert [(e.id, [s.doc for s in e.sources]) for e in back] == [("a1", ["doc-a"])]


EXPORT_HEADER = "id,date,funder,purpose,amount,currency,entry_amount\n"


def test_export_rows_of_one_id_that_do_not_make_one_entry_are_refused(tmp_path, run_cli):
    table = tmp_path / "t.csv"
    table.write_text(
        EXPORT_HEADER
        # another date, funder and currency: not a part of x1 (5 EUR is not 5 GBP)
        + "x1,2015-01-01,UK:Home Office,Security:Calais port,5,GBP,10\n"
        + "x1,2016-06-01,France:Interior,Humanitarian:Calais,5,EUR,10\n"
        + "y1,2015-01-01,UK:Home Office,Humanitarian:Calais,7,GBP,7\n"
        # z1's rows apart: two entries of one id, not one split entry
        + "z1,2015-02-01,UK:Home Office,Security:Calais port,3,GBP,6\n"
        + "y2,2015-03-01,UK:Home Office,Humanitarian:Calais,8,GBP,8\n"
        + "z1,2015-02-01,UK:Home Office,Humanitarian:Calais,3,GBP,6\n"
        # one purpose given two shares
        + "w1,2015-04-01,UK:Home Office,Humanitarian:Calais,4,GBP,8\n"
        + "w1,2015-04-01,UK:Home Office,Humanitarian:Calais,5,GBP,8\n",
        encoding="utf-8")
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "new.toml"
    code, _, err = run_cli("import", table, "-o", out)
    assert code == 0, err
    lines = err.splitlines()
    x1 = next(x for x in lines if f"{table}: row 3" in x)
    assert "'x1'" in x1 and "currency, date, funder" in x1
    # each line names the entry, also for what the rules find (the split's sum)
    assert any(f"{table}: row 5" in x and "'z1'" in x and "3 GBP" in x and "6 GBP" in x
               for x in lines)
    assert all("entry '" in x or "id '" in x for x in lines if ": row " in x)
    assert any(f"{table}: row 9" in x and "'w1'" in x and "one share" in x for x in lines)
    back = ledger.load(out).entries
    assert sorted((e.id, e.amount, e.currency) for e in back) == [
        ("y1", Decimal(7), "GBP"), ("y2", Decimal(8), "GBP")]


def _generated(repo_root: Path, out: Path, n: int, seed: int) -> Path:
    spec = importlib.util.spec_from_file_location(
        "bench_generate", repo_root / "benchmarks" / "generate.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.write(out, n, seed=seed)
    return out


@pytest.mark.parametrize("drop", [(), ("amount_text",)])
def test_a_generated_ledger_round_trips_to_the_penny(tmp_path, run_cli, repo_root, drop):
    original = _generated(repo_root, tmp_path / "g", 400, 2)
    rows = _export(tmp_path, run_cli, original)
    assert len(rows) > len({r["id"] for r in rows})       # split entries among them
    table = _write(tmp_path / "t.csv", rows, drop=drop)
    back = tmp_path / "back"
    back.mkdir()
    (back / "sources.toml").write_bytes((original / "sources.toml").read_bytes())
    code, _, err = run_cli("import", table, "-o", back)
    assert code == 0 and "rejected" not in err, err
    for what in (["balance"], ["balance", "--currency", "GBP"], ["list", "--format", "csv"]):
        want = run_cli(*what, original)
        assert want[0] == 0 and want[1], want[2]
        assert run_cli(*what, back)[:2] == want[:2], what


def test_the_example_ledger_round_trips_through_a_dataset(tmp_path, run_cli, example_ledger):
    table = tmp_path / "x.csv"
    assert run_cli("export", example_ledger, "--to", "csv", "-o", table)[0] == 0
    dataset = tmp_path / "new.parquet"
    code, _, err = run_cli("import", table, "--to", dataset)
    assert code == 0, err
    want = run_cli("balance", example_ledger, "--currency", "GBP")
    assert want[0] == 0 and "(total)" in want[1]
    assert run_cli("balance", dataset, "--currency", "GBP")[1] == want[1]


_PURPOSES = ["Security:Calais port", "Humanitarian:Calais", "Development:Africa"]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(
           st.sampled_from(["GBP", "EUR", "USD"]),
           st.lists(st.integers(1, 10**9), min_size=1, max_size=3)),
           min_size=1, max_size=6),
       drop=st.booleans())
def test_split_entries_round_trip_with_their_parts(tmp_path_factory, run_cli, entries, drop):
    folder = tmp_path_factory.mktemp("prop")
    text = []
    for k, (currency, cents) in enumerate(entries):
        head = (f'[[entry]]\nid = "e{k}"\ndate = 2016-03-{k + 1:02d}\n'
                f'funder = "UK:Home Office"\ncurrency = "{currency}"\n'
                f'amount = "{Decimal(sum(cents)) / 100}"\n')
        if len(cents) == 1:
            text.append(head + f'purpose = "{_PURPOSES[0]}"\n')
        else:
            text.append(head + "".join(
                f'  [[entry.split]]\n  purpose = "{_PURPOSES[j]}"\n'
                f'  amount = "{Decimal(c) / 100}"\n' for j, c in enumerate(cents)))
    journal = folder / "src.toml"
    journal.write_text("\n".join(text), encoding="utf-8")
    rows = _export(folder, run_cli, journal)
    table = _write(folder / "t.csv", rows, drop=("amount_text",) if drop else ())
    (folder / "back").mkdir()
    code, _, err = run_cli("import", table, "-o", folder / "back" / "back.toml")
    assert code == 0 and "rejected" not in err, err
    want = {f"e{k}": (Decimal(sum(c)) / 100, cur, [Decimal(x) / 100 for x in c])
            for k, (cur, c) in enumerate(entries)}     # from the input, not our output
    got = {e.id: (e.amount, e.currency, [a.amount for a in e.allocations()])
           for e in ledger.load(folder / "back" / "back.toml").entries}
    assert got == want
