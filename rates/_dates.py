"""Vectorised calendar helpers on numpy ``datetime64[D]`` arrays."""
from __future__ import annotations

import numpy as np

# the one count of years by anniversaries (the package rule shares it)
from ledger.phrases.period import add_years as add_years

DAY = np.timedelta64(1, "D")


def as_days(values) -> np.ndarray:
    """Anything date-like (Series, list of dates, strings) -> datetime64[D] array."""
    import pandas as pd

    arr = pd.to_datetime(pd.Series(values), errors="raise").to_numpy()
    return arr.astype("datetime64[D]")


def year_of(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[Y]").astype(np.int64) + 1970


def month_of(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[M]").astype(np.int64) % 12 + 1


def day_of(d: np.ndarray) -> np.ndarray:
    return (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1


def make_date(year, month, day) -> np.ndarray:
    """Dates from integer arrays; 29 February in a common year becomes the 28th."""
    year = np.asarray(year, dtype=np.int64)
    month = np.broadcast_to(np.asarray(month, dtype=np.int64), year.shape)
    day = np.broadcast_to(np.asarray(day, dtype=np.int64), year.shape)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    day = np.where((month == 2) & (day == 29) & ~leap, 28, day)
    months = ((year - 1970) * 12 + (month - 1)).astype("datetime64[M]")
    return months.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")


def fiscal_index(d: np.ndarray, start_month: int, start_day: int) -> np.ndarray:
    """The (starting) year of the year that contains each date, for years that
    begin on start_month/start_day (1/1: calendar years)."""
    y = year_of(d)
    before = (month_of(d) * 100 + day_of(d)) < (start_month * 100 + start_day)
    return y - before.astype(np.int64)


def window(year_start: np.ndarray, start_month: int, start_day: int):
    """First and last day of the years starting in ``year_start``."""
    first = make_date(year_start, start_month, start_day)
    last = make_date(np.asarray(year_start) + 1, start_month, start_day) - DAY
    return first, last
