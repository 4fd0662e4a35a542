"""The period of each entry in words that mean the same in any ledger they
are imported into (``export --to csv|parquet|hledger|beancount``, ``list --format csv``).

"fiscal year 2017-18" is read with the fiscal_year_start of the ledger it
sits in (1 April by default); an entry of a ledger whose fiscal years start
on another day is written as its dates ("from 2017-07-01 to 2018-06-30"),
which count the same days in every ledger."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pandas as pd

from ledger.model import FISCAL_YEAR
from ledger.rules.options import fiscal_start
from reports.valuation import ledger_fiscal_start

# "2017-18" (as the Book keeps a fiscal year); "2017" is the calendar year
_TWO_YEARS_FIRST = r"^(\d{4})-\d{2}$"


def period_words(book) -> np.ndarray:
    """The ``period`` column of ``book``'s entries, a fiscal year of two
    calendar years written as its first and last day when the ledger's
    fiscal years do not start on the day an importing ledger assumes."""
    en = book.tables.entries
    words = en["period"].to_numpy(dtype=object).copy()
    if not fiscal_words_differ(book):
        return words
    month, day = fiscal_start(ledger_fiscal_start(book))
    fiscal = en["period_kind"].to_numpy(dtype=object) == FISCAL_YEAR
    first = pd.Series(en["fiscal_year"], dtype=object).astype(str).str.extract(
        _TWO_YEARS_FIRST, expand=False)
    at = fiscal & first.notna().to_numpy()
    if at.any():   # each label once: a ledger has few fiscal years, many entries
        labels = first[at]
        word = {y: _fiscal_dates(int(y), month, day) for y in pd.unique(labels)}
        words[at] = labels.map(word).to_numpy(dtype=object)
    return words


def fiscal_words_differ(book) -> bool:
    """Whether ``period_words`` writes some fiscal years of ``book`` as
    dates: its fiscal years start on another day than the default."""
    # compared as (month, day): "--04-01" and "4-1" are the default too
    return fiscal_start(ledger_fiscal_start(book)) != fiscal_start(
        ledger_fiscal_start(SimpleNamespace(options={})))


def _fiscal_dates(first: int, month: int, day: int) -> str:
    last = dt.date(first + 1, month, day) - dt.timedelta(days=1)
    return f"from {dt.date(first, month, day).isoformat()} to {last.isoformat()}"
