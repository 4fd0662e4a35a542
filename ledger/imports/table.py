"""Spreadsheets (CSV, XLSX) → journal entries.

``import_table(path, ...)`` reads a table of pledges, maps its columns to
journal fields (common header names work without a mapping file), turns each
row into an ``[[entry]]`` table and checks the rows with the existing ledger
by the one rule engine (``ledger.imports.rows``: the raw form, checked by
``ledger.read.table.check_raw``), so the rules live in one place.  Every row
either becomes an entry or a reject with its row number, column and reason;
nothing is dropped silently.  See docs/interop.md.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ledger.book import Book
from ledger.errors import LedgerError
from ledger.model import FISCAL_YEAR, LINK_KINDS, ROW, Document, Problem, is_slug, said
from ledger.phrases.period import PeriodError, parse_period
from ledger.read.table import PERIOD_COLUMNS, bulk_periods
from ledger.rules.options import OptionError, fiscal_start
from ledger.rules.rows import ENTRY_FIELDS, SOURCE_FIELDS, TAG_SPACE, clip
from ledger.rules.rows import suggest as _suggest
import csv
import io
import sys
import zipfile
from ledger.imports.cells import cell_citations, unguard
from ledger.imports.identity import Figures, Same, duplicate_message, more_rows_message, same_figures
from ledger.imports.problem import import_problem
from ledger.imports.rows import EntryRow, check_records, ledger_entries
from ledger.limits import MAX_CELLS, MAX_COLUMNS, NumberError, bounded_number, foreign_digits
from ledger.phrases.money import (COMMA, POINT, MoneyError, contrary_number, decided_note,
                                  decimal_mark, parse_amount, phrase_numbers, read_number, with_point)
from ledger.safe_io import check_zip, load_toml, read_bytes
from ledger.writer import entry_table, render

# journal field -> header names understood without a mapping (compared after
# lower-casing and turning punctuation into spaces); first match wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "entry id", "entry", "ref", "reference", "slug"),
    "date": ("date", "date announced", "announced", "announced on", "announcement date",
             "date of announcement", "decision date", "date decided", "pledge date"),
    "funder": ("funder", "donor", "funded by", "funding body", "funder account"),
    "purpose": ("purpose", "purpose account", "for", "project", "programme", "program"),
    # "amount_text" (the export's as-written amount) is preferred to "amount"
    "amount": ("amount text", "amount as written", "as written", "amount", "value pledged",
               "pledge", "pledged", "figure", "sum"),
    "currency": ("currency", "ccy", "currency code"),
    "qualifier": ("qualifier",),
    "period": ("period", "duration", "timeframe", "time frame"),
    "status": ("status", "stage"),
    "doc": ("doc", "source", "source doc", "source document", "document", "document id",
            "source id", "source url", "url", "link"),
    "quote": ("quote", "source quote", "citation", "excerpt", "verbatim"),
    "locator": ("locator", "source locator"),
    "restated": ("restated", "restated as", "also stated as"),
    "value_date": ("value date",),
    "disburses": ("disburses",),
    "part_of": ("part of", "package"),
    "restates": ("restates",),
    "recipient": ("recipient", "beneficiary"),
    "location": ("location", "place"),
    "tags": ("tags", "tag", "keywords"),
    "notes": ("notes", "note", "comments", "comment", "remarks", "description"),
    # only used to regroup the rows of a split entry (the export writes one
    # row per purpose with the entry's whole amount here)
    "entry_amount": ("entry amount",),
    # document ids separated by ";", as the bulk format (check NAME.csv) and
    # `list --format csv` write them
    "sources": ("sources",),
    # KIND=ID separated by ";", as `list --format csv` writes an entry's links
    "links": ("links",),
}
REQUIRED = ("date", "funder", "amount")
# columns of ledger-tool's own CSV export that are derived, not journal fields
DERIVED = {"primary", "value", "report currency", "rate", "rate date", "rate source",
           "original value", "value minor", "open ended", "year", "where",
           "fiscal year start"}   # the ledger's option, read apart (``_fiscal_start_given``)
MAPPING_KEYS = {"columns", "defaults", "date_format", "sheet"}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00)?)?$")
_NUMERIC_DATE = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$")
_URL = re.compile(r"^https?://", re.I)


def reject(row: int, column: str, reason: str, raw: str | None = None) -> Problem:
    """A spreadsheet row not imported: a ``ledger.model.Problem`` at the row
    (its line; the header is row 1), with the column at fault ("" when the
    whole row) and, for a row left out whole, its text as in the file
    (``details["raw"]``); printed in ``said``'s ``ROW`` layout."""
    return Problem("", row, "", reason, "", "error", "import-reject", column,
                   details=None if raw is None else {"raw": raw})


def named_reject(r: Problem, entry: str = "") -> Problem:
    """The reject ``r`` naming the ``entry`` (the row's id) unless its reason
    does."""
    if entry and repr(entry) not in r.message:
        return replace(r, message=f"entry {entry!r}: {r.message}")
    return r


def reject_line(r: Problem, name: str, entry: str = "") -> str:
    """The line the import prints for the reject ``r`` of the spreadsheet
    ``name``, naming the ``entry`` (the row's id) unless its reason does."""
    return said(replace(named_reject(r, entry), file=name), ROW)


@dataclass
class ImportResult:
    source: str
    entries: list[EntryRow]                    # accepted, as their checked rows
    documents: list[dict[str, Any]]            # new [[document]] tables
    text: str                                  # the TOML to write (documents + entries)
    rejects: list[Problem]
    rows: int                                  # data rows read
    columns: dict[str, str]                    # journal field -> column used
    ignored: list[str] = field(default_factory=list)
    table: Any = None                          # the original table (pandas)
    warnings: list[str] = field(default_factory=list)   # e.g. a non-UTF-8 file
    # the accepted rows' warnings as the rules give them: what `check` says
    # (said as import problems by ``record_warning``, only those printed)
    warned: list[Problem] = field(default_factory=list)
    table_rows: list[int] = field(default_factory=list)   # the spreadsheet row of each table row
    # a malformed row (not in ``table``) -> the id the import gave it (``_malformed_ids``)
    malformed_ids: dict[int, str] = field(default_factory=dict)
    # MM-DD: the fiscal year start of the ledger the rows were listed from
    # (a listing's or an export's fiscal_year_start column), "" when not given
    fiscal_year_start: str = ""

    def record_warning(self, p: Problem) -> Problem:
        """The accepted row's warning ``p`` as the import says it ("row N")."""
        return record_warning(p, self.source, f"row {p.line}")

    def named_rejects(self) -> list[Problem]:
        """The rejects by row, each naming its entry (``named_reject``): as
        both the journal and the dataset import say them."""
        ids: dict[int, str] = {}
        if self.table is not None and self.columns.get("id") in self.table:
            ids = dict(zip(self.table_rows, self.table[self.columns["id"]]))
        guessed = self.malformed_ids   # a row left out whole: its reason quotes cells, not the id
        return [replace(r, message=f"entry {guessed[r.line]!r}: {r.message}") if r.line in guessed
                else named_reject(r, str(ids.get(r.line, "")).strip())
                for r in sorted(self.rejects, key=lambda r: r.line)]

    def messages(self) -> list[str]:
        return [said(replace(r, file=self.source), ROW) for r in self.named_rejects()]

    def rejects_frame(self):
        """The rejected rows: original columns plus ``row``, ``column``, ``reason``
        (several reasons for one row are joined with "; ")."""
        import pandas as pd

        by_row: dict[int, list[Problem]] = {}
        for r in self.rejects:
            by_row.setdefault(r.line, []).append(r)
        rows = sorted(by_row)
        at = {r: i for i, r in enumerate(self.table_rows)}
        # the rejected rows as read; a row left out whole (no cells) is blank
        orig = self.table.reset_index(drop=True).reindex(
            [at.get(r, -1) for r in rows], fill_value="").reset_index(drop=True)
        raw = {r: x.detail("raw") for r in rows for x in by_row[r] if x.detail("raw") is not None}
        extra = pd.DataFrame({
            "row": rows,
            "column": ["; ".join(dict.fromkeys(x.column for x in by_row[r] if x.column)) for r in rows],
            "reason": ["; ".join(x.message for x in by_row[r]) for r in rows],
        })
        if raw:   # rows left out whole (wrong number of cells): their text as read
            extra["raw"] = [raw.get(r, "") for r in rows]
        orig.columns = [c if c not in ("row", "column", "reason", "raw") else f"{c} (original)"
                        for c in orig.columns]
        return pd.concat([orig, extra], axis=1)


# ------------------------------------------------------------------ reading
@dataclass
class Sheet:
    """A spreadsheet as read (``read_table``): its well-formed rows, and
    beside them, not in the frame's ``attrs`` (which pandas deep-copies on
    every operation), where each row is and what was left out."""
    frame: Any                                  # a DataFrame of text cells ("" for empty)
    rows: list[int]                             # the spreadsheet row of each frame row (header: 1)
    # (row, raw text, reason) of each row left out of the frame (CSV)
    malformed: list[tuple[int, str, str]] = field(default_factory=list)
    cells: dict[int, list[str]] = field(default_factory=dict)   # a malformed row's cells as read
    merged: list[tuple[int, int, int]] = field(default_factory=list)   # XLSX: ``_merged_down``
    # XLSX: (frame row, column) -> (cell, formula) of a formula saved with no value
    uncomputed: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    delimiter: str = ""                         # CSV: the delimiter read
    numbers: dict[str, Any] = field(default_factory=dict)   # XLSX: per column, its number cells


