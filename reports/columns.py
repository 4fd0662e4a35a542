"""Exact money and text columns: integer minor units summed without wrapping
round and turned back into ``Decimal`` (``to_money``, ``decimal_column``),
text columns as Arrow strings or integer codes, and entries found by id
(``id_order``, ``row_entries``).  Shared by the valuation, the tables and
the page's data.
"""
from __future__ import annotations

from decimal import Context, Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from rates._minor import minor_units, to_decimal_array
from rates.table import currency_digits


def _digits(currency: str) -> int:
    return currency_digits(currency)


def to_money(minor, currency: str | None, *, digits: int | None = None):
    """Integer minor units (scalar, Series or DataFrame) → Decimal, to the
    unit (of ``currency``, or ``digits`` places)."""
    k = _digits(str(currency)) if digits is None else digits

    wide = Context(prec=80)   # totals past 28 digits stay exact (default context rounds)

    def one(x):
        if x is None or (isinstance(x, float) and np.isnan(x)):
            return Decimal(0).scaleb(-k)
        return Decimal(int(x)).scaleb(-k, context=wide)

    if isinstance(minor, pd.DataFrame):
        return minor.apply(lambda col: col.map(one)).astype(object)
    if isinstance(minor, pd.Series):
        return minor.map(one).astype(object)
    return one(minor)


def _ints(frame: pd.DataFrame) -> pd.DataFrame:
    """Summed minor units as int64, or as exact Python ints when a total is
    past int64 (see ``_minor``)."""
    try:
        return frame.astype("int64")
    except (OverflowError, TypeError, ValueError):
        return frame.map(int).astype(object)


def _minor(frame: pd.DataFrame) -> pd.Series:
    """``value_minor`` for summing (``_summable``)."""
    return _summable(frame["value_minor"])


def _summable(m: pd.Series) -> pd.Series:
    """Integer minor units for summing: int64 while the sum of magnitudes
    provably fits (a float estimate with a wide margin), else Python ints,
    so no total ever wraps round to a wrong (negative) figure."""
    if m.dtype == object:
        return m
    m = m.astype("int64")
    if len(m) and float(np.abs(m.to_numpy(dtype=np.float64)).sum()) >= 2.0 ** 62:
        # astype(object) holds Python ints; a .map(int) would infer int64 again
        return m.astype(object)
    return m


def id_order(book):
    """(order, rank) of the Book's entries by id (as text): ``order[k]`` is
    the entry whose id sorts k-th, ``rank[e]`` the place of entry e; None
    when an id repeats.  One Arrow sort, kept on the Book."""
    en = book.tables.entries
    memo = getattr(book, "_report_id_order", None)
    if memo is not None and memo[0] is en:
        return memo[1]
    ids = _arrow_text(en["id"])
    out = None
    if len(pc.unique(ids)) == len(ids):
        order = pc.sort_indices(ids).to_numpy().astype(np.int64)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        out = (order, rank)
    try:
        book._report_id_order = (en, out)
    except AttributeError:   # pragma: no cover - a Book that takes no attributes
        pass
    return out


def _with_id_codes(book, base: pd.DataFrame) -> pd.DataFrame:
    """The base frame with ``id`` as a Categorical over the entries' ids in
    sorted order (codes = each row's entry's place), so the report groups,
    counts and looks up entries on integers.  Unchanged when ids repeat or
    the frame's rows are not the Book's allocations (checked)."""
    io = id_order(book)
    al = book.tables.allocations
    if io is None or len(base) != len(al) or isinstance(base["id"].dtype, pd.CategoricalDtype):
        return base
    order, rank = io
    entry = al["entry"].to_numpy().astype(np.int64)
    ids = _arrow_text(book.tables.entries["id"])
    if len(entry) and not pc.all(pc.equal(_arrow_text(base["id"]),
                                          ids.take(pa.array(entry)))).as_py():
        return base
    cats = pd.Index(_str(ids.take(pa.array(order))))
    codes = rank[entry]
    dtype = pd.CategoricalDtype(cats)
    return base.assign(id=pd.Categorical.from_codes(codes, dtype=dtype, validate=False))


