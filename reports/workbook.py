"""The report as an Excel workbook, streamed (openpyxl's write-only mode).

``write_workbook(path, report, extra_sheets=(), charts=None)`` writes:

About · Summary · By purpose · By funder · By year · By status · Comparison ·
Funder accounts · Purpose accounts · Entries · Sources · Charts (when chart
PNGs are given) · then any ``extra_sheets``.

Table sheets: row 1 states what the figures are (currency, valuation, basis),
row 2 is the header (frozen, with an autofilter), data from row 3.  Amounts
are numbers with a currency number format; totals are live ``SUM`` formulas
over the rows above them (``SUMIF`` on the Entries sheet, counting only rows
marked "yes" in "counted"), so a spreadsheet recalculates them when the file is
opened or edited.  The Entries and Sources sheets hold at most
``entries_limit`` rows (default ``DEFAULT_SHEET_LIMIT``); a cut sheet says so
in row 1 and on the About sheet, has no SUMIF (a sum over part of the rows
would not be the ledger's total), and the full tables are written beside the
workbook (``reports.datafiles.write_full_tables``: entries.csv/.parquet,
sources.csv/.parquet).  Text that comes from the ledger or its sources is always
stored as a string (``data_type = "s"`` and Excel's quote prefix for text
starting with ``= + - @``), never as a formula.

Every sheet is written row by row and never held whole (memory stays flat
however long the Entries sheet is; ``--entries-sheet-limit all`` fills it up
to Excel's 1,048,576 rows).  So a sheet's widths, frozen panes, table columns
and page setup are decided before its first row: the small sheets are filled
as a grid (:class:`SheetGrid`) and streamed at their end, the Entries and
Sources sheets straight from the report's frames.  openpyxl's write-only mode
was chosen over XlsxWriter's constant_memory mode (faster, but without Excel
tables): benchmarks/README.md, "The streaming workbook".

``extra_sheets`` items are either ``(title, DataFrame)`` (written like the
other table sheets, no totals) or a callable ``fn(workbook, report)`` that adds
a sheet to the write-only workbook (``wb.create_sheet``, rows by
``ws.append`` of :func:`make_cell` cells; e.g. the audit's sheet).
"""
from __future__ import annotations

import copy
import datetime as dt
import math
import numbers
import os
import re
import warnings
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ledger.atomic import atomic_file
from ledger.memory import gc_paused
from ledger.model import BIDI_CONTROLS
from rates.table import currency_digits
from reports.amounts import format_data
from reports.charts import use_log
from reports.datafiles import write_full_tables
from reports.notes import report_horizon
from reports.options import TOTAL, Report, price_base
from reports.text import show_controls

FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_ROW = 2
FIRST_ROW = 3
MAX_WIDTH = 60
# column-width units printed on one landscape A4 page at no less than ~70 %
# of their size (about 150 fit at 100 %): text stays at 7.5 pt or more
PRINT_WIDTH_PER_PAGE = 220
# Rows written to the Entries and Sources sheets at most (``entries_limit``)
# unless the user asks for more (--entries-sheet-limit N|all).  Each 1,000
# rows of both sheets cost ~0.3 s of CPU (openpyxl, benchmarks/bench_workbook.py),
# so 2,000 (as many as the HTML page's table) keeps the workbook under ~1 s
# at any size; longer tables are cut with a note and written in full beside
# the workbook (``write_full_tables``).
DEFAULT_SHEET_LIMIT = 2_000
EXCEL_MAX_ROWS = 1_048_576
PROGRESS_EVERY = 100_000      # rows of a streamed sheet between progress messages


# ---------------------------------------------------------------- cells
def money_format(currency: str, locale: str, decimals: int | None = None) -> str:
    """An Excel number format for ``currency`` that puts the symbol where the
    locale puts it (babel): '"£"#,##0.00' or '#,##0.00 "€"'."""
    from babel import Locale
    from babel.numbers import get_currency_symbol


    k = currency_digits(currency) if decimals is None else decimals
    num = "#,##0" + ("." + "0" * k if k else "")
    sym = get_currency_symbol(currency, locale=locale).replace('"', "")
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    before = pattern.strip().startswith("¤")
    return f'"{sym}"{num}' if before else f'{num} "{sym}"'


def make_cell(ws, value, number_format: str | None = None):
    """One cell of ``ws``, to be appended (``ws.append``) to a streaming
    (write-only) sheet or any other.  Strings are always text, never
    formulas: a string starting with = + - @ is stored as text with Excel's
    quote prefix."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or (isinstance(value, float) and value != value):
        value = None
    elif isinstance(value, pd.Timestamp):
        value = value.date()
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, str):
        value = _storable(value)
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str):
        cell.data_type = "s"          # binding made "=..." a formula: undo it
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, (dt.date, dt.datetime)):
        cell.number_format = "yyyy-mm-dd"
    if number_format:
        cell.number_format = number_format
    return cell


EXCEL_MAX_CHARS = 32_767
# A spreadsheet number is an IEEE double: a decimal of up to 15 significant
# digits comes back exactly (DBL_DIG), and Excel and LibreOffice show no more
EXACT_DIGITS = 15


def fits_a_number(value) -> bool:
    """Whether a spreadsheet number cell holds and shows ``value`` exactly:
    a Decimal of at most EXACT_DIGITS significant digits (£10,000,000,000,000.01
    has 17; £10^15 has 1).  Anything else is not ours to judge: True."""
    if not isinstance(value, Decimal) or not value.is_finite() or not value:
        return True
    return len(value.normalize().as_tuple().digits) <= EXACT_DIGITS


def exact_text(value: Decimal) -> str:
    """An amount no spreadsheet number holds, as the exact text written instead."""
    return format(value, "f")


def exact_text_note(where: str, n: int) -> str:
    """The note on a sheet with amounts written as text (and on stderr)."""
    return (f"{n:,} amount{'s' if n != 1 else ''} {where} ha{'ve' if n != 1 else 's'} more "
            f"than {EXACT_DIGITS} significant digits, more than a spreadsheet number holds "
            f"(it would show a rounded figure): written as exact text, right-aligned; the "
            f"totals there are written as their exact values, not as formulas, and no chart "
            f"is drawn from them.")


def exact_figures_note(where: str, n: int) -> str:
    """The note on a sheet with rates or audit figures written as text."""
    return (f"{n:,} figure{'s' if n != 1 else ''} {where} (rates, audit figures) "
            f"ha{'ve' if n != 1 else 's'} more than {EXACT_DIGITS} significant digits, more "
            f"than a spreadsheet number holds (it would show a rounded figure): written as "
            f"exact text, right-aligned.")


# a rate shown to its last digit (up to EXACT_DIGITS significant digits, the
# ones a number cell holds); Excel allows 30 decimal places at most
RATE_FORMAT = "0.0" + "#" * 29


def _storable(text: str) -> str:
    """Text as XLSX can hold it: control characters Excel refuses (openpyxl's
    IllegalCharacterError) shown as \\xNN, and over-long text cut to Excel's
    32,767-character limit with a visible note."""
    text = show_controls(text)   # openpyxl's ILLEGAL_CHARACTERS and the bidi controls
    if len(text) > EXCEL_MAX_CHARS:
        note = f" [… cut: {len(text)} characters, Excel holds {EXCEL_MAX_CHARS}]"
        text = text[:EXCEL_MAX_CHARS - len(note)] + note
    return text


def _cached_cell_class():
    """openpyxl's Cell with room for a formula's cached value, and its cell
    writer taught to write that value as ``<v>`` beside ``<f>`` (openpyxl
    writes formulas with an empty value: pandas and openpyxl's data_only
    reading then see nothing, until a spreadsheet recalculates and saves)."""
    global _FormulaCell
    if _FormulaCell is not None:
        return _FormulaCell
    import openpyxl.worksheet._writer as sheet_writer
    from openpyxl.cell.cell import Cell
    from openpyxl.xml.functions import Element, SubElement

    class FormulaCell(Cell):
        __slots__ = ("cached",)

    base = sheet_writer.write_cell

    def write_cell(xf, worksheet, cell, styled=None):
        cached = getattr(cell, "cached", None) if type(cell) is FormulaCell else None
        if cached is None or cell.data_type != "f":
            return base(xf, worksheet, cell, styled)
        attrs = {"r": cell.coordinate}
        if styled:
            attrs["s"] = f"{cell.style_id}"
        el = Element("c", attrs)
        SubElement(el, "f").text = cell._value[1:]
        SubElement(el, "v").text = _number_text(cached)
        xf.write(el)

    sheet_writer.write_cell = write_cell
    _FormulaCell = FormulaCell
    return FormulaCell


_FormulaCell = None


def _number_text(value) -> str:
    """A cached value as the XML number text (plain decimal, no exponent)."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if d != d.to_integral_value():
        d = d.quantize(Decimal(1).scaleb(-15)) if abs(d) < 1 else d
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