def read_table(path: str | Path, sheet: str | None = None) -> Sheet:
    """The spreadsheet read: a DataFrame of text cells ("" for empty), dates
    and numbers from XLSX as ISO dates and plain decimals, and its rows."""
    import numpy as np
    import pandas as pd


    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise LedgerError(f"{path}: no such file")
    if path.is_dir():
        raise LedgerError(f"{path}: is a folder, not a spreadsheet (.csv or .xlsx)")
    suffix = path.suffix.lower()
    warnings: list[str] = []
    try:
        if suffix in (".xlsx", ".xlsm"):
            raw = read_bytes(path, what="spreadsheet")   # regular file, size cap
            check_zip(raw, path, what="spreadsheet")      # and what it unpacks to
            data = io.BytesIO(raw)
            with pd.ExcelFile(data, engine="openpyxl") as xl:
                names = xl.book.sheetnames
                if sheet is None or sheet in names:   # else pandas names the sheets below
                    _check_extent(raw, xl.book[sheet] if sheet else xl.book.worksheets[0],
                                  path)
                try:
                    frame = pd.read_excel(xl, sheet_name=sheet or 0, dtype=object)
                except ValueError as err:
                    if sheet and "not found" in str(err).lower():
                        raise LedgerError(f"{path}: no sheet {sheet!r} "
                                          f"(sheets: {', '.join(xl.book.sheetnames)})") from None
                    raise
                # the sheet pandas read (its first worksheet, as pandas counts them)
                merged = _merged_down(raw, xl.book[sheet] if sheet else xl.book.worksheets[0])
                uncomputed = _uncomputed(raw, xl.book[sheet] if sheet else xl.book.worksheets[0])
            got = Sheet(frame, list(range(2, len(frame) + 2)), merged=merged,   # filled once mapped
                        uncomputed=uncomputed)
        elif suffix in (".csv", ".tsv", ".txt"):
            if sheet:
                raise LedgerError(f"{path}: --sheet only applies to .xlsx workbooks")
            raw = read_bytes(path, what="spreadsheet")
            if b"\x00" in raw[:8192]:
                raise LedgerError(f"{path}: binary file, not a CSV table")
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as err:
                text = raw.decode("cp1252")   # "CSV" saved on Windows (else one line, below)
                warnings.append(f"{path}: not valid UTF-8 (byte {err.start + 1}); read as cp1252 "
                                "(Windows Western European): check accented text and symbols")
            got = read_csv_rows(text, "\t" if suffix == ".tsv" else None)
        else:
            raise LedgerError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
                              f"import reads .csv or .xlsx")
    except LedgerError:
        raise
    except (OSError, UnicodeDecodeError) as err:
        raise LedgerError(f"{path}: cannot read: {getattr(err, 'strerror', None) or err}") from None
    except Exception as err:   # pandas/openpyxl parse errors: one line, no traceback
        msg = " ".join(str(err).split()) or type(err).__name__
        raise LedgerError(f"{path}: cannot read as {suffix.lstrip('.').upper()}: {msg}") from None
    frame = got.frame
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.columns.duplicated().any():
        dup = frame.columns[frame.columns.duplicated()][0]
        raise LedgerError(f"{path}: row 1: column {dup!r} appears twice in the header")
    # an XLSX number is a number, not text written with a decimal mark
    # (each cell once over the whole table, not a pandas call per column:
    # thousands of columns took minutes)
    cells = frame.to_numpy(dtype=object)
    if suffix in (".xlsx", ".xlsm"):
        is_number = np.frompyfunc(_is_number, 1, 1)(cells).astype(bool) if cells.size else \
            np.zeros(cells.shape, dtype=bool)
        got.numbers = {c: is_number[:, i] for i, c in enumerate(frame.columns)}
    else:
        got.numbers = {}
    # undo the apostrophe that our own CSV writers put before formula-like
    # text, after any apostrophes (ledger.imports.cells), so export -> import
    # round-trips exactly
    with np.errstate(invalid="ignore"):   # NaN cells (empty) are tested for, not an error
        text = np.frompyfunc(_cell_text, 1, 1)(cells) if cells.size else cells
    got.frame = pd.DataFrame(text, index=frame.index, columns=frame.columns, dtype=object)
    got.warnings = warnings
    return got


def _check_extent(raw: bytes, ws, path) -> None:
    """Refuse a sheet whose cells span more than MAX_COLUMNS columns or
    MAX_CELLS cells (rows × columns) before pandas reads it: pandas builds
    every row out to the last column and every row up to the last, so one
    cell at XFD1048576 in a 5 KB file made 17 billion cells (MemoryError).
    The cells holding something are counted, streamed as ``_merged_down``
    streams the sheet (its ``<dimension>`` may say anything)."""
    from lxml import etree
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
    from openpyxl.xml.constants import SHEET_MAIN_NS

    row_tag, cell_tag = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}c"
    rows = cols = r = 0
    far = ""            # the reference of the cell furthest right
    with zipfile.ZipFile(io.BytesIO(raw)) as z, z.open(ws._worksheet_path) as fh:
        c = 0
        for event, el in etree.iterparse(fh, events=("start", "end"), tag=(row_tag, cell_tag),
                                         resolve_entities=False, no_network=True,
                                         huge_tree=False, load_dtd=False):
            if event == "start":
                if el.tag == row_tag:   # a row without its number is the next one
                    r = int(el.get("r") or 0) or r + 1
                    c = 0
                continue
            if el.tag == cell_tag:
                ref = el.get("r")
                try:
                    c = column_index_from_string(coordinate_from_string(ref)[0]) if ref else c + 1
                except ValueError:
                    c += 1        # a bad reference: pandas' read says so
                # pandas drops empty cells at a row's end and empty rows at the end
                if any((x.text or "").strip() for x in el.iter() if x is not el):
                    rows = max(rows, r)
                    if c > cols:
                        cols, far = c, ref or f"column {c} of row {r}"
            el.clear()
            if el.tag == row_tag:
                while el.getprevious() is not None:
                    del el.getparent()[0]
    if cols > MAX_COLUMNS:
        raise LedgerError(f"{path}: sheet {ws.title!r}: a cell at {far} makes {cols:,} columns, more "
                          f"than the {MAX_COLUMNS:,} ledger-tool imports (delete the cells "
                          f"right of the table)")
    if rows * cols > MAX_CELLS:
        raise LedgerError(f"{path}: sheet {ws.title!r}: its cells span {rows:,} rows × {cols:,} "
                          f"columns, more than the {MAX_CELLS:,} cells ledger-tool imports "
                          f"(delete the cells below the table)")


def _merged_down(raw: bytes, ws) -> list[tuple[int, int, int]]:
    """The cells of the worksheet ``ws`` (openpyxl's, read only) of the
    workbook ``raw`` merged down several rows, below the header, as (first
    row, row after the last, column), rows and columns counted in the table
    read (0: the row after the header). Cells merged across columns are left
    out: whose column the value is is not said. Read-only mode does not
    list merged cells: its ``<mergeCell>`` elements are read from the
    sheet's XML, streamed (entities not fetched, no huge tree), one row
    element at a time, without a second load of the workbook."""
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.xml.constants import SHEET_MAIN_NS

    part = ws._worksheet_path   # the sheet's part in the package, as openpyxl found it
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        with z.open(part) as fh:
            if not _holds(fh, b"mergeCell"):
                return []
        merge, row = f"{{{SHEET_MAIN_NS}}}mergeCell", f"{{{SHEET_MAIN_NS}}}row"
        out = []
        with z.open(part) as fh:
            for _, el in etree.iterparse(fh, events=("end",), tag=(row, merge),
                                         resolve_entities=False, no_network=True,
                                         huge_tree=False, load_dtd=False):
                if el.tag == merge:
                    # a bad range: ValueError (pandas' read has said it already)
                    min_col, min_row, max_col, max_row = range_boundaries(el.get("ref") or "")
                    if min_col == max_col and min_row >= 2 and max_row > min_row:
                        out.append((min_row - 2, max_row - 1, min_col - 1))
                el.clear()            # rows are not kept: memory stays flat
                while el.getprevious() is not None:
                    del el.getparent()[0]
    return sorted(out)


def _uncomputed(raw: bytes, ws) -> dict[tuple[int, int], tuple[str, str]]:
    """The formula cells of the worksheet ``ws`` of the workbook ``raw``
    saved with no computed value (a program that writes XLSX without
    computing it, e.g. openpyxl, leaves ``<v>`` empty and the cell with no
    type; a text result's empty ``<v>`` is an empty text; pandas reads such a
    cell as empty), below the header: (row, column) counted as in
    ``_merged_down`` -> (the cell's reference, its formula).  Streamed as
    ``_merged_down`` streams the sheet."""
    from lxml import etree
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
    from openpyxl.xml.constants import SHEET_MAIN_NS

    part = ws._worksheet_path
    cell, formula, value = (f"{{{SHEET_MAIN_NS}}}{t}" for t in ("c", "f", "v"))
    out: dict[tuple[int, int], tuple[str, str]] = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        with z.open(part) as fh:
            if not _holds(fh, b"<f"):
                return out
        with z.open(part) as fh:
            for _, el in etree.iterparse(fh, events=("end",), tag=cell, resolve_entities=False,
                                         no_network=True, huge_tree=False, load_dtd=False):
                f = el.find(formula)
                v = el.find(value)
                # an empty <v> of a text result (t="str") is a computed "", as
                # LibreOffice and Excel save =IF(…,"x",""); without t, nothing
                if f is not None and (v is None or (not (v.text or "").strip()
                                                    and el.get("t") != "str")):
                    ref = el.get("r") or ""
                    try:
                        letters, row = coordinate_from_string(ref)
                    except ValueError:
                        letters, row = "", 0
                    if row >= 2:
                        out[(row - 2, column_index_from_string(letters) - 1)] = \
                            (ref, clip((f.text or "").strip() or "(a shared formula)"))
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
    return out


def _holds(fh, needle: bytes, chunk: int = 1 << 20) -> bool:
    """Whether the stream ``fh`` holds ``needle`` (read in chunks)."""
    tail = b""
    while block := fh.read(chunk):
        if needle in tail + block:
            return True
        tail = block[-len(needle):]
    return False


# the fields a merged cell gives each row it covers: all but a part's own
# (a purpose, a share), which would count the figure once per row
_PART_OWN = {"purpose", "amount", "entry_amount"}


def _fill_merged(frame, merged: list[tuple[int, int, int]], cols: dict[str, str]) -> None:
    """Cells merged down several rows (an id, date, funder or source given
    once for the rows of a split entry): their value on each row, as the
    sheet shows it (the file holds it in the top cell only), in the columns
    the import reads as an entry's field, by the header or ``--map``
    (``merged``: ``_merged_down``). A merged amount, share or purpose is
    left in its top cell: the parts below it have none, and the entry is
    refused whole."""
    filled = {frame.columns.get_loc(c) for f, c in cols.items() if f not in _PART_OWN}
    for top, end, col in merged:
        if col in filled and top < len(frame):
            for r in range(top + 1, min(end, len(frame))):
                frame.iat[r, col] = frame.iat[top, col]


# A cell longer than this is refused with its row (a pledge's quote or notes
# is a few hundred characters; csv's own limit, 131,072, refused the file).
MAX_CELL_CHARS = 100_000


_QUOTED = re.compile(r'"[^"]*"')


