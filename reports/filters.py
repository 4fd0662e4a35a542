"""The entry filters of every command (--funder, --purpose, --status, --from,
--to/--until), applied by one function, ``select``, to a journal, a bulk
table and each partition of a dataset alike.

--funder, --status and the dates keep or drop whole entries.  --purpose
keeps the entries with a share under one of its accounts, and of a split
entry only those shares: the Book ``select`` gives holds each such entry
as a transaction of its matching shares (its allocations cut, its amount
their sum), so balance, list, report and every export count £10m of a
£17m entry split £10m / £7m, and the filtered totals of the top-level
purposes add up to the unfiltered total.

The valuation values the whole entries and keeps the matching rows
(``uncut``, ``reports.valuation.value``): a rate, a restatement or a
largest-remainder rounding is the one the unfiltered ledger uses, so a
kept share's figure never changes with the filter.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ledger.book import Book, Tables, account_mask, not_counted_mask

PAID = ("disbursed", "spent")   # as reports.options.PAID_STATUSES (options imports this module)


@dataclass(frozen=True)
class Filters:
    """What the filters keep: funder and purpose accounts (each with what is
    below it, case-insensitive), statuses, and the first and last date."""
    funder: tuple[str, ...] = ()
    purpose: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def of(cls, options: Any) -> Filters:
        """The filters of a command's arguments, ``ReportOptions`` or a dict."""
        get = options.get if isinstance(options, dict) else \
            (lambda k: getattr(options, k, None))

        def many(k):
            v = get(k)
            return (v,) if isinstance(v, str) else tuple(v or ())
        return cls(many("funder"), many("purpose"), many("status"), get("start"), get("end"))

    def __bool__(self) -> bool:
        return bool(self.funder or self.purpose or self.status or self.start or self.end)


def select(book: Book, filters: Filters) -> Book:
    """The Book of what ``filters`` keep: the matching entries, a split
    entry cut to its shares under a --purpose account (``cut_shares``)."""
    if not filters:
        return book
    others = dict(funder=list(filters.funder) or None, purpose=list(filters.purpose) or None,
                  start=filters.start, end=filters.end)
    chosen = book.select(status=list(filters.status) or None, **others)
    if filters.status:
        chosen = counted_as_themselves(chosen, book, filters.status)
    return cut_shares(chosen, filters.purpose)


def counted_as_themselves(chosen: Book, book: Book, statuses) -> Book:
    """``chosen`` (what the filters keep of ``book``) with each linked entry
    counted as itself when no entry its links lead to, link after link, has
    one of ``statuses``: its money is counted nowhere else under this
    --status ("£4m disbursed of a £20m pledge": --status disbursed counts
    the £4m, --status pledged the £20m).  Statuses alone decide it, never
    --funder, --purpose or the dates (the page's cells carry only the
    statuses above them, ``reports.tables.statuses_above``): those keep or
    drop the entries counted under --status as any others, so their totals
    add up to the --status total.  The ids are kept in
    ``chosen.counted_as_themselves`` for the note that says so."""
    en, links = chosen.tables.entries, chosen.tables.links
    if not len(links):
        return chosen
    ids = en["id"].to_numpy(dtype=object)
    all_links = book.tables.links
    all_en = book.tables.entries
    all_ids = all_en["id"].to_numpy(dtype=object)
    known = set(all_ids)
    kept = set(all_ids[all_en["status"].astype(object).isin(list(statuses)).to_numpy()])
    targets: dict[object, list] = {}
    for e, t in zip(all_ids[all_links["entry"].to_numpy()],
                    all_links["target"].to_numpy(dtype=object)):
        targets.setdefault(e, []).append(t)

    def counts_alone(i) -> bool:
        first = targets.get(ids[i], [])
        if not first or any(t in kept or t not in known for t in first):
            return False
        seen, todo = set(first), list(first)
        while todo:                      # a kept entry further up holds its money
            for t in targets.get(todo.pop(), ()):
                if t in kept:
                    return False
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return True

    prim = en["primary"].to_numpy(dtype=bool)
    tagged = np.asarray(not_counted_mask(en["tags"]), dtype=bool)
    linked = np.unique(links["entry"].to_numpy(dtype=np.int64))
    now = np.zeros(len(en), dtype=bool)
    now[[i for i in linked if not prim[i] and not tagged[i] and counts_alone(i)]] = True
    if not now.any():
        return chosen
    alone = set(ids[now]) & set(ids[en["status"].astype(object).isin(PAID).to_numpy()])

    def paid_within_alone(i) -> bool:
        seen, todo = set(), list(targets.get(ids[i], ()))
        while todo:
            t = todo.pop()
            if t in alone:
                return True
            if t not in seen:
                seen.add(t)
                todo.extend(targets.get(t, ()))
        return False
    # what is paid within an entry counted as itself adds nothing more to paid
    within = frozenset(str(ids[i]) for i in linked
                       if not prim[i] and not now[i] and paid_within_alone(i))
    en = en.copy()
    en["primary"] = prim | now
    t = chosen.tables
    frame = chosen._frame
    if frame is not None:
        frame = frame.copy()
        frame["primary"] = frame["primary"].to_numpy(dtype=bool) | \
            now[t.allocations["entry"].to_numpy()]
    out = Book(tables=Tables(en, t.allocations, t.citations, t.links),
               documents=chosen.documents, options=chosen.options, problems=chosen.problems,
               root=chosen.root, source=chosen.source, frame=frame)
    out.whole = chosen.whole
    out.counted_as_themselves = tuple(ids[now])    # type: ignore[attr-defined]
    out.paid_within_them = within                   # type: ignore[attr-defined]
    return out


