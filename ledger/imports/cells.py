"""How a CSV cell of ours holds what one plain value cannot, written by the
exports (``reports.export``) and read back exactly by ``import``
(``ledger.imports.table``): one function each way, here.

An entry's citations share three cells (documents, quotes, locators), one
value a line.  Where that would not read back exactly (a line break inside a
value, white space at either end of a value or of the cell, which the
import trims, or a cell that reads as a JSON list), the cell is a JSON list
of the values instead.

Text a spreadsheet would run as a formula (starting with = + - @ tab or CR,
after any apostrophes) gets one more leading apostrophe, the guard (OWASP's
advice for CSV injection), and the import takes one off such text only
(``ledger.csv_guard``: ``guard``, ``unguard``): "-x" -> "'-x", "'-x" -> "''-x", while "'x"
and "''x" are written as they are.  Every text reads back exactly; a file
written before the guard counted apostrophes ("''x" then meant "''x", not
"'x") reads as it did, but for a cell with two or more apostrophes before a
formula character.  A spreadsheet cell read by the import follows the same
rule.
"""
from __future__ import annotations

import json

from ledger.csv_guard import GUARD, GUARD_TO_DROP, GUARDED_START, NUMBER, guard, guarded, unguard
from ledger.limits import json_depth

__all__ = ["GUARD", "GUARDED_START", "GUARD_TO_DROP", "NUMBER", "guarded", "guard", "unguard",
           "citations_cell", "cell_citations"]


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
    if not (cell.startswith("[") and cell.endswith("]")) or json_depth(cell) > 1:
        return None     # nested: no list of texts (and json recurses per level)
    try:
        got = json.loads(cell)
    except ValueError:
        return None
    if not isinstance(got, list) or not all(isinstance(v, str) for v in got):
        return None
    return got
