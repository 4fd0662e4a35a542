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
# and sources (journal fields); not value_date, which only says which day's
# rate converts it, nor tags and notes
RECORDED = ("recipient", "location", "status", "qualifier", "period", *LINK_KINDS)
_LEFT_OUT = {"status": "pledged", "qualifier": "exact"}   # as the journal reads them
_NAMES = ("recipient", "location")   # names: alike whatever their case and spacing


def recorded(fields: Mapping[str, Any]) -> tuple:
    """What the journal ``fields`` of an entry record besides its figure
    (``RECORDED``), alike however written: text trimmed, names compared
    without case or runs of spaces, a period as what it means (its phrase
    when unread); '' for a field left out, the journal's default for status
    and qualifier."""
    out: list[object] = []
    for k in RECORDED:
        v = fields.get(k)
        text = "" if v is None else str(v).strip()
        if k == "period":
            out.append(_period(text, fields.get("date")))
        else:
            out.append(" ".join(text.split()).casefold() if k in _NAMES
                       else text or _LEFT_OUT.get(k, ""))
    return tuple(out)


def compared(given: Iterable[str] | None) -> tuple[int, ...]:
    """The places in a ``recorded`` tuple an import compares: the fields
    its input can give (a spreadsheet's mapped columns and its mapping's
    defaults; None: every field, as an IATI or FTS record gives them all),
    and the period always (a spreadsheet gives it through other columns and
    the amount's phrase too)."""
    if given is None:
        return tuple(range(len(RECORDED)))
    have = set(given) | {"period"}
    if "links" in have:             # one column of links gives every kind
        have |= set(LINK_KINDS)
    return tuple(i for i, k in enumerate(RECORDED) if k in have)


_PERIOD = RECORDED.index("period")


def records_agree(a: tuple, b: tuple, at: tuple[int, ...]) -> bool:
    """Two ``recorded`` tuples tell of one figure: the same at every place
    ``at`` (``compared``).  A file without a recipient column cannot tell two
    recipients apart; with one, a recipient left blank is a value as any
    other, so whether two rows are one figure never depends on their order.
    A period left out ('', which a row gives when its file has no period
    column) agrees with any: "£10m" and "£10m over two years" quoting one
    passage are one pledge."""
    return all(a[i] == b[i] or (i == _PERIOD and "" in (a[i], b[i])) for i in at)


class Figures:
    """Figures seen (``figure_key``), each with what names it (``info``):
    ``find`` gives the first one a key is the same figure as, that is, one
    with the same funder, purposes, money, date and sources whose
    ``recorded`` fields agree where the input can give them (``given``,
    ``compared``)."""

    def __init__(self, given: Iterable[str] | None = None) -> None:
        self._by: dict[tuple, list[tuple[tuple, Any]]] = {}
        self._at = compared(given)

    def find(self, key: tuple) -> Any:
        for records, info in self._by.get(key[:-1], ()):
            if records_agree(records, key[-1], self._at):
                return info
        return None

    def add(self, key: tuple, info: Any) -> None:
        self._by.setdefault(key[:-1], []).append((key[-1], info))


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
            f"date and source, and nothing it records differs; not added again")
