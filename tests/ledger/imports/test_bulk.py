"""import --to DIR.parquet: the same entries, rules and rejects as the journal
import, written as a year-partitioned Parquet dataset of bulk columns."""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow.dataset as ds
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ledger
from ledger.imports.bulk import SeenIds
from ledger.imports.iati import read_iati
from ledger.imports.rows import check_records
from ledger.read.table import BULK_COLUMNS, PROVENANCE_COLUMNS
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"


def _dataset(path: Path):
    return ds.dataset(path, format="parquet", partitioning="hive").to_table().to_pylist()


def _by_entry(rows):
    """id -> (amount: the sum of its rows, currency, status, links, tags)."""
    out: dict[str, list] = {}
    for r in rows:
        got = out.setdefault(r["id"], [Decimal(0), r["currency"], r["status"],
                                       (r["disburses"], r["part_of"], r["restates"]),
                                       tuple(sorted(filter(None, r["tags"].split(";"))))])
        got[0] += Decimal(r["amount"])
    return {k: tuple(v) for k, v in out.items()}


def _journal_entries(book: Path):
    out = {}
    for e in ledger.load(book).entries:
        links = tuple(e.link(k) or "" for k in ("disburses", "part_of", "restates"))
        out[e.id] = (e.amount, e.currency, e.status, links, tuple(sorted(e.tags)))
    return out


@pytest.mark.parametrize("kind", ["iati", "fts"])
def test_real_files_give_the_journal_import_s_entries(tmp_path, run_cli, kind):
    folder = tmp_path / "in"
    folder.mkdir()
    files = sorted((REAL / kind).glob("*.xml" if kind == "iati" else "location-1-*.json"))
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    code, _, err = run_cli("import", "--from", kind, folder, "-o", tmp_path / "book")
    assert code == 0, err
    target = tmp_path / "out.parquet"
    code, _, err = run_cli("import", "--from", kind, folder, "--to", target)
    assert code == 0, err
    rows = _dataset(target)
    assert set(rows[0]) == set(BULK_COLUMNS + PROVENANCE_COLUMNS) | {"year"}
    # hive partitions by the year of each row's date
    assert all(str(r["year"]) == r["date"][:4] for r in rows)
    assert _by_entry(rows) == _journal_entries(tmp_path / "book")
    # provenance: every row cites an archived document with the quote as written
    docs = {d["id"]: d for d in csv.DictReader(open(target / "_documents.csv", encoding="utf-8"))}
    for r in rows:
        cites = json.loads(r["citations"])
        assert cites and all(c["doc"] in docs and c["quote"] for c in cites)
        assert r["origin"].startswith(str(folder))
    for d in docs.values():
        assert (target / "_sources" / d["path"]).is_file()
    # the same rejects file as the journal import
    assert (target / "_rejects.csv").read_text(encoding="utf-8").count("\n") == \
        (tmp_path / "book" / f"{kind}.rejects.csv").read_text(encoding="utf-8").count("\n")


def test_a_dataset_import_keeps_each_entry_s_period(tmp_path, run_cli):
    """The budgets' periods (IATI period-start/end) spread a dataset's entries
    over the same years as the journal import's: they were read as one-off,
    every budget falling whole in its first year."""
    from ledger.read import read_book

    folder = tmp_path / "in"
    folder.mkdir()
    for f in sorted((REAL / "iati").glob("*.xml")):
        (folder / f.name).write_bytes(f.read_bytes())
    assert run_cli("import", "--from", "iati", folder, "-o", tmp_path / "book")[0] == 0
    assert run_cli("import", "--from", "iati", folder, "--to", tmp_path / "d.parquet")[0] == 0
    cols = ["id", "period_kind", "years", "start", "end", "fiscal_year"]

    def periods(path):
        frame = read_book(path).frame()[cols].drop_duplicates("id")
        return {r[0]: tuple(str(v) for v in r[1:]) for r in frame.itertuples(index=False)}

    journal = periods(tmp_path / "book")
    assert sum(p[0] != "one-off" for p in journal.values()) > 0
    assert periods(tmp_path / "d.parquet") == journal
    by_year = ["balance", "--by", "year", "--currency", "GBP"]
    assert run_cli(*by_year, tmp_path / "d.parquet")[1] == run_cli(*by_year, tmp_path / "book")[1]


