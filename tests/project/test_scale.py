"""Scale paths give exactly the reference totals (issue 7).

A ledger of a few thousand entries from benchmarks/generate.py is read three
ways: the reference path (``ledger.load`` → ``to_frame``), the columnar bulk
path (CSV and Parquet → ``ledger.read.table`` → ``normalise``) and the parsed-ledger
cache (``ledger.read.load_frame``, cold then warm).  Every path must give the
same funder × purpose × year totals to the minor unit.  No timing here: speed
is measured by benchmarks/run.py.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import GENERATED_ENTRIES as N, generate_module as _generate_module


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(d))
    return d


def _totals(out):
    prim = out[out["primary"].to_numpy(dtype=bool)]
    return prim.groupby(["funder", "purpose", "year"])["value_minor"].sum()


def _normalise(frame, **kw):
    from rates.normalise import normalise
    return normalise(frame, currency="GBP", **kw)


@pytest.fixture(scope="session")
def reference(big):
    import ledger
    from rates import to_frame
    book = ledger.load(big)
    return book, to_frame(book, currency="GBP")


def test_generated_ledger_loads_cleanly_and_is_deterministic(big, reference, tmp_path):
    book, _ = reference
    assert len(book.entries) == N
    assert not [p for p in book.problems if p.severity == "error"]
    kinds = {e.period.kind for e in book.entries}
    assert kinds == {"one-off", "per-year", "over", "fiscal-year"}
    assert {e.currency for e in book.entries} >= {"GBP", "EUR", "USD", "JPY"}
    assert any(e.splits for e in book.entries) and any(e.links for e in book.entries)
    assert any(len(e.sources) > 1 for e in book.entries)
    again = tmp_path / "again"
    _generate_module().write(again, N, seed=7)
    for f in sorted(big.rglob("*.toml")):
        assert (again / f.relative_to(big)).read_bytes() == f.read_bytes()
    assert (again / "entries.csv").read_bytes() == (big / "entries.csv").read_bytes()


@pytest.mark.parametrize("name", ["entries.csv", "entries.parquet"])
def test_bulk_path_gives_the_reference_totals(big, reference, name):
    from ledger.read.table import read_bulk

    _, ref = reference
    frame, problems = read_bulk(big / name)
    assert not [p for p in problems if p.severity == "error"]
    out = _normalise(frame)
    assert len(out) == len(ref)
    fast, slow = _totals(out), _totals(ref)
    assert fast.index.equals(slow.index)
    assert (fast == slow).all()
    assert sum(out["value"], Decimal(0)) == sum(ref["value"], Decimal(0))


def test_bulk_frame_matches_entries_frame(big, reference):
    from ledger.read.table import read_bulk
    from rates.normalise import entries_frame

    book, _ = reference
    ref = entries_frame(book.entries)
    frame, _ = read_bulk(big / "entries.csv")
    assert list(frame.columns) == list(ref.columns)
    for c in ("id", "funder", "purpose", "status", "qualifier", "currency", "period_kind",
              "period"):
        assert frame[c].tolist() == ref[c].tolist(), c
    assert frame["primary"].tolist() == ref["primary"].tolist()
    for c in ("amount", "entry_amount"):
        assert all(a == b for a, b in zip(frame[c], ref[c])), c
    for c in ("date", "start", "end"):
        assert frame[c].equals(ref[c]), c


def test_other_valuations_and_year_modes_agree(big, reference):
    from ledger.read.table import read_bulk
    from rates.normalise import entries_frame

    book, _ = reference
    frame, _ = read_bulk(big / "entries.parquet")
    ref = entries_frame(book.entries)
    for kw in ({"valuation": "yearly-average", "years": "fiscal-uk", "clamp": True},
               {"basis": "per-year", "years": None}):
        a, b = _normalise(frame, **kw), _normalise(ref, **kw)
        assert a["value_minor"].sum() == b["value_minor"].sum()
        assert a["value_minor"].tolist() == b["value_minor"].tolist()


def test_cache_gives_the_reference_totals_cold_and_warm(big, reference, cache_home):
    from ledger.read import load_frame

    _, ref = reference
    cold = load_frame(big)
    warm = load_frame(big)
    assert (cold.hit, warm.hit) == (False, True)
    assert list(cache_home.iterdir())
    assert warm.problems == cold.problems
    assert warm.options == cold.options and warm.documents == cold.documents
    for r in (cold, warm):
        out = _normalise(r.frame)
        assert (_totals(out) == _totals(ref)).all()
        assert out["value_minor"].tolist() == ref["value_minor"].tolist()


def test_cache_notices_a_changed_file(tmp_path, cache_home, example_ledger):
    import shutil

    from ledger.read import load_frame

    d = tmp_path / "calais"
    shutil.copytree(example_ledger, d)
    first = load_frame(d)
    assert load_frame(d).hit
    f = d / "pledges.toml"
    f.write_text(f.read_text(encoding="utf-8").replace('"£1.4 million"', '"£1.5 million"', 1),
                 encoding="utf-8")
    changed = load_frame(d)
    assert not changed.hit
    assert sum(changed.frame["amount"]) - sum(first.frame["amount"]) == Decimal("100000")
    assert load_frame(d).hit


def test_cache_keeps_problems_and_can_be_turned_off(tmp_path, monkeypatch):
    from ledger.read import load_frame
    from ledger.read.cache import cache_dir

    bad = tmp_path / "bad.toml"
    bad.write_text('[[entry]]\nid = "x"\ndate = 2015-01-01\nfunder = "UK"\npurpose = "P"\n'
                   'amount = "£5m"\ndisburses = "nowhere"\n', encoding="utf-8")
    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(tmp_path / "c"))
    a, b = load_frame(bad), load_frame(bad)
    assert b.hit and a.problems == b.problems
    assert any("missing entry 'nowhere'" in str(p) for p in b.errors)
    monkeypatch.setenv("LEDGER_TOOL_CACHE", "off")
    assert cache_dir() is None
    assert not load_frame(bad).hit


def test_a_corrupt_cache_is_ignored(big, reference, cache_home):
    from ledger.read import load_frame

    load_frame(big)
    for f in cache_home.iterdir():
        f.write_bytes(b"garbage")
    again = load_frame(big)
    assert not again.hit
    assert (_totals(_normalise(again.frame)) == _totals(reference[1])).all()
    assert load_frame(big).hit