def guess_delimiter(header: str) -> str:
    """The header's delimiter: whichever of , ; TAB | occurs most outside
    quoted names (a tie or none: ','). Linear in the line's length, unlike
    csv.Sniffer, whose regexes backtrack for minutes on some lines."""
    bare = _QUOTED.sub("", header)
    counts = {d: bare.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv_rows(text: str, delimiter: str | None = None) -> Sheet:
    """CSV text -> a ``Sheet``: a DataFrame of the well-formed rows (text cells).

    Each record is checked on its own: a record with more or fewer cells than
    the header, a cell over ``MAX_CELL_CHARS`` or a quote that does not close
    where a cell ends (``_broken_quote``) is left out of the frame and listed
    in ``malformed`` as ``(row, raw text, reason)``; the other rows keep
    their columns. ``rows``: the spreadsheet row of each frame row (the
    header is row 1; a blank line is a row, as a spreadsheet shows it);
    ``cells``: row -> the cells of a malformed record as read (a broken
    quote's: ``_broken_quote``)."""

    import pandas as pd

    # lines end at CR, LF or CR LF only (str.splitlines also ends them at FF,
    # VT, U+2028 and others, which a spreadsheet keeps inside the cell)
    lines = io.StringIO(text, newline="").readlines()
    if delimiter is None:
        delimiter = guess_delimiter(lines[0] if lines else "")
    consumed: list[str] = []
    seen = 0      # lines of the file read so far

    def feed():
        nonlocal seen
        for ln in lines:
            consumed.append(ln)
            seen += 1
            yield ln

    csv.field_size_limit(sys.maxsize)   # lengths are checked per row below
    reader = csv.reader(feed(), delimiter=delimiter)
    header: list[str] | None = None
    records, rows, malformed = [], [], []
    malformed_cells: dict[int, list[str]] = {}
    row = 0
    while True:
        consumed.clear()
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            row += 1
            malformed.append((row, "".join(consumed).rstrip("\r\n"), f"malformed CSV: {err}"))
            continue
        row += 1
        raw = "".join(consumed).rstrip("\r\n")
        if header is None:
            if not rec:
                row -= 1          # blank lines before the header are not rows
                continue
            if len(rec) > MAX_COLUMNS:   # before a row is read: each column costs
                raise ValueError(f"row {row}: the header has {len(rec):,} columns, more than "
                                 f"the {MAX_COLUMNS:,} ledger-tool imports")
            header = rec
            continue
        if not any(c.strip() for c in rec):
            continue              # a blank row (however many empty cells)
        # a record on several lines, or the file's last, may hold an open quote
        broken = (_broken_quote(consumed, rec, header, delimiter, seen)
                  if len(consumed) > 1 or seen == len(lines) else None)
        if broken:                # the lines below it read into one cell
            malformed_cells[row], why = broken
            malformed.append((row, raw, why))
            continue
        if len(rec) > len(header) and not any(c.strip() for c in rec[len(header):]):
            rec = rec[:len(header)]   # trailing empty cells: nothing to shift
        long = next((i for i, c in enumerate(rec) if len(c) > MAX_CELL_CHARS), None)
        if len(rec) != len(header) or long is not None:
            malformed_cells[row] = rec
        if len(rec) != len(header):
            extra = rec[len(header):]
            what = (f"{len(rec)} cells, the header has {len(header)}"
                    + (f" (extra: {', '.join(repr(c[:40]) for c in extra[:3])})" if extra else ""))
            malformed.append((row, raw, f"{what}; the row is left out whole, so no cell "
                                        f"lands in the wrong column"))
        elif long is not None:
            malformed.append((row, raw[:200] + "…", f"the cell in column {header[long]!r} holds "
                              f"{len(rec[long]):,} characters, more than the "
                              f"{MAX_CELL_CHARS:,} a cell may hold"))
        else:
            records.append(rec)
            rows.append(row)
    if header is None:
        raise ValueError("the file is empty: no header row")
    frame = pd.DataFrame(records, columns=header, dtype=object) if records else \
        pd.DataFrame({h: pd.Series([], dtype=object) for h in header})
    return Sheet(frame, rows, malformed, malformed_cells, delimiter=delimiter)


def _broken_quote(lines: list[str], rec: list[str], header: list[str], delimiter: str,
                  last: int) -> tuple[list[str], str] | None:
    """The record ``rec`` read from the ``lines`` of the file ending at line
    ``last``, when a quote in it does not close where a cell ends (at the
    end of the file, or before other text): (its cells as best read, the
    reason), else None. The cells: its first line's split at each delimiter
    when that gives the header's number (a stray quote), else those before
    the cell the quote opens (the rest blank)."""
    try:
        for _ in csv.reader(lines, delimiter=delimiter, strict=True):
            pass
        return None
    except csv.Error:
        fault = _quote_fault("".join(lines), delimiter)
    if fault is None or (fault == "text" and len(lines) == 1):
        return None       # on one line, csv's lenient reading of "a"b is the cell a"b
    eof = fault == "end"
    at = next((k for k, c in enumerate(rec) if "\n" in c or "\r" in c), len(rec) - 1)
    column = f"column {header[at]!r}" if at < len(header) else f"cell {at + 1}"
    first = last - len(lines) + 1
    taken = f"line {first + 1}" if len(lines) == 2 else f"lines {first + 1}-{last}"
    how = ("is never closed: the file ends inside it; the row is" if len(lines) == 1 else
           f"is never closed, so the rest of the file ({taken}) was read into it; the row "
           f"and the lines read into it are" if eof else
           f"is closed only on line {last}, before other text, so {taken} "
           f"{'was' if len(lines) == 2 else 'were'} read into it; the row and the lines read "
           f"into it are")
    why = (f"unclosed quote in {column}: the quote opening the cell {how} left out (close the "
           f"quote, or write a quote inside a cell as \"\")")
    plain = next(csv.reader([lines[0]], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
    cells = plain if len(plain) == len(header) else rec[:at] + [""] * (len(header) - at)
    return cells, why


def _quote_fault(text: str, delimiter: str) -> str | None:
    """Where a quoted cell of the CSV record ``text`` goes wrong, as csv's
    strict reading finds, but for spaces or tabs after a closing quote
    (harmless: csv's lenient reading keeps them in the cell): "end" when a
    quote is never closed, "text" when one is closed before other text,
    else None."""
    state = "start"     # of a cell; "plain", "quoted", "quote" (one read in it), "after"
    for ch in text:
        end = ch == delimiter or ch in "\r\n"
        if state == "quoted":
            state = "quote" if ch == '"' else state
        elif state == "quote":
            if ch == '"':
                state = "quoted"                  # "" inside a quoted cell
            elif not end and ch not in " \t":
                return "text"
            else:
                state = "start" if end else "after"
        elif state == "after":
            if not end and ch not in " \t":
                return "text"
            state = "start" if end else state
        else:
            state = "start" if end else "quoted" if state == "start" and ch == '"' else "plain"
    return "end" if state == "quoted" else None


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _cell_text(v) -> str:
    """One cell to text: dates as ISO, whole floats without '.0', our
    writers' guard apostrophe taken off (``unguard``)."""
    import pandas as pd

    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return ""
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):   # a date cell (its type says so): its day, any time
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return format(Decimal(repr(v)).normalize(), "f")
    t = str(v).strip(TAG_SPACE)   # spaces: a control character is its field's rule's
    return unguard(t)


def _norm_header(h: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", h.lower()).split())


def load_mapping(path: str | Path) -> dict[str, Any]:
    """A mapping file: ``[columns]`` (journal field = "Column header"),
    optional ``[defaults]`` (field = value for empty cells), ``date_format``
    (strftime, e.g. "%d/%m/%Y") and ``sheet``."""

    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise LedgerError(f"{path}: mapping file not found")
    data = load_toml(path, what="mapping file")   # regular file, size cap, nesting
    fields = set(ENTRY_FIELDS) | SOURCE_FIELDS | {"entry_amount", "sources", "links"}
    problems = []
    for k in data:
        if k not in MAPPING_KEYS:
            problems.append(f"{path}: unknown key {k!r} (expected [columns], [defaults], "
                            f"date_format, sheet)")
    for table in ("columns", "defaults"):
        t = data.get(table, {})
        if not isinstance(t, dict):
            problems.append(f"{path}: {table} must be a table ([{table}])")
            continue
        for k, v in t.items():
            if k not in fields or k in ("split", "source"):
                hint = _suggest(k, fields)
                problems.append(f"{path}: [{table}] {k!r} is not a journal field"
                                + (f" ({hint})" if hint else ""))
            elif not isinstance(v, str):
                problems.append(f"{path}: [{table}] {k} must be text")
    if "date_format" in data and not isinstance(data["date_format"], str):
        problems.append(f"{path}: date_format must be text like \"%d/%m/%Y\"")
    elif data.get("date_format"):
        bad = _date_format_problem(data["date_format"])
        if bad:
            problems.append(f"{path}: date_format {data['date_format'][:40]!r} cannot read "
                            f"dates: {bad} (write it like \"%d/%m/%Y\")")
    if problems:
        raise LedgerError("\n".join(problems))
    return data


def _date_format_problem(date_format: str) -> str:
    """Why the parser ``parse_dates`` uses refuses ``date_format`` (a bad
    directive, %W without day and year, ...), '' when it takes it: checked
    when the mapping is read, before any row is."""
    import pandas as pd

    try:
        pd.to_datetime(pd.Series(["2015-07-30"]), format=date_format, errors="coerce")
    except (ValueError, TypeError) as err:
        return " ".join(str(err).split())[:200]
    except re.error:      # the parser's pattern names a group twice
        return "it gives a directive twice"
    return ""


def map_columns(headers: list[str], mapping: dict[str, Any] | None, name: str):
    """(field -> column, ignored columns); raises LedgerError when a required
    field has no column."""
    mapping = mapping or {}
    explicit = dict(mapping.get("columns", {}))
    out: dict[str, str] = {}
    problems = []
    for fld, col in explicit.items():
        if col not in headers:
            match = [h for h in headers if h.lower() == col.lower()]
            if len(match) == 1:
                col = match[0]
            else:
                problems.append(f"{name}: the mapping names column {col!r} for {fld}, "
                                f"but the header has: {', '.join(headers)}")
                continue
        out[fld] = col
    used = set(out.values())
    norm = {h: _norm_header(h) for h in headers}
    for fld, names in ALIASES.items():
        if fld in out:
            continue
        for alias in names:
            hit = [h for h in headers if norm[h] == alias and h not in used]
            if hit:
                out[fld] = hit[0]
                used.add(hit[0])
                break
    defaults = mapping.get("defaults", {})
    for fld in REQUIRED:
        if fld not in out and fld not in defaults:
            problems.append(
                f"{name}: row 1: no column for {fld!r} (looked for "
                f"{', '.join(repr(a) for a in ALIASES[fld][:6])}; name it with --map: "
                f"[columns] {fld} = \"Your header\")")
    if "purpose" not in out and "purpose" not in defaults:
        problems.append(f"{name}: row 1: no column for 'purpose' (looked for "
                        f"{', '.join(repr(a) for a in ALIASES['purpose'])}; name it with --map)")
    if problems:
        raise LedgerError("\n".join(problems))
    derived = set(DERIVED)
    if "amount" in out and norm[out["amount"]] in ("amount text", "amount as written"):
        derived.add("amount")     # ledger-tool's export: the per-purpose share
    ignored = [h for h in headers if h not in used and norm[h] not in derived]
    return out, ignored


# ------------------------------------------------------------------ values
def parse_dates(col, date_format: str | None = None):
    """Vectorised: text cells -> (dates as datetime.date or None, reasons).
    Only a calendar day as written is a date: a time alone, a year or a month
    alone, or a word such as "now" that pandas would read as today is refused
    (a reason starting "not a date").  An ISO date and time is its day, as an
    XLSX datetime cell is; a four-digit year first (2015/07/30) reads
    year/month/day; day and month in either order (03/04/2020) need the
    mapping's date_format."""
    import pandas as pd

    text = col.astype(str).str.strip()
    empty = text == ""
    dates = pd.Series(None, index=col.index, dtype=object)
    reasons = pd.Series("", index=col.index, dtype=object)
    reasons[empty] = "no date"
    # what pandas would turn into today's date, or into a day it made up
    why = text.map(_not_a_day).astype(object)
    if date_format and _CLOCK.search(date_format):   # the mapping says its dates have a time
        why[why == _WITH_TIME] = ""
    undated = ~empty & (why != "")
    reasons[undated] = "not a date: " + text[undated].map(repr) + why[undated]

    def read(mask, **how):
        if mask.any():
            parsed = pd.to_datetime(text[mask], errors="coerce", **how)
            dates[mask] = parsed.dt.date.where(parsed.notna(), None)

    iso = text.str.match(_ISO.pattern) & ~undated    # ISO dates (and XLSX date cells) always work
    read(iso, format="ISO8601")
    # an ISO date and time of day is its day as written, as an XLSX datetime cell is
    stamped = text.str.match(_ISO_DATETIME.pattern) & ~iso & ~undated
    if stamped.any():
        parsed = pd.to_datetime(text[stamped].str[:10], errors="coerce", format="%Y-%m-%d")
        dates[stamped] = parsed.dt.date.where(parsed.notna(), None)
    iso = iso | stamped
    if date_format:
        read(~iso & ~empty & ~undated, format=date_format)
        hint = f" (expected {date_format!r} from the mapping's date_format, or YYYY-MM-DD)"
    else:
        # a four-digit year first has one reading (2015/07/30): read below
        numeric = text.str.match(_NUMERIC_DATE.pattern) & ~iso & ~text.str.match(r"^\d{4}[/.\-]")
        # "20 September 2014", "Sep 20, 2014": a month name, a day and a year are unambiguous
        worded = ~iso & ~numeric & ~empty & ~undated & text.map(_worded_date).astype(bool)
        read(worded, format="mixed", dayfirst=True)
        hint = " (use YYYY-MM-DD, or set date_format in a mapping file)"
        ambiguous = numeric & ~undated
        reasons[ambiguous] = ("date " + text[ambiguous].map(repr)
                              + " is ambiguous (day/month order): set date_format in a "
                                "mapping file, e.g. date_format = \"%d/%m/%Y\"")
    # year first, unpadded (2015-7-30), with / or . (2015/07/30) or run together
    # (20150730): one reading only; after the mapping's date_format, which comes first
    # and alone decides year-first cells when it is year-first itself ("%Y/%d/%m")
    left = dates.isna() & ~undated
    if date_format and date_format.lstrip().startswith("%Y"):
        left &= False
    read(left & text.str.match(r"^\d{4}-\d{1,2}-\d{1,2}$"), format="%Y-%m-%d")
    read(left & text.str.match(r"^\d{4}/\d{1,2}/\d{1,2}$"), format="%Y/%m/%d")
    read(left & text.str.match(r"^\d{4}\.\d{1,2}\.\d{1,2}$"), format="%Y.%m.%d")
    read(left & text.str.match(r"^\d{8}$"), format="%Y%m%d")
    bad = dates.isna() & (reasons == "")
    reasons[bad] = "not a date: " + text[bad].map(repr) + hint
    dates[reasons != ""] = None
    return dates, reasons


# English names, as pandas' "mixed" parser (dateutil) reads them whatever the locale
_MONTHS = {n for m in ("january", "february", "march", "april", "may", "june", "july",
                       "august", "september", "october", "november", "december")
           for n in (m, m[:3])} | {"sept"}
_WEEKDAYS = {n for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                         "sunday") for n in (d, d[:3])}
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?|noon|midnight", re.I)
_RELATIVE = {"now", "today", "tomorrow", "yesterday"}


def _not_a_day(text: str) -> str:
    """Why ``text`` is no calendar day although a parser would make one of
    it ("" when it may be one): the rest of a "not a date" reason."""
    low = text.lower()
    if _ISO.match(text) or _ISO_DATETIME.match(text):   # its day, whatever the time
        return ""
    if low in _RELATIVE:
        return " names no calendar day (write the date, YYYY-MM-DD)"
    if _TIME.fullmatch(text):
        return " is a time of day, with no day, month or year"
    if re.fullmatch(r"[+-]?\d{4}", text):
        return (f" is a year alone: write {text.lstrip('+')}-01-01 if that day is meant, "
                "or the date as YYYY-MM-DD")
    if re.fullmatch(r"\d{4}-\d{1,2}", text) or (
            {t for t in re.split(r"[\s,./\-]+", low) if t} & _MONTHS
            and not re.search(r"(?<![\d:])\d{1,2}(?:st|nd|rd|th)?(?![\d:])", low)
            and not _TIME.search(low)):
        return " gives no day of the month (write the date, YYYY-MM-DD)"
    if _ISO_SHAPED.match(text):     # an ISO date and time, but no time of day
        return _BAD_TIME
    if _TIME.search(text) and (_ISO_DAY.match(text) or _worded_date(_TIME.sub(" ", text))):
        return _WITH_TIME
    return ""


_WITH_TIME = " has a time of day: write the date alone (YYYY-MM-DD)"
_BAD_TIME = (" has an invalid time of day or time zone (hours 00-23, minutes 00-59, a zone "
             "within ±23:59): write the date alone (YYYY-MM-DD)")
_CLOCK = re.compile(r"%[-#]?[HIMSfpXcTRr]")     # strftime directives of a time of day
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]")
# an ISO 8601 date and time (a time zone too): the date as written is the day
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T](?:[01]\d|2[0-3]):[0-5]\d"
                           r"(?::(?:[0-5]\d|60)(?:[.,]\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$")


