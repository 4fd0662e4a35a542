"""The raw form of a ledger: what a columnar reader hands the rules.

The bulk reader (``ledger.read.table.bulk_raw``: CSV or Parquet, a
dataset's partitions too), the TOML journal read column-wise
(``ledger.read.journal_columns``) and an import's records (through
``read_records``, ``ledger.imports.rows``) each make a ``RawTables`` and
nothing else; ``ledger.read.table.check_raw`` runs every
rule on it (``ledger.rules.rows`` on the fields, ``ledger.rules.across_entries``
between entries) and words every problem from it, at the file and line the
raw form gives, so every reader words a problem alike.

Schema: the five tables of the drawing, the entries, the splits (a split
entry's parts), the citations, the links and the restatements.  The
journal's, an import's and the bulk reader's entries are one row per
entry (an entry of many rows of a bulk table: its first); a raw form made
by hand, and a bulk table whose rows of one entry differ where they must
agree, one row per entry and purpose, the rows of an entry of many rows
next to each other (``by_entry`` False).  ``check_raw`` reads each as it
is (a part's problems worded at the part's own place or row; a bulk
table's at its rows, in the file's order), and so does
``ledger.imports.rows`` an import's records (one row per entry, the
parts in the splits table):

- ``entries``: a pyarrow Table of text columns (``''`` for empty), one row
  per entry (a split entry's purpose and amount: the splits table's), or
  (made by hand, or a bulk table's rows that differ) one row per entry
  and purpose.  Its columns are those of the bulk format
  (``ledger.read.table.BULK_COLUMNS``) but the ones the tables below hold
  (``sources``, ``disburses``/``part_of``/``restates``, ``restated``):
  ``id``, ``date`` (``YYYY-MM-DD``), ``funder``, ``purpose``, ``amount`` (a
  plain decimal), ``currency`` (ISO 4217), ``status``, ``qualifier``,
  ``period`` (a phrase) or ``period_kind``/``years``/``start``/``end``/
  ``fiscal_year``, ``value_date``; and the text the Book keeps of each
  entry from its first row (``book_texts``, for every reader):
  ``recipient`` (the probable-duplicate rule's key has it too),
  ``location`` and ``notes`` (trimmed of white space as Python's
  ``str.strip`` takes it) and ``tags``, a list of text per row:
  the tags as written (a journal's list as parsed; a bulk cell split at
  ``;``, padding and blank ones kept), which the tag rule quotes and
  ``ledger.rules.rows.tags_text`` trims for the Book.
- ``citations``: a pyarrow Table, one row per citation, in entry order:
  ``entry`` (int64: the entry's position among the entries, in order),
  ``doc`` (text; '' for a journal's citation naming none, which the
  citation rule refuses), and ``quote`` and ``locator`` (text) where the
  input has them (a journal, an import; the bulk format's ``sources`` are
  document ids only, so its table has no such columns and the quote rule
  and ``ledger.rules.records_apart`` have nothing to read).  An entry with
  no citation, or a lone one naming no document, cites nothing (the
  no-source rule).  None stands for an empty table.
- ``links``: a pyarrow Table (``link_table``), one row per link, in entry
  order and an entry's kinds in the order of ``ledger.model.LINK_KINDS``:
  ``entry`` (int64, as above), ``kind`` (``disburses``, ``part_of``,
  ``restates``) and ``target`` (the id named).  The link rules, the
  package rule and the probable-duplicate rule (a linked entry is not
  loose) read it.  None stands for an empty table.
- ``restatements``: a pyarrow Table (``restatement_table``), one row per
  conversion the source gives, in entry order: ``entry`` (int64, as
  above) and ``phrase``, as written (a bulk cell's phrases between ``;``,
  trimmed, blank ones left out; a journal's list as listed, a blank one
  kept, which the rule refuses).  ``ledger.rules.rows.read_restated``
  reads each entry's phrases.  None stands for an empty table.
- ``differs``: {column: numpy bool per row}: the bulk layout's rows of an
  entry that differ from the row before in a column they must agree on
  (``ledger.read.table.PARTS_AGREE``: all but id, purpose and amount; for
  ``sources``, the links and ``restated`` the tables above hold the first
  row's); the reader finds them, ``check_raw`` words them in the order of
  ``PARTS_AGREE``.  Empty for a journal (its entries' parts cannot differ).
- ``file``: each row's file (one text for a table read from one file, else
  a pyarrow string array, one value per row).
- ``line``: each row's line (numpy int64): a bulk file's line (the header
  is line 1), a journal entry's ``[[entry]]`` header.
  The journal (an import's records too) adds ``amount_text`` (the entry's
  amount as written, trimmed, its currency field after it: the messages
  quote it and the Book keeps it; a part's is the splits table's
  ``written``), ``date_written``/``value_date_written`` (the dates as
  written, unstripped, for the messages), ``amount_whole`` (bool: the
  amount a TOML whole number, quoted as a number).
- ``splits``: a pyarrow Table (``split_table``), one row per split part,
  in entry order and an entry's parts in the order written: ``entry``
  (int64, as above), ``line`` (int64, one row per entry: the part's line,
  a journal's or an import's entry's, ``key_line`` giving its keys; a
  bulk table's row's) or
  ``row`` (int64, one row per entry and purpose: the part's row),
  ``purpose`` and ``amount`` (text:
  '' when none), and (a journal) ``said`` (bool: the reader has worded
  the part's purpose or amount, a TOML type its table cannot hold or an
  amount phrase it cannot read; the split rules say nothing more of it)
  and ``written`` (the amount as written, which the messages quote).  The bulk reader's parts are the
  rows of an entry of more than one row (its first row the entry's); the journal's, each
  ``[[entry.split]]`` table (an entry may have one part only).  The split rules (``ledger.rules.rows``'
  ``SPLIT_*``, and the amount rules of a part) and the parts' sum read
  this table's columns, and word a problem of a part at the row it names
  (``RawTables.part``), whatever the input; the other rules read a
  part's row as the entry's.  None stands for an empty table.
- ``entry``: None (the rows sharing an id in turn are one entry's), or a
  numpy int64 per row: the row's entry (a journal: two entries in turn may
  share an id, which the duplicate-id rule then names; ``arange`` when
  one row per entry).
- ``accounts``: None (the funder and purpose columns), or the names the
  look-alike rule compares, as (entry, field, name) in entry order: a
  journal entry's funder, its purpose and each split's purpose.
- ``key_line``: None, or (journal) a function of (entry, field, nth=0)
  giving the line of that field's key in the entry (the entry's first line
  when the key is not there): a problem of a field is worded at it;
  ``split.KEY`` (``split.`` for the table itself): that key of its nth
  split table; ``source.KEY``: of its nth citation table.
- ``refused``: None, or (journal) a numpy bool per entry: the reader has
  worded a problem of the row's entry (its TOML syntax, its amount phrase,
  a split table's unknown key or amount phrase), so the entry is left out.
- ``worded``: None, or (journal) {field: numpy bool per entry}: the entries whose
  field the reader has worded already (a value of the wrong TOML type, an
  amount phrase it cannot read): the rules say nothing more of it there.
- ``period_from``: None, or (journal) a numpy bool per entry: the period is
  the amount phrase's ("£5m a year"), so a problem of it is the amount's.
- ``origin``: ``"csv"``, ``"parquet"`` or ``"journal"``: which syntax the
  hints name, and whether one rule's problems are capped (bulk tables of a
  million rows) or all worded (a journal).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger.model import LINK_KINDS
from ledger.rules import BULK_HINTS, JOURNAL_HINTS
from ledger.rules.rows import _np, tags_text

__all__ = ["RawTables", "MAX_PROBLEMS_PER_RULE", "link_table", "no_links", "restatement_table",
           "no_restatements", "no_citations", "split_table", "purpose_rows", "entries_of", "book_links", "book_citations",
           "book_texts", "continues_entry", "BOOK_TEXTS"]

MAX_PROBLEMS_PER_RULE = 50   # in a bulk table; beyond this, one line says how many more
# the text the Book keeps per entry from its first row of ``entries`` (``book_texts``)
BOOK_TEXTS = ("amount_text", "recipient", "location", "notes", "tags")


@dataclass(frozen=True)
class RawTables:
    """A ledger's raw tables (see the module's schema)."""
    entries: Any                 # pyarrow Table, text columns
    file: Any                    # str, or a pyarrow string array (one per row)
    line: Any                    # numpy int64, one per row
    origin: str = "csv"
    citations: Any = None        # pyarrow Table (entry, doc[, quote, locator]) or None
    accounts: Any = None         # [(entry, field, name)] or None
    entry: Any = None            # numpy int64 per row (the row's entry), or None
    key_line: Any = None         # (row, field) -> line, or None
    refused: Any = None          # numpy bool per row, or None
    worded: Any = None           # {field: numpy bool per row} or None
    period_from: Any = None      # numpy bool per row, or None
    differs: dict = field(default_factory=dict)   # {column: numpy bool per row}
    links: Any = None            # pyarrow Table (entry, kind, target) or None
    restatements: Any = None     # pyarrow Table (entry, phrase) or None
    splits: Any = None           # pyarrow Table (entry, row|line, purpose, amount) or None

    @property
    def part(self):
        """Per row of ``entries`` laid out per entry and purpose (numpy
        bool): the row is a split part's."""
        return self._at_parts(None)

    @property
    def part_said(self):
        """Per row of ``entries`` laid out per entry and purpose (numpy
        bool): a part whose purpose or amount the reader has worded (the
        splits table's ``said``)."""
        return self._at_parts("said")

    def _at_parts(self, column):
        import numpy as np
        out = np.zeros(len(self.line), dtype=bool)
        s = self.splits
        if s is not None and s.num_rows and (column is None or column in s.column_names):
            rows = _np(s.column("row"))
            out[rows] = True if column is None else _np(s.column(column))
        return out

    @property
    def by_entry(self) -> bool:
        """``entries`` holds one row per entry, a split entry's parts in the
        splits table alone (which then gives each part's ``line``); else
        (a raw form made by hand) one row per entry and purpose."""
        s = self.splits
        return s is not None and "line" in s.column_names

    def part_layout(self):
        """Where the rows per entry and purpose come from (``purpose_rows``
        over the splits table): (each such row's entry, a part's place among
        its entry's, the rows that are parts).  The identity for a raw form
        already laid out so (``by_entry`` False)."""
        import numpy as np

        n = len(self.line)
        if not self.by_entry:
            return np.arange(n), np.zeros(n, np.int64), self.part
        parts = np.bincount(_np(self.splits.column("entry")).astype(np.int64), minlength=n)
        return purpose_rows(n, parts)

    @property
    def firsts(self):
        """Per row of ``entries`` (numpy bool): the row is its entry's first
        (``entry`` when given, else the rows sharing an id in turn are one
        entry's: ``continues_entry``)."""
        import numpy as np
        if self.by_entry:
            return np.ones(len(self.line), dtype=bool)
        if self.entry is not None:
            e = self.entry
            return np.r_[True, e[1:] != e[:-1]] if len(e) else np.zeros(0, bool)
        return ~continues_entry(self.entries.column("id").combine_chunks())

    @property
    def name(self) -> str:
        """The file that problems of the whole table name (its first)."""
        if isinstance(self.file, str):
            return self.file
        return self.file[0].as_py() if len(self.file) else ""

    def file_of(self, row: int) -> str:
        return self.file if isinstance(self.file, str) else self.file[int(row)].as_py()

    @property
    def hints(self) -> dict:
        return JOURNAL_HINTS if self.origin == "journal" else BULK_HINTS

    @property
    def limit(self) -> int | None:
        return None if self.origin == "journal" else MAX_PROBLEMS_PER_RULE


