"""Reports: pure functions from a ledger and options to tables, and their renderers."""
