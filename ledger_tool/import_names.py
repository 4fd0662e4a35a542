"""The files an import writes in a ledger folder, and the input files it
reads from a folder: names only, so the command line's help can say them
without loading the importers."""
from __future__ import annotations

IMPORTED_NAME = "imported.toml"                         # where a spreadsheet import writes in a folder
DATA_FILE = {"iati": "iati.toml", "fts": "fts.toml"}   # where --from iati|fts write in a folder
SUFFIX = {"iati": ".xml", "fts": ".json"}
