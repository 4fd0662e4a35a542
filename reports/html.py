"""The report as one self-contained, interactive HTML file.

One file, no server, no network: style, script and data are inline.  The data
is the report's own table model (``reports.pagedata.explore_cube``: the totals
and by-year rows summed into cells, exact integer minor units) plus the
largest ``limit`` entries with their citations, as JSON in a
``<script type="application/json">`` block escaped so that no text can end it
("<", ">" and "&" are written as \u003c, \u003e, \u0026).  The script
(``reports.page_script``) builds filters for funder, purpose, year, status,
qualifier and tag and redraws every table and chart (inline SVG) from the
filtered cells; every amount opens the entries behind it, each with its
citations, the quote highlighted in its document's words, the audit's verdict
and the archived document.  Text goes into the page with ``textContent`` only.
A Content-Security-Policy allows the one inline script (by its hash) and
nothing from anywhere else.

``render_html(report, charts_svg=None, extra_sections=(), limit=HTML_TABLE_LIMIT,
audit=None, amounts="compact", scale="auto")`` returns the page;
``extra_sections`` is a list of ``(title, html)`` pairs appended after the
built-in sections (the caller is responsible for escaping its own ``html``).
"""
from __future__ import annotations

import base64
import hashlib
import html as _html
import json
import secrets
from pathlib import Path

from ledger.atomic import write_atomic
from reports.notes import horizon_reason, report_horizon
from reports.options import Report, price_base
from reports.page_script import SCRIPT, STYLE
from reports.pagedata import (HTML_TABLE_LIMIT, EntryLists, _bcp47, banner_entries,
                              page_data)
from reports.text import show_controls


def esc(text) -> str:
    """Escaped text; control characters (invisible, or parse errors in HTML)
    shown as \\xNN, as in the workbook."""
    return show_controls(_html.escape("" if text is None else str(text), quote=True))


