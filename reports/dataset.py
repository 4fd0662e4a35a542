"""The totals of a partitioned dataset (``ledger.read.dataset``): each
partition's Book goes through the same functions as a whole ledger
(``reports.balance``, the report's tables, ``reports.listing``,
``reports.export``), and the partial results are added up exactly
(Decimal; the valued figures are whole minor units before they are
summed, so a sum of partitions is the sum of the whole).

The functions named ``*_part`` run on one partition (a Dask task, maybe on
a cluster's worker) and return something small; ``combine_*`` add them up.
The one valuation step is ``value_part``: it calls the report's
``reports.tables.normalised_frames`` / ``reports.balance.converted``.
"""
from __future__ import annotations

import io
import re
from collections import defaultdict
from decimal import Decimal

import pandas as pd

from ledger.errors import LedgerError
from reports import export
from reports import tables as t
from reports.balance import _plain, balance_rows, converted, left_out, primary
from reports.listing import list_table, write_csv
from reports.text import inert_frame
from reports.valuation import Spec, basis_frame, horizon_facts, value

SHOWN = 10   # ids a note names


class Head:
    """The ids a note names: the first ``SHOWN`` in order, and how many there
    are (``reports.balance``'s notes take ``len`` and a slice)."""

    def __init__(self, ids=(), n: int = 0):
        self.ids, self.n = sorted(ids)[:SHOWN], n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        return self.ids[i]

    def __add__(self, other: Head) -> Head:
        return Head(self.ids + other.ids, self.n + other.n)


def _selected(book, filters: dict):
    return book.select(**filters) if filters else book


def _linked(book) -> Head:
    ids = left_out(book)
    return Head(ids, len(ids))


def horizon_part(book, spec, func=None, args=()):
    """(one partition's ``reports.valuation.horizon_facts``, ``func(book,
    *args)`` when the partition holds no open-ended amount, else None): the
    dataset's default horizon is ``horizon_from`` of every partition's facts
    (filters never change it, as for a journal), and a dataset with no
    open-ended amount needs no second pass."""
    facts = horizon_facts(book, spec)
    return facts, (None if facts[0] or func is None else func(book, *args))


def _open_ended(book, options) -> None:
    if options is not None and options.horizon in (None, "") and book.whole.open_ended().any():
        raise LedgerError("the dataset holds open-ended amounts per year: give --horizon YEAR "
                          "(on a dataset the horizon is not worked out from every entry)")


# ------------------------------------------------------------------ balance

def recorded_part(book, filters: dict):
    """Recorded balances of one partition: ({(account, currency): amount},
    linked ids left out, entries)."""

    book = _selected(book, filters)
    counted, _ = primary(book)
    rows = balance_rows(counted, None) if len(counted) else []
    return {(r["account"], r["currency"]): r["amount"] for r in rows}, _linked(book), len(book)


def converted_part(book, filters: dict, options, by, recorded: bool):
    """Converted balances of one partition: ({(account, year): amount},
    notes, linked ids, entries) through ``reports.balance.converted``."""

    book = _selected(book, filters)
    if not len(book):
        return {}, [], Head(), 0
    _open_ended(book, None if recorded else options)
    rows, notes = converted(book, options, by=by, depth=None, recorded=recorded)
    return ({(r["account"], r.get("year", "")): r["amount"] for r in rows}, notes,
            _linked(book), len(book))


def _add(parts) -> dict:
    out: dict = defaultdict(Decimal)
    for part in parts:
        for k, v in part.items():
            out[k] += Decimal(v)
    return out


def _depth_ok(account: str, depth) -> bool:
    return account == "(total)" or depth is None or account.count(":") < depth


def combine_recorded(results, depth=None):
    """(rows as ``reports.balance.balance_rows`` gives them, linked, entries)."""

    sums = _add(r[0] for r in results)
    rows = [{"account": a, "currency": c, "amount": _plain(v)}
            for (a, c), v in sorted(sums.items()) if a != "(total)" and _depth_ok(a, depth)]
    rows += [{"account": a, "currency": c, "amount": _plain(v)}
             for (a, c), v in sorted(sums.items()) if a == "(total)"]
    return rows, _heads(r[1] for r in results), sum(r[2] for r in results)


