"""The page's data: the report's rows summed into cells small enough to
carry in report.html and fine enough to filter (``explore_cube``,
``cube_by_entry``), with the meta, filter values and largest entries the
page's script reads (``page_data``).  Nothing here writes HTML
(``reports.html`` does).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ledger.book import account_mask
from ledger.rules.options import OptionError, locale_name
from reports.filters import Filters
from reports.accounts import parents, truncate
from reports.amounts import as_said, format_data
from reports.charts import LOG_RATIO  # the page's charts go log as the PNG charts do
from reports.notes import report_horizon
from reports.columns import _arrow_text, _minor, _unique_first_inverse, id_order, row_entries
from rates._minor import objects
from rates.table import currency_digits
from reports.options import Report
from reports.tables import paid_minor
from reports.valuation import original_minor_of, shown_rates
from reports.text import show_controls

# Entries the page carries at most, the largest first (its totals always cover
# Entries the page carries at most, the largest first (its totals always cover
# every entry; every row is in entries.csv / sources.csv).
HTML_TABLE_LIMIT = 2_000


CONTEXT_CHARS = 160        # document words shown either side of a quote


def _clean(text) -> str:
    """Text for the page's data: control characters shown as \\xNN (as ``esc``)."""
    return show_controls("" if text is None else str(text))


def _bcp47(locale: str) -> str:
    """The page's language tag: one the browser's Intl takes (a POSIX
    "fr_FR@euro" stopped the page's script with a RangeError)."""
    try:
        return locale_name(locale).replace("_", "-")
    except OptionError:
        return "en"


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
    hit = pc.is_in(_arrow_text(col), value_set=pa.array(sorted(map(str, values)),
                                                         pa.large_string()))
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)


def audit_flags(audit) -> tuple[set[str], set[str]]:
    """(the ids of the entries with an error of their own or of a citation,
    the documents with an error: changed since archived, missing): the
    entries citing those are flagged too (``flagged_entries``)."""
    if audit is None:
        return set(), set()
    errors = [f for f in audit.findings if f.severity == "error"]
    return ({str(f.entry_id) for f in errors if f.entry_id},
            {str(f.file) for f in errors if not f.entry_id and f.file})


def flagged_entries(report: Report, audit) -> set[str]:
    """The ids of the entries whose figures the audit does not confirm: an
    error on the entry or one of its citations, or on a document it cites
    (changed since archived, missing)."""
    ids, bad_docs = audit_flags(audit)
    if bad_docs:
        src = report.sources
        ids |= {str(e) for e in src.loc[_among(src["document"], bad_docs), "entry"]}
    return ids


BANNER_NAMED = 10   # the flagged entries the banner names (the rest counted)


def banner_entries(report: Report, audit) -> tuple[int, list[str]]:
    """(how many entries the audit flags, the first ``BANNER_NAMED`` of their
    ids in order) for the page's banner.  A dataset's report lists only its
    largest entries' citations: its partitions counted the flagged entries,
    each whole (``reports.dataset.report_part``), into ``extra["flagged"]``."""
    whole = report.extra.get("flagged")
    if whole is not None:
        return whole
    ids = sorted(flagged_entries(report, audit))
    return len(ids), ids[:BANNER_NAMED]


