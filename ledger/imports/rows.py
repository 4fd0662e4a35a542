"""Imported records as the raw form, checked by the one rule engine.

Every import into a journal (spreadsheets, IATI, FTS) hands its records
here as journal fields (``ledger.writer.entry_table``: what the TOML it
writes will hold).  They are read by the journal's own column reader
(``ledger.read.journal_columns.read_records``: amount phrases, periods,
split tables, the syntax rules, as a journal's entries), beside the entries
of the ledger they go into (as fields too, made from a Book's tables with
no ``Entry``: ``ledger_entries``), into one raw form
(``ledger.read.raw.RawTables``), and ``ledger.read.table.check_raw`` runs
every rule over it, within and across entries.  What stays here is an
import's own: a record the reader refuses has its other fields checked by
``check_raw`` as a journal entry's are; a record the rules refuse is left
out with its problems (each with the ``field`` at fault, at the record's
line: a record has no lines of its keys; a split part's at the part's line
when the importer gives one, a spreadsheet's row), and the rest is checked again,
until nothing more is refused (leaving one out can break another's link).
The accepted records are given as ``EntryRow``s made from their checked
rows (``ledger.book.Book.from_frame``), not read again; an import compares
them with the ledger's entries as rows too: no ``Entry`` is made.
"""
from __future__ import annotations

import dataclasses
from json.encoder import encode_basestring as _quoted
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from ledger.book import Book, _dates, _entry_values, _missing, _where_parts
from ledger.imports.identity import figure_key, recorded
from ledger.memory import gc_paused
from ledger.model import (LINK_KINDS, ONCE, Citation, Link, Money, Period, Problem, Split,
                          length_in_words)
from ledger.phrases.money import plain_decimal
from ledger.read.journal_columns import WORDED_HERE, Records, _rank, read_records
from ledger.read.raw import RawTables, entries_of
from ledger.read.table import BULK_COLUMNS, PERIOD_COLUMNS, PROVENANCE_COLUMNS, check_raw
from ledger.rules import rows as rr
from ledger.rules.rows import _np


def _empty(v: Any) -> bool:
    """A field left out of the journal (``ledger.writer.entry_table``'s empty values)."""
    return v is None or (type(v) is str and not v) or (type(v) in (list, tuple) and not v)


def _given(t: dict[str, Any]) -> dict[str, Any]:
    """A record's fields without the empty ones (as ``entry_table`` gives
    them, and the TOML written holds them)."""
    if all(t.values()):   # nothing falsy, so nothing empty (a truth test each, in C)
        return t
    return {k: v for k, v in t.items() if not _empty(v)}


class EntryRow(NamedTuple):
    """One entry's row of a Book's tables (``Book.tables``: the entry, its
    parts, citations and links), its values as its ``Entry`` view would
    have them, in the same order (``ledger.book._entry_values`` makes
    both): what an import compares and keeps the user's edits from, with
    no ``Entry`` made.  ``same``: equal as two ``Entry`` objects are (file
    and line not compared)."""
    id: str
    date: Any
    funder: str
    purpose: str
    amount: Decimal
    currency: str
    amount_text: str
    qualifier: str
    period: Period
    status: str
    splits: tuple[Split, ...]
    restated: tuple[Money, ...]
    sources: tuple[Citation, ...]
    links: tuple[Link, ...]
    recipient: str
    location: str
    tags: tuple[str, ...]
    notes: str
    file: str
    line: int
    value_date: Any

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    def link(self, kind: str) -> str | None:
        return next((ln.target for ln in self.links if ln.kind == kind), None)

    def same(self, other: EntryRow) -> bool:
        return self[:18] == other[:18] and self.value_date == other.value_date


def entry_rows(book: Book) -> tuple[EntryRow, ...]:
    """Each entry of ``book`` as its row (``EntryRow``), from its tables."""
    return _entry_values(book.tables, EntryRow)


