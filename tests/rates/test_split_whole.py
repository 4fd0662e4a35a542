"""rates.normalise: a split entry converted at a rate is worth its amount
converted and rounded once, whatever its parts: the parts share that value
(hunt18: €50,000 split three ways at 1.1198 gave $55,990.01, not the
$55,990.00 of converting the entry, or of ``rates convert``)."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import load
from reports.balance import converted
from reports.options import ReportOptions
from tests.rates.ecb_raw import ecb_rates

DAY = dt.date(2020, 6, 30)


def _ledger(root: Path, parts: list[Decimal], when: dt.date = DAY) -> Path:
    total = sum(parts)
    text = (f'[ledger]\nname = "split"\n\n[[entry]]\nid = "s1"\ndate = {when.isoformat()}\n'
            f'funder = "DE"\namount = "{total} EUR"\n')
    for k, p in enumerate(parts):
        text += f'  [[entry.split]]\n  purpose = "P{k}"\n  amount = "{p} EUR"\n'
    root.mkdir(parents=True, exist_ok=True)
    (root / "ledger.toml").write_text(text, encoding="utf-8")
    return root


def _by_hand(amount: Decimal, when: dt.date) -> Decimal:
    """EUR -> USD at the ECB's published rate of that day, rounded once."""
    return (amount * ecb_rates()["USD"][when]).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _balance(root: Path) -> tuple[Decimal, list[Decimal]]:
    rows, _ = converted(load(root), ReportOptions(currency="USD"))
    by = {r["account"]: Decimal(str(r["amount"])) for r in rows}
    parts = [v for k, v in by.items() if k.startswith("Purposes:")]
    return by["(total)"], parts


def test_the_entry_is_converted_once(tmp_path, run_cli):
    parts = [Decimal("16666.67"), Decimal("16666.67"), Decimal("16666.66")]
    root = _ledger(tmp_path / "l", parts)
    assert ecb_rates()["USD"][DAY] == Decimal("1.1198")
    total, shares = _balance(root)
    assert total == _by_hand(Decimal(50000), DAY) == Decimal("55990.00")
    assert sum(shares) == total
    # each part within a cent of its own conversion
    assert all(abs(s - _by_hand(p, DAY)) <= Decimal("0.01") for s, p in zip(sorted(shares),
                                                                            sorted(parts)))
    code, out, _ = run_cli("balance", root, "--currency", "USD", "--by", "year")
    assert code == 0 and "55,990.00" in out.splitlines()[-1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cents=st.lists(st.integers(1, 10**9), min_size=2, max_size=5),
       day=st.sampled_from(sorted(ecb_rates()["USD"])[-2000:]))
def test_any_split_is_worth_its_entry(tmp_path_factory, cents, day):
    parts = [Decimal(c).scaleb(-2) for c in cents]
    total, shares = _balance(_ledger(tmp_path_factory.mktemp("s"), parts, day))
    assert total == _by_hand(sum(parts), day)
    assert sum(shares) == total