# the shape of ``_ISO_DATETIME`` whatever the figures ("2015-07-30T25:61:00Z")
_ISO_SHAPED = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                         r"(?:Z|[+-]\d{2}:?\d{2})?$")


def _worded_date(text: str) -> bool:
    """Whether ``text`` is a date with its month named: one month name, one
    day (1-31, "20th") and a four-digit year, a weekday at most besides."""
    tokens = [t for t in re.split(r"[\s,./\-]+", text.lower()) if t]
    months = [t for t in tokens if t in _MONTHS]
    days = [t for t in tokens if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", t)
            and 1 <= int(re.sub(r"\D", "", t)) <= 31]
    years = [t for t in tokens if re.fullmatch(r"\d{4}", t)]
    weekdays = [t for t in tokens if t in _WEEKDAYS]
    return (len(months) == len(days) == len(years) == 1 and len(weekdays) <= 1
            and len(tokens) == 3 + len(weekdays))


def slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")


def _compact(amount: Decimal) -> str:
    for suffix, exp in (("bn", 9), ("m", 6), ("k", 3)):
        scaled = amount.scaleb(-exp)
        if scaled >= 1 and scaled == scaled.to_integral_value() or (
                scaled >= 1 and scaled == scaled.quantize(Decimal("0.01"))):
            return format(scaled.normalize(), "f").replace(".", "-") + suffix
    return format(amount.normalize(), "f").replace(".", "-")


def make_id(funder: str, date: dt.date | None, amount: str) -> str:
    """A readable, stable slug: ``uk-home-office-2014-09-20-12m-gbp``."""

    try:
        p = parse_amount(amount)
        amt = f"{_compact(p.amount)}-{p.currency.lower()}"
    except (MoneyError, InvalidOperation):
        amt = slug(amount)[:24]
    parts = [slug(funder)[:40], date.isoformat() if date else "", amt]
    return "-".join(p for p in parts if p) or "entry"


def doc_id_for(value: str) -> str:
    """A document id for a source cell: itself when it is a slug, otherwise
    (a URL or a title) a readable slug plus a short hash."""
    value = value.strip()
    if is_slug(value) and len(value) <= 80:
        return value
    base = re.sub(r"^https?://(www\.)?", "", value, flags=re.I)
    h = hashlib.sha256(value.encode()).hexdigest()[:8]
    return f"{slug(base)[:48].strip('-') or 'doc'}-{h}"


