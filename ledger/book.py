"""The Book: the ledger as columnar tables, whatever it was read from.

Every reader produces a Book (the journal read column by column, bulk CSV /
Parquet, the cache) and every command consumes one (``ledger.load``).  The
schema is written once, here (``SCHEMA``):

- ``entries``: one row per entry (id, date, funder, main purpose, the parsed
  amount and the amount as written, currency, qualifier, the period as words
  and as columns, status, whether it counts in totals, …);
- ``allocations``: one row per entry × purpose (an entry that is not split
  has one, for its whole amount);
- ``citations``, ``links``: child rows of an entry;
- ``documents``: the source documents;
- plus the options and the problems found while reading.

Tables are pandas DataFrames (Arrow-backed where a reader gave Arrow);
amounts are exact (``Decimal`` objects or Arrow ``decimal128``), never float.
``Book.entries`` gives ``Entry`` objects, a view of the rows made on demand,
for editing and small outputs; hot paths (list, balance, report) read the
columns.  ``Book.frame()`` is the base frame ``rates.normalise`` converts.

The model layer: nothing here imports ``rates`` or ``reports``.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from collections.abc import Callable, Iterable, Sequence

from ledger.errors import LedgerError
from ledger.model import (LINK_KINDS, NOT_COUNTED, Citation, Document, Entry, Link, Money,
                          Period, Problem, Split, length_in_words)

__all__ = ["Book", "SCHEMA", "FRAME_COLUMNS", "entries_frame"]

# table -> column -> meaning.  The one definition of the Book's schema.
SCHEMA: dict[str, dict[str, str]] = {
    "entries": {
        "id": "the entry's id (a slug)",
        "date": "the entry's date (datetime64[s])",
        "funder": "funder account, e.g. UK:Home Office",
        "purpose": "main purpose account (a split entry's first part)",
        "amount": "the parsed amount, exact",
        "currency": "ISO 4217 code",
        "amount_text": "the amount as the source writes it ('' when not recorded)",
        "qualifier": "exact, up to, at least or about",
        "period": "the period in words (accepted back by the period parser)",
        "period_kind": "one-off, per-year, over or fiscal-year",
        "years": "number of years of the period, or None",
        "start": "period start (datetime64[s], NaT when none)",
        "end": "period end (datetime64[s], NaT when none)",
        "fiscal_year": "fiscal year label, e.g. 2021-22, or None",
        "status": "pledged, committed, disbursed or spent",
        "primary": "False for an entry linked to another (its target counts the money) "
                   "or tagged not-counted",
        "restated": "the source's own conversions, 'EUR 15000000; USD 19000000'",
        "split": "True when the amount is split between purposes (see allocations)",
        "recipient": "who receives the money",
        "location": "where it is spent",
        "tags": "tags joined by ';'",
        "notes": "free text",
        "where": "file:line: entry 'id', as messages name the entry",
        "value_date": "the date whose exchange rate converts the amount (datetime64[s], NaT: "
                     "the entry's date)",
    },
    "allocations": {
        "entry": "row of the entry in entries",
        "purpose": "purpose account",
        "amount": "the part of the entry's amount, exact",
    },
    "citations": {
        "entry": "row of the entry in entries",
        "doc": "document id",
        "quote": "the shortest verbatim phrase carrying the figure",
        "locator": "where the quote sits in the document",
    },
    "links": {
        "entry": "row of the entry in entries",
        "kind": "disburses, part_of or restates",
        "target": "the other entry's id",
    },
    "documents": {
        "id": "document id", "title": "", "publisher": "", "published": "date",
        "url": "", "retrieved": "date", "path": "relative to the source archive",
        "sha256": "", "notes": "", "file": "journal file declaring it", "line": "",
    },
}

# The base frame of rates.normalise: one row per allocation with its entry's
# columns (``entry_amount`` is the entry's whole amount).
FRAME_COLUMNS = ["id", "date", "funder", "purpose", "status", "qualifier", "period",
                 "primary", "amount", "currency", "entry_amount", "period_kind",
                 "years", "start", "end", "fiscal_year", "restated", "where", "value_date"]
# entry columns the base frame carries (all but the allocation's purpose/amount)
_FRAME_ENTRY = [c for c in FRAME_COLUMNS if c not in ("purpose", "amount", "entry_amount")]
_TEXT = ("amount_text", "recipient", "location", "tags", "notes")


class Tables:
    """The Book's tables (pandas DataFrames), built on first use."""

    __slots__ = ("entries", "allocations", "citations", "links")

    def __init__(self, entries, allocations, citations, links):
        self.entries, self.allocations = entries, allocations
        self.citations, self.links = citations, links


