"""The columnar path: entries from CSV or Parquet straight into the base frame
that ``rates.normalise.normalise`` takes, with no ``Entry`` objects.

For bulk data (a donor's whole transaction history, every announcement of
many governments) the journal's one-object-per-entry reader is the slow part;
this module checks the same rules column-wise with pandas/pyarrow.

The bulk format: one row per entry and purpose; rows sharing an ``id`` (next
to each other) are the splits of one entry, and the entry's amount is their
sum.  Columns:

| column | required | meaning |
| --- | --- | --- |
| ``id`` | yes | slug (letters, digits, ``.``, ``_``, ``-``) |
| ``date`` | yes | ``YYYY-MM-DD`` |
| ``funder``, ``purpose`` | yes | accounts, ``UK:Home Office`` |
| ``amount`` | yes | a plain positive decimal, ``12000000``, ``1,234.56`` or ``1.234,56`` (one decimal mark a file) |
| ``currency`` | yes | ISO 4217 code |
| ``status`` | no | pledged (default), committed, disbursed, spent |
| ``qualifier`` | no | exact (default), up to, at least, about |
| ``period`` | no | a period phrase as in the journal (``over 3 years``) |
| ``period_kind``, ``years``, ``start``, ``end``, ``fiscal_year`` | no | the period as columns (``period`` must agree, or be a label) |
| ``disburses``, ``part_of``, ``restates`` | no | links to other ids |
| ``sources`` | no | document ids separated by ``;`` |
| ``restated`` | no | the source's own conversions, ``EUR 15000000; USD 19000000`` |

Without ``period_kind``, a ``start`` starts the ``period`` phrase on that day
("per year for 52 weeks" from 2016-01-01); ``years``, ``end`` and
``fiscal_year`` are refused (they are read only with ``period_kind``).

Provenance columns (``PROVENANCE_COLUMNS``, optional, written by ``import
... --to DIR.parquet``, ``ledger.imports.bulk``; an entry's values on each of
its rows): ``tags`` (separated by ``;``), ``notes``, ``recipient``,
``location``, ``citations`` (a JSON list of ``{"doc", "quote", "locator"}``,
as ``[[entry.source]]``) and ``origin`` (the input file and the item in it,
``file.xml: activity 'X' transaction 'T'``).  Such a dataset is
``DIR/year=YYYY/part-N.parquet`` (hive partitions by the year of ``date``)
with ``DIR/_documents.csv`` (id, title, retrieved, path, sha256, notes: the
archived input files, copied to ``DIR/_sources/``).

``read_bulk(path)`` returns ``(frame, problems)`` and never raises for bad
input; ``load_bulk(path)`` raises one ``LedgerError`` listing every error.
Problems name the file, the line (the header is line 1; quoted line breaks
inside a field are not counted) and the entry id, worded by the rules every
reader runs (``ledger.rules.rows``, ``ledger.rules``).  A CSV row with a
cell too many or too few is one problem at its line (``row_problems``), its
entry refused, the other rows checked in the same run.
"""
from __future__ import annotations

import bisect
import csv
import dataclasses
import datetime as dt
import functools
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from ledger.book import Book, not_counted_mask
from ledger.errors import LedgerError
from ledger.minor import plain_decimal
from ledger.model import (CONTROL_CHARS, FISCAL_YEAR, LINK_KINDS, PERIOD_KINDS, QUALIFIERS, STATUSES,
                          WHITESPACE, Period, Problem, is_slug, length_in_words)
from ledger.phrases.money import (POINT, contrary_number, decided_note, decimal_mark,
                                  plain_numbers)
from ledger.phrases.period import PeriodError, normalise_fiscal_year, parse_period
from ledger.read.raw import (MAX_PROBLEMS_PER_RULE, RawTables, book_links, entries_of,  # noqa: F401 (ledger.read.dataset)
                             book_citations, book_texts, continues_entry, link_table,
                             no_citations, no_links, no_restatements,
                             purpose_rows, restatement_table, split_table)
from ledger.rules import across_entries, records_apart
from ledger.rules import rows as rr
from ledger.rules.lookalike import none_alike
from ledger.limits import (FIRST_YEAR, LAST_YEAR, MAX_AMOUNT, MAX_YEARS, NumberError,
                                 bounded_number, json_depth, period_problem, span_in_years)
from ledger.safe_io import UnsafeFile, check_file
from ledger.rules.rows import BULK_FIELD_HINTS, _np, tags_text

__all__ = ["BULK_COLUMNS", "PROVENANCE_COLUMNS", "read_bulk", "read_bulk_book", "bulk_book", "bulk_raw", "load_bulk", "read_table"]

BULK_COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "status",
                "qualifier", "period", "period_kind", "years", "start", "end",
                "fiscal_year", "disburses", "part_of", "restates", "sources", "restated",
                "value_date"]
PROVENANCE_COLUMNS = ["tags", "notes", "recipient", "location", "citations", "origin"]
# columns of `export --to csv|parquet` (its valuation) that no ledger would
# name: a file with them all is an export to import, not a ledger in the bulk
# format (a user's own 'value' or 'rate' column keeps its unknown-column error)
EXPORT_SIGNATURE = ("report_currency", "rate_source", "value_minor")
# the column `list --format csv` writes an entry's links in (KIND=ID; ...),
# beside a split entry's purposes as one cell: a listing to import
LISTING_COLUMN = "links"
REQUIRED = ["id", "date", "funder", "purpose", "amount", "currency"]
PERIOD_COLUMNS = ["period_kind", "years", "start", "end", "fiscal_year"]
# what the rows of one entry (its parts) must agree on: all but the part's
# own; the entry's provenance text too, which the Book keeps from its first
# row only; in the order the problems are worded
PARTS_AGREE = [c for c in BULK_COLUMNS + ["tags", "notes", "recipient", "location",
                                          "citations"]
               if c not in ("id", "purpose", "amount")]

_DECIMAL = r"^\+?[0-9]+(?:\.[0-9]{1," + str(rr.MAX_DECIMALS) + r"})?$"
_ANY_DECIMAL = r"^\+?[0-9]+(?:\.[0-9]+)?$"   # a plain number, however many places
_NEGATIVE = r"^-[0-9]+(?:\.[0-9]+)?$"
# What Python's str.strip() and str.split() take for white space (Arrow's
# utf8_trim_whitespace takes a slightly different set): text is trimmed here
# exactly as the journal reader trims it.
PY_WHITESPACE = WHITESPACE


def read_table(path: str | Path, fmt: str | None = None):
    """A CSV or Parquet file as a pyarrow Table of text columns ('' for empty).
    ``fmt``: "csv" or "parquet" (default: by the file's suffix)."""
    import pyarrow as pa

    path = Path(path)
    check_file(path, what="bulk table")   # no FIFO, device or folder; the size cap
    if (fmt or ("parquet" if path.suffix.lower() in (".parquet", ".pq") else "csv")) == "parquet":
        import pyarrow.parquet as pq
        table = pq.read_table(path)
        meta = None   # a file's own metadata says nothing of its rows here
    else:
        import pyarrow.csv as pcsv
        # the header's names (a row of another width in the first block is not its to say)
        head = pcsv.open_csv(path, parse_options=pcsv.ParseOptions(
            invalid_row_handler=lambda row: "skip")).schema.names
        convert = pcsv.ConvertOptions(
            column_types={c: pa.string() for c in head}, strings_can_be_null=False,
            quoted_strings_can_be_null=False)
        try:
            table = pcsv.read_csv(path, convert_options=convert)
        except pa.ArrowInvalid as err:
            if not _WRONG_WIDTH.search(str(err)):
                raise
            table = _read_csv_rows(path, convert, head)
        meta = table.schema.metadata
    seen: dict[str, int] = {}
    for i, name in enumerate(table.column_names, 1):   # a dict would keep the last silently
        if name in seen:
            raise ValueError(f"column {name!r} appears twice (columns {seen[name]} and {i}): "
                             f"keep one")
        seen[name] = i
    cols, refused = {}, []
    for name, c in zip(table.column_names, table.columns):
        try:
            cols[name] = _tags_cells(c) if name == "tags" else text_column(c)
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid) as err:
            refused.append(unreadable_as_text(name, c, table.column("id") if "id" in seen
                                              else None) or f"column {name!r}: {err}")
    if refused:
        raise ValueError("; ".join(refused))
    return pa.table(cols, metadata=meta)


def unreadable_as_text(name: str, c, ids=None) -> str | None:
    """Why a bulk file's column ``name`` cannot be read as text, in words
    that name it: a nested type (a list, struct or map), or bytes that are
    not UTF-8 at the first such row's line (the header is line 1) and its
    entry (its cell of ``ids``, the file's id column); None when it can be."""
    import pyarrow as pa

    t = c.type
    if pa.types.is_nested(t):
        return f"column {name!r} holds {t}, which cannot be read as text"
    if pa.types.is_dictionary(t):   # its values, row by row (a row, not a dictionary slot)
        c, t = c.cast(t.value_type), t.value_type
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        row = _first_not_utf8(c)
        if row is not None:
            eid = ids[row].as_py() if ids is not None else None
            if isinstance(eid, bytes):      # an id that is itself not text names nothing
                try:
                    eid = eid.decode("utf-8")
                except UnicodeDecodeError:
                    eid = None
            eid = "" if eid is None else str(eid)    # a numeric id names its entry too
            entry = f", entry {eid.strip()!r}" if eid.strip() else ""
            return (f"column {name!r} holds bytes that are not UTF-8 text, first at line "
                    f"{row + 2}{entry}")
    return None


def _first_not_utf8(c) -> int | None:
    """The first row of a column of bytes that is not UTF-8 text, found by
    halving (each half cast once: linear in the column), or None."""
    import pyarrow as pa

    def text(a: int, b: int) -> bool:
        try:
            c.slice(a, b - a).cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return False
        return True

    lo, hi = 0, len(c)          # the first such row is in [lo, hi)
    if text(lo, hi):
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if text(lo, mid):
            lo = mid
        else:
            hi = mid
    return lo


# pyarrow's refusal of a row with a cell too many or too few
_WRONG_WIDTH = re.compile(r"Expected \d+ columns, got \d+")
# the schema metadata of a CSV table whose rows of the wrong width were left
# out (``_read_csv_rows``): the other rows' lines, and the rows left out
ROW_LINES, BAD_ROWS = b"ledger.row_lines", b"ledger.bad_rows"


def _read_csv_rows(path: Path, convert, head: list[str]):
    """A CSV file whose rows are not all as wide as its header: the rows
    that are, their lines (as the bulk reader numbers them: the header is
    line 1, a quoted line break not counted) and each other row's line,
    id cell, width and text in the schema metadata (``ROW_LINES``,
    ``BAD_ROWS``), so that every such row is a problem at its line and the
    rest is checked (``row_problems``).  Read in one thread: only then does
    pyarrow number the rows it refuses."""
    import numpy as np
    import pyarrow.csv as pcsv

    bad: list = []

    def refuse(row) -> str:
        bad.append((row.number, row.actual_columns, row.text if len(bad) < MAX_PROBLEMS_PER_RULE
                    else ""))
        return "skip"

    table = pcsv.read_csv(path, convert_options=convert,
                          read_options=pcsv.ReadOptions(use_threads=False),
                          parse_options=pcsv.ParseOptions(invalid_row_handler=refuse))
    numbers = np.array([b[0] for b in bad], np.int64)
    lines = np.setdiff1d(np.arange(2, table.num_rows + len(bad) + 2, dtype=np.int64), numbers)
    at = head.index("id") if "id" in head else None
    said = []
    for number, width, text in bad:
        cells = next(csv.reader(io.StringIO(text)), []) if text else []
        eid = cells[at].strip() if at is not None and at < len(cells) else ""
        said.append([number, eid if is_slug(eid) else "", width, text])
    meta = {ROW_LINES: lines.tobytes(), BAD_ROWS: json.dumps([len(head), said]).encode()}
    return table.replace_schema_metadata(meta)


def row_problems(table, fname: str) -> tuple[list[Problem], list[str]]:
    """The problems of a bulk CSV table's rows left out for their width
    (``_read_csv_rows``), each at its line (at most ``MAX_PROBLEMS_PER_RULE``,
    then how many more), and their ids (the entries they belong to are
    refused whole: ``row_lines``)."""
    meta = table.schema.metadata or {}
    if BAD_ROWS not in meta:
        return [], []
    width, bad = json.loads(meta[BAD_ROWS])
    hint = ("give each row one cell per column of the header; quote a cell that holds a "
            "comma (\"1,000\")")
    out = [Problem(fname, number, eid, f"row has {got} cell(s), the header {width} "
                   f"column(s): {rr.clip(text)!r}", hint, code="bad-row")
           for number, eid, got, text in bad[:MAX_PROBLEMS_PER_RULE]]
    if len(bad) > MAX_PROBLEMS_PER_RULE:
        out.append(Problem(fname, 0, "", f"{len(bad) - MAX_PROBLEMS_PER_RULE} more row(s) with "
                           f"the problem: a number of cells other than the header's {width}",
                           hint, code="bad-row"))
    return out, sorted({eid for _, eid, _, _ in bad if eid})


def row_lines(table):
    """Each row's line in a bulk table (the header is line 1), and None or
    (numpy bool per row) the rows of an entry one of whose rows was left
    out for its width (``row_problems`` says so): refused whole."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    meta = table.schema.metadata or {}
    if ROW_LINES not in meta:
        return np.arange(table.num_rows) + 2, None
    ids = row_problems(table, "")[1]
    refused = None
    if ids and "id" in table.column_names:
        refused = _np(pc.is_in(table.column("id"), value_set=pa.array(ids, pa.string())))
    return np.frombuffer(meta[ROW_LINES], np.int64).copy(), refused


def text_column(c):
    """A column of a bulk file as the reader takes it: text, '' for empty, trimmed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_timestamp(c.type) or pa.types.is_date(c.type):
        c = pc.strftime(c, format="%Y-%m-%d")
    elif c.type != pa.string():
        c = pc.cast(c, pa.string())
    c = c.combine_chunks()
    if c.null_count:
        c = pc.fill_null(c, "")
    return pc.utf8_trim_whitespace(c) if _may_need_trim(c) else c


def plain_amounts(raw_amt, mark: str | None = None):
    """(the amounts as plain decimals, read with the decimal ``mark``, by
    default the column's own (``decimal_mark``); which of them are plain decimals)."""
    import pyarrow.compute as pc

    samt = plain_numbers(raw_amt, mark or decimal_mark(raw_amt).mark)
    return samt, _np(pc.match_substring_regex(samt, _DECIMAL))


def decimal_places(amounts) -> int:
    """The largest number of decimal places of plain decimals (text): a bulk
    file's amounts are read at it (0 when every amount is whole)."""
    import pyarrow.compute as pc

    dot = pc.find_substring(amounts, ".")
    return int(pc.max(pc.if_else(pc.greater_equal(dot, 0),
                                 pc.subtract(pc.subtract(pc.utf8_length(amounts), dot), 1),
                                 0)).as_py() or 0)


