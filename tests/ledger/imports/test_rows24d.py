"""An import's records reach the one rule engine in the journal's raw form
(ledger/imports/rows.py): one row per entry, a split entry's parts in the
splits table, never laid out per entry and purpose first; and each list of
conversions is read once, by the rules, whose reading the bulk columns
write (issue 24)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ledger.imports.rows as rows_module
from ledger.imports.rows import bulk_table, check_records
from ledger.rules import rows as rr
from ledger.writer import entry_table

PARTS = [("Shelter", "600000"), ("Food", "400000")]


def _rec(eid: str, **more) -> dict:
    base = {"id": eid, "date": dt.date(2016, 3, 3), "funder": "UK:Home Office",
            "purpose": "Humanitarian:Calais", "amount": "1000000", "currency": "GBP",
            "source": [{"doc": "doc-1", "quote": "£1 million"}]}
    return entry_table({**base, **more})


def _records() -> list[dict]:
    split = _rec("split", purpose=None, split=[{"purpose": p, "amount": a} for p, a in PARTS])
    return [_rec("plain", restated=["EUR 1200000", "USD 1300000", "EUR 1200000"]),
            split,
            _rec("bad-part", purpose=None, split=[{"purpose": "Shelter", "amount": "-3"},
                                                  {"purpose": "Food", "amount": "3"}]),
            _rec("bad-amount", amount="lots", currency=None),
            _rec("linked", status="disbursed", disburses="plain", amount="5",
                 restated=["EUR 6"])]


def _check(tables, **kw):
    return check_records(tables, list(range(2, len(tables) + 2)), name="in.csv",
                         documents={"doc-1"}, **kw)


def test_the_rules_read_every_record_as_one_row_per_entry(monkeypatch):
    """Every raw form the rule engine is given for an import (the records,
    a subset of them each pass, those the reader refused) is the journal's:
    one row per entry, the parts in the splits table with their lines."""
    seen = []
    engine = rows_module.check_raw

    def spy(raw, *a, **k):
        seen.append((raw.by_entry, raw.entries.num_rows,
                     0 if raw.splits is None else raw.splits.num_rows))
        return engine(raw, *a, **k)

    monkeypatch.setattr(rows_module, "check_raw", spy)
    got = _check(_records())
    assert got.accepted == [0, 1, 4]
    assert sorted(got.problems) == [2, 3]
    assert seen and all(by_entry for by_entry, _, _ in seen), seen
    # the last pass: the three accepted entries, the split one's two parts
    assert seen[-1][1:] == (3, 2)


def test_the_bulk_rows_are_the_parts_and_the_conversions_as_the_rules_read_them(monkeypatch):
    """The bulk columns of the accepted records: a split entry's parts one
    row each with the amounts given, the others one row; the conversions
    each read once (by the rule engine), a repeat in one currency kept once."""
    outside = []   # conversions read other than by the rule engine
    inside = [False]
    rule, engine = rr.read_restated, rows_module.check_raw

    def counted(items, *a, **k):
        if not inside[0]:
            outside.append(tuple(items))
        return rule(items, *a, **k)

    def checking(*a, **k):
        inside[0] = True
        try:
            return engine(*a, **k)
        finally:
            inside[0] = False

    monkeypatch.setattr(rr, "read_restated", counted)
    monkeypatch.setattr(rows_module, "read_restated", counted, raising=False)   # imported by name
    monkeypatch.setattr(rows_module, "check_raw", checking)
    got = _check(_records())
    table = bulk_table(got, ["a", "b", "c", "d", "e"]).to_pylist()
    assert [(r["id"], r["purpose"], r["amount"]) for r in table] == [
        ("plain", "Humanitarian:Calais", "1000000"),
        *(("split", p, a) for p, a in PARTS),
        ("linked", "Humanitarian:Calais", "5")]
    assert sum(Decimal(r["amount"]) for r in table if r["id"] == "split") == Decimal("1000000")
    assert [r["restated"] for r in table] == ["EUR 1200000; USD 1300000", "", "", "EUR 6"]
    assert [r["origin"] for r in table] == ["a", "b", "b", "e"]
    assert outside == []