def counted_as_themselves_note(book) -> str | None:
    """The line that says which linked entries --status counted as themselves."""
    ids = getattr(book, "counted_as_themselves", ())
    if not ids:
        return None
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return ("--status left out what these linked entries disburse, restate or are "
            f"part of, so each counts as itself: {shown}.")


def share_mask(frame: pd.DataFrame, purposes) -> np.ndarray:
    """Per row of ``frame`` (allocations, or valued rows): its purpose is one
    of ``purposes`` or below it (all rows when none is given)."""
    if not purposes:
        return np.ones(len(frame), dtype=bool)
    return np.asarray(account_mask(frame["purpose"], list(purposes)), dtype=bool)


def cut_shares(book: Book, purposes) -> Book:
    """``book`` with the allocations outside ``purposes`` left out; an entry
    that loses a share gets the sum of the shares it keeps as its amount
    and its first kept share as its main purpose.  Every entry of ``book``
    must keep a share (``Book.select`` chose them so).  The Book cut
    remembers the Book it was cut from (``uncut``)."""
    t = book.tables
    al = t.allocations
    keep = share_mask(al, purposes)
    if keep.all():
        return book
    en = t.entries.copy()
    entry = al["entry"].to_numpy()
    lost = np.zeros(len(en), dtype=bool)
    lost[entry[~keep]] = True
    kept = al[keep].reset_index(drop=True)
    rows = np.flatnonzero(lost)
    kept_entry = kept["entry"].to_numpy()
    at = np.isin(kept_entry, rows)
    sums = pd.Series(kept["amount"].to_numpy(dtype=object)[at]).groupby(kept_entry[at]).sum()
    firsts = pd.Series(kept["purpose"].to_numpy(dtype=object)[at]).groupby(
        kept_entry[at]).first()
    en["amount"] = _with_values(en["amount"], rows, sums.reindex(rows).to_numpy(dtype=object))
    en["purpose"] = _with_values(en["purpose"], rows, firsts.reindex(rows).to_numpy(dtype=object))
    out = Book(tables=Tables(en, kept, t.citations, t.links), documents=book.documents,
               options=book.options, problems=book.problems, root=book.root,
               source=book.source)
    out.whole = book.whole
    for said in ("counted_as_themselves", "paid_within_them"):   # counted_as_themselves
        if hasattr(book, said):
            setattr(out, said, getattr(book, said))
    out.uncut = (book, tuple(purposes))    # type: ignore[attr-defined]
    return out


def uncut(book) -> tuple[Book, tuple[str, ...]] | None:
    """(the Book of whole entries a ``cut_shares`` Book was cut from, the
    purposes it keeps), or None for a Book that was not cut."""
    return getattr(book, "uncut", None)


def whole_entries(book) -> Book:
    """The Book of whole entries behind ``book`` (itself when not cut): what
    the audit checks against the sources, whose quotes state whole entries."""
    cut = uncut(book)
    return book if cut is None else cut[0]


def _with_values(col: pd.Series, rows: np.ndarray, values: np.ndarray) -> Any:
    """``col`` with ``values`` at positions ``rows``, in its own dtype (Arrow
    decimals and strings stay Arrow)."""
    vals = col.to_numpy(dtype=object).copy()
    vals[rows] = values
    return pd.Series(vals, index=col.index, dtype=col.dtype if _keeps(col) else object)


def _keeps(col: pd.Series) -> bool:
    return isinstance(col.dtype, pd.ArrowDtype) or isinstance(col.dtype, pd.StringDtype)
