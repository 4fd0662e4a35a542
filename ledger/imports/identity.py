"""When two entries record the same figure.

An imported row whose funder, purpose (or splits), amount, currency, date and
source are those of an entry already in the ledger, and that records the same
of it (``RECORDED``: recipient, location, status, ...), is the same pledge
again, whatever id it would get: importers report it instead of adding it.
What is compared is what the input can give (a listing names documents but
carries no quotes or recipients).  Two records citing the same passage that
differ in what they record (an IATI commitment of one activity to two
receivers, whose citations read alike) are two figures.  Rows and entries
the input cannot tell apart are counted (``same_figures``): n such rows
against n entries are those figures, a row more is new and said.  Within
one spreadsheet, a row repeating an earlier row's figure is refused too,
unless both give ids of their own (a listing's rows, which carry no quote or
locator to tell two equal transactions apart): two ids given, two entries.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
import operator
from collections import deque
from dataclasses import dataclass
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


def _cited(given: Iterable[str] | None) -> tuple[bool, bool, bool]:
    """Which of a citation's document, quote and locator an input gives
    (``compared``'s ``given``): a spreadsheet's columns for them (its
    ``sources`` column names documents); None: all."""
    if given is None:
        return (True, True, True)
    have = set(given)
    return (bool(have & {"doc", "sources"}), "quote" in have, "locator" in have)


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
    """The ledger's figures (``figure_key``), each with what names it
    (``info``), as an input compares them (``same_figures``): a key is the
    same figure as one with the same funder, purposes, money, date and
    sources whose ``recorded`` fields agree (``records_agree``) where the
    input can give them (``given``, ``compared``); a source's quote and
    locator count only where the input has them (a listing names documents
    only), its documents only where it names any."""

    def __init__(self, given: Iterable[str] | None = None) -> None:
        self._by: dict[tuple, list[tuple[tuple, Any]]] = {}
        self._at = compared(given)
        self._cites = _cited(given)
        kind = [i for i in self._at if i != _PERIOD]
        self._kinds = operator.itemgetter(*kind) if len(kind) > 1 else \
            (lambda r: (r[kind[0]],)) if kind else (lambda r: ())

    def head(self, key: tuple) -> tuple:
        """What of ``key`` must be equal: all but what it records, its
        citations as far as the input gives them."""
        if self._cites == (True, True, True):
            return key[:-1]
        doc, quote, loc = self._cites
        if not doc:
            cites: frozenset = frozenset()
        elif not (quote or loc):      # a listing: its documents only
            cites = frozenset([(d, "", "") for d, _, _ in key[5]])
        else:
            cites = frozenset([(d, q if quote else "", x if loc else "") for d, q, x in key[5]])
        return (*key[:5], cites)

    def add(self, key: tuple, info: Any) -> None:
        self._by.setdefault(self.head(key), []).append((key[-1], info))

    def _kind(self, records: tuple) -> tuple:
        """What two records agreeing must share: every place compared but
        the period, which a record may leave out (''); agreeing is then
        sharing this and the period, or one leaving it out."""
        return self._kinds(records)


@dataclass(slots=True)
class Same:
    """What one imported row is (``same_figures``): the ledger's figure
    ``entry`` (its info), or the same figure as the import's row ``row``
    (its key), or new; ``beside``: the ledger's figures a new row agrees
    with (the first three of ``agreeing``), each already another row of
    the import."""
    entry: Any = None
    records: tuple = ()      # what the entry records
    row: Any = None
    beside: tuple = ()       # the first three
    agreeing: int = 0        # how many


def same_figures(ledger: Figures, rows: Mapping[Any, tuple[tuple, bool]]) -> dict[Any, Same]:
    """Which rows of one import (key -> (its ``figure_key``, whether it
    gives an id of its own)) are figures of the ``ledger`` (a ``Figures``)
    or of another row, whatever their order.

    Rows and entries that agree and that the input cannot tell apart are
    counted: each entry is one row's at most, as many as can be (n such
    rows against n entries are those n figures).  A row left over is
    another row's figure again, the rows' ids do not tell the two apart (a
    row without one, or one citing a passage: the same passage is one
    pledge); else it is new, and ``beside`` names the entries it agrees
    with (more rows than entries: said, not doubled in silence).  Rows are
    taken in one order made from what they record, not from the file:
    those giving a period before those leaving it out (a period left out
    agrees with any), rows with ids of their own before others, so the
    outcome never depends on the order of the rows or of the imports."""
    with _no_cycle_collection():
        return _same_figures(ledger, rows)


@contextlib.contextmanager
def _no_cycle_collection():
    """The cycle collector paused: ``same_figures`` makes only acyclic
    tuples, dicts and lists, over which its passes (set off by their number)
    would walk the ledger's keys again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _same_figures(ledger: Figures, rows: Mapping[Any, tuple[tuple, bool]]) -> dict[Any, Same]:
    out = {k: Same() for k in rows}
    # the rows and the ledger's entries by what must be equal (head), then
    # what they share besides the period (kind): a group's rows are
    # compared with that group's entries only (by period)
    mine: dict[tuple, dict[tuple, list[Any]]] = {}
    for k, (key, _) in rows.items():
        mine.setdefault(ledger.head(key), {}).setdefault(ledger._kind(key[-1]), []).append(k)
    for head, kinds in mine.items():
        ents: dict[tuple, dict[object, list[tuple[tuple, Any]]]] = {}
        for records, info in ledger._by.get(head, ()):
            ents.setdefault(ledger._kind(records), {}).setdefault(
                records[_PERIOD], []).append((records, info))
        for kind, ks in kinds.items():
            if len(ks) == 1:         # most: one row, the entry it is or none
                _one(ks[0], rows[ks[0]][0][-1][_PERIOD], ents.get(kind), out)
                continue
            ks.sort(key=_ranks(ks, rows, ledger._at))   # sort() keeps the file's order in a tie
            _group(ks, rows, ents.get(kind, {}), cites_a_passage(head), out)
    return out


