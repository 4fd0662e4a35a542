"""Checks across entries: unique ids, links, double entry, phased packages.

Each check is a plain function from entries (and documents) to a list of
``Problem``; ``check_all`` runs them all.  Nothing here raises.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from ledger.model import Document, Entry, Problem


def _at(e: Entry, message: str, hint: str = "", severity: str = "error") -> Problem:
    return Problem(e.file, e.line, e.id, message, hint, severity)


def check_unique_ids(entries: Sequence[Entry]) -> list[Problem]:
    seen: dict[str, Entry] = {}
    out = []
    for e in entries:
        first = seen.setdefault(e.id, e)
        if first is not e:
            out.append(_at(e, f"duplicate id {e.id!r}", f"first used at {first.file}:{first.line}"))
    return out


def check_links(entries: Sequence[Entry], rejected: Iterable[str] = ()) -> list[Problem]:
    """Links must name another entry.  ``rejected``: ids of entries left out
    for their own errors (already reported): a link to one is not called
    missing, which would send the reader looking for an entry that is there."""
    by_id = {e.id: e for e in entries}
    left_out = set(rejected)
    out = []
    for e in entries:
        for ln in e.links:
            if ln.target == e.id:
                out.append(_at(e, f"{ln.kind} links the entry to itself"))
            elif ln.target not in by_id and ln.target not in left_out:
                out.append(_at(e, f"{ln.kind} names a missing entry {ln.target!r}"))
    return out


def check_sources(entries: Sequence[Entry], documents: Mapping[str, Document]) -> list[Problem]:
    out = []
    for e in entries:
        if not e.sources:
            out.append(_at(e, "no source: every figure should cite a document",
                           "add an [[entry.source]] with doc and quote", severity="warning"))
        for c in e.sources:
            if c.doc not in documents:
                out.append(_at(e, f"source names an unknown document {c.doc!r}",
                               "declare it in a [[document]] table (sources.toml)"))
            if not c.quote.strip():
                out.append(_at(e, f"citation of {c.doc!r} has no quote",
                               "quote the shortest phrase that carries the figure", severity="warning"))
    return out


def check_splits(entries: Sequence[Entry]) -> list[Problem]:
    out = []
    for e in entries:
        if e.splits:
            total = sum((s.amount for s in e.splits), Decimal(0))
            if total != e.amount:
                out.append(_at(e, f"split does not add up: parts sum to {total} {e.currency}, "
                                  f"the entry is {e.amount} {e.currency}"))
    return out


def check_balanced(entries: Sequence[Entry]) -> list[Problem]:
    """Every entry's postings, and so the whole ledger, sum to zero per currency.

    An entry without splits posts −amount and +amount in one currency, so it
    balances by construction; only split entries need their postings summed
    (and those whose splits do not add up are reported by check_splits)."""
    out = []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for e in entries:
        if not e.splits or sum((s.amount for s in e.splits), Decimal(0)) != e.amount:
            continue
        per_cur: dict[str, Decimal] = defaultdict(Decimal)
        for p in e.postings():
            per_cur[p.currency] += p.amount
        for cur, v in per_cur.items():
            totals[cur] += v
            if v:
                out.append(_at(e, f"postings do not balance: {v} {cur} left over"))
    for cur, v in totals.items():
        if v:
            out.append(Problem("", 0, "", f"ledger does not sum to zero in {cur}: {v}"))
    return out


def check_packages(entries: Sequence[Entry]) -> list[Problem]:
    """Phased parts must not exceed their package; disbursements not their pledge."""
    by_id = {e.id: e for e in entries}
    linked = [e for e in entries if e.links]
    out = []
    for kind, noun in (("part_of", "phased parts"), ("disburses", "disbursements")):
        groups: dict[str, list[Entry]] = defaultdict(list)
        for e in linked:
            target = e.link(kind)
            if target in by_id:
                groups[target].append(e)
        for target, parts in groups.items():
            pkg = by_id[target]
            same = [p for p in parts if p.currency == pkg.currency]
            for p in parts:
                if p.currency != pkg.currency:
                    out.append(_at(p, f"{kind} {target!r} is in {pkg.currency}, this entry in {p.currency}",
                                   "record the part in its package's currency and restate the other",
                                   severity="warning"))
            total = sum((p.amount for p in same), Decimal(0))
            if total > pkg.amount and pkg.qualifier not in ("at least", "about"):
                names = ", ".join(p.id for p in same)
                out.append(_at(pkg, f"{noun} ({names}) add up to {total} {pkg.currency}, "
                                    f"more than the {pkg.amount} {pkg.currency} of {target!r}"))
    return out


CHECKS = (check_unique_ids, check_links, check_splits, check_balanced, check_packages)


def check_all(entries: Sequence[Entry], documents: Mapping[str, Document] | None = None,
              rejected: Iterable[str] = ()) -> list[Problem]:
    """Every check; ``rejected``: ids of entries the reader left out for their
    errors (see ``check_links``)."""
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check_links(entries, rejected) if check is check_links else check(entries))
    if documents is not None:
        problems.extend(check_sources(entries, documents))
    return problems


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
