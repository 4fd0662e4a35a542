"""Imports into a journal: spreadsheets (``table``: CSV, XLSX) and published
funding data, IATI activity XML (``iati``) and OCHA FTS flow JSON (``fts``);
``identity`` says when an imported row is a figure the ledger already has.

Each reader turns its file into *records* (raw journal fields, as the
spreadsheet importer makes from a row) plus rejects; ``common.finish`` then
runs them through the importer's validation (``ledger.imports.table._validate``:
``rows.check_records``, the records as the raw form checked by
``ledger.read.table.check_raw`` with the ledger's entries), so the rules are
written once; ``bulk`` checks the records of ``import --to DIR.parquet`` the
same way.  See docs/interop.md.
"""