class Book:
    """The ledger: tables, documents, options and problems.

    Made by ``from_entries`` (``Entry`` objects: an empty ledger, tests, the
    Python API), ``from_frame`` (the readers) or ``ledger.read.cache``; never built field by field."""

    def __init__(self, *, tables: Tables | None = None, entries: tuple[Entry, ...] | None = None,
                 documents: dict[str, Document] | None = None, options: dict | None = None,
                 problems: Sequence[Problem] = (), root: Path | None = None,
                 source: str = "journal", frame=None):
        if tables is None and entries is None:
            raise ValueError("a Book needs tables or entries")
        self._tables = tables
        self._entries = entries
        self._frame = frame           # the base frame, when a reader gave it
        self.documents: dict[str, Document] = documents or {}
        self.options: dict[str, Any] = options or {}
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.root = root
        self.source = source          # journal | csv | parquet
        self.cache_hit = False        # read from ledger.read.cache
        # the whole ledger a subset was taken from (itself when not a subset):
        # what belongs to the ledger, not to a query (the default horizon),
        # is worked out from it, so a filter never changes a kept row's figure
        self.whole: Book = self
        # the ids of the linked entries that add nothing to the status
        # table's paid (reports.tables.book_paid_within): those paid within
        # another entry paid itself or within a not-counted one, and those
        # tagged not-counted; worked out from the whole Book, or given (a
        # dataset's partition: the dataset's, its links cross partitions)
        self.paid_within: frozenset[str] | None = None

    # ------------------------------------------------------------ builders
    @classmethod
    def from_entries(cls, entries: Iterable[Entry], documents=None, options=None,
                     problems=(), root=None, source="journal") -> Book:
        """A Book over ``Entry`` objects; its tables are made when first read
        (a small journal's ``check`` never needs pandas)."""
        return cls(entries=tuple(entries), documents=documents, options=options,
                   problems=problems, root=root, source=source)

    @classmethod
    def from_frame(cls, frame, extras=None, documents=None, options=None, problems=(),
                   root=None, source="journal", entry_of=None) -> Book:
        """A Book from a base frame (``FRAME_COLUMNS``, one row per entry ×
        purpose, an entry's rows next to each other) as the columnar readers
        give it.  ``extras``: a mapping of per-entry columns the frame lacks
        (``amount_text``, ``recipient``, ``location``, ``tags``, ``notes``,
        ``disburses``, ``part_of``, ``restates``: sequences, one value an
        entry; ``split``: bools, written with split tables, else an entry of
        more than one row), ``citations`` (a DataFrame entry, doc, quote,
        locator) and ``links`` (a DataFrame entry, kind, target: the raw
        form's links table, instead of the link columns).
        ``entry_of``: each row's entry (numpy int), when rows sharing an id
        in turn may be two entries (a journal); else the ids tell."""
        import numpy as np
        import pandas as pd

        n = len(frame)
        if n and entry_of is not None:
            new = np.r_[True, entry_of[1:] != entry_of[:-1]]
        elif n:
            codes = pd.factorize(frame["id"].to_numpy(copy=False) if frame["id"].dtype == object
                                 else frame["id"])[0]
            new = np.empty(n, dtype=bool)
            new[0] = True
            np.not_equal(codes[1:], codes[:-1], out=new[1:])
        else:
            new = np.zeros(0, dtype=bool)
        first = np.flatnonzero(new)
        entry_of = np.cumsum(new) - 1
        counts = np.diff(np.r_[first, n])
        cols = {}
        for c in _FRAME_ENTRY + ["purpose"]:
            cols[c] = _take(frame[c], first)
        cols["amount"] = _take(frame["entry_amount"], first)
        extras = dict(extras or {})
        # written with split tables (a journal's entry may have one part only)
        cols["split"] = extras["split"] if extras.get("split") is not None else counts > 1
        for c in _TEXT:
            v = extras.get(c)
            cols[c] = np.full(len(first), "", dtype=object) if v is None else v
        out = not_counted_mask(cols["tags"])
        if out.any():      # recorded, not counted: as Entry.is_primary says
            cols["primary"] = np.asarray(cols["primary"], dtype=bool) & ~out
            frame["primary"] = frame["primary"].to_numpy(dtype=bool) & ~out[entry_of]
        entries = pd.DataFrame(cols, copy=False)
        entries = entries[list(SCHEMA["entries"])]
        allocations = pd.DataFrame({"entry": entry_of, "purpose": frame["purpose"].array,
                                    "amount": frame["amount"].array}, copy=False)
        links = extras.get("links")
        if links is None:
            links = _links_table({k: extras.get(k) for k in LINK_KINDS}, len(first))
        citations = extras.get("citations")
        if citations is None:
            citations = _empty(SCHEMA["citations"])
        tables = Tables(entries, allocations, citations, links)
        return cls(tables=tables, documents=documents, options=options, problems=problems,
                   root=root, source=source, frame=frame)

    # ------------------------------------------------------------ reading
    @property
    def tables(self) -> Tables:
        if self._tables is None:
            self._tables = _tables_of(self._entries or ())
        return self._tables

    def __len__(self) -> int:
        return len(self._entries) if self._entries is not None else len(self.tables.entries)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The entries as ``Entry`` objects (made from the rows on first use)."""
        if self._entries is None:
            self._entries = _entry_views(self.tables)
        return self._entries

    def entry(self, entry_id: str) -> Entry:
        """The entry with this id.  A Book read from columns finds the row in
        the id column and makes only that row an ``Entry``."""
        if self._entries is not None:
            for e in self._entries:
                if e.id == entry_id:
                    return e
        else:
            import numpy as np
            rows = np.flatnonzero(self.tables.entries["id"].to_numpy(dtype=object) == entry_id)
            if len(rows):
                one = np.zeros(len(self), dtype=bool)
                one[rows[0]] = True
                return _entry_views(self.subset(one).tables)[0]
        raise LedgerError(f"no entry with id {entry_id!r}")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def frame(self, columns: Sequence[str] | None = None):
        """The base frame of ``rates.normalise``: one row per allocation.
        ``columns``: only these (a caller that sums needs fewer; every
        column taken costs a pass over a million rows)."""
        if self._frame is not None:
            return self._frame if columns is None else self._frame[list(columns)]
        if columns is not None:
            return _frame_of(self.tables, columns)
        self._frame = _frame_of(self.tables)
        return self._frame

    def open_ended(self):
        """Per entry: an amount per year with no end (numpy bool array)."""
        import numpy as np
        en = self.tables.entries
        return ((en["period_kind"].astype(object) == "per-year").to_numpy()
                & en["years"].isna().to_numpy() & en["end"].isna().to_numpy()).astype(bool) \
            if len(en) else np.zeros(0, dtype=bool)

    # ------------------------------------------------------------ selecting
    def select(self, *, funder=None, purpose=None, status=None, start=None, end=None) -> Book:
        """The entries matching every given filter (funder and purpose:
        an account or anything below it, case-insensitive; several values mean
        any of them; dates inclusive), vectorised over the columns."""
        import numpy as np

        funders = [funder] if isinstance(funder, str) else list(funder or [])
        purposes = [purpose] if isinstance(purpose, str) else list(purpose or [])
        statuses = [status] if isinstance(status, str) else list(status or [])
        if not (funders or purposes or statuses or start or end):
            return self
        en = self.tables.entries
        mask = np.ones(len(en), dtype=bool)
        if funders:
            mask &= account_mask(en["funder"], funders)
        if purposes:
            al = self.tables.allocations
            hit = account_mask(al["purpose"], purposes)
            m = np.zeros(len(en), dtype=bool)
            m[al["entry"].to_numpy()[hit]] = True
            mask &= m
        if statuses:
            mask &= en["status"].astype(object).isin(statuses).to_numpy()
        dates = en["date"].to_numpy().astype("datetime64[D]")
        if start:
            mask &= dates >= np.datetime64(start, "D")
        if end:
            mask &= dates <= np.datetime64(end, "D")
        return self.subset(mask)

    def subset(self, mask) -> Book:
        """The Book of the entries where ``mask`` (one bool an entry) is True."""
        import numpy as np

        mask = np.asarray(mask, dtype=bool)
        if mask.all():
            return self
        t = self.tables
        new_index = np.cumsum(mask) - 1

        def child(table):
            e = table["entry"].to_numpy()
            keep = mask[e]
            out = table[keep].reset_index(drop=True)
            out["entry"] = new_index[e[keep]]
            return out

        alloc_keep = mask[t.allocations["entry"].to_numpy()]
        tables = Tables(t.entries[mask].reset_index(drop=True), child(t.allocations),
                        child(t.citations), child(t.links))
        book = Book(tables=tables, documents=self.documents, options=self.options,
                    problems=self.problems, root=self.root, source=self.source,
                    frame=None if self._frame is None
                    else self._frame[alloc_keep].reset_index(drop=True))
        if self._entries is not None:
            book._entries = tuple(e for e, k in zip(self._entries, mask) if k)
        book.whole = self.whole
        return book

    def link_rows(self):
        """Links as (id, kind, target) rows, as the report's status table takes them."""
        import pandas as pd
        t = self.tables
        ids = t.entries["id"].to_numpy(dtype=object)
        return pd.DataFrame({"id": ids[t.links["entry"].to_numpy()],
                             "kind": t.links["kind"].to_numpy(dtype=object),
                             "target": t.links["target"].to_numpy(dtype=object)})

    def documents_table(self):
        import pandas as pd
        cols = list(SCHEMA["documents"])
        return pd.DataFrame([[getattr(d, c) for c in cols] for d in self.documents.values()],
                            columns=cols)