class LedgerEntries(NamedTuple):
    """The entries of the ledger an import goes into, as ``read_records``
    reads them: each one's journal fields (``_book_entries``), file and line."""
    fields: list[dict[str, Any]]
    file: list[str]
    line: list[int]

    def figures(self) -> list[tuple]:
        """``identity.figure_key`` of each entry (its parts, else its purpose)."""
        return [figure_key(f["funder"], [(s["purpose"], Decimal(s["amount"]))
                                         for s in f["split"]] if "split" in f else
                           [(f["purpose"], Decimal(f["amount"]))], Decimal(f["amount"]),
                           f["currency"], f["date"],
                           [(c["doc"], c["quote"], c["locator"]) for c in f.get("source", ())],
                           recorded(f))
                for f in self.fields]


def refused_ids(problems) -> dict[str, tuple[str, int]]:
    """The ids of the ledger's entries that ``check`` refuses (an error of
    theirs in ``problems``), each at its first problem's file and line: not
    in the Book, still the ledger's, so an import must not take their ids."""
    out: dict[str, tuple[str, int]] = {}
    for p in problems:
        if p.severity == "error" and p.entry_id:
            out.setdefault(p.entry_id, (p.file, p.line))
    return out


def ledger_entries(ledger: Book | tuple[()] | LedgerEntries) -> LedgerEntries:
    """The entries of a ledger (a Book, or ``()`` for none) as
    ``LedgerEntries``, from the Book's own tables (no ``Entry`` made)."""
    if isinstance(ledger, LedgerEntries):
        return ledger
    if isinstance(ledger, Book):
        return _book_entries(ledger)
    if ledger:
        raise TypeError("a ledger's entries are given as its Book")
    return LedgerEntries([], [], [])


def _book_entries(book: Book) -> LedgerEntries:
    """A Book's entries as journal fields, from its tables: the plain
    amounts, the split's parts, the period and conversions in words, the
    citations and links each of its ``Entry`` views holds."""
    import numpy as np

    t = book.tables
    en = t.entries
    n = len(en)
    if not n:
        return LedgerEntries([], [], [])
    text = {c: en[c].astype(object).tolist() for c in
            ("id", "funder", "purpose", "currency", "qualifier", "period_kind", "fiscal_year",
             "status", "restated", "recipient", "location", "where")}
    dates, starts, ends = _dates(en["date"]), _dates(en["start"]), _dates(en["end"])
    value_dates = _dates(en["value_date"]) if "value_date" in en.columns else [None] * n
    years = en["years"].tolist()
    labels = en["period"].astype(object).tolist() if "period" in en.columns else [""] * n
    split = en["split"].to_numpy()
    parts = _by_entry(t.allocations.iloc[np.flatnonzero(split[t.allocations["entry"].to_numpy()])]
                      if split.any() else t.allocations.iloc[:0])
    cites = _by_entry(t.citations)
    links = _by_entry(t.links)
    described: dict[tuple, str] = {}
    fields: list[dict[str, Any]] = []
    files: list[str] = []
    lines: list[int] = []
    for i, amount in enumerate(en["amount"].tolist()):
        eid = str(text["id"][i])
        out: dict[str, Any] = {
            "id": eid, "date": dates[i], "funder": str(text["funder"][i]),
            "amount": plain_decimal(amount if isinstance(amount, Decimal) else Decimal(str(amount))),
            "currency": str(text["currency"][i]), "status": str(text["status"][i]),
            "qualifier": str(text["qualifier"][i])}
        if i in parts:
            out["split"] = [{"purpose": str(p), "amount": plain_decimal(
                a if isinstance(a, Decimal) else Decimal(a))} for p, a in parts[i]]
        else:
            out["purpose"] = str(text["purpose"][i])
        y = years[i]
        fy = text["fiscal_year"][i]
        key = (text["period_kind"][i],
               None if _missing(y) else Decimal(str(y)) if not isinstance(y, Decimal) else y,
               starts[i], ends[i], None if _missing(fy) or fy == "" else str(fy))
        words = described.get((*key, labels[i]))
        if words is None:   # a length in months, weeks or days: as its words say it
            period = Period(*key, **length_in_words(str(labels[i] or "")))
            words = described[(*key, labels[i])] = "" if period == ONCE else period.describe()
        if words:
            out["period"] = words
        if i in links:   # each kind's first link, as ``Entry.link`` gives it
            first: dict[str, str] = {}
            for kind, target in links[i]:
                first.setdefault(str(kind), str(target))
            for k in LINK_KINDS:
                if first.get(k):
                    out[k] = first[k]
        if i in cites:
            out["source"] = [{"doc": str(d), "quote": str(q or ""), "locator": str(loc or "")}
                             for d, q, loc in cites[i]]
        if text["recipient"][i]:
            out["recipient"] = str(text["recipient"][i])
        if text["location"][i]:
            out["location"] = str(text["location"][i])
        if value_dates[i]:
            out["value_date"] = value_dates[i]
        restated = text["restated"][i]
        if restated and str(restated).strip(" ;"):   # 'EUR 15000000; USD 19000000'
            out["restated"] = [f"{c} {plain_decimal(Decimal(a))}" for c, _, a in
                               (m.strip().partition(" ") for m in str(restated).split(";")
                                if m.strip())]
        file, line = _where_parts(str(text["where"][i] or ""), eid)
        fields.append(out)
        files.append(file)
        lines.append(line)
    return LedgerEntries(fields, files, lines)


