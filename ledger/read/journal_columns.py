"""The journal read column-wise: TOML into the raw form (``ledger.read.raw``),
checked by the rule engine of the bulk reader (``ledger.read.table.check_raw``),
with no ``Entry`` objects.  Every journal is read here (``ledger.read``).

A file's own problems (``parse_file``, ``read_tables``: its text, TOML,
options, documents, top-level keys) are noted in file order; problems
between entries (``WORDED_HERE``) are worded by the engine at each entry's
file and line.  An entry that breaks a rule of its own (an unknown field,
a bad amount, date or period, a split or citation the rules refuse) is
found column-wise, worded by the entry rules (``EntryReader``, at its keys'
lines) and left out, and the other entries are read again without it; a
valid entry in a shape of its own (a date as text, a whole-number amount
amid text) is read as those rules read it.  Every shape is taken here:
two entries in turn sharing an id are two entries (the raw form gives
each row's entry), a split's parts are added up to the entry's amount by
``check_raw``, a period both stated and in the amount phrase stands when
it restates the phrase's, an ``entry = [{…}]`` array's tables are each
at the line of their ``{``, and a field typed apart in two files is cast
to the type joining both.

Where the work goes: TOML parsing (toml_rs), one list per field pulled out of
the parsed tables, then Arrow/numpy over the columns: amount phrases by
``ledger.phrases.money.parse_amounts``, periods, accounts, ids, links, packages and
citations by ``ledger.read.table``.  Only the rare shapes (split tables, restated
conversions) are handled entry by entry.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple
from collections.abc import Sequence

from ledger.book import Book
from ledger.memory import gc_paused
from ledger.model import CONTROL_CHARS, ONCE, Entry, Problem
from ledger.phrases.money import MoneyError, parse_amount, parse_amounts, plain_decimal
from ledger.phrases.period import PeriodError, parse_period, restates
from ledger.read.journal import (SOURCE_FIELDS, SPLIT_FIELDS, EntryReader, parse_file,
                                 read_restated, read_split, read_tables)
from ledger.read.table import PY_WHITESPACE as _PY_WHITESPACE
from ledger.read.raw import RawTables
from ledger.read.table import check_raw
from ledger.rules import rows as rr
from ledger.rules.rows import ENTRY_FIELDS, qualifier_of
from ledger.rules.rows import _np
from ledger.safe_io import journal_files

__all__ = ["JournalFrame", "read_journal_book", "read_files_book", "read_journal_frame",
           "worth_caching", "MIN_BYTES"]

# From this much journal text on, a journal's Book is cached (ledger.read.cache);
# below it, the journal is read each time.
MIN_BYTES = 4 * 1024 * 1024   # about 15,000 entries

# The problems this reader words itself, by the rules across entries every
# reader runs (ledger.rules.across_entries), at the entry's file and line;
# each leaves every entry in the Book, as the entry reader does.  Any other
# problem check_raw finds is an entry's own, worded by the entry rules.
WORDED_HERE = frozenset({"duplicate-id", "no-source", "no-quote", "unknown-document",
                         "missing-link", "self-link", "package-currency", "package-exceeded",
                         "probable-duplicate", "lookalike-account", "split-sum"})

# text fields the frame uses (recipient, location and notes are only type-checked)
_TEXT_FIELDS = ("funder", "purpose", "status", "qualifier", "disburses", "part_of", "restates")
_NONE = type(None)


class JournalFrame(NamedTuple):
    frame: Any            # pandas DataFrame with rates.normalise.ENTRY_COLUMNS
    documents: dict       # id -> Document
    options: dict
    entries: int          # how many entries the journal holds
    files: tuple[Path, ...]
    extras: dict | None = None   # per-entry columns the frame lacks (ledger.book.Book.from_frame)
    problems: tuple = ()         # the files' own, then those across entries (WORDED_HERE)
    entry_of: Any = None         # each frame row's entry (numpy int64)


def read_journal_book(path: str | Path, progress=None) -> Book:
    """The journal at ``path`` as a Book with every problem found, read
    column-wise.  Never raises for bad input."""
    path = Path(path)
    got, _ = read_journal_frame(path, progress)
    return Book.from_frame(got.frame, got.extras, got.documents, got.options, got.problems,
                           path if path.is_dir() else path.parent, entry_of=got.entry_of)


def read_files_book(files: Sequence[Path], parsed: dict | None = None, progress=None) -> Book:
    """These journal files read together as one journal, column-wise (an
    import's scope: the files of a folder that are journals).  ``parsed``:
    ``ledger.read.journal.parse_file`` results already at hand (file ->
    result; taken from it as each file is read).  Never raises for bad input."""
    files = [Path(f) for f in files]
    with gc_paused():
        got = _read(files, parsed if parsed is not None else {}, progress or _quiet)
    return Book.from_frame(got.frame, got.extras, got.documents, got.options, got.problems,
                           files[0].parent if files else None, entry_of=got.entry_of)


def worth_caching(path: str | Path) -> bool:
    """True when the journal at ``path`` is big enough to be worth a cache."""
    try:
        return sum(f.stat().st_size for f in journal_files(Path(path))) >= MIN_BYTES
    except OSError:
        return False


def read_journal_frame(path: str | Path, progress=None) -> tuple[JournalFrame, dict]:
    """Read and check the journal at ``path`` column-wise.

    Returns ``(result, parsed)``: ``parsed`` maps each file not yet turned
    into Arrow to its ``ledger.read.journal.parse_file`` result (none once
    read: the parsed TOML is let go file by file, to save memory).  Never
    raises for bad input.  ``progress``: called with a short note before
    each step.
    """
    path = Path(path)
    parsed: dict = {}
    files = journal_files(path) if path.exists() else []
    with gc_paused():   # a million objects, none cyclic: no collector passes
        got = _read(files, parsed, progress or _quiet, path if path.is_dir() else None)
    if files:
        return got, parsed
    # the entry reader's words (ledger.read.journal.read_journal)
    none = Problem(str(path), 0, "", "no journal files (*.toml) in this folder",
                   code="no-journal-files") if path.exists() else \
        Problem(str(path), 0, "", "no such file or folder", code="no-such-ledger")
    return got._replace(problems=(none, *got.problems)), parsed


def _quiet(note: str) -> None:
    pass


class _Flagged(Exception):
    """Entries (positions among those read column-wise) that break a rule of
    their own: the entry rules word them, and the rest is read again."""

    def __init__(self, entries):
        super().__init__()
        self.entries = {int(i) for i in entries}


class _File(NamedTuple):
    name: str
    own: list            # the file's own problems (parse_file, read_tables), in order
    entries: list        # its raw [[entry]] tables
    lines: Any           # its LineIndex (None when it has no entries)
    heads: list          # each entry's [[entry]] line


def _read(files, parsed, progress, inside=None) -> JournalFrame:
    documents: dict = {}
    options: dict = {}
    read: list[_File] = []
    for i, f in enumerate(files, 1):
        progress(f"reading {f.name} ({i}/{len(files)})")
        got = parsed.get(f) or parse_file(f, inside)   # parsed already, or with the guards
        parsed[f] = got
        text, data, trouble = got
        # a file that cannot be read, and the problems of its options and
        # documents, are the file's own (``parse_file`` and ``read_tables``
        # word them for both readers), noted in file order as the entry
        # reader notes them; its entries (if any) are read on
        own = list(trouble)
        entries, lines = (None, None) if data is None or text is None else \
            read_tables(f, text, data, documents, own, options)
        heads = lines.headers("entry") if entries and lines is not None else []
        if entries and len(heads) != len(entries):   # not [[entry]] tables: entry = [{…}]
            heads = _inline_lines(text, lines.key_line("entry"), len(entries))
        read.append(_File(str(f), own, list(entries or ()), lines, heads))
        # the Arrow copy is all that is needed from here: let the parsed TOML
        # go (it is most of the memory)
        del parsed[f]
    # entries with problems of their own: (file, entry) -> (problems, id)
    worded: dict[tuple[int, int], tuple[list, str]] = {}
    # each pass words or plains at least one entry, and an entry is plained
    # once at most: the passes end
    while True:
        kept = [(fi, ei) for fi, got in enumerate(read) for ei in range(len(got.entries))
                if (fi, ei) not in worded]
        try:
            return _columns(read, kept, worded, documents, options, progress, files)
        except _Flagged as flagged:
            for g in sorted(flagged.entries):
                fi, ei = kept[g]
                found = _entry_problems(read[fi], ei)
                if isinstance(found, Entry):   # valid, in a shape of its own
                    plain = _plain_shape(read[fi].entries[ei], found)
                    if plain is None:   # a reader's bug, said rather than hidden
                        worded[fi, ei] = ([Problem(
                            read[fi].name, read[fi].heads[ei], found.id,
                            "this entry is valid but the journal reader could not take its "
                            "shape", "please report it; meanwhile write the entry as "
                            "docs/journal.md shows", code="unread-entry")], found.id)
                    else:
                        read[fi].entries[ei] = plain
                else:
                    worded[fi, ei] = found


def _inline_lines(text: str, at: int, n: int) -> list[int]:
    """The line of each of the ``n`` tables of ``entry = [{…}, …]`` (the
    array's key at line ``at``): where its ``{`` opens; the array's line
    for each when they cannot be told apart."""
    lines, depth, start = [], 0, 0
    for _ in range(at - 1):   # the key's line
        start = text.find("\n", start) + 1
    i, line = text.find("=", start) + 1, at
    while 0 < i < len(text):
        c = text[i]
        if c == "\n":
            line += 1
        elif c == "#":
            i = text.find("\n", i) - 1
            if i < 0:
                break
        elif c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            end = i + len(quote)
            while True:
                end = text.find(quote, end)
                if end < 0 or c == "'" or text[end - 1] != "\\" or _escaped_backslash(text, end):
                    break
                end += 1
            if end < 0:
                break
            line += text.count("\n", i, end)
            i = end + len(quote) - 1
        elif c in "[{":
            depth += 1
            if c == "{" and depth == 2:
                lines.append(line)
        elif c in "]}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    return lines if len(lines) == n else [at] * n


def _escaped_backslash(text: str, end: int) -> bool:
    """True when the quote at ``end`` follows an even run of backslashes
    (escaped themselves): it closes the string."""
    k = end - 1
    while k >= 0 and text[k] == "\\":
        k -= 1
    return (end - 1 - k) % 2 == 0


def _entry_problems(got: _File, ei: int) -> tuple[list, str] | Entry:
    """The problems of one entry by the entry rules (``EntryReader``), at
    its keys' lines, and its id; the entry when it has none."""
    end = got.heads[ei + 1] if ei + 1 < len(got.heads) else len(got.lines)
    found: list = []
    reader = EntryReader(got.entries[ei], got.name, got.heads[ei], end, got.lines, found)
    entry = reader.read()
    return entry if entry is not None else (found, reader.id)


def _plain_shape(raw: dict, entry: Entry) -> dict | None:
    """A valid entry written in a shape of its own (a date as text or with a
    time, a whole-number amount, one source or restated amount not in a
    list) in the shape this reader takes, as the
    entry rules read it; None when it already is (then something else,
    such as a period in the amount phrase, is not taken here)."""
    plain = dict(raw, date=entry.date)
    if "value_date" in raw:
        plain["value_date"] = entry.value_date
    if type(raw.get("source")) is dict:   # one table for [[entry.source]]
        plain["source"] = [raw["source"]]
    if type(raw.get("restated")) is str:
        plain["restated"] = [raw["restated"]]
    if type(raw.get("amount")) is int:
        plain["amount"] = str(raw["amount"])
    if type(raw.get("split")) is list:
        plain["split"] = [dict(t, amount=str(t["amount"])) if type(t.get("amount")) is int else t
                          for t in raw["split"]]
    return None if plain == raw and all(type(v) is type(raw[k]) for k, v in plain.items()) \
        else plain


def _odd_entries(entries: list) -> list[int]:
    """The entries (positions) whose fields are not in the types this
    reader takes (``_types_taken``), found one by one: only when the
    Arrow conversion refused the file."""
    out = []
    for i, e in enumerate(entries):
        if type(e) is not dict or not e.keys() <= ENTRY_FIELDS.keys() \
                or any(not _value_taken(k, v) for k, v in e.items()):
            out.append(i)
    return out


def _value_taken(key: str, value) -> bool:
    if key in ("date", "value_date"):
        return type(value) is dt.date
    if key == "amount":
        return type(value) in (str, int)
    if key in ("tags", "restated"):
        return type(value) is list and all(type(v) is str for v in value)
    if key in ("source", "split"):
        allowed = SOURCE_FIELDS if key == "source" else SPLIT_FIELDS
        kinds = (str,) if key == "source" else (str, int)
        return type(value) is list and all(
            type(t) is dict and t.keys() <= allowed and all(type(v) in kinds for v in t.values())
            for t in value)
    return type(value) is str


def _columns(read, kept, worded, documents, options, progress, files) -> JournalFrame:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    problems: list = []
    chunks: list = []
    file_of: list = []      # per file: (name, number of entries)
    heads: list = []
    rejected: list = []
    by_file: dict[int, list[int]] = {}
    for fi, ei in kept:
        by_file.setdefault(fi, []).append(ei)
    start = 0
    for fi, got in enumerate(read):
        problems.extend(got.own)
        mine = by_file.get(fi, [])
        for ei in range(len(got.entries)):
            if (fi, ei) in worded:
                found, eid = worded[fi, ei]
                problems.extend(found)
                if eid:
                    rejected.append(eid)
        if mine:
            entries = [got.entries[ei] for ei in mine]
            odd = [start + i for i, e in enumerate(entries)
                   if type(e) is not dict or type(e.get("date")) is not dt.date]
            if odd:
                raise _Flagged(odd)
            # the file's entries as one Arrow struct array: Arrow infers each
            # field's type and refuses mixed ones (the reader's type checks, in C)
            try:
                chunk = pa.array(entries)
            except (pa.ArrowException, OverflowError, TypeError, ValueError):
                chunk = None
            if chunk is None or not _types_taken({t.name: t.type for t in chunk.type}) \
                    or not {t.name for t in chunk.type} <= ENTRY_FIELDS.keys():
                # whole numbers amid text: the entry rules read them, as text
                odd = _odd_entries(entries) or [
                    i for i, e in enumerate(entries) if type(e.get("amount")) is int
                    or any(type(t.get("amount")) is int for t in e.get("split", ()))]
                # none found one by one: every entry of the file, to the entry rules
                raise _Flagged([start + i for i in odd or range(len(entries))])
            chunks.append(chunk)
            heads.extend(got.heads[ei] for ei in mine)
            file_of.append((got.name, len(mine)))
        start += len(mine)
    table = _lists_typed(_concat(chunks))
    n = len(table)
    progress(f"checking {n:,} entries")
    fields = {t.name: t.type for t in table.type}

    def text(key):
        """A text field, stripped as the reader strips it ('' when absent)."""
        if key not in fields:
            return pa.array(np.full(n, "", dtype=object), pa.string())
        return pc.utf8_trim(pc.fill_null(table.field(key), ""), _PY_WHITESPACE)

    ids = table.field("id") if "id" in fields else None
    if ids is None:
        raise _Flagged(range(n))
    bad = _np(ids.is_null()) | _np(table.field("date").is_null())
    t = {k: text(k) for k in _TEXT_FIELDS}   # accounts: checked by ledger.read.table's rules

    # amounts: the phrase, with a separate currency appended as the reader does
    if "amount" not in fields:
        raise _Flagged(range(n))
    bad |= _np(table.field("amount").is_null())
    amount = table.field("amount")
    phrases = pc.utf8_trim(pc.cast(amount, pa.string()), _PY_WHITESPACE)
    if "currency" in fields:
        cur = table.field("currency")
        given = cur.is_valid()
        joined = pc.binary_join_element_wise(
            phrases, pc.utf8_trim(pc.fill_null(cur, ""), _PY_WHITESPACE), " ")
        phrases = pc.if_else(given, joined, phrases)
    read, phrase_period = _periods_in_phrases(phrases, parse_amounts(phrases))
    bad |= read.slow
    qualifier, odd = _qualifiers(t["qualifier"], read.qualifier)
    bad |= odd

    if "period" in fields:
        period = pc.fill_null(table.field("period"), "")
        stated = table.field("period").is_valid()
        blank = pc.and_(stated, pc.equal(pc.utf8_trim(period, _PY_WHITESPACE), ""))
        bad |= _np(blank)   # the reader calls an empty period an error
    else:
        period = text("period")
    if phrase_period is not None:
        from_phrase = _np(pc.not_equal(phrase_period, ""))
        if "period" in fields:   # a period stated too: it must restate the phrase's
            both = from_phrase & _np(table.field("period").is_valid())
            if both.any():
                bad |= _not_restating(both, phrase_period, period, table.field("date"))
                from_phrase &= ~both   # the stated period stands, as the entry rules read it
        period = pc.if_else(pa.array(from_phrase), phrase_period, period)
    if "tags" in fields:
        tags = rr.composed_column(pc.fill_null(pc.binary_join(
            pc.cast(table.field("tags"), pa.list_(pa.string())), ";"), ""))
        bad |= _np(pc.match_substring_regex(tags, f"[{CONTROL_CHARS}]"))

    sources, citations = _sources(table, fields, n, bad)
    restated = _restated(table, fields, read.currency, n, bad)
    splits = _splits(table, fields, read.currency, bad)
    if bad.any():
        raise _Flagged(np.flatnonzero(bad))

    # one row per entry, more for split entries
    counts = np.ones(n, dtype=np.int64)
    for i, parts in splits.items():
        counts[i] = len(parts)
    row = np.repeat(np.arange(n), counts)
    take = pa.array(row)

    def per_row(values):
        return values if len(row) == n else values.take(take)

    row_purpose, row_amount = per_row(t["purpose"]), per_row(read.amount)
    if splits:
        starts = np.cumsum(counts) - counts
        mask = np.zeros(len(row), dtype=bool)
        for i in splits:
            mask[starts[i]:starts[i] + counts[i]] = True
        order = sorted(splits)
        row_purpose = pc.replace_with_mask(row_purpose, pa.array(mask), pa.array(
            [p for i in order for p, _ in splits[i]], pa.string()))
        row_amount = pc.replace_with_mask(row_amount, pa.array(mask), pa.array(
            [a for i in order for _, a in splits[i]], pa.string()))
    no_purpose = _np(pc.equal(row_purpose, ""))
    if no_purpose.any():
        raise _Flagged(row[no_purpose])

    file_names = pa.DictionaryArray.from_arrays(
        pa.array(np.repeat(np.arange(len(file_of)), [k for _, k in file_of]), pa.int32()),
        pa.array([name for name, _ in file_of], pa.string())).cast(pa.string())
    rows = pa.table({
        "id": per_row(ids),
        "date": per_row(pc.cast(table.field("date"), pa.string())),
        "funder": per_row(t["funder"]),
        "purpose": row_purpose,
        "amount": row_amount,
        "currency": per_row(read.currency),
        "status": per_row(t["status"]),
        "qualifier": per_row(qualifier),
        "period": per_row(period),
        "disburses": per_row(t["disburses"]),
        "part_of": per_row(t["part_of"]),
        "restates": per_row(t["restates"]),
        "sources": per_row(sources),
        "restated": per_row(restated),
        "recipient": per_row(text("recipient")),
        "value_date": per_row(pc.fill_null(pc.cast(table.field("value_date"), pa.string()), "")
                             if "value_date" in fields else text("value_date")),
    })
    written_split = np.zeros(n, dtype=bool)
    written_split[list(splits)] = True
    if splits:   # the entry's amount, which check_raw adds the parts up to
        rows = rows.append_column("entry_amount", per_row(pc.if_else(
            pa.array(written_split), read.amount, pa.scalar(""))))
    raw = RawTables(rows, per_row(file_names), np.asarray(heads, dtype=np.int64)[row],
                    "journal", citations, written_split[row],
                    _accounts(t["funder"], t["purpose"], splits), entry=row)
    kept: list = []
    frame, found = check_raw(raw, documents, kept, rejected=rejected)
    theirs = [p for p in found if p.code not in WORDED_HERE]
    if theirs:   # rules of an entry's own fields: worded by the entry rules
        at = {(name, line, eid): g for g, (name, line, eid) in enumerate(zip(
            np.repeat([name for name, _ in file_of], [k for _, k in file_of]), heads,
            ids.to_pylist()))}
        own = [at[p.file, p.line, p.entry_id] for p in theirs
               if (p.file, p.line, p.entry_id) in at]
        if own:   # any other stays as check_raw words it
            raise _Flagged(own)
    extras = _extras(table, fields, phrases, t, text)
    extras["split"] = written_split
    return JournalFrame(frame, documents, options, n, tuple(files), extras,
                        tuple(problems) + tuple(found), row if kept[0] is None else row[kept[0]])


def _accounts(funder, purpose, splits) -> list:
    """The names the look-alike rule compares, as the entry reader gives
    them (``ledger.rules.checks``): each entry's funder, its purpose (the
    first split's when it states none) and each split's purpose; none when
    every name is ASCII (the rule then has nothing to say)."""
    import pyarrow.compute as pc

    funders, purposes = rr.composed_column(funder), rr.composed_column(purpose)
    if (pc.all(pc.string_is_ascii(funders)).as_py() and pc.all(pc.string_is_ascii(purposes)).as_py()
            and all(p.isascii() for parts in splits.values() for p, _ in parts)):
        return []
    out = []
    for i, (f, p) in enumerate(zip(funders.to_pylist(), purposes.to_pylist())):
        parts = splits.get(i, ())
        out.append((i, "funder", f))
        out.append((i, "purpose", p or (parts[0][0] if parts else "")))
        out.extend((i, "split purpose", part) for part, _ in parts)
    return out


def _extras(table, fields, phrases, t, text) -> dict:
    """What the Book keeps beyond the base frame: the amount as written,
    recipient, location, tags, notes, links and citations (with quotes), as
    Arrow-backed columns (no Python string per value).  ``t``: the link
    fields read by ``text`` (stripped, '' when absent)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    def col(arr):
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        return pd.arrays.ArrowExtensionArray(arr)

    out = {"amount_text": col(phrases), "recipient": col(text("recipient")),
           "location": col(text("location")), "notes": col(text("notes"))}
    if "tags" in fields:   # control characters: refused by the rules before this
        out["tags"] = col(rr.composed_column(pc.fill_null(pc.binary_join(
            pc.cast(table.field("tags"), pa.list_(pa.string())), ";"), "")))
    for k in ("disburses", "part_of", "restates"):
        out[k] = t[k].to_numpy(zero_copy_only=False) \
            if pc.any(pc.not_equal(t[k], "")).as_py() else None
    if "source" not in fields:
        out["citations"] = pd.DataFrame({"entry": np.zeros(0, dtype="int64"), "doc": [],
                                         "quote": [], "locator": []})
        return out
    src = table.field("source")
    flat = pc.list_flatten(src)
    names = {f.name for f in fields["source"].value_type}
    m = len(flat)

    def field(k):
        if k not in names:
            return col(pa.nulls(m, pa.string()).fill_null(""))
        return col(pc.fill_null(flat.field(k), ""))

    out["citations"] = pd.DataFrame({
        "entry": pc.list_parent_indices(src).to_numpy(zero_copy_only=False).astype("int64"),
        "doc": col(pc.utf8_trim(flat.field("doc"), _PY_WHITESPACE)),
        "quote": field("quote"), "locator": field("locator")})
    return out


def _concat(chunks):
    """The files' struct arrays as one: a field a file lacks is null there;
    a field typed apart in two files (whole-number amounts in one, text in
    another; empty lists; citations or splits with other keys) is cast to
    the type joining both (``_joined``), as the entry rules read it."""
    import pyarrow as pa

    if not chunks:   # no entry read: the files' own problems, or every entry's
        return pa.array([], pa.struct([("id", pa.string()), ("date", pa.date32()),
                                       ("amount", pa.string())]))
    if len(chunks) == 1:
        return chunks[0]
    types: dict = {}
    for c in chunks:
        for fld in c.type:
            types[fld.name] = _joined(types[fld.name], fld.type) if fld.name in types \
                else fld.type

    def field(c, k):
        if c.type.get_field_index(k) < 0:
            return pa.nulls(len(c), types[k])
        got = c.field(k)
        return got if got.type == types[k] else got.cast(types[k])

    names = list(types)
    return pa.concat_arrays([
        pa.StructArray.from_arrays([field(c, k) for k in names], names=names) for c in chunks])


def _lists_typed(table):
    """``table`` with its citations and splits typed as tables even when
    every list is empty (``source = []``), as the columns read them."""
    import pyarrow as pa

    s = pa.string()
    typed = {"source": pa.list_(pa.struct([("doc", s)])),
             "split": pa.list_(pa.struct([("purpose", s), ("amount", s)]))}
    names = [f.name for f in table.type]
    if not any(table.type.field(k).type == pa.list_(pa.null()) for k in typed if k in names):
        return table
    return pa.StructArray.from_arrays(
        [table.field(k).cast(typed[k]) if k in typed and table.type.field(k).type ==
         pa.list_(pa.null()) else table.field(k) for k in names], names=names)


def _joined(a, b):
    """The type that holds values of types ``a`` and ``b``, both taken by
    this reader (``_types_taken``): text over whole numbers, a list's
    items joined, a table's keys those of both."""
    import pyarrow as pa

    if a == b or pa.types.is_null(b):
        return a
    if pa.types.is_null(a):
        return b
    if pa.types.is_list(a) and pa.types.is_list(b):
        return pa.list_(_joined(a.value_type, b.value_type))
    if pa.types.is_struct(a) and pa.types.is_struct(b):
        fields = {f.name: f.type for f in a}
        for f in b:
            fields[f.name] = _joined(fields[f.name], f.type) if f.name in fields else f.type
        return pa.struct(list(fields.items()))
    return pa.string()   # text and a whole number: the number read as text


def _types_taken(fields) -> bool:
    """The field types this reader takes (others: the one-by-one reader)."""
    import pyarrow as pa

    s = pa.string()
    for k, t in fields.items():
        if k == "date":
            ok = t == pa.date32()
        elif k == "value_date":
            ok = t == pa.date32()
        elif k == "amount":
            ok = t in (s, pa.int64())
        elif k == "tags" or k == "restated":
            ok = t in (pa.list_(s), pa.list_(pa.null()))
        elif k in ("source", "split") and t == pa.list_(pa.null()):
            ok = True   # empty lists only: typed by _lists_typed
        elif k == "source":
            ok = (pa.types.is_list(t) and pa.types.is_struct(t.value_type)
                  and {f.name for f in t.value_type} <= SOURCE_FIELDS
                  and all(f.type == s for f in t.value_type))
        elif k == "split":
            ok = (pa.types.is_list(t) and pa.types.is_struct(t.value_type)
                  and {f.name for f in t.value_type} <= SPLIT_FIELDS
                  and all(f.type in (s, pa.int64()) for f in t.value_type))
        else:
            ok = t == s
        if not ok:
            return False
    return True


def _periods_in_phrases(phrases, read):
    """The amount phrases ``parse_amounts`` left (``slow``) that carry a
    period ("£5m a year"), read one by one by ``parse_amount`` (each
    distinct phrase once), and each one's period as the phrase
    ``parse_period`` reads back (``Period.describe``), '' for the others;
    None when there are none."""
    import numpy as np
    import pyarrow as pa

    slow = read.slow.copy()
    if not slow.any():
        return read, None
    amount = read.amount.to_numpy(zero_copy_only=False).astype(object)
    currency = read.currency.to_numpy(zero_copy_only=False).astype(object)
    qualifier = read.qualifier.to_numpy(zero_copy_only=False).astype(object)
    period = np.full(len(slow), "", dtype=object)
    seen: dict = {}
    for r in np.flatnonzero(slow).tolist():
        text = phrases[r].as_py()
        if text not in seen:
            try:
                p = parse_amount(text) if text is not None else None
            except (MoneyError, ValueError):
                p = None
            seen[text] = p if p is not None and p.period != ONCE else None
        p = seen[text]
        if p is not None:
            amount[r], currency[r], qualifier[r] = plain_decimal(p.amount), p.currency, p.qualifier
            period[r] = p.period.describe()
            slow[r] = False
    if not period.any():
        return read, None
    return read._replace(amount=pa.array(amount, pa.string()),
                         currency=pa.array(currency, pa.string()),
                         qualifier=pa.array(qualifier, pa.string()), slow=slow), \
        pa.array(period, pa.string())


def _not_restating(both, phrase_period, stated, dates):
    """The rows of ``both`` (a period stated and one in the amount phrase)
    whose stated period cannot be read or does not restate the phrase's
    (``ledger.phrases.period.restates``, the entry rules' test): the entry
    rules word them."""
    import numpy as np
    import pyarrow as pa

    out = np.zeros(len(both), dtype=bool)
    rows = np.flatnonzero(both)
    take = pa.array(rows)
    seen: dict = {}
    for r, said, text, on in zip(rows.tolist(), phrase_period.take(take).to_pylist(),
                                 stated.take(take).to_pylist(), dates.take(take).to_pylist()):
        try:
            if (said, text) not in seen:
                try:   # the date matters only to phrases that fail without it
                    seen[said, text] = restates(parse_period(said), parse_period(text))
                except PeriodError:
                    seen[said, text] = None
            ok = seen[said, text]
            if ok is None:
                ok = restates(parse_period(said), parse_period(text, on=on))
        except (PeriodError, ValueError):
            ok = False
        out[r] = not ok
    return out


def _qualifiers(stated, from_phrase):
    """The reader's rule (``ledger.rules.rows.qualifier_of``), once per
    distinct pair of the stated qualifier and the phrase's: the qualifiers,
    and the entries breaking it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pairs = pc.dictionary_encode(pc.binary_join_element_wise(
        pa.array(stated, pa.string()), from_phrase, "\x1f"))
    found = [qualifier_of(*p.split("\x1f")) for p in pairs.dictionary.to_pylist()]
    broken = _np(pa.array([rule is not None for _, rule in found], pa.bool_()).take(pairs.indices))
    return pa.array([q for q, _ in found], pa.string()).take(pairs.indices), broken


def _sources(table, fields, n, bad):
    """Each entry's cited document ids joined by ';' (the bulk format, ''
    for an entry citing nothing), after the reader's checks on every
    [[entry.source]], and the citations (``ledger.read.raw``: entry, doc,
    quote, in entry order) for the rules across entries."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if "source" not in fields:
        return pa.array(np.full(n, "", dtype=object), pa.string()), pa.table({
            "entry": pa.array([], pa.int64()), "doc": pa.array([], pa.string()),
            "quote": pa.array([], pa.string()), "locator": pa.array([], pa.string())})
    src = table.field("source")
    names = {f.name for f in fields["source"].value_type}
    if "doc" not in names:
        raise _Flagged(np.flatnonzero(_np(pc.fill_null(pc.list_value_length(src), 0)) > 0))
    lengths = pc.fill_null(pc.list_value_length(src), 0).to_numpy(zero_copy_only=False)
    flat = pc.list_flatten(src)
    doc = flat.field("doc")
    def given(k):   # a field some citation lacks is '' there, as the reader reads it
        return pc.fill_null(flat.field(k), "") if k in names else \
            pa.array(np.full(len(flat), "", dtype=object), pa.string())

    quote, locator = given("quote"), given("locator")
    doc = pc.utf8_trim(doc, _PY_WHITESPACE)
    odd = _np(pc.fill_null(pc.or_(pc.equal(doc, ""), pc.match_substring(doc, ";")), True))
    if odd.any():   # the reader's rules word them
        bad[_np(pc.list_parent_indices(src))[odd]] = True
        doc = pc.fill_null(doc, "")
    offsets = pa.array(np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32))
    joined = pc.binary_join(pa.ListArray.from_arrays(offsets, doc), ";")
    return joined, pa.table({"entry": pa.array(np.repeat(np.arange(n), lengths), pa.int64()),
                             "doc": doc, "quote": quote, "locator": locator})


