"""The archived documents a report cites, copied beside its page.

``ship_cited_documents(report, audit, folder)`` copies each document that the
report's citations name from the audit's archive into ``folder/sources/``,
keeping its path inside the archive, so that every quote on the page links to
its own archived copy and the folder can be shared whole.  The archive is
input like any other: each file is read as ``ledger.safe_io.read_bytes``
reads (a regular file inside the archive, symlinks resolved and confined,
under the size cap); a document that is missing or refused is left out and
named in the returned notes.

Only the kinds of file that cannot run script when a browser opens them from
the page's link (a ``file://`` or static-server open, whose type comes from
the name's suffix) ship under their own name: plain text, CSV, JSON, PDF and
raster images (``_INERT_SUFFIXES``).  Any other document -- a web page, SVG,
XHTML, a web archive, a file without a suffix that a browser would sniff --
ships as its source text (``page.xht`` -> ``page.xht.txt``): opened from the
report folder it is read, never run.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath

from ledger.atomic import write_atomic
from ledger.errors import LedgerError
from ledger.safe_io import read_bytes
from ledger.sources.archive import Archive

SOURCES_FOLDER = "sources"
# an allow-list: a deny-list of active types misses .xht, .svgz, .mht, ...
# (PDF: the browser's viewer runs no page script; SVG is no raster image)
_INERT_SUFFIXES = frozenset((".txt", ".csv", ".json", ".pdf",
                             ".png", ".jpg", ".jpeg", ".gif", ".webp"))


def ship_cited_documents(report, audit, folder) -> tuple[dict[str, str], list[str]]:
    """Copy the cited documents into ``folder/sources``; returns
    ``({doc id: path relative to folder, as a URL path}, notes)``."""
    if audit is None or not audit.archive or not audit.documents:
        return {}, []
    try:
        archive = Archive(audit.archive)
    except LedgerError as err:
        return {}, [str(err)]
    root = archive.folder.resolve()
    cited = {str(d) for d in report.sources["document"].astype(str)}
    shipped: dict[str, str] = {}
    notes: list[str] = []
    for doc_id in sorted(cited):
        doc = audit.documents.get(doc_id)
        if doc is None:
            continue
        src = archive.path_of(doc)
        try:
            data = read_bytes(src, inside=root, what="document")
            inside = PurePosixPath(*src.resolve().relative_to(root).parts)
        except (LedgerError, OSError, ValueError) as err:
            notes.append(f"document {doc_id!r} not copied beside the page: {err}")
            continue
        if any(part.startswith(".") for part in inside.parts):
            notes.append(f"document {doc_id!r} not copied beside the page: hidden path {inside}")
            continue
        if inside.suffix.lower() not in _INERT_SUFFIXES:
            inside = inside.with_name(inside.name + ".txt")    # read, never run
        rel = PurePosixPath(SOURCES_FOLDER) / inside
        if str(rel) in shipped.values():     # page.html shipped inert beside page.html.txt
            notes.append(f"document {doc_id!r} not copied beside the page: "
                         f"{rel} is already another document's copy")
            continue
        dest = Path(folder).joinpath(*rel.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(dest, data)
        shipped[doc_id] = str(rel)
    return shipped, notes