def formula_cell(ws, text: str, number_format: str | None = None, bold=True, value=None):
    """One of the report's own formulas, carrying ``value`` (what the formula
    computes over the cells we wrote) as its cached value when given."""
    from openpyxl.styles import Font

    cell = _cached_cell_class()(ws, row=1, column=1, value=text)   # our own formula
    cell.cached = value
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(n)


# ---------------------------------------------------------------- sheets
class SheetGrid:
    """A small sheet filled cell by cell in any order (totals under the data,
    formulas beside it), then streamed to its worksheet in one go by
    :meth:`flush`.  A streaming sheet writes its widths, frozen panes and page
    properties before its first row: set them before ``flush``.  Works on a
    write-only workbook's sheet and on an ordinary one."""

    def __init__(self, wb, title: str):
        self.ws = wb.create_sheet(title)
        self.cells: dict[int, dict[int, Any]] = {}

    def put(self, row: int, col: int, value, number_format: str | None = None):
        """Write one cell (see :func:`make_cell`: text is never a formula)."""
        cell = make_cell(self.ws, value, number_format)
        self.cells.setdefault(row, {})[col] = cell
        return cell

    def formula(self, row: int, col: int, text: str, number_format: str | None = None,
                bold=True, value=None):
        """One of our formulas; its cached value is ``value``, or else what it
        computes over this grid's cells when the grid is flushed
        (:meth:`computed`)."""
        cell = formula_cell(self.ws, text, number_format, bold, value)
        self.cells.setdefault(row, {})[col] = cell
        return cell

    def computed(self, row: int, col: int, _seen=frozenset()):
        """A cell's number as a spreadsheet computes it: the report's own
        formulas (=0, =SUM(range), =A3-B3, =IF($B$9=0,0,B3/$B$9)) evaluated
        over this grid; text and empty cells are 0, as SUM takes them."""
        from openpyxl.utils import column_index_from_string, range_boundaries

        cell = self.cells.get(row, {}).get(col)
        if cell is None:
            return Decimal(0)
        if cell.data_type != "f":
            v = cell.value
            return Decimal(str(v)) if isinstance(v, numbers.Number) \
                and not isinstance(v, bool) else Decimal(0)
        if getattr(cell, "cached", None) is not None:
            return Decimal(str(cell.cached))
        if (row, col) in _seen:
            raise ValueError(f"{self.ws.title}: circular formula at {_col(col)}{row}")
        seen = _seen | {(row, col)}

        def ref(text: str):
            m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", text)
            if m is None:
                raise ValueError(f"{self.ws.title}: no cell {text!r} in ={cell.value[1:]}")
            return self.computed(int(m[2]), column_index_from_string(m[1]), seen)

        text = cell.value[1:]
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            value = Decimal(text)
        elif m := re.fullmatch(r"SUM\(([A-Z]+\d+:[A-Z]+\d+)\)", text):
            c1, r1, c2, r2 = range_boundaries(m[1])
            value = sum((self.computed(r, c, seen) for r in range(r1, r2 + 1)
                         for c in range(c1, c2 + 1)), Decimal(0))
        elif m := re.fullmatch(r"(\$?[A-Z]+\$?\d+)-(\$?[A-Z]+\$?\d+)", text):
            value = ref(m[1]) - ref(m[2])
        elif m := re.fullmatch(r"IF\((\S+?)=0,0,(\S+?)/(\S+?)\)", text):
            den = ref(m[3])
            value = Decimal(0) if ref(m[1]) == 0 else ref(m[2]) / den
        else:
            raise ValueError(f"{self.ws.title}: no cached value for ={text}")
        cell.cached = value
        return value

    def _exact_text(self) -> None:
        """Amounts (and totals) no spreadsheet number holds exactly
        (:func:`fits_a_number`) become exact text; then every formula of the
        grid becomes its value (a SUM over text would leave it out), and
        row 1 says so.  A grid whose amounts all fit is left as it is."""
        from openpyxl.styles import Alignment

        def is_share(cell) -> bool:
            return "%" in str(cell.number_format)

        wide = {(r, c) for r, row in self.cells.items() for c, cell in row.items()
                if cell is not None and cell.data_type in ("n", "f") and not is_share(cell)
                and not fits_a_number(cell.cached if cell.data_type == "f" else cell.value)}
        if not wide:
            return
        for r, row in self.cells.items():
            for c, cell in row.items():
                if cell is None or (cell.data_type != "f" and (r, c) not in wide):
                    continue
                value = cell.cached if cell.data_type == "f" else cell.value
                if (r, c) in wide:
                    new = make_cell(self.ws, exact_text(value))
                    new.alignment = Alignment(horizontal="right")
                else:
                    with localcontext() as ctx:
                        ctx.prec = EXACT_DIGITS
                        new = make_cell(self.ws, +value, cell.number_format)
                new.number_format, new.font = cell.number_format, copy.copy(cell.font)
                # a projected year's shading and the grid's borders stay
                new.fill, new.border = copy.copy(cell.fill), copy.copy(cell.border)
                new.protection = copy.copy(cell.protection)
                row[c] = new
        self.exact = self.ws.exact_text = len(wide)   # build_workbook's note counts them
        note = exact_text_note("on this sheet", len(wide))
        head = self.cells.setdefault(1, {}).get(1)
        if head is not None and isinstance(head.value, str):
            head.value = f"{head.value} {note}"
        else:
            self.put(1, 1, note)

    def cell(self, row: int, col: int):
        """The cell at (row, col), an empty one when nothing was written there."""
        row_cells = self.cells.setdefault(row, {})
        if col not in row_cells:
            row_cells[col] = make_cell(self.ws, None)
        return row_cells[col]

    def value(self, row: int, col: int):
        cell = self.cells.get(row, {}).get(col)
        return None if cell is None else cell.value

    @property
    def max_row(self) -> int:
        return max(self.cells, default=0)

    exact: int = 0      # amounts written as exact text (no spreadsheet number holds them)

    def flush(self) -> None:
        for r, row in self.cells.items():     # every formula carries its value
            for c, cell in row.items():
                if cell is not None and cell.data_type == "f":
                    self.computed(r, c)
        self._exact_text()
        append = self.ws.append
        for r in range(1, self.max_row + 1):
            row = self.cells.get(r) or {}
            append([row.get(c) for c in range(1, max(row, default=0) + 1)])
        self.cells = {}


