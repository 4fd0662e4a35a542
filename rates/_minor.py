"""Exact money arithmetic on arrays: amounts as integer minor units.

Arrays hold Python ints (numpy ``object``) where products can exceed 64 bits,
so nothing is ever rounded by float.  Every array operation here is a numpy
ufunc over the whole column: no per-row Python loop.
"""
from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ledger.errors import LedgerError

_DEC = pa.decimal128(38, 9)


def to_decimal_array(values, what: str = "amount") -> pa.Array:
    """A column of Decimal / int / float / numeric strings -> decimal128(38, 9)."""
    import pandas as pd

    s = pd.Series(values)
    try:
        if pd.api.types.is_float_dtype(s.dtype) or pd.api.types.is_integer_dtype(s.dtype):
            return pa.array(s.to_numpy()).cast(_DEC)
        if pd.api.types.is_string_dtype(s.dtype) and not s.map(type).eq(Decimal).any():
            return pc.utf8_trim_whitespace(pa.array(s.astype(str).to_numpy(dtype=object))).cast(_DEC)
        try:
            return pa.array(s.to_numpy(dtype=object), type=_DEC)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            return pa.array(s.astype(str).to_numpy(dtype=object)).cast(_DEC)
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError, TypeError):
        bad = _first_bad(s)
        raise LedgerError(f"{bad[0]}: {what} {bad[1]!r} is not a number "
                          f"(at most 9 decimal places)") from None


def _first_bad(s):
    for i, v in zip(range(len(s)), s):
        try:
            d = Decimal(str(v))
            if not d.is_finite() or d.as_tuple().exponent < -9:
                raise ValueError
        except Exception:
            return (f"row {i}", v)
    return ("a row", "?")


def minor_units(dec: pa.Array, digits: np.ndarray) -> np.ndarray:
    """decimal128 amounts -> int64 minor units (rounded half up per currency
    digits; ``digits`` is per row)."""
    out = np.zeros(len(dec), dtype=np.int64)
    for k in np.unique(digits):
        mask = digits == k
        part = pc.filter(dec, pa.array(mask))
        r = pc.round(part, ndigits=int(k), round_mode="half_up").cast(pa.decimal128(38, int(k)))
        try:
            ints = pc.replace_substring(r.cast(pa.string()), ".", "").cast(pa.int64())
        except pa.ArrowInvalid:
            raise LedgerError("an amount is too large (more than 9e16 minor units)") from None
        out[mask] = ints.to_numpy(zero_copy_only=False)
    return out


def objects(values) -> np.ndarray:
    """An int array as Python ints (object) for overflow-free arithmetic."""
    arr = np.asarray(values)
    if arr.dtype == object:
        return arr
    out = np.empty(len(arr), dtype=object)
    out[:] = arr.tolist()
    return out


def round_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den rounded half away from zero (den > 0), as Python ints."""
    num, den = objects(num), objects(den)
    q = (2 * np.abs(num) + den) // (2 * den)
    return np.where(num < 0, -q, q)


def largest_remainder(total: np.ndarray, group: np.ndarray, weight: np.ndarray,
                      weight_sum: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Split each group's integer ``total`` in proportion to ``weight`` so the
    parts add up to the total exactly.

    ``group`` gives each part's group (parts of a group are contiguous, groups
    in ascending order); ``total`` and ``weight_sum`` are per group; ``order``
    breaks ties (earlier first).  Floors first, then one unit each to the
    largest remainders.
    """
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=object)
    t = objects(total)[group]
    w = objects(weight)
    ws = objects(weight_sum)[group]
    prod = t * w
    base = prod // ws
    rem = (prod - base * ws).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    deficit = objects(total)[group[starts]] - np.add.reduceat(base, starts)
    sort = np.lexsort((order, -rem, group))
    rank = np.empty(n, dtype=np.int64)
    first_of_group = np.repeat(starts, np.diff(np.r_[starts, n]))
    rank[sort] = np.arange(n) - first_of_group
    extra = rank < objects(deficit)[np.searchsorted(starts, np.arange(n), side="right") - 1]
    return base + extra.astype(np.int64)


def to_decimals(minor: np.ndarray, digits: int) -> np.ndarray:
    """Integer minor units -> Decimal objects with ``digits`` places."""
    minor = np.asarray(minor)
    try:
        ints = minor.astype(np.int64) if minor.dtype == object else minor
        scale = pa.scalar(Decimal(1).scaleb(-digits), pa.decimal128(digits + 1, digits))
        dec = pc.multiply(pa.array(ints, pa.int64()).cast(pa.decimal128(20, 0)), scale)
        return dec.to_numpy(zero_copy_only=False)
    except (OverflowError, pa.ArrowInvalid):
        return np.array([Decimal(int(v)).scaleb(-digits) for v in minor], dtype=object)