def not_counted_mask(tags) -> Any:
    """Per entry: tagged ``NOT_COUNTED`` (tags joined by ';')."""
    import numpy as np
    import pandas as pd

    if not len(tags):
        return np.zeros(0, dtype=bool)
    return pd.Series(tags, copy=False).str.contains(
        rf"(?:^|;){NOT_COUNTED}(?:;|$)", regex=True, na=False).to_numpy(dtype=bool)


def join_children(entry, text, n: int, sep: str):
    """Per entry (``n`` of them): the ``text`` of its child rows (``entry``:
    each row's entry) joined by ``sep``, '' for none; column-wise in Arrow.
    Returns an Arrow string array."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    entry = np.asarray(entry, dtype=np.int64)
    arr = getattr(text, "array", text)
    vals = getattr(arr, "_pa_array", None)
    if vals is None:
        vals = pa.array(np.asarray(arr, dtype=object), pa.string())
    vals = vals.combine_chunks() if isinstance(vals, pa.ChunkedArray) else vals
    if len(entry) and (np.diff(entry) < 0).any():
        order = np.argsort(entry, kind="stable")
        entry, vals = entry[order], vals.take(pa.array(order))
    counts = np.bincount(entry, minlength=n) if len(entry) else np.zeros(n, dtype=np.int64)
    offsets = pa.array(np.r_[0, np.cumsum(counts)].astype(np.int32))
    return pc.binary_join(pa.ListArray.from_arrays(offsets, vals.cast(pa.string())), sep)


def account_mask(accounts, prefixes) -> Any:
    """Per row: the account is one of ``prefixes`` or below it
    (case-insensitive); worked out once per distinct account."""
    import numpy as np
    import pandas as pd

    if hasattr(accounts, "cat"):
        codes, uniq = accounts.cat.codes.to_numpy(), list(accounts.cat.categories)
    else:
        codes, uniq = pd.factorize(accounts.astype(object))
    ok = np.zeros(len(uniq) + 1, dtype=bool)   # the last: a missing account (code -1)
    for i, a in enumerate(uniq):
        a = str(a).casefold()
        for p in prefixes:
            p = p.casefold().rstrip(":")
            if a == p or a.startswith(p + ":"):
                ok[i] = True
                break
    return ok[np.asarray(codes)]


# ---------------------------------------------------------------- internals
def _take(series, rows):
    """``series``' values at ``rows`` (positions), keeping the dtype."""
    return series.array.take(rows)


