"""Exact money arithmetic on arrays: amounts as integer minor units.

Arrays hold Python ints (numpy ``object``) where products can exceed 64 bits,
so nothing is ever rounded by float.  Every array operation here is a numpy
ufunc over the whole column: no per-row Python loop.
"""
from __future__ import annotations

from decimal import Context, Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ledger.errors import LedgerError
from ledger.minor import minor_units, round_div as _round_div, unscaled_int64

__all__ = ["minor_units", "unscaled_int64", "round_div", "mul_round", "largest_remainder",
           "largest_remainders", "objects", "ratio_float", "to_decimal_array", "to_decimals"]

_DEC = pa.decimal128(38, 9)


def to_decimal_array(values, what: str = "amount") -> pa.Array:
    """A column of Decimal / int / float / numeric strings -> decimal128(38, 9).
    An Arrow-backed decimal column (``ledger.read.table`` gives one) is cast
    directly, without Python objects."""
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(values)
    try:
        if isinstance(s.dtype, pd.ArrowDtype) and pa.types.is_decimal(s.dtype.pyarrow_dtype):
            arr = pa.array(s.array)
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks()
            return arr.cast(_DEC)
        if pd.api.types.is_float_dtype(s.dtype) or pd.api.types.is_integer_dtype(s.dtype):
            return pa.array(s.to_numpy()).cast(_DEC)
        if pd.api.types.is_string_dtype(s.dtype) and not s.map(type).eq(Decimal).any():
            return pc.utf8_trim_whitespace(pa.array(s.astype(str).to_numpy(dtype=object),
                                                    type=pa.string())).cast(_DEC)
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


def objects(values) -> np.ndarray:
    """An int array as Python ints (object) for overflow-free arithmetic."""
    arr = np.asarray(values)
    if arr.dtype == object:
        return arr
    out = np.empty(len(arr), dtype=object)
    out[:] = arr.tolist()
    return out


def round_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den rounded half away from zero (den > 0), as Python ints
    (``ledger.minor.round_div``, the one rule)."""
    return _round_div(objects(num), objects(den))


def largest_remainder(total: np.ndarray, group: np.ndarray, weight: np.ndarray,
                      weight_sum: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Split each group's integer ``total`` in proportion to ``weight`` so the
    parts add up to the total exactly.

    ``group`` gives each part's group (parts of a group are contiguous, groups
    in ascending order); ``total`` and ``weight_sum`` are per group; ``order``
    breaks ties (earlier first).  Floors first, then one unit each to the
    largest remainders.  int64 throughout when the totals fit (T = qW + r, so
    T·w/W = q·w + r·w/W with r·w < W²), Python ints otherwise.
    """
    return largest_remainders([total], group, weight, weight_sum, order)[0]


# the int64 path multiplies a remainder (< W) by a weight (<= W): weights
# up to this keep W² within 64 bits (days always do; amounts in minor units
# of a split entry may not)
_INT64_WEIGHTS = 3_037_000_499


def largest_remainders(totals, group: np.ndarray, weight: np.ndarray,
                       weight_sum: np.ndarray, order: np.ndarray) -> list[np.ndarray]:
    """``largest_remainder`` of each of ``totals`` over the same groups and
    weights: the groups' bounds and the ranking's positions are worked out
    once for all of them (arrays of millions of parts)."""
    n = len(group)
    if n == 0:
        return [np.zeros(0, dtype=np.int64) for _ in totals]
    w = np.asarray(weight, dtype=np.int64)
    ws = np.asarray(weight_sum, dtype=np.int64)[group]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, n])
    first_group = group[starts]
    # only groups of more than one part ever need a unit: their parts' places
    multi = sizes > 1
    ranked = None
    if multi.any():
        idx = np.flatnonzero(np.repeat(multi, sizes))
        sub_sizes = sizes[multi]
        sub_starts = np.cumsum(sub_sizes) - sub_sizes
        seq = np.repeat(np.arange(len(sub_sizes), dtype=np.int64), sub_sizes)
        pos = np.arange(len(idx)) - np.repeat(sub_starts, sub_sizes)
        ranked = (idx, sub_sizes, seq, pos)
    return [_largest_remainder(t, group, w, ws, starts, sizes, first_group, ranked)
            for t in totals]