class EntryLists(Sequence):
    """Each cell's entries (their places in the size order) as one flat
    array and the cells' bounds: cell k's are ``flat[bounds[k]:bounds[k + 1]]``.
    A sequence of lists of ints; ``json_text()`` writes it as JSON from the
    array (a million cells' lists made and joined one by one cost seconds)."""

    def __init__(self, flat, bounds):
        self.flat = np.asarray(flat, dtype=np.int64)
        self.bounds = np.asarray(bounds, dtype=np.int64)

    def __len__(self) -> int:
        return max(len(self.bounds) - 1, 0)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        k = range(len(self))[k]
        return self.flat[self.bounds[k]:self.bounds[k + 1]].tolist()

    def __iter__(self):
        at = self.flat.tolist()
        for a, b in zip(self.bounds[:-1].tolist(), self.bounds[1:].tolist()):
            yield at[a:b]

    def __eq__(self, other) -> bool:
        return isinstance(other, (list, tuple, EntryLists)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def json_text(self) -> str:
        """``json.dumps(list(self), separators=(",", ":"))``, written as
        bytes by numpy: each number's place in the text worked out from the
        widths of the numbers and cells before it, then its digits put there
        one decimal place at a time (millions of numbers made Python
        strings and joined cost seconds and hundreds of MB)."""
        if not len(self):
            return "[]"
        flat, bounds = self.flat, self.bounds
        if len(flat) and (int(flat.min()) <= -10 ** 18 or int(flat.max()) >= 10 ** 18):
            return "[" + ",".join("[" + ",".join(map(str, x)) + "]" for x in self) + "]"
        neg = flat < 0
        mag = np.abs(flat)
        small: Any = np.int32 if int(mag.max(initial=0)) < 2 ** 31 and len(flat) < 2 ** 28 \
            else np.int64                   # half the bytes to pass over when they fit
        mag = mag.astype(small)
        most = len(str(int(mag.max(initial=0))))
        width = np.ones(len(flat), dtype=small)       # the digits, then the sign
        for k in range(1, most):
            width += mag >= 10 ** k
        fewest = int(width.min(initial=most))
        digits = width.copy() if fewest < most else None
        width += neg
        counts = np.diff(bounds)
        before = np.zeros(len(flat) + 1, dtype=np.int64)       # widths of the numbers before
        np.cumsum(width, out=before[1:])
        cell_len = 2 + (before[bounds[1:]] - before[bounds[:-1]]) + np.maximum(counts - 1, 0)
        cell_start = np.ones(len(counts), dtype=np.int64)       # after the outer "["
        np.cumsum(cell_len[:-1] + 1, out=cell_start[1:])
        cell_start[1:] += 1
        out = np.full(int(cell_start[-1] + cell_len[-1]) + 1, ord(","), dtype=np.uint8)
        out[0], out[-1] = ord("["), ord("]")
        out[cell_start] = ord("[")
        out[cell_start + cell_len - 1] = ord("]")
        # each number's units digit: its cell's place, the widths and commas before it
        first = bounds[:-1]
        last = np.repeat(cell_start + 1 - before[first] - first, counts).astype(small)
        last += before[:-1].astype(small)
        del before
        last += np.arange(len(flat), dtype=small)
        last += width
        last -= 1
        out[(last - width + 1)[neg]] = ord("-")
        del width
        rest, digit = mag, np.empty_like(mag)
        for k in range(most):
            np.remainder(rest, 10, out=digit)
            digit += ord("0")
            if digits is None or k < fewest:        # every number has this digit
                out[last] = digit
            else:
                sel = digits > k
                out[last[sel]] = digit[sel]
            np.floor_divide(rest, 10, out=rest)
            last -= 1
        return out.tobytes().decode("ascii")


def others_cells(o: pd.DataFrame, funders, purposes, statuses, quals, tagsets,
                 year_list) -> dict:
    """The page's cells (role 3: the status table's paid alone, no entry
    listed) of payments by funders --funder leaves out, on the row of the
    pledge's funder; by the year of their date."""
    def codes(col, values) -> list:
        return pd.Categorical(col.astype(object).astype(str), categories=values).codes.tolist()

    n = len(o)
    g = codes(o["pledge"], funders)
    base = {"f": g, "p": codes(o["purpose"], purposes), "s": codes(o["status"], statuses),
            "q": codes(o["qualifier"], quals), "t": [tagsets.index(())] * n, "r": [3] * n,
            "a": [0] * n, "g": g, "m": [_num(x) for x in paid_minor(o)], "e": [[] for _ in range(n)]}
    years = pd.to_datetime(o["date"]).dt.year.astype(str)
    return {"total": base, "years": {**base, "y": codes(years, year_list), "o": [0] * n}}


def _entry_rates(rows: pd.DataFrame, ids: np.ndarray, minor: np.ndarray) -> dict:
    """The rate of each entry whose rows (purposes, ``rows`` of the report's
    frame) show different rates (yearly averages: each part's value over its
    amount): the entry's value over its amount, not its first purpose's
    (``shown_rates``, the rule of the Entries sheet's rows too)."""
    if not len(rows) or not {"original_minor", "original_value"} & set(rows.columns):
        return {}
    codes, uniq = pd.factorize(pd.Series(ids, dtype=object))
    order = np.argsort(codes, kind="stable")
    original = original_minor_of(rows)
    digits = rows["currency"].astype(str).map(currency_digits).to_numpy()

    def sums(multi):
        at = np.isin(codes, multi)
        by = pd.DataFrame({"v": objects(minor[at]), "o": original[at], "d": digits[at]},
                          index=codes[at]).groupby(level=0).agg({"v": "sum", "o": "sum", "d": "first"})
        return by["v"].to_numpy(dtype=object), by["o"].to_numpy(dtype=object), by["d"].to_numpy()

    multi, shown = shown_rates(codes[order], rows["rate"].to_numpy(dtype=object)[order], sums,
                               str(rows["report_currency"].iloc[0]))
    return dict(zip(uniq[multi], shown))


def page_data(report: Report, limit: int | None = HTML_TABLE_LIMIT, audit=None,
              amounts: str = "compact", scale: str = "auto",
              shipped: dict[str, str] | None = None) -> dict:
    """The page's data: meta, the locale's amount patterns, the filter values,
    the report's cells (``explore_cube``) and the largest ``limit`` entries.
    ``shipped`` maps document ids to their copies beside the page
    (``reports.shipped``), which each citation links to."""
    o = report.options
    # a partitioned dataset's cells over every entry, and its largest entries'
    # ids in size order (reports.dataset.dataset_report): its frame has only those
    given = report.extra.get("page cells")
    fast = None if given is not None else cube_by_entry(report)
    if given is not None:
        total, years, e_total, e_years, ids, n_ids, *more = given
    elif fast is not None:
        total, years, e_total, e_years, row_entry = fast
    else:
        total, years = explore_cube(report)
    def values_of(col: str, frames=(total, years)) -> set:
        return {x for fr in frames for x in pd.unique(fr[col].astype(object))}

    def values(col: str, frames=(total, years)) -> list[str]:
        return sorted({str(x) for x in values_of(col, frames)})

    # --funder: payments by left-out funders of kept funders' pledges, for
    # the status table alone (reports.tables.paid_by_others)
    by_others = report.extra.get("paid by others")
    if by_others is not None:
        by_others = by_others[pd.notna(by_others["pledge"])]
    purposes, statuses, quals = (
        sorted(set(values(c)) | (set() if by_others is None else
                                 {str(x) for x in by_others[c].astype(object)}))
        for c in ("purpose", "status", "qualifier"))
    # a pledge's funder, if apart, but never one --funder leaves out: a
    # payment of its pledge has no code (g -1) and is its payer's paid for others
    kept = Filters.of(o).funder
    pledged = pd.Series([str(x) for x in values_of("pledge") if pd.notna(x)], dtype=object)
    if kept and len(pledged):
        pledged = pledged[account_mask(pledged, kept)]
    if by_others is not None:      # kept funders whose paid may be all they have here
        pledged = pd.concat([pledged, by_others["pledge"].astype(object).astype(str)])
    funders = sorted(set(values("funder")) | set(pledged) - {""})
    year_list = values("year", (years,))
    if by_others is not None:      # a year of payments by others alone is a year to choose
        year_list = sorted(set(year_list) | set(
            pd.to_datetime(by_others["date"]).dt.year.astype(str)))
    tagsets = sorted({tuple(x) for x in pd.unique(pd.concat([total["tags"], years["tags"]])
                                                   .astype(object))})
    if by_others is not None and () not in tagsets:
        tagsets = sorted(tagsets + [()])
    tags = sorted({t for ts in tagsets for t in ts})

    # entries: the largest first (by the absolute amount of their rows)
    f = report.frame
    if given is not None:
        shown = ids if limit is None else ids[:limit]
        index = {i: k for k, i in enumerate(shown)}
        lists = {id(total): e_total, id(years): e_years}

        def places_of(wanted: set) -> list[int]:
            return sorted(index[i] for i in shown if i in wanted)

        def positions(cells_frame) -> Sequence[list[int]]:
            return EntryLists(*lists[id(cells_frame)])
    elif fast is not None:
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
            at: Any = place[np.flatnonzero(_among(pd.Series(fact_ids), wanted))] if wanted else []
            return sorted(int(x) for x in at if x >= 0)

        lists = {id(total): e_total, id(years): e_years}

        def positions(cells_frame) -> Sequence[list[int]]:
            """Each cell's entries as their places in the size order."""
            flat, bounds = lists[id(cells_frame)]
            return EntryLists(place[flat], bounds)
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

        def positions(cells_frame) -> Sequence[list[int]]:
            """Each cell's entry ids as their places in ``ids`` (one look-up for all)."""
            id_lists = cells_frame["ids"]
            ends = np.cumsum([len(e) for e in id_lists]).tolist()
            flat = pd.Index(ids).get_indexer(
                list(itertools.chain.from_iterable(id_lists))).tolist()
            return [flat[a:b] for a, b in zip([0] + ends[:-1], ends)]

    def codes(col: pd.Series, values: list) -> list:
        # -1 for a value not among ``values`` (a funder --funder leaves out)
        return pd.Index(values).get_indexer(col.astype(str)).tolist()

    def pledge_codes(col: pd.Series) -> list:
        # -2: a payment, on its payer's own row, of a pledge --funder leaves out (pledge_row)
        return np.where(pd.isna(col).to_numpy(), -2, codes(col, funders)).tolist()

    def cells(c: pd.DataFrame, with_year: bool) -> dict:
        ti = {v: k for k, v in enumerate(tagsets)}
        minor = c["minor"].to_numpy()
        safe = bool(len(minor) == 0 or np.abs(minor.astype(object)).max() <= 2 ** 53 - 1)
        out = {"f": codes(c["funder"], funders), "p": codes(c["purpose"], purposes),
               "s": codes(c["status"], statuses), "q": codes(c["qualifier"], quals),
               "t": [ti[tuple(x)] for x in c["tags"]], "r": c["role"].astype(int).tolist(),
               "a": c["above"].astype(int).tolist(), "g": pledge_codes(c["pledge"]),
               "m": [int(x) for x in minor] if safe else [_num(x) for x in minor],
               "e": grouped[id(c)]}
        if "own" in c and len(c) and (c["own"].to_numpy() != minor).any():
            # a payment's own value where the status filter counts it as itself
            out["n"] = [_num(x) for x in c["own"]]
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
    entry_rate = _entry_rates(f.iloc[pos], part["id"].astype(object).to_numpy(), minor)
    by_id: dict[str, dict] = {}
    for (r, m) in zip(part.itertuples(index=False), minor):
        rid = r.id
        e = by_id.get(rid)
        if e is None:
            fact = fact_of.get(rid)
            # no rate date: yearly averages (the effective rate over the years)
            rate = "" if r.original_currency == r.report_currency else (
                f"{entry_rate.get(rid, r.rate)} {r.report_currency} per {r.original_currency} "
                f"{'from yearly averages' if pd.isna(r.rate_date) else f'on {r.rate_date}'}"
                f" ({r.rate_source})")
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
    flagged = places_of(flagged_entries(report, audit))
    n_flagged = None
    if given is not None and audit is not None:
        # every flagged entry's place, listed or not (reports.dataset's page
        # pass): those not listed sit in groups; counted once, whatever key
        bad = np.union1d(np.asarray(flagged, dtype=np.int64),
                         np.asarray(more[0] if more else [], dtype=np.int64))
        bad = bad[np.isin(bad, e_total[0])]
        flagged, n_flagged = bad.tolist(), len(bad)
    # the entries behind each cell by their place; on a dataset's page the
    # shown ones only, the others as groups of entries in the same cells
    # (entry_groups), counted in "groups": its lists grow with the cells, not
    # the entries (a journal's page keeps every place: grouping them costs a
    # million-entry report 0.4 s, benchmarks/README.md)
    grouped: dict = {id(total): positions(total), id(years): positions(years)}
    counts = None
    if given is not None:
        grouped, counts, flagged = entry_groups(grouped, len(shown), flagged)
    audit_meta = None if audit is None else {
        "failed": bool(audit.failed()), "summary": _clean(audit.summary()),
        "flagged": flagged}
    if audit_meta is not None and n_flagged is not None:
        # the groups of the total cells and of the year cells are numbered
        # apart: a flagged entry not listed is in one of each (page.js)
        audit_meta["count"] = n_flagged
    return {
        "meta": {"title": _clean(o.title or f"{report.ledger_name}: funding by funder and purpose"),
                 "currency": o.currency, "lang": _bcp47(o.locale), "amounts": amounts,
                 "scale": scale, "logRatio": LOG_RATIO, "basisText": _clean(report.basis_text()),
                 "valuationText": _clean(f"valued at {report.valuation_text()}"),
                 "yearWord": "Fiscal year" if fiscal else "Year",
                 "horizon": report.horizon, "horizonSaid": _clean(report_horizon(report)),
                 "projected": list(report.projected),
                 "lastBounded": report.last_bounded,
                 "compare": [_clean(c) for c in report.comparison.columns],
                 "entriesTotal": n_ids, "roles": list(ROLES), "audit": audit_meta,
                 **({"fullList": _clean(report.extra["whole"]["where"])}
                    if "whole" in report.extra else {})},
        "fmt": format_data(o.currency, o.locale),
        "dims": {"funder": [_clean(x) for x in funders], "purpose": [_clean(x) for x in purposes],
                 # each account's place in the tree (itself and its parents, top
                 # first): the page sums the cells its filters keep into these
                 "funderUp": [parents(_clean(x)) for x in funders],
                 "purposeUp": [parents(_clean(x)) for x in purposes],
                 "year": year_list, "status": statuses, "qualifier": quals,
                 "tagsets": [[_clean(t) for t in ts] for ts in tagsets],
                 "tag": [_clean(t) for t in tags]},
        "cells": {"total": cells(total, False), "years": cells(years, True),
                  **({} if by_others is None else {"others": others_cells(
                      by_others, funders, purposes, statuses, quals, tagsets, year_list)})},
        "groups": counts, "entries": entries, "docs": docs_meta,
    }


def _ranges(lengths):
    """0..n-1 for each n of ``lengths``, one after the other."""
    total = int(lengths.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def _same_cells(cell, at, length, flag, n_cells: int):
    """A number per entry (its cells ``cell[at:at + length]``, and its flag)
    that two entries share exactly when they sit in the same cells and are
    alike flagged.  Up to three cells are packed into one integer; longer
    rows are compared a cell at a time, each step's (kind so far, next
    cell) numbered anew (np.unique) after every number so far."""
    width = max(int(n_cells - 1).bit_length(), 1)
    longest = int(length.max(initial=0))
    kind = length.astype(np.int64) * 2 + flag          # the length first: no two lengths alike
    packed = min(longest, max((62 - max(int(kind.max(initial=0)).bit_length(), 1)) // width, 0), 3)
    for j in range(packed):
        kind = (kind << width) + np.where(length > j, cell[np.minimum(at + j, len(cell) - 1)], 0)
    if longest <= packed:
        return kind
    kind = np.unique(kind, return_inverse=True)[1].reshape(-1)
    for j in range(packed, longest):
        more = np.flatnonzero(length > j)
        step = np.unique(kind[more] * n_cells + cell[at[more] + j], return_inverse=True)[1]
        kind[more] = step.reshape(-1) + int(kind.max(initial=-1)) + 1   # apart from the done
    return kind


def entry_groups(lists: dict, shown: int, flagged: list[int]):
    """The page's entry lists made as small as the cells allow, every count
    whole: ({key: each cell's groups (EntryLists)}, entries per group from
    ``shown`` on, the flagged groups).  A shown entry (place < ``shown``) is a
    group of its own, numbered by its place (the page lists it); the other
    entries that sit in exactly the same cells (and are alike flagged or not)
    make one group, numbered from ``shown`` on, each set of cells its own
    numbers: the distinct entries behind any choice of cells are the
    sizes of the distinct groups behind them.  ``lists``: each set of
    cells' entry lists (places in the size order)."""
    bad = np.asarray(flagged, dtype=np.int64)
    out, counts, bad_groups = {}, [], [int(x) for x in bad if x < shown]
    first = shown
    for key, entry_lists in lists.items():
        if isinstance(entry_lists, EntryLists):
            flat, bounds = entry_lists.flat, entry_lists.bounds
        else:
            flat = np.fromiter((i for x in entry_lists for i in x), dtype=np.int64)
            bounds = np.r_[0, np.cumsum([len(x) for x in entry_lists])].astype(np.int64)
        n_cells = max(len(bounds) - 1, 1)
        cell = np.repeat(np.arange(len(bounds) - 1, dtype=np.int64), np.diff(bounds))
        order = np.argsort(flat * n_cells + cell, kind="stable")
        flat, cell = flat[order], cell[order]
        starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]]) if len(flat) else flat[:0]
        lens = np.diff(np.r_[starts, len(flat)])
        entry = flat[starts]
        group = entry.copy()                        # a shown entry: its place
        rest = np.flatnonzero(entry >= shown)
        at, length = starts[rest], lens[rest]
        flag = np.isin(entry[rest], bad) if len(bad) else np.zeros(len(rest), dtype=bool)
        kind = _same_cells(cell, at, length, flag, n_cells)
        if len(rest):
            kinds, which, many = np.unique(kind, return_inverse=True, return_counts=True)
            which = which.reshape(-1)
            group[rest] = first + which
            flag_of = np.zeros(len(kinds), dtype=bool)
            flag_of[which] = flag
            bad_groups += (first + np.flatnonzero(flag_of)).tolist()
            counts += many.tolist()
            first += len(kinds)
        # each group's cells once: those of its first entry (shown ones: their own)
        span = int(group.max(initial=0)) + 1
        where = np.full(span, -1, dtype=np.int64)
        where[group[::-1]] = np.arange(len(group) - 1, -1, -1)   # each group's first entry
        one = where[where >= 0]
        pairs = np.sort(cell[np.repeat(starts[one], lens[one]) + _ranges(lens[one])] * span
                        + np.repeat(group[one], lens[one]))
        out[key] = EntryLists(pairs % span, np.searchsorted(pairs // span,
                                                            np.arange(len(bounds))))
    return out, counts, sorted(bad_groups)


CUBE_KEYS = ["funder", "purpose", "status", "qualifier", "tags", "role", "above", "pledge"]


ROLES = ("counted", "pays another", "not counted")   # role 0, 1, 2


def explore_cube(report: Report) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The report's rows summed into cells small enough to carry in a page,
    fine enough to filter: (totals, by year); see ``_explore_cube_by_ids``
    for the columns.  Worked out on integer codes (``cube_by_entry``) when
    every entry id is unique, as the same cells in the same order."""
    fast = cube_by_entry(report)
    if fast is None:
        return _explore_cube_by_ids(report)
    total, years, e_total, e_years, _ = fast
    ids = _arrow_text(report.facts["id"]).to_numpy(zero_copy_only=False)
    for cells, (flat, bounds) in ((total, e_total), (years, e_years)):
        names = ids[flat].tolist()
        cells["ids"] = pd.Series([names[a:b] for a, b in zip(bounds[:-1].tolist(),
                                                              bounds[1:].tolist())],
                                 dtype=object, index=cells.index)
    return total, years


def _sorted_codes(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, values): integer codes of ``col`` whose order is the order of
    its values as text, missing values last (as ``groupby(sort=True,
    dropna=False)`` orders text keys); ``values`` the value of each code."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes, uniq = col.cat.codes.to_numpy().astype(np.int64), np.asarray(
            col.cat.categories, dtype=object)
    else:
        codes, uniq = pd.factorize(col.to_numpy() if col.dtype.kind in "iu" else
                                   col.to_numpy(dtype=object) if col.dtype == object else col)
        codes, uniq = codes.astype(np.int64), np.asarray(uniq, dtype=object)
    by_text = np.array(sorted(range(len(uniq)), key=lambda k: str(uniq[k])), dtype=np.int64)
    new = np.empty(len(uniq) + 1, dtype=np.int64)
    new[by_text] = np.arange(len(uniq))
    new[len(uniq)] = len(uniq)                    # missing: last
    values = np.append(uniq[by_text], [np.nan]).astype(object) if len(uniq) else \
        np.array([np.nan], dtype=object)
    return new.astype(np.int32)[np.where(codes < 0, len(uniq), codes)], values


def cube_by_entry(report: Report):
    """``explore_cube``'s cells on integer codes: (totals, by year, the
    entries of each totals cell, the entries of each by-year cell, the entry
    of each row of ``report.frame``), entries as row numbers of
    ``report.facts``, each cell's sorted by id, as (flat, bounds): cell k's
    are ``flat[bounds[k]:bounds[k + 1]]``.  None when the facts are
    missing, an id repeats or a row's entry is not among the facts (then
    ``_explore_cube_by_ids``)."""
    facts = report.facts
    if facts is None:
        return None
    fid = _arrow_text(facts["id"])
    n_e = len(fid)
    book = report.extra.get("book")     # the Book of the reported entries (build_report)
    if book is not None and len(book) == n_e and id_order(book) is not None:
        by_id, rank = id_order(book)
    else:
        book = None
        if len(pc.unique(fid)) != n_e:
            return None
        by_id = pc.sort_indices(fid).to_numpy()          # rank -> entry
        rank = np.empty(n_e, dtype=np.int64)
        rank[by_id] = np.arange(n_e)
    tcodes, tuniq = pd.factorize(facts["tags"].to_numpy(dtype=object))
    t_sorted = sorted(range(len(tuniq)), key=lambda k: tuniq[k])
    t_new = np.empty(len(tuniq), dtype=np.int64)
    t_new[np.array(t_sorted, dtype=np.int64)] = np.arange(len(tuniq))
    tag_code = t_new[tcodes]
    tag_values = np.empty(len(tuniq), dtype=object)
    tag_values[:] = [tuniq[k] for k in t_sorted]
    pays = facts["pays"].to_numpy(dtype=bool)
    above = facts["above"].to_numpy(dtype=np.int64) if "above" in facts \
        else np.zeros(len(facts), dtype=np.int64)    # statuses its links lead to (page.js)
    open_ = facts["open_ended"].to_numpy(dtype=bool)
    pledge = facts["pledge"].to_numpy(dtype=object) if "pledge" in facts \
        else np.full(len(facts), None, dtype=object)
    depth = report.options.depth
    kept = tuple(Filters.of(report.options).funder)

    def entry_of(f):
        if book is not None:
            return row_entries(f["id"], book)
        at = pc.index_in(_arrow_text(f["id"]), value_set=fid).to_numpy(zero_copy_only=False)
        if at.dtype.kind == "f":                     # a row with no entry among the facts
            return None
        return at.astype(np.int64)

    def cells(f, with_year):
        cols = CUBE_KEYS + (["year", "open"] if with_year else []) + ["minor", "own"]
        ent = entry_of(f) if len(f) else np.zeros(0, dtype=np.int64)
        if ent is None:
            return None
        parts = [_sorted_codes(f[c]) for c in ("funder", "purpose", "status", "qualifier")]
        role = np.where(f["primary"].to_numpy(dtype=bool), 0, np.where(pays[ent], 1, 2))
        parts += [(tag_code[ent], tag_values), (role, None), (above[ent], None),
                  _sorted_codes(pledge_row(f["funder"], role, pledge[ent], depth, kept))]
        if with_year:
            ycodes, yvalues = _sorted_codes(f["year"])       # ordered as text, shown as text
            parts += [(ycodes, np.array([v if isinstance(v, str) else str(v) for v in yvalues],
                                        dtype=object)),
                      (open_[ent].astype(np.int64), None)]
        parts = [(c.astype(np.int32), v) for c, v in parts]   # kept for decoding: small
        key = np.zeros(len(f), dtype=np.int64)
        room = 1
        for codes, values in parts:
            size = (len(values) if values is not None else int(codes.max(initial=0)) + 1) + 1
            room *= size
            if room >= 2 ** 62:
                return None
            key = key * size + codes
        first, inv, by_key, starts = _unique_first_inverse(key)
        own = _minor(f).to_numpy()
        minor = np.where(role == 1, paid_minor(f).to_numpy(), own) \
            if "paid_minor" in f else own   # paid as its pledge is valued
        sums = np.add.reduceat(minor[by_key], starts) if len(minor) else minor
        own_sums = np.add.reduceat(own[by_key], starts) if len(own) else own
        out = {}
        for name, (codes, values) in zip(CUBE_KEYS + (["year", "open"] if with_year else []),
                                         parts):
            picked = codes[first]
            if name in ("role", "above"):
                out[name] = picked.astype(np.int64)
            elif name == "open":
                out[name] = picked.astype(bool)
            else:
                out[name] = values[picked]
        out["minor"] = sums
        out["own"] = own_sums     # counted as itself, a payment is its own value
        frame = pd.DataFrame(out, columns=cols)
        for c in ("funder", "purpose", "status", "qualifier", "tags", "pledge") + (
                ("year",) if with_year else ()):
            frame[c] = frame[c].astype(object)
        pair = np.sort(inv.astype(np.int64) * n_e + rank[ent])
        pair = pair[np.r_[True, pair[1:] != pair[:-1]]] if len(pair) else pair
        cell, r = pair // n_e, pair % n_e
        bounds = np.r_[0, np.flatnonzero(np.diff(cell)) + 1, len(pair)] if len(pair) \
            else np.zeros(1, dtype=np.int64)
        return frame, (by_id[r], bounds), ent

    t = cells(report.frame, False)
    y = cells(report.spread, True) if t is not None else None
    if t is None or y is None:
        return None
    return t[0], y[0], t[1], y[1], t[2]


def pledge_row(funder: pd.Series, role, pledge, depth: int | None,
               kept: Sequence[str] = ()) -> pd.Series:
    """Per row: the funder whose row of the status table its paid goes to,
    the funder of the pledge a payment (role 1) pays, cut to ``depth``
    (``reports.tables.Pledges``), else the row's own funder.  A payment of
    a pledge --funder (``kept``) leaves out is in no one's paid: "" (g -1 on
    the page: its payer's paid for others) when that pledge's row is
    another, None (g -2: nowhere) when it is the payer's own row
    (``reports.tables.status_table``)."""
    out = funder.astype(object).to_numpy(dtype=object).copy()
    own = truncate(pd.Series(out, dtype=object), depth).to_numpy(dtype=object)
    pledge = np.asarray(pledge, dtype=object)
    several = np.array([isinstance(x, frozenset) for x in pledge], dtype=bool)
    at = (np.asarray(role) == 1) & pd.notna(pledge) & ~several
    if at.any():
        out[at] = truncate(pd.Series(pledge[at]), depth).to_numpy(dtype=object)
        if kept:
            left = np.flatnonzero(at)[~np.asarray(account_mask(pd.Series(pledge[at]), kept))]
            out[left] = np.where(out[left] == own[left], np.array(None, dtype=object), "")
    # pledges of several funders, none on the payer's row: "" (no funder,
    # g -1 on the page: its payer's paid for others, no one's paid)
    for k in np.flatnonzero(several & (np.asarray(role) == 1)):
        rows = set(truncate(pd.Series(sorted(pledge[k]), dtype=object), depth))
        if str(out[k]) not in rows:
            out[k] = ""
    return pd.Series(out, index=funder.index, dtype=object)


def _explore_cube_by_ids(report: Report) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The report's rows summed into cells small enough to carry in a page,
    fine enough to filter: (totals, by year).

    ``totals`` (from ``frame``, the chosen basis): one row per funder ×
    purpose × status × qualifier × tags × role, with ``minor`` (exact integer
    minor units) and ``ids`` (the entries behind the cell).  ``by year``
    (from ``spread``): the same keys plus ``year`` and ``open`` (open-ended
    pledge).  ``role``: 0 counted in totals, 1 linked entry that pays another
    (disburses, part of), 2 other linked entry.  Summing ``minor`` of the role-0
    cells of any selection gives exactly what the tables above give for the
    same selection (tests/reports/test_html.py)."""
    facts = report.facts if report.facts is not None else pd.DataFrame(
        columns=["id", "tags", "open_ended", "pays"])
    last = facts.drop_duplicates("id", keep="last")     # one row per id (as a dict would keep)
    fact_ids = pd.Index(last["id"].astype(object))
    pays = set(facts.loc[facts["pays"].astype(bool), "id"])

    def of_ids(ids: pd.Series, col: str, missing) -> np.ndarray:
        """``col`` of each row's entry, taken by position (one look-up, no per-row map)."""
        at = fact_ids.get_indexer(ids)
        values = np.append(last[col].to_numpy(dtype=object), [missing])
        return values[np.where(at < 0, len(last), at)]

    def cells(f: pd.DataFrame, extra: list[str]) -> pd.DataFrame:
        cols = CUBE_KEYS + extra + ["minor", "own", "ids"]
        if f.empty:
            return pd.DataFrame(columns=cols)
        ids = f["id"].astype(object)
        g = pd.DataFrame({
            "funder": f["funder"].astype(object).to_numpy(),
            "purpose": f["purpose"].astype(object).to_numpy(),
            "status": f["status"].astype(object).to_numpy(),
            "qualifier": f["qualifier"].astype(object).to_numpy(),
            "tags": of_ids(ids, "tags", np.nan),
            "role": np.where(f["primary"].to_numpy(), 0,
                             np.where(f["id"].isin(pays).to_numpy(), 1, 2)),
            "above": (of_ids(ids, "above", 0) if "above" in last else
                      np.zeros(len(f), dtype=object)).astype(np.int64),
            "id": ids.to_numpy(),
            "_m": _minor(f).to_numpy(),
        })
        g["_o"] = g["_m"]     # counted as itself, a payment is its own value
        if "paid_minor" in f:     # a payment's paid as its pledge is valued
            g["_m"] = np.where(g["role"].to_numpy() == 1, paid_minor(f).to_numpy(), g["_m"])
        g["pledge"] = pledge_row(f["funder"], g["role"].to_numpy(),
                                 of_ids(ids, "pledge", None) if "pledge" in last
                                 else np.full(len(f), None, dtype=object),
                                 report.options.depth,
                                 tuple(Filters.of(report.options).funder)).to_numpy()
        if "year" in extra:
            g["year"] = f["year"].astype(str).to_numpy()
            g["open"] = of_ids(ids, "open_ended", False).astype(bool)
        keys = CUBE_KEYS + extra
        grouped = g.groupby(keys, sort=True, dropna=False)
        out = grouped["_m"].sum().rename("minor").to_frame()
        out["own"] = grouped["_o"].sum()
        # the ids of each cell, each once and sorted: one sort of the distinct
        # (cell, id) pairs, then a split
        pairs = pd.DataFrame({"c": grouped.ngroup().to_numpy(), "id": g["id"].to_numpy()})
        pairs = pairs.drop_duplicates().sort_values(["c", "id"], kind="stable")
        codes = pairs["c"].to_numpy()
        cut = (np.flatnonzero(np.diff(codes)) + 1).tolist()
        flat = pairs["id"].tolist()
        out["ids"] = [flat[a:b] for a, b in zip([0] + cut, cut + [len(flat)])]
        return out.reset_index()[cols]

    return cells(report.frame, []), cells(report.spread, ["year", "open"])