def _empty(columns):
    import pandas as pd
    return pd.DataFrame({c: pd.Series([], dtype="int64" if c == "entry" else object)
                         for c in columns})


def _links_table(by_kind: dict, n: int):
    """The links child table from one target column per kind ('' for none)."""
    import numpy as np
    import pandas as pd

    parts = []
    for kind in LINK_KINDS:
        col = by_kind.get(kind)
        if col is None:
            continue
        vals = np.asarray(col, dtype=object)
        rows = np.flatnonzero(vals != "")
        if len(rows):
            parts.append(pd.DataFrame({"entry": rows, "kind": kind,
                                       "target": vals[rows]}))
    if not parts:
        return _empty(SCHEMA["links"])
    return pd.concat(parts, ignore_index=True).sort_values(
        "entry", kind="stable").reset_index(drop=True)


def _tables_of(entries: Sequence[Entry]) -> Tables:
    """The tables of ``Entry`` objects (``Book.from_entries``)."""
    import pandas as pd

    cols: dict[str, list] = {c: [] for c in SCHEMA["entries"]}
    alloc: dict[str, list] = {"entry": [], "purpose": [], "amount": []}
    cite: dict[str, list] = {"entry": [], "doc": [], "quote": [], "locator": []}
    link: dict[str, list] = {"entry": [], "kind": [], "target": []}
    described: dict[Period, str] = {}
    for i, e in enumerate(entries):
        p = e.period
        words = described.get(p)
        if words is None:
            words = described[p] = p.describe()
        for c, v in (("id", e.id), ("date", e.date), ("funder", e.funder),
                     ("purpose", e.purpose), ("amount", e.amount), ("currency", e.currency),
                     ("amount_text", e.amount_text), ("qualifier", e.qualifier),
                     ("period", words), ("period_kind", p.kind), ("years", p.years),
                     ("start", p.start), ("end", p.end), ("fiscal_year", p.fiscal_year),
                     ("status", e.status), ("primary", e.is_primary),
                     ("restated", "; ".join(f"{m.currency} {m.amount}" for m in e.restated)),
                     ("split", bool(e.splits)), ("recipient", e.recipient),
                     ("location", e.location), ("tags", ";".join(e.tags)), ("notes", e.notes),
                     ("where", e.where()), ("value_date", e.value_date)):
            cols[c].append(v)
        for s in e.allocations():
            alloc["entry"].append(i)
            alloc["purpose"].append(s.purpose)
            alloc["amount"].append(s.amount)
        for cited in e.sources:
            cite["entry"].append(i)
            cite["doc"].append(cited.doc)
            cite["quote"].append(cited.quote)
            cite["locator"].append(cited.locator)
        for ln in e.links:
            link["entry"].append(i)
            link["kind"].append(ln.kind)
            link["target"].append(ln.target)
    en = pd.DataFrame(cols)
    for c in ("date", "start", "end", "value_date"):
        en[c] = pd.to_datetime(en[c]).astype("datetime64[s]")
    for c in ("amount", "years"):
        en[c] = en[c].astype(object)
    en["primary"] = en["primary"].astype(bool)
    en["split"] = en["split"].astype(bool)
    al = pd.DataFrame(alloc)
    al["entry"] = al["entry"].astype("int64")
    al["amount"] = al["amount"].astype(object)
    ci = pd.DataFrame(cite) if cite["entry"] else _empty(SCHEMA["citations"])
    li = pd.DataFrame(link) if link["entry"] else _empty(SCHEMA["links"])
    return Tables(en, al, ci, li)


