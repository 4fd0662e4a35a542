"""The rounding rule of money, once: an amount in a currency's minor units,
rounded half away from zero (Decimal's ROUND_HALF_UP), and a product of
minor units and an exact fraction, rounded half away from zero.  One value
(``to_minor``, ``round_div`` on ints: the package rule, ``ledger.phrases.
period.total_minor``) or a column (``minor_units``, ``round_div`` on
arrays: the valuation, ``rates._minor``), the same figures
(tests/ledger/rules/test_minor_rounding5.py)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ledger.errors import LedgerError


def plain_decimal(d: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros: 12000000, 1.4."""
    if d == d.to_integral_value():
        return format(d.quantize(Decimal(1)), "f")
    return format(d.normalize(), "f")


def to_minor(amount: Decimal | int | str, digits: int) -> int:
    """One amount in minor units of a currency of ``digits`` places."""
    a = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    return int(a.scaleb(digits).to_integral_value(ROUND_HALF_UP))


def round_div(num: Any, den: Any) -> Any:
    """``num / den`` rounded half away from zero (``den`` > 0): Python ints,
    or numpy arrays of them (object dtype: never rounded by float)."""
    q = (2 * abs(num) + den) // (2 * den)
    if isinstance(q, int):
        return -q if num < 0 else q
    import numpy as np
    return np.where(num < 0, -q, q)


def minor_units(dec, digits):
    """A decimal128 column (pyarrow) in int64 minor units, ``digits`` per
    row, rounded as ``to_minor``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    out = np.zeros(len(dec), dtype=np.int64)
    digits = np.asarray(digits)
    for k in np.unique(digits):
        mask = digits == k
        part = dec if mask.all() else pc.filter(dec, pa.array(mask))
        try:   # exact at k places already (nearly always): no rounding to do
            r = part.cast(pa.decimal128(38, int(k)))   # a safe cast: raises on lost digits
        except pa.ArrowInvalid:
            # Arrow's "half_up" rounds -0.5 to 0; Decimal's ROUND_HALF_UP to -1
            r = pc.round(part, ndigits=int(k), round_mode="half_towards_infinity").cast(
                pa.decimal128(38, int(k)))
        out[mask] = unscaled_int64(r)
    return out


def unscaled_int64(dec):
    """The unscaled integers of a decimal128 array (1234.50 at scale 2 ->
    123450) as int64, read from Arrow's buffer (128-bit little-endian two's
    complement) without a copy per value; nulls read as 0."""
    import numpy as np
    import pyarrow as pa

    if isinstance(dec, pa.ChunkedArray):
        dec = dec.combine_chunks()
    n = len(dec)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    words = np.frombuffer(dec.buffers()[1], dtype=np.int64)
    words = words[2 * dec.offset: 2 * (dec.offset + n)].reshape(n, 2)
    lo, hi = words[:, 0], words[:, 1]
    valid = (np.ones(n, dtype=bool) if dec.null_count == 0
             else dec.is_valid().to_numpy(zero_copy_only=False))
    if ((hi != (lo >> 63)) & valid).any():   # does not fit in 64 bits
        raise LedgerError("an amount is too large (more than 9e18 minor units)")
    return np.where(valid, lo, 0)
