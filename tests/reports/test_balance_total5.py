"""balance's (total) has one meaning: the purposes' total, the money
counted, as recorded per currency or converted; the Funders line is its
negative in every currency (double entry)."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

# by hand: GBP 10m + 2.5m (a split: 1.5m / 1m) = 12.5m; EUR 3m; a
# disbursement of 4m linked to the first pledge is counted in it only
LEDGER = """[ledger]
name = "t"
currency = "GBP"

[[entry]]
id = "a"
date = 2020-01-01
funder = "UK:HO"
purpose = "P:X"
amount = "£10 million"

[[entry]]
id = "b"
date = 2020-02-01
funder = "UK:FCDO"
amount = "£2.5 million"

[[entry.split]]
purpose = "P:X"
amount = "£1.5 million"

[[entry.split]]
purpose = "Q"
amount = "£1 million"

[[entry]]
id = "c"
date = 2020-03-01
funder = "FR"
purpose = "Q"
amount = "€3 million"

[[entry]]
id = "d"
date = 2020-04-01
funder = "UK:HO"
purpose = "P:X"
amount = "£4 million"
disburses = "a"
"""


@pytest.fixture
def ledger(tmp_path) -> Path:
    path = tmp_path / "t.toml"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def _rows(out: str) -> dict[tuple[str, str], Decimal]:
    return {(r["account"], r["currency"]): Decimal(str(r["amount"])) for r in json.loads(out)}


def test_recorded_total_is_the_purposes_total_per_currency(ledger, run_cli):
    code, out, err = run_cli("balance", ledger, "--format", "json")
    assert code == 0, err
    rows = _rows(out)
    assert rows[("(total)", "GBP")] == Decimal("12500000")
    assert rows[("(total)", "EUR")] == Decimal("3000000")
    for cur in ("GBP", "EUR"):      # the double-entry check
        assert rows[("Purposes", cur)] == rows[("(total)", cur)] == -rows[("Funders", cur)]


def test_converted_total_means_the_same(ledger, run_cli):
    """Without a second currency, converting into GBP changes nothing: the
    same (total) on both bases."""
    gbp_only = ledger.read_text(encoding="utf-8").replace("€3 million", "£3 million")
    ledger.write_text(gbp_only, encoding="utf-8")
    code, recorded, err = run_cli("balance", ledger, "--format", "json")
    assert code == 0, err
    code, converted, err = run_cli("balance", ledger, "--currency", "GBP", "--format", "json")
    assert code == 0, err
    want = Decimal("15500000")
    assert _rows(recorded)[("(total)", "GBP")] == want == _rows(converted)[("(total)", "GBP")]
    assert _rows(recorded)[("Funders", "GBP")] == -want == _rows(converted)[("Funders", "GBP")]
