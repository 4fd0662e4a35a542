"""The journal read column-wise: TOML into the raw form (``ledger.read.raw``),
checked by the rule engine of the bulk reader (``ledger.read.table.check_raw``),
with no ``Entry`` objects.  Every journal is read here (``ledger.read``), and
so is every import's records in the journal's shape (``read_records``, for
``ledger.imports.rows.check_records``): the same functions
(``_entry_tables``, ``_raw_form``) turn both into the raw form.

A file's own problems (``parse_file``, ``read_tables``: its text, TOML,
options, documents, top-level keys) are noted in file order; problems
between entries (``WORDED_HERE``) are worded by the engine at each entry's
file and line.  An entry that breaks a rule of its own (an unknown field,
a bad amount, date or period, a split or citation the rules refuse) is
worded column-wise at its key's line and left out of the rules across
entries (``check_raw`` masks it): a value of a TOML type its field cannot hold
by ``_syntax`` (the syntax rules of ``ledger.rules.rows``), an amount phrase
(a split table's too) by ``_check`` (``parse_amount``, ``split_part``),
every field rule (the restated conversions, the split and citation rules
too) by ``check_raw`` (``RawTables.key_line``, a split table's key
as ``split.KEY``);
a valid entry in a shape of its own (a date as text, a whole-number amount
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

import bisect
import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple
from collections.abc import Sequence

from ledger.book import Book
from ledger.memory import gc_paused
from ledger.model import LINK_KINDS, ONCE, Problem
from ledger.phrases.money import (MoneyError, parse_amount, parse_amounts,
                                  plain_decimal)
from ledger.read.journal import SplitPart, _as_date, parse_file, read_tables, split_part
from ledger.read.table import PY_WHITESPACE as _PY_WHITESPACE
from ledger.read.raw import (RawTables, book_citations, book_links, book_texts,
                             entries_of, link_table, no_citations, purpose_rows,
                             restatement_table, split_table)
from ledger.read.table import check_raw
from ledger.rules import rows as rr
from ledger.rules.lookalike import none_alike
from ledger.rules.rows import ENTRY_FIELDS
from ledger.rules.rows import _np
from ledger.safe_io import journal_files

__all__ = ["JournalFrame", "read_journal_book", "read_files_book", "read_journal_frame",
           "read_records", "Records", "worth_caching", "MIN_BYTES"]

# From this much journal text on, a journal's Book is cached (ledger.read.cache);
# below it, the journal is read each time.
MIN_BYTES = 4 * 1024 * 1024   # about 15,000 entries

# The problems this reader words itself, by the rules across entries every
# reader runs (ledger.rules.across_entries), at the entry's file and line;
# each leaves every entry in the Book, as the entry reader does.  Any other
# problem check_raw finds is an entry's own: the entry is left out.
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
    entries: int          # how many entries were read (those with errors of their own left out)
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


class Records(NamedTuple):
    """Journal-shaped records read as a journal's entries are
    (``read_records``): the raw form of them all, the problems this reader
    words (by entry position), and what the Book keeps beside the rows."""
    form: _Form               # the raw form (``form.raw``) and what goes with it
    said: dict                # entry position -> [Problem] worded by the reader
    table: Any                # the entries as one Arrow struct array

    def extras(self, keep) -> dict:
        """What the Book keeps beside the rows (``ledger.book.Book.from_frame``)
        of the entries ``keep`` (numpy bool per entry)."""
        return _kept_extras(self.form, keep)


def read_records(files: Sequence[tuple[str, Sequence[dict], Sequence[int]]
                                | tuple[str, Sequence[dict], Sequence[int],
                                        Sequence[Sequence[int]]]]) -> Records:
    """Records in the journal's shape (an import's, ``ledger.writer.entry_table``;
    a ledger's entries as fields) read by the journal's column reader, as
    its entries are: ``files`` gives (file name, its records, each record's
    line, and optionally each record's split parts' lines), in turn; the
    entries' positions follow that order.  A record has no lines of its
    keys: a problem is worded at the record's line, a split part's at the
    part's line when given (a spreadsheet entry's rows: a part each), as a
    journal's at its [[entry.split]] table.  Nothing is checked here beyond
    what the raw form cannot carry (the caller runs ``check_raw``)."""
    read = [_File(f[0], [], list(f[1]), None, list(f[2]), list(f[3]) if len(f) > 3 else None)
            for f in files]
    said = _Said(read)
    table, where = _entry_tables(read, said)
    form = _raw_form(table, where, read, said)
    at = {w: g for g, w in enumerate(where)}
    own: dict[int, list[Problem]] = {}
    for w, p in said.found:
        own.setdefault(at[w], []).append(p)
    for w in said.entries:
        own.setdefault(at[w], [])
    return Records(form, own, table)


def _quiet(note: str) -> None:
    pass


class _File(NamedTuple):
    name: str
    own: list            # the file's own problems (parse_file, read_tables), in order
    entries: list        # its raw [[entry]] tables
    lines: Any           # its LineIndex (None when it has no entries)
    heads: list          # each entry's [[entry]] line
    parts: list | None = None   # records': each one's split parts' lines (read_records)

    def key_line(self, ei: int, key: str) -> int:
        """The line of ``key`` in entry ``ei`` (its [[entry]] line when the
        entry has no such key, or the file is an import's records: no
        lines of their keys, ``lines`` None)."""
        if self.lines is None:
            return self.heads[ei]
        end = self.heads[ei + 1] if ei + 1 < len(self.heads) else len(self.lines)
        return self.lines.key_line(key, self.heads[ei], end)

    def sub_line(self, ei: int, table: str, nth: int, key: str) -> int:
        """The line of ``key`` in entry ``ei``'s ``nth`` [[entry.TABLE]]
        sub-table (its header when it has no such key; the record's line
        when ``lines`` is None, or its part's when given)."""
        if self.lines is None:
            if table == "split" and self.parts and nth < len(self.parts[ei]):
                return self.parts[ei][nth]
            return self.heads[ei]
        end = self.heads[ei + 1] if ei + 1 < len(self.heads) else len(self.lines)
        return self.lines.sub_key_line(f"entry.{table}", nth, key, self.heads[ei], end)


class _Said:
    """The problems of entries' own that this reader words before the rule
    engine sees the entries (their TOML syntax, amount phrases, a split
    table's unknown keys and amount phrase), each by a rule of
    ``ledger.rules.rows`` (or ``ledger.read.journal.split_part``) at its key's
    line; which entries (file, entry) they leave out, and which of their
    fields the engine is not to word again."""

    def __init__(self, read):
        self.read = read
        self.found: list = []            # ((file, entry), Problem)
        self.entries: set = set()        # (file, entry)
        self.fields: dict = {}           # field -> {(file, entry)}; "*": every field
        self.whole: set = set()          # (file, entry): its amount a TOML whole number
        self.whole_rows: Any = None      # numpy bool per entry: the same, every file's
        self.parts: set = set()          # ((file, entry), nth split table) worded already

    def say(self, at, eid: str, rule: rr.Rule, key: str, value: Any = "",
            field: str | None = None, sub: tuple | None = None, **more) -> None:
        field = key if field is None else field
        message, hint = rule.word(value, field, **more)
        self.tell(at, eid, message, hint, rule.code_for(key), key, field, sub)

    def warn(self, at, eid: str, rule: rr.Rule, key: str, value: Any = "") -> None:
        """A warning at ``key``'s line: the entry is kept, its field too."""
        got = self.read[at[0]]
        message, hint = rule.word(value, key)
        self.found.append((at, Problem(got.name, got.key_line(at[1], key), eid, message, hint,
                                       severity="warning", code=rule.code_for(key),
                                       field=key)))

    def tell(self, at, eid: str, message: str, hint: str, code: str, key: str,
             field: str | None = None, sub: tuple | None = None) -> None:
        """``sub``: (nth sub-table of ``key``, its key at fault or ''): the
        problem is worded at that [[entry.KEY]] table's line."""
        got = self.read[at[0]]
        line = got.sub_line(at[1], key, *sub) if sub is not None else \
            got.key_line(at[1], key) if key else got.heads[at[1]]
        field = key if field is None else field
        self.found.append((at, Problem(got.name, line, eid, message, hint, code=code,
                                       field=field)))
        self.entries.add(at)
        self.fields.setdefault(field, set()).add(at)


def _read(files, parsed, progress, inside=None) -> JournalFrame:
    documents: dict = {}
    options: dict = {}
    set_at: dict = {}     # option -> where it was given first
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
            read_tables(f, text, data, documents, own, options, set_at)
        heads = lines.headers("entry") if entries and lines is not None else []
        if entries and lines is not None and text is not None and len(heads) != len(entries):
            # not [[entry]] tables: entry = [{…}]
            heads = _inline_lines(text, lines.key_line("entry"), len(entries))
        read.append(_File(str(f), own, list(entries or ()), lines, heads))
        # the Arrow copy is all that is needed from here: let the parsed TOML
        # go (it is most of the memory)
        del parsed[f]
    return _columns(read, documents, options, progress, files)


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


def _entry_tables(read, said: _Said):
    """The entries of every file as one Arrow struct array (values of a TOML
    type their field cannot hold worded by ``_syntax`` into ``said``, and
    left out), and each one's (file, entry in the file)."""
    import numpy as np
    import pyarrow as pa

    chunks: list = []
    where: list = []      # per entry: (file, entry in the file)
    whole: list = []      # per file: its entries' amounts written as TOML whole numbers
    for fi, got in enumerate(read):
        if not got.entries:
            continue
        chunk = _arrow(got.entries)
        if chunk is None:   # a value of another TOML type than its field's somewhere
            chunk = _arrow(_syntax(got, fi, said))
        assert chunk is not None, "_syntax leaves only the types _arrow takes"
        chunks.append(chunk)
        at = [(fi, ei) for ei in range(len(got.entries))]
        where.extend(at)
        amount = chunk.field("amount") if chunk.type.get_field_index("amount") >= 0 else None
        if amount is not None and amount.type == pa.int64():
            whole.append(_np(amount.is_valid()))
        else:
            whole.append(np.fromiter((a in said.whole for a in at), bool, len(at)))
    said.whole_rows = np.concatenate(whole) if whole else np.zeros(0, bool)
    return _concat(chunks), where


def _columns(read, documents, options, progress, files) -> JournalFrame:
    """Every entry checked once (``_check``: this reader's syntax and phrase
    rules, then ``check_raw``, whose rules across entries leave out the
    entries with a problem of their own, as the entry reader did)."""
    said = _Said(read)
    table, where = _entry_tables(read, said)
    got = _check(table, where, read, said, documents, (), progress)
    found, bad = got.problems, said.entries | got.bad
    cross = [p for p in found if p.code in WORDED_HERE]
    own = [(at, p) for at, p in said.found] + [(_entry_at(read, p), p) for p in found
                                               if p.code not in WORDED_HERE]
    if bad:
        where = [at for at in where if at not in bad]
    return JournalFrame(got.frame, documents, options, len(where), tuple(files),
                        got.extras, tuple(_in_order(read, own)) + tuple(cross), got.entry_of)


# the order an entry's problems are worded in: field by field, in this order
_FIELD_ORDER = {f: i for i, f in enumerate((
    "", "id", "date", "value_date", "funder", "purpose", "amount", "qualifier", "period",
    "status", "split", "restated", "source", "disburses", "part_of", "restates", "tags",
    "recipient", "location", "notes"))}


def _rank(p: Problem) -> float:
    """Where a problem of an entry's own comes among the entry's."""
    if p.code == "unknown-field" and p.field not in ENTRY_FIELDS:
        return 0.5
    if p.code == "missing-field" and p.field == "purpose":
        return _FIELD_ORDER["split"] + 0.5   # a split entry states none
    if p.code == rr.PERIOD_RANGE.code:
        return _FIELD_ORDER["period"]
    if p.field == "currency":
        return _FIELD_ORDER["amount"]
    return _FIELD_ORDER.get(p.field, len(_FIELD_ORDER))


def _entry_at(read, p: Problem) -> tuple[int, int]:
    """The entry (file, entry) a problem of the rule engine names: the last
    whose [[entry]] line is at or before the problem's line."""
    for fi, got in enumerate(read):
        if got.name == p.file:
            return fi, max(bisect.bisect_right(got.heads, p.line) - 1, 0)
    return len(read), 0


def _in_order(read, own) -> list:
    """Each file's own problems, then its entries' in entry order and, within
    an entry, in the order of its fields; a problem two rows of one entry
    (its splits) give, once.  The problems of an entry's [[entry.split]] or
    [[entry.source]] tables come table after table, in the file's order."""
    by_file: dict = {}
    for seq, (at, p) in enumerate(own):
        where = p.line if p.field in ("split", "source") else 0
        by_file.setdefault(at[0], []).append((at[1], _rank(p), where, seq, p))
    out: list = []
    for fi, got in enumerate(read):
        out.extend(got.own)
        seen: set = set()
        for *_, p in sorted(by_file.get(fi, ()), key=lambda x: x[:4]):
            key = (p.line, p.message, p.code, p.field)
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def _arrow(entries):
    """A file's entries as one Arrow struct array (Arrow infers each field's
    type and refuses mixed ones: the reader's type checks, in C), or None
    when some field is not in a type this reader takes."""
    import pyarrow as pa

    try:
        chunk = pa.array(entries)
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        return None
    if not pa.types.is_struct(chunk.type):
        return None
    fields = {t.name: t.type for t in chunk.type}
    if not fields.keys() <= ENTRY_FIELDS.keys() or not _types_taken(fields):
        return None
    return chunk


def _syntax(got: _File, fi: int, said: _Said) -> list:
    """A file's entries in the types this reader takes, after wording each
    value of a TOML type its field cannot hold (``ledger.rules.rows``'s
    syntax rules, at the key's line), the way the CSV reader words a
    malformed line; such a value is left out (and the entry with it).  A
    date with a time is its day, a whole-number amount its digits, one
    source or restated amount not in a list a list of one."""
    out: list = []
    for ei, e in enumerate(got.entries):
        at = (fi, ei)
        if type(e) is not dict:
            said.say(at, "", rr.ENTRY_NOT_TABLE, "")
            said.fields.setdefault("*", set()).add(at)
            out.append({})
            continue
        e = dict(e)
        eid = e["id"] if type(e.get("id")) is str else ""

        def say(rule, key, value="", field=None, at=at, eid=eid, sub=None, **more):
            said.say(at, eid, rule, key, value, field, sub, **more)

        def drop(key, at=at, e=e):
            del e[key]
            said.fields.setdefault(key, set()).add(at)

        for k in list(e):
            if k not in ENTRY_FIELDS:
                say(rr.UNKNOWN_FIELD, k, k)
                del e[k]
        if "id" in e and type(e["id"]) is not str:
            del e["id"]   # no id: the rules say it is missing
        for k in ("date", "value_date"):
            if k in e:
                v = e[k]
                if isinstance(v, dt.date):   # a date, or a date and time: its day
                    e[k] = (v.date() if isinstance(v, dt.datetime) else v).isoformat()
                elif type(v) is not str:
                    say(rr.NOT_A_DATE_VALUE, k, _as_date(v))
                    drop(k)
        for k in ("funder", "purpose"):
            _text_only(e, k, say, drop)
        a = e.get("amount")
        if a is not None:
            if isinstance(a, bool) or not isinstance(a, (str, int, float)):
                say(rr.AMOUNT_NOT_TEXT, "amount", kind=type(a).__name__)
                drop("amount")
            elif isinstance(a, float):
                say(rr.AMOUNT_FLOAT, "amount")
                drop("amount")
            elif isinstance(a, int):
                try:
                    e["amount"] = str(a)
                    said.whole.add(at)
                except ValueError:   # longer than Python prints (sys.get_int_max_str_digits)
                    say(rr.AMOUNT_TOO_LONG, "amount")
                    drop("amount")
            if "amount" in e and "currency" in e and not isinstance(e["currency"], str):
                say(rr.CURRENCY_NOT_TEXT, "currency")
                drop("amount")
        if "currency" in e and not isinstance(e["currency"], str):
            del e["currency"]   # with no amount to read, the entry rules never look at it
        _text_only(e, "qualifier", say, drop)
        if "period" in e and not isinstance(e["period"], str):
            say(rr.PERIOD_NOT_TEXT, "period")
            drop("period")
        _text_only(e, "status", say, drop)
        s = e.get("split")
        if s is not None:
            if not isinstance(s, list) or not all(isinstance(t, dict) for t in s):
                say(rr.SPLIT_NOT_TABLES, "split")
                drop("split")
            else:
                e["split"] = [_split_syntax(t, j, say, said.parts, at) for j, t in enumerate(s)]
        r = e.get("restated")
        if isinstance(r, str):
            e["restated"] = [r]
        elif r is not None and not (isinstance(r, list) and all(isinstance(x, str) for x in r)):
            say(rr.RESTATED_NOT_LIST, "restated")
            drop("restated")
        _sources_syntax(e, say, drop)
        for k in LINK_KINDS:
            _text_only(e, k, say, drop)
        tags = e.get("tags")
        if tags is not None and not (isinstance(tags, list)
                                     and all(isinstance(t, str) for t in tags)):
            say(rr.TAGS_NOT_LIST, "tags")
            drop("tags")
        for k in ("recipient", "location", "notes"):
            _text_only(e, k, say, drop)
        out.append(e)
    return out


def _split_syntax(t: dict, j: int, say, parts: set, at) -> dict:
    """An [[entry.split]] table (the ``j``th of entry ``at``) in the types
    this reader takes, as ``split_part`` reads it: a whole-number amount its
    digits; a purpose or amount of another type worded at its key's line
    (its TOML type named) and left out, the part noted in ``parts`` so that
    the split rules say no more of it; another key's value of another type
    '' (the rules name the key)."""
    out = {}
    for k, v in t.items():
        if type(v) is int and k == "amount":
            try:
                out[k] = str(v)
            except ValueError:   # longer than Python prints
                say(rr.SPLIT_AMOUNT_TOO_LONG, "split", sub=(j, k))
                parts.add((at, j))
        elif type(v) is str:
            out[k] = v
        elif k == "purpose":
            say(rr.SPLIT_PURPOSE_NOT_TEXT, "split", sub=(j, k), kind=_toml_type(v))
            parts.add((at, j))
        elif k == "amount":
            rule = rr.SPLIT_AMOUNT_FLOAT if type(v) is float else rr.SPLIT_AMOUNT_NOT_TEXT
            say(rule, "split", sub=(j, k), kind=_toml_type(v))
            parts.add((at, j))
        else:
            out[k] = ""
    return out


def _toml_type(value: Any) -> str:
    """The TOML type of a parsed value, as the syntax rules name it."""
    return type(value).__name__


def _text_only(e: dict, key: str, say, drop) -> None:
    if key in e and not isinstance(e[key], str):
        say(rr.NOT_TEXT, key, kind=type(e[key]).__name__)
        drop(key)


def _sources_syntax(e: dict, say, drop) -> None:
    """[[entry.source]] tables: their fields known and text (a citation with
    a quote or locator of another type is left out; one without doc is left
    to the citation rule, ``_sources``)."""
    src = e.get("source")
    if src is None:
        return
    if isinstance(src, dict):
        src = [src]
    if not isinstance(src, list) or not all(isinstance(t, dict) for t in src):
        say(rr.SOURCE_NOT_TABLES, "source")
        drop("source")
        return
    kept = []
    for j, t in enumerate(src):
        t = dict(t)
        for k in list(t):
            if k not in rr.SOURCE_FIELDS:
                say(rr.SOURCE_UNKNOWN_FIELD, "source", k, sub=(j, k))
                del t[k]
        doc = t.get("doc")
        if not isinstance(doc, str) or not doc.strip():
            t.pop("doc", None)   # check_raw's citation rule says so (and nothing of the rest)
            t = {k: v if isinstance(v, str) else "" for k, v in t.items()}
        elif not isinstance(t.get("quote", ""), str) or not isinstance(t.get("locator", ""), str):
            bad = "quote" if not isinstance(t.get("quote", ""), str) else "locator"
            say(rr.SOURCE_NOT_TEXT, "source", sub=(j, bad))
            # kept in place as text (the entry is left out): the citations
            # after it keep their places, for their lines
            t = {k: v if isinstance(v, str) else "" for k, v in t.items()}
        kept.append(t)
    e["source"] = kept


class _Checked(NamedTuple):
    frame: Any
    problems: list        # check_raw's
    bad: set              # entries (file, entry) with problems of their own (check_raw's)
    extras: dict
    entry_of: Any         # each frame row's entry (numpy int64)


def _check(table, where, read, said: _Said, documents, rejected, progress) -> _Checked:
    """The entries (a struct array; ``where``: each one's file and place)
    as the raw form (``_raw_form``), checked by ``check_raw``."""
    import numpy as np

    n = len(table)
    progress(f"checking {n:,} entries")
    form = _raw_form(table, where, read, said)
    row = form.row
    kept: list = []
    frame, found = check_raw(form.raw, documents, kept, rejected=rejected, own_only=True)
    bad = {_entry_at(read, p) for p in found
           if p.code not in WORDED_HERE and p.severity == "error"}
    entry_of = row
    keep = None
    if kept[0] is not None:   # entries left out
        keep = np.zeros(n, bool)
        keep[row[kept[0]]] = True
        entry_of = (np.cumsum(keep) - 1)[row[kept[0]]]
    return _Checked(frame, found, bad, _kept_extras(form, keep), entry_of)


def _kept_extras(form, keep) -> dict:
    """What the Book keeps beside the rows of the entries ``keep`` (numpy
    bool per entry; None: all) read as ``form``: its text
    (``raw.book_texts``), links and citations (with quotes), from the raw
    form the rules read."""
    import numpy as np
    import pandas as pd

    raw = form.raw
    n = len(form.written_split) if keep is None else int(keep.sum())
    links, citations = raw.links, raw.citations
    if keep is not None:
        links, citations = entries_of(links, keep), entries_of(citations, keep)
    out = book_texts(raw, keep)
    out.update(book_links(links, n))
    if not form.cites:
        out["citations"] = pd.DataFrame({"entry": np.zeros(0, dtype="int64"), "doc": [],
                                         "quote": [], "locator": []})
    else:
        out["citations"] = book_citations(citations)
    out["split"] = form.written_split if keep is None else form.written_split[keep]
    return out


class _Form(NamedTuple):
    """Entries as the raw form, and what the Book keeps beside it."""
    raw: RawTables
    row: Any              # each row's entry (numpy int64)
    written_split: Any    # per entry: written with split tables (numpy bool)
    cites: bool           # some entry has citations ([[entry.source]])


def _raw_form(table, where, read, said: _Said) -> _Form:
    """The entries (a struct array; ``where``: each one's file and place)
    as the raw form; this reader words what the raw form cannot carry
    (amount phrases, a split table's unknown keys) into ``said`` first."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(table)
    fields = {t.name: t.type for t in table.type}

    def text(key):
        """A text field, stripped as the reader strips it ('' when absent)."""
        if key not in fields:
            return pa.array(np.full(n, "", dtype=object), pa.string())
        return pc.utf8_trim(pc.fill_null(table.field(key), ""), _PY_WHITESPACE)

    raw_ids = table.field("id") if "id" in fields else pa.nulls(n, pa.string())
    ids = pc.fill_null(raw_ids, "")
    id_list: list | None = None

    def say(g, rule, key, value="", field=None, **more):
        nonlocal id_list
        if id_list is None:
            id_list = ids.to_pylist()
        said.say(where[g], id_list[g], rule, key, value, field, **more)

    def tell(g, message, hint, code, key, sub=None):
        nonlocal id_list
        if id_list is None:
            id_list = ids.to_pylist()
        said.tell(where[g], id_list[g], message, hint, code, key, None, sub)

    def done(field):   # the entries whose field this reader has worded already
        hit = said.fields.get(field, set()) | said.fields.get("*", set())
        return np.fromiter((at in hit for at in where), bool, n) if hit else np.zeros(n, bool)

    t = {k: text(k) for k in _TEXT_FIELDS}   # accounts: checked by ledger.read.table's rules

    # amounts: the phrase, with a separate currency appended as the reader does
    has_amount = _np(table.field("amount").is_valid()) if "amount" in fields \
        else np.zeros(n, bool)
    has_amount &= ~done("amount")
    amount = table.field("amount") if "amount" in fields else pa.nulls(n, pa.string())
    phrases = pc.utf8_trim(pc.fill_null(pc.cast(amount, pa.string()), ""), _PY_WHITESPACE)
    if "currency" in fields:
        cur = table.field("currency")
        given = _np(cur.is_valid())
        code = pc.utf8_trim(pc.fill_null(cur, ""), _PY_WHITESPACE)
        enc = pc.dictionary_encode(code)   # the currency rule, each distinct code once
        unknown = np.array([rr.currency_rule(c) is not None for c in enc.dictionary.to_pylist()]
                           + [False], bool)[_np(enc.indices)] & given & has_amount
        for g in np.flatnonzero(unknown).tolist():
            say(g, rr.UNKNOWN_CURRENCY, "currency", code[g].as_py())
            said.fields.setdefault("amount", set()).add(where[g])   # no amount read
        has_amount &= ~unknown
        # a code in any letter case, as the bulk reader and [ledger] currency take it
        code = pc.if_else(pc.match_substring_regex(code, "^[A-Za-z]{3}$"), pc.utf8_upper(code),
                          code)
        phrases = pc.if_else(pa.array(given), pc.binary_join_element_wise(phrases, code, " "),
                             phrases)
    read_amounts, phrase_period = _periods_in_phrases(phrases, parse_amounts(phrases))
    failed = read_amounts.slow & has_amount
    if failed.any():
        _amount_rules(failed, phrases, amount, say, said.whole_rows)
    cant = failed | ~has_amount   # no amount read: nothing to say of its qualifier or period
    if cant.any():
        none = pa.array(cant)
        read_amounts = read_amounts._replace(
            amount=pc.if_else(none, pa.scalar(""), read_amounts.amount),
            currency=pc.if_else(none, pa.scalar(""), read_amounts.currency),
            qualifier=pc.if_else(none, pa.scalar("exact"), read_amounts.qualifier),
            slow=read_amounts.slow & ~cant)

    period = text("period")
    from_phrase = np.zeros(n, bool)
    if "period" in fields:
        stated = _np(table.field("period").is_valid())
        period = pc.fill_null(table.field("period"), "")
        for g in np.flatnonzero(stated & _np(pc.equal(pc.utf8_trim(period, _PY_WHITESPACE),
                                                      ""))).tolist():
            found = rr.stated_period_problem(period[g].as_py())   # blank: an error
            if found is not None:
                say(g, found[0], "period", found[1], **found[2])
    if phrase_period is not None:
        from_phrase = _np(pc.not_equal(phrase_period, "")) & ~cant
        if "period" in fields:   # a period stated too: it must restate the phrase's
            both = from_phrase & _np(table.field("period").is_valid())
            for g, stated_text, said_text in _not_restating(both, phrase_period, period,
                                                            table.field("date")):
                say(g, rr.PERIOD_CONTRADICTS, "period", stated_text, phrase=said_text)
            from_phrase &= ~both   # the stated period stands, as the entry rules read it
        period = pc.if_else(pa.array(from_phrase), phrase_period, period)

    citations = _sources(table, fields, n)
    # the conversions, as listed: check_raw reads them by their rule
    restated = pc.cast(table.field("restated"), pa.list_(pa.string())) if "restated" in fields \
        else pa.nulls(n, pa.list_(pa.string()))
    # each entry's period (null: no amount read) and qualifiers, which its
    # parts' amount phrases must not contradict
    unread = pa.array(cant)
    terms = (pc.if_else(unread, pa.scalar(None, pa.string()), period), t["qualifier"],
             pc.if_else(unread, pa.scalar(None, pa.string()), read_amounts.qualifier),
             table.field("date") if "date" in fields else pa.nulls(n, pa.string()))
    splits = _splits(table, fields, read_amounts.currency, tell, terms)
    if splits:   # a purpose beside split tables is not kept: say so
        own = t["purpose"].take(pa.array(sorted(splits), pa.int64())).to_pylist()
        for g, p in zip(sorted(splits), own):
            if p:
                said.warn(where[g], ids[g].as_py(), rr.SPLIT_AND_PURPOSE, "purpose", p)

    # one row per entry; a split entry's parts in the splits table alone
    parts = np.zeros(n, dtype=np.int64)
    for i, got_parts in splits.items():
        parts[i] = len(got_parts)
    row = purpose_rows(n, parts)[0]   # each row the rules word at: its entry
    listed = [p for i in sorted(splits) for p in splits[i]]
    part_entry = np.repeat(np.arange(n), parts)
    part_no = np.arange(len(listed)) - (np.cumsum(parts) - parts)[part_entry]
    part_said = np.array([p.amount_said for p in listed], dtype=bool)   # worded here
    if said.parts:   # a split table's purpose or amount of another TOML type
        part_said |= [(where[i], j) in said.parts for i, j in zip(part_entry.tolist(),
                                                                   part_no.tolist())]

    heads = np.fromiter((read[fi].heads[ei] for fi, ei in where), np.int64, n)
    names = [got.name for got in read]
    file_names = pa.DictionaryArray.from_arrays(
        pa.array(np.fromiter((fi for fi, _ in where), np.int32, n), pa.int32()),
        pa.array(names, pa.string())).cast(pa.string())
    columns = {
        "id": ids,
        "date": _date_text(table, fields, "date", n),
        "date_written": _date_text(table, fields, "date", n, strip=False),
        "funder": t["funder"],
        "purpose": t["purpose"],   # (a part's: the splits table's)
        "amount": read_amounts.amount,
        "amount_text": phrases,   # the entry's (a part's: the splits table's)
        "amount_whole": pa.array(said.whole_rows),
        "currency": read_amounts.currency,
        "status": t["status"],
        "qualifier": t["qualifier"],              # as stated ('' when not)
        "phrase_qualifier": read_amounts.qualifier,  # the amount phrase's
        "period": period,
        "recipient": text("recipient"),
        "location": text("location"),
        "notes": text("notes"),
        "value_date": _date_text(table, fields, "value_date", n),
        "value_date_written": _date_text(table, fields, "value_date", n, strip=False),
    }
    if "tags" in fields:
        columns["tags"] = pc.cast(table.field("tags"), pa.list_(pa.string()))
    written_split = np.zeros(n, dtype=bool)
    written_split[list(splits)] = True
    if splits:   # the entry's amount, which check_raw adds the parts up to
        columns["entry_amount"] = pc.if_else(
            pa.array(written_split), read_amounts.amount, pa.scalar(""))
    rows = pa.table(columns)
    refused = np.fromiter((at in said.entries for at in where), bool, n) if said.entries \
        else np.zeros(n, bool)
    worded = {f: done(f) for f in ("id", "date", "value_date", "funder", "amount",
                                   "qualifier", "period", "status")}
    worded["purpose"] = done("purpose")
    worded["currency"] = worded["amount"] | _np(pc.equal(columns["currency"], ""))

    def key_line(e: int, field: str, nth: int = 0) -> int:
        """``split.KEY``: that key of the entry's ``nth`` [[entry.split]]
        table; ``source.KEY``: of its ``nth`` [[entry.source]] table."""
        fi, ei = where[int(e)]
        if field.startswith("split."):
            return read[fi].sub_line(ei, "split", nth, field[6:])
        if field.startswith("source."):
            return read[fi].sub_line(ei, "source", nth, field[7:])
        return read[fi].key_line(ei, field)

    raw = RawTables(rows, file_names, heads, "journal", citations,
                    _accounts(t["funder"], t["purpose"], splits),
                    key_line=key_line, refused=refused, worded=worded,
                    period_from=from_phrase, entry=np.arange(n),
                    links=link_table({k: t[k] for k in LINK_KINDS}),
                    restatements=_restatements(restated, phrases, ~cant),
                    splits=split_table(part_entry, None,
                                       pa.array([p.purpose for p in listed], pa.string()),
                                       pa.array([p.amount for p in listed], pa.string()),
                                       part_said,
                                       pa.array([p.written for p in listed], pa.string()),
                                       line=heads[part_entry]))
    return _Form(raw, row, written_split, "source" in fields)


def _restatements(restated, phrases, read):
    """The restatements table: each entry's conversions in its amount's
    brackets ("£1.4 million (2m Euros)", docs/phrases.md), then its
    ``restated`` field's, all read by the one rule (``rr.read_restated``:
    a repeat in a currency counted once, a disagreement refused).
    ``read``: numpy bool per entry, its amount read."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    entry, phrase = pc.list_parent_indices(restated), pc.list_flatten(restated)
    rows = np.flatnonzero(read & _np(pc.fill_null(pc.match_substring(phrases, "("), False)))
    seen: dict = {}
    got: list = []   # (entry, conversion as text)
    for r, text in zip(rows.tolist(), phrases.take(pa.array(rows, pa.int64())).to_pylist()):
        if text not in seen:
            try:
                seen[text] = rr.bracket_phrases(text)   # each with its qualifier
            except (MoneyError, ValueError):
                seen[text] = []   # not read: the amount rules said so
        got.extend((r, c) for c in seen[text])
    if not got:
        return restatement_table(entry, phrase)
    every = np.concatenate([np.array([e for e, _ in got], np.int64), _np(entry).astype(np.int64)])
    texts = pa.concat_arrays([pa.array([c for _, c in got], pa.string()),
                              pc.cast(phrase, pa.string())])
    order = pa.array(np.argsort(every, kind="stable"))   # the brackets' first, in entry order
    return restatement_table(pa.array(every).take(order), texts.take(order))


