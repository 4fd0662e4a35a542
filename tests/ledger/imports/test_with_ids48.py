"""``_with_ids``: the entries of a Book whose id is one of many.  Its speed
(np.isin over text was quadratic) is measured in benchmarks/README.md
("perf48"), not here."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ledger.book import Book, Tables
from ledger.imports.common import _with_ids


def _book(ids, dtype) -> Book:
    empty = pd.DataFrame({"entry": pd.Series([], dtype="int64")})
    entries = pd.DataFrame({"id": pd.Series(ids, dtype=dtype)})
    return Book(tables=Tables(entries, empty, empty.copy(), empty.copy()))


@pytest.mark.parametrize("dtype", [object, "str"])
def test_mask_of_ids(dtype):
    book = _book(["a", "b", "c", "10"], dtype)
    assert _with_ids(book, {"c", "a", "z"}).tolist() == [True, False, True, False]
    assert _with_ids(book, [10]).tolist() == [False, False, False, True]    # ids as text
    assert _with_ids(book, ()).tolist() == [False] * 4
    assert _with_ids(_book([], dtype), ["a"]).tolist() == []


@pytest.mark.parametrize("dtype", [object, "str"])
def test_many_ids_in_a_big_ledger(dtype):
    # a ledger folder of five 10,000-entry journals and a 10,000-record import:
    # a second or more of CPU when each id was compared with all the others
    ids = [f"XM-BENCH-{k:07d}-T{j}" for k in range(25_000) for j in (1, 2)]
    book = _book(ids, dtype)
    wanted = [f"XM-BENCH-{k:07d}-T1" for k in range(0, 50_000, 5)]
    mask = _with_ids(book, wanted)
    given = set(wanted)
    expected = np.array([i in given for i in ids])
    assert (mask == expected).all() and mask.sum() == 5_000
