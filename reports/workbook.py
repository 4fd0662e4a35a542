"""The report as an Excel workbook (openpyxl).

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
workbook (``write_full_tables``: entries.csv/.parquet, sources.csv/.parquet).  Text that comes from the ledger or its sources is always
stored as a string (``data_type = "s"`` and Excel's quote prefix for text
starting with ``= + - @``), never as a formula.

``extra_sheets`` items are either ``(title, DataFrame)`` (written like the
other table sheets, no totals) or a callable ``fn(workbook, report)`` that adds
whatever it likes (e.g. the audit's sheet).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ledger.memory import gc_paused
from reports.tables import TOTAL, Report

FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_ROW = 2
FIRST_ROW = 3
MAX_WIDTH = 60
# Rows written to the Entries and Sources sheets at most (``entries_limit``).
# openpyxl writes ~4,000-5,000 such rows a second (benchmarks/bench_report.py),
# so 50,000 keeps the whole workbook well under 30 s; longer tables are cut
# with a note and written in full beside the workbook (``write_full_tables``).
DEFAULT_SHEET_LIMIT = 50_000
EXCEL_MAX_ROWS = 1_048_576


# ---------------------------------------------------------------- cells
def money_format(currency: str, locale: str, decimals: int | None = None) -> str:
    """An Excel number format for ``currency`` that puts the symbol where the
    locale puts it (babel): '"£"#,##0.00' or '#,##0.00 "€"'."""
    from babel import Locale
    from babel.numbers import get_currency_symbol

    from rates.table import currency_digits

    k = currency_digits(currency) if decimals is None else decimals
    num = "#,##0" + ("." + "0" * k if k else "")
    sym = get_currency_symbol(currency, locale=locale).replace('"', "")
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    before = pattern.strip().startswith("¤")
    return f'"{sym}"{num}' if before else f'{num} "{sym}"'


def put(ws, row: int, col: int, value, number_format: str | None = None):
    """Write one cell.  Strings are always text, never formulas."""
    cell = ws.cell(row=row, column=col)
    if value is None or (isinstance(value, float) and value != value):
        return cell
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, (bool,)):
        value = "yes" if value else "no"
    if isinstance(value, str):
        value = _storable(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, (dt.date, dt.datetime)):
        cell.number_format = "yyyy-mm-dd"
    if number_format:
        cell.number_format = number_format
    return cell


EXCEL_MAX_CHARS = 32_767


def _storable(text: str) -> str:
    """Text as XLSX can hold it: control characters Excel refuses (openpyxl's
    IllegalCharacterError) shown as \\xNN, and over-long text cut to Excel's
    32,767-character limit with a visible note."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if len(text) > EXCEL_MAX_CHARS:
        note = f" [… cut: {len(text)} characters, Excel holds {EXCEL_MAX_CHARS}]"
        text = text[:EXCEL_MAX_CHARS - len(note)] + note
    return text


def formula(ws, row: int, col: int, text: str, number_format: str | None = None, bold=True):
    from openpyxl.styles import Font

    cell = ws.cell(row=row, column=col)
    cell.value = text          # our own formula: the only place formulas are written
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(n)


# ---------------------------------------------------------------- sheets
class _Sheet:
    """A table sheet: caption, header, rows; remembers widths for autosizing."""

    def __init__(self, wb, title: str, caption: str, headers: list[str]):
        from openpyxl.styles import Alignment, Font, PatternFill

        self.ws = wb.create_sheet(title)
        self.headers = headers
        self.widths = [len(str(h)) + 2 for h in headers]
        put(self.ws, 1, 1, caption).font = Font(italic=True)
        fill = PatternFill("solid", fgColor="DDE4EE")
        for j, h in enumerate(headers, 1):
            c = put(self.ws, HEADER_ROW, j, h)
            c.font = Font(bold=True)
            c.fill = fill
            c.alignment = Alignment(wrap_text=False)
        self.row = FIRST_ROW

    def add(self, values, formats=None) -> int:
        formats = formats or {}
        for j, v in enumerate(values, 1):
            put(self.ws, self.row, j, v, formats.get(j))
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
        ws = self.ws
        for j, w in enumerate(self.widths, 1):
            ws.column_dimensions[_col(j)].width = max(10, min(w, MAX_WIDTH))
        ws.freeze_panes = freeze
        last = self.data_last if self.data_last is not None else self.last
        if not add_table(ws, self.headers, last):
            ws.auto_filter.ref = f"A{HEADER_ROW}:{_col(len(self.headers))}{max(last, HEADER_ROW)}"
        print_setup(ws, title_rows=True)