def cited_ids(sources):
    """The bulk format's ``sources`` cells read as the document ids they
    name (``ledger.rules.rows.listed``): (each id's cell position, numpy;
    the ids, Arrow text), trimmed as the journal reader trims text; an
    empty one between ';' names none."""
    import pyarrow.compute as pc

    lists = rr.listed(sources)
    return _np(pc.list_parent_indices(lists)), pc.list_flatten(lists)


# a citations cell (``PROVENANCE_COLUMNS``) is hostile text: refused beyond
# this size, or nested deeper than a list of tables, before json reads it
MAX_CITATIONS_CHARS = 100_000
_CITATION_KEYS = ("doc", "quote", "locator")
_CITATIONS_ARE = 'a JSON list of {"doc", "quote", "locator"} tables'
# one line: '[', then strings, other tokens and tables holding no bracket
# outside their strings, then ']' (what Arrow's JSON reader is given)
_ONE_STRING = r'"(?:[^"\\\n\r]|\\.)*"'
_FLAT_LIST = (r'^\[(?:' + _ONE_STRING + r'|[^"\[\]{}\n\r]|\{(?:' + _ONE_STRING
              + r'|[^"\[\]{}\n\r])*\})*\]$')
_JSON_KINDS = {dict: "a table", list: "a list", str: "text", bool: "true or false",
               type(None): "null"}


