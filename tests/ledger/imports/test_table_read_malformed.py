"""Import, reading a CSV's malformed rows (ledger/imports/table.py
read_csv_rows): carried beside the frame, each refused with its row."""
from __future__ import annotations

import random
from decimal import Decimal

from ledger.imports.table import import_table, read_csv_rows

HEADER = "id,date,funder,purpose,amount,currency"


def test_many_malformed_rows_ride_beside_the_frame_not_in_its_attrs(tmp_path):
    """Rows with a cell too many (an unquoted thousands comma), one in five:
    each is refused at its row, every other row imported with its amount
    (computed here from the lines written); their cells are not in the
    frame's ``attrs``, which pandas deep-copies on every operation (100,000
    rows, 20 % malformed: 22 -> 50 s)."""
    rng = random.Random(3)
    lines, good, bad = [HEADER], {}, []
    for k in range(300):
        amount = 1000 + k
        if rng.random() < 0.2:
            lines.append(f"e{k},2019-03-01,UK,P{k % 7},{amount // 1000},{amount % 1000:03d},GBP")
            bad.append(len(lines))
        else:
            lines.append(f"e{k},2019-03-01,UK,P{k % 7},{amount},GBP")
            good[f"e{k}"] = Decimal(amount)
    src = tmp_path / "m.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = import_table(src)
    assert {e.id: e.amount for e in res.entries} == good
    assert sorted(r.line for r in res.rejects) == bad and len(bad) > 30
    assert all("7 cells, the header has 6" in r.message for r in res.rejects)
    assert res.rows == 300
    assert not res.table.attrs
    got = read_csv_rows("\n".join(lines) + "\n")
    assert not got.frame.attrs
    assert [r for r, _, _ in got.malformed] == bad == sorted(got.cells)
    assert got.rows == [n for n in range(2, 302) if n not in bad]
    assert got.cells[bad[0]] == lines[bad[0] - 1].split(",")