def _largest_remainder(total, group, w, ws, starts, sizes, first_group, ranked) -> np.ndarray:
    n = len(group)
    total = np.asarray(total)
    if total.dtype == object:
        try:
            total = total.astype(np.int64)
        except OverflowError:
            pass
    if total.dtype != object and len(ws) and int(ws.max()) > _INT64_WEIGHTS:
        total = total.astype(object)     # r·w < W² would pass 64 bits
    if total.dtype == object:
        prod = total[group] * objects(w)
        base = prod // objects(ws)
        rem = (prod - base * objects(ws)).astype(np.int64)
    else:
        t = total[group]
        q, r = np.divmod(t, ws)
        r *= w
        base, rem = np.divmod(r, ws)
        q *= w
        base += q
    deficit = total[first_group] - np.add.reduceat(base, starts)
    # rank the parts of each group by remainder (largest first, then earlier
    # part); single-part groups never need a unit, so only the others are sorted
    rank = np.zeros(n, dtype=np.int64)
    if ranked is not None:
        idx, sub_sizes, seq, pos = ranked
        r = rem[idx]
        top = int(r.max()) + 1
        if top < 2**20 and int(pos.max()) < 2**10 and len(sub_sizes) < 2**33:
            key = (seq << 30) | ((top - 1 - r) << 10) | pos
            sort = np.argsort(key, kind="stable")
        else:
            sort = np.lexsort((pos, -r, seq))
        rank[idx[sort]] = pos
    extra = rank < np.repeat(deficit, sizes)
    return base + extra.astype(np.int64)


def mul_round(amount: np.ndarray, factors) -> np.ndarray:
    """round_half_up(amount × Π num/den) exactly, per row.

    ``amount``: int64 (or Python-int) array; ``factors``: list of
    (num, den, approx) with num/den arrays of Python ints (or scalars) and
    ``approx`` the float of num/den.  A float estimate decides every row whose
    result is provably not near a rounding boundary; the few rows that are (exact
    halves, huge values) are recomputed with Python integers.
    """
    amount = np.asarray(amount)
    est = amount.astype(np.float64)
    for _, _, approx in factors:
        est = est * approx
    mag = np.abs(est)
    frac = mag - np.floor(mag)
    margin = mag * 4e-15 + 1e-9
    unsafe = (np.abs(frac - 0.5) <= margin) | (mag >= 2.0 ** 52) | ~np.isfinite(mag)
    out = np.floor(np.where(unsafe, 0.0, mag) + 0.5).astype(np.int64)
    out = np.where(est < 0, -out, out)
    if unsafe.any():
        idx = np.flatnonzero(unsafe)
        num = objects(amount[idx])
        den = np.ones(len(idx), dtype=object)
        for fn, fd, _ in factors:
            num = num * _pick(fn, idx)
            den = den * _pick(fd, idx)
        exact = round_div(num, den)
        try:
            out[idx] = exact.astype(np.int64)
        except OverflowError:
            out = out.astype(object)
            out[idx] = exact
    return out


def _pick(values, idx):
    if np.ndim(values) == 0:
        return values
    return objects(np.asarray(values)[idx])


def ratio_float(num, den) -> np.ndarray | float:
    """Correctly rounded floats of num/den (Python-int arrays)."""
    if np.ndim(num) == 0 and np.ndim(den) == 0:
        return float(num) / float(den) if den else float("nan")
    num, den = np.asarray(num), np.asarray(den)
    if num.dtype != object and den.dtype != object:
        # exact when both are below 2**53, which period factors always are
        return num.astype(np.float64) / den.astype(np.float64)
    return np.true_divide(objects(num), objects(den)).astype(np.float64)


def to_decimals(minor: np.ndarray, digits: int) -> np.ndarray:
    """Integer minor units -> Decimal objects with ``digits`` places."""
    minor = np.asarray(minor)
    try:
        ints = minor.astype(np.int64) if minor.dtype == object else minor
        scale = pa.scalar(Decimal(1).scaleb(-digits), pa.decimal128(digits + 1, digits))
        dec = pc.multiply(pa.array(ints, pa.int64()).cast(pa.decimal128(20, 0)), scale)
        return dec.to_numpy(zero_copy_only=False)
    except (OverflowError, pa.ArrowInvalid):
        wide = Context(prec=80)   # past 28 digits the default context rounds, unsaid
        return np.array([Decimal(int(v)).scaleb(-digits, context=wide) for v in minor],
                        dtype=object)