def _frame_of(t: Tables, columns: Sequence[str] = FRAME_COLUMNS):
    """Allocations with their entry's columns (``FRAME_COLUMNS``, or some)."""
    import numpy as np
    import pandas as pd

    en, al = t.entries, t.allocations
    idx = al["entry"].to_numpy()
    same = len(idx) == len(en) and (idx == np.arange(len(en))).all()
    cols = {}
    for c in columns:
        if c == "purpose":
            cols[c] = al["purpose"].array
        elif c == "amount":
            cols[c] = al["amount"].array
        else:
            src = en["amount" if c == "entry_amount" else c]
            cols[c] = src.array if same else src.array.take(idx)
    return pd.DataFrame(cols, copy=False)


def entries_frame(entries):
    """The base frame (``FRAME_COLUMNS``) of ``Entry`` objects."""
    return _frame_of(_tables_of(tuple(entries)))


def _dates(series) -> list:
    """datetime64 column -> list of ``datetime.date`` / None."""
    import numpy as np
    vals = series.to_numpy().astype("datetime64[D]")
    nat = np.isnat(vals)
    out = vals.astype(object)
    if nat.any():
        out[nat] = None
    return list(out)


def _where_parts(where: str, entry_id: str) -> tuple[str, int]:
    tail = f": entry {entry_id!r}"
    loc = where[:-len(tail)] if where.endswith(tail) else where
    head, _, line = loc.rpartition(":")
    if head and line.isdigit():
        return head, int(line)
    return loc, 0