def cited_passages(cells, by_sources):
    """The bulk format's ``citations`` cells (each entry's, Arrow text) read
    as the raw form's citations table: entry, doc, quote, locator, and
    ``problem`` ('' when none: ``check_raw`` words the others, one row for
    the entry).  An entry with no cell keeps its ``sources`` (``by_sources``:
    the citations table of ``cited_ids``), their quote null (none stated: the
    quote rule says nothing of them, as before the column existed); one
    with both must name the same documents in each."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(cells)
    given = ~_np(pc.equal(cells, ""))
    # cells on one line, of a bounded size and shaped as a list of flat
    # tables (strings aside), the usual case, are read by Arrow's JSON reader
    # together; the others, and the cells of a run it refuses (read again in
    # pieces: ``_citations_in_chunks``), one by one (json)
    shaped = given & _np(pc.match_substring_regex(cells, _FLAT_LIST)) \
        & ~_np(pc.greater(pc.utf8_length(cells), MAX_CITATIONS_CHARS))
    at = np.flatnonzero(shaped)
    found, refused = _citations_in_chunks(cells.take(pa.array(at, pa.int64())), at)
    shaped[refused] = False
    wrong: dict[int, str] = {}   # entry: what is wrong with its cell
    rows: list[tuple[int, str, str, str]] = []
    alone = np.flatnonzero(given & ~shaped)
    for e, text in zip(alone.tolist(), cells.take(pa.array(alone, pa.int64())).to_pylist()):
        value, said = _citations_json(text)
        cited = said or _citations_of(value)
        if isinstance(cited, str):
            wrong[e] = cited
        else:
            rows += [(e, *c) for c in cited]
    found.append(pa.table({"entry": pa.array([r[0] for r in rows], pa.int64()),
                           **{k: pa.array([r[i] for r in rows], pa.string())
                              for i, k in enumerate(_CITATION_KEYS, 1)}}))
    cited_t = pa.concat_tables(found)
    # both columns given: the same documents (as sets) in each
    src_entry = _np(by_sources.column("entry"))
    both = given & np.isin(np.arange(n), src_entry)
    if both.any():
        c_entry = _np(cited_t.column("entry"))
        c_on = both[c_entry] & ~_np(pc.equal(cited_t.column("doc"), ""))
        s_on = both[src_entry]
        docs = pc.dictionary_encode(pa.concat_arrays([
            cited_t.column("doc").combine_chunks().filter(pa.array(c_on)),
            by_sources.column("doc").combine_chunks().filter(pa.array(s_on))]))
        code = _np(docs.indices).astype(np.int64)
        k = int(c_on.sum())
        width = max(len(docs.dictionary), 1)
        named, listed = (_distinct(c_entry[c_on] * width + code[:k]),
                         _distinct(src_entry[s_on] * width + code[k:]))
        apart = np.zeros(0, np.int64) if np.array_equal(named, listed) else \
            np.setxor1d(named, listed, assume_unique=True)
        for e in sorted(set((apart // width).tolist())):
            if e in wrong:
                continue
            named = cited_t.column("doc").filter(pc.equal(cited_t.column("entry"), e)).to_pylist()
            listed = by_sources.column("doc").filter(pc.equal(by_sources.column("entry"), e))
            wrong[e] = (f"sources name {rr.clip('; '.join(dict.fromkeys(listed.to_pylist())))} "
                        f"but citations name "
                        f"{rr.clip('; '.join(dict.fromkeys(d for d in named if d))) or 'none'}: "
                        f"give the same documents in both, or citations only")
    c_entry = _np(cited_t.column("entry"))
    bad = np.zeros(n, dtype=bool)
    bad[list(wrong)] = True
    alone_src = ~given[src_entry]
    m = int(alone_src.sum())
    out = pa.concat_tables([
        cited_t.filter(pa.array(~bad[c_entry])).append_column(
            "problem", pa.array(np.full(int((~bad[c_entry]).sum()), "", dtype=object),
                                pa.string())),
        pa.table({"entry": by_sources.column("entry").filter(pa.array(alone_src)),
                  "doc": by_sources.column("doc").filter(pa.array(alone_src)),
                  "quote": pa.nulls(m, pa.string()),
                  "locator": pa.array(np.full(m, "", dtype=object), pa.string()),
                  "problem": pa.array(np.full(m, "", dtype=object), pa.string())}),
        pa.table({"entry": pa.array(list(wrong), pa.int64()),
                  "doc": pa.array([""] * len(wrong), pa.string()),
                  "quote": pa.nulls(len(wrong), pa.string()),
                  "locator": pa.array([""] * len(wrong), pa.string()),
                  "problem": pa.array(list(wrong.values()), pa.string())})])
    order = np.argsort(_np(out.column("entry")), kind="stable")
    return out.take(pa.array(order, pa.int64())).combine_chunks()


def _distinct(keys):
    """The distinct values of ``keys`` (int64), sorted (np.unique hashes:
    slower here)."""
    import numpy as np

    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def _citations_together(cells, at):
    """The citations of ``cells`` (Arrow text, each a list of flat tables
    on one line) by Arrow's JSON reader, entry ``at[k]`` for the kth cell,
    as (entry, doc, quote, locator); None when it refuses any (a field of
    another type or name, not JSON): json then reads them one by one."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.json as pj

    big = pa.large_string()
    lines = pc.binary_join_element_wise(pa.scalar('{"c":', big), pc.cast(cells, big),
                                        pa.scalar("}\n", big), pa.scalar("", big))
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset:
                                                                  lines.offset + len(lines) + 1]
    data = lines.buffers()[2][int(offsets[0]):int(offsets[-1])]
    schema = pa.schema([("c", pa.list_(pa.struct([(k, pa.string()) for k in _CITATION_KEYS])))])
    try:
        got = pj.read_json(pa.BufferReader(data), read_options=pj.ReadOptions(
            block_size=max(1 << 20, 8 * MAX_CITATIONS_CHARS)),
            parse_options=pj.ParseOptions(explicit_schema=schema,
                                          unexpected_field_behavior="error"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    lists = got.column("c").combine_chunks()
    if len(lists) != len(at) or lists.null_count:
        return None
    flat = pc.list_flatten(lists)
    if flat.null_count:     # a null citation: json words it ("citation #2 is null")
        return None
    return pa.table({
        "entry": pa.array(np.asarray(at, np.int64)[_np(pc.list_parent_indices(lists))],
                          pa.int64()),
        "doc": pc.utf8_trim(pc.fill_null(flat.field("doc"), ""), PY_WHITESPACE),
        "quote": pc.fill_null(flat.field("quote"), ""),
        "locator": pc.fill_null(flat.field("locator"), "")})


# a refused run of cells is read again in this many pieces, down to this
# many cells, which json reads one by one: one bad cell costs about one more
# pass of Arrow's reader over the cells, not json over all of them
_CITATION_PIECES = 16
_CITATIONS_ALONE = 256


def _citations_in_chunks(cells, at, refused_whole: bool = False):
    """``_citations_together`` of ``cells`` (entry ``at[k]`` for the kth),
    a refused run again in pieces: (the tables read, the entries of the
    runs refused down to ``_CITATIONS_ALONE`` cells, for json to read).
    When most pieces of a run are refused, json reads the whole run: bad
    cells everywhere would cost Arrow a pass per level for nothing."""
    import numpy as np

    if not len(at):
        return [], at
    if not refused_whole:
        together = _citations_together(cells, at)
        if together is not None:
            return [together], at[:0]
    if len(at) <= _CITATIONS_ALONE:
        return [], at
    pieces = [p for p in np.array_split(np.arange(len(at)), _CITATION_PIECES) if len(p)]
    read = [_citations_together(cells.slice(int(p[0]), len(p)), at[p]) for p in pieces]
    if sum(t is None for t in read) > len(pieces) // 2:
        return [], at
    found, refused = [], []
    for piece, together in zip(pieces, read):
        if together is not None:
            found.append(together)
            continue
        got, alone = _citations_in_chunks(cells.slice(int(piece[0]), len(piece)), at[piece],
                                          refused_whole=True)
        found += got
        refused.append(alone)
    return found, (np.concatenate(refused) if refused else at[:0])


def _citations_json(text: str):
    """(one citations cell read by json, '') or (None, what is wrong with
    it): its size and nesting checked first."""
    if len(text) > MAX_CITATIONS_CHARS:
        return None, (f"citations of {len(text):,} characters, more than "
                      f"{MAX_CITATIONS_CHARS:,}: quote the shortest phrase that carries "
                      f"the figure")
    most = json_depth(text)
    if most > 2:
        return None, f"citations nested {most} deep: they are {_CITATIONS_ARE}"
    try:
        return json.loads(text, parse_int=Decimal, parse_float=Decimal), ""
    except (ValueError, RecursionError) as err:
        return None, f"citations are not JSON ({str(err)[:80]}): they are {_CITATIONS_ARE}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _citations_of(value):
    """A cell's JSON value as [(doc, quote, locator)], or what is wrong
    (text).  A null field is one not given, as Arrow's reader reads it."""
    if not isinstance(value, list):
        return f"citations are {_json_kind(value)}, not {_CITATIONS_ARE}"
    out = []
    for k, c in enumerate(value, 1):
        if not isinstance(c, dict):
            return f"citation #{k} is {_json_kind(c)}, not a table of doc, quote, locator"
        unknown = [key for key in c if key not in _CITATION_KEYS]
        if unknown:
            return f"citation #{k} has an unknown key {unknown[0][:40]!r} " \
                   f"(known: doc, quote, locator)"
        for key in _CITATION_KEYS:
            if c.get(key) is not None and not isinstance(c[key], str):
                return f"citation #{k}: {key} must be text, not {_json_kind(c[key])}"
            if c.get(key) and not c[key].isascii() and _SURROGATE.search(c[key]):
                # JSON's \ud800 escapes a lone surrogate, which no UTF-8 text holds
                return f"citation #{k}: {key} holds a lone surrogate (an escape such as " \
                       f"\\ud800), not text"
        out.append(((c.get("doc") or "").strip(PY_WHITESPACE), c.get("quote") or "",
                    c.get("locator") or ""))
    return out


def _json_kind(value) -> str:
    return _JSON_KINDS.get(type(value), "a number")


def _may_need_trim(arr) -> bool:
    """False when no value can start or end with whitespace: every non-empty
    value's first and last byte is printable ASCII (Unicode whitespace starts
    with a lead byte and ends with a continuation byte, both >= 0x80).  Reads
    the offsets and bytes of the Arrow string array; no string is made."""
    import numpy as np
    import pyarrow as pa

    if not pa.types.is_string(arr.type) or len(arr) == 0:
        return True
    _, off_buf, data_buf = arr.buffers()
    if data_buf is None or data_buf.size == 0:
        return False
    off = np.frombuffer(off_buf, dtype=np.int32)[arr.offset: arr.offset + len(arr) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)
    starts, ends = off[:-1], off[1:]
    full = ends > starts
    first, last = data[starts[full]], data[ends[full] - 1]
    return bool(((first <= 32) | (first >= 127)).any() or ((last <= 32) | (last >= 127)).any())


def read_bulk(path: str | Path, documents: Iterable[str] | None = None):
    """Read a bulk file into the base frame of ``rates.normalise.normalise``.

    Returns ``(frame, problems)``: ``frame`` has the columns of
    ``rates.normalise.ENTRY_COLUMNS`` (one row per entry × purpose, as
    ``entries_frame`` makes from a journal) and ``problems`` is a list of
    ``Problem`` (errors and warnings); with errors the frame holds only the
    good entries.  ``documents``: the known document ids, to check citations.
    """
    path = Path(path)
    fname = str(path)
    if not path.exists():
        return None, [Problem(fname, 0, "", "no such file or folder", code="not-a-ledger")]
    try:
        raw = read_table(path)
    except UnsafeFile as err:
        return None, [Problem(fname, 0, "", err.reason, code="unsafe-file")]
    except Exception as err:  # pyarrow's message names the row
        return None, [Problem(fname, 0, "", f"cannot read the table: {err}".strip(),
                              code="unreadable-table")]
    said, left_out = row_problems(raw, fname)
    frame, problems = check_raw(bulk_raw(raw, fname), documents, rejected=left_out,
                                own_only=True)
    return frame, said + problems


def _same_numbers(v):
    """A text column with each number written one way ("2.0", " 2" -> "2"),
    other texts as they are (each distinct text read once)."""
    import pyarrow as pa

    enc = v.dictionary_encode()
    plain = []
    for t in enc.dictionary.to_pylist():
        try:
            d = Decimal(str(t).strip())
            # (a huge exponent stays as written: "1E+999999999" is no 10^9-digit text)
            plain.append(format(d.normalize(), "f") if d.is_finite() and abs(d.adjusted()) < 40
                         else t)
        except (ArithmeticError, ValueError):
            plain.append(t)
    return pa.array(plain, pa.string()).take(enc.indices)


def bulk_raw(table, fname: str, fmt: str = "csv") -> RawTables:
    """A bulk file's table (``read_table``) as the raw form: one row per
    entry at its line (the header being line 1), an entry of many rows by
    its first, its rows its parts (the splits table: each part's purpose,
    amount and line); the ``sources``, link and ``restated`` columns as the
    citations, links and restatements tables (each entry's first row's).
    A table whose rows of one entry differ in a column besides purpose and
    amount is handed as its rows (the splits table naming them), so each
    row's own values are worded at its line, and those differing from the
    row before where they must agree (``PARTS_AGREE``:
    ``RawTables.differs``)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = table.num_rows
    names = table.column_names
    differs = {}
    entry = np.zeros(0, np.int64)
    docs = pa.array([], pa.string())
    per_entry = [c for c in (*LINK_KINDS, "sources", "restated") if c in names]
    at_first: dict = {}
    splits = None
    lines, refused = row_lines(table)   # rows left out for their width: their entries too
    cont = continues_entry(table.column("id").combine_chunks()) if "id" in names else None
    firsts = None   # one row per entry: each entry's first row
    if cont is not None and cont.any():   # the rows of an entry of many rows: its parts
        rows = np.flatnonzero(cont | np.r_[cont[1:], False])
        take = pa.array(rows)
        empty = pa.array(np.full(len(rows), "", dtype=object), pa.string())
        purpose, amount = (table.column(c).take(take).combine_chunks() if c in names
                           else empty for c in ("purpose", "amount"))
        if _rows_agree(table, cont):
            firsts = np.flatnonzero(~cont)
            splits = split_table((np.cumsum(~cont) - 1)[rows], None, purpose, amount,
                                 line=lines[rows])
        else:
            splits = split_table((np.cumsum(~cont) - 1)[rows], rows, purpose, amount)
            for c in PARTS_AGREE:   # each row of a part against the row before
                if c not in names or (c not in BULK_COLUMNS
                                      and not pa.types.is_string(table.column(c).type)):
                    continue
                v = table.column(c).combine_chunks()
                if c == "funder":   # as the rules read it
                    v = rr.composed_column(v)
                elif c == "tags":   # padding at a cell's ends is no difference
                    v = pc.utf8_trim(v, rr.TAG_SPACE)
                elif c == "years" and pa.types.is_string(v.type):   # "2" and "2.0": one number
                    v = _same_numbers(v)
                differs[c] = cont & np.r_[False, _np(pc.not_equal(v.slice(1),
                                                                  v.slice(0, max(n - 1, 0))))]
    if cont is not None and per_entry:   # (no id: check_raw says so, and nothing more)
        at = pa.array(np.flatnonzero(~cont))
        for c in per_entry:
            at_first[c] = table.column(c).combine_chunks().take(at)
        table = table.drop_columns(per_entry)
    if cont is not None and "citations" in names:   # kept in the table too (provenance)
        at_first["citations"] = table.column("citations").combine_chunks().take(
            pa.array(np.flatnonzero(~cont)))
    if "sources" in at_first:
        entry, docs = cited_ids(at_first["sources"])
    citations = pa.table({"entry": pa.array(entry, pa.int64()), "doc": docs})
    if "citations" in at_first:
        citations = cited_passages(at_first["citations"], citations)
    restatements = None
    if "restated" in at_first:   # the conversions between ';'
        parts = rr.listed(at_first["restated"])
        restatements = restatement_table(pc.list_parent_indices(parts), pc.list_flatten(parts))
    if firsts is not None:   # one row per entry
        table = table.take(pa.array(firsts))
        lines = lines[firsts]
        if refused is not None:   # (every row of such an entry is refused)
            refused = refused[firsts]
    if "tags" in names and pa.types.is_string(table.column("tags").type):
        # each cell's tags as written (split at ';'), as a journal lists them
        table = table.set_column(table.column_names.index("tags"), "tags",
                                 pc.split_pattern(table.column("tags"), ";"))
    return RawTables(table, fname, lines, fmt, citations, differs=differs, refused=refused,
                     links=link_table(at_first), restatements=restatements, splits=splits)


def _rows_agree(table, cont) -> bool:
    """Whether each row continuing an entry (``cont``) holds what the row
    before holds in every column but id, purpose and amount (a column that
    cannot be compared: not)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    here = np.flatnonzero(cont)
    a_at, b_at = pa.array(here), pa.array(here - 1)
    for c in table.column_names:
        if c in ("id", "purpose", "amount"):
            continue
        v = table.column(c)
        a, b = v.take(a_at), v.take(b_at)
        try:
            same = pc.fill_null(pc.equal(a, b), pc.and_(pc.is_null(a), pc.is_null(b)))
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
            return False
        if not pc.all(same).as_py():
            return False
    return True


def read_bulk_book(path: str | Path, fmt: str | None = None, documents=None) -> Book:
    """A bulk CSV / Parquet file as a Book with every problem found; never
    raises for bad input.  ``fmt``: "csv" or "parquet" (default: by the
    file's suffix).  ``documents``: the declared documents by id (its
    citations checked against them), or None (not checked)."""
    path = Path(path)
    fmt = fmt or ("parquet" if path.suffix.lower() in (".parquet", ".pq") else "csv")
    root = path if path.is_dir() else path.parent
    fname = str(path)
    try:
        held = [read_table(path, fmt)]   # handed over: freed once its raw form is made
    except Exception as err:  # pyarrow's message names the row
        return Book.from_entries((), problems=[
            Problem(fname, 0, "", f"cannot read the table: {err}".strip(),
                    code="unreadable-table")], root=root, source=fmt)
    return bulk_book(held, fname, root, fmt, documents=documents)[0]


def bulk_book(raw, fname: str, root, fmt: str, *, links_elsewhere: bool = False,
              documents=None, mark_rule=None):
    """(the Book of a bulk table read by ``read_table``, each entry's first
    row in it).  ``raw``: the table, or a list holding it alone, which is
    emptied: no caller holds the table then, and it is freed once its raw
    form (one row per entry) is made.  ``links_elsewhere``: links may name entries of other tables
    (a dataset's partitions): they are not checked here, only kept.
    ``documents``: the declared documents (a mapping by id, or their ids),
    which the citations must name; None: not checked.  ``mark_rule``: as
    ``check_raw``'s."""
    import numpy as np

    kept: list = []
    said, left_out = row_problems(raw[0] if isinstance(raw, list) else raw, fname)
    names = (raw[0] if isinstance(raw, list) else raw).column_names
    form = bulk_raw(raw.pop() if isinstance(raw, list) else raw, fname, fmt)
    # a partition's links may name entries of other partitions: the rules
    # are not given them (ledger.read.dataset checks them across the files)
    checked = dataclasses.replace(form, links=no_links()) if links_elsewhere else form
    frame, problems = check_raw(checked, documents, kept=kept, rejected=left_out,
                                own_only=True, mark_rule=mark_rule)
    problems = said + problems
    declared = dict(documents) if isinstance(documents, dict) else {}
    if frame is None:
        return Book.from_entries((), declared, problems=problems, root=root,
                                 source=fmt), np.zeros(0, int)
    keep = kept[0] if kept else None
    # each row of the frame's entry (check_raw's rows: one per entry and purpose)
    row_entry = form.part_layout()[0] if form.by_entry else np.cumsum(form.firsts) - 1
    if links_elsewhere:   # counted once, in its target: as check_raw's primary reads the links
        linked = np.zeros(int(form.firsts.sum()), dtype=bool)
        linked[_np(form.links.column("entry"))] = True
        linked = linked[row_entry]
        frame["primary"] = ~(linked if keep is None else linked[keep])
    # per entry kept: its first row in the file (the frame's rows are the
    # file's, an entry's next to each other)
    rows = np.arange(len(row_entry)) if keep is None else np.flatnonzero(keep)
    sub = row_entry[rows]
    first = rows[np.r_[True, sub[1:] != sub[:-1]]] if len(rows) else rows[:0]
    extras: dict = {}
    # the entries kept, among the raw form's (their first rows)
    kept_entries = None if keep is None else \
        keep[np.r_[True, row_entry[1:] != row_entry[:-1]][:len(row_entry)]]
    # the raw form's links (a partition's too, unchecked), of the entries kept
    extras.update(book_links(form.links if kept_entries is None
                             else entries_of(form.links, kept_entries), len(first)))
    extras.update(book_texts(form, kept_entries))
    if ("sources" in names or "citations" in names) and len(first):
        # the raw form's citations, of the entries kept
        cited = form.citations
        if kept_entries is not None:
            cited = entries_of(cited, kept_entries)
        extras["citations"] = book_citations(cited)
    return Book.from_frame(frame, extras, declared, {}, problems, root, source=fmt), first


def load_bulk(path: str | Path, documents: Iterable[str] | None = None):
    """``read_bulk``, raising one ``LedgerError`` listing every error."""
    frame, problems = read_bulk(path, documents)
    errs = [p for p in problems if p.severity == "error"]
    if errs:
        raise LedgerError(f"{len(errs)} problem(s) in {path}:\n" + "\n".join(str(p) for p in errs))
    return frame


class _Ids:
    """Entry ids (an Arrow string column) indexed like a numpy array: read
    one at a time while few are asked for, then all at once (the rules
    across entries ask for an id per link)."""

    def __init__(self, arr):
        self.arr = arr
        self.asked = 0
        self.listed: list | None = None

    def __len__(self):
        return len(self.arr)

    def __getitem__(self, i):
        import numpy as np
        import pyarrow as pa
        if type(i) is int or np.ndim(i) == 0:
            if self.listed is not None:
                return self.listed[i]
            self.asked += 1
            if self.asked > 64 + len(self.arr) // 16:
                self.listed = self.arr.to_pylist()
            return self.arr[int(i)].as_py()
        out = np.empty(len(i), dtype=object)
        out[:] = self.arr.take(pa.array(np.asarray(i, dtype=np.int64))).to_pylist()
        return out


class _Problems:
    """Problems per row, formatted only for the rows that have them.

    A raw form of one row per entry (``RawTables.by_entry``) is worded at
    its entries' rows and its parts' (the splits table's): each part
    after the entries, at its place ``len(ids)`` + its index (``parts``),
    so a rule's problems of the entries come before those of the parts
    (the journal's reader orders them by entry and field)."""

    def __init__(self, raw: RawTables, ids):
        import numpy as np
        self.ids, self.lines = ids, raw.line
        self.file_of: Any = raw.file_of
        self.raw = raw
        self.key_line: Any = raw.key_line
        self.out: list[Problem] = []
        self.bad = np.zeros(len(ids), dtype=bool)
        if raw.refused is not None:   # worded by the reader already
            self.bad |= raw.refused
        self.owner: Any = None   # per place: its entry's row (a form of one row per entry)
        self.part_said: Any = None if raw.by_entry else raw.part_said
        self.part = None   # per row: a split part's (set once the splits are read)
        # a bulk table of one row per entry: an entry's problem at each of its
        # rows (its parts'), every rule's in the file's order (``rows_of``)
        self.by_row = raw.by_entry and raw.origin != "journal"
        self.starts: Any = None   # per entry: its first part's index (bulk)
        self.counts: Any = None   # per entry: its number of parts (bulk)
        if raw.by_entry:   # each part worded at its own place, after the entries' rows
            s = raw.splits
            entry = _np(s.column("entry")).astype(np.int64)   # each part's entry
            self.parts(entry, _np(s.column("line")).astype(np.int64),
                       _np(s.column("said")) if "said" in s.column_names
                       else np.zeros(len(entry), dtype=bool),
                       np.arange(len(entry)) - np.searchsorted(entry, entry))

    def parts(self, entry, line, said, nth) -> None:
        """The places of a form of one row per entry's parts: each part's
        entry, line, whether the reader has worded it and its place among
        its entry's parts."""
        import numpy as np

        n = len(self.ids)
        owner = self.owner = np.r_[np.arange(n, dtype=np.int64), entry]
        self.lines = np.r_[np.asarray(self.raw.line, dtype=np.int64), line]
        self.part_said = np.r_[np.zeros(n, dtype=bool), said]
        self.part = np.r_[np.zeros(n, dtype=bool), np.ones(len(entry), dtype=bool)]
        if self.by_row:
            self.counts = np.bincount(entry, minlength=n)
            self.starts = np.cumsum(self.counts) - self.counts
        at_key, nth_of = self.raw.key_line, np.r_[np.zeros(n, np.int64), nth]
        file_of = self.raw.file_of
        self.file_of = lambda r: file_of(int(owner[r]))
        if at_key is not None:
            def key_line(r: int, field: str, nth: int = 0) -> int:
                return at_key(int(owner[r]), field,
                              int(nth_of[r]) if field.startswith("split.") else nth)
            self.key_line = key_line

    def _mask(self, mask):
        """``mask`` over every place (a mask of the entries' rows: none of the parts)."""
        import numpy as np

        mask = _np(mask)
        if self.owner is not None and len(mask) < len(self.owner):
            mask = np.r_[mask, np.zeros(len(self.owner) - len(mask), dtype=bool)]
        return mask

    def rows_of(self, places, spread: bool = True):
        """A bulk table of one row per entry: (the rows ``places`` stand
        for, in the file's order; where each takes its value): an entry of
        many rows at each of its parts (``spread``; else at its first row),
        its value the entry's."""
        import numpy as np

        if not self.by_row or self.counts is None:
            return places, places
        n = len(self.counts)
        at = places
        if spread:
            ent = places[places < n]
            many = ent[self.counts[ent] > 0]
            if len(many):
                counts = self.counts[many]
                owner = np.repeat(many, counts)
                nth = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
                parts = n + self.starts[owner] + nth
                alone = ~np.isin(places, many)
                at = np.r_[places[alone], owner]
                places = np.r_[places[alone], parts]
        order = np.argsort(self.lines[places], kind="stable")
        return places[order], at[order]

    def in_file_order(self):
        """A bulk table of one row per entry: the places that are the
        file's rows (an entry of one row, or a part), in the file's order."""
        import numpy as np

        n = len(self.ids)
        if not self.by_row or self.counts is None:
            return np.arange(n)
        return self.rows_of(np.r_[np.flatnonzero(self.counts == 0),
                                  n + np.arange(int(self.counts.sum()))], spread=False)[0]

    def add(self, mask, message: str, values=None, hint: str = "", severity: str = "error",
            code: str = "", clip: bool = True, field: str = "", spread: bool = True):
        """One problem per True row of ``mask``; ``message`` may hold ``{}``,
        filled with that row's entry of ``values`` (cut at 80 characters when
        ``clip``: a cell's text, not a message of ours)."""
        self.rule(mask, None, values, field, message=message, hint=hint, severity=severity,
                  code=code, clip=clip, spread=spread)

    def rules(self, found) -> None:
        """The rows breaking rules of ``ledger.rules.rows``: (mask, rule,
        values, field) each."""
        for mask, rule, values, field in found:
            self.rule(mask, rule, values, field)

    def rule(self, mask, rule, values=None, field: str = "", *, message: str = "",
             hint: str = "", severity: str = "error", code: str = "", clip: bool = True,
             named: str = "", key: str = "", part_key: str = "", spread: bool = True):
        """``named``: the field as the message names it (else ``field``);
        ``key``: where a journal has it (``RawTables.key_line``; else
        ``field``), and what the reader's ``worded`` masks are keyed by;
        ``part_key``: where a journal has it on a split part's row;
        ``spread``: a bulk entry of many rows worded at each (else at its
        first, as the rules of a whole entry's citations, tags and
        conversions are)."""
        import numpy as np

        raw = self.raw
        mask = self._mask(mask)
        owner = self.owner
        key = key or field
        if raw.worded is not None and key in raw.worded:   # the reader said it
            mask = mask & ~(raw.worded[key] if owner is None else raw.worded[key][owner])
        if key == "split.":
            mask = mask & ~self.part_said
        rows = np.flatnonzero(mask)
        if not len(rows):
            return
        rows, at = self.rows_of(rows, spread)
        if severity == "error":
            self.bad[rows if owner is None else owner[rows]] = True
        journal = raw.origin == "journal"

        def word(v):
            if rule is None:
                return (message.format(v) if values is not None else message), hint
            msg, h = rule.word(v, named or field)
            if rule.code == "missing-field" and not journal:
                h = BULK_FIELD_HINTS.get(field, h)
            return msg, h

        def line(r):   # a journal's field at its key's line; a missing one at the entry's
            if self.key_line is None or rule is rr.MISSING_FIELD or not field:
                return int(self.lines[r])
            if part_key and self.part is not None and self.part[r]:
                return self.key_line(int(r), part_key)
            return self.key_line(int(r), key)

        limit = raw.limit
        shown = rows[:limit] if limit is not None else rows
        vals = _take(values, at[:len(shown)]) if values is not None else [""] * len(shown)
        code = rule.code if rule is not None else code
        for r, v in zip(shown, vals):
            if clip and not journal and isinstance(v, str) and len(v) > 80:   # one line, whatever the cell
                v = v[:80] + "…"
            text, h = word(v)
            self.out.append(Problem(self.file_of(r), line(r),
                                    str(self.ids[r if owner is None else owner[r]]), text,
                                    h, severity, code, field=field))
        if limit is not None and len(rows) > limit:
            more = len(rows) - limit
            text, h = word("…")
            self.out.append(Problem(self.file_of(rows[0]), 0, "", f"{more} more row(s) with the problem: "
                                    + text, h, severity, code))

    def extend(self, found, group, drop: bool = True):
        """Problems of whole entries (``ledger.rules``): ``found`` is (problems,
        entries with errors); ``group``: each row's entry; ``drop``: leave
        the entries with errors out (a journal keeps them, as its entry
        reader does: the error is between entries, not in one)."""
        import numpy as np
        problems, bad = found
        self.out.extend(problems)
        if bad and drop:
            self.bad |= np.isin(group, np.fromiter(bad, dtype=np.int64))


def _take(values, rows):
    """``values`` (a column, or a tuple of columns: tuples) at ``rows``."""
    import numpy as np
    import pyarrow as pa
    if isinstance(values, tuple):
        return list(zip(*(_take(v, rows) for v in values)))
    if isinstance(values, _AtParts):
        return values.take(np.asarray(rows, dtype=np.int64))
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values.take(pa.array(rows)).to_pylist()
    return list(np.asarray(values, dtype=object)[rows])


def check_raw(raw: RawTables, documents, kept=None, rejected=(), *, own_only: bool = False,
              with_frame: bool = True, mark_rule=None, restated=None):
    """The rule engine of the raw form: the checked base frame and every
    problem of ``raw`` (``ledger.read.raw``), worded at each row's file and
    line.  ``documents``: the known document ids (None: citations not
    checked).  ``kept``: a list to which the mask of the table's rows kept
    in the frame is appended (None when every row is kept), so a caller can
    take more columns for the same rows (``ledger.read``).  ``rejected``:
    ids of entries left out of ``raw`` for their own errors (a link to one
    is not called missing).  ``own_only``: the rules across entries run
    on the entries without errors of their own (or ``raw.refused``) only,
    the others named ``rejected`` (a journal, whose rules across entries
    leave such an entry out, as its entry reader did).  ``with_frame``:
    False when the caller reads only the problems and ``kept`` (the frame is
    None then, and pandas is not loaded for it).  ``mark_rule``: the
    amounts' decimal-mark ``Convention`` decided over more rows than these
    (a dataset's); None: over these.  ``restated``: a list to which the
    conversions as the rules read them are appended (Arrow text per row of
    ``raw.entries``, ``EUR 15000000; USD 19000000``; '' for none or
    refused), for a caller that writes them without the frame."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    by_entry = raw.by_entry   # one row per entry, a split entry's parts in the splits table
    if raw.citations is None:
        raw = dataclasses.replace(raw, citations=no_citations())
    if raw.links is None:
        raw = dataclasses.replace(raw, links=no_links())
    if raw.restatements is None:
        raw = dataclasses.replace(raw, restatements=no_restatements())
    tbl, fname = raw.entries, raw.name
    n = tbl.num_rows
    names = tbl.column_names
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        return None, [Problem(fname, 1, "", f"missing column(s) {', '.join(map(repr, missing))}",
                              "the bulk format needs " + ", ".join(REQUIRED),
                              code="missing-column")]
    empty = pa.array(np.full(n, "", dtype=object), pa.string())

    read: dict = {}   # each column read once, however many rules ask for it

    def col(c, default=""):
        if (c, default) in read:
            return read[c, default]
        arr = _one_array(tbl.column(c)) if c in names else empty
        if c in ("funder", "purpose"):
            arr = rr.composed_column(arr)
        if default:
            arr = pc.if_else(pc.equal(arr, ""), pa.scalar(default), arr)
        read[c, default] = arr
        return arr

    def blank(arr):
        return _np(pc.equal(arr, ""))

    sid = col("id")
    ids = _Ids(sid)   # read as Python strings only for the rows a message names
    lines = raw.line
    P = _Problems(raw, ids)
    unknown = [c for c in names if raw.origin != "journal"   # a journal's fields are checked
               and c not in BULK_COLUMNS and c not in PROVENANCE_COLUMNS]
    if all(c in unknown for c in EXPORT_SIGNATURE):    # one line, as a missing column is
        return None, [Problem(fname, 1, "", "this file is an export of a ledger (columns "
                              + ", ".join(map(repr, EXPORT_SIGNATURE))
                              + ", ...), not a ledger in the bulk format",
                              "make it a ledger with 'ledger-tool import FILE -o NEW.toml' "
                              "(or --to NEW.parquet)", code="export-file")]
    if LISTING_COLUMN in unknown:    # one line, as an export's
        return None, [Problem(fname, 1, "", "this file is a listing of a ledger ('list "
                              "--format csv' writes its 'links' column), not a ledger in the "
                              "bulk format", "make it a ledger with 'ledger-tool import FILE "
                              "-o NEW.toml', which reads its links (the bulk format gives "
                              "each link its own column: disburses, part_of, restates)",
                              code="listing-file")]
    for c in unknown:
        P.out.append(Problem(fname, 1, "", f"unknown column {c!r}",
                             rr.suggest(c, BULK_COLUMNS) or
                             "known columns: " + ", ".join(BULK_COLUMNS),
                             code="unknown-column"))

    no_id = blank(sid)
    P.rules(rr.id_rows(sid))

    # dates
    sdate = col("date")
    no_date = blank(sdate)
    date_np, ok_date = _iso_dates(sdate)
    P.rule(no_date, rr.MISSING_FIELD, field="date")
    # a journal's dates also as written (unstripped), for the messages
    written_date = col("date_written") if "date_written" in names else sdate
    P.rule(~no_date & ~ok_date, rr.BAD_DATE, written_date, "date")
    P.rules(rr.date_range_rows("date", date_np, sdate))
    # the date whose rate converts the amount (optional; IATI's value-date)
    srate = col("value_date")
    rate_np, ok_rate = _iso_dates(srate)
    P.rule(~blank(srate) & ~ok_rate, None,
           col("value_date_written") if "value_date_written" in names else srate, "value_date",
           message="value_date " + rr.NOT_A_DATE, code=rr.BAD_DATE.code)
    P.rules(rr.date_range_rows("value_date", rate_np, srate))

    # splits: rows sharing an id sit together and agree on everything but purpose and amount
    if raw.entry is not None:   # each row's entry given (a journal)
        same_as_prev = np.r_[False, raw.entry[1:] == raw.entry[:-1]][:n]
    else:
        same_as_prev = np.r_[False, _np(pc.equal(sid.slice(1), sid.slice(0, max(n - 1, 0))))] \
            & ~no_id
    in_split = same_as_prev | np.r_[same_as_prev[1:], False]
    # a split's part: the rows the splits table names (an entry of many rows
    # is split, whatever the reader says: a hand-made raw form too); the
    # split rules and the parts' sum read its columns
    if by_entry:   # each part worded at its own place, after the entries' rows
        splits = raw.splits
        p_row = _np(splits.column("entry")).astype(np.int64)   # each part's entry
        prow = n + np.arange(len(p_row), dtype=np.int64)   # (``_Problems`` knows their places)
    else:
        splits = _parts(raw.splits, in_split | raw.part, same_as_prev, col("purpose"),
                        col("amount"))
        prow = p_row = _np(splits.column("row")).astype(np.int64)
    places = n + len(prow) if by_entry else n

    def at_parts(mask):   # per part -> per place (a part's row, or its own place)
        out = np.zeros(places, dtype=bool)
        out[prow] = mask
        return out

    def either(rows, parts):   # a rule of the entries' rows and the parts' together
        out = at_parts(parts)
        out[:n] |= rows
        return out

    part = np.zeros(n, dtype=bool)   # per row: the entry has parts (or the row is one)
    part[p_row] = True
    whole_entry = ~part
    P.part = at_parts(True)

    # accounts: a part's purpose by the split rules
    P.rules(rr.account_rows("funder", col("funder")))
    spurpose = col("purpose")
    ppurpose = rr.composed_column(splits.column("purpose").combine_chunks())
    p_purpose = _AtParts(prow, ppurpose)
    for (mask, rule, values, _), (pmask, _, _, _) in zip(rr.account_rows("purpose", spurpose),
                                                         rr.account_rows("purpose", ppurpose)):
        if rule is rr.MISSING_FIELD:
            P.rule(mask & whole_entry, rule, field="purpose")
            P.rule(at_parts(pmask), rr.SPLIT_NO_PURPOSE, field="split", key="split.")
        else:
            P.rule(mask & whole_entry, rule, values, "purpose")
            P.rule(at_parts(pmask), rule, p_purpose, "split", named="split purpose",
                   key="split.purpose")
    P.rule(_purpose_twice(splits, prow, places), rr.SPLIT_PURPOSE_TWICE, p_purpose, "split",
           severity="warning", key="split.purpose")
    # a part's amount is worded only when it has a purpose (which its words name)
    p_named = ~blank(ppurpose)

    # amounts: plain positive decimals, read exactly (decimal128); a part's
    # from the splits table, worded in turn with the entries' (by row)
    raw_amt = col("amount")
    p_amt = splits.column("amount").combine_chunks()
    # the amounts as the file's rows hold them (a bulk entry of many rows: its
    # parts'), at their places
    row_place = P.in_file_order()
    row_amt, row_line = raw_amt, raw.line
    if P.by_row:
        row_amt = pa.concat_arrays([raw_amt, p_amt.cast(raw_amt.type)]).take(pa.array(row_place))
        row_line = P.lines[row_place]
    # a bulk file's amounts have one decimal mark, their own (a journal's are plain decimals)
    marks = decimal_mark(row_amt, rule=mark_rule, where=lambda i: (
        f"line {row_line[i]}: {row_amt[i].as_py()!r}")) if raw.origin != "journal" else None
    mark = marks.mark if marks is not None else POINT
    samt, ok_amt, too_precise, huge = _amount_text(raw_amt, mark)
    p_samt, p_ok, p_too_precise, p_huge = _amount_text(p_amt, mark)
    decided = "" if marks is None else decided_note(
        marks, lambda i: row_amt[i].as_py(), lambda i: f"line {row_line[i]}")
    if decided and marks is not None:   # ambiguous amounts read against the default: said once
        first = np.zeros(places, dtype=bool)
        first[row_place[int(np.argmax(marks.followed))]] = True
        P.add(first, f"amount: {decided}", severity="warning", code="decided-mark", field="amount")
    contrary = np.zeros(places, dtype=bool)   # per place
    if marks is not None and marks.contrary.any():
        contrary[row_place] = marks.contrary
        shown = marks.rule.shown if marks.example is None else \
            f"line {row_line[marks.example]}: {row_amt[marks.example].as_py()!r}"
        said = np.empty(places, dtype=object)
        # worded for the rows a message shows (a column may refuse all its rows)
        for r in np.flatnonzero(marks.contrary)[:raw.limit].tolist():
            said[row_place[r]] = contrary_number(row_amt[r].as_py(), marks, shown)
        P.add(contrary, "amount: {}", said, code="bad-amount", clip=False, field="amount")
    p_contrary = contrary[prow] if by_entry else contrary[p_row]
    contrary = contrary[:n]
    no_amt, p_no_amt = blank(raw_amt), blank(p_amt)
    P.rule(no_amt & whole_entry, rr.MISSING_FIELD, field="amount")
    P.rule(at_parts(p_no_amt & p_named), rr.SPLIT_NO_AMOUNT, p_purpose, "split", key="split.")
    p_negative = _np(pc.match_substring_regex(p_samt, _NEGATIVE))
    P.rule(at_parts(p_negative & p_named), rr.SPLIT_NOT_POSITIVE, p_purpose, "split",
           key="split.amount")
    amounts = _AtParts(prow, p_amt, raw_amt)
    P.rule(either(~no_amt & ~ok_amt & ~too_precise & whole_entry & ~contrary,
                  ~p_no_amt & ~p_ok & ~p_too_precise & ~p_negative & ~p_contrary),
           rr.NOT_PLAIN_AMOUNT, amounts, "amount", part_key="split.amount")
    P.rule(either(too_precise & whole_entry, p_too_precise), rr.AMOUNT_TOO_PRECISE,
           amounts, "amount", part_key="split.amount")
    # a journal's amount is read from its phrase: the messages name the phrase
    written = col("amount_text") if "amount_text" in names else raw_amt
    p_written = _AtParts(prow, splits.column("written").combine_chunks()
                         if "written" in splits.column_names else p_amt)
    P.rule(huge & whole_entry, rr.AMOUNT_TOO_BIG_RULE, written, "amount")
    P.rule(at_parts(p_huge & p_named), rr.SPLIT_TOO_BIG, (p_purpose, p_written), "split",
           key="split.amount")
    good = pc.if_else(pa.array(ok_amt & ~huge), samt, pa.scalar("0"))
    # a journal's split entry: the entry's own amount, which its parts must add up to
    stated_amount = col("entry_amount") if raw.origin == "journal" and "entry_amount" in names \
        else None
    if stated_amount is not None:
        # written with split tables, the entry still states its amount
        P.rule(part & ~same_as_prev & blank(stated_amount), rr.MISSING_FIELD, field="amount")
        # its places bounded as a whole entry's are (not read as no amount)
        s_too_precise = _amount_text(stated_amount, POINT)[2]
        P.rule(part & ~same_as_prev & s_too_precise, rr.AMOUNT_TOO_PRECISE, stated_amount,
               "amount")
        has_stated = _np(pc.match_substring_regex(stated_amount, _DECIMAL))
        stated_amount = pc.if_else(pa.array(has_stated), stated_amount, pa.scalar("0"))
    # exact decimals at the file's largest number of places (0 for whole amounts)
    p_good = pc.if_else(pa.array(p_ok & ~p_huge), p_samt, pa.scalar("0"))
    dec_type = pa.decimal128(38, max(decimal_places(a) for a in (
        good, p_good, *(() if stated_amount is None else (stated_amount,)))))
    dec = pc.cast(good, dec_type)
    p_dec = pc.cast(p_good, dec_type)
    zero = _np(pc.equal(dec, pa.scalar(Decimal(0), dec_type)))
    not_positive = ok_amt & ~huge & zero & whole_entry
    P.rule(not_positive, rr.AMOUNT_NOT_POSITIVE, _as_written(raw_amt, not_positive, tbl),
           "amount")
    p_zero = _np(pc.equal(p_dec, pa.scalar(Decimal(0), dec_type)))
    P.rule(at_parts(p_ok & ~p_huge & p_zero & p_named), rr.SPLIT_NOT_POSITIVE, p_purpose,
           "split", key="split.amount")
    # at most 16 whole digits and 9 places (_DECIMAL): the cast above is exact
    big = ok_amt & _np(pc.greater(dec, pa.scalar(MAX_AMOUNT, dec_type)))
    P.rule(big & whole_entry, rr.AMOUNT_TOO_BIG_RULE, written, "amount")
    p_big = p_ok & _np(pc.greater(p_dec, pa.scalar(MAX_AMOUNT, dec_type)))
    P.rule(at_parts(p_big & p_named), rr.SPLIT_TOO_BIG, (p_purpose, p_written), "split",
           key="split.amount")

    cur = pc.utf8_upper(col("currency"))
    P.rules(rr.currency_rows(cur, col("currency")))

    status = col("status", "pledged")
    P.rules(rr.choice_rows(rr.UNKNOWN_STATUS, status, STATUSES, "status"))
    if "phrase_qualifier" in names:   # a journal: the stated one against its phrase's
        qualifier = _qualifier_rows(P, col("qualifier"), col("phrase_qualifier"))
    else:
        qualifier = col("qualifier", "exact")
        P.rules(rr.choice_rows(rr.UNKNOWN_QUALIFIER, qualifier, QUALIFIERS, "qualifier"))

    period = _periods(col, names, date_np, P, n)

    first = ~same_as_prev
    if "tags" in names:   # each entry's list of tags as written
        _tag_rows(P, tbl.column("tags"), first)
    firsts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    conversions = _restated_rows(P, raw.restatements, cur, period["label"], qualifier,
                                 firsts, group) \
        if raw.restatements.num_rows else empty
    if restated is not None:
        restated.append(conversions)
    if "problem" in raw.citations.column_names:   # the bulk reader's citations cells
        raw = _citation_cells(P, raw, firsts, group)
    if raw.citations.num_rows:
        _citation_rows(P, raw, firsts, group)
    # the rules across entries: over the entries kept (``own_only``: those
    # with errors of their own left out, once, by masks; none named missing)
    live, live_first, live_firsts, live_group = None, first, firsts, group
    if own_only and P.bad.any():
        live = ~np.isin(group, group[P.bad])
        live_first = first & live
        live_firsts = np.flatnonzero(live_first)
        live_group = np.cumsum(live_first) - 1
        out_rows = firsts[~live[firsts]]
        rejected = [*rejected, *(i for i in _take(sid, out_rows) if i)]
    # ids and link targets hashed once by Arrow, together: code = position among
    # the distinct ids (the ids come first, so a target naming an id gets that
    # id's code, and a target naming no id a code past the ids)
    links = raw.links
    link_entry = _np(links.column("entry"))
    linked = np.zeros(len(firsts), dtype=bool)   # per entry: it links to another
    linked[link_entry] = True
    if live is not None:   # the links of the entries kept, numbered among them
        links = entries_of(links, live[firsts])
        link_entry = _np(links.column("entry"))
    targets = links.column("target").combine_chunks()
    both = pc.dictionary_encode(pa.concat_arrays([sid, targets]) if len(targets) else sid)
    all_codes = both.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    id_code = all_codes[:n]
    n_ids = int(id_code.max()) + 1 if n else 0
    first_row = np.full(n_ids, -1, dtype=np.int64)
    first_row[id_code[live_firsts][::-1]] = live_firsts[::-1]   # each id's first entry row
    # an id is taken by every entry, refused or not: the duplicate-id rule looks
    # at them all (each later entry with its first's row)
    taken = first_row
    if live is not None:
        taken = np.full(n_ids, -1, dtype=np.int64)
        taken[id_code[firsts][::-1]] = firsts[::-1]
    again = firsts[(taken[id_code[firsts]] != firsts) & ~no_id[firsts]]
    duplicates = list(zip(again.tolist(), taken[id_code[again]].tolist()))
    # the rows of one entry that differ where they must agree: the bulk
    # reader's finding (a journal's parts cannot differ)
    for c in PARTS_AGREE:
        if c in raw.differs:   # (per row: a bulk table of one row per entry has none)
            P.add(raw.differs[c], f"split row differs from the row before in {c!r}",
                  hint="rows sharing an id are the splits of one entry: only purpose and "
                       "amount may differ", code="split-row-differs", field=c)

    # amounts stay exact Arrow decimals (no Python object per row; the frame's
    # column gives Decimal objects on demand); a split entry's amount = the
    # sum of its parts (a journal's stated one: below)
    amount = dec
    entry_amount = amount
    p_entry = _np(splits.column("entry"))
    if part.any():   # the parts' sum, from the splits table
        import pandas as pd

        sums = pd.Series(_decimals(p_dec, np.arange(len(prow)))).groupby(p_entry).sum()
        entry_amount = pc.replace_with_mask(
            amount, pa.array(part),
            pa.array(sums.reindex(np.flatnonzero(part) if by_entry else p_entry)
                     .to_numpy(dtype=object), dec_type))
    split_sums: list = []   # (entry, sum of its parts) of the entries stating their amount
    if stated_amount is not None and has_stated.any():
        import pandas as pd

        on = np.flatnonzero(has_stated[p_row])
        sums = pd.Series(_decimals(p_dec, on)).groupby(p_entry[on]).sum()
        split_sums = list(zip(sums.index.tolist(), sums.tolist()))
        entry_amount = pc.if_else(pa.array(has_stated), pc.cast(stated_amount, dec_type), entry_amount)

    # links, packages, citations, duplicate ids: the rules of ledger.rules,
    # one entry at its first row
    primary = ~linked[group]
    loose = primary.copy()        # neither split nor linked: the duplicate rule's
    loose[part] = False
    uncounted = None
    if "tags" in names:   # a figure kept but not counted is counted once at most
        uncounted = not_counted_mask(tags_text(tbl.column("tags")).to_numpy(zero_copy_only=False))
        loose &= ~uncounted
    pledges = _pledge_codes(live_firsts, loose, (col("funder"), col("purpose"), col("recipient"),
                                                 amount, cur), date_np)
    accounts = raw.accounts
    if accounts is None and P.by_row:   # each row's names, in the file's order, as a row is read
        on = P.owner[row_place]
        accounts = _first_names(on, col("funder").take(pa.array(on)),
                                pa.concat_arrays([col("purpose"), ppurpose]).take(
                                    pa.array(row_place)),
                                None if live is None else live[on])
    across = raw
    if live is not None:   # the entries' own numbering among those kept
        kept_entry = live[firsts]
        moved = np.cumsum(kept_entry) - 1
        split_sums = [(int(moved[e]), v) for e, v in split_sums if kept_entry[e]]
        if accounts is not None:
            accounts = [(int(moved[e]), f, name) for e, f, name in accounts if kept_entry[e]]
        if raw.citations.num_rows:
            across = dataclasses.replace(raw, citations=entries_of(raw.citations, kept_entry))
    uncited = _uncited(raw.citations, len(firsts))
    P.extend(_across_entries(across, sid, live_firsts, live_group, live_first, first_row,
                             duplicates, cur, qualifier, entry_amount, link_entry, links,
                             all_codes, n_ids, uncited if live is None else uncited[live[firsts]],
                             documents, pledges,
                             _first_names(live_group, col("funder"), col("purpose"), live)
                             if accounts is None else accounts, rejected, split_sums,
                             period["label"], _starts(period["start"], date_np), uncounted),
             group if live is None else np.where(live, live_group, -1),
             drop=raw.origin != "journal")

    keep = None
    if P.bad.any():
        drop = P.bad | (np.isin(group, group[P.bad]) if raw.entry is not None
                        else np.isin(id_code, id_code[P.bad]))
        keep = ~drop
    # the frame is one row per entry and purpose: a form of one row per
    # entry is laid out so for it alone (each part's row its entry's, with
    # the part's purpose, amount and line)
    lay = lay_on = None
    if by_entry and len(prow):
        lay, _, lay_on = purpose_rows(n, np.bincount(p_row, minlength=n))
        if keep is not None:
            keep = keep[lay]
    if kept is not None:
        kept.append(keep)
    if not with_frame:
        pa.default_memory_pool().release_unused()
        return None, P.out
    import pandas as pd

    if lay is not None:
        lay_at = pa.array(lay)

        def laid(v):   # per entry -> per row of the frame
            return v.take(lay_at) if isinstance(v, (pa.Array, pa.ChunkedArray)) \
                else np.asarray(v)[lay]

        lines = np.asarray(lines, dtype=np.int64)[lay]
        lines[lay_on] = _np(splits.column("line"))
        files = raw.file if isinstance(raw.file, str) else raw.file.take(lay_at)
        at = lay.copy()   # a part's purpose and amount: the splits table's
        at[lay_on] = n + np.arange(len(prow), dtype=np.int64)
        at = pa.array(at)
        purposes = pa.concat_arrays([col("purpose"), ppurpose]).take(at)
        amounts = pa.concat_arrays([amount, p_dec]).take(at)
    else:
        def laid(v):
            return v

        files = raw.file
        # a part's purpose and amount from the splits table (the rows joined to
        # the parts they name): the Book counts what the split rules checked
        purposes, amounts = _joined_parts(prow, col("purpose"), ppurpose, amount, p_dec)
    # file:line: entry 'id', as Entry.where() words it
    sid_laid = laid(sid)
    where = pc.binary_join_element_wise(
        pa.scalar(fname) if isinstance(files, str) else files, ":",
        pc.cast(pa.array(lines), pa.string()), ": entry '", sid_laid, "'", "")
    # text columns go from Arrow to pandas without a round trip through Python
    # objects: the few-valued ones as Categoricals (sorted categories, one code
    # per row; ``rates.normalise`` then moves codes, not strings), the others as
    # pandas' Arrow-backed strings (the dtype entries_frame gives)
    text = pa.table({"id": sid_laid, "restated": laid(conversions), "where": where}).to_pandas()
    frame = pd.DataFrame({
        "id": text["id"],
        "date": laid(date_np),
        "funder": _category(laid(col("funder"))),
        "purpose": _category(purposes),
        "status": _category(laid(status)),
        "qualifier": _category(laid(qualifier)),
        "period": _category(laid(period["label"])),
        "primary": laid(primary),
        "amount": pd.arrays.ArrowExtensionArray(amounts),
        "currency": _category(laid(cur)),
        "entry_amount": pd.arrays.ArrowExtensionArray(laid(entry_amount)),
        "period_kind": _category(laid(period["kind"])),
        "years": laid(period["years"]),
        "start": laid(period["start"]),
        "end": laid(period["end"]),
        "fiscal_year": laid(period["fiscal_year"]),
        "restated": text["restated"],
        "where": text["where"],
        "value_date": laid(rate_np),
    }, copy=False)   # fresh arrays: not copied into consolidated blocks
    if keep is not None:
        frame = frame[keep].reset_index(drop=True)
    # give the checks' scratch memory back to the system now: left to Arrow's
    # allocator, it was returned (or not) while the caller's numpy work ran,
    # and normalise at 1M took 1.65 s or 2.35 s by luck (peak 1.2 or 1.5 GB);
    # released here, 1.9 s and 1.27 GB run after run
    pa.default_memory_pool().release_unused()
    return frame, P.out


def _one_array(column):
    """A column as one array: its chunk when it has one (Arrow's
    ``combine_chunks`` copies even that)."""
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def _joined_parts(prow, purpose, p_purpose, amount, p_amount):
    """Per row of the entries: the purpose and amount, a part's row taking
    its part's from the splits table (``prow``: each part's row)."""
    import pyarrow as pa

    if not len(prow):
        return purpose, amount
    at = pa.array(_part_positions(prow, len(purpose)))
    return (pa.concat_arrays([purpose, p_purpose]).take(at),
            pa.concat_arrays([amount, p_amount]).take(at))


def _part_positions(prow, n: int):
    """Where each of ``n`` rows takes its value from, in a row's column
    followed by the parts' (``prow``: each part's row): a part's row from
    its part's (``n`` + the part's index), another from its own."""
    import numpy as np

    at = np.arange(n, dtype=np.int64)
    at[prow] = n + np.arange(len(prow), dtype=np.int64)
    return at


def _parts(splits, part, same_as_prev, purpose, amount):
    """The splits table of the rows ``part``: the reader's when it names
    them all, else (a raw form made by hand: rows sharing an id) made from
    the rows' purpose and amount."""
    import numpy as np
    import pyarrow as pa

    rows = np.flatnonzero(part)
    if splits is not None and splits.num_rows == len(rows):
        return splits
    take = pa.array(rows, pa.int64())
    return split_table((np.cumsum(~same_as_prev) - 1)[rows], rows, purpose.take(take),
                       amount.take(take))