def add_table(ws, headers: list[str], last: int) -> bool:
    """Make rows HEADER_ROW..last an Excel table (filter buttons, banded rows).
    Header cells become unique, non-empty text, as a table requires.  False
    (nothing done) when there is no data row."""
    import re

    from openpyxl.worksheet.table import Table, TableStyleInfo

    if last < FIRST_ROW or not headers:
        return False
    seen: set[str] = set()
    for j, h in enumerate(headers, 1):
        # table column names: one line, at most 255 characters (Excel's limits)
        name = re.sub(r"\s+", " ", _storable(str(h))).strip()[:255] or f"column {j}"
        base, k = name, 2
        while name.casefold() in seen:
            name, k = f"{base} ({k})", k + 1
        seen.add(name.casefold())
        cell = ws.cell(row=HEADER_ROW, column=j)
        if cell.value != name:
            cell.value = name
        cell.data_type = "s"
    existing = {t for sheet in ws.parent.worksheets for t in sheet.tables}
    display = "T_" + re.sub(r"\W", "_", ws.title)
    name, k = display, 2
    while name in existing:
        name, k = f"{display}_{k}", k + 1
    table = Table(displayName=name, ref=f"A{HEADER_ROW}:{_col(len(headers))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True,
                                          showColumnStripes=False)
    ws.add_table(table)
    ws.auto_filter.ref = None
    return True


