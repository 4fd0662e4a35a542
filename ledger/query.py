"""Selecting entries: the filters shared by ``list``, ``balance`` and reports."""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Sequence

from ledger.model import Entry


def in_account(account: str, prefix: str) -> bool:
    """True when ``account`` is ``prefix`` or below it in the tree (case-insensitive)."""
    a, p = account.casefold(), prefix.casefold().rstrip(":")
    return a == p or a.startswith(p + ":")


def select(entries: Iterable[Entry], *, funder: Sequence[str] | str | None = None,
           purpose: Sequence[str] | str | None = None, status: Sequence[str] | str | None = None,
           start: dt.date | None = None, end: dt.date | None = None) -> list[Entry]:
    """Entries matching every given filter.  ``funder`` and ``purpose`` match an
    account or anything below it (``UK`` matches ``UK:Home Office``); several
    values mean any of them; ``start``/``end`` bound the entry date, inclusive."""
    funders = [funder] if isinstance(funder, str) else list(funder or [])
    purposes = [purpose] if isinstance(purpose, str) else list(purpose or [])
    statuses = {status} if isinstance(status, str) else set(status or [])
    out = []
    for e in entries:
        if funders and not any(in_account(e.funder, f) for f in funders):
            continue
        if purposes and not any(in_account(s.purpose, p) for s in e.allocations() for p in purposes):
            continue
        if statuses and e.status not in statuses:
            continue
        if start and e.date < start:
            continue
        if end and e.date > end:
            continue
        out.append(e)
    return out
