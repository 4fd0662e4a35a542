"""A listing's split entry (``list --format csv``: ``PURPOSE=SHARE; ...`` in
the purpose column) imported back gives the same parts, whatever its
purposes hold: the separator "; ", "=", double quotes."""
from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import ledger
from ledger.imports.table import listed_split


def _journal(purposes: list[str], shares: list[int]) -> str:
    parts = "".join(f'  [[entry.split]]\n  purpose = {json.dumps(p, ensure_ascii=False)}\n'
                    f'  amount = "{a}"\n' for p, a in zip(purposes, shares))
    return ('[[entry]]\nid = "pkg"\ndate = 2020-01-01\nfunder = "UK:FCDO"\n'
            f'amount = "{sum(shares)} GBP"\nstatus = "committed"\n{parts}')


def _per_purpose(book: Path) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for e in ledger.load(book).entries:
        for s in e.splits:
            out[s.purpose] += s.amount
    return dict(out)


def _round_trip(tmp_path: Path, run_cli, purposes: list[str], shares: list[int]):
    """(the purposes' totals in the ledger, after the listing is imported
    into a new one), or None when ``check`` refuses the ledger itself."""
    tmp_path = Path(tempfile.mkdtemp(dir=tmp_path))   # hypothesis: one tmp_path for all
    book = tmp_path / "book"
    book.mkdir()
    (book / "main.toml").write_text(_journal(purposes, shares), encoding="utf-8")
    code, out, err = run_cli("check", book)
    if code != 0:
        return None
    code, listing, err = run_cli("list", book, "--format", "csv")
    assert code == 0, err
    (tmp_path / "list.csv").write_text(listing, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "list.csv", "-o", tmp_path / "back")
    assert code == 0, err
    return _per_purpose(book), _per_purpose(tmp_path / "back")


def test_purposes_with_the_separator_come_back_whole(tmp_path, run_cli):
    purposes = ["Health; nutrition:Chad", "Water=sanitation:Chad", '"Quoted"; too:Mali']
    before, after = _round_trip(tmp_path, run_cli, purposes, [600, 300, 100])
    assert before == after == {"Health; nutrition:Chad": Decimal(600),
                               "Water=sanitation:Chad": Decimal(300),
                               '"Quoted"; too:Mali': Decimal(100)}


_NAME = st.text(st.sampled_from(list("Ab é;=\"'x:")), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_NAME, min_size=2, max_size=4, unique=True),
       shares=st.lists(st.integers(1, 10**6), min_size=4, max_size=4))
def test_each_purpose_s_total_survives_list_and_import(tmp_path, run_cli, names, shares):
    purposes = [f"Health:{n.strip()}" for n in names]
    assume(len(set(purposes)) == len(purposes))
    got = _round_trip(tmp_path, run_cli, purposes, shares[:len(purposes)])
    assume(got is not None)
    before, after = got
    assert before == after


def test_a_cell_that_is_not_a_listing_s_split_is_not_read_as_one():
    assert listed_split("A=1; B=2") == [("A", "1"), ("B", "2")]
    assert listed_split('"A; B"=1; C=2') == [("A; B", "1"), ("C", "2")]
    for cell in ("A=1; ", "A=x", '"A=1', '"A"=; B=2', "=1", '"A"x=1'):
        assert listed_split(cell) is None
