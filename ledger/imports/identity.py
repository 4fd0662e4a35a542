"""When two entries record the same figure.

An imported row whose funder, purpose (or splits), amount, currency, date and
source are those of an entry already in the ledger, and that records the same
of it (``RECORDED``: recipient, location, status, ...), is the same pledge
again, whatever id it would get: importers report it instead of adding it.
Two records citing the same passage that differ in what they record (an IATI
commitment of one activity to two receivers, whose citations read alike) are
two figures.  Within
one spreadsheet, a row repeating an earlier row's figure is refused too,
unless both give ids of their own (a listing's rows, which carry no quote or
locator to tell two equal transactions apart): two ids given, two entries.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ledger.model import LINK_KINDS, ONE_OFF, Period
from ledger.phrases.period import PeriodError, parse_period

# what an entry records of its figure besides funder, purposes, money, date
# and sources (journal field -> its value when left out); not value_date,
# which only says which day's rate converts it, nor tags and notes
RECORDED = {"recipient": "", "location": "", "status": "pledged", "qualifier": "exact",
            "period": "", **{k: "" for k in LINK_KINDS}}


def recorded(fields: Mapping[str, Any]) -> tuple:
    """What the journal ``fields`` of an entry record besides its figure
    (``RECORDED``), alike however written: text trimmed, a period as what
    it means (its phrase when unread)."""
    out = []
    for k, empty in RECORDED.items():
        v = fields.get(k)
        text = "" if v is None else str(v).strip()
        out.append(_period(text, fields.get("date")) if k == "period" else text or empty)
    return tuple(out)


def _period(text: str, on: Any) -> object:
    """A period phrase as what it means (on the entry's date ``on``, for a
    phrase that gives only an end)."""
    if not text:
        return ""
    try:
        period = _phrase(text)
    except PeriodError:
        try:
            day = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on)[:10])
            period = parse_period(text, on=day)
        except (PeriodError, ValueError):
            return text
    return "" if period.kind == ONE_OFF else period   # as a journal leaves it out


@functools.lru_cache(maxsize=4096)
def _phrase(text: str) -> Period:
    """A phrase that needs no date (most: a ledger's many entries share a few)."""
    return parse_period(text)


def figure_key(funder: str, allocations: Iterable[tuple[str, Decimal]], amount: Decimal | None,
               currency: str, date: dt.date | None,
               citations: Iterable[tuple[str, str, str]], records: tuple = ()) -> tuple:
    """What makes an entry the same figure: funder, allocations (purpose,
    amount), money, date, citations (document, quote, locator) and what it
    records besides (``recorded``)."""
    return (funder, tuple(allocations), amount, currency, date, frozenset(citations), records)


def cites_a_passage(key: tuple) -> bool:
    """The figure (``figure_key``) cites a passage: a quote or a locator,
    which tells two entries apart (a listing's rows name documents only)."""
    return any(quote or locator for _, quote, locator in key[5])


def duplicate_message(entry_id: str, file: str, line: int) -> str:
    """Why a figure is not added again: the entry ``entry_id`` (at ``file``
    and ``line``) records it."""
    where = f" ({file}:{line})" if file else ""
    return (f"the same figure as entry {entry_id!r}{where}: same funder, purpose, amount, "
            f"date and source; not added again")