class Held(NamedTuple):
    """An entry of the ledger that an importer made, as its reader compares
    a file with it (versions, parents, the activity it cites, withdrawals)."""
    id: str
    amount: Decimal
    currency: str
    restated: tuple[Money, ...]
    tags: tuple[str, ...]
    notes: str
    sources: tuple[Citation, ...]
    file: str
    line: int


class HeldEntries:
    """The entries of a ledger whose ids begin with ``prefix`` (an
    importer's; ``()`` for none): ``rows``, read from a Book's tables (no
    ``Entry`` made); ``whole(ids)``, the whole rows (``EntryRow``)
    of the few a reader reads or writes again whole (items paired by their
    content, withdrawn items, FTS's ties and flows left out)."""

    def __init__(self, ledger: Book | tuple[()], prefix: str):
        if not isinstance(ledger, Book) and ledger:
            raise TypeError("a ledger's entries are given as its Book")
        self._ledger = ledger
        self.rows = _held_rows(ledger, prefix) if isinstance(ledger, Book) else []

    def whole(self, ids: Iterable[str]) -> list[EntryRow]:
        want = set(ids)
        if not want or not isinstance(self._ledger, Book):
            return []
        got = self._ledger.tables.entries["id"].astype(str).isin(want).to_numpy(dtype=bool)
        return list(entry_rows(self._ledger.subset(got))) if got.any() else []


def _held_rows(book: Book, prefix: str) -> list[Held]:
    """``HeldEntries.rows`` of a Book, from its tables: the fields the
    ``Entry`` views would give (``ledger.book``'s ``_views``)."""
    import numpy as np

    en = book.tables.entries
    if not len(en):
        return []
    ids = en["id"].astype(str)
    rows = np.flatnonzero(ids.str.startswith(prefix).to_numpy(dtype=bool))
    if not len(rows):
        return []
    pick = en.iloc[rows]
    text = {c: pick[c].astype(object).tolist() for c in
            ("id", "currency", "restated", "tags", "notes", "where")}
    cites = _by_entry(book.tables.citations)
    out = []
    for k, (i, amount) in enumerate(zip(rows.tolist(), pick["amount"].tolist())):
        eid = str(text["id"][k])
        file, line = _where_parts(str(text["where"][k] or ""), eid)
        out.append(Held(
            eid, amount if isinstance(amount, Decimal) else Decimal(str(amount)),
            str(text["currency"][k]),
            tuple(Money(Decimal(a), c) for c, _, a in (
                part.strip().partition(" ") for part in str(text["restated"][k] or "").split(";")
                if part.strip())),
            tuple(x for x in str(text["tags"][k] or "").split(";") if x),
            str(text["notes"][k] or ""),
            tuple(Citation(str(d), str(q or ""), str(loc or "")) for d, q, loc in cites.get(i, ())),
            file, line))
    return out


def _by_entry(table) -> dict[int, list[tuple]]:
    """A child table's rows (its columns after ``entry``) by entry."""
    out: dict[int, list[tuple]] = {}
    if len(table):
        for r in zip(table["entry"].tolist(), *(table[c].astype(object).tolist()
                                                for c in table.columns if c != "entry")):
            out.setdefault(r[0], []).append(r[1:])
    return out