def test_fts_dataset_counts_what_fts_counts(tmp_path, run_cli):
    """The rows not tagged not-counted, committed or paid, in US dollars as
    FTS states them, add up to the download's incoming.fundingTotal."""
    pages = sorted((REAL / "fts").glob("location-114-*.json"))
    raw = [json.loads(p.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
           for p in pages]
    (total,) = {d["data"]["incoming"]["fundingTotal"] for d in raw}
    folder = tmp_path / "in"
    folder.mkdir()
    for p in pages:
        (folder / p.name).write_bytes(p.read_bytes())
    target = tmp_path / "fts.parquet"
    assert run_cli("import", "--from", "fts", folder, "--to", target)[0] == 0
    usd: dict[str, Decimal] = defaultdict(Decimal)
    for r in _dataset(target):
        if "not-counted" in r["tags"].split(";") or r["status"] == "pledged":
            continue
        if r["currency"] == "USD":
            usd[r["id"]] += Decimal(r["amount"])
        else:
            (stated,) = [x for x in r["restated"].split("; ") if x.startswith("USD ")]
            usd[r["id"]] = Decimal(stated[4:])
    assert sum(usd.values()) == total


def test_spreadsheet_rows_refused_go_to_the_rejects_file(tmp_path, run_cli):
    src = tmp_path / "pledges.csv"
    src.write_text("Funder,Date,Purpose,Amount,Currency\n"
                   "UK:Home Office,2016-03-03,Security:Calais port,17000000,GBP\n"
                   "France:Government,2017-01-05,Humanitarian:Calais,5000000,EUR\n"
                   "UK:Home Office,2016-02-30,Humanitarian:Calais,1000000,GBP\n",
                   encoding="utf-8")
    target = tmp_path / "pledges.parquet"
    code, _, err = run_cli("import", src, "--to", target)
    assert code == 0, err
    rows = _dataset(target)
    assert sorted((r["year"], r["funder"], r["amount"]) for r in rows) == [
        (2016, "UK:Home Office", "17000000"), (2017, "France:Government", "5000000")]
    rejects = (target / "_rejects.csv").read_text(encoding="utf-8")
    assert "row 4" in rejects and "Date" in rejects
    # an existing dataset is never written over; nothing half-written is left
    code, _, err = run_cli("import", src, "--to", target)
    assert code == 1 and "already exists" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pledges.csv", "pledges.parquet"]


def test_a_bad_row_is_refused_by_the_bulk_rules_with_its_item_named(tmp_path, run_cli):
    flows = [{"id": k, "versionId": 1, "status": "paid", "date": date, "amountUSD": 5,
              "boundary": "incoming", "onBoundary": "single",
              "sourceObjects": [{"type": "Organization", "name": "X"}]}
             for k, date in ((1, "2020-01-01"), (2, "1850-01-01"))]
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"data": {"flows": flows}}), encoding="utf-8")
    target = tmp_path / "f.parquet"
    code, _, err = run_cli("import", "--from", "fts", page, "--to", target)
    assert code == 0, err
    assert [r["id"] for r in _dataset(target)] == ["fts-1"]
    assert "flow '2' version 1" in err and "1850-01-01" in err and "1 rejected" in err