def _date_text(table, fields, key, n, strip: bool = True):
    """A date field as text (a TOML date as YYYY-MM-DD, text stripped
    unless ``strip`` is False: as written, for the messages; '' when
    absent), for the date rules of ``check_raw``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if key not in fields:
        return pa.array(np.full(n, "", dtype=object), pa.string())
    col = table.field(key)
    if col.type == pa.string():
        text = pc.fill_null(col, "")
        return pc.utf8_trim(text, _PY_WHITESPACE) if strip else text
    return pc.fill_null(pc.cast(col, pa.string()), "")


def _amount_rules(failed, phrases, amount, say, whole) -> None:
    """The amount phrases the parser refuses, each distinct one parsed once
    more by ``parse_amount`` to word why (``ledger.rules.rows``'s amount
    rules), at the amount's line; ``whole``: the entries whose amount is a
    TOML whole number (quoted as a number)."""
    import numpy as np

    seen: dict = {}
    for g in np.flatnonzero(failed).tolist():
        text = phrases[g].as_py()
        if text not in seen:
            seen[text] = rr.read_amount_phrase(text)[1:]
        rule, why = seen[text]
        if rule is rr.AMOUNT_NOT_POSITIVE:   # as written, before any currency is appended
            value = amount[g].as_py()
            say(g, rule, "amount", int(value) if whole[g] and isinstance(value, str) else value)
        elif rule is rr.AMOUNT_UNREADABLE:
            say(g, rule, "amount", text, why=why)
        elif rule is not None:
            say(g, rule, "amount", why)


def _accounts(funder, purpose, splits) -> list:
    """The names the look-alike rule compares, as the entry reader gives
    them (``ledger.rules.checks``): each entry's funder, its purpose (the
    first split's when it states none) and each split's purpose; none when
    every name is ASCII and none another's but for case (the rule then has
    nothing to say)."""
    import pyarrow as pa

    funders, purposes = rr.composed_column(funder), rr.composed_column(purpose)
    shares = [p.purpose for parts in splits.values() for p in parts if p.purpose]
    every = pa.concat_arrays([purposes.combine_chunks() if isinstance(purposes, pa.ChunkedArray)
                              else purposes, pa.array(shares, pa.string())])
    if none_alike(funders) and none_alike(every):   # a split's purpose is a purpose too
        return []
    out = []
    for i, (f, p) in enumerate(zip(funders.to_pylist(), purposes.to_pylist())):
        parts = [s.purpose for s in splits.get(i, ()) if s.purpose]
        out.append((i, "funder", f))
        out.append((i, "purpose", p or (parts[0] if parts else "")))
        out.extend((i, "split purpose", part) for part in parts)
    return out


def _concat(chunks):
    """The files' struct arrays as one: a field a file lacks is null there;
    a field typed apart in two files (whole-number amounts in one, text in
    another; empty lists; citations or splits with other keys) is cast to
    the type joining both (``_joined``), as the entry rules read it; empty
    lists of citations or splits are typed as lists of tables."""
    import pyarrow as pa

    if not chunks:   # no entry read: the files' own problems, or every entry's
        return pa.array([], pa.struct([("id", pa.string()), ("date", pa.date32()),
                                       ("amount", pa.string())]))
    types: dict = {}
    for c in chunks:
        for fld in c.type:
            types[fld.name] = _joined(types[fld.name], fld.type) if fld.name in types \
                else fld.type
    s = pa.string()
    for k, typed in (("source", pa.list_(pa.struct([("doc", s)]))),
                     ("split", pa.list_(pa.struct([("purpose", s), ("amount", s)])))):
        if types.get(k) == pa.list_(pa.null()):   # every list empty
            types[k] = typed
    if len(chunks) == 1 and all(f.type == types[f.name] for f in chunks[0].type):
        return chunks[0]

    def field(c, k):
        if c.type.get_field_index(k) < 0:
            return pa.nulls(len(c), types[k])
        got = c.field(k)
        return got if got.type == types[k] else got.cast(types[k])

    names = list(types)
    return pa.concat_arrays([
        pa.StructArray.from_arrays([field(c, k) for k in names], names=names) for c in chunks])


def _joined(a, b):
    """The type that holds values of types ``a`` and ``b``, both taken by
    this reader (``_types_taken``): text over whole numbers and dates, a
    list's items joined, a table's keys those of both."""
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
    return pa.string()   # text and a whole number or a date: read as text


def _types_taken(fields) -> bool:
    """The field types this reader takes (others: worded by ``_syntax``, or
    the one-by-one reader)."""
    import pyarrow as pa

    s = pa.string()
    for k, t in fields.items():
        if k in ("date", "value_date"):
            ok = t in (pa.date32(), s)
        elif k == "amount":
            ok = t in (s, pa.int64())
        elif k == "tags" or k == "restated":
            ok = t in (pa.list_(s), pa.list_(pa.null()))
        elif k in ("source", "split") and t == pa.list_(pa.null()):
            ok = True   # empty lists only: typed by _concat
        elif k == "source":
            ok = (pa.types.is_list(t) and pa.types.is_struct(t.value_type)
                  and {f.name for f in t.value_type} <= rr.SOURCE_FIELDS
                  and all(f.type == s for f in t.value_type))
        elif k == "split":
            ok = (pa.types.is_list(t) and pa.types.is_struct(t.value_type)   # the split rules
                  and all(f.type == s or (f.name == "amount" and f.type == pa.int64())
                          for f in t.value_type))   # word other fields (a whole-number
            # purpose is no purpose: it must not be joined to text across files)
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


def _not_restating(both, phrase_period, stated, dates) -> list:
    """(entry, stated period, the phrase's) for the entries of ``both`` (a
    period stated and one in the amount phrase) whose stated period does
    not restate the phrase's (``ledger.phrases.period.restates``, the entry
    rules' test); a stated period that cannot be read is left to the period
    rules."""
    import numpy as np
    import pyarrow as pa

    rows = np.flatnonzero(both)
    if not len(rows):
        return []
    take = pa.array(rows)
    out: list = []
    for r, said, text, on in zip(rows.tolist(), phrase_period.take(take).to_pylist(),
                                 stated.take(take).to_pylist(), dates.take(take).to_pylist()):
        try:   # the date matters only to phrases that fail without it
            on = dt.date.fromisoformat(on) if isinstance(on, str) else on
        except ValueError:
            on = None    # a bad date: the date rules word it
        found = rr.stated_period_problem(text, said, on if isinstance(on, dt.date) else None)
        if found is not None and found[0] is rr.PERIOD_CONTRADICTS:   # a blank one: said before
            out.append((r, text, said))
    return out


def _sources(table, fields, n):
    """The entries' citations (``ledger.read.raw``: entry, doc ('' when
    none: the citation rule of ``check_raw`` says so), quote, locator, in
    entry order) for the rules."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if "source" not in fields or not pa.types.is_struct(fields["source"].value_type):
        return no_citations(quoted=True)
    src = table.field("source")
    names = {f.name for f in fields["source"].value_type}
    lengths = pc.fill_null(pc.list_value_length(src), 0).to_numpy(zero_copy_only=False)
    flat = pc.list_flatten(src)
    doc = flat.field("doc") if "doc" in names else pa.nulls(len(flat), pa.string())

    def given(k):   # a field some citation lacks is '' there, as the reader reads it
        return pc.fill_null(flat.field(k), "") if k in names else \
            pa.array(np.full(len(flat), "", dtype=object), pa.string())

    quote, locator = given("quote"), given("locator")
    doc = pc.fill_null(pc.utf8_trim(doc, _PY_WHITESPACE), "")   # none: check_raw says so
    return pa.table({"entry": pa.array(np.repeat(np.arange(n), lengths), pa.int64()),
                     "doc": doc, "quote": quote, "locator": locator})


