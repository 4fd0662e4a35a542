"""reports/accounts.py: the one roll-up of the account tree."""
from __future__ import annotations

from decimal import Decimal

from reports.accounts import parents, roll_up


def test_parents_are_the_account_and_every_parent_top_first():
    assert parents("Funders:UK:FCDO") == ["Funders", "Funders:UK", "Funders:UK:FCDO"]
    assert parents("EU") == ["EU"]


def test_roll_up_adds_each_account_into_every_parent():
    leaves = {"UK:FCDO": 300, "UK:DHSC": 50, "UK": 7, "EU": 11}
    assert dict(roll_up(leaves)) == {"UK": 357, "UK:FCDO": 300, "UK:DHSC": 50, "EU": 11}


def test_roll_up_stops_at_the_depth():
    leaves = {"A:B:C": 1, "A:B:D": 2, "A:E": 4}
    assert dict(roll_up(leaves, 2)) == {"A": 7, "A:B": 3, "A:E": 4}
    assert dict(roll_up(leaves, 1)) == {"A": 7}


def test_roll_up_keeps_the_rest_of_a_tuple_key_apart():
    """(account, currency) and (account, year) keys: each currency or year
    rolls up on its own, exactly (Decimal or int)."""
    leaves = {("F:UK", "GBP"): Decimal("1.10"), ("F:US", "GBP"): Decimal("2"),
              ("F:UK", "EUR"): Decimal("5")}
    assert dict(roll_up(leaves)) == {
        ("F", "GBP"): Decimal("3.10"), ("F:UK", "GBP"): Decimal("1.10"),
        ("F:US", "GBP"): Decimal("2"), ("F", "EUR"): Decimal("5"),
        ("F:UK", "EUR"): Decimal("5")}
    big = {("P:X", "2020"): 2 ** 70, ("P:Y", "2020"): 2 ** 70}
    assert roll_up(big)[("P", "2020")] == 2 ** 71          # no 64-bit wrap
