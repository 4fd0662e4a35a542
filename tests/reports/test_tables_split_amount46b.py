"""The original amount of a purpose named by two split parts (review46):
their amounts as written summed, in the units of an unsplit row's (per
year for "a year" amounts, whatever the horizon), not their total over the
years; the column prints as without summed rows (it printed ``500000.00``
for ``500000 EUR`` once a row was summed).  Expected figures
from the ledger's text."""
from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest

LEDGER = '''[ledger]
name = "sa"
currency = "EUR"

[[entry]]
id = "y1"
date = 2016-03-15
funder = "EU"
amount = "4000000 EUR a year for 3 years"
  [[entry.split]]
  purpose = "A"
  amount = "1500000 EUR a year for 3 years"
  [[entry.split]]
  purpose = "A"
  amount = "1000000 EUR a year for 3 years"
  [[entry.split]]
  purpose = "C"
  amount = "1500000 EUR a year for 3 years"

[[entry]]
id = "o1"
date = 2016-01-01
funder = "EU"
amount = "1000000 EUR a year"
  [[entry.split]]
  purpose = "A"
  amount = "500000 EUR a year"
  [[entry.split]]
  purpose = "A"
  amount = "200000 EUR a year"
  [[entry.split]]
  purpose = "C"
  amount = "300000 EUR a year"

[[entry]]
id = "j1"
date = 2017-06-01
funder = "JP"
amount = "100000001 JPY"
  [[entry.split]]
  purpose = "A"
  amount = "50000000 JPY"
  [[entry.split]]
  purpose = "A"
  amount = "50000001 JPY"

[[entry]]
id = "u1"
date = 2017-05-10
funder = "EU"
amount = "500000 EUR"
purpose = "D"
'''


def _written() -> dict[tuple[str, str], Decimal]:
    """Each (entry, purpose)'s parts' amounts as the ledger's text writes them, summed."""
    got: dict[tuple[str, str], Decimal] = {}
    for block in LEDGER.split("[[entry]]")[1:]:
        eid = re.search(r'id = "(\w+)"', block)[1]
        parts = re.findall(r'purpose = "(\w)"\n\s*amount = "([\d.]+)', block) or \
            [(re.search(r'purpose = "(\w)"', block)[1], re.search(r'amount = "([\d.]+)', block)[1])]
        for p, a in parts:
            got[eid, p] = got.get((eid, p), Decimal(0)) + Decimal(a)
    return got


@pytest.mark.parametrize("horizon", [None, "2018", "2024"])
def test_summed_parts_show_their_amounts_as_written(tmp_path, run_cli, horizon):
    root = tmp_path / "l"
    root.mkdir()
    (root / "ledger.toml").write_text(LEDGER, encoding="utf-8")
    out = tmp_path / "r"
    code, _, err = run_cli("report", root, "--out", out, "--currency", "EUR",
                           *(("--horizon", horizon) if horizon else ()))
    assert code == 0, err
    with open(out / "entries.csv", encoding="utf-8", newline="") as fh:
        rows = {(r["id"], r["purpose"]): r["original amount"] for r in csv.DictReader(fh)}
    want = _written()
    assert set(rows) == set(want)
    for key, amount in want.items():
        assert Decimal(rows[key]) == amount, key        # y1 A 2,500,000 a year, not 7,500,000
    # whole amounts print whole, summed or not (the column shows its values'
    # most decimal places: none here)
    assert rows["u1", "D"] == "500000" and rows["y1", "C"] == "1500000", rows
    assert rows["j1", "A"] == "100000001" and rows["o1", "A"] == "700000", rows