def _amount_text(text, mark: str):
    """Amounts as text read by the amount rules with the decimal ``mark``:
    (as plain decimals, a plain decimal, a plain number with too many places,
    more whole digits than any amount within bounds: refused before the
    cast, which wraps such a number silently, 39 nines read as negative)."""
    import pyarrow.compute as pc

    samt, ok = plain_amounts(text, mark)
    too_precise = _np(pc.match_substring_regex(samt, _ANY_DECIMAL)) & ~ok
    whole = pc.utf8_ltrim(samt, "+0")
    dot = pc.find_substring(whole, ".")
    huge = ok & _np(pc.greater(pc.if_else(pc.greater_equal(dot, 0), dot,
                                          pc.utf8_length(whole)), 16))
    return samt, ok, too_precise, huge


class _AtParts:
    """Values of the parts (a column of the splits table) where a rule
    words rows: a part's row takes its part's value, another row
    ``other``'s (a column per row)."""

    def __init__(self, rows, values, other=None):
        self.rows, self.values, self.other = rows, values, other

    def take(self, rows):
        import numpy as np

        n = int(max(rows.max(initial=-1), self.rows.max(initial=-1))) + 1
        k = _part_positions(self.rows, n)[rows] - n   # (as ``_joined_parts``)
        hit = k >= 0
        out = np.empty(len(rows), dtype=object)
        if hit.any():
            out[hit] = _take(self.values, k[hit])
        if (~hit).any():
            out[~hit] = _take(self.other, rows[~hit])
        return list(out)