# ------------------------------------------------------------------ import
def import_table(path: str | Path, *, sheet: str | None = None, mapping: dict | None = None,
                 entries: Book | tuple[()] = (),
                 documents: dict[str, Document] | None = None,
                 name: str | None = None,
                 held: dict[str, tuple[str, int]] | None = None,
                 fiscal_year_start: str | None = None) -> ImportResult:
    """Turn a spreadsheet into journal entries, checked against the existing
    ``entries`` (a Book, () for none) and ``documents`` of the
    ledger they are imported into; ``held``: the ids of its entries
    ``check`` refuses (``rows.refused_ids``), not theirs to take either.
    ``fiscal_year_start``: that ledger's (MM-DD; None for a new one): a row
    whose period is a fiscal year of a ledger starting on another day (the
    file's fiscal_year_start column) is refused, not read as another year."""
    import numpy as np
    import pandas as pd

    mapping = mapping or {}
    sheet = sheet or mapping.get("sheet")
    got = read_table(path, sheet)
    table = got.frame
    name = name or str(path)
    documents = dict(documents or {})
    headers = list(table.columns)
    malformed = got.malformed
    if not headers or (table.empty and not malformed):
        raise LedgerError(f"{name}: no data rows (the first row must be the header)")
    cols, ignored = map_columns(headers, mapping, name)
    if "links" in cols and "links" not in (mapping.get("columns") or {}):
        # a column named links is a listing's when a cell is (KIND=ID; ...),
        # its other cells then refused at their rows; a spreadsheet's column
        # of URLs is not imported (and said so, as any column left out)
        cells = table[cols["links"]].astype(str).str.strip()
        given = cells[cells != ""].unique()
        if len(given) and not any(listed_links(c)[1] == "" for c in given):
            ignored.append(cols.pop("links"))
    _fill_merged(table, got.merged, cols)
    listed_from, fiscal_column = _fiscal_start_given(table, headers, name, got.warnings)
    defaults = mapping.get("defaults", {})
    n = len(table)
    rows = pd.Index(got.rows, dtype="int64")   # spreadsheet rows (header = row 1)

    def column(fld: str):
        if fld in cols:   # tags trimmed of spaces only: a control character is the rule's
            s = table[cols[fld]].astype(str).str.strip(TAG_SPACE if fld == "tags" else None)
        else:
            s = pd.Series([""] * n, dtype=object)
        if fld in defaults:
            s = s.where(s != "", defaults[fld])
        return s.reset_index(drop=True)

    # rows with too many or too few cells, or an oversized cell: rejected
    # whole, their text kept for the rejects file
    rejects: list[Problem] = [reject(r, "", why, raw) for r, raw, why in malformed]
    colname = {fld: cols.get(fld, f"(default {fld})") for fld in ALIASES}
    cells = table.astype(str).apply(lambda c: c.str.strip())   # each cell as compared
    blank = (cells == "").all(axis=1).to_numpy()

    dates, date_reasons = parse_dates(column("date"), mapping.get("date_format"))
    for i in date_reasons.index[date_reasons != ""]:
        if not blank[i]:
            rejects.append(reject(int(rows[i]), colname["date"], date_reasons[i]))
    # a formula saved without its value: refused naming it, not read as an empty cell
    read_cols = {headers.index(c) for c in cols.values() if c in headers}
    no_value: set[int] = set()
    for (i, c), (ref, text) in sorted(got.uncomputed.items()):
        if c in read_cols and i < n and not date_reasons[i]:
            no_value.add(i)
            rejects.append(reject(int(rows[i]), headers[c], (
                f"cell {ref} holds the formula ={text} but no computed value: the file was "
                f"saved without computed values (by a program that does not compute "
                f"formulas); open and save it in a spreadsheet program, then import again")))

    values = {fld: column(fld).tolist() for fld in ALIASES}   # read cell by cell below
    # the bulk format's period columns, read as `check` reads that format
    period_cols = _bulk_period_columns(headers)
    if period_cols:
        given = {c: table[h].astype(str).str.strip().tolist() for c, h in period_cols.items()}
        if "period" in cols:
            given["period"] = values["period"]
        labels, said = bulk_periods(given, [d if isinstance(d, dt.date) else None
                                            for d in dates.tolist()])
        for i, (label, (at, why)) in enumerate(zip(labels, said)):
            if blank[i] or date_reasons[i] or i in no_value:
                continue
            if why:
                no_value.add(i)
                rejects.append(reject(int(rows[i]), period_cols.get(at) or colname.get(at, at),
                                      why))
            elif label != "one-off" or values["period"][i]:
                values["period"][i] = label
        ignored = [h for h in ignored if h not in period_cols.values()]
    if listed_from and fiscal_year_start and listed_from != fiscal_year_start:
        for i, text in enumerate(values["period"]):
            span = _fiscal_year(text, listed_from) if text and i not in no_value else None
            if span:
                no_value.add(i)
                here = (f"this ledger's fiscal year starts on {fiscal_year_start}, so it "
                        f"would be another year" if valid_fiscal_start(fiscal_year_start) else
                        f"this ledger's fiscal_year_start {fiscal_year_start!r} is invalid, so "
                        f"its fiscal years are unknown")
                rejects.append(reject(int(rows[i]), colname["period"], (
                    f"period {text!r} is a fiscal year of the ledger the rows come from, "
                    f"which starts on {listed_from} (column {fiscal_column!r}); {here}: "
                    f"write the period as its dates ({span!r})")))
    ids = values["id"]
    # split entries from ledger-tool's own export: one row per purpose, same
    # id (without ids: the rows next to each other whose shares make it up)
    regroup = "entry_amount" in cols
    share_col = next((h for h in headers if _norm_header(h) == "amount"), None)
    share = (table[share_col].astype(str).str.strip().tolist()
             if regroup and share_col else values["amount"])
    if regroup and cols.get("amount") == share_col:
        # no as-written amount: the entry's is entry_amount, not a row's share
        values["amount"] = [e or a for e, a in zip(values["entry_amount"], values["amount"])]

    number = _amount_numbers(values["amount"], got, cols.get("amount"), rows, name)
    raw_rows: list[tuple[list[int], dict[str, Any]]] = []
    # a row repeating an earlier one cell for cell is a copy, not a second
    # pledge: each row's first copy (itself when it is the first), found once
    same = cells.groupby([cells[c] for c in cells.columns], sort=False).ngroup().to_numpy()
    first_of = np.unique(same, return_index=True)[1][same]
    part_rows: dict[int, list[int]] = {}   # a split entry's first row -> its parts' rows
    above = None   # the spreadsheet row just above (a split entry's rows are next to each other)
    refused = _Refused()

    def entry_above(eid: str, row_above: int | None) -> bool:
        """Whether the entry read last has the id ``eid`` and ends on the row above."""
        return bool(eid and raw_rows and raw_rows[-1][1].get("id") == eid
                    and raw_rows[-1][0][-1] == row_above)

    def short_above(row_above: int | None) -> bool:
        """Whether the entry read last, without an id, ends on the row above
        and its shares are short of its amount (an exported split entry's
        rows with their id column removed)."""
        if not raw_rows or raw_rows[-1][0][-1] != row_above or raw_rows[-1][1].get("id"):
            return False
        f = raw_rows[-1][1]
        try:
            return sum((Decimal(a.replace(",", "")) for _, a in f.get("_parts", ())),
                       Decimal(0)) < Decimal(str(f.get("_entry_amount", "")).replace(",", ""))
        except (InvalidOperation, AttributeError):
            return False

    def refuse_above(eid: str, r: int) -> None:
        """The entry above refused with its row ``r``: each of its rows, as one entry."""
        nonlocal refused
        for earlier in raw_rows.pop()[0]:
            rejects.append(reject(earlier, colname["id"], refused_with(earlier, r)))
        refused = _Refused(eid, r, r)

    copy = ~blank & (first_of != np.arange(n))
    for i in np.flatnonzero(copy).tolist():
        rejects.append(reject(int(rows[i]), "", f"the same as row {rows[first_of[i]]} cell "
                                                f"for cell (a duplicate row; one pledge is one row)"))
    # copies and empty lines are not rows: the rows of an id on either side
    # of them are next to each other (one entry, refused or kept whole)
    read = np.flatnonzero(~blank & ~copy)
    # the rows read, in turn, with the malformed ones (index -1): refused,
    # they stay in the sequence so that the entry around one is refused whole
    order = sorted([(int(rows[i]), i) for i in read.tolist()]
                   + [(r, -1) for r, _, _ in malformed])
    seq_ids = _malformed_ids(order, ids, got.cells,
                             headers.index(cols["id"]) if "id" in cols else None, len(headers),
                             headers.index(cols["date"]) if "date" in cols else None,
                             mapping.get("date_format"))
    apart = _apart(np.asarray(seq_ids, dtype=object), [r for r, _ in order])
    for (r, i), eid in zip(order, seq_ids):
        above, row_above = r, above
        fields = None if i < 0 or date_reasons[i] or i in no_value else \
            _row_fields(i, values, dates[i], rejects, r, colname, number)
        if fields is None:
            # refused for its own reason: its entry's other rows go with it, not
            # kept as if they were the whole pledge
            if refused.goes_on(eid, row_above):
                refused.last = r
            elif entry_above(eid, row_above):
                refuse_above(eid, r)
            elif eid:
                refused = _Refused(eid, r, r)
            continue
        if refused.goes_on(eid, row_above):
            refused.last = r
            rejects.append(reject(r, colname["id"], refused_with(r, refused.at)))
            continue
        # the row's purpose and share: the export's share column, else its amount
        part = ((values["purpose"][i], share[i]) if regroup else
                (fields.get("purpose", ""), fields.get("amount", "")))
        if entry_above(eid, row_above):
            # as a bulk table reads it (check NAME.csv): one more purpose of the entry above
            why = _one_more_purpose(raw_rows[-1][1], fields, part, regroup)
            if not why:
                raw_rows[-1][0].append(r)
                continue
            # the whole entry, not the rows before this one as if they were all of it
            rejects.append(reject(r, colname["id"], f"repeats the id {eid!r} of the row "
                                  f"above: {why}"))
            refuse_above(eid, r)
            continue
        if not eid and regroup and short_above(row_above) and \
                not _one_more_purpose(raw_rows[-1][1], fields, part, True):
            raw_rows[-1][0].append(r)     # one more purpose of the export's entry above
            continue
        if eid or regroup:
            fields["_parts"] = [part]
        raw_rows.append(([r], fields))
    for rs, f in raw_rows:
        if on_rows := _one_entry(f, regroup, rs):
            part_rows[rs[0]] = on_rows

    # ids: given ones kept; missing ones generated from funder/date/amount,
    # made unique within the import (a clash with the ledger is reported)
    taken = {f["id"] for _, f in raw_rows if f.get("id")}
    given = set(taken)
    for _, f in raw_rows:
        if not f.get("id"):
            base = make_id(f.get("funder", ""), f.get("date"),
                           f"{f.get('amount', '')} {f.get('currency', '')}".strip())
            cand, k = base, 1
            while cand in taken:
                k += 1
                cand = f"{base}-{k}"
            f["id"] = cand
            taken.add(cand)

    # documents named by the rows: declared ones are reused, others declared
    by_url = {d.url: d.id for d in documents.values() if d.url}
    new_docs: dict[str, dict[str, Any]] = {}
    for _, f in raw_rows:
        for s in f.get("source", []):
            v = s["doc"]
            if v in documents or v in new_docs:
                continue
            if _URL.match(v):
                did = by_url.get(v) or doc_id_for(v)
                s["doc"] = did
                if did not in documents and did not in new_docs:
                    new_docs[did] = {"id": did, "url": v,
                                     "notes": f"declared by ledger-tool import from {Path(name).name}"}
            else:
                did = doc_id_for(v)
                s["doc"] = did
                if did not in documents and did not in new_docs:
                    d = {"id": did, "notes": f"declared by ledger-tool import from {Path(name).name}"}
                    if did != v:
                        d["title"] = v
                    new_docs[did] = d

    warned: list[Problem] = []
    accepted = _validate(raw_rows, entries, documents, new_docs, rejects, name, cols,
                         held=held, given=given, gives=set(cols) | set(defaults),
                         warned=warned, apart=apart, part_rows=part_rows)
    used_docs = {s.doc for _, e in accepted for s in e.sources}
    docs_out = [d for did, d in new_docs.items() if did in used_docs]
    text = render([f for f, _ in accepted], docs_out) if accepted else ""
    entries_out = [e for _, e in accepted]
    return ImportResult(name, entries_out, docs_out, text, rejects,
                        int((~blank).sum()) + len(malformed), cols,
                        ignored, table, got.warnings, warned, got.rows,
                        {r: eid for (r, i), eid in zip(order, seq_ids) if i < 0 and eid},
                        listed_from)