def row_entries(id_col: pd.Series, book) -> np.ndarray | None:
    """The entry (row of ``book.tables.entries``) of each row of a frame
    by its ``id``; None when ids repeat or a row's id is not an entry's."""
    io = id_order(book)
    if io is None:
        return None
    order, _ = io
    ids = _arrow_text(book.tables.entries["id"])
    if isinstance(id_col.dtype, pd.CategoricalDtype):
        cats = _arrow_text(pd.Series(id_col.cat.categories))
        codes = id_col.cat.codes.to_numpy()
        if (codes < 0).any():
            return None
        if len(cats) == len(ids) and pc.all(pc.equal(cats, ids.take(pa.array(order)))).as_py():
            return order[codes]
        at = pc.index_in(cats, value_set=ids).to_numpy(zero_copy_only=False)
        if at.dtype.kind == "f":
            return None
        return at.astype(np.int64)[codes]
    at = pc.index_in(_arrow_text(id_col), value_set=ids).to_numpy(zero_copy_only=False)
    if at.dtype.kind == "f":
        return None
    return at.astype(np.int64)


def decimal_column(minor, digits: int) -> pd.Series:
    """Integer minor units → exact decimals with ``digits`` places, as an
    Arrow ``decimal128`` column (its values are ``Decimal`` objects when read;
    the precision is the one pyarrow infers for the same Decimals).  Built
    from the unscaled integers' bytes: no Python object per value.  Past
    int64, ``Decimal`` objects (``to_money``)."""
    arr = np.asarray(minor)
    if arr.dtype == object:
        try:
            arr = arr.astype(np.int64)
        except OverflowError:
            return to_money(pd.Series(arr, dtype=object), None, digits=digits)
    arr = arr.astype(np.int64, copy=False)
    n = len(arr)
    top = int(np.abs(arr).max()) if n else 0   # |int64 min| does not occur in sums of money
    precision = max(len(str(top)), digits, 1)
    if precision > 38:
        return to_money(pd.Series(arr, dtype=object), None, digits=digits)
    words = np.empty((n, 2), dtype=np.int64)
    words[:, 0] = arr
    words[:, 1] = arr >> 63                                   # two's complement sign
    buf = pa.py_buffer(words.tobytes())
    dec = pa.Array.from_buffers(pa.decimal128(precision, digits), n, [None, buf])
    return pd.Series(pd.arrays.ArrowExtensionArray(dec))


