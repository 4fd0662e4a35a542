"""ledger.read.raw: the journal's reader and an import's hand the rules
one row per entry in ``RawTables.entries``, a split entry's parts in the
splits table alone (each with its line), and a part's problem is still
worded at the part's own line.  The figures come from the input each test
writes."""
from __future__ import annotations

import datetime as dt

import ledger.read.journal_columns as jc
from ledger.read.journal_columns import read_journal_frame, read_records
from ledger.read.table import check_raw

# a split entry of three parts, the second's amount not a number, then a plain one
PARTS = [("FR:Calais", "40"), ("FR:Lille", "-5"), ("FR:Dunkirk", "20")]


def _entries(raw):
    return raw.entries.column("id").to_pylist()


def _parts(raw):
    s = raw.splits
    return list(zip(s.column("entry").to_pylist(), s.column("purpose").to_pylist(),
                    s.column("amount").to_pylist(), s.column("line").to_pylist()))


def test_a_journal_split_entry_is_one_row_its_parts_in_the_splits_table(tmp_path, monkeypatch):
    text = ('[[entry]]\nid = "s"\ndate = 2016-01-02\nfunder = "UK:HO"\namount = "£55"\n'
            + "".join(f'\n[[entry.split]]\npurpose = "{p}"\namount = "{a}"\n' for p, a in PARTS)
            + '\n[[entry]]\nid = "p"\ndate = 2016-01-03\nfunder = "UK:HO"\n'
              'purpose = "FR:Calais"\namount = "£5"\n')
    (tmp_path / "j.toml").write_text(text, encoding="utf-8")
    lines = text.splitlines()
    heads = [k + 1 for k, x in enumerate(lines) if x == "[[entry]]"]
    bad_amount = lines.index('amount = "-5"') + 1
    handed = []

    def spy(raw, *args, **kw):
        handed.append(raw)
        return check_raw(raw, *args, **kw)

    monkeypatch.setattr(jc, "check_raw", spy)
    got, _ = read_journal_frame(tmp_path / "j.toml")
    (raw,) = handed
    assert _entries(raw) == ["s", "p"]
    assert raw.line.tolist() == heads
    assert _parts(raw) == [(0, p, a, heads[0]) for p, a in PARTS]
    assert [(p.line, p.entry_id, p.code) for p in got.problems if p.severity == "error"] == [
        (bad_amount, "s", "bad-split")]


def test_an_imports_split_record_is_one_row_its_parts_at_their_lines():
    records = [{"id": "s", "date": dt.date(2016, 1, 2), "funder": "UK:HO", "amount": "55 GBP",
                "split": [{"purpose": p, "amount": a} for p, a in PARTS]},
               {"id": "p", "date": dt.date(2016, 1, 3), "funder": "UK:HO",
                "purpose": "FR:Calais", "amount": "5 GBP"}]
    # a spreadsheet's rows: the split record on rows 7 to 9, the other on row 10
    got = read_records([("in.csv", records, [7, 10], [[7, 8, 9], []])])
    raw = got.form.raw
    assert _entries(raw) == ["s", "p"]
    assert raw.line.tolist() == [7, 10]
    assert _parts(raw) == [(0, p, a, 7) for p, a in PARTS]
    _, problems = check_raw(raw, None, own_only=True)
    assert [(p.line, p.entry_id, p.code) for p in problems if p.severity == "error"] == [
        (8, "s", "bad-split")]