def print_setup(ws, title_rows: bool = False) -> None:
    """Landscape, fit to the page width (as many pages down as needed), the
    caption and header rows repeated on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
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
    put(sheet.ws, r, label_col, label).font = Font(bold=True)
    for c in cols:
        L = _col(c)
        expr = f"=SUM({L}{FIRST_ROW}:{L}{sheet.last})" if sheet.last >= FIRST_ROW else "=0"
        formula(sheet.ws, r, c, expr, fmt)
    sheet.row += 1
    return r


def _matrix_sheet(wb, title, caption, frame: pd.DataFrame, index_name: str, fmt: str):
    """Index rows × value columns, with a Total column (row SUMs) and a Total
    row (column SUMs)."""
    cols = [str(c) for c in frame.columns]
    sheet = _Sheet(wb, title, caption, [index_name, *cols, TOTAL])
    n = len(cols)
    for idx, row in frame.iterrows():
        r = sheet.add([str(idx), *row.tolist()], {j: fmt for j in range(2, n + 2)})
        formula(sheet.ws, r, n + 2, f"=SUM({_col(2)}{r}:{_col(n + 1)}{r})" if n else "=0", fmt)
    sheet.widths[n + 1] = max(sheet.widths[n + 1], 18)
    _total_row(sheet, 1, list(range(2, n + 3)), fmt)
    sheet.finish("B3")
    return sheet


def _long_sheet(wb, title, caption, frame: pd.DataFrame, money_cols: list[str], fmt: str,
                total: bool = True, share_of: str | None = None, freeze="B3"):
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
            formula(sheet.ws, r, sc, f"=IF(${ac}${total_row}=0,0,{ac}{r}/${ac}${total_row})",
                    "0.0%", bold=False)
        formula(sheet.ws, total_row, sc, f"=SUM({_col(sc)}{FIRST_ROW}:{_col(sc)}{total_row - 1})",
                "0.0%")
    sheet.finish(freeze)
    return sheet


def _about_sheet(wb, report: Report, limit: int | None = None):
    from openpyxl.styles import Alignment, Font

    ws = wb.active
    ws.title = "About"
    o = report.options
    title = o.title or f"{report.ledger_name}: funding by funder and purpose"
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
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
    for sheet_name, table, what, csv_name in (
            ("Entries", report.entries, "rows (one per entry and purpose)", "entries.csv"),
            ("Sources", report.sources, "citations", "sources.csv")):
        n = len(table)
        if limit is not None and n > limit:
            rows.append((f"{sheet_name} sheet", sheet_limit_note(limit, n, what, csv_name)))
        else:
            rows.append((f"{sheet_name} sheet", f"all {n:,} {what}"))
    r = 3
    for k, v in rows:
        put(ws, r, 1, k).font = Font(bold=True)
        put(ws, r, 2, v)
        r += 1
    r += 1
    put(ws, r, 1, "Notes").font = Font(bold=True)
    r += 1
    for note in report.notes:
        c = put(ws, r, 2, note)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 15 * (1 + len(note) // 95)
        r += 1
    r += 1
    put(ws, r, 1, "Sheets").font = Font(bold=True)
    r += 1
    for name, what in SHEET_GUIDE:
        put(ws, r, 1, name)
        put(ws, r, 2, what)
        r += 1
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 110
    print_setup(ws)


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
        sheet.ws.cell(row=r, column=1).alignment = Alignment(indent=int(row.level) - 1)
    sheet.finish("A3")
    return sheet


def _append_frame(sheet: _Sheet, frame: pd.DataFrame, formats: dict[int, object]) -> None:
    """Append ``frame``'s rows below the header in bulk (``ws.append``), with
    the same guarantees as :func:`put`: text is text (formula-like strings get
    ``data_type = "s"`` and the quote prefix), control characters and
    over-long text made storable, NaN/None left empty.  The checks are
    vectorised; only the cells that need a fix are touched one by one.

    ``formats``: column number → a number format, or a Series of formats per
    row (e.g. the original currency's)."""
    ws = sheet.ws
    first = sheet.row
    n = len(frame)
    if n == 0:
        return
    cols, risky = [], []
    for j, name in enumerate(frame.columns, 1):
        s = frame[name]
        vals = s.astype(object).where(s.notna(), None)
        text = vals.where(vals.map(type) == str)
        if text.notna().any():
            bad = text.str.contains(_ILLEGAL, regex=True, na=False) | \
                (text.str.len() > EXCEL_MAX_CHARS)
            if bad.any():
                vals = vals.copy()
                vals[bad] = text[bad].map(_storable)
                text = vals.where(vals.map(type) == str)
            f = text.str.match(_FORMULA_RE, na=False).to_numpy()
            risky += [(first + int(i), j) for i in f.nonzero()[0]]
            width = _max_len(text.head(5_000).str.len())
        elif name in formats:
            width = 16
        else:
            width = _max_len(vals.head(5_000).map(lambda v: len(_shown(v)) if v is not None else 0))
        sheet.widths[j - 1] = max(sheet.widths[j - 1], min(width + 2, MAX_WIDTH))
        cols.append(vals.to_numpy())
    append = ws.append
    for row in zip(*cols):
        append(row)
    for r, c in risky:
        cell = ws.cell(row=r, column=c)
        cell.data_type = "s"
        cell.quotePrefix = True
    for c, fmt in formats.items():
        fmts = fmt.to_numpy() if isinstance(fmt, pd.Series) else None
        for k, (cell,) in enumerate(ws.iter_rows(min_row=first, max_row=first + n - 1,
                                                 min_col=c, max_col=c)):
            cell.number_format = fmts[k] if fmts is not None else fmt
    sheet.row = first + n


def _max_len(lengths: pd.Series) -> int:
    m = pd.to_numeric(lengths, errors="coerce").max()
    return 0 if pd.isna(m) else int(m)


_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_FORMULA_RE = r"[=+\-@]"


def sheet_limit_note(shown: int, total: int, what: str, csv_name: str) -> str:
    """The note on a cut sheet and on the About sheet."""
    return (f"Showing {shown:,} of {total:,} {what}; the full table is in {csv_name} "
            f"(and {csv_name.replace('.csv', '.parquet')}) beside this workbook.")


def _entries_sheet(wb, report: Report, fmt: str, limit: int | None = None):
    e = report.entries
    total = len(e)
    shown = total if limit is None else min(total, limit)
    cut = shown < total
    headers = list(e.columns)
    caption = (f"One row per entry and purpose; 'normalised' in {report.basis_text()}. "
               f"Rows with counted = no are linked to another entry and left out of totals.")
    if cut:
        caption = (sheet_limit_note(shown, total, "rows (one per entry and purpose)",
                                    "entries.csv")
                   + " No total on this sheet: a sum over the rows shown would not be the "
                   "ledger's; the totals are on the Summary sheet. " + caption)
    sheet = _Sheet(wb, "Entries", caption, headers)
    part = e.iloc[:shown]
    norm = headers.index("normalised") + 1
    orig = headers.index("original amount") + 1
    formats_by_cur = {}
    for c in pd.unique(part["original currency"].astype(object)):
        try:
            formats_by_cur[c] = money_format(str(c), report.options.locale)
        except Exception:
            formats_by_cur[c] = "#,##0.00"
    orig_fmt = part["original currency"].astype(object).map(formats_by_cur)
    _append_frame(sheet, part, {norm: fmt, orig: orig_fmt, headers.index("rate") + 1: "0.000000"})
    from openpyxl.styles import Font
    r = sheet.row
    sheet.data_last = sheet.last
    if cut:
        put(sheet.ws, r, 1, f"Only {shown:,} of {total:,} rows shown: no total here (see the "
            f"Summary sheet, or sum the counted rows of entries.csv)").font = Font(bold=True)
    else:
        counted = _col(headers.index("counted") + 1)
        L = _col(norm)
        put(sheet.ws, r, 1, "Total counted (counted = yes)").font = Font(bold=True)
        last = max(sheet.last, FIRST_ROW)
        formula(sheet.ws, r, norm,
                f'=SUMIF({counted}{FIRST_ROW}:{counted}{last},"yes",{L}{FIRST_ROW}:{L}{last})',
                fmt)
    sheet.row += 1
    sheet.widths[headers.index("quotes")] = MAX_WIDTH
    sheet.finish("B3")
    return sheet


def _sources_sheet(wb, report: Report, limit: int | None = None):
    from openpyxl.styles import Font

    s = report.sources
    total = len(s)
    shown = total if limit is None else min(total, limit)
    caption = "Every citation behind the figures, with the quote that carries each figure."
    if shown < total:
        caption = sheet_limit_note(shown, total, "citations", "sources.csv") + " " + caption
    sheet = _Sheet(wb, "Sources", caption, list(s.columns))
    part = s.iloc[:shown]
    url_col = list(s.columns).index("url") + 1
    first = sheet.row
    _append_frame(sheet, part, {})
    urls = part["url"].astype(object)
    linked = urls.map(lambda u: isinstance(u, str) and u.startswith(("http://", "https://")))
    for k in linked.to_numpy().nonzero()[0]:
        cell = sheet.ws.cell(row=first + int(k), column=url_col)
        cell.hyperlink = urls.iloc[k]
        cell.font = Font(color="0563C1", underline="single")
    sheet.finish("B3")
    return sheet


def _charts_sheet(wb, charts: dict):
    from openpyxl.drawing.image import Image

    ws = wb.create_sheet("Charts")
    put(ws, 1, 1, "Charts (also saved beside this workbook as PNG and SVG)")
    anchor_row = 3
    for name, files in charts.items():
        png = files.get("png") if isinstance(files, dict) else files
        if not png or not Path(png).exists():
            continue
        img = Image(str(png))
        ws.add_image(img, f"A{anchor_row}")
        anchor_row += int(img.height / 20) + 3
    return ws


# ---------------------------------------------------------------- native charts
def compact_number_format(currency: str, locale: str) -> str:
    """An Excel number format that shows amounts as people say them (£1.4m,
    £5.1bn; 12,5 M € in fr_FR: Excel localises the separators) for chart
    labels and axes; the cells keep their exact format.  Suffixes from babel's
    compact patterns for millions and billions."""
    import re

    from babel import Locale
    from babel.numbers import get_currency_symbol

    loc = Locale.parse(locale)
    sym = get_currency_symbol(currency, locale=loc).replace('"', "")
    other = loc.compact_currency_formats["short"]["other"]

    def word(mag: str) -> str:
        pat = other.get(mag)
        pat = getattr(pat, "pattern", pat) or ""
        return re.sub(r"'([^']*)'", r"\1", re.sub(r"[0#¤]", "", pat)).strip().replace('"', "")

    before = loc.currency_formats["standard"].pattern.strip().startswith("¤")

    def fmt(num: str, suffix: str) -> str:
        unit = f" {suffix}" if suffix and not before else suffix
        return (f'"{sym}"{num}"{unit}"' if before else f'{num}"{unit} {sym}"')

    return (f"[>=1000000000]{fmt('0.0,,,', word('1000000000'))};"
            f"[>=1000000]{fmt('0.0,,', word('1000000'))};{fmt('#,##0', '')}")


def native_charts(report: Report, sheets: dict, scale: str = "auto") -> list:
    """Excel charts drawn from the sheets' own cells, each beside its table:
    By purpose (a bar per purpose), Summary (purposes × funders), By year
    (columns per funder), By status (total, committed, paid per funder).  A
    value label on every bar (compact), log axis as the PNG charts choose."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    from reports.charts import use_log

    compact = compact_number_format(report.currency, report.options.locale)
    made = []

    def chart(sheet: _Sheet, title: str, cols: list[int], horizontal: bool, values,
              rows: int, width_cols: int):
        last = sheet.data_last if sheet.data_last is not None else sheet.last
        if last < FIRST_ROW or not cols:
            return None
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
        if log:
            ch.y_axis.scaling.logBase = 10
        ch.y_axis.numFmt = compact
        ch.y_axis.title = f"{report.currency}{' (log scale)' if log else ''}"
        ch.y_axis.delete = False
        ch.x_axis.delete = False
        if horizontal:
            ch.x_axis.scaling.orientation = "maxMin"    # largest first, as in the table
        ch.dataLabels = DataLabelList()
        ch.dataLabels.showVal = True
        ch.dataLabels.numFmt = compact
        ch.height = max(7.5, 0.55 * rows * (len(cols) if horizontal else 1) + 3)
        ch.width = 24
        sheet.ws.add_chart(ch, f"{_col(width_cols + 2)}{FIRST_ROW}")
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
        cell = sheet.ws.cell(row=r, column=1)
        if isinstance(cell.value, str) and cell.value.endswith("(projected)"):
            for c in range(1, ncols + 1):
                sheet.ws.cell(row=r, column=c).fill = fill
                sheet.ws.cell(row=r, column=c).font = Font(italic=True)


# ---------------------------------------------------------------- workbook
def build_workbook(report: Report, extra_sheets=(), charts: dict | None = None,
                   entries_limit: int | None = DEFAULT_SHEET_LIMIT, scale: str = "auto"):
    """The openpyxl ``Workbook`` for ``report`` (not saved).  The Entries and
    Sources sheets hold at most ``entries_limit`` rows (None: all, up to
    Excel's row limit), with a note when cut."""
    from openpyxl import Workbook

    o = report.options
    fmt = money_format(o.currency, o.locale)
    cap = f"Amounts in {report.basis_text()}."
    wb = Workbook()
    limit = EXCEL_MAX_ROWS - FIRST_ROW if entries_limit is None else \
        min(int(entries_limit), EXCEL_MAX_ROWS - FIRST_ROW)
    _about_sheet(wb, report, limit)
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
        made["By year"] = _matrix_sheet(
            wb, "By year", f"Money falling in each of the {report.year_label}, "
            f"{o.currency}, totals spread over each period by days"
            + (f"; open-ended amounts to {report.horizon}" if report.horizon else "")
            + (f". Years marked (projected), shaded: after {report.last_bounded}, the last year "
               f"any bounded pledge reaches; they hold only open-ended 'a year' pledges"
               if report.projected else "") + ".", by_year, "year", fmt)
        if report.projected:
            _shade_projected(made["By year"], len(report.by_year.columns) + 2)
    st = report.by_status
    sheet = made["By status"] = _long_sheet(
        wb, "By status", cap + " paid = disbursed or spent (including entries that disburse "
        "another); outstanding = total − paid.", st,
        ["pledged", "committed", "disbursed", "spent", "total", "paid", "outstanding"], fmt)
    if not st.empty:   # outstanding = total − paid, live
        cols = list(st.columns)
        t, p, o_ = (_col(cols.index(c) + 1) for c in ("total", "paid", "outstanding"))
        for r in range(FIRST_ROW, sheet.last):
            formula(sheet.ws, r, cols.index("outstanding") + 1, f"={t}{r}-{p}{r}", fmt, bold=False)
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
    _entries_sheet(wb, report, fmt, limit)
    _sources_sheet(wb, report, limit)
    native_charts(report, made, scale)
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
    return wb


def write_workbook(path, report: Report, extra_sheets=(), charts: dict | None = None,
                   entries_limit: int | None = DEFAULT_SHEET_LIMIT,
                   full_tables: bool = True, scale: str = "auto") -> Path:
    """Write the report workbook to ``path`` atomically; returns the path.

    When the Entries or Sources sheet is cut at ``entries_limit`` rows, the
    full tables are written beside the workbook (``write_full_tables``:
    entries.csv/.parquet, sources.csv/.parquet), as the sheets' notes say;
    ``full_tables=False`` when the caller writes them itself."""
    from ledger.atomic import atomic_path

    with gc_paused():
        wb = build_workbook(report, extra_sheets, charts, entries_limit, scale)
    path = Path(path)
    if full_tables and entries_limit is not None and \
            max(len(report.entries), len(report.sources)) > entries_limit:
        write_full_tables(report, path.parent)
    with atomic_path(path) as tmp, gc_paused():
        wb.save(tmp)
    return path


def _arrow_table(frame: pd.DataFrame):
    """Arrow columns of ``frame``: types inferred (Decimal → decimal128, dates →
    date32); a column of mixed Python types (e.g. dates and "") becomes text."""
    import pyarrow as pa

    arrays = []
    for c in frame.columns:
        col = frame[c]
        try:
            arrays.append(pa.array(col, from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays.append(pa.array(col.map(lambda v: None if v is None else str(v)),
                                   type=pa.string()))
    return pa.table(arrays, names=[str(c) for c in frame.columns])


def write_full_tables(report: Report, folder) -> list[Path]:
    """The whole Entries and Sources tables beside the workbook:
    ``entries.csv``/``entries.parquet`` and ``sources.csv``/``sources.parquet``.
    CSV text is inert in spreadsheets (``reports.text.inert_frame``); amounts
    are plain decimals (Arrow decimal columns), dates ISO.  Written with
    pyarrow, atomically."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with gc_paused():
        written = _write_full_tables(report, folder)
    return written


def _write_full_tables(report: Report, folder: Path) -> list[Path]:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from ledger.atomic import atomic_path

    written = []
    for name, frame in (("entries", report.entries), ("sources", report.sources)):
        table = _arrow_table(frame)
        with atomic_path(folder / f"{name}.parquet") as tmp:
            pq.write_table(table, tmp)
        with atomic_path(folder / f"{name}.csv") as tmp:
            pacsv.write_csv(_inert_table(table, frame), str(tmp))
        written += [folder / f"{name}.csv", folder / f"{name}.parquet"]
    return written


def _inert_table(table, frame: pd.DataFrame):
    """``table`` with its text made inert for spreadsheets by
    ``reports.text.inert_frame``, applied only to the rows where some text
    column starts with a formula character (found with one Arrow regex per
    column: ``inert_frame`` on a million rows costs ~10 s, on the few
    candidate rows nothing)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from reports.text import FORMULA_PREFIXES, inert_frame

    pattern = "^[" + "".join("\\" + c if c in "-\\]^" else c for c in FORMULA_PREFIXES) + "]"
    text_cols = [i for i, f in enumerate(table.schema)
                 if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    mask = None
    for i in text_cols:
        m = pc.fill_null(pc.match_substring_regex(table.column(i), pattern), False)
        mask = m if mask is None else pc.or_(mask, m)
    if mask is None or not pc.any(mask).as_py():
        return table
    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    fixed = inert_frame(frame.iloc[rows])
    for i in text_cols:
        col = table.column(i)
        new = pa.array([None if v is None or (isinstance(v, float) and v != v) else str(v)
                        for v in fixed.iloc[:, i]], type=col.type)
        table = table.set_column(i, table.schema.field(i),
                                 pc.replace_with_mask(col.combine_chunks(), mask, new))
    return table
