"""The report as one self-contained, interactive HTML file.

One file, no server, no network: style, script and data are inline.  The data
is the report's own table model (``reports.tables.explore_cube``: the totals
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
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd

from reports.charts import LOG_RATIO   # the page's charts go log as the PNG charts do
from reports.tables import Report, horizon_reason
from reports.text import show_controls

# Entries the page carries at most, the largest first (its totals always cover
# every entry; every row is in entries.csv / sources.csv).
HTML_TABLE_LIMIT = 2_000


def esc(text) -> str:
    """Escaped text; control characters (invisible, or parse errors in HTML)
    shown as \\xNN, as in the workbook."""
    return show_controls(_html.escape("" if text is None else str(text), quote=True))


CONTEXT_CHARS = 160        # document words shown either side of a quote


def _clean(text) -> str:
    """Text for the page's data: control characters shown as \\xNN (as ``esc``)."""
    return show_controls("" if text is None else str(text))


def _bcp47(locale: str) -> str:
    """The page's language tag: one the browser's Intl takes (a POSIX
    "fr_FR@euro" stopped the page's script with a RangeError)."""
    from ledger.rules.options import OptionError, locale_name
    try:
        return locale_name(locale).replace("_", "-")
    except OptionError:
        return "en"


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
    import secrets

    blocks = {}
    cells = dict(data.get("cells") or {})
    for name, block in cells.items():
        if isinstance(block, dict) and isinstance(block.get("e"), list):
            marker = f"\ue000{secrets.token_hex(12)}\ue000"   # no text can guess it
            raw = ",".join("[" + ",".join(map(str, e)) + "]" for e in block["e"])
            blocks[marker] = "[" + raw + "]"
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


def _num(minor: int):
    """Minor units as a JSON number when JavaScript holds it exactly, else text
    (the page reads both with BigInt)."""
    minor = int(minor)
    return minor if abs(minor) <= 2 ** 53 - 1 else str(minor)


def _context(check, sources) -> tuple[str, str, str, str]:
    """(before, the document's words for the quote, after, where) of an audited citation."""
    if check is None or check.match is None:
        return "", "", "", ""
    src = sources.get(check.doc)
    if src is None:
        return "", "", "", ""
    text = src.text
    a, b = check.match.start, check.match.end
    before = text[max(0, a - CONTEXT_CHARS):a]
    after = text[b:b + CONTEXT_CHARS]
    if a > CONTEXT_CHARS and " " in before:
        before = before[before.index(" ") + 1:]
    if b + CONTEXT_CHARS < len(text) and " " in after:
        after = after[:after.rindex(" ")]
    where = str(check.location) if check.location else ""
    return (" ".join(before.split()) + (" " if before[-1:].isspace() else ""),
            " ".join(text[a:b].split()),
            (" " if after[:1].isspace() else "") + " ".join(after.split()), where)