def combine_converted(results, currency: str, by, depth=None):
    """(rows as ``reports.balance.converted`` gives them, notes, linked, entries)."""
    sums = _add(r[0] for r in results)
    rows = []
    for total in (False, True):
        for (a, y), v in sorted(sums.items()):
            if (a == "(total)") is total and _depth_ok(a, depth):
                rows.append({"account": a, **({"year": y} if by else {}), "amount": v,
                             "currency": currency})
    return (rows, merged_notes(r[1] for r in results), _heads(r[2] for r in results),
            sum(r[3] for r in results))


def _heads(heads) -> Head:
    out = Head()
    for h in heads:
        out = out + h
    return out


def merged_notes(lists) -> list[str]:
    """The partitions' notes, each distinct one once (a note counting one
    partition's entries is said per partition: at most ``SHOWN``, then a count)."""
    seen: dict[str, None] = {}
    for notes in lists:
        for n in notes:
            seen.setdefault(n, None)
    notes = list(seen)
    if len(notes) > SHOWN:
        notes = notes[:SHOWN] + [f"{len(notes) - SHOWN} more partition note(s) not shown"]
    return notes


# ------------------------------------------------------------------- report

REPORT_TABLES = ("summary", "by_purpose", "by_funder", "by_year", "by_status")


def value_part(book, options):
    """One partition valued by the report's one valuation step
    (``reports.valuation.value``), as the report's tables (amounts
    Decimal, entry counts, qualifiers)."""

    entries = t.select_entries(book, options)
    if not len(entries):
        return None
    _open_ended(book, options)

    valued = value(entries, Spec.of(options), fast=True, every_column=True)
    frame, spread = basis_frame(valued, options.purpose, options.depth, fast=True)
    cur = options.currency.upper()
    return {"summary": t.summary_table(frame, cur), "by_purpose": t.by_purpose(frame, cur),
            "by_funder": t.by_funder(frame, cur), "by_year": _long(t.by_year(spread, cur)),
            "by_status": t.status_table(frame, t.links_frame(entries), cur),
            "entries": len(entries)}


def _long(table: pd.DataFrame) -> pd.DataFrame:
    """A year × funder table as rows (year, funder, amount)."""
    if table.empty:
        return pd.DataFrame(columns=["year", "funder", "amount"])
    return table.reset_index().melt(id_vars="year", var_name="funder", value_name="amount")


def combine_report(parts, currency: str) -> dict[str, pd.DataFrame]:
    """The report's tables over every partition: amounts and entry counts
    added (each entry lives in one partition), qualifiers joined, shares
    worked out again on the totals."""
    parts = [p for p in parts if p is not None]
    if not parts:
        raise LedgerError("no entries match the filters; nothing to report")
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
        out[name] = g
    out["entries"] = sum(p["entries"] for p in parts)
    return out


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

def list_part(book, filters: dict) -> str:
    """One partition's ``list --format csv`` rows (with the header)."""

    book = _selected(book, filters)
    if not len(book):
        return ""
    out = io.StringIO()
    write_csv(list_table(book), out)
    return out.getvalue()


def export_part(book, filters: dict, options: dict) -> str:
    """One partition's ``export --to csv`` rows (with the header), valued by
    ``reports.export.frame`` (the export's own valuation)."""

    book = _selected(book, filters)
    if not len(book):
        return ""
    _open_ended(book, None if options.get("basis") == "recorded" else _Horizon(options))
    return inert_frame(export.frame(book, **options)).to_csv(index=False,
                                                              date_format="%Y-%m-%d")


class _Horizon:
    def __init__(self, options: dict):
        self.horizon = options.get("horizon")


def without_header(text: str, first: bool) -> str:
    """A partition's CSV text; the header line only for the first one written."""
    return text if first else text.split("\n", 1)[1] if "\n" in text else ""