def _purpose_twice(splits, prow, n: int):
    """Per place (of ``n``; ``prow``: each part's): a part naming the
    purpose an earlier part of its entry names (the splits table's entry
    and purpose, read as the account rules read names)."""
    import numpy as np
    import pyarrow.compute as pc

    out = np.zeros(n, dtype=bool)
    if splits is None or not splits.num_rows:
        return out
    purpose = rr.composed_column(splits.column("purpose"))
    codes = _np(pc.dictionary_encode(purpose).combine_chunks().indices).astype(np.int64)
    key = _np(splits.column("entry")).astype(np.int64) * (int(codes.max()) + 1) + codes
    again = np.ones(len(key), dtype=bool)
    again[np.unique(key, return_index=True)[1]] = False
    out[prow[again & ~_np(pc.equal(purpose, ""))]] = True
    return out


def _uncited(citations, n: int):
    """Per entry (of ``n``): it cites no document (the no-source rule's):
    no citation, or a lone one naming none (which the citation rule
    refuses)."""
    import numpy as np
    import pyarrow.compute as pc

    entry = _np(citations.column("entry"))
    count = np.bincount(entry, minlength=n)
    blank = np.bincount(entry[_np(pc.equal(citations.column("doc"), ""))], minlength=n)
    return (count == 0) | ((count == 1) & (blank == 1))