def continues_entry(ids):
    """Per row of a bulk table (``ids``: its id column): the row continues
    the entry of the row before (the same id, not empty), as the rows of one
    entry (its splits) sit together."""
    import numpy as np
    import pyarrow.compute as pc

    n = len(ids)
    return np.r_[False, _np(pc.equal(ids.slice(1), ids.slice(0, max(n - 1, 0))))] \
        & ~_np(pc.equal(ids, ""))


def link_table(columns: dict):
    """The links table of the raw form from the link fields of each entry
    (``columns``: kind -> an Arrow text column, one value per entry, ''
    for none): (entry, kind, target), in entry order, an entry's kinds in
    the order of ``LINK_KINDS``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    entries, kinds, targets = [], [], []
    for k in LINK_KINDS:
        c = columns.get(k)
        if c is None:
            continue
        c = c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c
        has = ~_np(pc.equal(c, ""))
        if has.any():
            entries.append(np.flatnonzero(has))
            kinds.append(np.full(int(has.sum()), k, dtype=object))
            targets.append(c.filter(pa.array(has)))
    if not entries:
        return no_links()
    entry = np.concatenate(entries)
    order = pa.array(np.argsort(entry, kind="stable"))
    return pa.table({"entry": pa.array(entry, pa.int64()).take(order),
                     "kind": pa.array(np.concatenate(kinds), pa.string()).take(order),
                     "target": pa.concat_arrays(targets).take(order)})


def no_links():
    """An empty links table."""
    import pyarrow as pa
    return pa.table({"entry": pa.array([], pa.int64()), "kind": pa.array([], pa.string()),
                     "target": pa.array([], pa.string())})


def no_citations(quoted: bool = False):
    """An empty citations table; ``quoted``: with the quote and locator
    columns (a journal's, an import's)."""
    import pyarrow as pa
    columns = ["entry", "doc", *(("quote", "locator") if quoted else ())]
    return pa.table({c: pa.array([], pa.int64() if c == "entry" else pa.string())
                     for c in columns})


def restatement_table(entry, phrase):
    """The restatements table of the raw form: each conversion's entry
    (Arrow or numpy int, in entry order) and phrase as written (Arrow
    text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    entry = entry if isinstance(entry, pa.Array) else pa.array(entry)
    return pa.table({"entry": pc.cast(entry, pa.int64()), "phrase": phrase})


def no_restatements():
    """An empty restatements table."""
    import pyarrow as pa
    return pa.table({"entry": pa.array([], pa.int64()), "phrase": pa.array([], pa.string())})


def split_table(entry, row, purpose, amount, said=None, written=None, line=None):
    """The splits table of the raw form: each part's entry and row (numpy
    or Arrow int, in entry order; or, ``row`` None, its ``line``: the raw
    form of one row per entry), purpose and amount (Arrow text), and
    (a journal) whether the reader has worded its purpose or amount and
    the amount as written (Arrow text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def ints(v):
        return pc.cast(v if isinstance(v, pa.Array) else pa.array(v, pa.int64()), pa.int64())

    columns = {"entry": ints(entry), **({"row": ints(row)} if row is not None
                                        else {"line": ints(line)}),
               "purpose": purpose, "amount": amount}
    if said is not None:
        columns["said"] = pa.array(said, pa.bool_())
    if written is not None:
        columns["written"] = written
    return pa.table(columns)


def purpose_rows(n: int, parts):
    """Where each entry's rows go when a split entry has one row per part:
    ``parts`` is each entry's number of parts (numpy int per entry of ``n``;
    0 for an entry written without splits, which has one row).  Returns
    (``row``: each row's entry, ``part_no``: a part's place among its
    entry's, ``on``: the rows that are parts), so a reader takes the
    entry's columns with ``row`` and puts each part's own at ``on``."""
    import numpy as np

    parts = np.asarray(parts, dtype=np.int64)
    counts = np.maximum(parts, 1)
    row = np.repeat(np.arange(n), counts)
    starts = np.cumsum(counts) - counts
    part_no = np.arange(len(row)) - starts[row]
    on = parts[row] > 0
    return row, np.where(on, part_no, 0), on


def entries_of(table, keep):
    """The rows of a table of the raw form keyed by entry (citations, links,
    restatements, splits) that belong to the entries ``keep`` (numpy bool
    per entry), their ``entry`` numbered among those kept."""
    import numpy as np
    import pyarrow as pa

    e = _np(table.column("entry"))
    on = keep[e]
    moved = np.cumsum(keep) - 1
    return table.filter(pa.array(on)).set_column(
        table.column_names.index("entry"), "entry", pa.array(moved[e[on]], pa.int64()))


def book_links(links, n: int) -> dict:
    """The Book's links (``ledger.book.Book.from_frame``'s extras) from the
    links table of ``n`` entries: ``links`` (pandas: entry, kind, target;
    None when there are none), which the Book keeps, and each kind's target
    per entry ('' for none; None when no entry has that kind), which
    ``Book.from_frame`` ignores when ``links`` is given: only an import's
    bulk rows read them (``ledger.imports.rows``, its link columns)."""
    import numpy as np
    import pandas as pd

    out: dict = {k: None for k in LINK_KINDS}
    if links is None or not links.num_rows:
        out["links"] = None
        return out
    entry = _np(links.column("entry")).astype("int64")
    kind = _np(links.column("kind")).astype(object)
    target = _np(links.column("target")).astype(object)
    out["links"] = pd.DataFrame({"entry": entry, "kind": kind, "target": target})
    for k in LINK_KINDS:
        on = kind == k
        if on.any():
            out[k] = np.full(n, "", dtype=object)
            out[k][entry[on]] = target[on]
    return out


def book_citations(citations):
    """The Book's citations (pandas: entry, doc, quote, locator, the text
    Arrow-backed) from the citations table of any reader (``RawTables``'s):
    a quote null or not given (a bulk file's sources without a citations
    column) is '', as is a locator not given."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    def col(name):
        if name not in citations.column_names:
            return pd.arrays.ArrowExtensionArray(pa.array([""] * citations.num_rows, pa.string()))
        c = citations.column(name).combine_chunks()
        return pd.arrays.ArrowExtensionArray(pc.fill_null(c, "") if name == "quote" else c)

    return pd.DataFrame({"entry": _np(citations.column("entry")).astype("int64"),
                         "doc": col("doc"), "quote": col("quote"), "locator": col("locator")})


def book_texts(raw: RawTables, keep=None) -> dict:
    """The Book's text of each entry (``ledger.book.Book.from_frame``'s
    extras, ``BOOK_TEXTS``), Arrow-backed, from its first row of the raw
    form's ``entries``, of the entries ``keep`` (numpy bool per entry; None:
    all), for every reader: the amount as written (a journal's or an
    import's ``amount_text``; a bulk table has none), the recipient,
    location and notes as the raw form holds them (trimmed), and the tags
    as ``ledger.rules.rows.tags_text`` keeps them (from each entry's list of
    tags as written).  A column the raw form lacks is left out (the Book's
    '')."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    rows = np.flatnonzero(raw.firsts)
    if keep is not None:
        rows = rows[keep]
    take = pa.array(rows, pa.int64())
    names = raw.entries.column_names
    out = {}
    for k in BOOK_TEXTS:
        if k not in names or (k == "amount_text" and raw.origin != "journal"):
            continue   # a bulk table's own 'amount_text' is an unknown column, not kept
        c = raw.entries.column(k).take(take).combine_chunks()
        out[k] = pd.arrays.ArrowExtensionArray(tags_text(c) if k == "tags" else c)
    return out
