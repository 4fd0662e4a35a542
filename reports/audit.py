"""Render an audit (``ledger.sources.audit.AuditResult``): terminal text, CSV, JSON,
the rows of the workbook's Audit sheet, and the HTML audit section.

Nothing here decides anything; every fact comes from the result.  Amounts
are formatted with babel for the chosen locale in text and HTML; CSV and
JSON carry plain numbers and ISO codes for other tools.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from decimal import Decimal
from typing import IO

from ledger.model import AUDIT, said
from ledger.phrases.money import format_money, plain_decimal
from ledger.sources.audit import finding_dict
from ledger.text_safety import show_bidi
from reports.amounts import as_said
from reports.html import esc
from reports.text import csv_quoting, format_table, inert
from reports.workbook import exact_figures_note, exact_text, fits_a_number, make_cell, print_setup

__all__ = ["figure_rows", "finding_rows", "uncovered_rows", "document_rows",
           "render_text", "write_csv", "audit_json", "write_json", "sheet_rows",
           "write_audit_sheet", "html_section", "HTML_CSS", "AUDIT_SHEET"]

AUDIT_SHEET = "Audit"
FINDING_COLUMNS = ("severity", "code", "entry", "doc", "line", "column", "message",
                   "quote", "implied_rate", "reference_rate", "reference_date", "deviation")


def _amount(entry, locale: str) -> str:
    """The figure as the report says it, exactly: "at least €3,000,000,000.00 a year"."""
    return as_said(entry.amount, entry.currency, entry.qualifier, entry.period.describe(),
                   locale, "exact")


def _where(c) -> str:
    return str(c.location) if c.location else ""


def figure_rows(result, locale: str = "en_GB") -> list[dict]:
    """One row per citation (and one per entry without any): the figure,
    its source, whether it verifies, where, and the findings' codes."""
    by_entry: dict[str, list] = {}
    for c in result.citations:
        by_entry.setdefault(c.entry_id, []).append(c)
    rows = []
    for e in result.entries:
        own = [f for f in result.for_entry(e.id) if f.severity in ("error", "warning")]
        checks = by_entry.get(e.id, [])
        if not checks:
            rows.append({"entry": e.id, "date": e.date, "amount": _amount(e, locale),
                         "source": "(none)", "at": "", "verified": "NO SOURCE",
                         "findings": ", ".join(sorted({f.code for f in own}))})
            continue
        for c in checks:
            codes = {f.code for f in own if not f.file or f.file == c.doc}
            rows.append({"entry": e.id, "date": e.date, "amount": _amount(e, locale),
                         "source": c.doc, "at": _where(c),
                         "verified": "yes" if c.verified else "NO",
                         "findings": ", ".join(sorted(codes))})
    return rows


def _detail(f, key):
    v = f.details.get(key)
    return "" if v is None else v


def finding_rows(result, *, include_ok: bool = True) -> list[dict]:
    rows = []
    for f in result.findings:
        if f.severity == "ok" and not include_ok:
            continue
        rows.append({"severity": f.severity, "code": f.code, "entry": f.entry_id,
                     "doc": f.file, "line": f.line or "", "column": f.column or "",
                     "message": f.message, "quote": _detail(f, "quote"),
                     "implied_rate": _detail(f, "implied_rate"),
                     "reference_rate": _detail(f, "reference_rate"),
                     "reference_date": _detail(f, "reference_date"),
                     "deviation": _detail(f, "deviation")})
    return rows


def uncovered_rows(result, locale: str = "en_GB") -> list[dict]:
    return [{"doc": doc, "at": str(loc), "phrase": m.phrase,
             "amount": format_money(m.amount, m.currency, locale)}
            for doc, m, loc in result.uncovered]


def document_rows(result) -> list[dict]:
    rows = []
    for d in result.document_checks:
        if not d.exists:
            state = "MISSING"
        elif not d.sha256_recorded:
            state = "no hash recorded"
        else:
            state = "ok" if d.hash_ok else "CHANGED"
        rows.append({"doc": d.id, "kind": d.kind, "file": state, "citations": d.citations,
                     "figures": d.mentions, "uncovered": d.uncovered, "title": d.title})
    return rows