def _files(ledger: LedgerEntries, records: list[dict], lines: Sequence[int], name: str,
           part_lines: Sequence[Sequence[int]] | None):
    """The ledger's entries (file by file, in turn) then the records (with
    their split parts' lines when given), as ``read_records`` takes them."""
    out: list = []
    for f, file, line in zip(*ledger):
        if not out or out[-1][0] != file:
            out.append((file, [], []))
        out[-1][1].append(f)
        out[-1][2].append(line)
    out.append((name, records, list(lines)) if part_lines is None else
               (name, records, list(lines), [list(p) for p in part_lines]))
    return out


def _subset(raw: RawTables, keep):
    """The raw form (one row per entry, ``read_records``') of the entries
    ``keep`` (numpy bool per entry), numbered among themselves; and each of
    its entries' place in ``raw``."""
    import numpy as np
    import pyarrow as pa

    if keep.all():
        return raw, raw.entry
    idx = np.flatnonzero(keep)
    moved = np.cumsum(keep) - 1
    take = pa.array(idx)
    c, links, restatements, splits = (None if t is None else entries_of(t, keep) for t in (
        raw.citations, raw.links, raw.restatements, raw.splits))
    accounts = None if raw.accounts is None else \
        [(int(moved[e]), f, name) for e, f, name in raw.accounts if keep[e]]
    at = raw.key_line

    def key_line(r: int, fld: str, nth: int = 0) -> int:
        return at(int(idx[r]), fld, nth)

    sub = RawTables(raw.entries.take(take), raw.file.take(take), raw.line[idx], raw.origin, c,
                    accounts, np.arange(len(idx)), key_line, raw.refused[idx],
                    {k: v[idx] for k, v in raw.worded.items()}, raw.period_from[idx],
                    links=links, restatements=restatements, splits=splits)
    return sub, idx


