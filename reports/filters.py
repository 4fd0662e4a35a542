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
from ledger.rules import along_links

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
    if filters.status:
        chosen = kept_by_others(counted_as_themselves(*status_books(book, filters), book),
                                filters)
    else:
        chosen = book.select(**other_filters(filters))
    return cut_shares(chosen, filters.purpose)


def other_filters(filters: Filters) -> dict:
    return dict(funder=list(filters.funder) or None, purpose=list(filters.purpose) or None,
                start=filters.start, end=filters.end)


def status_books(book: Book, filters: Filters) -> tuple[Book, Book]:
    """(what --status keeps of ``book``, ``book``): statuses alone decide
    which linked entries count as themselves (``counted_as_themselves``)."""
    return book.select(status=list(filters.status) or None), book


def kept_by_others(book: Book, filters: Filters) -> Book:
    """What --funder, --purpose and the dates keep of ``book`` (what --status
    kept, its linked entries counted as themselves): they keep or drop
    those entries as any others, so their totals add up to the --status
    total.  The ids counted as themselves go with the entries kept."""
    out = book.select(**other_filters(filters))
    alone = getattr(book, "counted_as_themselves", ())
    if out is book or not alone:
        return out
    ids = out.tables.entries["id"].to_numpy(dtype=object)
    out.counted_as_themselves = tuple(ids[_isin(ids, list(alone))])   # type: ignore[attr-defined]
    out.paid_within_them = book.paid_within_them                    # type: ignore[attr-defined]
    return out


def counted_as_themselves(chosen: Book, unfiltered: Book, book: Book) -> Book:
    """``chosen`` (what --status keeps of ``book``) with each linked entry
    counted as itself when no entry its links lead to, link after link, has
    one of the statuses (``unfiltered``: the entries they are looked for
    among; a target not there is taken as having one): its money is
    counted nowhere else under this --status ("£4m disbursed of a £20m
    pledge": --status disbursed counts the £4m, --status pledged the £20m).
    Statuses alone decide it, never --funder, --purpose or the dates (the
    page's cells carry only the statuses above them,
    ``reports.tables.statuses_above``).  The ids are kept in
    ``chosen.counted_as_themselves`` for the note that says so.  On a
    dataset's partition, ``book.whole.counted_alone`` holds the dataset's
    answer (``counted_alone`` of every partition's ``status_facts``: a
    target may sit in another partition)."""
    en, links = chosen.tables.entries, chosen.tables.links
    given = getattr(book.whole, "counted_alone", None)
    if not len(links) or (given is None and len(chosen) == len(unfiltered)):
        return chosen
    ids = en["id"].to_numpy(dtype=object)
    if given is None:
        given = counted_alone(**status_facts(book, chosen, unfiltered))
    alone_ids, within_ids = given
    now = np.zeros(len(en), dtype=bool)
    if alone_ids:
        now = _isin(ids, list(alone_ids))
    if not now.any():
        return chosen
    prim = en["primary"].to_numpy(dtype=bool)
    # what is paid within an entry counted as itself adds nothing more to paid
    within = frozenset(str(i) for i in ids[_isin(ids, list(within_ids))]) \
        if within_ids else frozenset()
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


KEPT, LEFT_BY_STATUS, LEFT_BY_OTHERS = 0, 1, 2   # status_facts' states