def _missing(v) -> bool:
    """None, NaN, or pandas' NA / NaT (what a missing cell reads as depends on
    the column's dtype and the pandas version)."""
    if v is None or (isinstance(v, float) and v != v):
        return True
    return type(v).__name__ in ("NAType", "NaTType")


_T = TypeVar("_T")


def _entry_views(t: Tables) -> tuple[Entry, ...]:
    """``Entry`` objects made from the rows."""
    return _entry_values(t, Entry)


def _entry_values(t: Tables, make: Callable[..., _T]) -> tuple[_T, ...]:
    """Each entry's values as its ``Entry`` has them, given to ``make`` in
    the order of ``Entry``'s fields (``Entry`` itself, or a row of them:
    ``ledger.imports.rows.EntryRow``)."""
    import numpy as np

    en = t.entries
    n = len(en)
    if not n:
        return ()
    lists = {c: en[c].astype(object).tolist() for c in
             ("id", "funder", "purpose", "currency", "amount_text", "qualifier", "period_kind",
              "period", "fiscal_year", "status", "restated", "recipient", "location", "tags", "notes",
              "where")}
    amounts = en["amount"].tolist()
    years = en["years"].tolist()
    dates, starts, ends = _dates(en["date"]), _dates(en["start"]), _dates(en["end"])
    value_dates = _dates(en["value_date"]) if "value_date" in en.columns else [None] * n
    split = en["split"].to_numpy()

    def grouped(table, one):
        out: dict[int, list] = {}
        if len(table):
            rows = zip(table["entry"].tolist(), *(table[c].astype(object).tolist()
                                                  for c in table.columns if c != "entry"))
            for r in rows:
                out.setdefault(r[0], []).append(one(*r[1:]))
        return out

    splits = grouped(t.allocations.iloc[np.flatnonzero(split[t.allocations["entry"].to_numpy()])]
                     if split.any() else t.allocations.iloc[:0],
                     lambda p, a: Split(str(p), Decimal(a) if not isinstance(a, Decimal) else a))
    cites = grouped(t.citations, lambda d, q, loc: Citation(str(d), str(q or ""), str(loc or "")))
    links = grouped(t.links, lambda k, tg: Link(str(k), str(tg)))
    periods: dict = {}
    out: list[_T] = []
    for i in range(n):
        y = years[i]
        y = None if _missing(y) else Decimal(str(y)) if not isinstance(y, Decimal) else y
        fy = lists["fiscal_year"][i]
        fy = None if _missing(fy) or fy == "" else str(fy)
        key = (lists["period_kind"][i], y, starts[i], ends[i], fy, lists["period"][i])
        p = periods.get(key)
        if p is None:   # a length in months, weeks or days: as its words say it
            p = periods[key] = Period(*key[:5], **length_in_words(str(key[5] or "")))
        restated = tuple(Money(Decimal(a), c) for c, _, a in
                         (part.strip().partition(" ") for part in
                          str(lists["restated"][i] or "").split(";") if part.strip()))
        tags = tuple(x for x in str(lists["tags"][i] or "").split(";") if x)
        eid = str(lists["id"][i])
        file, line = _where_parts(str(lists["where"][i] or ""), eid)
        amt = amounts[i]
        out.append(make(   # Entry's fields, in order
            eid, dates[i], str(lists["funder"][i]), str(lists["purpose"][i]),
            amt if isinstance(amt, Decimal) else Decimal(str(amt)),
            str(lists["currency"][i]), str(lists["amount_text"][i] or ""),
            str(lists["qualifier"][i]), p, str(lists["status"][i]),
            tuple(splits.get(i, ())), restated, tuple(cites.get(i, ())),
            tuple(links.get(i, ())), str(lists["recipient"][i] or ""),
            str(lists["location"][i] or ""), tags, str(lists["notes"][i] or ""), file, line,
            value_dates[i]))
    return tuple(out)