def bulk_table(got: Checked, origins: Sequence[str]):
    """The accepted records as an Arrow table of the bulk format
    (``BULK_COLUMNS`` then ``PROVENANCE_COLUMNS`` of ``ledger.read.table``,
    every column text: one row per entry and purpose, the period as its
    phrase, the citations as JSON, the ``origins`` of each record as
    given).  Column by column: the raw form's columns as they are, what is
    worked out per entry (sources, citations, provenance) made once for
    each entry and spread over its rows."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = BULK_COLUMNS + PROVENANCE_COLUMNS
    if not got.accepted or got.read is None:
        return pa.table({c: pa.array([], pa.string()) for c in columns})
    raw = got.read.form.raw
    n = len(got.accepted)
    keep = np.zeros(len(got.read.table), bool)
    keep[np.asarray(got.accepted, dtype=np.int64) + got.offset] = True
    extras = got.read.extras(keep)
    # one row per entry and purpose: a split entry's parts (the splits table's) in turn
    of, _, on = raw.part_layout()
    idx = np.flatnonzero(keep[of])
    entry = pa.array((np.cumsum(keep) - 1)[of[idx]])   # each row's accepted record
    rows = raw.entries.take(pa.array(of[idx]))
    out = {c: rows.column(c).cast(pa.string()) for c in (
        "id", "date", "funder", "currency", "status", "period", "value_date")}
    part = np.cumsum(on) - 1   # a part's row of the splits table
    for c in ("purpose", "amount"):   # a part's own, else its entry's
        out[c] = rows.column(c).cast(pa.string())
        if on[idx].any():
            out[c] = pc.if_else(pa.array(on[idx]), raw.splits.column(c).cast(pa.string()).take(
                pa.array(np.maximum(part[idx], 0))), out[c])
    stated = rows.column("qualifier").to_pylist()
    phrase = rows.column("phrase_qualifier").to_pylist()
    pairs: dict[tuple, str] = {}
    for pair in zip(stated, phrase):
        if pair not in pairs:
            pairs[pair] = rr.qualifier_of(*pair)[0]
    out["qualifier"] = pa.array([pairs[pair] for pair in zip(stated, phrase)], pa.string())
    blank = pa.array([""], pa.string()).take(pa.array(np.zeros(len(idx), np.int64)))
    for c in PERIOD_COLUMNS:
        out[c] = blank
    # the conversions as the bulk format writes them, as the rules read them
    out["restated"] = got.restated.take(entry)
    for k in LINK_KINDS:   # the Book's, as the rules read them (``RawTables.links``)
        column = extras.get(k)
        out[k] = (pa.array([""] * n, pa.string()) if column is None else
                  pc.fill_null(pa.array(column, pa.string()), "")).take(entry)
    sources, citations = _citation_texts(extras["citations"], n)
    out["sources"] = pa.array(sources, pa.string()).take(entry)
    for c in ("tags", "notes", "recipient", "location"):
        column = extras.get(c)
        text = pa.array([""] * n, pa.string()) if column is None else \
            pc.fill_null(pa.array(column, pa.string()), "")
        out[c] = text.take(entry)
    out["citations"] = pa.array(citations, pa.string()).take(entry)
    out["origin"] = pa.array([origins[k] for k in got.accepted], pa.string()).take(entry)
    return pa.table({c: out[c] for c in columns})


def _citation_texts(frame, n: int) -> tuple[list[str], list[str]]:
    """Per entry of the Book's extras' citations: (its documents, each once,
    joined by ";"; its citations as JSON, ``json.dumps(..., ensure_ascii=False)``
    of a list of {"doc", "quote", "locator"} with the empty ones left out).
    Written a citation at a time from the quoted strings (json's own C
    quoting): the same text as the encoder's, without a dict per citation."""
    docs: list[list[str]] = [[] for _ in range(n)]
    cites: list[list[str]] = [[] for _ in range(n)]
    for e, d, q, loc in zip(*(_strings(frame[c]) for c in ("entry", "doc", "quote", "locator"))):
        docs[e].append(d)
        if d and q and loc:
            cites[e].append(f'{{"doc": {_quoted(d)}, "quote": {_quoted(q)}, '
                            f'"locator": {_quoted(loc)}}}')
        else:
            cites[e].append("{" + ", ".join(f'"{k}": {_quoted(v)}' for k, v in (
                ("doc", d), ("quote", q), ("locator", loc)) if v) + "}")
    return ([";".join(dict.fromkeys(d)) for d in docs],
            ["[" + ", ".join(c) + "]" for c in cites])


def _strings(column) -> list:
    """A pandas column's values as a list, through Arrow (an Arrow-backed
    column's own ``tolist`` goes a value at a time)."""
    import pyarrow as pa

    return pa.array(column).to_pylist()


# ------------------------------------------------------------------ all records
@dataclass
class Checked:
    """What the rules made of an import's records: the accepted ones with
    their rows and warnings, the refused ones with their errors."""
    accepted: list[int] = field(default_factory=list)                # records, in order
    rows: dict[int, EntryRow] = field(default_factory=dict)          # record -> its row
    problems: dict[int, list[Problem]] = field(default_factory=dict)  # record -> its errors
    warnings: dict[int, list[Problem]] = field(default_factory=dict)  # accepted -> warnings
    read: Records | None = None    # the raw form of the ledger's entries and the records
    offset: int = 0                # record k is entry ``offset + k`` of ``read``
    restated: Any = None           # accepted -> its conversions as the rules read them (Arrow)


def check_records(tables: Sequence[dict[str, Any]], lines: Sequence[int], *, name: str,
                  ledger: Book | tuple[()] | LedgerEntries = (),
                  documents: Iterable[str] = (),
                  refuse: Callable[[dict[int, tuple]], dict[int, Problem]] | None = None,
                  across: bool = True, rows: bool = False,
                  part_lines: Sequence[Sequence[int]] | None = None) -> Checked:
    """Check the records ``tables`` (journal fields; record ``k`` at line
    ``lines[k]`` of the input ``name``: a spreadsheet row, an item's
    number) with the entries of the ``ledger`` they go into (a Book, or
    its ``ledger_entries``), citing the
    ``documents`` (ids) known: every rule once, by ``check_raw``.
    ``part_lines``: each record's split parts' lines, when they have their
    own (a spreadsheet's rows of one entry): a part's problem is worded at
    its line, as a journal's at its [[entry.split]] table, and is the
    record's.
    ``refuse``: the importer's own refusals, given the figures the rules
    accept (record -> ``identity.figure_key``, in order): record -> its
    problem.  ``rows``: make the accepted records' rows (``EntryRow``,
    ``Checked.rows``).  ``across``:
    False to refuse a record only for its own fields, not for the rules
    between entries (an entry's row, whatever it links to)."""
    if not tables:
        return Checked()
    docs = set(documents)
    lines = list(lines)
    with gc_paused():   # many small objects, none cyclic
        return _checked(tables, lines, name, ledger_entries(ledger), docs, refuse, across,
                        rows, part_lines)