class _Sheet(SheetGrid):
    """A table sheet: caption, header, rows; remembers widths for autosizing."""

    def __init__(self, wb, title: str, caption: str, headers: list[str]):
        from openpyxl.styles import Font

        super().__init__(wb, title)
        self.headers = headers
        self.widths = [len(str(h)) + 2 for h in headers]
        self.put(1, 1, caption).font = Font(italic=True)
        self.row = FIRST_ROW

    def add(self, values, formats=None) -> int:
        formats = formats or {}
        for j, v in enumerate(values, 1):
            self.put(self.row, j, v, formats.get(j))
            if v is not None:
                n = len(_shown(v))
                self.widths[j - 1] = max(self.widths[j - 1], min(n + 2, MAX_WIDTH))
        self.row += 1
        return self.row - 1

    @property
    def last(self) -> int:
        """Last data row (FIRST_ROW - 1 when empty)."""
        return self.row - 1

    data_last: int | None = None     # last data row, when rows follow it (totals, notes)

    def finish(self, freeze: str = "A3"):
        last = self.data_last if self.data_last is not None else self.last
        names = table_layout(self.ws, self.headers, self.widths, freeze, last)
        self.cells[HEADER_ROW] = dict(enumerate(header_cells(self.ws, names), 1))
        self.end_row = self.max_row       # the last row written (totals, notes): charts go below
        self.flush()


def header_cells(ws, names: list[str]) -> list:
    """The header row's cells: bold, shaded, always text."""
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="DDE4EE")
    font = Font(bold=True)
    cells = []
    for h in names:
        c = make_cell(ws, h)
        c.font = font
        c.fill = fill
        c.alignment = Alignment(wrap_text=False)
        cells.append(c)
    return cells


