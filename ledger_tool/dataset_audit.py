"""The audit of a partitioned Parquet dataset (``audit D``, ``report D
--sources DIR``): the checks of each entry run partition by partition
(``ledger.sources.audit.audit_part``, a Dask task each), keeping of each
entry only what the checks across entries read; those, the documents and
coverage then run once (``audit_whole``), as for the same rows read whole."""
from __future__ import annotations

import sys
from pathlib import Path

from ledger.sources.archive import Archive
from ledger.sources.audit import (DEFAULT_TOLERANCE, DEFAULT_WINDOW_DAYS, AuditResult,
                                  audit_part, audit_whole, read_documents)
from ledger_tool.common import none_match
from ledger_tool.dataset_scan import checked_scan, entry_filters
from rates.table import load_rates


def partition_audit(book, archive: str, reference, tolerance, filters: dict):
    """One partition's ``audit_part``."""
    return audit_part(book, archive, reference=reference, tolerance=tolerance,
                      filters=filters, slim=True)


def dataset_audit(args, sources: str, *, tolerance=None, window_days=None) -> AuditResult:
    """The audit of every partition's entries against the archive ``sources``
    (a missing folder is one clear line before the pass)."""
    archive = Archive(sources)
    tolerance = DEFAULT_TOLERANCE if tolerance is None else tolerance
    filters = entry_filters(args)
    reference = load_rates(args.rates, root=Path(args.ledger))
    parts: list = []
    found = checked_scan(args, partition_audit,
                         (str(archive.folder), reference, tolerance, filters), parts.append)
    documents = dict(found.documents or {})   # _documents.csv, read once by the scan
    texts, unreadable = read_documents(documents, archive)
    entries = sum(len(p.entries) for p in parts)
    chosen = sum(len(p.entries if p.chosen is None else p.chosen) for p in parts)
    if chosen == entries:   # filters that keep every entry: the audit of the whole, as a journal's
        for p in parts:
            p.chosen = None
    elif not chosen:
        print(none_match(args, entries), file=sys.stderr)
    return audit_whole(parts, archive, documents, texts, unreadable, tolerance=tolerance,
                       window_days=DEFAULT_WINDOW_DAYS if window_days is None else window_days,
                       filtered=chosen < entries)