def _splits(table, fields, currency, tell, terms):
    """Entry index -> its split tables as rows of the raw form
    ([``SplitPart``]), for the entries written with split tables, after
    wording what only a journal's table can get wrong (an unknown key, an
    amount phrase, its period or qualifier against the entry's ``terms``:
    periods, qualifiers stated and in phrases, dates: ``split_part``) at
    the key's line.  The split rules (a purpose, a positive amount, parts
    adding up to the entry) are ``check_raw``'s."""
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
    out: dict[int, list[SplitPart]] = {}
    periods, stated, phrased, dates = (c.take(take).to_pylist() for c in terms)
    for i, s, own, period, q, said, on in zip(rows.tolist(), col.take(take).to_pylist(),
                                              currency.take(take).to_pylist(), periods,
                                              stated, phrased, dates):
        if isinstance(on, str):
            on = rr.iso_date(on.strip())
        on = on if isinstance(on, dt.date) else None   # a bad date: the date rules word it
        q, wrong = rr.qualifier_of(q, said) if said is not None else (None, None)
        parts = out[i] = []
        for j, t in enumerate(s):
            part = split_part({k: v for k, v in t.items() if v is not None}, own, period,
                              None if wrong else q, on)
            for message, hint, code, key in part.problems:
                tell(i, message, hint, code, "split", (j, key))
            parts.append(part)
    return out