FISCAL_HEADER = "fiscal year start"


def _bulk_period_columns(headers: list[str]) -> dict[str, str]:
    """The bulk format's period columns (``period_kind``, ``years``,
    ``start``, ``end``, ``fiscal_year``) by name -> header, when the file
    has ``period_kind`` (a generic spreadsheet's lone "start" is no period
    column: it is noted as not imported)."""
    named = {h.strip().lower(): h for h in headers}
    if "period_kind" not in named:
        return {}
    return {c: named[c] for c in PERIOD_COLUMNS if c in named}


def fiscal_day(value: Any) -> str:
    """A fiscal year start ("7-1", "--07-01", (7, 1)) as MM-DD; 1 April
    when none is given (as a ledger without the option counts); raises
    ``OptionError``."""
    month, day = fiscal_start(value or "04-01")
    return f"{month:02d}-{day:02d}"


def valid_fiscal_start(value: Any) -> bool:
    """``value`` is a fiscal year start ``fiscal_day`` reads (a ledger's
    option may not be: ``check`` names it)."""
    try:
        fiscal_day(value)
    except OptionError:
        return False
    return True


def _fiscal_start_given(table, headers: list[str], name: str,
                        warnings: list[str]) -> tuple[str, str]:
    """(MM-DD, the column): the fiscal year start a listing's or an
    export's ``fiscal_year_start`` column gives, the same on every row;
    ("", column) when it gives none, or several or a bad one (said in
    ``warnings``)."""
    at = next((h for h in headers if _norm_header(h) == FISCAL_HEADER), None)
    if at is None:
        return "", ""
    given = sorted({c.strip() for c in table[at].astype(str)} - {""})
    try:
        starts = sorted({fiscal_day(v) for v in given})
    except OptionError as err:
        warnings.append(f"{name}: column {at!r}: {err}; its fiscal year start is not carried")
        return "", at
    if len(starts) > 1:
        warnings.append(f"{name}: column {at!r} gives several fiscal year starts "
                        f"({', '.join(starts)}); none is carried")
        return "", at
    return (starts[0] if starts else ""), at


def _fiscal_year(text: str, start: str) -> str:
    """A period cell that is a fiscal year ("fiscal year 2017-18") as its
    dates in a ledger whose fiscal years start on ``start`` (MM-DD); ""
    for any other period."""
    try:
        period = parse_period(text)
    except PeriodError:
        return ""
    if period.kind != FISCAL_YEAR or not period.fiscal_year:
        return ""
    month, day = fiscal_start(start)
    first = int(period.fiscal_year[:4])
    end = dt.date(first + 1, month, day) - dt.timedelta(days=1)
    return f"from {dt.date(first, month, day).isoformat()} to {end.isoformat()}"


def _malformed_ids(order: list[tuple[int, int]], ids: list[str],
                   cells: dict[int, list[str]], at: int | None, width: int,
                   date_at: int | None = None, date_format: str | None = None) -> list[str]:
    """The id of each row of ``order`` ((row, index in ``ids``, -1 for a
    malformed row)): a malformed row's is its cell at the id column (``at``
    of ``width`` columns), counted from the left or, when a cell too many or
    too few comes before it, from the right: whichever is the id of a row
    next to it, else of another row, else, for a row short of cells (its
    last ones missing), its cell read from the left when its date column
    (``date_at``) holds a date ("" when unsure). A cell on several lines or
    that reads as a date is never an id."""
    import pandas as pd

    out = [ids[i] if i >= 0 else "" for _, i in order]
    if at is None:
        return out
    known = set(out) - {""}
    # each malformed row's readings: (id cell, date cell), left then right
    readings: dict[int, list[tuple[str, str | None]]] = {}
    short = set()     # rows short of cells whose left reading holds the id cell
    for r, i in order:
        rec = cells.get(r)
        if i >= 0 or rec is None:
            continue
        shifts = dict.fromkeys((0, len(rec) - width))
        readings[r] = [(rec[at + s].strip(), None if date_at is None else
                        rec[date_at + s].strip() if 0 <= date_at + s < len(rec) else "")
                       for s in shifts if 0 <= at + s < len(rec)]
        if at < len(rec) <= width:
            short.add(r)
    told = list(dict.fromkeys(c for rs in readings.values() for pair in rs for c in pair
                              if c is not None))
    _, reasons = parse_dates(pd.Series(told, dtype=object), date_format)
    dated = {c for c, why in zip(told, reasons) if c and not why.startswith("not a date")}
    for k, (r, _) in enumerate(order):
        if r not in readings:
            continue
        cands = [(c, d) for c, d in readings[r]
                 if c and c not in dated and not any(ch in c for ch in "\r\n")]
        near = {out[k - 1] if k else "", out[k + 1] if k + 1 < len(out) else ""} - {""}
        c, d = readings[r][0]        # the left reading when the row is short
        sure = {c} if r in short and (c, d) in cands and (d is None or d in dated) else set()
        out[k] = next((c for c, _ in cands if c in near), None) or next(
            (c for c, _ in cands if c in known), next(iter(sure)) if len(sure) == 1 else "")
    return out


def refused_with(r: int, at: int) -> str:
    """Why row ``r`` of an entry given over several rows is refused: the
    entry was, at its row ``at``."""
    return (f"one entry with the rows {'below' if r < at else 'above'} (the same id, or "
            f"an exported split entry's parts), refused at row {at}")


@dataclass
class _Refused:
    """A split entry refused (its rows next to each other): its id, its last
    row so far and the row that refused it."""
    id: str = ""
    last: int = 0
    at: int = 0

    def goes_on(self, eid: str, row_above: int | None) -> bool:
        """Whether a row of id ``eid`` below ``row_above`` is one more row of it."""
        return bool(eid) and eid == self.id and row_above == self.last


def record_warning(p: Problem, file: str, where: str) -> Problem:
    """An accepted record's warning ``p`` (a rule's, as ``check`` words it)
    as an import problem of kind "warning" at ``where`` in ``file``."""
    return import_problem(file, where, f"entry {p.entry_id!r}: {p.message}"
                          + (f" (hint: {p.hint})" if p.hint else ""), "warning")


def listed_links(cell: str) -> tuple[dict[str, str], str]:
    """A ``links`` cell as ``list --format csv`` writes it (``KIND=ID``
    separated by ';', KIND one of ``LINK_KINDS``): {kind: target}, and ''
    or why it cannot be read (then nothing of it is kept)."""
    out: dict[str, str] = {}
    for item in (x.strip() for x in cell.split(";")):
        if not item:
            continue
        kind, eq, target = (x.strip() for x in item.partition("="))
        if not eq or kind not in LINK_KINDS or not target:
            return {}, (f"{clip(item)!r} is not KIND=ID with KIND one of "
                        f"{', '.join(LINK_KINDS)} (as 'list --format csv' writes links)")
        if kind in out:
            return {}, f"{kind} is given twice; an entry has one {kind} link"
        out[kind] = target
    return out, ""


_SHARE = re.compile(r"[0-9]+(?:\.[0-9]+)?")   # a split's share as a listing writes it

_SPACE = f"[{re.escape(TAG_SPACE)}]*"
_QUOTED_TAG = re.compile(f'{_SPACE}"((?:[^"]|"")*)"{_SPACE}(?=[;,\n]|$)')
_TAG_END = re.compile(r"[;,\n]|$")


def cell_tags(cell: str) -> list[str]:
    """A spreadsheet cell's tags: between ';', ',' or lines, each trimmed as
    a bulk cell's are (so a control character reaches the tag rule); a tag
    in double quotes ("a, b", quotes doubled) as written, so a listing's tag
    holding a comma (``tags_cell``) comes back whole."""
    out, pos = [], 0
    while pos <= len(cell):
        m = _QUOTED_TAG.match(cell, pos)
        if m:
            tag, pos = m.group(1).replace('""', '"'), m.end() + 1
        else:
            end = _TAG_END.search(cell, pos)
            assert end is not None    # "$" always matches
            tag, pos = cell[pos:end.start()].strip(TAG_SPACE), end.start() + 1
        if tag.strip(TAG_SPACE):
            out.append(tag)
    return out


def tags_cell(tags: str) -> str:
    """The Book's tags (joined by ';') as a listing's cell that ``cell_tags``
    reads back: a tag holding a comma or a double quote in double quotes."""
    return ";".join(f'"{t.replace(chr(34), chr(34) * 2)}"' if "," in t or '"' in t else t
                    for t in tags.split(";"))
_JSON = json.JSONDecoder()