def script_json(obj) -> str:
    """JSON that can sit inside a <script> element: no "<", ">" or "&" (so no
    "</script>" or "<!--"), and no line separators JavaScript once choked on."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, rep in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return text


def _data_json(data: dict) -> str:
    """``script_json(data)``, with each cell block's entry lists (``e``:
    millions of numbers on a big ledger) written as text here, one cell at a
    time, instead of through the JSON encoder (whose pieces, a string per
    number, would all be alive at once).  The same text."""
    blocks = {}
    cells = dict(data.get("cells") or {})
    for name, block in cells.items():
        e = block.get("e") if isinstance(block, dict) else None
        if isinstance(e, (list, EntryLists)):
            marker = f"\ue000{secrets.token_hex(12)}\ue000"   # no text can guess it
            blocks[marker] = (e.json_text() if isinstance(e, EntryLists) else
                              "[" + ",".join("[" + ",".join(map(str, x)) + "]" for x in e) + "]")
            cells[name] = {**block, "e": marker}
    if not blocks:
        return script_json(data)
    text = script_json({**data, "cells": cells})
    for marker, raw in blocks.items():
        quoted = json.dumps(marker, ensure_ascii=False)
        if text.count(quoted) != 1:     # a cell's text holding the marker: never splice
            raise ValueError(f"page data: marker {marker!r} is not unique")
        text = text.replace(quoted, raw)
    return text


SECTIONS = [
    ("s-summary", "Summary: purpose × funder", "t-summary",
     "Counted amounts by purpose and funder. Click any amount for the entries behind it."),
    ("s-charts", "Charts", None, ""),
    ("detail", "Entries behind an amount", "detail-body", ""),
    ("s-purpose", "By purpose", "t-purpose", ""),
    ("s-funder", "By funder", "t-funder", ""),
    ("s-year", "By year", "t-year", ""),
    ("s-status", "By status", "t-status",
     "paid = disbursed or spent, including entries that disburse another, each "
     "payment once (none within a pledge paid itself), on the row of the funder whose pledge "
     "it pays; outstanding = total − paid; paid for others: paid of other funders' pledges."),
    ("s-compare", "Comparison", "t-compare",
     "The compared funders side by side; each includes its sub-accounts."),
    ("s-trees", "Account trees", "t-trees",
     "Funder and purpose accounts rolled up: each parent includes everything below it."),
    ("s-entries", "Entries", "t-entries", "The entries that match the filters, largest first."),
]


def audit_banner(report: Report, audit) -> str:
    """The alarm at the top of a page whose audit failed (static: shown
    without the script too)."""
    if audit is None or not audit.failed():
        return ""
    n, first = banner_entries(report, audit)
    named = ", ".join(first) + (f" and {n - len(first):,} more" if n > len(first) else "")
    return (f'<div id="audit-banner" class="alarm" role="alert"><strong>The audit FAILED</strong>'
            f' ({esc(audit.summary())}). '
            + (f'{n:,} entr{"y carries" if n == 1 else "ies carry"} figures '
               f'their sources do not confirm: {esc(named)}. Every amount that includes '
               f'{"it" if n == 1 else "them"} is marked ⚠. '
               if n else "")
            + 'See the Audit section below.</div>')


def render_html(report: Report, charts_svg: dict | None = None, extra_sections=(),
                limit: int | None = HTML_TABLE_LIMIT, audit=None, amounts: str = "compact",
                scale: str = "auto", shipped: dict[str, str] | None = None) -> str:
    """The interactive page (see the module's docstring).  ``charts_svg`` is
    accepted for compatibility and not used: the page draws its own charts
    from the filtered data."""
    o = report.options
    data = page_data(report, limit, audit, amounts, scale, shipped)
    title = data["meta"]["title"]
    n_all, n_here = data["meta"]["entriesTotal"], len(data["entries"])
    basis = (f"All amounts: {report.basis_text()}. Years: {report.year_label}."
             + (f" Open-ended 'a year' pledges are counted up to {report_horizon(report)}"
                f" ({horizon_reason(report.options.horizon)})." if report.horizon
                else ""))
    parts = [audit_banner(report, audit),
             f'<p class="basis" id="basis">{esc(basis)}</p>',
             '<noscript><p class="cut">This page draws its tables and charts with JavaScript; '
             'the same figures are in report.xlsx and summary.csv beside it.</p></noscript>',
             '<div id="filters" role="search"></div>']
    if n_here < n_all:
        parts.append(f'<p class="cut" id="cut-note">This page carries every total (summed over '
                     f'all {n_all:,} entries) and the {n_here:,} largest entries for the '
                     f'click-through lists; every entry is in <a href="entries.csv">entries.csv'
                     f'</a> beside this page.</p>')
    nav = [(sid, t) for sid, t, _, _ in SECTIONS if sid != "detail"] + [("s-about", "About")]
    nav += [(f"x{i}", str(t)) for i, (t, _) in enumerate(extra_sections)]
    parts.append("<nav>" + "".join(f'<a href="#{sid}">{esc(t)}</a>' for sid, t in nav) + "</nav>")
    for sid, t, box, cap in SECTIONS:
        if sid == "s-compare" and report.comparison.empty:
            continue
        if sid == "s-year":
            cap = (f"Money falling in each of the {report.year_label}{price_base(o)}, amounts spread over their "
                   f"periods by days.")
            if report.projected:
                cap += (f" Rows marked (projected), hatched: years after {report.last_bounded}, "
                        f"the last year any bounded pledge reaches; they hold only open-ended "
                        f"'a year' pledges counted to the horizon.")
        hidden = " hidden" if sid == "detail" else ""
        inner = (f'<p>{esc(cap)}</p>' if cap else "")
        if sid == "s-charts":
            inner += ('<div class="chart" id="c-purpose"></div><div class="chart" id="c-timeline">'
                      '</div><div class="chart" id="c-status"></div>')
        else:
            inner += f'<div id="{box}"></div>'
        parts.append(f'<section id="{sid}"{hidden}><h2>{esc(t)}</h2>{inner}</section>')
    facts = [("Ledger", report.ledger_name),
             ("Generated", report.generated.strftime("%Y-%m-%d %H:%M UTC")),
             ("Currency", o.currency), ("Valuation", o.valuation), ("Basis", o.basis),
             ("Years", report.year_label),
             ("Horizon for open-ended amounts", report.horizon or "none needed"),
             ("Exchange rates", "; ".join(report.rate_sources) or "none needed"),
             ("Entries", f"{n_all:,} (the page carries the {n_here:,} largest for the lists)")]
    about = "<table>" + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts)
    about += ("</table><p>The notes describe the whole report; the filters above change the "
              "tables and charts only.</p><ul>"
              + "".join(f"<li>{esc(n)}</li>" for n in report.notes) + "</ul>")
    parts.append(f'<section id="s-about"><h2>About these figures</h2>{about}</section>')
    for i, (t, h) in enumerate(extra_sections):
        parts.append(f'<section id="x{i}"><h2>{esc(t)}</h2>\n{h}\n</section>')
    script = SCRIPT
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
           f"img-src data:; base-uri 'none'; form-action 'none'")
    lang = esc(_bcp47(o.locale).split("-")[0])
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            f'<meta name="referrer" content="no-referrer">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{esc(title)}</h1>\n" + "\n".join(parts)
            + f'\n<script type="application/json" id="report-data">{_data_json(data)}</script>'
            f"\n<script>{script}</script>\n</body></html>\n")


def write_html(path, report: Report, charts: dict | None = None, extra_sections=(),
               limit: int | None = HTML_TABLE_LIMIT, audit=None, amounts: str = "compact",
               scale: str = "auto", shipped: dict[str, str] | None = None) -> Path:
    """Write ``report.html`` atomically.  ``charts`` is accepted for
    compatibility (the page draws its own)."""
    path = Path(path)
    write_atomic(path, render_html(report, None, extra_sections, limit, audit, amounts, scale,
                                   shipped))
    return path
