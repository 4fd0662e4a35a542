"""--status and an entry tagged not-counted in a chain of links (revB): the
tagged entry holds no money, so adding its status to --status must not
lose the money of what links to it.

z: pledged £10m; y: committed £6m, part of z, tagged not-counted;
x: disbursed £4m, disburses y.  By hand: --status disbursed counts x,
£4m; with committed too, y is chosen but counts nowhere, so x still
counts as itself, £4m; with pledged and disbursed, z is chosen and holds
x's money: £10m."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

JOURNAL = """[ledger]
name = "t"

[[entry]]
id = "z"
date = 2020-01-01
funder = "UK"
purpose = "Aid"
amount = "£10m"
status = "pledged"

[[entry]]
id = "y"
date = 2020-06-01
funder = "UK"
purpose = "Aid"
amount = "£6m"
status = "committed"
part_of = "z"
tags = ["not-counted"]

[[entry]]
id = "x"
date = 2021-01-01
funder = "UK"
purpose = "Aid"
amount = "£4m"
status = "disbursed"
disburses = "y"
"""


@pytest.mark.parametrize("statuses, expected", [
    (["disbursed"], "4000000"),
    (["committed", "disbursed"], "4000000"),
    (["pledged", "disbursed"], "10000000"),
    (["pledged", "committed", "disbursed"], "10000000"),
])
def test_a_not_counted_entry_holds_no_money_under_status(tmp_path, run_cli, statuses, expected):
    path = tmp_path / "l.toml"
    path.write_text(JOURNAL, encoding="utf-8")
    args = [a for s in statuses for a in ("--status", s)]
    code, out, err = run_cli("balance", path, "--format", "csv", *args)
    assert code == 0, err
    rows = {r["account"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))}
    assert rows["Purposes"] == Decimal(expected)
