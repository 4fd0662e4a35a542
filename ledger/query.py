"""Selecting entries: the filters shared by ``list``, ``balance``, reports,
export and audit.  One rule: ``ledger.book.Book.select`` (column-wise); this
module applies it to a plain sequence of ``Entry`` objects."""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Sequence

from ledger.model import Entry


def select(entries: Iterable[Entry], *, funder: Sequence[str] | str | None = None,
           purpose: Sequence[str] | str | None = None, status: Sequence[str] | str | None = None,
           start: dt.date | None = None, end: dt.date | None = None) -> list[Entry]:
    """Entries matching every given filter.  ``funder`` and ``purpose`` match an
    account or anything below it (``UK`` matches ``UK:Home Office``); several
    values mean any of them; ``start``/``end`` bound the entry date, inclusive."""
    from ledger.book import Book

    entries = tuple(entries)
    if not entries:
        return []
    return list(Book.from_entries(entries).select(funder=funder, purpose=purpose, status=status,
                                                  start=start, end=end).entries)