def render_text(result, locale: str = "en_GB") -> str:
    out = [f"Audit of {len(result.entries)} entries against {result.archive}", "",
           "Figures", format_table(figure_rows(result, locale)), ""]
    problems = [f for f in result.findings if f.severity in ("error", "warning")]
    out.append("Findings")
    if problems:
        out.extend(said(f, AUDIT) for f in problems)
    else:
        out.append("(no errors or warnings)")
    infos = [f for f in result.findings if f.severity == "info" and f.code != "uncovered-figure"]
    if infos:
        out += ["", "Notes"] + [said(f, AUDIT) for f in infos]
    out += ["", "Uncovered figures (money in the archive that no entry cites)"]
    unc = uncovered_rows(result, locale)
    out.append(format_table(unc) if unc else "(none)")
    out += ["", "Documents", format_table(document_rows(result)), "",
            "Summary: " + result.summary()]
    return "\n".join(out) + "\n"


def write_csv(result, out: IO[str] | None = None) -> None:
    """Every finding (one row each, verified citations included as 'ok')."""
    out = out or sys.stdout

    # the guards of every CSV file (docs/guarantees.md): bidi controls shown,
    # formula prefixes inert; a terminal's stdout shows the rest
    rows = [{k: inert(show_bidi("" if v is None else str(v))) for k, v in r.items()}
            for r in finding_rows(result)]
    w = csv.DictWriter(out, fieldnames=FINDING_COLUMNS, lineterminator="\n",
                       quoting=csv_quoting(c for r in rows for c in r.values()))
    w.writeheader()
    w.writerows(rows)


def audit_json(result) -> dict:
    """The whole audit as plain JSON-ready data."""
    figures = []
    for e in result.entries:
        cits = []
        for c in (c for c in result.citations if c.entry_id == e.id):
            cits.append({
                "doc": c.doc, "quote": c.citation.quote, "locator": c.citation.locator,
                "verified": c.verified,
                "line": c.location.line if c.location else None,
                "column": c.location.column if c.location else None,
                "end_line": c.end_location.line if c.end_location else None,
                "end_column": c.end_location.column if c.end_location else None,
                "match": c.match.how if c.match else None,
                "document_text": c.match.text if c.match else None,
                "phrase": c.matched.phrase if c.matched is not None else None,
                "matched_as": c.matched_as or None,
            })
        figures.append({"entry": e.id, "date": e.date.isoformat(),
                        "amount": plain_decimal(e.amount), "currency": e.currency,
                        "qualifier": e.qualifier, "period": e.period.describe(),
                        "restated": [{"amount": plain_decimal(r.amount), "currency": r.currency}
                                     for r in e.restated],
                        "citations": cits,
                        "verified": bool(cits) and all(c["verified"] for c in cits),
                        "findings": [finding_dict(f) for f in result.for_entry(e.id)]})
    return {
        "archive": result.archive,
        "tolerance": str(result.tolerance),
        "summary": {"entries": len(result.entries), "citations": len(result.citations),
                    "verified": result.verified, "errors": result.count("error"),
                    "warnings": result.count("warning"), "uncovered": len(result.uncovered)},
        "figures": figures,
        "findings": [finding_dict(f) for f in result.findings],
        "uncovered": [{"doc": d, "line": loc.line, "column": loc.column, "phrase": m.phrase,
                       "amount": plain_decimal(m.amount), "currency": m.currency}
                      for d, m, loc in result.uncovered],
        "documents": [{"id": d.id, "path": d.path, "exists": d.exists, "kind": d.kind,
                       "sha256_recorded": d.sha256_recorded, "sha256": d.sha256_actual,
                       "hash_ok": d.hash_ok, "citations": d.citations,
                       "figures": d.mentions, "uncovered": d.uncovered}
                      for d in result.document_checks],
    }