def _one(k: Any, period: object, entries: dict[object, list[tuple[tuple, Any]]] | None,
         out: dict[Any, Same]) -> None:
    """``_group`` of a group of one row ``k`` (its ``period``): the entry
    ``_match`` would pair it with; else it is new, and agrees with none
    (an entry it agreed with would be its own)."""
    if not entries:
        return
    if period != "":
        items = entries.get(period) or entries.get("")
    else:
        others = [p for p in entries if p != ""]
        items = entries[min(others, key=repr)] if others else entries.get("")
    if items:
        out[k].records, out[k].entry = items[0]


def _ranks(ks: list[Any], rows: Mapping[Any, tuple[tuple, bool]], at: tuple[int, ...]):
    """The order ``same_figures`` takes the rows ``ks`` of one group in:
    those giving a period first, then those with ids of their own, then by
    what they record (``at``), each distinct record's text made once."""
    text = {r: repr(tuple(r[i] for i in at)) for r in {rows[k][0][-1] for k in ks}}

    def rank(k: Any) -> tuple:
        key, own = rows[k]
        return (key[-1][_PERIOD] == "", not own, text[key[-1]])
    return rank


def _group(ks: list[Any], rows: Mapping[Any, tuple[tuple, bool]],
           entries: dict[object, list[tuple[tuple, Any]]], passage: bool,
           out: dict[Any, Same]) -> None:
    """``same_figures`` for the rows ``ks`` of one head and kind, in its
    order, against that group's ``entries`` (by period), into ``out``;
    ``passage``: the group's figures cite a passage."""
    by_period: dict[object, list[Any]] = {}
    for k in ks:
        by_period.setdefault(rows[k][0][-1][_PERIOD], []).append(k)
    place = {k: n for n, k in enumerate(ks)}
    if entries:
        _match(by_period, entries, out, place)
    # rows left over, in turn: another row's figure again, or new; the rows
    # so far by period, first (place, row) of each, of any row and of rows
    # without an id of their own, and the first of all (a row leaving the
    # period out agrees with every one)
    anyone: dict[object, tuple[int, Any]] = {}
    idless: dict[object, tuple[int, Any]] = {}
    first: dict[bool, tuple[int, Any]] = {}       # idless only -> the first row
    at = {p: n for n, p in enumerate(entries)}     # the entries' periods in their order
    everyone: tuple[int, tuple] | None = None
    for n, k in enumerate(ks):
        key, own = rows[k]
        period = key[-1][_PERIOD]
        if out[k].entry is None:
            # a row with an id of its own citing no passage repeats only one without
            only = own and not passage
            seen = idless if only else anyone
            found = ([first[only]] if only in first else []) if period == "" else \
                [seen[p] for p in (period, "") if p in seen]
            if found:
                out[k].row = min(found)[1]
            else:
                if period == "":       # every entry, counted once for the group
                    if everyone is None:
                        everyone = _agreeing(list(entries.values()))
                    out[k].agreeing, out[k].beside = everyone
                else:
                    out[k].agreeing, out[k].beside = _agreeing(
                        [entries[p] for p in sorted({period, ""} & at.keys(), key=at.__getitem__)])
        if out[k].row is None:
            # filed under its own period, or, leaving it out and being an entry,
            # the entry's: a row found is then one the leftover agrees with
            p = period
            if p == "" and out[k].entry is not None:
                p = out[k].records[_PERIOD]
            anyone.setdefault(p, (n, k))
            first.setdefault(False, (n, k))
            if not own:
                idless.setdefault(p, (n, k))
                first.setdefault(True, (n, k))


