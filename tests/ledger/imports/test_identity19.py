"""A split entry whose parts come back in another order is the same figure:
the identity compares parts as a multiset of purpose=amount, so a listing
or an export imported back with its parts swapped adds nothing."""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import ledger
from ledger.imports.identity import figure_key

_LEDGER = """[ledger]
name = "sp"
currency = "GBP"

[[document]]
id = "d"
title = "T"
publisher = "P"
published = 2015-01-01
"""

# s1 and s2 split £1,000 each between P:A and P:B the other way round; s3
# is £600 to P:A alone: £2,600 in all, by hand
_ENTRIES = """
[[entry]]
id = "s1"
date = 2015-01-01
funder = "UK:F"
amount = "£1000"
[[entry.source]]
doc = "d"
quote = "x"
[[entry.split]]
purpose = "P:A"
amount = 600
[[entry.split]]
purpose = "P:B"
amount = 400

[[entry]]
id = "s2"
date = 2015-01-01
funder = "UK:F"
amount = "£1000"
[[entry.source]]
doc = "d"
quote = "y"
[[entry.split]]
purpose = "P:A"
amount = 400
[[entry.split]]
purpose = "P:B"
amount = 600

[[entry]]
id = "s3"
date = 2015-01-01
funder = "UK:F"
purpose = "P:A"
amount = "£600"
[[entry.source]]
doc = "d"
quote = "z"
"""


def _book(tmp_path: Path) -> Path:
    book = tmp_path / "sp"
    book.mkdir()
    (book / "ledger.toml").write_text(_LEDGER, encoding="utf-8")
    (book / "pledges.toml").write_text(_ENTRIES, encoding="utf-8")
    return book


def _total(book: Path) -> Decimal:
    return sum((e.amount for e in ledger.load(book).entries), Decimal(0))


def test_a_listing_with_a_split_s_parts_swapped_adds_nothing(tmp_path, run_cli):
    book = _book(tmp_path)
    assert _total(book) == Decimal(2600)
    code, listing, err = run_cli("list", book, "--format", "csv")
    assert code == 0, err
    assert "P:A=600; P:B=400" in listing
    swapped = listing.replace("P:A=600; P:B=400", "P:B=400; P:A=600")
    # without its ids: the figures alone say which entry each row is
    rows = list(csv.reader(io.StringIO(swapped)))
    body = io.StringIO()
    csv.writer(body, lineterminator="\n").writerows(r[1:] for r in rows)
    assert rows[0][0] == "id"
    (tmp_path / "swap.csv").write_text(body.getvalue(), encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "swap.csv", "-o", book)
    assert "same figure as entry 's1'" in err
    assert not (book / "imported.toml").exists(), err
    assert _total(book) == Decimal(2600)


def test_an_export_with_a_split_s_rows_swapped_adds_nothing(tmp_path, run_cli):
    book = _book(tmp_path)
    code, _, err = run_cli("export", book, "--to", "csv", "-o", tmp_path / "all.csv")
    assert code == 0, err
    with open(tmp_path / "all.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    s1 = [r for r in rows if r["quote"] == "x"]
    assert [(r["purpose"], r["amount"]) for r in s1] == [("P:A", "600"), ("P:B", "400")]
    fields = [k for k in rows[0] if k != "id"]
    with open(tmp_path / "swap.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(reversed(s1))
    code, _, err = run_cli("import", tmp_path / "swap.csv", "-o", book)
    assert "same figure as entry 's1'" in err
    assert not (book / "imported.toml").exists(), err
    assert _total(book) == Decimal(2600)


_PARTS = st.lists(st.tuples(st.sampled_from(["P:A", "P:B", "P:C"]),
                            st.integers(1, 10**6).map(Decimal)), min_size=1, max_size=5)


@settings(deadline=None)
@given(parts=_PARTS, data=st.data())
def test_the_parts_order_never_changes_the_figure(parts, data):
    other = data.draw(st.permutations(parts))

    def key(ps):
        return figure_key("UK:F", ps, sum((a for _, a in ps), Decimal(0)), "GBP",
                          dt.date(2015, 1, 1), [("d", "x", "")])
    assert key(parts) == key(other)


def test_parts_are_a_multiset_not_a_set():
    # the same purposes, amounts and total (2*2 + 3*3 = 5*2 + 1*3 = 13), as
    # many of each part differing: two figures
    a, b = ("P:A", Decimal(2)), ("P:B", Decimal(3))
    key = functools.partial(figure_key, "UK:F", amount=Decimal(13), currency="GBP",
                            date=dt.date(2015, 1, 1), citations=[("d", "x", "")])
    assert key([a, b, a, b, b]) == key([b, b, a, b, a])
    assert key([a, a, b, b, b]) != key([a, a, a, a, a, b])
