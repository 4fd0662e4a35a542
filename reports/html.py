"""The report as one self-contained HTML file.

Charts are inline SVG, styles inline, no scripts, no network: the file opens in
any browser offline.  Every piece of text from the ledger is escaped.  Amounts
are formatted with babel for the report's locale.

``render_html(report, charts_svg=None, extra_sections=(), limit=HTML_TABLE_LIMIT)``
returns the page; the Entries and Sources tables show at most ``limit`` rows,
with a note and a link to ``entries.csv`` / ``sources.csv`` beside the page
when cut (``ledger-tool report`` always writes them);
``extra_sections`` is a list of ``(title, html)`` pairs appended after the
built-in sections (the caller is responsible for escaping its own ``html``).
"""
from __future__ import annotations

import html as _html
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from reports.tables import TOTAL, Report

# Rows of the page's Entries and Sources tables at most (a browser still opens
# the page quickly; every row is in entries.csv / sources.csv).
HTML_TABLE_LIMIT = 2_000

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;
max-width:1100px;padding:0 1em;color:#1b1b1b;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:1.8em;border-bottom:1px solid #ccd}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
th,td{border:1px solid #ccd;padding:.25em .5em;vertical-align:top}
th{background:#dde4ee;text-align:left} td.n{text-align:right;white-space:nowrap}
tr.total td{font-weight:bold;background:#f3f5f9}
.basis{background:#fff8e1;border-left:4px solid #e0a800;padding:.5em 1em}
.chart svg{max-width:100%;height:auto}
nav a{margin-right:1em}
"""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(text) -> str:
    """Escaped text; control characters (invisible, or parse errors in HTML)
    shown as \\xNN, as in the workbook."""
    out = _html.escape("" if text is None else str(text), quote=True)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", out)


def _money(v, currency: str, locale: str) -> str:
    from babel.numbers import format_currency
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return format_currency(v, currency, locale=locale)


def table_html(frame: pd.DataFrame, *, money_cols=(), currency="GBP", locale="en_GB",
               index: str | None = None, total_label: str | None = TOTAL,
               percent_cols=()) -> str:
    """An escaped HTML table.  ``index``: name for the index column (None: no
    index).  Rows whose index/first cell equals ``total_label`` are bold."""
    cols = list(frame.columns)
    head = ([esc(index)] if index else []) + [esc(c) for c in cols]
    out = ["<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"]
    money_cols = set(money_cols) if money_cols != "all" else set(cols)
    for idx, row in frame.iterrows():
        first = idx if index else row.iloc[0] if len(row) else ""
        cls = ' class="total"' if total_label and str(first) == total_label else ""
        cells = [f"<td>{esc(idx)}</td>"] if index else []
        for c in cols:
            v = row[c]
            if c in money_cols:
                cells.append(f'<td class="n">{esc(_money(v, currency, locale))}</td>')
            elif c in percent_cols:
                from babel.numbers import format_percent
                cells.append(f'<td class="n">{esc(format_percent(v, "#,##0.0%", locale=locale))}</td>')
            elif isinstance(v, (int, Decimal)) and not isinstance(v, bool):
                cells.append(f'<td class="n">{esc(v)}</td>')
            else:
                cells.append(f"<td>{esc('' if v is None or (isinstance(v, float) and v != v) else v)}</td>")
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _with_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """A matrix with a Total column and a Total row."""
    if frame.empty:
        return frame
    f = frame.copy()
    f[TOTAL] = [sum(r, Decimal(0)) for r in f.itertuples(index=False)]
    f.loc[TOTAL] = [sum(f[c], Decimal(0)) for c in f.columns]
    return f


def _svg_inline(svg: str) -> str:
    """Strip the XML prolog / doctype so the SVG can sit inside HTML."""
    svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.S | re.I)
    return svg


def _cut_note(shown: int, total: int, what: str, csv_name: str) -> str:
    return (f'<p class="basis">Showing {shown:,} of {total:,} {esc(what)}; the full table is '
            f'in <a href="{csv_name}">{csv_name}</a> beside this page.</p>')


def render_html(report: Report, charts_svg: dict | None = None, extra_sections=(),
                limit: int | None = HTML_TABLE_LIMIT) -> str:
    o = report.options
    cur, loc = o.currency, o.locale
    title = o.title or f"{report.ledger_name}: funding by funder and purpose"
    money = dict(currency=cur, locale=loc)
    sections: list[tuple[str, str]] = []

    facts = [("Ledger", report.ledger_name),
             ("Generated", report.generated.strftime("%Y-%m-%d %H:%M UTC")),
             ("Currency", cur), ("Valuation", o.valuation), ("Basis", o.basis),
             ("Years", report.year_label),
             ("Horizon for open-ended amounts", report.horizon or "none needed"),
             ("Exchange rates", "; ".join(report.rate_sources) or "none needed")]
    about = "<table>" + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts)
    about += "</table><ul>" + "".join(f"<li>{esc(n)}</li>" for n in report.notes) + "</ul>"
    sections.append(("About these figures", about))

    if not report.matrix.empty:
        sections.append(("Summary: purpose × funder",
                         table_html(_with_totals(report.matrix), money_cols="all",
                                    index="purpose", **money)))
    bp = report.by_purpose.drop(columns=["currency"], errors="ignore")
    sections.append(("By purpose", table_html(bp, money_cols=["amount"], percent_cols=["share"],
                                               **money)))
    bf = report.by_funder.drop(columns=["currency"], errors="ignore")
    sections.append(("By funder", table_html(bf, money_cols=["amount"], percent_cols=["share"],
                                              **money)))
    if not report.by_year.empty:
        cap = f"<p>Money falling in each of the {esc(report.year_label)}"
        cap += f"; open-ended amounts to {esc(report.horizon)}.</p>" if report.horizon else ".</p>"
        sections.append(("By year", cap + table_html(_with_totals(report.by_year),
                                                     money_cols="all", index="year", **money)))
    st = report.by_status.drop(columns=["currency"], errors="ignore")
    sections.append(("By status", "<p>paid = disbursed or spent, including entries that disburse "
                     "another; outstanding = total − paid.</p>"
                     + table_html(st, money_cols=[c for c in st.columns if c != "funder"],
                                  **money)))
    if not report.comparison.empty:
        sections.append(("Comparison", table_html(report.comparison, money_cols="all",
                                                  index="purpose", **money)))
    for name, svg in (charts_svg or {}).items():
        sections.append((f"Chart: {name}", f'<div class="chart">{_svg_inline(svg)}</div>'))
    n_ent = len(report.entries)
    ent = report.entries.iloc[:n_ent if limit is None else limit][["id", "date", "funder", "purpose", "amount as written", "qualifier",
                          "normalised", "rate", "rate date", "rate source", "period", "status",
                          "counted", "links", "sources"]]
    note = _cut_note(len(ent), n_ent, "rows (one per entry and purpose)", "entries.csv") \
        if len(ent) < n_ent else ""
    sections.append(("Entries", note + table_html(ent, money_cols=["normalised"],
                                                  total_label=None, **money)))
    n_src = len(report.sources)
    src = report.sources.iloc[:n_src if limit is None else limit]
    rows = []
    for r in src.itertuples(index=False):
        url = str(r.url or "")
        link = (f'<a href="{esc(url)}">{esc(url)}</a>' if url.startswith(("http://", "https://"))
                else esc(url))
        rows.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in
                                     (r.document, r.title, r.publisher, r.published))
                    + f"<td>{link}</td><td>“{esc(r.quote)}”</td><td>{esc(r.entry)}</td></tr>")
    note = _cut_note(len(src), n_src, "citations", "sources.csv") if len(src) < n_src else ""
    sections.append(("Sources", note + "<table><thead><tr><th>document</th><th>title</th><th>publisher"
                     "</th><th>published</th><th>URL</th><th>quote</th><th>entry</th></tr>"
                     "</thead><tbody>" + "".join(rows) + "</tbody></table>"))
    sections.extend((str(t), str(h)) for t, h in extra_sections)

    ids = [f"s{i}" for i in range(len(sections))]
    nav = "<nav>" + "".join(f'<a href="#{i}">{esc(t)}</a>' for i, (t, _) in zip(ids, sections)) + "</nav>"
    body = "\n".join(f'<section id="{i}"><h2>{esc(t)}</h2>\n{h}\n</section>'
                     for i, (t, h) in zip(ids, sections))
    lang = esc(loc.split("_")[0])
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            f'style-src \'unsafe-inline\'; img-src data:">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>{esc(title)}</h1>"
            f'<p class="basis">{esc("All amounts: " + report.basis_text() + ".")} '
            f'{esc("Years: " + report.year_label + ".")}</p>\n{nav}\n{body}\n</body></html>\n')


def write_html(path, report: Report, charts: dict | None = None, extra_sections=(),
               limit: int | None = HTML_TABLE_LIMIT) -> Path:
    """Write ``report.html`` atomically; ``charts`` as from
    ``reports.charts.write_charts`` (their SVG files are inlined)."""
    from ledger.atomic import write_atomic

    svgs = {}
    for name, files in (charts or {}).items():
        svg = files.get("svg") if isinstance(files, dict) else None
        if svg and Path(svg).exists():
            svgs[name] = Path(svg).read_text(encoding="utf-8")
    path = Path(path)
    write_atomic(path, render_html(report, svgs, extra_sections, limit))
    return path