def _agreeing(agree: list[list[tuple[tuple, Any]]]) -> tuple[int, tuple]:
    """How many entries ``agree`` (lists of (records, info)) holds, and the
    first three's info."""
    return (sum(map(len, agree)), tuple(info for _, info in itertools.islice(
        itertools.chain.from_iterable(agree), 3)))


def _match(rows: dict[object, list[Any]], entries: dict[object, list[tuple[tuple, Any]]],
           out: dict[Any, Same], place: dict[Any, int]) -> None:
    """Pair as many ``rows`` with ``entries`` (both by period, '' for one
    left out; of one head and kind) as can be, each once, into ``out``:
    a row and an entry of one period; then rows leaving it out with the
    entries giving one (which no other row can be); then any row left with
    the entries leaving it out (which any row can be).  ``place``: the rows'
    order."""
    left = {p: deque(ks) for p, ks in rows.items()}
    free = {p: deque(items) for p, items in entries.items()}

    def pair(ks: deque, items: deque) -> None:
        while ks and items:
            k = ks.popleft()
            out[k].records, out[k].entry = items.popleft()

    for p in left:
        if p != "" and p in free:
            pair(left[p], free[p])
    if "" in left:
        for p in sorted(free, key=repr):
            if not left[""]:
                break
            if p != "":
                pair(left[""], free[p])
    if "" in free:
        pair(deque(sorted((k for ks in left.values() for k in ks), key=place.__getitem__)),
             free[""])


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
    return "" if period == Period(ONE_OFF) else period   # as a journal leaves it out


@functools.lru_cache(maxsize=4096)
def _phrase(text: str) -> Period:
    """A phrase that needs no date (most: a ledger's many entries share a few)."""
    return parse_period(text)


def figure_key(funder: str, allocations: Iterable[tuple[str, Decimal]], amount: Decimal | None,
               currency: str, date: dt.date | None,
               citations: Iterable[tuple[str, str, str]], records: tuple = ()) -> tuple:
    """What makes an entry the same figure: funder, the amount per purpose
    (parts naming one purpose added up, as every total counts them: parts
    carry nothing else, so "P:A=500; P:A=500" is "P:A=1000", and parts in
    another order are the same split), money, date, citations (document,
    quote, locator) and what it records besides (``recorded``)."""
    per_purpose: dict[str, Decimal] = {}
    for purpose, part in allocations:
        per_purpose[purpose] = per_purpose.get(purpose, Decimal(0)) + part
    return (funder, tuple(sorted(per_purpose.items())), amount, currency, date,
            frozenset(citations), records)


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


def more_rows_message(entries: Iterable[tuple[str, str, int]], count: int) -> str:
    """Why a row agreeing with ``count`` entries (the first few: id, file,
    line) is added all the same: other rows of the import are those figures."""
    named = ", ".join(f"{eid!r} ({file}:{line})" if file else repr(eid)
                      for eid, file, line in list(entries)[:3])
    more = f" and {count - 3} more" if count > 3 else ""
    return (f"agrees with the ledger's {named}{more} on everything this input gives, but "
            f"as many of its rows as there are such entries are them: this row is one "
            f"more, added as a new entry (more such rows than entries); if it is the same "
            f"figure, remove the row")
