"""A split naming one purpose twice is counted with both amounts
(docs/journal.md, `split-purpose-twice`): "P:A=500; P:A=500" is £1,000
under P:A, as "P:A=1000" is.  Re-importing a listing that writes the parts
merged is the same figure, not a new entry; splits whose amounts per
purpose differ stay two figures."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ledger

HEADER = "date,funder,purpose,amount,currency,qualifier,period,status,links,sources\n"


def _entry(eid: str, quote: str, parts: list[tuple[str, int]], total: int) -> str:
    text = (f'[[entry]]\nid = "{eid}"\ndate = 2015-01-01\nfunder = "UK:F"\n'
            f'amount = "£{total}"\n')
    if len(parts) == 1 and parts[0][1] == total:
        text += f'purpose = "{parts[0][0]}"\n'
        parts = []
    text += f'[[entry.source]]\ndoc = "d"\nquote = "{quote}"\n'
    for purpose, amount in parts:
        text += f'[[entry.split]]\npurpose = "{purpose}"\namount = {amount}\n'
    return text + "\n"


def _ledger(path: Path, *entries: str) -> Path:
    path.mkdir()
    (path / "ledger.toml").write_text(
        '[ledger]\nname = "sp"\ncurrency = "GBP"\nfiscal_year_start = "04-01"\n'
        'archive = "sources"\n', encoding="utf-8")
    (path / "sources.toml").write_text(
        '[[document]]\nid = "d"\ntitle = "T"\npublisher = "P"\npublished = 2015-01-01\n',
        encoding="utf-8")
    (path / "pledges.toml").write_text("".join(entries), encoding="utf-8")
    return path


def _listing(path: Path, *purposes: tuple[str, int]) -> Path:
    path.write_text(HEADER + "".join(
        f"2015-01-01,UK:F,{p},{amount},GBP,exact,one-off,pledged,,d\n" for p, amount in purposes),
        encoding="utf-8")
    return path


def _amounts(book: Path) -> dict[str, Decimal]:
    return {e.id: e.amount for e in ledger.load(book).entries}


SPLITS = [_entry("s1", "x", [("P:A", 600), ("P:B", 400)], 1000),
          _entry("s2", "y", [("P:A", 400), ("P:B", 600)], 1000),
          _entry("s3", "z", [("P:A", 600)], 600)]


@pytest.mark.parametrize("in_ledger, listed", [
    ([("P:A", 500), ("P:A", 500)], "P:A=1000"),
    ([("P:A", 500), ("P:A", 500)], "P:A"),
    ([("P:A", 1000)], "P:A=500; P:A=500"),
    ([("P:A", 300), ("P:B", 400), ("P:A", 300)], "P:B=400; P:A=600"),
], ids=["merged", "plain", "split-again", "three-parts"])
def test_parts_of_one_purpose_merged_are_the_same_figure(tmp_path, run_cli, in_ledger, listed):
    total = sum(a for _, a in in_ledger)
    book = _ledger(tmp_path / "book", *SPLITS, _entry("s4", "w", in_ledger, total))
    before = _amounts(book)
    assert sum(before.values()) == 1000 + 1000 + 600 + total
    csv = _listing(tmp_path / "l.csv", ("P:A=600; P:B=400", 1000), ("P:A=400; P:B=600", 1000),
                   ("P:A", 600), (listed, total))
    code, _, err = run_cli("import", csv, "-o", book)
    assert "the same figure as entry 's4'" in err, err
    assert _amounts(book) == before
    code, _, err = run_cli("check", book)
    assert code == 0, err


def test_other_amounts_per_purpose_are_another_figure(tmp_path, run_cli):
    book = _ledger(tmp_path / "book", *SPLITS,
                   _entry("s4", "w", [("P:A", 500), ("P:A", 500)], 1000))
    csv = _listing(tmp_path / "l.csv", ("P:A=700; P:B=300", 1000), ("P:A=500; P:B=500", 1000))
    code, _, err = run_cli("import", csv, "-o", book)
    assert code == 0, err
    got = _amounts(book)
    assert len(got) == 6 and sum(got.values()) == Decimal(5600)