def _among(col: pd.Series, values: set) -> np.ndarray:
    """Per row: its text is one of ``values`` (one Arrow hash look-up)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from reports.tables import _arrow_text
    hit = pc.is_in(_arrow_text(col), value_set=pa.array(sorted(map(str, values)),
                                                         pa.large_string()))
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)


def flagged_entries(report: Report, audit) -> set[str]:
    """The ids of the entries whose figures the audit does not confirm: an
    error on the entry or one of its citations, or on a document it cites
    (changed since archived, missing)."""
    if audit is None:
        return set()
    errors = [f for f in audit.findings if f.severity == "error"]
    ids = {str(f.entry_id) for f in errors if f.entry_id}
    bad_docs = {str(f.doc) for f in errors if not f.entry_id and f.doc}
    if bad_docs:
        src = report.sources
        ids |= {str(e) for e in src.loc[_among(src["document"], bad_docs), "entry"]}
    return ids


def page_data(report: Report, limit: int | None = HTML_TABLE_LIMIT, audit=None,
              amounts: str = "compact", scale: str = "auto",
              shipped: dict[str, str] | None = None) -> dict:
    """The page's data: meta, the locale's amount patterns, the filter values,
    the report's cells (``explore_cube``) and the largest ``limit`` entries.
    ``shipped`` maps document ids to their copies beside the page
    (``reports.shipped``), which each citation links to."""
    from reports.amounts import as_said, format_data
    from reports.tables import ROLES, _arrow_text, _minor, cube_by_entry, explore_cube

    o = report.options
    fast = cube_by_entry(report)
    if fast is not None:
        total, years, e_total, e_years, row_entry = fast
    else:
        total, years = explore_cube(report)
    def values(col: str, frames=(total, years)) -> list[str]:
        out: set[str] = set()
        for fr in frames:
            out.update(str(x) for x in pd.unique(fr[col].astype(object)))
        return sorted(out)

    funders, purposes, statuses, quals = (values(c) for c in
                                          ("funder", "purpose", "status", "qualifier"))
    year_list = values("year", (years,))
    tagsets = sorted({tuple(x) for x in pd.unique(pd.concat([total["tags"], years["tags"]])
                                                   .astype(object))})
    tags = sorted({t for ts in tagsets for t in ts})

    # entries: the largest first (by the absolute amount of their rows)
    f = report.frame
    if fast is not None:
        # by entry number: size summed per entry, ties in order of first row
        n_e = len(report.facts)
        sizes = pd.Series(_minor(f).abs().to_numpy()).groupby(row_entry).sum()
        seen = sizes.index.to_numpy()
        first_row = np.full(n_e, len(f), dtype=np.int64)
        np.minimum.at(first_row, row_entry, np.arange(len(f), dtype=np.int64))
        appear = seen[np.argsort(first_row[seen], kind="stable")]
        size_of = sizes.reindex(appear).to_numpy()
        entry_order = appear[np.lexsort((np.arange(len(appear)), -size_of))]
        place = np.full(n_e + 1, -1, dtype=np.int64)
        place[entry_order] = np.arange(len(entry_order))
        fact_ids = _arrow_text(report.facts["id"]).to_numpy(zero_copy_only=False)
        n_ids = len(entry_order)
        shown = list(fact_ids[entry_order if limit is None else entry_order[:limit]])
        index = {i: k for k, i in enumerate(shown)}

        def places_of(wanted: set) -> list[int]:
            at = place[np.flatnonzero(_among(pd.Series(fact_ids), wanted))] if wanted else []
            return sorted(int(x) for x in at if x >= 0)

        lists = {id(total): e_total, id(years): e_years}

        def positions(cells_frame) -> list[list[int]]:
            """Each cell's entries as their places in the size order."""
            flat, bounds = lists[id(cells_frame)]
            at = place[flat].tolist()
            return [at[a:b] for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())]
    else:
        size = pd.Series(_minor(f).abs().to_numpy(), index=f["id"].astype(object).to_numpy())
        size = size.groupby(level=0, sort=False).sum()
        order = np.lexsort((np.arange(len(size)), -size.to_numpy()))   # largest first, stable
        ids = list(size.index.to_numpy()[order])
        n_ids = len(ids)
        index = {i: k for k, i in enumerate(ids)}
        shown = ids if limit is None else ids[:limit]

        def places_of(wanted: set) -> list[int]:
            return sorted(index[i] for i in ids if str(i) in wanted)

        def positions(cells_frame) -> list[list[int]]:
            """Each cell's entry ids as their places in ``ids`` (one look-up for all)."""
            id_lists = cells_frame["ids"]
            ends = np.cumsum([len(e) for e in id_lists]).tolist()
            flat = pd.Index(ids).get_indexer(
                list(itertools.chain.from_iterable(id_lists))).tolist()
            return [flat[a:b] for a, b in zip([0] + ends[:-1], ends)]

    def codes(col: pd.Series, values: list) -> list:
        return pd.Categorical(col.astype(str), categories=values).codes.tolist()

    def cells(c: pd.DataFrame, with_year: bool) -> dict:
        ti = {v: k for k, v in enumerate(tagsets)}
        minor = c["minor"].to_numpy()
        safe = bool(len(minor) == 0 or np.abs(minor.astype(object)).max() <= 2 ** 53 - 1)
        out = {"f": codes(c["funder"], funders), "p": codes(c["purpose"], purposes),
               "s": codes(c["status"], statuses), "q": codes(c["qualifier"], quals),
               "t": [ti[tuple(x)] for x in c["tags"]], "r": c["role"].astype(int).tolist(),
               "m": [int(x) for x in minor] if safe else [_num(x) for x in minor],
               "e": positions(c)}
        if with_year:
            out["y"] = codes(c["year"], year_list)
            out["o"] = c["open"].astype(int).tolist()
        return out

    docs_meta: dict[str, dict] = {}
    for r in report.sources.drop_duplicates("document").itertuples(index=False):
        docs_meta[str(r.document)] = {
            "title": _clean(r.title), "publisher": _clean(r.publisher),
            "published": _clean(r.published), "url": _clean(r.url)}
    for doc_id, rel in (shipped or {}).items():
        if doc_id in docs_meta:
            docs_meta[doc_id]["href"] = rel      # a relative path: see reports.shipped
    checks = {}
    if audit is not None:
        for c in audit.citations:
            checks[(c.entry_id, c.doc, c.citation.quote)] = c
        states = {d.id: d for d in audit.document_checks}
        for k, d in (audit.documents or {}).items():
            meta = docs_meta.setdefault(str(k), {"title": _clean(d.title)})
            meta["path"] = _clean(getattr(d, "path", "") or "")
            meta["sha256"] = _clean(getattr(d, "sha256", "") or "")
            dc = states.get(k)
            if dc is not None:
                meta["state"] = ("archived, hash matches" if dc.exists and dc.hash_ok else
                                 "MISSING from the archive" if not dc.exists else
                                 "CHANGED since it was archived (hash differs)")

    want = set(shown)
    facts = report.facts
    fact_of = {} if facts is None else {   # the shown entries' facts, first row per id
        r.id: r for r in facts[_among(facts["id"], want)].drop_duplicates("id")
        .itertuples(index=False)}
    cites_of: dict[str, list] = {}
    src = report.sources
    for r in src[_among(src["entry"], want)].itertuples(index=False):
        cites_of.setdefault(str(r.entry), []).append(r)
    ent = report.entries
    pos = np.flatnonzero(_among(ent["id"], want))
    part = ent.iloc[pos].rename(columns=lambda c: c.replace(" ", "_"))   # named fields
    minor = _minor(f).to_numpy()[pos]
    by_id: dict[str, dict] = {}
    for (r, m) in zip(part.itertuples(index=False), minor):
        rid = r.id
        e = by_id.get(rid)
        if e is None:
            fact = fact_of.get(rid)
            rate = "" if r.original_currency == r.report_currency else (
                f"{r.rate} {r.report_currency} per {r.original_currency} on "
                f"{None if pd.isna(r.rate_date) else r.rate_date} ({r.rate_source})")
            cites = []
            for c in cites_of.get(str(rid), []):
                chk = checks.get((str(rid), str(c.document), str(c.quote)))
                before, match, after, where = _context(chk, audit.sources if audit else {})
                if audit is None:
                    verdict = "not audited"
                elif chk is None:
                    verdict = "not checked"
                else:
                    verdict = "verified" if chk.verified else (
                        "quote not found in the document" if chk.match is None else "problem")
                cites.append({"doc": _clean(c.document), "quote": _clean(c.quote),
                              "locator": _clean(c.locator), "before": _clean(before),
                              "match": _clean(match), "after": _clean(after), "where": _clean(where),
                              "verdict": verdict,
                              "findings": [_clean(x.message) for x in (chk.findings if chk else ())
                                           if x.severity != "ok"]})
            e = by_id[rid] = {
                "i": index[rid], "id": _clean(rid), "date": str(r.date), "funder": _clean(r.funder),
                "written": _clean(r.amount_as_written), "status": _clean(r.status), "counted": r.counted == "yes",
                "qi": quals.index(str(r.qualifier)) if str(r.qualifier) in quals else 0,
                "said": _clean(as_said(fact.amount, str(fact.currency), str(fact.qualifier),
                                       str(fact.period), o.locale, amounts) if fact is not None
                               else as_said(r.original_amount, str(r.original_currency),
                                            str(r.qualifier), str(r.period), o.locale, amounts)),
                "rate": _clean(rate), "links": _clean(r.links),
                "tags": [_clean(t) for t in (fact.tags if fact is not None else ())],
                "notes": _clean(fact.notes) if fact is not None else "",
                "location": _clean(fact.location) if fact is not None else "",
                "rows": [], "cites": cites}
        e["rows"].append({"purpose": _clean(r.purpose), "minor": _num(m)})
    entries = sorted(by_id.values(), key=lambda e: e["i"])

    fiscal = o.years != "calendar"
    flagged = flagged_entries(report, audit)
    audit_meta = None if audit is None else {
        "failed": bool(audit.failed()), "summary": _clean(audit.summary()),
        "flagged": places_of(flagged)}
    return {
        "meta": {"title": _clean(o.title or f"{report.ledger_name}: funding by funder and purpose"),
                 "currency": o.currency, "lang": _bcp47(o.locale), "amounts": amounts,
                 "scale": scale, "logRatio": LOG_RATIO, "basisText": _clean(report.basis_text()),
                 "valuationText": _clean(f"valued at {report.valuation_text()}"),
                 "yearWord": "Fiscal year" if fiscal else "Year",
                 "horizon": report.horizon, "projected": list(report.projected),
                 "lastBounded": report.last_bounded,
                 "compare": [_clean(c) for c in report.comparison.columns],
                 "entriesTotal": n_ids, "roles": list(ROLES), "audit": audit_meta},
        "fmt": format_data(o.currency, o.locale),
        "dims": {"funder": [_clean(x) for x in funders], "purpose": [_clean(x) for x in purposes],
                 "year": year_list, "status": statuses, "qualifier": quals,
                 "tagsets": [[_clean(t) for t in ts] for ts in tagsets],
                 "tag": [_clean(t) for t in tags]},
        "cells": {"total": cells(total, False), "years": cells(years, True)},
        "entries": entries, "docs": docs_meta,
    }