def status_facts(book: Book, chosen: Book, unfiltered: Book) -> dict[str, np.ndarray]:
    """What ``counted_alone`` reads of ``book`` (a ledger, or a dataset's
    partition): every entry's id and state (``KEPT`` by the filters,
    ``LEFT_BY_STATUS``: left out by --status alone, ``LEFT_BY_OTHERS``),
    whether it is primary, tagged not-counted, paid by its status, and the
    links as (entry id, target id).  ``chosen``: what every filter keeps of
    ``book``; ``unfiltered``: what every filter but --status keeps."""
    en, links = book.tables.entries, book.tables.links
    ids = en["id"].to_numpy(dtype=object)
    # one hash pass: every id and the kept ones as integer codes
    unf = unfiltered.tables.entries["id"].to_numpy(dtype=object)
    codes, _ = pd.factorize(np.concatenate(
        [ids, unf, chosen.tables.entries["id"].to_numpy(dtype=object)]))
    seen = np.full(codes.max() + 1 if len(codes) else 0, LEFT_BY_OTHERS, dtype=np.int8)
    seen[codes[len(ids):len(ids) + len(unf)]] = LEFT_BY_STATUS
    seen[codes[len(ids) + len(unf):]] = KEPT
    state = seen[codes[:len(ids)]]
    entry = links["entry"].to_numpy(dtype=np.int64) if len(links) else np.zeros(0, np.int64)
    tagged = np.zeros(len(en), dtype=bool)
    at = np.unique(entry)
    if len(at):    # the tags read only on the linked rows
        tagged[at] = np.asarray(not_counted_mask(en["tags"].to_numpy(dtype=object)[at]),
                                dtype=bool)
    return {"ids": ids, "state": state, "primary": en["primary"].to_numpy(dtype=bool),
            "tagged": tagged, "paid": en["status"].astype(object).isin(PAID).to_numpy(),
            "src": ids[entry],
            "dst": links["target"].to_numpy(dtype=object) if len(links) else ids[:0]}


def counted_alone(ids, state, primary, tagged, paid, src, dst
                  ) -> tuple[frozenset, frozenset]:
    """(the ids counted as themselves, the ids paid within one of them) from
    ``status_facts`` (a dataset's: every partition's, concatenated).  A
    kept linked entry, not primary nor tagged not-counted, counts as itself
    when every entry it links to is known and left out by --status, and no
    entry its links lead to, link after link, is kept (one tagged not-counted
    too: it holds their money, as in the unfiltered ledger, where an entry
    linked to it counts nowhere); a kept linked entry, not
    primary, whose links lead to one that counts as itself and is paid, is
    paid within it.  Column-wise: one step of links a pass, to a fixpoint
    (links are acyclic, ``link-cycle``)."""
    if not len(src):
        return frozenset(), frozenset()
    m, k = len(ids), len(dst)
    codes, uniq = pd.factorize(np.concatenate([np.asarray(ids, dtype=object),
                                               np.asarray(dst, dtype=object),
                                               np.asarray(src, dtype=object)]))
    n = len(uniq)
    own = codes[:m]
    s, d = codes[m + k:], codes[m:m + k]   # a link of an entry not among ``ids``: never kept
    kept = np.zeros(n, dtype=bool)
    kept[own] = np.asarray(state) == KEPT
    by_status = np.zeros(n, dtype=bool)     # an unknown target: neither
    by_status[own] = np.asarray(state) == LEFT_BY_STATUS
    linked = np.zeros(n, dtype=bool)
    linked[s] = True
    first_ok = np.ones(n, dtype=bool)
    np.logical_and.at(first_ok, s, by_status[d])
    reaches_kept = _reaches(n, s, d, kept)
    can = np.zeros(n, dtype=bool)
    can[own] = ~np.asarray(primary, dtype=bool) & ~np.asarray(tagged, dtype=bool)
    now = kept & linked & can & first_ok & ~reaches_kept
    if not now.any():
        return frozenset(), frozenset()
    paid_now = np.zeros(n, dtype=bool)
    paid_now[own] = np.asarray(paid, dtype=bool)
    paid_now &= now
    prim = np.zeros(n, dtype=bool)
    prim[own] = np.asarray(primary, dtype=bool)
    within = kept & linked & ~prim & ~now & _reaches(n, s, d, paid_now)
    return frozenset(uniq[now]), frozenset(str(i) for i in uniq[within])


def _isin(values, among) -> np.ndarray:
    """``values`` in ``among``, as object hash tables (an Arrow string
    Index's ``isin`` goes row by row in Python)."""
    return pd.Index(np.asarray(values, dtype=object), dtype=object).isin(
        np.asarray(among, dtype=object))


def _reaches(n: int, src: np.ndarray, dst: np.ndarray, mark: np.ndarray) -> np.ndarray:
    """Per node: some node its links lead to, link after link, is marked."""
    return along_links(src, dst, np.asarray(mark, dtype=bool)[:n])


def counted_as_themselves_note(book) -> str | None:
    """The line that says which linked entries --status counted as
    themselves (of a Book, or their ids: a dataset's)."""
    ids = book if isinstance(book, tuple) else getattr(book, "counted_as_themselves", ())
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
