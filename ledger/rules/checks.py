"""Checks across entries for ``Entry`` objects (the journal's entry-by-entry
reader, imports, ``add``): the rules of ``ledger.rules``, which the columnar
readers run too, so every reader words a problem the same way.

``check_all`` runs them all and returns a list of ``Problem``; nothing here
raises.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ledger.model import Document, Entry, Problem
from ledger.rules import JOURNAL_HINTS, across_entries, records_apart


def check_all(entries: Sequence[Entry], documents: Mapping[str, Document] | None = None,
              rejected: Iterable[str] = ()) -> list[Problem]:
    """Every cross-entry rule (``ledger.rules.across_entries``) over ``entries``.
    ``documents``: the declared documents (None: citations not checked);
    ``rejected``: ids of entries the reader left out for their errors (a link
    to one is not called missing, which would send the reader looking for an
    entry that is there)."""
    entries = list(entries)
    first: dict[str, int] = {}
    duplicates = []
    for i, e in enumerate(entries):
        j = first.setdefault(e.id, i)
        if j != i:
            duplicates.append((i, j))
    links = [(i, ln.kind, ln.target) for i, e in enumerate(entries) if e.links
             for ln in e.links]
    splits = [(i, sum((s.amount for s in e.splits), type(e.amount)(0)))
              for i, e in enumerate(entries) if e.splits]
    citations = None
    if documents is not None:
        cite = [(i, c.doc, c.quote) for i, e in enumerate(entries) for c in e.sources]
        citations = ([c[0] for c in cite], [c[1] for c in cite], [c[2] for c in cite])
    accounts = [(i, field, name) for i, e in enumerate(entries)
                for field, name in (("funder", e.funder), ("purpose", e.purpose),
                                    *(("split purpose", s.purpose) for s in e.splits))]
    problems, _ = across_entries(
        n=len(entries), ids=[e.id for e in entries],
        place=lambda i: (entries[i].file, entries[i].line),
        currency=lambda i: entries[i].currency, qualifier=lambda i: entries[i].qualifier,
        amount=lambda i: entries[i].amount, links=links,
        find=lambda targets: [first.get(t, -1) for t in targets], duplicates=duplicates,
        splits=splits, citations=citations, documents=documents, rejected=rejected,
        pledges=[None if e.splits or e.links else
                 (e.funder, e.purpose, e.recipient, e.date, e.amount, e.currency)
                 for e in entries],
        apart=lambda i, j: records_apart(
            [(c.doc, c.locator) for c in entries[i].sources],
            [(c.doc, c.locator) for c in entries[j].sources]),
        accounts=accounts, hints=JOURNAL_HINTS)
    return problems


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
