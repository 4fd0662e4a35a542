"""When two entries record the same figure.

An imported row whose funder, purpose (or splits), amount, currency, date and
source are those of an entry already in the ledger is the same pledge again,
whatever id it would get: importers report it instead of adding it.
"""
from __future__ import annotations

from ledger.model import Entry


def content_key(e: Entry) -> tuple:
    """What makes an entry the same figure: funder, allocations, money, date
    and citations (document, quote, locator)."""
    return (e.funder, tuple((s.purpose, s.amount) for s in e.allocations()), e.amount,
            e.currency, e.date, frozenset((c.doc, c.quote, c.locator) for c in e.sources))


def same_as(entries) -> dict[tuple, Entry]:
    """content key -> the first entry with that content."""
    out: dict[tuple, Entry] = {}
    for e in entries:
        out.setdefault(content_key(e), e)
    return out


def duplicate_message(old: Entry) -> str:
    where = f" ({old.file}:{old.line})" if old.file else ""
    return (f"the same figure as entry {old.id!r}{where}: same funder, purpose, amount, "
            f"date and source; not added again")