def _restated(table, fields, currency, n, bad):
    """The restated conversions as ``entries_frame`` words them; entry by
    entry, for the few entries that have them."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    out = np.full(n, "", dtype=object)
    if "restated" not in fields:
        return pa.array(out, pa.string())
    col = table.field("restated")
    has = pc.fill_null(pc.greater(pc.list_value_length(col), 0), False)
    rows = np.flatnonzero(has.to_numpy(zero_copy_only=False))
    if not len(rows):
        return pa.array(out, pa.string())
    take = pa.array(rows)
    for r, items, own in zip(rows, col.take(take).to_pylist(), currency.take(take).to_pylist()):
        money, found = read_restated(items, own)   # the reader's rules
        if found:
            bad[r] = True
            continue
        out[r] = "; ".join(f"{m.currency} {m.amount}" for m in money)
    return pa.array(out, pa.string())


def _splits(table, fields, currency, bad) -> dict[int, list[tuple[str, str]]]:
    """Entry index -> [(purpose, plain amount)] for the split entries, read
    and checked as the reader does (``bad``: marked where a part breaks a
    rule); whether they add up to the entry, ``check_raw`` says."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if "split" not in fields:
        return {}
    col = table.field("split")
    has = pc.fill_null(pc.greater(pc.list_value_length(col), 0), False)
    rows = np.flatnonzero(has.to_numpy(zero_copy_only=False))
    if not len(rows):
        return {}
    take = pa.array(rows)
    out: dict[int, list[tuple[str, str]]] = {}
    for i, s, own in zip(rows, col.take(take).to_pylist(), currency.take(take).to_pylist()):
        parts = []
        for table in s:
            part, found = read_split(table, own)   # the reader's rules
            if found or part is None:
                break
            parts.append((part.purpose, plain_decimal(part.amount)))
        if len(parts) != len(s) or bad[i]:
            bad[i] = True
            continue
        out[int(i)] = parts
    return out