def table_layout(ws, headers: list[str], widths: list[int], freeze: str, last: int) -> list[str]:
    """Everything a table sheet sets before its rows are streamed: column
    widths, frozen panes, an Excel table over rows HEADER_ROW..last (or a
    filter when there is no data row), landscape print setup with the caption
    and header rows repeated.  Returns the header names to write (a table's
    are unique and non-empty)."""
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[_col(j)].width = max(10, min(w, MAX_WIDTH))
    ws.freeze_panes = freeze
    names = add_table(ws, headers, last)
    if names is None:
        names = [str(h) for h in headers]
        ws.auto_filter.ref = f"A{HEADER_ROW}:{_col(len(headers))}{max(last, HEADER_ROW)}"
    print_setup(ws, title_rows=True)
    # a wide table (Entries: 19 columns, quotes 60 wide) prints across pages
    # rather than shrunk to unreadable text on one
    shown = sum(max(10, min(w, MAX_WIDTH)) for w in widths)
    ws.page_setup.fitToWidth = max(1, -(-shown // PRINT_WIDTH_PER_PAGE))
    return names


def add_table(ws, headers: list[str], last: int) -> list[str] | None:
    """Make rows HEADER_ROW..last an Excel table (filter buttons, banded rows),
    its columns named by ``headers`` made unique, non-empty text, as a table
    requires; returns those names, to be written as the header row.  None
    (nothing done) when there is no data row."""
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    if last < FIRST_ROW or not headers:
        return None
    seen: set[str] = set()
    names = []
    for j, h in enumerate(headers, 1):
        # table column names: one line, at most 255 characters (Excel's limits)
        name = re.sub(r"\s+", " ", _storable(str(h))).strip()[:255] or f"column {j}"
        base, k = name, 2
        while name.casefold() in seen:
            name, k = f"{base} ({k})", k + 1
        seen.add(name.casefold())
        names.append(name)
    existing = {t for sheet in ws.parent.worksheets for t in sheet.tables}
    display = "T_" + re.sub(r"\W", "_", ws.title)
    name, k = display, 2
    while name in existing:
        name, k = f"{display}_{k}", k + 1
    ref = f"A{HEADER_ROW}:{_col(len(headers))}{last}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True,
                                          showColumnStripes=False)
    # a streaming sheet cannot be read back: its table columns are named here
    table.tableColumns = [TableColumn(id=j, name=n) for j, n in enumerate(names, 1)]
    table.autoFilter = AutoFilter(ref=ref)
    with warnings.catch_warnings():   # "In write-only mode you must add table columns manually"
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(table)
    ws.auto_filter.ref = None
    return names


def print_setup(ws, title_rows: bool = False) -> None:
    """Landscape, fit to the page width (as many pages down as needed), the
    caption and header rows repeated on every printed page."""
    from openpyxl.worksheet.worksheet import Worksheet

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    if title_rows:
        ws.print_title_rows = f"1:{HEADER_ROW}"


def _shown(v) -> str:
    if isinstance(v, Decimal):
        return f"{v:,.2f}" + "   "
    if isinstance(v, (dt.date, dt.datetime)):
        return "2000-01-01"
    return str(v)


def _total_row(sheet: _Sheet, label_col: int, cols: list[int], fmt: str, label=TOTAL) -> int:
    """A bold total row under the data: SUM of each column in ``cols``."""
    from openpyxl.styles import Font

    r = sheet.row + 0
    if sheet.data_last is None:
        sheet.data_last = sheet.last
    sheet.put(r, label_col, label).font = Font(bold=True)
    for c in cols:
        L = _col(c)
        expr = f"=SUM({L}{FIRST_ROW}:{L}{sheet.last})" if sheet.last >= FIRST_ROW else "=0"
        sheet.formula(r, c, expr, fmt)
    sheet.row += 1
    return r


def _matrix_sheet(wb, title, caption, frame: pd.DataFrame, index_name: str, fmt: str,
                  before_finish=None):
    """Index rows × value columns, with a Total column (row SUMs) and a Total
    row (column SUMs)."""
    cols = [str(c) for c in frame.columns]
    sheet = _Sheet(wb, title, caption, [index_name, *cols, TOTAL])
    n = len(cols)
    for idx, row in frame.iterrows():
        r = sheet.add([str(idx), *row.tolist()], {j: fmt for j in range(2, n + 2)})
        sheet.formula(r, n + 2, f"=SUM({_col(2)}{r}:{_col(n + 1)}{r})" if n else "=0", fmt)
    sheet.widths[n + 1] = max(sheet.widths[n + 1], 18)
    _total_row(sheet, 1, list(range(2, n + 3)), fmt)
    if before_finish is not None:
        before_finish(sheet)
    sheet.finish("B3")
    return sheet


def _long_sheet(wb, title, caption, frame: pd.DataFrame, money_cols: list[str], fmt: str,
                total: bool = True, share_of: str | None = None, freeze="B3",
                before_finish=None):
    headers = [str(c) for c in frame.columns]
    if share_of:
        headers = [h for h in headers if h != "share"] + ["share"]
    sheet = _Sheet(wb, title, caption, headers)
    money_idx = [headers.index(c) + 1 for c in money_cols if c in headers]
    formats = {j: fmt for j in money_idx}
    body = frame[[h for h in headers if h != "share"]] if share_of else frame
    for row in body.itertuples(index=False):
        sheet.add(list(row), formats)
    total_row = None
    if total:
        total_row = _total_row(sheet, 1, money_idx, fmt)
    if share_of and total_row:
        sc = headers.index("share") + 1
        ac = _col(headers.index(share_of) + 1)
        for r in range(FIRST_ROW, total_row):
            sheet.formula(r, sc, f"=IF(${ac}${total_row}=0,0,{ac}{r}/${ac}${total_row})",
                          "0.0%", bold=False)
        sheet.formula(total_row, sc, f"=SUM({_col(sc)}{FIRST_ROW}:{_col(sc)}{total_row - 1})",
                      "0.0%")
    if before_finish is not None:
        before_finish(sheet)
    sheet.finish(freeze)
    return sheet


def sheet_limit(entries_limit) -> int:
    """The rows an Entries or Sources sheet may hold: ``entries_limit`` (None:
    all), never more than Excel's 1,048,576 rows less the caption, header and
    total rows."""
    most = EXCEL_MAX_ROWS - FIRST_ROW
    return most if entries_limit is None else min(int(entries_limit), most)


def sheet_cuts(report: Report, entries_limit) -> list[tuple[str, str]]:
    """(sheet, note) for each of the Entries and Sources sheets that cannot
    hold every row at ``entries_limit``: what the About sheet and the command
    say.  A sheet cut by Excel's own row limit says so."""
    limit = sheet_limit(entries_limit)
    cuts = []
    for sheet_name, table, what, csv_name in _CUT_TABLES(report):
        n = rows_in_all(report, sheet_name, table)
        if n > limit or n > len(table):
            which = WHICH_ROWS[sheet_name] if (sheet_name == "Entries"
                                               or len(report.entries) > limit) else ""
            note = sheet_limit_note(min(limit, len(table)), n, what, csv_name, which,
                                    report.extra.get("whole", {}).get("where"))
            if entries_limit is None or int(entries_limit) > limit:
                note += (f" Excel holds at most {EXCEL_MAX_ROWS:,} rows a sheet "
                         f"({limit:,} rows of data under the caption and header).")
            cuts.append((sheet_name, note))
    return cuts


def rows_in_all(report: Report, sheet_name: str, table: pd.DataFrame) -> int:
    """The rows the sheet's whole table has: ``table``'s, or, when the report
    carries only some of them (a partitioned dataset's largest entries),
    ``report.extra["whole"]``'s count."""
    return report.extra.get("whole", {}).get("rows", {}).get(sheet_name, len(table))


def _CUT_TABLES(report: Report):
    return (("Entries", report.entries, "rows (one per entry and purpose)", "entries.csv"),
            ("Sources", report.sources, "citations", "sources.csv"))


# which rows a cut sheet keeps (said in its caption, on the About sheet and on stderr)
WHICH_ROWS = {"Entries": "the largest by normalised amount, in the table's order",
              "Sources": "those of the entries on the Entries sheet first"}


def _about_sheet(wb, report: Report, entries_limit=None):
    from openpyxl.styles import Alignment, Font

    g = SheetGrid(wb, "About")
    ws = g.ws
    o = report.options
    title = o.title or f"{report.ledger_name}: funding by funder and purpose"
    g.put(1, 1, title).font = Font(bold=True, size=14)
    rows = [
        ("Ledger", report.ledger_name),
        ("Generated", report.generated.strftime("%Y-%m-%d %H:%M UTC")),
        ("Report currency", o.currency),
        ("Valuation", o.valuation),
        ("Basis", o.basis),
        ("Years", report.year_label),
        ("Horizon for open-ended amounts", report.horizon or "none needed"),
        ("Exchange rates", "; ".join(report.rate_sources) or "none needed (one currency)"),
        ("Entries reported", str(report.entries["id"].nunique())),
        ("Counted in totals", str(report.frame.loc[report.frame["primary"], "id"].nunique())),
    ]
    whole = report.extra.get("whole")
    if whole:   # the report carries some entries' rows: the counts of all
        rows[-2:] = [("Entries reported", str(whole["entries"])),
                     ("Counted in totals", str(whole["counted"]))]
    cuts = dict(sheet_cuts(report, entries_limit))
    for sheet_name, table, what, _csv in _CUT_TABLES(report):
        rows.append((f"{sheet_name} sheet", cuts.get(sheet_name, f"all {len(table):,} {what}")))
    r = 3
    bold = Font(bold=True)
    for k, v in rows:
        g.put(r, 1, k).font = bold
        g.put(r, 2, v)
        r += 1
    r += 1
    g.put(r, 1, "Notes").font = bold
    r += 1
    for note in report.notes:
        c = g.put(r, 2, note)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 15 * (1 + len(note) // 95)
        r += 1
    r += 1
    g.put(r, 1, "Sheets").font = bold
    r += 1
    for name, what in SHEET_GUIDE:
        g.put(r, 1, name)
        g.put(r, 2, what)
        r += 1
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 110
    print_setup(ws)
    g.flush()


SHEET_GUIDE = [
    ("Summary", "purpose × funder totals; row and column totals are SUM formulas"),
    ("By purpose", "total per purpose, its share and the qualifiers behind it"),
    ("By funder", "total per funder account"),
    ("By year", "money falling in each year, per funder (amounts spread over their periods)"),
    ("By status", "pledged / committed / disbursed / spent; paid and outstanding per funder"),
    ("Comparison", "chosen funders side by side per purpose, on the same basis"),
    ("Funder accounts", "funder account tree rolled up (parents include children)"),
    ("Purpose accounts", "purpose account tree rolled up (parents include children)"),
    ("Entries", "one row per entry and purpose: amount as written, rate, rate source, sources "
                "(a long table is cut: see 'Entries sheet' above and entries.csv)"),
    ("Sources", "every citation: document, title, publisher, date, link, quote"),
    ("Charts", "the report's charts"),
]


def _tree_sheet(wb, title, caption, tree: pd.DataFrame, fmt: str):
    from openpyxl.styles import Alignment

    sheet = _Sheet(wb, title, caption, ["account", "level", "amount", "currency"])
    for row in tree.itertuples(index=False):
        r = sheet.add([row.account, int(row.level), row.amount, row.currency], {3: fmt})
        sheet.cell(r, 1).alignment = Alignment(indent=int(row.level) - 1)
    sheet.finish("A3")
    return sheet


# ------------------------------------------------------- streamed sheets
class _Streamed:
    """What the charts and callers need to know of a streamed table sheet."""

    def __init__(self, ws, headers: list[str], data_last: int):
        self.ws, self.headers, self.data_last = ws, headers, data_last
        self.last = data_last


def _frame_columns(frame: pd.DataFrame, formats: dict[int, object], widths: list[int]):
    """``frame``'s columns as object arrays ready to stream (None for a
    missing value; text made storable), with a mask per text column of the
    cells that start like a formula (to be stored as text with the quote
    prefix), and the widths widened to the data (first 5,000 rows).  The
    checks are vectorised; only the cells that need a fix are touched one by
    one."""
    cols, risky = [], {}
    for j, name in enumerate(frame.columns, 1):
        s = frame[name]
        vals = s.astype(object).where(s.notna(), None)
        is_text = vals.map(lambda v: type(v) is str).astype(bool)   # not str subclasses
        if is_text.any():
            text = vals.where(is_text)
            bad = text.str.contains(_ILLEGAL, regex=True, na=False) | \
                (text.str.len() > EXCEL_MAX_CHARS)
            if bad.any():
                vals = vals.copy()
                vals[bad] = text[bad].map(_storable)
                text = vals.where(is_text)
            f = text.str.match(_FORMULA_RE, na=False).to_numpy()
            if f.any():
                risky[j - 1] = f
            vals = vals.where(text != "", None)       # an empty text is an empty cell
            width = _max_len(text.head(5_000).str.len())
        elif name in formats or j in formats:
            width = 16
        else:
            width = _max_len(vals.head(5_000).map(lambda v: len(_shown(v)) if v is not None else 0))
        widths[j - 1] = max(widths[j - 1], min(width + 2, MAX_WIDTH))
        cols.append(vals.to_numpy())
    any_risky = np.zeros(len(frame), dtype=bool)
    for m in risky.values():
        any_risky |= m
    return cols, risky, any_risky


def _stream_rows(ws, frame: pd.DataFrame, formats: dict[int, object], widths: list[int],
                 special=None):
    """The rows of ``frame`` as lists ready for ``ws.append``, with the
    guarantees of :func:`make_cell` (text is text, formula-like text gets the
    quote prefix, control characters and over-long text made storable, NaN /
    None left empty).  ``formats``: column number → a number format, or a
    Series of formats per row (e.g. the original currency's).  ``special``:
    ``(column number, mask, fn)``: ``fn(cell)`` styles that column's cell on
    the rows of ``mask`` (e.g. a link).  Computes the widths first (before any
    row is written, as a streaming sheet needs)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    right = Alignment(horizontal="right")
    cols, risky, any_risky = _frame_columns(frame, formats, widths)
    fmt_cols = []
    for c, fmt in formats.items():
        if isinstance(fmt, pd.Series):
            fmt_cols.append((c - 1, fmt.to_numpy(), True))
        else:
            fmt_cols.append((c - 1, fmt, False))
    risky_items = list(risky.items())
    special_col, special_mask, special_fn = special if special else (None, None, None)

    def rows():
        for i, row in enumerate(zip(*cols)):
            row = list(row)
            for j, fmt, per_row in fmt_cols:
                v = row[j]
                if type(v) is str:     # an amount as exact text (_exact_columns)
                    cell = row[j] = make_cell(ws, v)
                    cell.alignment = right
                elif v is not None:
                    cell = WriteOnlyCell(ws, v)
                    cell.number_format = fmt[i] if per_row else fmt
                    row[j] = cell
            if any_risky[i]:
                for j, mask in risky_items:
                    if mask[i] and type(row[j]) is str:
                        row[j] = make_cell(ws, row[j])
            if special_col is not None and special_mask[i]:
                cell = row[special_col - 1] = make_cell(ws, row[special_col - 1])
                special_fn(cell)
            yield row
    return rows()


def _max_len(lengths: pd.Series) -> int:
    m = pd.to_numeric(lengths, errors="coerce").max()
    return 0 if pd.isna(m) else int(m)


_ILLEGAL = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f" + BIDI_CONTROLS + "]"
_FORMULA_RE = r"[=+\-@]"


def sheet_limit_note(shown: int, total: int, what: str, csv_name: str, which: str = "",
                     where: str | None = None) -> str:
    """The note on a cut sheet and on the About sheet; ``which``: the rows
    kept; ``where``: the full list when it is not written beside the workbook."""
    return (f"Showing {shown:,} of {total:,} {what}{', ' + which if which else ''}; the full "
            + (f"list: {where}." if where else
               f"table is in {csv_name} (and {csv_name.replace('.csv', '.parquet')}) beside "
               f"this workbook."))


def _stream_table(wb, title: str, caption: str, part: pd.DataFrame, formats: dict,
                  freeze: str, widths: list[int] | None = None, special=None,
                  after=None, progress=None) -> _Streamed:
    """A table sheet streamed row by row: caption, header, ``part``'s rows,
    then the rows ``after(ws)`` gives (lists of cells, e.g. a total)."""
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    headers = [str(c) for c in part.columns]
    widths = widths or [len(h) + 2 for h in headers]
    rows = _stream_rows(ws, part, formats, widths, special)   # widths first
    last = FIRST_ROW + len(part) - 1
    names = table_layout(ws, headers, widths, freeze, last)
    cap = make_cell(ws, caption)
    cap.font = Font(italic=True)
    ws.append([cap])
    ws.append(header_cells(ws, names))
    append = ws.append
    if progress is None or len(part) < PROGRESS_EVERY:
        for row in rows:
            append(row)
    else:                      # a long sheet takes minutes: say how far it is
        n = len(part)
        for i, row in enumerate(rows, 1):
            append(row)
            if i % PROGRESS_EVERY == 0:
                progress.step(f"writing the workbook: {title} sheet, {i:,} of {n:,} rows")
    for row in after(ws) if after else ():
        append(row)
    return _Streamed(ws, headers, last)


def largest_rows(entries: pd.DataFrame, n: int, minor=None):
    """Positions of the ``n`` rows with the largest normalised amounts (by
    absolute value, exact; rows with none last), in the table's order: the
    rows a cut Entries sheet keeps (the page's rule).  ``minor``: the same
    amounts as int64 minor units of the report currency, row for row (the
    report's ``value_minor``), sorted instead of the decimals when no
    amount is missing: the same order (one scale), a cheaper sort."""
    if n >= len(entries):
        return np.arange(len(entries))
    col = entries["normalised"]
    if minor is not None and len(minor) == len(col) and not col.isna().any():
        m = np.asarray(minor)
        if m.dtype == np.int64 and (not len(m) or int(m.min()) > np.iinfo(np.int64).min):
            # descending by size, ties in the table's order (as Arrow's stable sort)
            return np.sort(np.argsort(-np.abs(m), kind="stable")[:n])
    arr = pa.chunked_array([pa.array(col.astype(object).tolist())]) if col.dtype == object \
        else pa.chunked_array([pa.Array.from_pandas(col)])
    # nulls (rows with no amount) sort last by default
    order = pc.array_sort_indices(pc.abs(arr).combine_chunks(), order="descending")
    return np.sort(order.to_numpy()[:n])


def _exact_columns(part: pd.DataFrame, names, few: bool = False) -> tuple[pd.DataFrame, int]:
    """``part`` with the amounts of columns ``names`` that no spreadsheet
    number holds (:func:`fits_a_number`) as exact text, and how many
    (``few``: the columns hold few distinct values)."""
    n = 0
    for name in names:
        if few:      # each distinct value once: a rate column holds a few in a million rows
            codes, uniq = pd.factorize(part[name].astype(object))
            wide_of = np.fromiter((not fits_a_number(v) for v in uniq), bool, len(uniq))
            wide = np.append(wide_of, False)[codes]    # code -1 (missing): last, False
        else:
            wide = np.fromiter((not fits_a_number(v) for v in part[name]), bool, len(part))
        if wide.any():
            part = part.copy() if n == 0 else part
            col = part[name].astype(object).to_numpy(copy=True)
            col[wide] = [exact_text(v) for v in col[wide]]
            part[name] = col
            n += int(wide.sum())
    return part, n


def _entries_sheet(wb, report: Report, fmt: str, limit: int, kept, progress=None):
    from openpyxl.styles import Alignment, Font

    e = report.entries
    total = rows_in_all(report, "Entries", e)
    shown = min(len(e), limit)
    cut = shown < total
    headers = list(e.columns)
    caption = (f"One row per entry and purpose; 'normalised' in {report.basis_text()}. "
               f"Rows with counted = no are linked to another entry and left out of totals.")
    if cut:
        caption = (sheet_limit_note(shown, total, "rows (one per entry and purpose)",
                                    "entries.csv", WHICH_ROWS["Entries"],
                                    report.extra.get("whole", {}).get("where"))
                   + " No total on this sheet: a sum over the rows shown would not be the "
                   "ledger's; the totals are on the Summary sheet. " + caption)
    part = e.iloc[kept] if cut else e
    counted_value = sum((v for v, c in zip(part["normalised"], part["counted"])
                         if c == "yes" and v is not None and v == v), Decimal(0))
    part, exact = _exact_columns(part, ("normalised", "original amount"))
    part, wide_rates = _exact_columns(part, ("rate",), few=True)   # a user's rate of 16+ digits
    # a cut sheet has no total row: only the amounts shown can be too wide
    total_wide = not cut and not fits_a_number(counted_value)
    exact_total = bool(exact) or total_wide
    if exact_total:
        caption += " " + exact_text_note("on this sheet", exact + total_wide)
    if wide_rates:
        caption += " " + exact_figures_note("on this sheet", wide_rates)
    norm = headers.index("normalised") + 1
    orig = headers.index("original amount") + 1
    formats_by_cur = {}
    for c in pd.unique(part["original currency"].astype(object)):
        try:
            formats_by_cur[c] = money_format(str(c), report.options.locale)
        except Exception:
            formats_by_cur[c] = "#,##0.00"
    orig_fmt = part["original currency"].astype(object).map(formats_by_cur)

    def total_row(ws) -> list:
        last_data = FIRST_ROW + shown - 1
        if cut:
            label = make_cell(ws, f"Only {shown:,} of {total:,} rows shown: no total here (see "
                                  f"the Summary sheet, or sum the counted rows of "
                                  f"{report.extra.get('whole', {}).get('where', 'entries.csv')})")
            label.font = Font(bold=True)
            return [label]
        counted = _col(headers.index("counted") + 1)
        L = _col(norm)
        label = make_cell(ws, "Total counted (counted = yes)")
        label.font = Font(bold=True)
        last = max(last_data, FIRST_ROW)
        if exact_total:    # a SUMIF over text cells would leave them out
            cell = (make_cell(ws, counted_value, fmt) if fits_a_number(counted_value) else
                    make_cell(ws, exact_text(counted_value)))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="right")
            return [label] + [None] * (norm - 2) + [cell]
        return [label] + [None] * (norm - 2) + [formula_cell(
            ws, f'=SUMIF({counted}{FIRST_ROW}:{counted}{last},"yes",{L}{FIRST_ROW}:{L}{last})',
            fmt, value=counted_value)]

    widths = _quotes_wide([len(str(h)) + 2 for h in headers], headers)
    streamed = _stream_table(wb, "Entries", caption, part,
                             {norm: fmt, orig: orig_fmt, headers.index("rate") + 1: RATE_FORMAT},
                             "B3", widths, after=lambda ws: [total_row(ws)], progress=progress)
    if exact_total:
        streamed.ws.exact_text = exact + total_wide
    streamed.ws.exact_figures = wide_rates
    return streamed


def _quotes_wide(widths: list[int], headers: list[str]) -> list[int]:
    if "quotes" in headers:
        widths[headers.index("quotes")] = MAX_WIDTH
    return widths


def _sources_sheet(wb, report: Report, limit: int, kept, progress=None):
    from openpyxl.styles import Font

    s = report.sources
    total = rows_in_all(report, "Sources", s)
    shown = min(len(s), limit)
    caption = "Every citation behind the figures, with the quote that carries each figure."
    part, which = s, ""
    if len(report.entries) > limit:     # the Entries sheet is cut: its entries' citations first
        on_sheet = set(report.entries["id"].iloc[kept])
        mine = s["entry"].isin(on_sheet).to_numpy()
        part, which = pd.concat([s[mine], s[~mine]]), WHICH_ROWS["Sources"]
    if shown < total:
        caption = (sheet_limit_note(shown, total, "citations", "sources.csv", which,
                                    report.extra.get("whole", {}).get("where")) + " "
                   + caption)
    part = part.iloc[:shown]
    url_col = list(s.columns).index("url") + 1
    urls = part["url"].astype(object)
    linked = urls.map(lambda u: isinstance(u, str) and u.startswith(("http://", "https://")))
    font = Font(color="0563C1", underline="single")

    def link(cell):
        cell.hyperlink = cell.value
        cell.font = font

    return _stream_table(wb, "Sources", caption, part, {}, "B3",
                         special=(url_col, linked.to_numpy(dtype=bool), link),
                         progress=progress)


def _charts_sheet(wb, charts: dict):
    from openpyxl.drawing.image import Image

    g = SheetGrid(wb, "Charts")
    ws = g.ws
    g.put(1, 1, "Charts (also saved beside this workbook as PNG and SVG)")
    from openpyxl.worksheet.pagebreak import Break

    anchor_row = 3
    for files in charts.values():
        png = files.get("png") if isinstance(files, dict) else files
        if not png or not Path(png).exists():
            continue
        img = Image(str(png))
        # each picture whole on a page of its own (A4 landscape: ~1,040 × 700 px)
        shrink = min(1.0, PAGE_PX[0] / img.width, PAGE_PX[1] / img.height)
        img.width, img.height = int(img.width * shrink), int(img.height * shrink)
        if anchor_row > 3:
            ws.row_breaks.append(Break(id=anchor_row - 1))
        ws.add_image(img, f"A{anchor_row}")
        anchor_row += int(img.height / 20) + 3
    print_setup(ws)
    g.flush()
    return ws


# ---------------------------------------------------------------- native charts
def compact_number_format(currency: str, locale: str) -> str:
    """An Excel number format that shows amounts as people say them (£1.4m,
    £5.1bn; 12,5 M € in fr_FR: Excel localises the separators) for chart
    labels and axes; the cells keep their exact format.  Affixes from the
    locale's compact patterns (``reports.amounts.format_data``, as the page
    formats); Excel scales only by thousands, so a magnitude the locale does
    not write in millions or billions (万, लाख) keeps the whole number."""
    data = format_data(currency, locale)

    def text(t: str) -> str:
        return f'"{t}"' if t else ""

    def shape(num: str, pre: list, suf: list) -> str:   # the positive affixes
        return text(pre[0].replace('"', "")) + num + text(suf[0].replace('"', ""))

    sections = []
    for mag, num in (("1000000000", "0.0,,,"), ("1000000", "0.0,,")):
        lv = next((lv for lv in data["levels"] if lv["m"] == mag), None)
        if lv and not lv.get("plain") and lv["div"] == mag:
            sections.append(f"[>={mag}]{shape(num, lv['pre'], lv['suf'])}")
    return ";".join(sections + [shape("#,##0", data["pre"], data["suf"])])


PAGE_PX = (1000, 620)        # a picture that fits a landscape A4 page under the first rows
CHART_MAX_HEIGHT = 16.0      # cm: a chart fits on one landscape A4 page under the title rows


def axis_bounds(values, log: bool) -> tuple[float, float]:
    """The value axis's (min, max) for ``values``: on a log axis a decade
    below the smallest positive value to a decade above the largest (as the
    PNG charts, so the smallest bar stays readable and the axis does not start
    at 1); on a linear one from 0 (or the most negative value) to 5 % past
    the largest."""
    nums = [float(v) for v in values if v is not None and v == v]
    pos = [v for v in nums if v > 0]
    if log and pos:
        lo = 10.0 ** (math.floor(math.log10(min(pos))) - 1)
        hi = 10.0 ** math.ceil(math.log10(max(pos)))
        return lo, max(hi, lo * 10)
    top = max(nums + [0.0])
    bottom = min(nums + [0.0])
    return bottom * 1.05, (top * 1.05) or 1.0


def _value_labels(number_format: str):
    """A chart's data labels: the value alone, in ``number_format``.  Every
    flag is written (LibreOffice takes a missing one as shown: "Development:
    Africa; France:Government; £5.1bn"), and the format is not linked to the
    cells' (openpyxl writes no ``sourceLinked``, so LibreOffice used the exact
    cell format)."""
    from openpyxl.chart.data_source import NumFmt
    from openpyxl.chart.label import DataLabelList
    from openpyxl.descriptors import Typed

    class ValueLabels(DataLabelList):
        tagname = "dLbls"
        numFmt = Typed(expected_type=NumFmt, allow_none=True)
        __elements__ = DataLabelList.__elements__
        __attrs__ = DataLabelList.__attrs__
        __nested__ = tuple(n for n in DataLabelList.__nested__ if n != "numFmt")

    labels = ValueLabels(showVal=True, showSerName=False, showCatName=False,
                         showLegendKey=False, showPercent=False, showBubbleSize=False,
                         showLeaderLines=False, dLblPos="outEnd")
    labels.numFmt = NumFmt(formatCode=number_format, sourceLinked=False)
    return labels


def native_charts(report: Report, sheets: dict, scale: str = "auto") -> list:
    """Excel charts drawn from the sheets' own cells, each below its table:
    By purpose (a bar per purpose), Summary (purposes × funders), By year
    (columns per funder), By status (total, committed, paid per funder).  A
    value label on every bar (the value alone, compact), log axis as the PNG
    charts choose, spanning the data."""
    from openpyxl.chart import BarChart, Reference


    compact = compact_number_format(report.currency, report.options.locale)
    made = []

    def chart(sheet: _Sheet, title: str, cols: list[int], horizontal: bool, values,
              rows: int, width_cols: int):
        from openpyxl.worksheet.pagebreak import Break

        last = sheet.data_last if sheet.data_last is not None else sheet.last
        if last < FIRST_ROW or not cols or sheet.exact:   # text cells would chart as 0
            return None
        del width_cols
        ch = BarChart()
        ch.type = "bar" if horizontal else "col"
        ch.grouping = "clustered"
        ch.title = title
        ch.style = 10
        for c in cols:
            data = Reference(sheet.ws, min_col=c, min_row=HEADER_ROW, max_row=last)
            ch.add_data(data, titles_from_data=True)
        ch.set_categories(Reference(sheet.ws, min_col=1, min_row=FIRST_ROW, max_row=last))
        log = use_log(values, scale)
        lo, hi = axis_bounds(values, log)
        if log:
            ch.y_axis.scaling.logBase = 10
        ch.y_axis.scaling.min, ch.y_axis.scaling.max = lo, hi   # the data's span, never from 1
        ch.y_axis.numFmt = compact
        ch.y_axis.title = f"{report.currency}{' (log scale)' if log else ''}"
        ch.y_axis.delete = False
        ch.x_axis.delete = False
        if horizontal:
            ch.x_axis.scaling.orientation = "maxMin"    # largest first, as in the table
        # the value alone: a label that leaves these out shows the series and
        # category too in LibreOffice ("Development:Africa; France:Government; £5.1bn")
        ch.dataLabels = _value_labels(compact)
        ch.height = min(CHART_MAX_HEIGHT,
                        max(9.0, 0.7 * rows * (len(cols) if horizontal else 1) + 4))
        ch.width = 24
        # below its table, on a page of its own: the table prints at its own
        # width (not shrunk beside the chart) and the chart is never cut
        below = getattr(sheet, "end_row", last) + 2
        sheet.ws.row_breaks.append(Break(id=below - 1))
        sheet.ws.add_chart(ch, f"A{below}")
        made.append(ch)
        return ch

    sub = report.basis_text()
    bp = sheets.get("By purpose")
    if bp is not None and not report.by_purpose.empty:
        chart(bp, f"Funding by purpose ({sub})", [2], True,
              list(report.by_purpose["amount"]), len(report.by_purpose), len(bp.headers))
    sm = sheets.get("Summary")
    if sm is not None and not report.matrix.empty:
        n = len(report.matrix.columns)
        chart(sm, f"Funding by purpose and funder ({sub})", list(range(2, n + 2)), True,
              list(report.matrix.to_numpy().ravel()), len(report.matrix), len(sm.headers))
    by = sheets.get("By year")
    if by is not None and not report.by_year.empty:
        n = len(report.by_year.columns)
        chart(by, f"Funding per year by funder ({report.currency}, spread by days)",
              list(range(2, n + 2)), False, list(report.by_year.to_numpy().ravel()),
              len(report.by_year), len(by.headers))
    bs = sheets.get("By status")
    if bs is not None and not report.by_status.empty:
        cols = list(report.by_status.columns)
        pick = [cols.index(c) + 1 for c in ("total", "committed", "paid")]
        chart(bs, f"Pledged (total), committed and paid, by funder ({report.currency})", pick,
              True, [v for c in ("total", "committed", "paid") for v in report.by_status[c]],
              len(report.by_status), len(bs.headers))
    return made


def _shade_projected(sheet: _Sheet, ncols: int) -> None:
    from openpyxl.styles import Font, PatternFill
    fill = PatternFill("lightUp", fgColor="D9CCEE", bgColor="F4F0FA")
    last = sheet.data_last if sheet.data_last is not None else sheet.last
    for r in range(FIRST_ROW, last + 1):
        v = sheet.value(r, 1)
        if isinstance(v, str) and v.endswith("(projected)"):
            for c in range(1, ncols + 1):
                cell = sheet.cell(r, c)
                cell.fill = fill
                cell.font = Font(italic=True)


# ---------------------------------------------------------------- workbook
def build_workbook(report: Report, extra_sheets=(), charts: dict | None = None,
                   entries_limit: int | None = DEFAULT_SHEET_LIMIT, scale: str = "auto",
                   progress=None, notes: list | None = None):
    """The openpyxl write-only ``Workbook`` for ``report``, its sheets streamed
    (not saved yet: ``wb.save(path)``).  The Entries and Sources sheets hold
    at most ``entries_limit`` rows (None: all, up to Excel's row limit), with
    a note when cut.  ``extra_sheets`` callables get the write-only workbook:
    they add a sheet with ``wb.create_sheet`` and ``ws.append`` (see
    :class:`SheetGrid`).  ``notes`` (a list) gets the note for the command
    when amounts are written as exact text (:func:`fits_a_number`)."""
    from openpyxl import Workbook

    o = report.options
    fmt = money_format(o.currency, o.locale)
    cap = f"Amounts in {report.basis_text()}."
    wb = Workbook(write_only=True)
    limit = sheet_limit(entries_limit)
    _about_sheet(wb, report, entries_limit)
    made = {}
    if report.matrix.empty:
        _Sheet(wb, "Summary", cap + " Nothing counted.", ["purpose", TOTAL]).finish()
    else:
        made["Summary"] = _matrix_sheet(wb, "Summary", cap + " Linked entries are not counted "
                                        "twice.", report.matrix, "purpose", fmt)
    made["By purpose"] = _long_sheet(wb, "By purpose", cap, report.by_purpose, ["amount"], fmt,
                                     share_of="amount")
    made["By funder"] = _long_sheet(wb, "By funder", cap, report.by_funder, ["amount"], fmt,
                                    share_of="amount")
    if report.by_year.empty:
        _Sheet(wb, "By year", cap + " Nothing counted.", ["year", TOTAL]).finish()
    else:
        by_year = report.by_year
        if report.projected:   # shown, not only stated: the rows say so
            by_year = by_year.rename(index={y: f"{y} (projected)" for y in report.projected})
        shade = (lambda sheet: _shade_projected(sheet, len(report.by_year.columns) + 2)) \
            if report.projected else None
        made["By year"] = _matrix_sheet(
            wb, "By year", f"Money falling in each of the {report.year_label}, "
            f"{o.currency}{',' + price_base(o) if o.deflator else ''}, totals spread over each period by days"
            + (f"; open-ended amounts to {report_horizon(report)}" if report.horizon else "")
            + (f". Years marked (projected), shaded: after {report.last_bounded}, the last year "
               f"any bounded pledge reaches; they hold only open-ended 'a year' pledges"
               if report.projected else "") + ".", by_year, "year", fmt, before_finish=shade)
    st = report.by_status

    def outstanding(sheet):   # outstanding = total − paid, live
        if st.empty:
            return
        cols = list(st.columns)
        t, p = (_col(cols.index(c) + 1) for c in ("total", "paid"))
        for r in range(FIRST_ROW, sheet.last):
            sheet.formula(r, cols.index("outstanding") + 1, f"={t}{r}-{p}{r}", fmt, bold=False)

    made["By status"] = _long_sheet(
        wb, "By status", cap + " paid = disbursed or spent, each counted payment once; "
        "on the pledge's funder; outstanding = total − paid.", st,
        ["pledged", "committed", "disbursed", "spent", "total", "paid", "outstanding",
         "paid for others"], fmt,
        before_finish=outstanding)
    comp = report.comparison.drop(index=TOTAL, errors="ignore")
    if comp.empty:
        _Sheet(wb, "Comparison", cap + " Nothing to compare.", ["purpose"]).finish()
    else:
        _matrix_sheet(wb, "Comparison", cap + " Each column includes the funder's sub-accounts.",
                      comp, "purpose", fmt)
    _tree_sheet(wb, "Funder accounts", cap + " Parents include their children.",
                report.funder_tree, fmt)
    _tree_sheet(wb, "Purpose accounts", cap + " Parents include their children.",
                report.purpose_tree, fmt)
    with gc_paused():
        kept = largest_rows(report.entries, limit,   # the rows a cut Entries sheet shows
                            report.frame["value_minor"] if "value_minor" in report.frame
                            else None)
        _entries_sheet(wb, report, fmt, limit, kept, progress)
        _sources_sheet(wb, report, limit, kept, progress)
    native_charts(report, made, scale)
    if callable(charts):         # drawn in another process (charts_in_background): wait now
        try:
            charts = charts()
        except BaseException:
            discard_streams(wb)
            raise
    if charts:
        _charts_sheet(wb, charts)
    for extra in extra_sheets:
        if callable(extra):
            extra(wb, report)
        else:
            title, frame = extra
            _long_sheet(wb, str(title)[:31], cap, frame, [], fmt, total=False)
    for ws in wb.worksheets:     # extra sheets too: every sheet prints landscape, to width
        if ws.page_setup.orientation != "landscape":
            print_setup(ws)
    if notes is not None and (said := exact_notes(wb.worksheets)):
        notes.append("the workbook: " + said)
    return wb


def exact_notes(worksheets) -> str:
    """One note on the amounts, and the rates and audit figures, of these
    sheets written as exact text ("" when none)."""
    def where(counts) -> str:
        return (f"on its {', '.join(f'{t} ({n:,})' for t, n in counts)} "
                f"sheet{'s' if len(counts) > 1 else ''}")

    said = []
    for attr, note in (("exact_text", exact_text_note), ("exact_figures", exact_figures_note)):
        counts = [(ws.title, getattr(ws, attr)) for ws in worksheets if getattr(ws, attr, 0)]
        if counts:
            said.append(note(where(counts), sum(n for _, n in counts)))
    return " ".join(said)


def write_workbook(path, report: Report, extra_sheets=(), charts: dict | None = None,
                   entries_limit: int | None = DEFAULT_SHEET_LIMIT,
                   full_tables: bool = True, scale: str = "auto", progress=None,
                   notes: list | None = None) -> Path:
    """Write the report workbook to ``path`` atomically; returns the path.

    When the Entries or Sources sheet is cut (at ``entries_limit`` rows, or
    at Excel's row limit), the full tables are written beside the workbook
    (``write_full_tables``: entries.csv/.parquet, sources.csv/.parquet), as
    the sheets' notes say; ``full_tables=False`` when the caller writes them
    itself.  ``progress`` (``reports.progress.Progress``) hears how far a
    long Entries or Sources sheet is; ``notes`` (a list) the note on amounts
    written as exact text (:func:`build_workbook`)."""
    path = Path(path)
    if full_tables and sheet_cuts(report, entries_limit):
        write_full_tables(report, path.parent)
    with atomic_file(path) as tmp:
        wb = build_workbook(report, extra_sheets, charts, entries_limit, scale, progress, notes)
        with gc_paused():
            wb.save(tmp)
    return path


def discard_streams(wb) -> None:
    """Close the streamed sheets of a workbook that will not be saved (a stage
    failed): each sheet's XML stream is ended and its temporary file removed,
    so nothing is left open for the garbage collector to report."""
    for ws in getattr(wb, "worksheets", ()):
        writer = getattr(ws, "_writer", None)
        try:
            ws.close()
        except Exception:    # noqa: BLE001 - already saved or never started: nothing to end
            pass
        out = getattr(writer, "out", None)
        if isinstance(out, str) and os.path.exists(out):
            os.remove(out)
