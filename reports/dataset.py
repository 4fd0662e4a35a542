"""The totals of a partitioned dataset (``ledger.read.dataset``): each
partition's Book goes through the same functions as a whole ledger
(``reports.balance``, the report's tables, ``reports.listing``,
``reports.export``), and the partial results are added up exactly
(Decimal; the valued figures are whole minor units before they are
summed, so a sum of partitions is the sum of the whole).

The functions named ``*_part`` run on one partition (a Dask task, maybe on
a cluster's worker) and return something small (or a chunk of text);
``combine_*``, ``dataset_report`` and ``journal_head`` add them up.  Every
figure is valued once, by ``reports.valuation.value``, through the whole
ledger's functions: the report's ``build_report`` (``report_part``),
``reports.balance.converted`` and the exports' ``export_value``.  The
report's renderers (workbook, charts, page) read the ``Report`` that
``dataset_report`` makes from the combined totals; its per-entry parts
carry the largest entries and say how many there are in all
(``Report.extra["whole"]``).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pandas as pd

from ledger.errors import LedgerError
from ledger.read.dataset import at_places
from ledger.text_safety import show_bidi, show_bidi_frame
from reports import export, fdp
from reports import tables as t
from reports.balance import plain_figure, balance_rows, converted_valued, left_out, primary
from reports.columns import _minor, _summable, to_money
from reports.export_text import write_body
from reports.filters import (Filters, counted_alone, other_filters, select, status_books,
                             status_facts)
from reports.listing import list_rows, list_table, write_list
from reports.notes import (NOTE_IDS, SHOWN_IDS, dropped_ids, dropped_said, merged_facts,
                           merged_restated, not_counted_facts, not_counted_said, note_facts,
                           rates_ids, rates_said, restated_facts, restated_said, rounded_ids, rounded_said,
                           valuation_facts, valuation_said, worded_notes)
from reports.pagedata import BANNER_NAMED, CUBE_KEYS, cube_by_entry
from reports.options import ReportOptions
from reports.valuation import horizon_facts



class Head:
    """The ids a note names: the first ``SHOWN_IDS`` in order, and how many there
    are (``reports.balance``'s notes take ``len`` and a slice)."""

    def __init__(self, ids=(), n: int = 0):
        self.ids, self.n = sorted(ids)[:SHOWN_IDS], n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        return self.ids[i]

    def __add__(self, other: Head) -> Head:
        return Head(self.ids + other.ids, self.n + other.n)


def _selected(book, filters: dict):
    """What the filters keep, as of a journal (``reports.filters.select``)."""
    return select(book, Filters.of(filters)) if filters else book


def _exported(book, filters: dict, places: int):
    """What the filters keep, amounts read at ``places``, the whole
    dataset's decimal places, as the exports write them (``at_places``)."""
    placed = at_places(book, places)
    if placed.whole is placed:   # the dataset's links (``with_across``) on the copy too
        for said in ("paid_within", "counted_alone"):
            if getattr(book.whole, said, None) is not None:
                setattr(placed, said, getattr(book.whole, said))
    return _selected(placed, filters)


def _linked(book) -> Head:
    ids = left_out(book)
    return Head(ids, len(ids))


def horizon_part(book, spec, func=None, args=(), links=None):
    """The first pass over a partition (``ledger_tool.dataset_scan``):
    (its ``reports.valuation.horizon_facts``, or None without ``spec``;
    its ``links_part`` of ``links`` (filters, paid), or None; whether
    ``func(book, *args)`` could be worked out here; that result, else
    None).  It can unless the partition holds an open-ended amount (the
    dataset's default horizon is ``horizon_from`` of every partition's
    facts: filters never change it, as for a journal) or a link to an entry
    in another partition that the result reads (``links_part``): a dataset
    with neither is read once."""
    facts = horizon_facts(book, spec) if spec is not None else None
    linked = links_part(book, *links) if links is not None else None
    done = not (facts is not None and facts[0]) and (linked is None or linked["closed"])
    return facts, linked, done, (func(book, *args) if done and func is not None else None)


def links_part(book, filters, paid) -> dict | None:
    """What the partition's results read of links that may lead to another
    partition: with ``paid`` its ``reports.tables.paid_facts`` (the report's
    paid) and every entry's id and status (the page's status bits), and when
    ``paid`` is the report's options its pledges' ``reports.tables.pledges_valued``
    (a payment is paid as its pledge is valued), with --status among ``filters`` its
    ``reports.filters.status_facts`` (linked entries counted as
    themselves); ``closed``: every link's target is in the partition (its
    results need nothing of the others).  None when neither is read."""
    chosen = Filters.of(filters) if filters else Filters()
    if not paid and not chosen.status:
        return None
    en, links = book.tables.entries, book.tables.links
    closed = not len(links) or bool(pd.Index(en["id"].astype(object)).get_indexer(
        links["target"].to_numpy(dtype=object)).min() >= 0)
    out: dict = {"closed": closed, "paid": t.paid_facts(book) if paid else None,
                 "status": None}
    if paid:     # the page's bits (``reports.tables.book_statuses_above``)
        out["above"] = (en["id"].to_numpy(dtype=object), t.status_bits(en["status"]))
        out["pledge"] = t.pledge_facts(book)    # whose pledge a payment pays
        # how each pledge is valued, for its payments in other partitions
        out["values"] = t.pledges_valued(book, paid, open_ended=False) if isinstance(paid, ReportOptions) \
            else None
        # a pledge's payments in every partition, valued in one order
        out["payments"] = t.carried_payments(book, paid.currency) if out["values"] is not None \
            else None
        out["open"] = t.carried_open_pledges(book, paid) if out["values"] is not None else None
    if chosen.status:
        out["status"] = status_facts(book, *status_books(book, chosen))
        # the ids the other filters keep: the note names only those
        out["shown"] = book.select(**other_filters(chosen)).tables.entries["id"].to_numpy(
            dtype=object)
    return out


@dataclasses.dataclass(frozen=True)
class Across:
    """What the dataset's links decide across partitions (``across``):
    the ids paid within another entry (``reports.tables.paid_within_ids``;
    None: not read) and the ``reports.filters.counted_alone`` pair (None:
    no --status) and every entry's ``reports.tables.statuses_above`` as
    (ids, bits) across partitions (None: not read), and the funder of the
    pledge each payment pays (``reports.tables.pledge_funder_ids``; None:
    not read)."""
    paid_within: frozenset[str] | None = None
    counted_alone: tuple[frozenset, frozenset] | None = None
    alone_in_order: tuple = ()    # the ids counted as themselves, in the dataset's order
    above: tuple[np.ndarray, np.ndarray] | None = None
    pledge_funders: pd.Series | None = None
    pledge_ids: pd.Series | None = None     # ``reports.tables.book_pledge_ids`` across them
    pledge_values: pd.DataFrame | None = None   # ``reports.tables.pledges_valued`` of them all
    # ``reports.tables.carried_payments`` and ``carried_open_pledges`` of them all
    pledge_payments: tuple = ()
    open_pledges: tuple = ()


def across(parts) -> Across | None:
    """``Across`` of every partition's ``links_part`` (None when none was read)."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    paid = [p["paid"] for p in parts if p["paid"] is not None]
    status = [p["status"] for p in parts if p["status"] is not None]
    above = pledged = pledge_ids = values = None
    carried: dict = {"payments": (), "open": ()}
    if paid:     # paid's links, followed for the statuses above each entry
        whose = [p["pledge"] for p in parts if p["paid"] is not None]
        pledged = t.pledge_funder_ids(np.concatenate([f[0] for f in paid]),
                                      np.concatenate([f[1] for f in paid]),
                                      *(np.concatenate([f[k] for f in whose]) for k in range(3)))
        pledge_ids = t.pledge_funder_ids(np.concatenate([f[0] for f in paid]),
                                         np.concatenate([f[1] for f in paid]),
                                         *(np.concatenate([f[k] for f in whose])
                                           for k in (0, 0, 2)))
        got = [p["values"] for p in parts if p.get("values") is not None]
        values = pd.concat(got) if got else None
        carried = {k: tuple(p[k] for p in parts if p.get(k) is not None)
                   for k in ("payments", "open")}
        mine = [p["above"] for p in parts if p["paid"] is not None]
        ids = np.concatenate([m[0] for m in mine])
        bits = t.statuses_above_ids(ids, np.concatenate([m[1] for m in mine]),
                                    np.concatenate([f[0] for f in paid]),
                                    np.concatenate([f[1] for f in paid]))
        once = ~pd.Index(ids, dtype=object).duplicated()    # looked up by id
        above = (ids[once], bits[once])
    if not status:
        return Across(paid_within(paid) if paid else None, above=above,
                      pledge_funders=pledged, pledge_ids=pledge_ids, pledge_values=values,
                      pledge_payments=carried["payments"], open_pledges=carried["open"])
    facts = {k: np.concatenate([s[k] for s in status]) for k in status[0]}
    alone = counted_alone(**facts)
    shown = np.concatenate([p["shown"] for p in parts if p["status"] is not None])
    ids = facts["ids"]
    ids = ids[pd.Index(ids, dtype=object).isin(shown)]
    return Across(paid_within(paid) if paid else None, alone,
                  tuple(ids[pd.Index(ids, dtype=object).isin(list(alone[0]))])
                  if alone[0] else (), above, pledged, pledge_ids, values,
                  carried["payments"], carried["open"])


def with_across(book, links: Across, func, *args):
    """``func(book, *args)`` on a partition that reads ``links``, the
    dataset's (``across``), instead of its own links alone."""
    if links.paid_within is not None:
        book.whole.paid_within = links.paid_within
    if links.counted_alone is not None:
        book.whole.counted_alone = links.counted_alone
    if links.above is not None:
        book.whole.statuses_above = links.above
    if links.pledge_funders is not None:
        book.whole.pledge_funders = links.pledge_funders
    if links.pledge_ids is not None:
        book.whole.pledge_ids = links.pledge_ids
    if links.pledge_values is not None:
        book.whole.pledge_values = links.pledge_values
    if links.pledge_payments:
        book.whole.pledge_payments = links.pledge_payments
    if links.open_pledges:
        book.whole.open_pledges = links.open_pledges
    return func(book, *args)


def _open_ended(book, options) -> None:
    """Refuse an open-ended amount valued without a horizon (``options``:
    None where none is needed: amounts as recorded, or per year, which
    leaves an open-ended amount open as a journal's export does)."""
    if options is not None and options.horizon in (None, "") and book.whole.open_ended().any():
        raise LedgerError("the dataset holds open-ended amounts per year: give --horizon YEAR "
                          "(on a dataset the horizon is not worked out from every entry)")


# ------------------------------------------------------------------ balance

def recorded_part(book, filters: dict):
    """Recorded balances of one partition: ({(account, currency): amount},
    linked ids left out, entries, its notes' facts)."""

    book = _selected(book, filters)
    counted, _ = primary(book)
    rows = balance_rows(counted, None) if len(counted) else []
    return ({(r["account"], r["currency"]): r["amount"] for r in rows}, _linked(book),
            len(book), {**note_part(book, rounded_in=counted), "rates": _first(rates_ids(counted))})


def converted_part(book, filters: dict, options, by, recorded: bool):
    """Converted balances of one partition: ({(account, year): amount},
    its notes' facts, linked ids, entries) through
    ``reports.balance.converted_valued``."""

    book = _selected(book, filters)
    if not len(book):
        return {}, None, Head(), 0
    _open_ended(book, None if recorded else options)
    rows, valued = converted_valued(book, options, by=by, depth=None, recorded=recorded)
    codes = set(book.tables.entries["currency"].astype(str).unique())
    return ({(r["account"], r.get("year", "")): r["amount"] for r in rows},
            {**note_part(book, valued), "restated": restated_facts(book, codes)[0]},
            _linked(book), len(book))


def note_part(book, valued=None, rounded_in=None) -> dict:
    """What one partition's notes say of its entries, as
    ``reports.notes.merged_facts`` adds them up: the entries tagged not
    counted and, with ``valued``, ``reports.notes.valuation_facts`` (else
    the amounts of ``rounded_in`` finer than their minor unit)."""
    uncounted, why = not_counted_facts(book)
    if valued is not None:
        facts = {**valuation_facts(valued.book, valued.spec, valued.horizon, valued.spread,
                                   valued.rate_notes),
                 "basis": valued.spec.basis}
    else:
        facts = {"rounded": _first(rounded_ids(rounded_in if rounded_in is not None else book)),
                 "unstated": (0, []), "horizon": None, "dropped": [], "basis": "recorded"}
    return {"linked": (0, []), "not_counted": (*_first(uncounted), dict(why)),
            "open": (0, []), "quals": (0, {}, {}), **facts}


def whole_facts(parts) -> dict:
    """The partitions' ``note_part`` facts as those of the whole dataset."""
    parts = [p for p in parts if p is not None]
    facts = merged_facts(parts)
    facts["horizon"] = next((p["horizon"] for p in parts if p["horizon"]), None)
    facts["dropped"] = sorted(i for p in parts for i in p["dropped"])
    facts["rate_notes"] = sorted({n for p in parts for n in p.get("rate_notes", ())})
    facts["basis"] = parts[0]["basis"] if parts else "total"
    facts["rates"] = (sum(p["rates"][0] for p in parts if "rates" in p),
                      sorted(i for p in parts if "rates" in p for i in p["rates"][1])[:NOTE_IDS])
    facts["restated"] = merged_restated(p.get("restated", {}) for p in parts)
    return facts


def balance_notes(facts: dict, options=None) -> list[str]:
    """The notes ``balance`` prints on the whole dataset's ``facts``
    (``whole_facts``), as on a journal: recorded (``options`` None), the
    amounts per year added as one year's rate and those finer than their
    minor unit; converted, ``whole_notes`` and the entries valued by their
    own restatement."""
    if options is None:
        return ([rates_said(*facts["rates"])] if facts["rates"][0] else []) + \
            ([rounded_said(*facts["rounded"])] if facts["rounded"][0] else [])
    return whole_notes(facts, options) + restated_said(facts["restated"])


def whole_notes(facts: dict, options) -> list[str]:
    """The notes a command prints with valued figures
    (``reports.notes.valuation_said``) for the whole dataset's ``facts``
    (``whole_facts``; ``options``: the command's, its --horizon as given)."""
    return valuation_said(facts, options, facts["basis"])


def uncounted_note(facts: dict) -> str | None:
    """``reports.notes.not_counted_note`` of the whole dataset."""
    return not_counted_said(*facts["not_counted"]) if facts["not_counted"][0] else None


def _first(ids: list[str]) -> tuple[int, list[str]]:
    return len(ids), ids[:NOTE_IDS]


def _add(parts) -> dict:
    out: dict = defaultdict(Decimal)
    for part in parts:
        for k, v in part.items():
            out[k] += Decimal(v)
    return out


def _depth_ok(account: str, depth) -> bool:
    return account == "(total)" or depth is None or account.count(":") < depth


def combine_recorded(results, depth=None):
    """(rows as ``reports.balance.balance_rows`` gives them, linked, entries,
    the notes' facts)."""

    sums = _add(r[0] for r in results)
    rows = [{"account": a, "currency": c, "amount": plain_figure(v)}
            for (a, c), v in sorted(sums.items()) if a != "(total)" and _depth_ok(a, depth)]
    rows += [{"account": a, "currency": c, "amount": plain_figure(v)}
             for (a, c), v in sorted(sums.items()) if a == "(total)"]
    return (rows, _heads(r[1] for r in results), sum(r[2] for r in results),
            whole_facts(r[3] for r in results))


def combine_converted(results, currency: str, by, depth=None):
    """(rows as ``reports.balance.converted`` gives them, the notes' facts
    (``whole_facts``), linked, entries)."""
    sums = _add(r[0] for r in results)
    rows = []
    for total in (False, True):
        for (a, y), v in sorted(sums.items()):
            if (a == "(total)") is total and _depth_ok(a, depth):
                rows.append({"account": a, **({"year": y} if by else {}), "amount": v,
                             "currency": currency})
    return (rows, whole_facts(r[1] for r in results), _heads(r[2] for r in results),
            sum(r[3] for r in results))


def _heads(heads) -> Head:
    out = Head()
    for h in heads:
        out = out + h
    return out


# ------------------------------------------------------------------- report

REPORT_TABLES = ("summary", "by_purpose", "by_funder", "by_year", "by_status")


def paid_within(parts) -> frozenset[str]:
    """The linked ids that add nothing to paid across the whole dataset
    (``reports.tables.paid_within_ids`` of every partition's ``paid_facts``):
    a disbursement in one year's partition of a pledge in another's."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return frozenset()
    return t.paid_within_ids(*(np.concatenate([p[k] for p in parts])
                               for k in range(len(parts[0]))))


def report_part(book, options, keep: int, default_horizon: bool = False, flags=None,
                paid_within: frozenset[str] | None = None):
    """One partition of the report, from ``reports.tables.build_report`` (the
    one valuation step): its tables (added up by ``combine_report``), the
    page's cells with each cell's entries (``reports.pagedata.cube_by_entry``,
    entries numbered within the partition), the funder × purpose sums the
    matrix, comparison and account trees are made from, the spread summed
    by year and funder for the projections, its notes, and the rows of its
    ``keep`` largest entries (the Entries sheet's and the page's rule: by
    the absolute amount of their rows) for the per-entry parts.
    ``default_horizon``: ``options.horizon`` is the dataset's default (the
    notes say so, not "given with --horizon").  ``flags``: the audit's
    (entry ids, documents) with errors (``reports.pagedata.audit_flags``):
    the numbers of the partition's entries they flag go to the page, listed
    or not (``flagged``).  ``paid_within``: the dataset's (``paid_within``),
    so that paid counts a payment once across partitions."""
    if paid_within is not None:
        book.whole.paid_within = paid_within
    entries = t.select_entries(book, options)
    if not len(entries) and t.paid_by_others(book, entries, options) is None:
        return None    # nothing here (with --funder: not even a payment of a kept pledge)
    _open_ended(book, options)
    report = t.build_report(book, dataclasses.replace(options, compare=()), rows=False)
    ledger, entries, links = report.extra.pop("rows to add")
    frame = report.frame
    cube = cube_by_entry(report)
    if cube is None:
        raise LedgerError("the page's cells could not be worked out on integer codes "
                          "(an id repeats within a partition)")
    total, years, e_total, e_years, row_entry = cube
    size = pd.Series(_minor(frame).abs().to_numpy()).groupby(row_entry, sort=False).sum()
    size = size.sort_values(ascending=False, kind="stable")     # ties: in the table's order
    top = size.index.to_numpy()[:keep]
    chosen = np.zeros(len(entries), dtype=bool)
    chosen[top] = True
    rows = np.flatnonzero(chosen[row_entry])
    sub = entries.subset(chosen)
    # entries valued at no row (e.g. 0 in every year): on no sheet's entry
    # rows, but their citations are on a journal's Sources sheet (few: kept)
    rowless = np.ones(len(entries), dtype=bool)
    rowless[size.index.to_numpy()] = False
    frame_top = frame.iloc[rows].reset_index(drop=True)
    facts = report.facts
    cur = options.currency.upper()
    flagged = _flagged_numbers(entries, facts, flags)
    return {"summary": report.summary, "by_purpose": report.by_purpose,
            "by_funder": report.by_funder, "by_year": _long(report.by_year),
            "by_status": report.by_status, "entries": len(entries),
            "paid by others": report.extra.get("paid by others"),
            "exchange": report.extra.get("exchange") or {},
            "counted": int(frame.loc[frame["primary"].to_numpy(dtype=bool), "id"].nunique()),
            "rows": len(frame), "citations": len(entries.tables.citations),
            "cells": (total, years, e_total, e_years), "numbered": len(facts),
            "flagged": flagged,
            "flagged_first": sorted(facts["id"].astype(str).to_numpy()[flagged])[:BANNER_NAMED],
            "appear": len(size), "top": top, "sizes": size.to_numpy()[:keep],
            "pairs": _pairs(frame), "spread": _spread_sums(report.spread, facts),
            "frame_top": frame_top, "entry_top": row_entry[rows],
            "entries_top": t.entries_table(frame_top, ledger, sub),
            "sources_top": t.sources_table(ledger, entries.subset(chosen | rowless)),
            "rowless": entries.tables.entries["id"].to_numpy(dtype=object)[rowless].astype(str),
            "facts_top": facts.iloc[top].reset_index(drop=True),
            "note_facts": note_facts(report, entries), "default_horizon": default_horizon,
            "dropped": dropped_ids(entries, report.spread, report.horizon),
            "rate_sources": report.rate_sources, "horizon": report.horizon,
            "year_label": report.year_label, "currency": cur}


def _flagged_numbers(entries, facts: pd.DataFrame, flags) -> np.ndarray:
    """The numbers (rows of ``facts``) of the entries the audit flags: by
    their id, or citing a document with an error (as ``flagged_entries``
    reads a whole ledger's Sources)."""
    ids, bad_docs = flags or (set(), set())
    ids = set(ids)
    if bad_docs:
        ct = entries.tables.citations
        cites = ct["doc"].astype(str).isin(set(bad_docs)).to_numpy()
        all_ids = entries.tables.entries["id"].to_numpy(dtype=object)
        ids |= {str(x) for x in all_ids[ct["entry"].to_numpy(dtype=np.int64)[cites]]}
    if not ids:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(facts["id"].astype(str).isin(ids).to_numpy())


def _pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """value_minor summed by funder, purpose, qualifier and primary: what the
    matrix, the comparison, the account trees and the charts' labels read."""
    keys = ["funder", "purpose", "qualifier", "primary"]
    g = pd.DataFrame({k: frame[k].astype(object).to_numpy() for k in keys})
    g["value_minor"] = _minor(frame).to_numpy()
    return g.groupby(keys, sort=False, dropna=False)["value_minor"].sum().reset_index()


def _spread_sums(spread: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """The spread's value_minor summed by year, funder and primary, with an
    ``id`` standing for the entries behind each sum for
    ``reports.tables.mark_projections``: "b" bounded, "o:FIRST" open-ended
    entries whose first year is FIRST (what it reads of each id)."""
    cols = ["year", "funder", "primary", "id", "value_minor"]
    if spread.empty or "year" not in spread:
        return pd.DataFrame(columns=cols)
    open_ids = set(facts.loc[facts["open_ended"].to_numpy(dtype=bool), "id"].astype(str))
    ids = spread["id"].astype(str)
    is_open = ids.isin(open_ids).to_numpy()
    year = spread["year"].astype(str).to_numpy()
    first = pd.Series(year).groupby(ids.to_numpy()).transform("min").to_numpy()
    g = pd.DataFrame({"year": year, "funder": spread["funder"].astype(object).to_numpy(),
                      "primary": spread["primary"].to_numpy(dtype=bool),
                      "id": np.where(is_open, "o:" + first.astype(object), "b"),
                      "value_minor": _minor(spread).to_numpy()})
    return g.groupby(cols[:-1], sort=False)["value_minor"].sum().reset_index()


def _long(table: pd.DataFrame) -> pd.DataFrame:
    """A year × funder table as rows (year, funder, amount)."""
    if table.empty:
        return pd.DataFrame(columns=["year", "funder", "amount"])
    return table.reset_index().melt(id_vars="year", var_name="funder", value_name="amount")


def combine_report(parts, currency: str) -> dict[str, pd.DataFrame]:
    """The report's tables over every partition: amounts and entry counts
    added (each entry lives in one partition), qualifiers joined, shares
    worked out again on the totals.  A partition whose entries the filters
    leave out but that holds payments of a kept funder's pledges by funders
    --funder leaves out is a part of its own (``report_part``).  At least
    one part: a report of nothing is refused before (``tables.nothing_to_report``)."""
    parts = [p for p in parts if p is not None]
    out = {}
    for name, keys in (("summary", ["funder", "purpose"]), ("by_purpose", ["purpose"]),
                       ("by_funder", ["funder"]), ("by_year", ["year", "funder"]),
                       ("by_status", ["funder"])):
        frame = pd.concat([p[name] for p in parts], ignore_index=True)
        if frame.empty:
            out[name] = frame
            continue
        money = [c for c in frame.columns if c not in keys and c not in
                 ("currency", "entries", "qualifiers", "share")]
        agg: dict = {c: (lambda s: sum((Decimal(v) for v in s), Decimal(0))) for c in money}
        if "entries" in frame:
            agg["entries"] = "sum"
        if "qualifiers" in frame:
            agg["qualifiers"] = qualifier_counts
        g = frame.groupby(keys, sort=True).agg(agg).reset_index()
        if "currency" in frame:
            g["currency"] = currency
        if name in ("by_purpose", "by_funder"):
            total = sum(g["amount"], Decimal(0))
            g["share"] = [float(a / total) if total else 0.0 for a in g["amount"]]
            g = g.sort_values("amount", ascending=False, kind="stable").reset_index(drop=True)
        out[name] = g[[c for c in frame.columns if c in g.columns]]   # the tables' order
    out["entries"] = sum(p["entries"] for p in parts)
    return out


class ReportParts:
    """The partitions' report parts (``report_part``) as they come, kept
    small: the page's cells of every few partitions merged (their keys
    repeat: funder, purpose, status, qualifier, tags, role, year), each
    entry numbered in the dataset's order (``offset`` + its place in its
    partition).  Given ``keep``, the per-entry parts are cut to the ``keep``
    largest entries so far whenever they hold twice as many (the rest can
    never be among the largest), so that they stay the same size however
    many partitions come."""

    MERGE_AT = 4

    def __init__(self, keep: int | None = None):
        self.keep = keep
        self.clear()

    def clear(self) -> None:
        self.parts: list[dict] = []
        self.by_others: list[pd.DataFrame] = []    # the page's (``Pledges.others_by_pledge``)
        self.cells: list[list] = [[], []]
        self.flagged: list = []        # the flagged entries' numbers (report_part)
        self.flagged_first: list[str] = []   # the first of their ids, for the banner
        self.numbered = 0

    def add(self, part) -> None:
        if part is None:
            return
        if part.get("paid by others") is not None:
            self.by_others.append(part.pop("paid by others"))
        part["offset"] = offset = self.numbered
        self.numbered += part["numbered"]
        total, years, e_total, e_years = part.pop("cells")
        flagged = part.pop("flagged", None)
        first = part.pop("flagged_first", [])
        if flagged is not None and len(flagged):
            self.flagged.append(np.asarray(flagged, dtype=np.int64) + offset)
            self.flagged_first = sorted(self.flagged_first + first)[:BANNER_NAMED]
        for k, (frame, (flat, bounds)) in enumerate(((total, e_total), (years, e_years))):
            self.cells[k].append((frame, _numbers(flat, offset, self.numbered), bounds))
            if len(self.cells[k]) >= self.MERGE_AT:
                self.cells[k] = [_merged_cells(self.cells[k], CELL_KEYS[k])]
        self.parts.append(part)
        if self.keep is not None and sum(len(p["top"]) for p in self.parts) > 2 * self.keep:
            _keep_largest(self.parts, self.keep)


def _keep_largest(parts, keep: int) -> None:
    """Each part's kept entries (``top``, ``sizes``, ``facts_top``) and
    their rows (``frame_top``, ``entry_top``, ``entries_top``,
    ``sources_top``) cut to the ``keep`` largest of all the parts, chosen
    as ``_largest`` chooses them (ties: in the dataset's order)."""
    chosen = _chosen(parts, keep)
    for p in parts:
        mine = np.isin(p["top"] + p["offset"], chosen)
        rows = np.isin(p["entry_top"] + p["offset"], chosen)
        if mine.all() and rows.all():
            continue
        p["top"], p["sizes"] = p["top"][mine], p["sizes"][mine]
        p["facts_top"] = p["facts_top"][mine].reset_index(drop=True)
        for k in ("frame_top", "entries_top"):
            p[k] = p[k][rows].reset_index(drop=True)
        p["entry_top"] = p["entry_top"][rows]
        ids = set(p["entries_top"]["id"].astype(str))
        src = p["sources_top"]
        p["sources_top"] = src[src["entry"].astype(str).isin(ids)].reset_index(drop=True)
        p["rowless"] = p["rowless"][:0]   # cut: some entry with rows is left out, so are these


def _chosen(parts, keep: int):
    """The dataset numbers of the ``keep`` largest entries of ``parts``,
    largest first (ties: in the dataset's order)."""
    entry = np.concatenate([p["top"] + p["offset"] for p in parts])
    size = pd.Series(np.concatenate([p["sizes"] for p in parts]), index=entry)
    return size.sort_values(ascending=False, kind="stable").iloc[:keep].index.to_numpy()


def _numbers(flat, offset: int, numbered: int):
    """Entry numbers ``flat`` moved by ``offset``, as 32-bit integers while
    ``numbered`` (every entry so far) fits: half the memory of the page's
    lists of entries, which hold each entry once a cell and year."""
    return flat.astype(np.int32 if numbered < 2**31 else np.int64) + offset


CELL_KEYS = (CUBE_KEYS, CUBE_KEYS + ["year", "open"])


def _merged_cells(lists, keys):
    """(cells, flat, bounds) of several partitions as one: the cells with
    the same keys summed, each cell's entries together."""
    # a part whose cells give no own value: each cell is its own value
    frame = pd.concat([c if "own" in c else c.assign(own=c["minor"]) for c, _, _ in lists],
                      ignore_index=True)
    frame["minor"] = _summable(frame["minor"])   # partitions' sums together may pass int64
    frame["own"] = _summable(frame["own"])
    flat = np.concatenate([f for _, f, _ in lists])
    counts = np.concatenate([np.diff(b) for _, _, b in lists])
    g = frame.groupby(keys, sort=True, dropna=False)
    cells = g[["minor", "own"]].sum().reset_index()[keys + ["minor", "own"]]
    cell_of = np.repeat(g.ngroup().to_numpy(), counts)
    order = np.argsort(cell_of, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(cell_of, minlength=len(cells)))]
    return cells, flat[order], bounds


def dataset_report(collected: ReportParts, options, name: str, keep: int, where: str):
    """The report over every partition, as ``reports.tables.build_report``
    gives it for a whole ledger, for the same renderers: the tables added
    up exactly (``combine_report``); the matrix, comparison and account trees
    by ``reports.tables`` from the partitions' funder × purpose sums; the
    projections by ``mark_projections`` from their year sums; the page's
    cells over every entry (``extra["page cells"]``); the per-entry tables
    (``entries``, ``sources``, the page's entries) of the ``keep`` largest
    entries, with how many rows there are in all and ``where`` the full list
    is (``extra["whole"]``)."""
    parts = collected.parts
    tables = combine_report(parts, options.currency.upper())
    cur = options.currency.upper()
    pairs = pd.concat([p["pairs"] for p in parts], ignore_index=True)
    t._check_compare(pairs, options.compare)
    top, shown_ids, places = _largest(parts, keep)
    appear = sum(p["appear"] for p in parts)   # entries with rows, to choose from
    frame_top = pd.concat([p["frame_top"] for p in parts], ignore_index=True).iloc[top]
    frame = pd.concat([frame_top.reset_index(drop=True), pairs], ignore_index=True)
    first = parts[0]
    report = t.Report(
        options=options, ledger_name=name,
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
        horizon=next((p["horizon"] for p in parts if p["horizon"] is not None), None),
        year_label=first["year_label"], frame=frame,
        spread=pd.concat([p["spread"] for p in parts], ignore_index=True),
        summary=tables["summary"], matrix=t.matrix_table(pairs, cur),
        by_purpose=tables["by_purpose"], by_funder=tables["by_funder"],
        by_year=_wide(tables["by_year"], cur), by_status=tables["by_status"],
        comparison=t.comparison_table(pairs, options.compare, cur),
        funder_tree=t.tree_table(pairs, "funder", cur),
        purpose_tree=t.tree_table(pairs, "purpose", cur),
        entries=pd.concat([p["entries_top"] for p in parts], ignore_index=True).iloc[top]
        .reset_index(drop=True),
        sources=_sources_of(parts, top, len(shown_ids) == appear),
        facts=pd.concat([p["facts_top"] for p in parts], ignore_index=True))
    report.rate_sources = sorted({s for p in parts for s in p["rate_sources"]})
    ids = report.spread["id"].astype(str)
    opened = sorted(set(ids[ids.str.startswith("o:")]))
    marked = dataclasses.replace(report, facts=pd.DataFrame(
        {"id": opened, "open_ended": [True] * len(opened)}) if opened else None)
    t.mark_projections(marked)
    report.last_bounded, report.projected = marked.last_bounded, marked.projected
    report.open_by_year = marked.open_by_year
    report.warnings = dropped_said(sorted(i for p in parts for i in p["dropped"]),
                                   report.horizon, options.basis)
    n, n_rows = tables["entries"], sum(p["rows"] for p in parts)
    left = appear - len(shown_ids)   # entries valued at no row are on no entry sheet
    report.extra["whole"] = {"entries": n, "counted": sum(p["counted"] for p in parts),
                             "rows": {"Entries": n_rows,
                                      "Sources": sum(p["citations"] for p in parts)},
                             "where": where}      # before the notes: they name it
    worded = dataclasses.replace(report, options=dataclasses.replace(options, horizon=None)) \
        if first["default_horizon"] else report      # "the ledger's horizon", not "given"
    report.notes = worded_notes(worded, merged_facts(p["note_facts"] for p in parts)) + [
        f"A partitioned dataset: every total counts all {n:,} entries; the Entries sheet "
        f"and the page carry the {len(shown_ids):,} largest"
        + (f" ({left:,} entries left out there; the full list: {where})." if left > 0
           else ".")] + report.warnings
    report.extra["page cells"] = _page_cells(collected, places, shown_ids)
    if collected.by_others:
        report.extra["paid by others"] = pd.concat(collected.by_others, ignore_index=True)
        note = t.paid_by_others_note(report.extra["paid by others"])
        if note:      # before the warnings, as the journal's
            report.notes.insert(-len(report.warnings) or len(report.notes), note)
    moved = [p["exchange"] for p in parts if p.get("exchange")]
    note = t.exchange_note({"difference": sum(m["difference"] for m in moved),
                            "ids": [i for m in moved for i in m["ids"]]}, first["currency"],
                           options.locale) if moved else None
    if note:      # after paid by others', before the warnings, as the journal's
        report.notes.insert(-len(report.warnings) or len(report.notes), note)
    # every flagged entry, listed or not: the banner counts them (banner_entries)
    report.extra["flagged"] = (sum(len(f) for f in collected.flagged), collected.flagged_first)
    report.extra["tables"] = tables
    return report


def _largest(parts, keep: int):
    """(the rows of the partitions' kept rows that belong to the ``keep``
    largest entries overall, their ids largest first, each entry's place:
    the largest first, then every other entry in the dataset's order)."""
    entry = np.concatenate([p["top"] + p["offset"] for p in parts])
    chosen = _chosen(parts, keep)
    numbered = parts[-1]["offset"] + parts[-1]["numbered"]
    places = np.full(numbered, -1, dtype=np.int64)
    places[chosen] = np.arange(len(chosen))
    rest = np.flatnonzero(places < 0)
    places[rest] = len(chosen) + np.arange(len(rest))
    row_entry = np.concatenate([p["entry_top"] + p["offset"] for p in parts])
    top = np.flatnonzero(np.isin(row_entry, chosen))
    facts = pd.concat([p["facts_top"] for p in parts], ignore_index=True)
    by_entry = dict(zip(entry.tolist(), facts["id"].astype(str)))
    return top, [by_entry[e] for e in chosen.tolist()], places


def _sources_of(parts, top, all_shown: bool) -> pd.DataFrame:
    """The Sources rows of the entries shown, and of the entries valued at
    no row when every entry with rows is shown (as on a journal's sheet)."""
    src = pd.concat([p["sources_top"] for p in parts], ignore_index=True)
    ent = pd.concat([p["entries_top"] for p in parts], ignore_index=True).iloc[top]
    shown = set(ent["id"].astype(str))
    if all_shown:
        shown.update(i for p in parts for i in p["rowless"])
    return src[src["entry"].astype(str).isin(shown)].reset_index(drop=True)


def _page_cells(collected: ReportParts, places, shown_ids):
    """``reports.pagedata``'s cells over every partition, each cell's
    entries as their places, and the places of the flagged entries."""
    out = []
    for k in (0, 1):
        cells, flat, bounds = _merged_cells(collected.cells[k], CELL_KEYS[k])
        out.append((cells, (places[flat], bounds)))
    (total, e_total), (years, e_years) = out
    flagged = places[np.concatenate(collected.flagged)] if collected.flagged else places[:0]
    return total, years, e_total, e_years, shown_ids, sum(p["appear"]
                                                          for p in collected.parts), flagged


def _wide(long: pd.DataFrame, currency: str) -> pd.DataFrame:
    """``combine_report``'s by_year rows as the report's year × funder table."""
    if long.empty:
        return pd.DataFrame()
    wide = long.pivot(index="year", columns="funder", values="amount")
    wide = wide.reindex(sorted(wide.index, key=str)).fillna(to_money(0, currency))
    wide.columns.name = None
    wide.index = wide.index.astype(str)
    wide.index.name = "year"
    return wide.astype(object)


def qualifier_counts(texts) -> str:
    """Partitions' "up to (1); about (2)" (``reports.tables``' wording)
    added up: each qualifier once, with the sum of its entries."""
    counts: dict[str, int] = defaultdict(int)
    for text in texts:
        for part in str(text or "").split("; "):
            m = re.fullmatch(r"(.+) \(([0-9]+)\)", part.strip())
            if m:
                counts[m.group(1)] += int(m.group(2))
    return "; ".join(f"{q} ({n})" for q, n in sorted(counts.items()))


# ----------------------------------------------------------- list and export

def list_part(book, filters: dict, fmt: str = "csv", locale: str = "en_GB"):
    """One partition's ``list`` rows (``reports.listing.write_list``): CSV
    with its header and its rows' count, or the JSON objects of its entries without the list's
    brackets (``[``, ``]``: the command writes them once); for a table, the
    rows themselves (``list_rows``: the command aligns them)."""

    book = _selected(book, filters)
    if not len(book):
        return [] if fmt == "table" else ("", 0) if fmt == "csv" else ""
    if fmt == "table":
        return list_rows(list_table(book))
    out = io.StringIO()
    table = list_table(book)
    write_list(table, fmt, locale=locale, out=out)
    text = out.getvalue()
    if fmt == "json":   # "[\n" objects "\n]\n", as json.dump(indent=1) writes a list
        return text[2:-3] if text.startswith("[\n") else ""
    return text, len(table)


def export_part(book, filters: dict, places: int, options: dict) -> tuple[str, int, dict | None]:
    """One partition's ``export --to csv`` rows (with the header), valued by
    ``reports.export.export_value`` (the export's own valuation), how many
    (a quoted cell may hold a line break, so the text's lines do not count
    them) and its notes' facts (``note_part``)."""

    book = _exported(book, filters, places)
    if not len(book):
        return "", 0, None
    _open_ended(book, None if options.get("basis") != "total" else _Horizon(options))
    valued = export.export_value(book, "csv", **options)
    frame = export.frame(book, valued_rows=valued, **options)
    return export.csv_text(frame), len(frame), note_part(book, valued)   # as a ledger's


def journal_part(book, filters: dict, places: int, fmt: str, options: dict):
    """One partition's ``export --to hledger|beancount`` transactions as
    text (``reports.export.journal_parts`` and ``export_text.write_body``,
    as for a whole ledger), and what the file's header needs from it
    (``journal_head``): its currencies, prices, accounts' opens, horizon."""
    book = _exported(book, filters, places)
    if not len(book):
        return None
    _open_ended(book, None if options.get("basis") != "total" else _Horizon(options))
    valued_rows = export.export_value(book, fmt, **options)
    cols, txns, prices, years_head = export.journal_parts(
        book, fmt, policy="previous", valued_rows=valued_rows, **options)
    body = io.StringIO()
    write_body(cols, txns, body, fmt, options["currency"])
    return {"text": body.getvalue(), "count": txns.count, "notes": note_part(book, valued_rows),
            "currencies": set(cols.cur_names.to_pylist()), "prices": prices,
            "used": None if years_head is None else years_head[0],
            "x": export.x_part(book, cols, txns, fmt, options["currency"], options["valuation"]),
            "opens": (export.beancount_opens(cols, txns, prices, years_head)
                      if fmt == "beancount" else None),
            "accounts": ([f"{root}:{v}" for root, col in (("Funders", cols.funder),
                                                          ("Purposes", cols.al_purpose))
                          for v in col.unique().to_pylist()])}


def journal_head(parts, fmt: str, options: dict, book) -> str:
    """The header of a dataset's hledger or beancount file, from every
    partition's part (``journal_part``): the renderers' own preambles, fed
    the union of currencies and prices and each account's first date."""
    currency = options["currency"]
    currencies = sorted(set().union(*(p["currencies"] for p in parts)) | {currency})
    prices = None
    if options.get("basis") == "recorded":
        prices = pd.concat([p["prices"] for p in parts if p["prices"] is not None],
                           ignore_index=True) if parts else pd.DataFrame(
            columns=["when", "currency", "rate", "rate_date", "rate_source"])
        prices = prices.drop_duplicates(["when", "currency", "rate"])
        clash = prices.duplicated(["when", "currency"], keep=False)
        if clash.any():
            row = prices[clash].iloc[0]
            raise LedgerError(f"export: entries in {row['currency']} on {row['when']} were "
                              f"valued at different rates; a price directive holds one rate "
                              f"per day")
        prices = prices.sort_values(["when", "currency"]).reset_index(drop=True)
    years_head = None if prices is not None else (
        next((p["used"] for p in parts if p["used"] is not None), None),
        options.get("years") or "calendar", options.get("constant"))
    names: dict[str, str] = {}   # two names that the tool spells alike, across partitions
    for p in parts:
        (export.hledger_names if fmt == "hledger" else export.beancount_names)(
            p["accounts"], names)
    if fmt == "hledger":
        return show_bidi(export._hledger_preamble(
            book, currency, currencies, prices, years_head, None if prices is None else
            export.x_whole([p["x"] for p in parts], prices, currency, options["valuation"])))
    first: dict = {}
    used: dict = defaultdict(set)
    for p in parts:
        for account, day, curs in p["opens"][0]:
            first[account] = min(first.get(account, day), day)
            used[account] |= set(curs.split(","))
    opens = sorted((a, first[a], ",".join(sorted(used[a]))) for a in first)
    start = min((p["opens"][1] for p in parts), default=dt.date.today())
    return show_bidi(export._beancount_preamble(book, currency, currencies, prices,
                                                years_head, opens, start))


def fdp_part(book, filters: dict, places: int, options: dict):
    """One partition's ``export --to fdp`` rows of ledger.csv without the
    header (``reports.fdp.fdp_frame``, ``write_rows``), how many, the
    horizon used and its notes' facts."""
    book = _exported(book, filters, places)
    if not len(book):
        return None
    _open_ended(book, _Horizon(options))
    valued = export.export_value(book, "fdp", **options)
    cols, used = fdp.fdp_frame(book, valued_rows=valued,
                               **{k: v for k, v in options.items() if k != "basis"})
    out = io.StringIO()
    n = fdp.write_rows(cols, out)
    return {"text": out.getvalue(), "count": n, "used": used, "notes": note_part(book, valued)}


def parquet_part(book, filters: dict, places: int, options: dict):
    """One partition's ``export --to parquet`` rows as Parquet bytes: the
    whole ledger's table (``reports.export.frame``, ``_parquet_ready``),
    and its notes' facts; ``parquet_whole`` joins the partitions' files
    into one."""
    book = _exported(book, filters, places)
    if not len(book):
        return None
    _open_ended(book, None if options.get("basis") != "total" else _Horizon(options))
    out = io.BytesIO()
    valued = export.export_value(book, "parquet", **options)
    export._parquet_ready(show_bidi_frame(export.frame(book, valued_rows=valued, **options))
                          ).to_parquet(out, index=False)
    return out.getvalue(), note_part(book, valued)


def parquet_whole(files, out) -> int:
    """The partitions' Parquet files as one, into the binary stream ``out``,
    one partition at a time: each decimal column at the largest scale any
    partition has (what one table of every row would get), a column no
    partition fills as the others' type.  Returns the rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = [pq.read_schema(f) for f in files]
    fields = []
    for name in schemas[0].names:
        types = [s.field(name).type for s in schemas]
        scales = [t.scale for t in types if pa.types.is_decimal(t)]
        typ = (pa.decimal128(38, max(scales)) if scales else
               next((t for t in types if not pa.types.is_null(t)), types[0]))
        fields.append(pa.field(name, typ))
    scale_of = {f.name: f.type for f in fields}
    first = next((k for k, s in enumerate(schemas)
                  if all(s.field(n).type == scale_of[n] for n in s.names)), None)
    schema = pa.schema(fields, metadata=None if first is None else schemas[first].metadata)
    rows = 0
    with pq.ParquetWriter(out, schema) as writer:
        for f in files:
            table = pq.read_table(f).select(schema.names).cast(schema)
            writer.write_table(table)
            rows += table.num_rows
    return rows


class _Horizon:
    def __init__(self, options: dict):
        self.horizon = options.get("horizon")


def without_header(text: str, first: bool) -> str:
    """A partition's CSV text; the header line only for the first one written."""
    return text if first else text.split("\n", 1)[1] if "\n" in text else ""