def _text_codes(s: pd.Series) -> np.ndarray:
    """Integer codes of a text column (equal text, equal code), through
    Arrow's dictionary encoding when the column is Arrow-backed."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64)
    arrow = getattr(s.array, "_pa_array", None)
    if arrow is not None:
        enc = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
        return np.asarray(enc.dictionary_encode().indices.fill_null(-1)).astype(np.int64)
    return pd.factorize(s.astype(object))[0].astype(np.int64)


def _distinct_pairs_per_group(groups: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per group: how many distinct ``values`` its rows hold (integer codes)."""
    if not len(groups):
        return np.zeros(n, dtype=np.int64)
    key = np.sort(groups.astype(np.int64) * (int(values.max()) + 2) + values.astype(np.int64) + 1)
    uniq = key[np.r_[True, key[1:] != key[:-1]]]
    return np.bincount(uniq // (int(values.max()) + 2), minlength=n)


def _unique_first_inverse(key: np.ndarray):
    """(first, inverse) of ``np.unique(key, return_index=True,
    return_inverse=True)``, by one stable sort (numpy's hashing unique is
    slower on millions of int64 keys), plus that sort's order and where
    each group starts in it (for ``reduceat``)."""
    n = len(key)
    lo = int(key.min()) if n else 0
    if n and lo >= 0 and int(key.max()) < (2 ** 62) // n:
        # each key with its row number below it: the keys are then distinct
        # and numpy's unstable sort (vectorised, faster) gives the stable order
        packed = np.sort(key * n + np.arange(n, dtype=np.int64))
        order, srt = np.divmod(packed, n)[::-1]
    else:
        order = np.argsort(key, kind="stable")
        srt = key[order]
    new = np.empty(len(key), dtype=bool)
    if len(key):
        new[0] = True
        np.not_equal(srt[1:], srt[:-1], out=new[1:])
    first = order[new]
    inv = np.empty(len(key), dtype=np.int64)
    inv[order] = np.cumsum(new) - 1
    return first, inv, order, np.flatnonzero(new)


def _plain_index(index: pd.Index) -> pd.Index:
    """A Categorical index (groups of the report's Categorical columns) as
    plain text, as the tables had it before."""
    if isinstance(index, pd.CategoricalIndex):
        return pd.Index(index.categories.take(index.codes), name=index.name)
    return index


def _plain_series(s: pd.Series) -> pd.Series:
    s.index = _plain_index(s.index)
    return s


def _categories_as_text(col: pd.Series) -> pd.Series:
    """A Categorical column as plain text (few rows: a table's keys)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return pd.Series(col.cat.categories.take(col.cat.codes.to_numpy()), index=col.index,
                         name=col.name)
    return col


def distinct_text(col: pd.Series) -> set:
    """The distinct values of a text column as str (a Categorical's used
    categories, no pass over its rows as text)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        used = np.unique(col.cat.codes.to_numpy())
        return {str(col.cat.categories[c]) for c in used if c >= 0} | (
            {"nan"} if len(used) and used[0] < 0 else set())
    return set(pd.unique(col.astype(object)).astype(str))


def _primary(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """The rows counted in totals, only the columns a table needs (taking
    every Arrow-backed column of a big frame costs more than the table)."""
    have = [c for c in dict.fromkeys(cols + ["primary"]) if c in frame.columns]
    mask = frame["primary"].to_numpy(dtype=bool)
    sub = frame[have]
    return sub if mask.all() else sub[mask]


def _arrow_text(values):
    """A text column (pandas str/object/Categorical, or Arrow) as one Arrow
    ``large_string`` array, missing values null."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        arr = values
    elif isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        cats = (_arrow_text(categories.array) if getattr(categories.array, "_pa_array", None)
                is not None else pa.array(np.asarray(categories, dtype=object), pa.large_string()))
        codes = values.cat.codes.to_numpy()
        arr = cats.take(pa.array(codes, mask=codes < 0))
    else:
        arr = getattr(getattr(values, "array", values), "_pa_array", None)
        if arr is None:
            arr = pa.array(np.asarray(values, dtype=object), pa.large_string(), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if arr.type == pa.large_string() else arr.cast(pa.large_string())


def _str(values) -> pd.Series:
    """A text column as pandas ``str`` (Arrow-backed), without a Python
    string per row."""
    arr = _arrow_text(values)
    return pd.Series(pd.StringDtype("pyarrow", na_value=np.nan).__from_arrow__(arr))


def _dates(values: pd.Series) -> pd.Series:
    """Datetimes as an Arrow ``date32`` column (``datetime.date`` when read;
    NaT null)."""
    d = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
    nat = np.isnat(d)
    arr = pa.array(d.astype(np.int64).astype(np.int32), pa.int32(),
                   mask=nat if nat.any() else None).view(pa.date32()) \
        if len(d) else pa.array([], pa.date32())
    return pd.Series(pd.arrays.ArrowExtensionArray(arr))


def to_minor_unit(amounts, currencies):
    """(each amount in integer minor units of its currency, rounded half up
    as every valued figure is (``rates.normalise``), the digits of each, a
    bool per row: rounding changed it).  So a recorded balance sums what the
    report and the exports sum: 1,000 x £0.004 is £0.00 everywhere, and said."""
    dec = to_decimal_array(amounts)
    digits = _digits_per_row(currencies)
    return minor_units(dec, digits), digits, _finer(dec, digits)


def finer_than_minor(amounts, currencies) -> np.ndarray:
    """A bool per amount: finer than its currency's minor unit (rounding it
    to that unit, half up, changes it); ``to_minor_unit``'s third value."""
    return _finer(to_decimal_array(amounts), _digits_per_row(currencies))


def _digits_per_row(currencies) -> np.ndarray:
    """Each row's currency's minor-unit digits, looked up once per distinct
    currency (hashed, not sorted: a million codes)."""
    codes, uniq = pd.factorize(np.asarray(currencies, dtype=object), use_na_sentinel=False)
    return np.array([currency_digits(str(u)) for u in uniq], dtype=np.int64)[codes]


def _finer(dec, digits: np.ndarray) -> np.ndarray:
    changed = np.zeros(len(dec), dtype=bool)
    for k in np.unique(digits):
        m = digits == k
        part = dec.filter(pa.array(m))
        changed[m] = pc.not_equal(pc.round(part, ndigits=int(k), round_mode="half_up"),
                                  part).to_numpy(zero_copy_only=False)
    return changed