def write_json(result, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    # a bidi control in a quote or title as its JSON escape: the same text, inert bytes
    out.write(show_bidi(json.dumps(audit_json(result), ensure_ascii=False, indent=1)) + "\n")


# ------------------------------------------------------------------ XLSX
def sheet_rows(result) -> list[dict]:
    """The Audit sheet: one row per finding (verified citations as 'ok')."""
    return finding_rows(result)


def write_audit_sheet(workbook, result, title: str = AUDIT_SHEET):
    """Add (or replace) the Audit sheet in an openpyxl ``workbook``: the
    report's streaming (write-only) workbook or an ordinary one.  Its rows are
    appended in order, its layout set before them, as a streaming sheet
    needs."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    # every cell through reports.workbook.make_cell: quotes and messages from
    # sources stay text even when they start with "=", "+", "-" or "@"

    if title in workbook.sheetnames:
        del workbook[title]
    ws = workbook.create_sheet(title)
    rows = sheet_rows(result)
    last_col = get_column_letter(len(FINDING_COLUMNS))
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{last_col}{3 + len(rows)}"
    widths = {"severity": 9, "code": 24, "entry": 32, "doc": 24, "line": 6, "column": 7,
              "message": 90, "quote": 40}
    for i, name in enumerate(FINDING_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(name, 14)
    print_setup(ws)
    bold = Font(bold=True)
    # a figure no spreadsheet number holds exactly (reports.workbook.fits_a_number): exact text
    wide = sum(1 for r in rows for k in FINDING_COLUMNS
               if isinstance(r[k], Decimal) and not fits_a_number(r[k]))
    ws.exact_figures = wide
    head = make_cell(ws, f"Audit against {result.archive}: {result.summary()}"
                     + (". " + exact_figures_note("on this sheet", wide) if wide else ""))
    head.font = bold
    ws.append([head])
    ws.append([])
    names = [make_cell(ws, name) for name in FINDING_COLUMNS]
    for c in names:
        c.font = bold
    ws.append(names)
    fills = {k: PatternFill("solid", fgColor=colour)
             for k, colour in {"error": "F8CBAD", "warning": "FFE699", "ok": "C6EFCE"}.items()}
    right = Alignment(horizontal="right")
    for r in rows:
        cells = [make_cell(ws, _cell(r[k])) for k in FINDING_COLUMNS]
        for c, k in zip(cells, FINDING_COLUMNS):
            if isinstance(r[k], Decimal) and not fits_a_number(r[k]):
                c.alignment = right
        fill = fills.get(r["severity"])
        if fill is not None:
            cells[0].fill = fill
        ws.append(cells)
    return ws


def _cell(v):
    if isinstance(v, Decimal):   # rates and deviations only; amounts are in the text
        return float(v) if fits_a_number(v) else exact_text(v)
    if isinstance(v, (dt.date, int, float)):
        return v
    return "" if v is None else str(v)


# ------------------------------------------------------------------ HTML
HTML_CSS = """
.audit table { border-collapse: collapse; }
.audit th, .audit td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
.audit .error { color: #9c0006; } .audit .warning { color: #7f6000; }
.audit .ok { color: #006100; }
.audit blockquote { border-left: 3px solid #999; margin: .5em 0; padding: .2em .8em; white-space: pre-wrap; }
.audit mark { background: #ffeb3b; }
"""


def _e(v) -> str:
    """Escaped, with control characters shown as \\xNN (as the page promises)."""
    return esc(v)


def _anchor(c) -> str:
    return f"audit-{c.entry_id}-{c.index + 1}"


def html_section(result, locale: str = "en_GB", *, heading: str = "Audit",
                 wrap: bool = True) -> str:
    """An HTML ``<section>``: per figure its sources and verification, each
    linking to the quote shown highlighted (``<mark>``) in the document's
    context; then findings, uncovered figures and documents.  Everything
    from the ledger or the documents is escaped.  ``wrap=False`` gives the
    body only (with its own ``<style>``), for a page that adds the section
    and heading itself (``reports.html`` extra sections)."""
    head = (f'<section class="audit" id="audit"><h2>{_e(heading)}</h2>' if wrap
            else f'<style>{HTML_CSS}</style><div class="audit">')
    parts = [head,
             f"<p>{_e(result.summary())}. Archive: <code>{_e(result.archive)}</code>; "
             f"restatement tolerance {_e(format((result.tolerance * 100).normalize(), 'f'))}%.</p>",
             "<table><thead><tr><th>entry</th><th>date</th><th>amount</th><th>source</th>"
             "<th>at</th><th>verified</th><th>findings</th></tr></thead><tbody>"]
    by_entry: dict[str, list] = {}
    for c in result.citations:
        by_entry.setdefault(c.entry_id, []).append(c)
    for e in result.entries:
        own = [f for f in result.for_entry(e.id) if f.severity in ("error", "warning")]
        cits = by_entry.get(e.id) or [None]
        for c in cits:
            if c is None:
                src, at, ok = "(none)", "", '<span class="error">no source</span>'
            else:
                link = f'<a href="#{_e(_anchor(c))}">{_e(c.doc)}</a>'
                src, at = link, _e(_where(c))
                ok = ('<span class="ok">yes</span>' if c.verified
                      else '<span class="error">NO</span>')
            msgs = "<br>".join(f'<span class="{_e(f.severity)}">{_e(f.severity)}: '
                               f'{_e(f.message)}</span>' for f in own
                               if c is None or not f.file or f.file == c.doc)
            parts.append(f"<tr><td>{_e(e.id)}</td><td>{_e(e.date)}</td>"
                         f"<td>{_e(_amount(e, locale))}</td><td>{src}</td><td>{at}</td>"
                         f"<td>{ok}</td><td>{msgs}</td></tr>")
    parts.append("</tbody></table>")

    parts.append("<h3>Quotes in context</h3>")
    for c in result.citations:
        doc = result.documents.get(c.doc)
        title = f" — {doc.title}" if doc and doc.title else ""
        parts.append(f'<div class="quote" id="{_e(_anchor(c))}"><h4>{_e(c.entry_id)}: '
                     f"{_e(c.doc)}{_e(title)}"
                     + (f" (line {c.location.line}, column {c.location.column})" if c.location else "")
                     + "</h4>")
        src = result.sources.get(c.doc)
        if c.match is not None and src is not None:
            before, span, after = src.context(c.match.start, c.match.end)
            parts.append(f"<blockquote>{_e(before)}<mark>{_e(span)}</mark>{_e(after)}</blockquote>")
        else:
            parts.append(f'<p class="error">not found in the document: '
                         f"<q>{_e(c.citation.quote)}</q></p>")
        parts.append("</div>")

    unc = uncovered_rows(result, locale)
    parts.append("<h3>Uncovered figures</h3>")
    if unc:
        parts.append("<table><thead><tr><th>document</th><th>at</th><th>phrase</th>"
                     "<th>amount</th></tr></thead><tbody>"
                     + "".join(f"<tr><td>{_e(r['doc'])}</td><td>{_e(r['at'])}</td>"
                               f"<td>{_e(r['phrase'])}</td><td>{_e(r['amount'])}</td></tr>"
                               for r in unc) + "</tbody></table>")
    else:
        parts.append("<p>None: every money figure in the archive is cited by an entry.</p>")
    problems = [f for f in result.findings if f.severity in ("error", "warning", "info")
                and f.code != "uncovered-figure"]
    if problems:
        parts.append("<h3>Findings</h3><ul>")
        parts.extend(f'<li class="{_e(f.severity)}">{_e(said(f, AUDIT))}</li>' for f in problems)
        parts.append("</ul>")
    parts.append("<h3>Documents</h3><table><thead><tr><th>document</th><th>file</th>"
                 "<th>citations</th><th>figures</th><th>uncovered</th><th>title</th>"
                 "</tr></thead><tbody>")
    for r in document_rows(result):
        cls = "ok" if r["file"] == "ok" else "error"
        parts.append(f"<tr><td>{_e(r['doc'])}</td><td class=\"{cls}\">{_e(r['file'])}</td>"
                     f"<td>{r['citations']}</td><td>{r['figures']}</td><td>{r['uncovered']}</td>"
                     f"<td>{_e(r['title'])}</td></tr>")
    parts.append("</tbody></table>" + ("</section>" if wrap else "</div>"))
    return "\n".join(parts)