def _citation_cells(P, raw, firsts, group):
    """The citations cells the bulk reader could not read (its citations
    table's ``problem``), worded at their entry's first row, the entry
    refused; ``raw`` without them."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    c = raw.citations
    said = ~_np(pc.equal(c.column("problem"), ""))
    if said.any():
        messages = np.full(len(group), "", dtype=object)
        messages[firsts[_np(c.column("entry"))[said]]] = \
            c.column("problem").filter(pa.array(said)).to_pylist()
        P.add(messages != "", "{}", messages, clip=False, code="bad-citations",
              field="citations", hint='e.g. [{"doc": "report-2024", "quote": "£5 million", '
                                      '"locator": "p. 3"}]', spread=False)
    return dataclasses.replace(raw, citations=c.filter(pa.array(~said)).drop_columns(["problem"]))


def _citation_rows(P, raw, firsts, group) -> None:
    """The citation rule: each citation names a document (the bulk format's
    ``sources`` are document ids, an empty one between ';' no citation),
    worded at its entry's first row (a journal: at that citation's table,
    ``RawTables.key_line`` ``source.``); the entry is refused."""
    import numpy as np
    import pyarrow.compute as pc

    c = raw.citations
    none = _np(pc.equal(pc.utf8_trim(pc.fill_null(c.column("doc"), ""), PY_WHITESPACE), ""))
    if not none.any():
        return
    entry = _np(c.column("entry"))
    starts = np.searchsorted(entry, entry, side="left")   # each entry's first citation
    message, hint = rr.SOURCE_NEEDS_DOC.word()
    code = rr.SOURCE_NEEDS_DOC.code_for("source")
    for k in np.flatnonzero(none).tolist():
        e = int(entry[k])
        r = int(firsts[e])
        line = int(raw.line[r]) if raw.key_line is None else \
            raw.key_line(r, "source.", k - int(starts[k]))
        P.out.append(Problem(raw.file_of(r), line, str(P.ids[r]), message, hint,
                             code=code, field="source"))
        P.bad[group == e] = True


def _as_written(amounts, rows, tbl):
    """The amounts of ``rows`` as the file wrote them: a journal's TOML whole
    number as a number (its ``amount_whole`` column), not as text."""
    import numpy as np

    if "amount_whole" not in tbl.column_names or not rows.any():
        return amounts
    out = np.empty(len(rows), dtype=object)
    at = np.flatnonzero(rows)
    out[at] = _take(amounts, at)
    whole = at[_np(tbl.column("amount_whole"))[at]]
    out[whole] = [int(v) for v in out[whole]]
    return out


def _pledge_codes(firsts, loose, columns, date_np):
    """Each entry's key for the probable-duplicate rule (funder, purpose,
    recipient, amount, currency, date) as an integer code, -1 for a split or linked
    entry or one whose key no other entry has.  The columns are hashed into
    one 64-bit number per entry (dictionary codes, the day, the exact
    decimal's two 64-bit words); only entries whose hash repeats, few in
    practice, are then grouped by their exact key."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    take = pa.array(firsts, pa.int64())
    *texts, amount, cur = columns
    parts = []
    for c in (*texts, cur):
        parts.append(pc.fill_null(pc.dictionary_encode(c.take(take)).indices, -1)
                     .to_numpy(zero_copy_only=False).astype(np.int64))
    parts.append(np.asarray(date_np)[firsts].astype("datetime64[s]").view("i8"))
    amt = amount.take(take)
    if isinstance(amt, pa.ChunkedArray):
        amt = amt.combine_chunks()
    words = np.frombuffer(amt.buffers()[1], dtype=np.int64)[2 * amt.offset:
                                                            2 * (amt.offset + len(amt))]
    parts += [words[0::2].copy(), words[1::2].copy()]   # decimal128: exact, one scale
    h = np.full(len(firsts), 0xCBF29CE484222325, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for part in parts:
            h = (h ^ part.view(np.uint64)) * np.uint64(0x100000001B3)
    codes = np.full(len(firsts), -1, dtype=np.int64)
    ok = loose[firsts]
    hs = np.sort(h)
    again = hs[1:][hs[1:] == hs[:-1]]            # hashes that repeat: few
    exact: dict[tuple, int] = {}
    for i in np.flatnonzero(ok & np.isin(h, again)).tolist():
        codes[i] = exact.setdefault(tuple(int(part[i]) for part in parts), len(exact))
    return codes


def _across_entries(raw, sid, firsts, group, first, first_row, duplicate_rows, cur,
                    qualifier, entry_amount, link_entry, link_table, all_codes, n_ids,
                    no_src, documents, pledges=None, accounts=(), rejected=(), splits=(),
                    periods=None, starts=None, uncounted=None):
    """``ledger.rules.across_entries`` over the table's entries (each at its
    first row: ``firsts``, the entries kept), with Arrow's id index:
    (problems, entries with errors).  ``duplicate_rows``: (row, the row of
    the first entry with its id), of every entry: one left out (not in
    ``firsts``) is named by the duplicate-id rule only, numbered after the
    entries kept.  ``link_entry``, ``link_table``: the links of the entries
    kept (``RawTables.links``), each one's entry among them.  ``no_src``:
    per entry kept, it cites nothing.  ``starts``: each row's first day
    (``_starts``).  ``uncounted``: per row, tagged not counted."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(sid)
    kept = len(firsts)
    out = sorted({r for pair in duplicate_rows for r in pair if not first[r]})
    at_out = {r: kept + k for k, r in enumerate(out)}
    said_at = np.concatenate([firsts, np.asarray(out, dtype=np.int64)]) if out else firsts

    def entry(r):
        return int(group[r]) if first[r] else at_out[r]

    duplicates = [(entry(r), entry(f)) for r, f in duplicate_rows]
    ids = _Ids(sid.take(pa.array(said_at)))
    cur_c = _Coded(pc.dictionary_encode(cur.take(pa.array(firsts))))
    qual_c = _Coded(pc.dictionary_encode(qualifier.take(pa.array(firsts))))
    # link targets: each target's code among the distinct ids (the ids came
    # first in all_codes), then that id's first entry
    # (the links: in entry order, an entry's kinds in turn, as the raw form has them)
    links = list(zip(link_entry.tolist(), link_table.column("kind").to_pylist(),
                     link_table.column("target").to_pylist()))
    where_to = [int(group[first_row[c]]) if c < n_ids and first_row[c] >= 0
                else -1 for c in all_codes[n:].tolist()]   # -1: an id of no entry (kept)
    # the citations (the bulk format's have no quotes or locators): read
    # only when a rule reads them
    c = raw.citations
    quoted = "quote" in c.column_names
    citations = None
    if quoted or documents is not None:   # a null quote (a bulk entry's ``sources``
        # alone) is none stated, which the quote rule leaves alone (str(None) is not blank)
        citations = (_np(c.column("entry")).tolist(), c.column("doc").to_pylist(),
                     c.column("quote").to_pylist() if quoted else None)
    uncited = np.flatnonzero(no_src).tolist()
    # the amounts the package rule reads, as Decimals in one take
    involved = sorted({e for e, _, _ in links} | {t for t in where_to if t >= 0})
    amounts = dict(zip(involved, entry_amount.take(pa.array(firsts[involved] if involved
                                                            else [], pa.int64())).to_pylist()))
    return across_entries(
        n=kept, ids=ids,
        place=lambda i: (raw.file_of(said_at[i]), int(raw.line[said_at[i]])),
        currency=lambda i: cur_c[i], qualifier=lambda i: qual_c[i],
        amount=lambda i: amounts[i] if i in amounts else entry_amount[int(firsts[i])].as_py(),
        links=links,
        find=lambda _targets: where_to, duplicates=duplicates, citations=citations,
        uncited=uncited, documents=documents, pledges=pledges, apart=_apart(c),
        hints=raw.hints, check_quotes=quoted,
        accounts=accounts, limit=raw.limit, rejected=rejected, splits=splits,
        period=None if periods is None else lambda i: periods[firsts[i]],
        start=None if starts is None else lambda i: _day(starts[firsts[i]]),
        uncounted=() if uncounted is None else np.flatnonzero(uncounted[firsts]).tolist())


def _starts(start, date):
    """Each row's first day: its period's start, or its date (datetime64[D])."""
    import numpy as np

    s, d = np.asarray(start, "datetime64[D]"), np.asarray(date, "datetime64[D]")
    return np.where(np.isnat(s), d, s)


def _day(d) -> dt.date | None:
    """A datetime64[D] as a date; None for NaT."""
    import numpy as np

    return None if np.isnat(d) else d.item()


def _apart(citations):
    """``records_apart`` over the entries' citations (a Table of the raw
    form: entry, doc, locator), or None when they have no locators (the
    bulk format's sources)."""
    if "locator" not in citations.column_names:
        return None
    entry: list = []    # each citation's entry (sorted) and (document, locator),
    listed: list = []   # read at the first pair asked about

    def cites(i):
        if not listed:
            entry.extend(_np(citations.column("entry")).tolist())
            listed.extend(zip(citations.column("doc").to_pylist(),
                              citations.column("locator").to_pylist()))
        return listed[bisect.bisect_left(entry, i):bisect.bisect_right(entry, i)]

    return lambda i, j: records_apart(cites(i), cites(j))


def _first_names(group, funders, purposes, rows=None) -> list:
    """(entry, field, name) for each distinct funder and purpose at its first
    row (of ``rows``, a mask, when given), in entry order, for the
    look-alike rule; none when every name is ASCII and none another's but
    for case (the rule then has nothing to say)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if rows is not None:
        on = pa.array(rows)
        group, funders, purposes = group[rows], funders.filter(on), purposes.filter(on)

    out = []
    for field, values in (("funder", funders), ("purpose", purposes)):
        enc = pc.dictionary_encode(values)
        if none_alike(enc.dictionary):
            continue
        codes = _np(enc.indices)
        _, first = np.unique(codes, return_index=True)
        names = enc.dictionary.to_pylist()
        out += [(int(group[r]), field, names[codes[r]]) for r in first.tolist()]
    return sorted(out, key=lambda x: x[0])


def _category(arr):
    """An Arrow string column as a pandas Categorical with sorted categories."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    enc = pc.dictionary_encode(arr)
    order = pc.sort_indices(enc.dictionary).to_numpy(zero_copy_only=False)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = rank[enc.indices.to_numpy(zero_copy_only=False)] if len(order) else \
        np.zeros(len(arr), dtype=np.int64)
    cats = pd.Index(pd.array(enc.dictionary.take(pa.array(order)).to_pylist(), dtype="str"))
    return pd.Categorical.from_codes(codes, categories=cats)


def _iso_dates(text):
    """``YYYY-MM-DD`` text (Arrow) -> (datetime64[s] with NaT, valid mask);
    strict: 2015-02-30 is not a date (Arrow's strptime would roll it over)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    blank = pc.equal(text, "")
    try:   # Arrow's cast is strict (no 2015-02-30, no other shapes): the common case
        days = pc.cast(pc.if_else(blank, pa.scalar(None, pa.string()), text), pa.date32())
        out = days.to_numpy(zero_copy_only=False).astype("datetime64[s]")
        return out, ~_np(blank)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass   # some date is not YYYY-MM-DD: find which, as below
    shape = _np(pc.match_substring_regex(text, rr.ISO_DATE))
    safe = pc.if_else(pa.array(shape), text, pa.scalar("1970-01-01"))

    def part(a, b):
        return _np(pc.cast(pc.utf8_slice_codeunits(safe, a, b), pa.int64()))

    y, m, d = part(0, 4), part(5, 7), part(8, 10)
    ok = shape & (m >= 1) & (m <= 12) & (d >= 1)
    month = ((y - 1970) * 12 + np.clip(m, 1, 12) - 1).astype("datetime64[M]")
    first = month.astype("datetime64[D]")
    days_in = ((month + 1).astype("datetime64[D]") - first).astype(np.int64)
    ok &= d <= days_in
    out = (first + (d - 1).astype("timedelta64[D]")).astype("datetime64[s]")
    out[~ok] = np.datetime64("NaT")
    return out, ok


class _Coded:
    """A dictionary-encoded Arrow column read one value at a time (as Python
    lists: the rules across entries ask for a value per link)."""

    def __init__(self, enc):
        self.codes = enc.indices.to_numpy(zero_copy_only=False).tolist()
        self.values = enc.dictionary.to_pylist()

    def __getitem__(self, i):
        return self.values[self.codes[i]]


def _decimals(arr, rows):
    """Decimal objects for some rows of an Arrow decimal array."""
    import numpy as np
    import pyarrow as pa
    out = np.empty(len(rows), dtype=object)
    out[:] = arr.take(pa.array(np.asarray(rows, dtype=np.int64))).to_pylist()
    return out


def _periods(col, names, date_np, P, n):
    """period_kind / years / start / end / fiscal_year and the label
    (``Period.describe()``), from the period columns or from the phrases;
    each distinct period is parsed or described once."""
    import numpy as np
    import pandas as pd

    import pyarrow as pa


    def arrays(ps):
        return {"kind": np.array([p.kind for p in ps], dtype=object),
                "label": np.array([p.describe() for p in ps], dtype=object),
                "years": np.array([p.years for p in ps] + [None], dtype=object)[:-1],
                "start": np.array([p.start for p in ps] + [None], dtype=object)[:-1],
                "end": np.array([p.end for p in ps] + [None], dtype=object)[:-1],
                "fiscal_year": np.array([p.fiscal_year for p in ps] + [None], dtype=object)[:-1]}

    def from_phrases(phrases, dates):
        """The periods read from their phrases (each distinct phrase once)."""
        import pyarrow.compute as pc
        # " ".join(text.split()), in Arrow: the reader's whitespace, one space
        ws = "[" + PY_WHITESPACE + "]+"
        enc = pc.dictionary_encode(phrases)   # each distinct phrase once
        spaced = pc.utf8_trim(pc.replace_substring_regex(enc.dictionary, ws, " "), " ")
        same, uniq = pd.factorize(_np(spaced).astype(object))
        codes = same[enc.indices.to_numpy(zero_copy_only=False)]
        periods, need_date = [], np.zeros(len(uniq), dtype=bool)
        msg_of = np.full(len(uniq), "", dtype=object)
        for i, text in enumerate(uniq):
            try:
                periods.append(_period_of(text) if text else Period())
            except PeriodError as err:
                if "needs a start date" in str(err):
                    need_date[i] = True
                else:
                    msg_of[i] = str(err)
                periods.append(Period())
        out = _take_all(arrays(periods), codes)
        row_msg = msg_of[codes]
        rows = np.flatnonzero(need_date[codes])
        if len(rows):
            extra = []
            for r in rows:  # only phrases that give an end and no start
                d = dates[r]
                try:
                    extra.append(parse_period(uniq[codes[r]], on=None if np.isnat(d) else
                                              d.astype("datetime64[D]").item()))
                except PeriodError as err:
                    row_msg[r] = str(err)
                    extra.append(Period())
            x = arrays(extra)
            for k in out:
                v = out[k].to_numpy(zero_copy_only=False).astype(object) if k in _TEXT else out[k].copy()
                v[rows] = x[k]
                out[k] = pa.array(v, pa.string()) if k in _TEXT else v
        return out, row_msg

    # each row's period problem ("" for none): filled per distinct period, or per
    # row for phrases that need the entry's date; reported as one rule
    row_msg = np.full(n, "", dtype=object)
    row_col = np.full(n, "period", dtype=object)
    # a row with no period columns (an import's dataset writes the phrase
    # and leaves them empty) takes its period from the phrase
    phrased = np.zeros(n, dtype=bool)
    if "period_kind" in names and "period" in names:
        import pyarrow.compute as pc
        phrased = ~_np(pc.equal(col("period"), ""))
        for c in PERIOD_COLUMNS:
            phrased &= _np(pc.equal(col(c), ""))
    if "period_kind" in names and not (phrased.all() and n):
        import pyarrow.compute as pc
        enc = pc.dictionary_encode(pc.binary_join_element_wise(
            *[col(c) for c in PERIOD_COLUMNS], "\x1f"))   # one key per distinct period
        codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        u = len(enc.dictionary)
        rep = np.full(u, -1, dtype=np.int64)           # a row holding each distinct period
        rep[codes[::-1]] = np.arange(n - 1, -1, -1)
        per, slow = _period_columns([col(c).take(pa.array(rep)) for c in PERIOD_COLUMNS])
        msg_of = np.full(u, "", dtype=object)
        col_of = np.full(u, "period", dtype=object)   # the column a problem is in
        periods = []
        for i in np.flatnonzero(slow):   # anything unusual: one by one, as the journal does
            k, y, s, e, f = (col(c)[int(rep[i])].as_py() for c in PERIOD_COLUMNS)
            k = k or "one-off"
            try:
                col_of[i] = "period_kind"
                if k not in PERIOD_KINDS:
                    raise ValueError(f"unknown period kind {k!r} "
                                     f"(one of {', '.join(PERIOD_KINDS)})")
                col_of[i] = "years"
                years = bounded_number(y, "years", most=Decimal(10) ** 9) if y else None
                if years is not None and years <= 0:
                    raise ValueError(f"years {y!r} is not a positive number")
                col_of[i] = "start"
                start = dt.date.fromisoformat(s) if s else None
                col_of[i] = "end"
                end = dt.date.fromisoformat(e) if e else None
                if start and end and end < start:
                    raise ValueError(f"end {e} is before start {s}")
                col_of[i] = "fiscal_year"
                if k == "fiscal-year":
                    f = normalise_fiscal_year(f)
                col_of[i] = "period"
                periods.append(Period(k, years=years, start=start, end=end, fiscal_year=f or None))
            except Exception as err:
                msg_of[i] = str(err).replace("Invalid isoformat string", "not a valid date")
                periods.append(Period())
        if periods:
            x = arrays(periods)
            for key in per:
                per[key][slow] = (x[key].astype("datetime64[s]") if key in ("start", "end")
                                  else x[key])
        out = _take_all(per, codes)
        row_msg = msg_of[codes]
        row_col = col_of[codes]
        rows = np.flatnonzero(phrased)
        if len(rows):   # some rows phrased, some with columns: theirs spliced in
            sub, sub_msg = from_phrases(col("period").take(pa.array(rows)), date_np[rows])
            for k in out:
                v = (out[k].to_numpy(zero_copy_only=False).astype(object) if k in _TEXT
                     else out[k].copy())
                v[rows] = (sub[k].to_numpy(zero_copy_only=False).astype(object)
                           if k in _TEXT else sub[k])
                out[k] = pa.array(v, pa.string()) if k in _TEXT else v
            row_msg[rows] = sub_msg
            row_col[rows] = "period"
    else:
        # a start column beside the phrases (no period_kind): each phrase's
        # period from that day, as the columns would give it (a phrase that
        # ends and does not say its start is read from it too)
        given = _start_column(col, names, P)
        out, row_msg = from_phrases(col("period"), date_np if given is None else
                                    np.where(np.isnat(given), date_np, given))
        if given is not None:
            _phrase_starts(out, given, row_msg, date_np, P)
    P.add(row_msg != "", "period: {}", row_msg, code=rr.BAD_PERIOD.code, clip=False,
          field="period")
    if isinstance(P, _RowWords):   # an import's reject names the column at fault
        P.in_columns(row_msg, row_col)
    for c in ("start", "end"):
        if out[c].dtype == object:
            out[c] = pd.to_datetime(pd.Series(out[c], dtype=object)).to_numpy().astype(
                "datetime64[s]")
    if "period_kind" in names and "period" in names and not phrased.all():
        _period_text_rows(P, col("period"), out, ~phrased & (row_msg == ""), date_np,
                          from_phrases)
    _period_bounds(out, P, date_np)
    return out


class _RowWords:
    """``_Problems`` for a reader that words its rows itself: each row's
    first error as (field, message)."""

    def __init__(self, n: int):
        self.said: list[tuple[str, str]] = [("", "")] * n
        self.raw = dataclasses.make_dataclass("Raw", [("limit", Any, None),
                                                      ("period_from", Any, None)])()

    def add(self, mask, message: str, values=None, hint: str = "", severity: str = "error",
            code: str = "", clip: bool = True, field: str = "", spread: bool = True) -> None:
        import numpy as np

        if severity != "error":
            return
        for r in np.flatnonzero(_np(mask)).tolist():
            v = values[r] if values is not None else None
            text = message.format(rr.clip(v) if clip and isinstance(v, str) else v) \
                if values is not None else message
            if not self.said[r][1]:
                self.said[r] = (field, text)

    def in_columns(self, messages, columns) -> None:
        """The period problems said just now, each in its own column."""
        for r, (field, text) in enumerate(self.said):
            if field == "period" and messages[r] and text == f"period: {messages[r]}":
                self.said[r] = (columns[r], text)

    def rule(self, mask, rule, values=None, field: str = "") -> None:
        import numpy as np

        for r in np.flatnonzero(_np(mask)).tolist():
            if not self.said[r][1]:
                self.said[r] = (field, rule.word(values[r] if values is not None else "",
                                                 field)[0])


def bulk_periods(columns: dict[str, list[str]], dates: list[dt.date | None]
                 ) -> tuple[list[str], list[tuple[str, str]]]:
    """Each row's period as ``check`` reads a bulk file's period columns
    (``period_kind``, ``years``, ``start``, ``end``, ``fiscal_year``, and a
    ``period`` text beside them), in ``Period.describe``'s words, and its
    first problem as (column, message) (("", "") for none): the one reader
    of those columns, for an import that writes the periods as journal
    text.  ``columns``: name -> each row's cell text; ``dates``: each row's
    date (None: none)."""
    import numpy as np
    import pyarrow as pa

    n = len(dates)
    names = [c for c in columns if c in BULK_COLUMNS]

    def col(c, default=""):
        return pa.array([str(v).strip() for v in columns[c]] if c in columns else [""] * n,
                        pa.string())
    date_np = np.array([np.datetime64(d, "s") if d else np.datetime64("NaT") for d in dates],
                       dtype="datetime64[s]")
    words = _RowWords(n)
    out = _periods(col, names, date_np, words, n)
    label = out["label"]
    label = label.to_pylist() if hasattr(label, "to_pylist") else list(label)
    return [str(x or "") for x in label], words.said


def _start_column(col, names, P):
    """A bulk file's ``start`` column read without ``period_kind``: each
    row's day (datetime64[s], NaT when empty or not a date, said); None
    without the column.  The other period columns need ``period_kind``:
    a value in one is said, not dropped."""
    import numpy as np
    import pyarrow.compute as pc

    for c in ("years", "end", "fiscal_year"):
        if c in names:
            text = col(c)
            has = ~_np(pc.equal(pc.utf8_trim_whitespace(text), ""))
            P.add(has, f"{c}: {{!r}} is read only with a period_kind column: give the "
                       f"period in words in 'period' or add period_kind", text.to_pylist(),
                  code=rr.BAD_PERIOD.code, field=c)
    if "start" not in names:
        return None
    text = pc.utf8_trim_whitespace(col("start"))
    day, ok = _iso_dates(text)
    bad = ~_np(pc.equal(text, "")) & ~(ok & ~np.isnat(day))
    P.add(bad, "start: {!r} is not a date (YYYY-MM-DD)", text.to_pylist(),
          code=rr.BAD_PERIOD.code, field="start")
    return np.where(bad, np.datetime64("NaT"), day).astype("datetime64[s]")


def _phrase_starts(out, given, row_msg, dates, P) -> None:
    """The ``start`` column's day (``given``) into the periods read from the
    phrases (``out``, still per row): a length or a rate with no start of its
    own starts there ("per year for 52 weeks" from 2016-01-01 counts 2016's
    days, and is labelled "... from 2016-01-01" so that a listing keeps it);
    a one-off is paid there ("one-off from DAY"), as with period_kind; a
    start the phrase says otherwise or a fiscal year is refused, not dropped."""
    import numpy as np
    import pyarrow as pa

    rows = np.flatnonzero(~np.isnat(given) & (row_msg == ""))
    if not len(rows):
        return
    kind = out["kind"].to_pylist()
    label = out["label"].to_pylist()
    start, end = out["start"], out["end"]
    why = np.full(len(given), "", dtype=object)
    for r in rows:
        day = given[r].astype("datetime64[D]").item()
        k, lab = kind[r], label[r]
        if start[r] is not None:
            if start[r] != day:
                why[r] = f"{day} contradicts the period {lab!r}"
        elif k == FISCAL_YEAR:
            why[r] = f"{day} does not go with the period {lab!r}: leave it empty"
        elif end[r] is not None and end[r] < day:
            why[r] = f"{day} is after the end of the period {lab!r}"
        else:
            start[r] = day
            label[r] = f"{lab} from {day}"
    out["label"] = pa.array(label, pa.string())
    P.add(why != "", "start: {}", why, code=rr.BAD_PERIOD.code, clip=False, field="start")


def _period_text_rows(P, text, out, given, dates, from_phrases) -> None:
    """A bulk row's ``period`` text beside its period columns (``out``,
    read from them; ``given``: the rows whose columns were read) must say
    the columns' period, as a journal's stated period must restate its
    amount phrase's: the same kind, and whatever the text states (years,
    start, end, fiscal year) the columns' value.  A text that is not a
    period phrase stays a label.  Texts written as the columns' label (an
    export's) agree at once; the others are read once each."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    spaced = pc.utf8_trim(pc.replace_substring_regex(text, "[" + PY_WHITESPACE + "]+", " "), " ")
    label = out["label"]
    same = _np(pc.equal(spaced, label)) | _np(pc.equal(   # "over from A to B": earlier exports
        pc.binary_join_element_wise("over ", label, ""), spaced))
    rows = np.flatnonzero(given & ~same & _np(pc.not_equal(spaced, "")))
    if not len(rows):
        return
    read, why = from_phrases(text.take(pa.array(rows)), dates[rows])

    def days(values):
        return pd.to_datetime(pd.Series(list(values), dtype=object)).to_numpy().astype(
            "datetime64[D]")

    agree = _np(read["kind"]) == _np(out["kind"].take(pa.array(rows)))
    for k in ("years", "fiscal_year"):
        mine, theirs = read[k], np.asarray(out[k], dtype=object)[rows]
        agree &= np.array([m is None or m == t for m, t in zip(mine, theirs)], dtype=bool)
    for k in ("start", "end"):
        mine, theirs = days(read[k]), days(out[k][rows])
        agree &= np.isnat(mine) | (mine == theirs)
    # a text that says the columns' length in months, weeks or days: its
    # words, which keep the unit (the columns hold the length in years)
    words = read["label"]
    words = np.array(words.to_pylist() if hasattr(words, "to_pylist") else list(words),
                     dtype=object)
    said = (why == "") & agree & np.array([bool(length_in_words(str(t or ""))) for t in words],
                                           dtype=bool)
    if said.any():
        v = np.array(label.to_pylist() if hasattr(label, "to_pylist") else list(label),
                     dtype=object)
        # the columns' start, when the words do not say it: a listing of the
        # label must keep it ("per year for 52 weeks" from 2016-01-01)
        start = days(out["start"][rows])
        own = np.isnat(days(read["start"])) & ~np.isnat(start)
        words = np.array([f"{w} from {d}" if o else w
                          for w, o, d in zip(words, own, start.astype(object))], dtype=object)
        v[rows[said]] = words[said]
        out["label"] = pa.array(v, pa.string())
    wrong = rows[(why == "") & ~agree]   # a text that is no period: a label
    if not len(wrong):
        return
    mask = np.zeros(len(given), dtype=bool)
    mask[wrong] = True
    words = np.empty(len(given), dtype=object)
    shown = text.take(pa.array(wrong)).to_pylist()
    words[wrong] = [f"period {rr.clip(t)!r} contradicts the period columns ({lab})"
                    for t, lab in zip(shown, label.take(pa.array(wrong)).to_pylist())]
    P.add(mask, "{}", words, code=rr.PERIOD_CONTRADICTS.code, clip=False, field="period",
          hint="a row gives its period as text or in the columns period_kind, years, start, "
               "end, fiscal_year: when both, they must say the same period")