SECTIONS = [
    ("s-summary", "Summary: purpose × funder", "t-summary",
     "Counted amounts by purpose and funder. Click any amount for the entries behind it."),
    ("s-charts", "Charts", None, ""),
    ("detail", "Entries behind an amount", "detail-body", ""),
    ("s-purpose", "By purpose", "t-purpose", ""),
    ("s-funder", "By funder", "t-funder", ""),
    ("s-year", "By year", "t-year", ""),
    ("s-status", "By status", "t-status",
     "paid = disbursed or spent, including entries that disburse another; "
     "outstanding = total − paid."),
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
    ids = sorted(flagged_entries(report, audit))
    named = ", ".join(ids[:10]) + (f" and {len(ids) - 10:,} more" if len(ids) > 10 else "")
    return (f'<div id="audit-banner" class="alarm" role="alert"><strong>The audit FAILED</strong>'
            f' ({esc(audit.summary())}). '
            + (f'{len(ids):,} entr{"y carries" if len(ids) == 1 else "ies carry"} figures '
               f'their sources do not confirm: {esc(named)}. Every amount that includes '
               f'{"it" if len(ids) == 1 else "them"} is marked ⚠. '
               if ids else "")
            + 'See the Audit section below.</div>')


def render_html(report: Report, charts_svg: dict | None = None, extra_sections=(),
                limit: int | None = HTML_TABLE_LIMIT, audit=None, amounts: str = "compact",
                scale: str = "auto", shipped: dict[str, str] | None = None) -> str:
    """The interactive page (see the module's docstring).  ``charts_svg`` is
    accepted for compatibility and not used: the page draws its own charts
    from the filtered data."""
    from reports.page_script import SCRIPT, STYLE

    o = report.options
    data = page_data(report, limit, audit, amounts, scale, shipped)
    title = data["meta"]["title"]
    n_all, n_here = data["meta"]["entriesTotal"], len(data["entries"])
    basis = (f"All amounts: {report.basis_text()}. Years: {report.year_label}."
             + (f" Open-ended 'a year' pledges are counted up to the end of {report.horizon}"
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
            cap = (f"Money falling in each of the {report.year_label}, amounts spread over their "
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
    from ledger.atomic import write_atomic

    path = Path(path)
    write_atomic(path, render_html(report, None, extra_sections, limit, audit, amounts, scale,
                                   shipped))
    return path