def _checked(tables, lines, name, ledger, docs, refuse, across, as_rows,
             part_lines) -> Checked:
    """``check_records`` (the collector paused)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    out = Checked()
    m = len(ledger.fields)
    got = read_records(_files(ledger, [_given(t) for t in tables], lines, name, part_lines))
    out.read, out.offset = got, m
    raw = got.form.raw   # one row per entry, its parts in the splits table
    total = len(got.table)
    # each entry's id, and its amount as read (a split entry's own)
    no_amount = _np(pc.equal(raw.entries.column("amount"), ""))
    ids = raw.entries.column("id").to_pylist()
    refused_by_reader = [k for k in range(len(tables)) if m + k in got.said or no_amount[m + k]]
    for k in refused_by_reader:
        out.problems[k] = list(got.said.get(m + k, ()))
    if refused_by_reader:
        _own_problems(got, [m + k for k in refused_by_reader], out.problems, m,
                      _record_at(name, lines, part_lines, refused_by_reader), docs)
    read = {k: True for k in range(len(tables)) if k not in out.problems}
    if not read:
        return out
    alive = np.zeros(total, bool)
    alive[:m] = True
    alive[[m + k for k in read]] = True
    at_line = _record_at(name, lines, part_lines, read)
    blame = _Blame(ledger, raw, total, docs, tables, ids[m:], name, lines) if across else None
    while read:
        sub, of = _subset(raw, alive)
        old = of[sub.part_layout()[0]]   # each row of the checked frame's entry in ``raw``
        kept: list = []
        conversions: list = []   # the rules' reading of each entry's (``check_raw``)
        frame, found = check_raw(sub, docs, kept=kept, with_frame=as_rows,
                                 restated=conversions)
        refused: dict[int, list[Problem]] = {}
        for p in found:
            rec = at_line.get((p.file, p.line))
            if p.severity == "error" and rec is not None and rec in read \
                    and (across or p.code not in WORDED_HERE):
                refused.setdefault(rec, []).append(p)
        if blame is not None:
            for k, p in blame.of(found, read):
                refused.setdefault(k, []).append(p)
        if not refused:
            left_out = set() if kept[0] is None else set(old[~kept[0]].tolist())
            accepted = [k for k in read if m + k not in left_out]
            for k in [k for k in read if m + k in left_out]:   # left out by the rules, unsaid
                refused[k] = [Problem(name, lines[k], ids[m + k],
                                      "refused by the rules of the raw form")]
            if not refused and refuse is not None:
                refused = {k: [p] for k, p in
                           refuse(_figures(got, [m + k for k in accepted], accepted,
                                           [tables[k] for k in accepted])).items()}
            if not refused:
                out.accepted = accepted
                out.warnings = _warnings(found, at_line, set(accepted), lines)
                out.restated = conversions[0].take(pa.array(np.searchsorted(
                    of, np.asarray(accepted, dtype=np.int64) + m)))
                if as_rows:
                    out.rows = _rows(got, frame, kept[0], old, accepted, m)
                break
        for k, ps in refused.items():
            # an entry's own problems, in the order the journal words them; those
            # between entries only when it has none (as the journal reader does)
            own = [p for p in ps if p.code not in WORDED_HERE]
            out.problems[k] = _once(sorted(own, key=_rank)) if own else ps
            del read[k]
            alive[m + k] = False
    return out


class _Blame:
    """The records at fault for an error the rules word at an entry of the
    ledger (a package its imported phases push over its amount, a cycle
    through it): those linked to that entry, else those the error names,
    each refused with the error said at its own line, so that the ledger
    stays as it was for them and ``check`` passes after the import.  An
    error the ledger has without the records (said the same) is its own."""

    def __init__(self, ledger: LedgerEntries, raw: RawTables, total: int, docs: set[str],
                 tables: Sequence[dict[str, Any]], ids: list, name: str, lines: list[int]):
        self.at = {(f, ln): i for i, (f, ln) in enumerate(zip(ledger.file, ledger.line))}
        self.raw, self.total, self.docs, self.m = raw, total, docs, len(ledger.fields)
        self.tables, self.ids, self.name, self.lines = tables, ids, name, lines
        self.linked: dict[str, list[tuple[int, str]]] | None = None
        self.before: set[tuple] | None = None

    def of(self, found: list[Problem], read: dict[int, bool]) -> list[tuple[int, Problem]]:
        """(record, its problem) for each error of ``found`` at a ledger
        entry the ledger alone does not have, of the records still ``read``."""
        out: list[tuple[int, Problem]] = []
        for p in found:
            if p.severity != "error" or (p.file, p.line) not in self.at:
                continue
            named = set(p.detail("entries") or ())     # the entries the rule names
            linked = [(k, kind) for k, kind in self._linked().get(p.entry_id, ()) if k in read]
            # of the records linked, those the rule names (a phase, not a payment, for
            # phases over their package); a rule naming none blames every linked one
            at_fault = [(k, kind) for k, kind in linked if str(self.ids[k]) in named] \
                if named else linked
            at_fault = at_fault or [(k, "id") for k in read
                                    if self.ids[k] and str(self.ids[k]) in named]
            if not at_fault or self._key(p) in self._before():
                continue
            for k, kind in at_fault:
                out.append((k, Problem(
                    self.name, self.lines[k], str(self.ids[k] or ""),
                    f"with this record the ledger's entry {p.entry_id!r} ({p.file}:{p.line}) "
                    f"breaks a rule: {p.message}; not imported", p.hint, "error", p.code,
                    field=kind)))
        return out

    def _linked(self) -> dict[str, list[tuple[int, str]]]:
        """Ledger entry id -> the records linking to it (record, link kind)."""
        if self.linked is None:
            self.linked = {}
            for k, t in enumerate(self.tables):
                for kind in LINK_KINDS:
                    if t.get(kind):
                        self.linked.setdefault(str(t[kind]), []).append((k, kind))
        return self.linked

    @staticmethod
    def _key(p: Problem) -> tuple:
        return (p.file, p.line, p.code, p.message)

    def _before(self) -> set[tuple]:
        """The errors the rules word at the ledger's entries without the
        records (checked once, when first needed)."""
        if self.before is None:
            import numpy as np

            keep = np.zeros(self.total, bool)
            keep[:self.m] = True
            sub, _ = _subset(self.raw, keep)
            _, found = check_raw(sub, self.docs, with_frame=False)
            self.before = {self._key(p) for p in found if p.severity == "error"}
        return self.before


def _warnings(found: list[Problem], at_line: dict, accepted: set[int],
              lines: Sequence[int]) -> dict[int, list[Problem]]:
    """The accepted records' warnings (record -> its warnings, each once, in
    the order ``check`` gives them): what it will say of the entries written,
    at the record's line (a part's too: an accepted record is said where
    it begins, as every importer says it)."""
    out: dict[int, list[Problem]] = {}
    for p in found:
        rec = at_line.get((p.file, p.line))
        if p.severity == "warning" and rec in accepted:
            out.setdefault(rec, []).append(p if p.line == lines[rec] else
                                           dataclasses.replace(p, line=lines[rec]))
    return {k: _once(ps) for k, ps in sorted(out.items())}


def _record_at(name: str, lines: Sequence[int], part_lines: Sequence[Sequence[int]] | None,
               records: Iterable[int]) -> dict[tuple[str, int], int]:
    """(file, line) -> record, of the ``records``: at its line, and at its
    split parts' lines when given."""
    out = {}
    for k in records:
        out[(name, lines[k])] = k
        for line in part_lines[k] if part_lines is not None else ():
            out[(name, line)] = k
    return out