# a period phrase read once per process: a process may read a journal more
# than once (add, import), with the same few thousand distinct phrases
_period_of = functools.lru_cache(maxsize=1 << 16)(parse_period)


def _period_bounds(out, P, dates) -> None:
    """ledger.limits on the period columns: start and end within the years,
    at most MAX_YEARS long, a period of N years from its start or the entry's
    date (``dates``) ending by LAST_YEAR (wording as
    ``ledger.limits.period_problem``)."""
    import numpy as np
    import pandas as pd


    years = pd.to_numeric(pd.Series(out["years"], dtype=object), errors="coerce").to_numpy(float)
    start, end = out["start"], out["end"]
    y0 = start.astype("datetime64[Y]").astype(np.int64) + 1970
    y1 = end.astype("datetime64[Y]").astype(np.int64) + 1970
    # the span counts only when no number of years is given (as period_problem)
    days = (end - start).astype("timedelta64[D]")
    span = np.where(np.isnat(days) | ~np.isnan(years), np.nan,
                    span_in_years(days.astype(np.int64).astype(float)))
    bad = ((years > float(MAX_YEARS)) | (~np.isnat(start) & ((y0 < FIRST_YEAR) | (y0 > LAST_YEAR)))
           | (~np.isnat(end) & ((y1 < FIRST_YEAR) | (y1 > LAST_YEAR))) | (span > float(MAX_YEARS)))
    # N years from the start (or the entry's date) may run past the last year:
    # the few rows that might, by whole years, are told exactly below
    first_year = np.where(np.isnat(start), dates.astype("datetime64[Y]").astype(np.int64) + 1970,
                          y0)
    late = ~bad & np.isnat(end) & ~np.isnan(years) & (first_year <= LAST_YEAR) & (
        first_year + np.ceil(np.nan_to_num(years)) > LAST_YEAR)
    fy = out.get("fiscal_year")
    if fy is not None:
        fyy = pd.to_numeric(pd.Series(_np(fy), dtype=object).str[:4], errors="coerce").to_numpy(float)
        bad |= (fyy < FIRST_YEAR) | (fyy > LAST_YEAR)

    # a length said in months, weeks or days keeps its unit in the label's
    # words ("over 1.5 days"): each distinct label read once
    said_as: list[dict] = []       # each distinct label's length and unit, if in words
    labels = out.get("label")
    part_day = np.zeros(len(years), dtype=bool)
    if labels is not None:
        codes, uniq = pd.factorize(np.asarray(
            labels.to_pylist() if hasattr(labels, "to_pylist") else list(labels), dtype=object))
        said_as = [length_in_words(str(t)) for t in uniq]
        part = np.array([bool(g) and g["unit"] in ("day", "week") and bool(
            g["length"] * (7 if g["unit"] == "week" else 1) % 1) for g in said_as] + [False])
        part_day = part[codes]       # code -1 (no label): the appended False

    def why_not(r):
        s_, e_ = start[r], end[r]
        f_ = _np(fy)[r] if fy is not None else None
        y_ = out["years"][r]
        unit = said_as[codes[r]] if labels is not None and codes[r] >= 0 else {}
        return period_problem(Period(
            str(out["kind"][r]) if "kind" in out else "one-off",
            years=None if y_ is None or y_ == "" else Decimal(str(y_)), fiscal_year=f_ or None,
            start=None if np.isnat(s_) else s_.astype("datetime64[D]").item(),
            end=None if np.isnat(e_) else e_.astype("datetime64[D]").item(), **unit),
            None if np.isnat(dates[r]) else dates[r].astype("datetime64[D]").item())
    # under a day (period_end: a fraction of a year rounds to whole days), or
    # a part of a day said in days or weeks: the few rows told exactly below
    short = ~bad & np.isnat(end) & ((years * 365 < 0.51) | part_day)
    for r in np.flatnonzero(late | short).tolist():
        bad[r] = bool(why_not(r))
    rows = np.flatnonzero(bad)
    if not len(rows):
        return
    limit = P.raw.limit
    shown = rows[:limit] if limit is not None else rows   # only the rows a message shows are worded
    why = np.empty(len(shown), dtype=object)
    for i, r in enumerate(shown):
        why[i] = why_not(r)
    mask = np.zeros(len(bad), dtype=bool)
    mask[rows] = True
    full = np.empty(len(bad), dtype=object)
    full[shown] = why
    phrase = P.raw.period_from
    if phrase is None:
        P.rule(mask, rr.PERIOD_RANGE, full, "period")
        return
    for r in rows.tolist():   # a journal's entries, in turn: the amount's period or the stated one
        one = np.zeros(len(bad), dtype=bool)
        one[r] = True
        P.rule(one, rr.PERIOD_RANGE, full, "amount" if phrase[r] else "period")