def test_batches_in_worker_processes_give_the_same_dataset(tmp_path, run_cli, monkeypatch):
    import ledger_tool.import_data as import_data

    folder = REAL / "iati"
    one, many = tmp_path / "one.parquet", tmp_path / "many.parquet"
    assert run_cli("import", "--from", "iati", folder, "--to", one)[0] == 0
    monkeypatch.setattr(import_data, "BATCH_BYTES", 100_000)     # several batches, 2 workers
    code, _, err = run_cli("import", "--from", "iati", folder, "--to", many)
    assert code == 0, err
    key = lambda r: (r["id"], r["purpose"])  # noqa: E731
    assert sorted(_dataset(one), key=key) == sorted(_dataset(many), key=key)
    assert (one / "_rejects.csv").read_text(encoding="utf-8").count("\n") == \
        (many / "_rejects.csv").read_text(encoding="utf-8").count("\n")


def test_the_rules_without_the_frame_refuse_what_they_refuse_with_it():
    """An import's records checked without the base frame (``rows=False``:
    ``check_raw(..., with_frame=False)``, as the journal and dataset imports
    check them) are accepted and refused exactly as with it: the same
    records, the same problems, word for word."""
    got = read_iati(REAL / "iati" / "dfid-2.01.xml")
    records = [dict(r.fields) for r in got.records]
    assert len(records) > 10
    records[1] = {**records[1], "currency": "XXQ"}                 # its own field: refused
    records[2] = {**records[2], "id": records[3]["id"]}            # an id twice
    records[4] = {**records[4], "disburses": "no-such-entry"}      # a link to nothing
    records[5] = {**records[5], "source": [{"doc": "not-a-document", "locator": "x"}]}
    docs = [got.document["id"]]
    lines = range(1, len(records) + 1)
    with_frame = check_records(records, lines, name="import", documents=docs, rows=True)
    without = check_records(records, lines, name="import", documents=docs, rows=False)
    assert without.accepted == with_frame.accepted
    assert len(without.accepted) == len(records) - len(without.problems)
    said = {k: [(p.line, p.entry_id, p.message, p.code) for p in ps]
            for k, ps in without.problems.items()}
    assert said == {k: [(p.line, p.entry_id, p.message, p.code) for p in ps]
                    for k, ps in with_frame.problems.items()}
    assert {1, 4, 5} <= set(said) and (2 in said or 3 in said)
    assert with_frame.rows and not without.rows


def test_the_same_file_twice_in_two_batches_is_read_once(tmp_path, run_cli, monkeypatch):
    """The same file twice in a folder, in two batches: each activity is
    taken from one copy (the later file's: their last-updated-datetimes are
    equal), the other copy's activities skipped, one line each with their
    items (a split entry counted once), and the dataset holds the rows of
    one copy once.  (Ids repeated across batches: test_import_duplicate_ids.)"""
    import ledger_tool.import_data as import_data

    src = REAL / "iati" / "dfid-2.01.xml"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.xml").write_bytes(src.read_bytes())
    (folder / "b.xml").write_bytes(src.read_bytes())
    once = tmp_path / "once.parquet"
    assert run_cli("import", "--from", "iati", src, "--to", once)[0] == 0
    monkeypatch.setattr(import_data, "BATCH_BYTES", 1)      # one file a batch
    out = tmp_path / "twice.parquet"
    code, _, err = run_cli("import", "--from", "iati", folder, "--to", out)
    assert code == 0, err
    rows = _dataset(out)
    first = _dataset(once)
    assert len(rows) == len(first) and {r["id"] for r in rows} == {r["id"] for r in first}
    assert all(r["origin"].startswith(str(folder / "b.xml")) for r in rows)
    with open(out / "_rejects.csv", encoding="utf-8", newline="") as fh:
        rejects = list(csv.DictReader(fh))
    gone = [r for r in rejects if "superseded by the same activity in" in r["reason"]]
    assert gone and all(r["file"] == str(folder / "a.xml") and str(folder / "b.xml") in r["reason"]
                        for r in gone)
    assert not any("an earlier item of this import has it" in r["reason"] for r in rejects)
    # each activity of the file once: as many activities as the single import's origins name
    acts = {r["where"] for r in gone}
    assert len(acts) == len(gone)
    assert f"{len({r['id'] for r in first}):,} entries" in err


