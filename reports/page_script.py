"""The report page's script and style (inlined by ``reports.html``), read
from the package's files ``reports/page/page.js`` and ``page.css``.

Plain JavaScript, no library: it reads the page's JSON data block, builds the
filters, and recomputes every table and chart (inline SVG) from the cells of
``reports.pagedata.explore_cube`` whenever a filter changes.  Sums are BigInt
over integer minor units, so they are exact and equal the Python report's.
Every piece of text from the ledger goes in with ``textContent`` (never
``innerHTML``).
"""
from importlib.resources import files

_PAGE = files("reports") / "page"

SCRIPT = "\n" + _PAGE.joinpath("page.js").read_text(encoding="utf-8")
STYLE = "\n" + _PAGE.joinpath("page.css").read_text(encoding="utf-8")
