"""When two entries record the same figure.

An imported row whose funder, purpose (or splits), amount, currency, date and
source are those of an entry already in the ledger is the same pledge again,
whatever id it would get: importers report it instead of adding it.  Within
one spreadsheet, a row repeating an earlier row's figure is refused too,
unless both give ids of their own (a listing's rows, which carry no quote or
locator to tell two equal transactions apart): two ids given, two entries.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from ledger.model import Entry


def figure_key(funder: str, allocations: Iterable[tuple[str, Decimal]], amount: Decimal | None,
               currency: str, date: dt.date | None,
               citations: Iterable[tuple[str, str, str]]) -> tuple:
    """What makes an entry the same figure: funder, allocations (purpose,
    amount), money, date and citations (document, quote, locator)."""
    return (funder, tuple(allocations), amount, currency, date, frozenset(citations))


def cites_a_passage(key: tuple) -> bool:
    """The figure (``figure_key``) cites a passage: a quote or a locator,
    which tells two entries apart (a listing's rows name documents only)."""
    return any(quote or locator for _, quote, locator in key[5])


def content_key(e: Entry) -> tuple:
    """The figure of an entry (``figure_key``)."""
    return figure_key(e.funder, [(s.purpose, s.amount) for s in e.splits] or
                      [(e.purpose, e.amount)], e.amount, e.currency, e.date,
                      [(c.doc, c.quote, c.locator) for c in e.sources])


def same_as(entries) -> dict[tuple, Entry]:
    """content key -> the first entry with that content."""
    out: dict[tuple, Entry] = {}
    for e in entries:
        out.setdefault(content_key(e), e)
    return out


def duplicate_message(entry_id: str, file: str, line: int) -> str:
    """Why a figure is not added again: the entry ``entry_id`` (at ``file``
    and ``line``) records it."""
    where = f" ({file}:{line})" if file else ""
    return (f"the same figure as entry {entry_id!r}{where}: same funder, purpose, amount, "
            f"date and source; not added again")