def listed_split(cell: str) -> list[tuple[str, str]] | None:
    """A listing's split cell (``reports.listing.split_names``) as its
    (purpose, share) parts: ``PURPOSE=SHARE; ...``, the share after a
    purpose's last "=", a purpose holding "; " written as a JSON string;
    None when the cell is not one."""
    parts: list[tuple[str, str]] = []
    pos = 0
    while True:
        if cell.startswith('"', pos):
            try:
                name, end = _JSON.raw_decode(cell, pos)
            except ValueError:
                return None
            share = _SHARE.match(cell, end + 1) if cell.startswith("=", end) else None
            if not isinstance(name, str) or share is None:
                return None
            pos = share.end()
            share_text = share.group()
        else:
            end = cell.find("; ", pos)
            end = len(cell) if end < 0 else end
            name, _, share_text = cell[pos:end].rpartition("=")
            name = name.strip()
            if not _SHARE.fullmatch(share_text):
                return None
            pos = end
        if not name.strip():
            return None
        parts.append((name, share_text))
        if pos == len(cell):
            return parts
        if not cell.startswith("; ", pos) or pos + 2 == len(cell):
            return None
        pos += 2


def _amount_numbers(cells: list[str], sheet: Sheet, column: str | None, rows, source: str = ""):
    """Each amount cell read with one decimal mark for the column
    (``decimal_mark`` over the numbers of its text cells, phrases' too):
    its cells' own, else Excel's in a semicolon-separated file (where the
    decimal mark is a comma), else a point.  ``number(i, currency)``: (the
    cell's value when it is a number, None for a phrase; the cell as
    ``parse_amount`` reads it as meant; why it is refused or '').  An XLSX
    number cell is a number whatever the mark.  Ambiguous cells read against
    the default are said in one of ``sheet.warnings`` (``decided_note``)."""
    import numpy as np

    numeric = sheet.numbers.get(column or "")
    tokens: list[str] = []
    owner: list[int] = []
    for i, c in enumerate(cells):
        if numeric is None or not numeric[i]:
            found = phrase_numbers(c)
            tokens += found
            owner += [i] * len(found)
    marks = decimal_mark(tokens, COMMA if sheet.delimiter == ";" else POINT,
                         where=lambda k: f"row {rows[owner[k]]}: {cells[owner[k]]!r}")
    decided = decided_note(marks, tokens.__getitem__, lambda k: f"row {rows[owner[k]]}")
    if decided:
        sheet.warnings.append(f"{source}: amount: {decided}")
    against: dict[int, str] = {}   # cell -> its first contrary number
    for k in np.flatnonzero(marks.contrary).tolist():
        against.setdefault(owner[k], tokens[k])
    shown = "" if marks.example is None else \
        f"row {rows[owner[marks.example]]}: {cells[owner[marks.example]]!r}"

    def reads(phrase: str) -> bool:
        try:
            parse_amount(phrase)
            return True
        except MoneyError:
            return False

    def number(i: int, currency: str) -> tuple[Decimal | None, str, str]:
        cell = cells[i]
        if i in against:
            token = against[i]
            why = contrary_number(token, marks, shown)
            return None, cell, why if token == cell.strip() else f"{cell!r}: {why}"
        if numeric is not None and numeric[i]:
            return read_number(cell, POINT), cell, ""
        value = read_number(cell, marks.mark)
        if value is not None:
            return value, cell, ""
        # a phrase that cannot be read either way is worded as written
        phrase = with_point(cell, marks.mark)
        return None, phrase if phrase == cell or reads(phrase) or reads(
            f"{phrase} {currency}") else cell, ""
    return number


def _row_fields(i, values, date, rejects, r, colname, number) -> dict[str, Any] | None:
    """Raw journal fields for row ``i`` (None when rejected here); ``number``:
    its amount as read (``_amount_numbers``)."""

    def v(fld):
        return values[fld][i]
    f: dict[str, Any] = {"id": v("id"), "date": date, "funder": v("funder"),
                         "purpose": v("purpose")}
    amount, currency = v("amount"), v("currency").upper()
    if foreign_digits(amount):     # Decimal() would read them as 0-9
        rejects.append(reject(r, colname["amount"], f"amount: {amount!r} is written with "
                                                    f"digits other than 0-9"))
        return None
    value, amount, why = number(i, currency) if amount else (None, amount, "")
    if why:
        rejects.append(reject(r, colname["amount"], f"amount: {why}"))
        return None
    if amount and currency:
        if value is not None:
            f["amount"], f["currency"] = format(value, "f"), currency
        else:
            try:
                p = parse_amount(amount)
            except MoneyError as err:
                try:   # "0.5m", "5 000": a phrase whose currency is the column's
                    p = parse_amount(f"{amount} {currency}")
                    amount = f"{amount} {currency}"
                except MoneyError:
                    rejects.append(reject(r, colname["amount"], f"amount: {err}"))
                    return None
            if p.currency != currency:
                rejects.append(reject(r, colname["currency"],
                                      f"the amount {amount!r} is in {p.currency}, "
                                      f"the currency column says {currency}"))
                return None
            f["amount"] = amount
    else:
        f["amount"] = amount
    f["qualifier"] = v("qualifier").lower()
    f["period"] = v("period")
    if f["period"].lower() in ("one-off", "one off", "once"):
        f["period"] = "one-off"
    f["status"] = v("status").lower()
    for k in ("disburses", "part_of", "restates", "recipient", "location", "notes"):
        f[k] = v(k)
    if v("links"):   # a listing's links: each into its own field, as its column would be
        links, why = listed_links(v("links"))
        for k, target in links.items():
            if f[k] and f[k] != target:
                why = why or (f"the links column names {k}={target}, the {k} column "
                              f"{f[k]!r}; keep one of them")
            f[k] = target
        if why and "=" not in v("links"):   # perhaps the sources' URLs, not a listing's links
            why += f"; a column of documents is named with --map: [columns] doc = " \
                   f"{colname['links']!r}"
        if why:
            rejects.append(reject(r, colname["links"], f"links {clip(v('links'))!r}: {why}"))
            return None
    if colname["links"] != "(default links)" and "=" in f["purpose"]:
        # a listing's split entry: its purposes in one cell, PURPOSE=AMOUNT; ...
        # (read so only when the shares add up to the amount: a purpose may hold '=')
        parts = listed_split(f["purpose"])
        if parts and _SHARE.fullmatch(f["amount"]) \
                and sum(Decimal(share) for _, share in parts) == Decimal(f["amount"]):
            f["split"] = [{"purpose": name, "amount": share} for name, share in parts]
            f["purpose"] = ""
    f["restated"] = [x.strip() for x in re.split(r"[;\n]", v("restated")) if x.strip()]
    if v("value_date"):     # the date of the exchange rate (a listing's, IATI's value-date)
        f["value_date"] = _iso_day(v("value_date"))
    f["tags"] = cell_tags(v("tags"))
    docs = _citations(v("doc"))
    listed = [x.strip() for x in v("sources").split(";") if x.strip()]
    if listed and any(docs) and dict.fromkeys(listed) != dict.fromkeys(d for d in docs if d):
        rejects.append(reject(r, f"{colname['doc']}; {colname['sources']}",
                              f"entry {v('id')!r}: the document columns disagree: "
                              f"{', '.join(d for d in docs if d)} "
                              f"against {', '.join(listed)}; keep one of them"))
        return None
    if listed and not any(docs):
        docs = listed
    quotes, locs = _citations(v("quote")), _citations(v("locator"))
    if len(docs) == 1 and len(quotes) > 1 and cell_citations(v("quote")) is None:
        quotes = [v("quote")]                       # one document, newlines in its quote
    for what, got in (("quote", quotes), ("locator", locs)):
        if len(got) > max(len(docs), 1):            # never one dropped unsaid
            rejects.append(reject(r, colname[what], (
                f"entry {v('id')!r}: {len(got)} {what}s for {len(docs)} "
                f"document{'s' if len(docs) != 1 else ''}: one a line or a JSON list, "
                f"one per document in its order")))
            return None
    sources = []
    if any(docs):
        for n, d in enumerate(docs):
            if not d:
                continue
            src = {"doc": d}
            if n < len(quotes) and quotes[n]:
                src["quote"] = quotes[n]
            if n < len(locs) and locs[n]:
                src["locator"] = locs[n]
            sources.append(src)
    elif v("quote"):
        rejects.append(reject(r, colname["quote"], "a quote without a source document "
                              "(fill the source/doc column)"))
        return None
    f["source"] = sources
    if f.get("entry_amount") is None and values["entry_amount"][i]:
        f["_entry_amount"] = values["entry_amount"][i]
    return f


def _citations(cell: str) -> list[str]:
    """An entry's citation values from one cell: a JSON list exactly
    (``ledger.imports.cells``), else one a line, trimmed."""
    listed = cell_citations(cell)
    if listed is not None:
        return listed
    return [x.strip() for x in cell.split("\n")] if cell else []


# what the rows of one split entry may differ in: their purpose and share
# (as 'check' reads a bulk file, each row's amount is its share); the rest
# is the entry's, said on each row
_PART_FIELDS = {False: {"purpose", "amount", "_parts", "_entry_amount"},
                True: {"purpose", "_parts"}}


def _one_more_purpose(f: dict[str, Any], g: dict[str, Any], part: tuple[str, str],
                      exported: bool) -> str:
    """Add row ``g`` to entry ``f`` as one more ``part`` (purpose, share) in
    ``f["_parts"]``: as the bulk reader reads rows of one id next to each
    other (``exported`` False: the entry's amount their sum), or as
    ledger-tool's export writes a split entry (one row per purpose and year,
    the entry's values on each); or why not, with what to do (empty: added)."""
    what = ("the rows of one id next to each other are one entry split between purposes, "
            + ("as 'ledger-tool export' writes it" if exported else
               "as 'ledger-tool check' reads the file"))
    parts = f["_parts"]
    if not exported:
        for amount in (parts[0][1], part[1]):
            try:   # finite and within the limits before any sum
                bounded_number(str(amount), "share")
            except NumberError as err:
                return (f"{what}, which gives each row its purpose's share as a number "
                        f"({err}); write the shares as numbers with a currency column, "
                        f"or give this row its own id (another pledge)")
    differ = [k.lstrip("_") for k in sorted(set(f) | set(g))
              if k not in _PART_FIELDS[exported] and f.get(k) != g.get(k)]
    if differ:
        return (f"{what}, but they differ in {', '.join(differ)}; give this row its own id "
                f"(another pledge), or the same {', '.join(differ)} (one more purpose of it)")
    earlier = dict(parts).get(part[0]) if exported else None
    if earlier is not None and earlier != part[1]:
        return (f"{what}, but the purpose {part[0]!r} has the share {earlier} above and "
                f"{part[1]} here; one share per purpose")
    parts.append(part)
    return ""


