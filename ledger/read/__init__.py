"""Readers of published funding data: IATI activity XML (``iati``) and OCHA
FTS flow JSON (``fts``).

Each reader turns its file into *records* (raw journal fields, as the
spreadsheet importer makes from a row) plus rejects; ``common.finish`` then
runs them through the importer's validation (``ledger.importer._validate``:
the journal's own ``EntryReader`` and ``ledger.checks``), so the rules are
written once.  See docs/interop.md.
"""