def _own_problems(got: Records, refused: list[int], problems: dict[int, list[Problem]],
                  m: int, at_line: dict[tuple[str, int], int], documents: set[str]) -> None:
    """The records the reader refused (entries ``refused``; ``at_line``:
    (file, line) -> record), their other fields checked by ``check_raw`` as
    a journal's entry is (the fields already worded masked; no rule across
    entries): each record's problems in the journal's order."""
    import numpy as np

    keep = np.zeros(len(got.table), bool)
    keep[refused] = True
    sub, _ = _subset(got.form.raw, keep)
    sub = dataclasses.replace(sub, refused=np.ones(sub.entries.num_rows, dtype=bool))
    _, found = check_raw(sub, documents, own_only=True, with_frame=False)
    for p in found:
        at = at_line.get((p.file, p.line))
        if at is not None and p.severity == "error" and p.code not in WORDED_HERE:
            problems[at].append(p)
    for e in refused:
        problems[e - m] = _once(sorted(problems[e - m], key=_rank))


def _once(problems: list[Problem]) -> list[Problem]:
    """A problem two rows of one entry (its splits) give, once (as the
    journal reader words it)."""
    return list({(p.line, p.message, p.code, p.field): p for p in problems}.values())


def _figures(got: Records, entries: list[int], records: list[int],
             fields: list[dict[str, Any]]) -> dict[int, tuple]:
    """``ledger.imports.identity.figure_key`` of each accepted record (its
    amount: the sum of its parts, which the rules made add up; ``fields``:
    its journal fields, for what it records besides)."""
    import numpy as np
    import pyarrow as pa

    raw = got.form.raw
    keep = np.zeros(len(got.table), bool)
    keep[entries] = True
    moved = np.cumsum(keep) - 1
    rows = raw.entries.take(pa.array(np.flatnonzero(keep)))
    col = {c: rows.column(c).to_pylist() for c in ("funder", "purpose", "amount", "currency",
                                                   "date")}
    c = raw.citations
    ce = _np(c.column("entry"))
    on = keep[ce]
    cites: list[list[tuple[str, str, str]]] = [[] for _ in entries]
    for e, d, q, loc in zip(moved[ce[on]].tolist(),
                            *(c.column(k).filter(pa.array(on)).to_pylist()
                              for k in ("doc", "quote", "locator"))):
        cites[e].append((d, q, loc))
    # a split entry's parts (the splits table's), else its purpose and amount
    parts: list[list[tuple[str, Decimal]]] = [[] for _ in entries]
    s = raw.splits
    se = _np(s.column("entry"))
    on = keep[se]
    for j, purpose, amount in zip(moved[se[on]].tolist(),
                                  *(s.column(k).filter(pa.array(on)).to_pylist()
                                    for k in ("purpose", "amount"))):
        parts[j].append((rr.composed(purpose), Decimal(amount)))
    for j, ps in enumerate(parts):
        if not ps:
            ps.append((rr.composed(col["purpose"][j]), Decimal(col["amount"][j])))
    return {k: figure_key(rr.composed(col["funder"][j]), ps, sum((a for _, a in ps), Decimal(0)),
                          col["currency"][j], rr.iso_date(col["date"][j]), cites[j],
                          recorded(f))
            for j, (k, ps, f) in enumerate(zip(records, parts, fields))}


def _rows(got: Records, frame, keep, old, accepted: list[int], m: int) -> dict[int, EntryRow]:
    """The accepted records' rows (record -> its ``EntryRow``, in order) of
    their checked rows (``keep``: the rows of the checked form kept in
    ``frame``, None for all; ``old``: each row's entry in ``got``), through
    the Book of them (its tables; no ``Entry`` made)."""
    import numpy as np

    pos = np.asarray(accepted, dtype=np.int64) + m
    mine = np.isin(old, pos)
    rows = frame[mine[keep] if keep is not None else mine].reset_index(drop=True)
    sel = np.zeros(len(got.table), bool)
    sel[pos] = True
    return dict(zip(accepted, entry_rows(Book.from_frame(rows, got.extras(sel)))))
