"""How a CSV cell of ours holds what one plain value cannot, written by the
exports (``reports.export``) and read back exactly by ``import``
(``ledger.imports.table``): one function each way, here.

An entry's citations share three cells (documents, quotes, locators), one
value a line.  Where that would not read back exactly (a line break inside a
value, white space at either end of a value or of the cell, which the
import trims, or a cell that reads as a JSON list), the cell is a JSON list
of the values instead.

Text a spreadsheet would run as a formula (starting with = + - @ tab or CR)
gets a leading apostrophe, the guard (OWASP's advice for CSV injection);
text starting with the guard itself gets one too, so that the import, which
takes one guard off text starting with a guard and then one of these, reads
every text back exactly ("-x" -> "'-x", "'-x" -> "''-x").
"""
from __future__ import annotations

import json

GUARD = "'"
# a text starting with one of these is written after a GUARD (not a number: -5)
GUARDED = ("=", "+", "-", "@", "\t", "\r", GUARD)
GUARDED_START = r"^[=+\-@\t\r']"              # the same as a regex
GUARD_TO_DROP = r"^'(?=[=+\-@\t\r'])"          # what the import takes off


def citations_cell(values: list[str]) -> str:
    """The values of an entry's citations (documents, quotes or locators) as
    one cell: one a line, or a JSON list when that would not read back."""
    plain = "\n".join(values)
    if all(v == v.strip() and "\n" not in v and "\r" not in v for v in values) \
            and plain == plain.strip() and cell_citations(plain) is None:
        return plain
    return json.dumps(values, ensure_ascii=False)


def cell_citations(cell: str) -> list[str] | None:
    """The values ``citations_cell`` wrote as a JSON list; None for a plain
    cell (one value a line)."""
    if not (cell.startswith("[") and cell.endswith("]")):
        return None
    try:
        got = json.loads(cell)
    except ValueError:
        return None
    if not isinstance(got, list) or not all(isinstance(v, str) for v in got):
        return None
    return got