def _one_entry(f: dict[str, Any], exported: bool, rows: list[int]) -> list[int]:
    """An entry given over several rows (``_one_more_purpose``; ``rows``:
    its rows, a part each) as one split entry: from a bulk file, its amount
    the sum of its rows'; from the export (one row per purpose and year),
    each purpose once, its amount as the rows say it.  Returns the rows of
    its split's parts, in turn (the first of a purpose's; none unless split)."""
    parts = f.pop("_parts", None)
    whole = f.pop("_entry_amount", None)
    if not parts:
        return []
    if not exported:
        if len(parts) > 1:
            f["split"] = [{"purpose": p, "amount": a} for p, a in parts]
            f["amount"] = str(sum((Decimal(a) for _, a in parts), Decimal(0)))
            f["purpose"] = ""
            return rows[:len(parts)]
        return []
    # purpose -> (its share, its first row); one share per purpose
    first: dict[str, tuple[str, int]] = {}
    for part, r in zip(parts, rows):
        first.setdefault(part[0], (part[1], r))
    # one purpose whose share is not the entry's amount: a part of it is
    # missing, so the rules refuse the split that does not add up
    if len(first) > 1 or (whole and not _same_number(parts[0][1], whole)):
        f["split"] = [{"purpose": p, "amount": a} for p, (a, _) in first.items()]
        f["purpose"] = ""
        return [r for _, r in first.values()]
    return []


def _apart(ids, rows) -> dict[str, list[int]]:
    """The ids whose rows are not all next to each other (``ids``: each row
    read, in turn, at the spreadsheet ``rows``): id -> its rows."""
    import numpy as np
    import pandas as pd

    if not len(ids):
        return {}
    starts = pd.Series(np.r_[True, ids[1:] != ids[:-1]])   # a run of one id begins
    runs = starts.groupby(ids).sum()
    ids_apart = runs.index[(runs > 1) & (runs.index != "")]
    if not len(ids_apart):
        return {}
    at = np.isin(ids, ids_apart)
    return {k: list(map(int, v)) for k, v in
            pd.Series(np.asarray(rows)[at]).groupby(ids[at], sort=False)}


# what the rules say of rows of one id apart: read as separate entries
_APART_CODES = ("duplicate-id", "split-sum")


def _apart_reason(eid: str, rows: list[int], why: list[str]) -> str:
    """Why the rows of ``eid`` (at ``rows``, not next to each other) are
    refused: the rules' reasons ``why``, said as what they come from."""
    shown = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10:,} more"
                                              if len(rows) > 10 else "")
    said = f" ({'; '.join(why)})" if why else ""
    return (f"the rows of id {eid!r} are not next to each other (rows {shown}), so they are "
            f"read as separate entries{said}; put the rows of one entry next "
            f"to each other (sort the file by id), or give each pledge its own id")


def _same_number(a: str, b: str) -> bool:
    """Whether two cells are the same plain number (True unless both are)."""
    try:
        return Decimal(a.replace(",", "")) == Decimal(b.replace(",", ""))
    except InvalidOperation:
        return True


def _validate(raw_rows, entries, documents, new_docs, rejects, name, cols, rows=True,
              warned: list[Problem] | None = None, apart: dict[str, list[int]] | None = None,
              part_rows: dict[int, list[int]] | None = None,
              held: dict[str, tuple[str, int]] | None = None, given: set[str] | None = None,
              gives: set[str] | None = None):
    """Check the rows' fields with the existing ledger by the one rule
    engine (``ledger.imports.rows.check_records``: the raw form and
    ``check_raw``); reject what fails, each reject naming the column of the
    field at fault (the problem's ``field``, or its code for problems
    between entries).  A row whose id is in the ledger, or repeating one of
    its figures, is refused too.  Returns (table, entry) of each accepted
    row (the entry: its checked rows' ``EntryRow``; None unless ``rows``);
    the accepted rows' warnings go to ``warned`` (at the row's first line).
    ``apart``: id -> its rows, of the ids whose rows are not next to each
    other; what the rules say of that (a duplicate id, a split that does
    not add up) is said as that, once per row.  An entry given over several
    rows is refused on each of them: the reason at the row it comes from
    (``part_rows``: an entry's first row -> the rows of its split's parts,
    where the rules word a part's problem), ``refused_with`` on the others."""
    ledger = ledger_entries(entries)   # from a Book's tables, no Entry made
    existing = {f["id"]: (file, line) for f, file, line in zip(*ledger)}
    held = {k: at for k, at in (held or {}).items() if k not in existing}
    existing.update(held)
    todo: list[tuple[list[int], dict[str, Any]]] = []

    def refuse(rs: list[int], at: dict[int, list[tuple[str, str]]]) -> None:
        # the entry at rows ``rs`` refused: ``at``, row -> (column, reason)
        first = min(at)
        for r in rs:
            for column, why in at.get(r, ()):
                rejects.append(reject(r, column, why))
            if r not in at:
                rejects.append(reject(r, cols.get("id", ""), refused_with(r, first)))

    for rs, f in raw_rows:
        # the fields as the journal will hold them (what the TOML written says)
        table = entry_table(f)
        eid = table.get("id", "")
        if eid in existing:
            file, line = existing[eid]
            refuse(rs, {rs[0]: [(cols.get("id", "(generated id)"),
                                 f"id {eid!r} is already in the ledger "
                                 f"({file}:{line}"
                                 + (", an entry check refuses: mend or delete it there, "
                                    "then import again" if eid in held else "")
                                 + "); not overwritten")]})
            continue
        todo.append((rs, table))

    # what this input can say of a figure: a spreadsheet's mapped columns
    # (IATI and FTS records, which pass no columns, give every field)
    can_give = gives if gives is not None else (set(cols) if cols else None)
    own = given or set()      # the ids the rows give (not generated)
    # each row's verdict, made once over the rows the rules first accept: a
    # row refused later must not hand its entry to another row
    verdicts: dict[int, Same] = {}
    beside: dict[int, Problem] = {}

    def twins(figures: dict[int, tuple]) -> dict[int, Problem]:
        # a row repeating a figure of the ledger or of another row
        if not verdicts:
            ledger_figures = Figures(can_give)
            for key, f, file, line in zip(ledger.figures(), *ledger):
                ledger_figures.add(key, (f["id"], file, line))
            verdicts.update(same_figures(ledger_figures, {
                k: (key, todo[k][1].get("id", "") in own) for k, key in figures.items()}))
        out = {}
        for k in figures:
            rs, table = todo[k]
            v = verdicts.get(k, Same())
            if v.row is not None:       # another row's figure: its entry's, or the row's own
                j = v.row
                twin = verdicts[j].entry or (todo[j][1].get("id", ""), name, todo[j][0][0])
            else:
                twin = v.entry
            if twin is not None:
                out[k] = Problem(name, rs[0], table.get("id", ""), duplicate_message(*twin))
            elif v.beside:
                beside[k] = Problem(name, rs[0], table.get("id", ""), more_rows_message(
                    v.beside, v.agreeing), severity="warning")
        return out

    part_rows = part_rows or {}
    got = check_records([t for _, t in todo], [rs[0] for rs, _ in todo], name=name,
                        ledger=ledger, documents={*documents, *new_docs}, refuse=twins,
                        rows=rows, part_lines=[part_rows.get(rs[0], []) for rs, _ in todo])
    apart = apart or {}
    # what the rules say of the entries of an id apart, said on each of them
    why_apart: dict[str, list[str]] = {}
    for k, found in sorted(got.problems.items()):
        if todo[k][1].get("id", "") in apart:
            why_apart.setdefault(todo[k][1]["id"], []).extend(
                p.message for p in found if p.code in _APART_CODES)
    # the entries of an id apart the rules let through: refused all the same,
    # or one part of the pledge would be imported as if it were all of it
    kept_apart = [k for k in got.accepted if todo[k][1].get("id", "") in apart]
    for k in kept_apart:
        rs, table = todo[k]
        refuse(rs, {rs[0]: [(cols.get("id", ""), _apart_reason(
            table["id"], apart[table["id"]], list(dict.fromkeys(why_apart.get(table["id"], [])))))]})
    for k, found in sorted(got.problems.items()):
        rs, table = todo[k]
        rows_of = apart.get(table.get("id", ""))
        why = [p.message for p in found if p.code in _APART_CODES] if rows_of else []
        at: dict[int, list[tuple[str, str]]] = {}
        for p in found:
            if rows_of and why and p.code in _APART_CODES:
                if p is next(q for q in found if q.code in _APART_CODES):   # said once
                    at.setdefault(rs[0], []).append(
                        (cols.get("id", ""), _apart_reason(table["id"], rows_of, why)))
                continue
            at.setdefault(p.line if p.line in rs else rs[0], []).append(
                (_column_for(p, table, cols), p.message + (f" (hint: {p.hint})" if p.hint else "")))
        if at:
            refuse(rs, at)
    if warned is not None:
        warned.extend(p for k, found in sorted(got.warnings.items()) for p in found
                      if k not in kept_apart)
        warned.extend(p for k, p in sorted(beside.items()) if k in got.accepted
                      and k not in kept_apart)
    return [(todo[k][1], got.rows.get(k)) for k in got.accepted if k not in kept_apart]


# the field a problem without one is about, by its code (ledger.rules)
_CODE_FIELD = {"duplicate-id": "id", "split-sum": "purpose", "unknown-document": "doc",
               "unknown-status": "status", "unknown-qualifier": "qualifier",
               "unknown-currency": "currency"}


def _column_for(problem: Problem, table: dict[str, Any], cols: dict[str, str]) -> str:
    """The column of a rejected row a problem names: its ``field``'s, else
    by its code (a bad link: the columns of the row's links)."""
    if problem.code in ("missing-link", "self-link"):
        return "; ".join(dict.fromkeys(cols[k] for k in LINK_KINDS
                                       if table.get(k) and cols.get(k)))
    fld = _FIELD_COLUMN.get(problem.field, problem.field) or _CODE_FIELD.get(problem.code, "")
    if fld == "currency" and "currency" not in cols:
        fld = "amount"     # the currency was in the amount's phrase
    if fld == "doc" and "doc" not in cols:
        fld = "sources"    # the documents were named by the sources column
    return cols.get(fld, "")


# the spreadsheet field a problem's field is read from
_FIELD_COLUMN = {"split": "purpose", "source": "doc", "sources": "doc"}


def _iso_day(text: str) -> dt.date | str:
    """A YYYY-MM-DD cell as a date; any other text as it is, for the date
    rule to name."""
    try:
        return dt.date.fromisoformat(text.strip()[:10]) if len(text.strip()) == 10 else text
    except ValueError:
        return text