def _qualifier_rows(P, stated, phrase):
    """A journal's qualifiers by ``ledger.rules.rows.qualifier_of``, once
    per distinct pair of the stated one ('' when none) and its amount
    phrase's; each row breaking it worded (the stated value and the
    phrase's)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    pairs = pc.dictionary_encode(pc.binary_join_element_wise(stated, phrase, "\x1f"))
    both = [p.split("\x1f") for p in pairs.dictionary.to_pylist()]
    found = [rr.qualifier_of(*p) for p in both]
    codes = _np(pairs.indices)
    for rule in {r for _, r in found if r is not None}:
        words = np.array([rule.word(s, "qualifier", phrase=f)[0] if r is rule else ""
                          for (s, f), (_, r) in zip(both, found)] + [""], dtype=object)
        P.rule(words[codes] != "", None, words[codes], "qualifier", message="{}",
               hint=rule.word("", "qualifier", phrase="")[1], code=rule.code, clip=False)
    return pa.array([q for q, _ in found], pa.string()).take(pairs.indices)


def _tags_cells(c):
    """A bulk file's tags column as ``text_column`` reads it, but as
    written, not trimmed: each tag is trimmed of its padding where it is
    read (``ledger.rules.rows.tags_text``), and quoted as written by the tag
    rule, which refuses a control character at a cell's ends as within it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_timestamp(c.type) or pa.types.is_date(c.type):
        return text_column(c)
    c = pc.cast(c, pa.string()).combine_chunks()
    return pc.fill_null(c, "") if c.null_count else c


def _tag_rows(P, tags, first) -> None:
    """Each entry's tags (the raw form's lists of tags as written; text
    separated by ';' in a raw form made by hand), at its first row, by the
    tag rule of ``ledger.rules.rows``, a tag quoted as written."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    tags = tags.combine_chunks() if isinstance(tags, pa.ChunkedArray) else tags
    if not pa.types.is_list(tags.type):
        tags = pc.split_pattern(tags, ";")
    flat = rr.composed_column(pc.list_flatten(tags))
    odd = _np(pc.fill_null(pc.match_substring_regex(flat, f"[{CONTROL_CHARS};]"), False))
    if not odd.any():
        return
    parent = _np(pc.list_parent_indices(tags))
    values = flat.to_pylist()
    for i in np.flatnonzero(odd & first[parent]).tolist():
        one = np.zeros(len(first), dtype=bool)
        one[parent[i]] = True
        rule = rr.tag_rule(values[i])
        if rule is not None:
            P.rule(one, rule, np.array([values[i]] * len(first), dtype=object), "tags",
                   spread=False)


def _restated_rows(P, restatements, cur, period, qualifier, firsts, group):
    """Each entry's conversions (``RawTables.restatements``: its phrases as
    written), at its first row (``firsts``), by the rule every reader runs
    (``ledger.rules.rows.read_restated``), each distinct list of phrases and
    currency once.  Returns them per row (``group``: each row's entry) as
    text, ``EUR 15000000; USD 19000000`` ('' when none, or when the rule
    refuses one)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    entry = _np(restatements.column("entry"))
    text = np.full(len(firsts), "", dtype=object)
    phrase = restatements.column("phrase").combine_chunks()
    has, starts, counts = np.unique(entry, return_index=True, return_counts=True)   # in entry order
    lists = pa.ListArray.from_arrays(pa.array(np.r_[starts, len(entry)].astype(np.int32)),
                                     pc.fill_null(phrase, "\x00\x1d"))   # a phrase of another type
    own = cur.take(pa.array(firsts[has]))
    if not isinstance(period, (pa.Array, pa.ChunkedArray)):
        period = pa.array(period, pa.string())
    # each entry's period (Period.describe's words); "\x00": not known (an
    # entry already refused, e.g. its amount unread), so not checked against
    periods = pc.if_else(pa.array(P.bad[firsts[has]]), "\x00",
                         pc.fill_null(period.take(pa.array(firsts[has])), ""))
    # each entry's qualifier; "\x00": an unknown one (its own rule says so)
    if isinstance(qualifier, pa.ChunkedArray):
        qualifier = qualifier.combine_chunks()
    qual = pc.fill_null(qualifier.take(pa.array(firsts[has])), "exact")
    qual = pc.if_else(pc.is_in(qual, pa.array(sorted(QUALIFIERS))), qual, "\x00")
    # an entry whose phrases hold a separator of the key (or the null's
    # stand-in) is keyed alone, so no two different lists share a key
    odd = pc.fill_null(pc.match_substring_regex(phrase, "[\x00\x1c-\x1f]"), False)
    alone = np.isin(has, entry[_np(odd)])
    solo = np.where(alone, np.char.add("\x1c", np.arange(len(has)).astype(str)), "")
    keys = pc.dictionary_encode(pc.binary_join_element_wise(pc.binary_join(lists, "\x1f"), own,
                                                            periods, qual,
                                                            pa.array(solo, pa.string()),
                                                            "\x1e"))
    codes = _np(keys.indices)
    rep = np.full(len(keys.dictionary), -1, dtype=np.int64)   # each key's first entry (of ``has``)
    rep[codes[::-1]] = np.arange(len(codes))[::-1]
    said = np.empty(len(rep), dtype=object)
    broken: dict = {}   # (message, hint, code) -> rows
    for k, i in enumerate(rep.tolist()):
        stated, q = periods[i].as_py(), qual[i].as_py()
        money, found = rr.read_restated(phrase.slice(starts[i], counts[i]).to_pylist(),
                                        own[i].as_py(), None if stated == "\x00" else stated,
                                        None if q == "\x00" else q)
        said[k] = "" if found else rr.restated_text(money)
        for problem in found:
            broken.setdefault(problem, []).append(firsts[has[codes == k]])
    _restated_said(P, {k: np.concatenate(v) for k, v in broken.items()}, len(group))
    text[has] = said[codes]
    return pa.array(text[group], pa.string())


def _restated_said(P, broken: dict, n: int) -> None:
    """Each conversion problem ((message, hint, code) -> rows) at its rows."""
    import numpy as np

    for (message, hint, code), at in broken.items():
        mask = np.zeros(n, dtype=bool)
        mask[at] = True
        P.rule(mask, None, None, "restated", message=message, hint=hint, code=code, clip=False,
               spread=False)


def _period_columns(cols):
    """The distinct periods given as columns (kind, years, start, end,
    fiscal_year; Arrow strings, one per distinct period), worked out column-wise:
    the arrays of ``_periods`` (label as ``Period.describe()`` words it) and a
    mask of the periods left to the one-by-one path (anything unusual, and
    every error)."""
    import numpy as np


    K, Y, S, E, F = cols
    kind = _np(K).astype(object)
    kind[kind == ""] = "one-off"
    slow = ~np.isin(kind, PERIOD_KINDS)
    # years: few distinct values, each read once
    ycodes, yuniq = _codes(Y)
    yval = np.empty(len(yuniq), dtype=object)
    ytxt = np.empty(len(yuniq), dtype=object)
    ybad = np.zeros(len(yuniq), dtype=bool)
    for i, t in enumerate(yuniq):
        if not t:
            continue
        try:   # bounded first: "1E+999999999999" years ran out of memory
            d = bounded_number(t, "years", most=Decimal(10) ** 9)
            ok = d > 0
        except NumberError:
            ok = False
        if ok:
            yval[i] = d
            ytxt[i] = f"{plain_decimal(d)} {'year' if d == 1 else 'years'}"
        else:
            ybad[i] = True
    years = yval[ycodes]
    slow |= ybad[ycodes]
    # dates: strict YYYY-MM-DD (year 1 or later, as datetime.date), else one by one
    s_txt, e_txt = _np(S).astype(object), _np(E).astype(object)
    start, s_ok = _iso_dates(S)
    end, e_ok = _iso_dates(E)
    has_s, has_e = s_txt != "", e_txt != ""
    year1 = np.datetime64("0001-01-01", "s")
    slow |= has_s & ~(s_ok & (start >= year1))
    slow |= has_e & ~(e_ok & (end >= year1))
    slow |= has_s & has_e & ~slow & (end < start)
    # fiscal years: few distinct labels, each normalised once
    f_txt = _np(F).astype(object)
    fiscal = kind == "fiscal-year"
    fcodes, funiq = _codes(F)
    fnorm = np.empty(len(funiq), dtype=object)
    fbad = np.zeros(len(funiq), dtype=bool)
    for i, t in enumerate(funiq):
        try:
            fnorm[i] = normalise_fiscal_year(t)
        except (PeriodError, TypeError, ValueError):
            fbad[i] = True
    slow |= fiscal & fbad[fcodes]
    fiscal_year = np.where(fiscal, fnorm[fcodes], np.where(f_txt == "", None, f_txt))
    # the label, as Period.describe() words it
    per_year = kind == "per-year"
    frm = np.where(has_s, " from " + s_txt, "").astype(object)
    has_y = np.array([v is not None for v in yval], dtype=bool)[ycodes]
    yt = np.where(has_y, ytxt[ycodes], "").astype(object)
    label = np.where(per_year, "per year" + frm, "over").astype(object)
    label = np.where(has_y, np.where(per_year, "per year for ", "over ").astype(object) + yt + frm,
                     label)
    label = np.where(has_s & has_e, np.where(per_year, "per year from ", "from ").astype(object)
                     + s_txt + " to " + e_txt, label)
    fy_ok = fiscal & ~fbad[fcodes]
    label = np.where(fy_ok, "fiscal year " + np.where(fy_ok, fiscal_year, "").astype(object),
                     label)
    label = np.where(kind == "one-off", "one-off" + frm, label)   # paid on its start
    years = np.where(has_y, years, None)
    nat = np.datetime64("NaT")
    return {"kind": kind, "label": label.astype(object), "years": years.astype(object),
            "start": np.where(has_s & s_ok, start, nat).astype("datetime64[s]"),
            "end": np.where(has_e & e_ok, end, nat).astype("datetime64[s]"),
            "fiscal_year": fiscal_year.astype(object)}, slow


def _codes(arr):
    """Arrow strings -> (codes into the distinct values, the distinct values)."""
    import numpy as np
    import pyarrow.compute as pc
    enc = pc.dictionary_encode(arr)
    return (enc.indices.to_numpy(zero_copy_only=False).astype(np.int64),
            np.array(enc.dictionary.to_pylist() + [None], dtype=object)[:-1])


_TEXT = ("kind", "label")


def _take_all(per_unique: dict, codes):
    """Per-unique columns spread to the rows; text columns as Arrow strings."""
    import pyarrow as pa

    out = {}
    for k, v in per_unique.items():
        if k in _TEXT:
            out[k] = pa.array(v, pa.string()).take(pa.array(codes))
        else:
            out[k] = v[codes]
    return out