def test_seen_ids_hold_what_was_added():
    """The digests of the ids written: each id found once added, however
    many times it came, and no other."""
    seen = SeenIds()
    first = [f"iati-XM-{k}-t-1" for k in range(500)]
    seen.add(seen.digest(first + first[:10]))
    assert len(seen) == 500
    assert seen.holds(seen.digest(first)).all()
    others = [f"iati-XM-{k}-t-2" for k in range(500)] + ["", "iati-XM-1-t-1 "]
    assert not seen.holds(seen.digest(others)).any()
    seen.add(seen.digest(others))
    assert len(seen) == 1002 and seen.holds(seen.digest(first + others)).all()


# digests from a small range of first halves, so that ids share one (the
# run's slow path) and the recent run is merged into the large one often
_DIGESTS = st.lists(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2**64 - 1)),
                             max_size=12), max_size=8)


@settings(max_examples=200, deadline=None)
@given(batches=_DIGESTS, probes=st.lists(st.tuples(st.integers(0, 7),
                                                   st.integers(0, 2**64 - 1)), max_size=12))
def test_seen_ids_are_the_set_of_digests_added(batches, probes):
    """Batch after batch, SeenIds holds exactly the digests added (a Python
    set of them, computed apart), whatever the merges and shared halves."""
    seen, added = SeenIds(), set()
    seen.MERGE_FLOOR = 2
    for k, batch in enumerate(batches):
        digests = np.array(batch, dtype=np.uint64).reshape(-1, 2)
        if k % 2:   # as without_seen adds a batch: what is not held yet
            seen.add(digests[~seen.holds(digests)], none_held=True)
        else:
            seen.add(digests)
        added.update(batch)
        assert len(seen) == len(added)
        every = sorted(added) + probes
        asked = np.array(every, dtype=np.uint64).reshape(-1, 2)
        assert seen.holds(asked).tolist() == [d in added for d in every]


@pytest.mark.parametrize("kind", ["iati", "fts"])
def test_each_row_carries_its_own_entry_s_fields_and_provenance(tmp_path, run_cli, kind):
    """Every row of the dataset holds its entry's own date, funder, value
    date, recipient, notes, documents and origin, as the journal import of
    the same files writes that entry (the bulk columns are built column by
    column: a row given another entry's values would show here)."""
    folder = tmp_path / "in"
    folder.mkdir()
    files = sorted((REAL / kind).glob("*.xml" if kind == "iati" else "location-1-*.json"))
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    assert run_cli("import", "--from", kind, folder, "-o", tmp_path / "book")[0] == 0
    assert run_cli("import", "--from", kind, folder, "--to", tmp_path / "out.parquet")[0] == 0
    journal = {e.id: e for e in ledger.load(tmp_path / "book").entries}
    rows = _dataset(tmp_path / "out.parquet")
    assert {r["id"] for r in rows} == set(journal)
    for r in rows:
        e = journal[r["id"]]
        assert (r["date"], r["funder"], r["value_date"] or None, r["recipient"], r["notes"]) \
            == (e.date.isoformat(), e.funder,
                e.value_date.isoformat() if e.value_date else None, e.recipient or "",
                e.notes), r["id"]
        assert r["sources"].split(";") == list(dict.fromkeys(c.doc for c in e.sources))
        assert [c["locator"] for c in json.loads(r["citations"])] == \
            [c.locator for c in e.sources]
        assert r["origin"].startswith(str(folder / "")) and e.id.split("-")[0] in \
            ("iati", "fts")
    # split entries: each part on its own row, the entry's values on every row
    parts = defaultdict(list)
    for r in rows:
        parts[r["id"]].append((r["purpose"], Decimal(r["amount"])))
    for eid, got in parts.items():
        e = journal[eid]
        want = [(s.purpose, s.amount) for s in e.splits] or [(e.purpose, e.amount)]
        assert sorted(got) == sorted(want), eid
