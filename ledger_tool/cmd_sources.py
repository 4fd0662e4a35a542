"""ledger-tool sources add|list|remove: archive source documents (the original
and its text rendering, in the ledger's archive folder), record them (title,
publisher, dates, URL, SHA-256) in the ledger's sources file, list and remove them."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ledger.errors import LedgerError
from ledger.read.documents import documents_file
from ledger.sources.archive import Archive, add_document, document_rows, ledger_archive, remove_document
from ledger_tool.common import iso_date, ledgers_around, load_ledger, refuse_bulk_table
from reports.text import write_rows


def register(sub) -> None:
    p = sub.add_parser("sources", description="Archive source documents in the ledger's archive folder "
                                   "(its 'archive' option, default 'sources'), record them in "
                                   "its sources file (sources.toml in a ledger folder), list "
                                   "and remove them.  See docs/audit.md.")
    s = p.add_subparsers(dest="action", metavar="ACTION")
    s.required = True
    a = s.add_parser("add", help="record a document: computes its SHA-256, appends a "
                                 "[[document]] table (comments and layout kept)",
                     description="Record FILE as a source document of LEDGER.  A file "
                                 "outside the ledger's archive folder is copied into it, named "
                                 "by the document id (ID.html), with the text rendering of a "
                                 "web page or PDF beside it (ID.html.txt), which extract and "
                                 "the audit read.  Its SHA-256 is computed and a [[document]] "
                                 "table is appended to the ledger's sources file (atomically, "
                                 "comments kept).  Refuses an id, path or content already "
                                 "recorded.")
    a.add_argument("file", metavar="FILE", help="the document (.txt, .html, .pdf)")
    a.add_argument("--ledger", required=True, metavar="LEDGER",
                   help="ledger folder (sources.toml in it) or one-file ledger")
    a.add_argument("--title", required=True)
    a.add_argument("--publisher", required=True)
    a.add_argument("--published", required=True, type=iso_date, metavar="DATE",
                   help="publication date YYYY-MM-DD")
    a.add_argument("--url", default="")
    a.add_argument("--retrieved", type=iso_date, metavar="DATE",
                   help="when the copy was retrieved, YYYY-MM-DD")
    a.add_argument("--id", dest="doc_id", metavar="ID",
                   help="document id (default: the file name without extension)")
    a.add_argument("--sources", metavar="DIR",
                   help="another source archive folder (default: the ledger's 'archive' "
                        "option, 'sources' in a folder made by init); the recorded path is "
                        "relative to it, so give the audit the same --sources")
    a.add_argument("--notes", default="")
    a.set_defaults(func=run_add)

    ls = s.add_parser("list", help="list the recorded documents",
                      description="List the ledger's source documents with how many "
                                  "citations use each; with --sources, whether each file is "
                                  "in the archive and unchanged (SHA-256).")
    ls.add_argument("ledger", metavar="LEDGER", nargs="?",
                    help="ledger folder or one-file ledger (or --ledger, as add and remove take it)")
    ls.add_argument("--ledger", dest="ledger_option", metavar="LEDGER", help=argparse.SUPPRESS)
    ls.add_argument("--sources", metavar="DIR",
                    help="check the files in this archive folder (default: the ledger's own, "
                         "when it exists)")
    ls.add_argument("--format", choices=["table", "csv", "json"], default="table",
                    help="output on stdout (default: table)")
    ls.set_defaults(func=run_list)

    rm = s.add_parser("remove", help="remove a document: its record and its archived files",
                      description="Remove the document ID: its [[document]] table (other bytes "
                                  "of the file kept) and its archived original and rendering.  "
                                  "Refused while an entry cites it, unless --force, which "
                                  "removes those citations too.  Says what it removed.")
    rm.add_argument("doc_id", metavar="ID", help="the document's id")
    rm.add_argument("--ledger", required=True, metavar="LEDGER",
                    help="ledger folder or one-file ledger")
    rm.add_argument("--sources", metavar="DIR",
                    help="the archive folder its files are in (default: the ledger's own)")
    rm.add_argument("--force", action="store_true",
                    help="also remove the citations of entries that cite it")
    rm.set_defaults(func=run_remove)


def _one_ledger(positional: str | None, option: str | None) -> str:
    """``sources list LEDGER`` or, as ``add`` and ``remove`` name it, ``--ledger LEDGER``."""
    if positional and option and Path(positional).resolve() != Path(option).resolve():
        raise LedgerError(f"sources list: two ledgers given, {positional!r} and {option!r}")
    if not (positional or option):
        raise LedgerError("sources list: which ledger? (sources list LEDGER)")
    return str(positional or option)


def run_add(args: argparse.Namespace) -> int:
    refuse_bulk_table("sources add", args.ledger, _documents_instead(args.ledger))
    try:
        doc = add_document(args.ledger, args.file, title=args.title, publisher=args.publisher,
                           published=args.published, url=args.url, retrieved=args.retrieved,
                           doc_id=args.doc_id, archive=args.sources, notes=args.notes)
    except OSError as err:
        raise LedgerError(f"sources add: {err.filename or args.file}: "
                          f"{err.strerror or err}") from None
    kept = doc.path + (f" and its rendering {doc.text}" if doc.text else "")
    print(f"ledger-tool: sources: recorded document {doc.id!r} in {doc.file} (archived: "
          f"{kept}; sha256 {doc.sha256[:12]}…)", file=sys.stderr)
    print(doc.id)
    return 0


def run_list(args: argparse.Namespace) -> int:
    args.ledger = _one_ledger(args.ledger, args.ledger_option)
    book = load_ledger(args.ledger, quiet_warnings=True)
    if args.sources:
        archive: Archive | None = Archive(args.sources)
    else:
        try:
            own = ledger_archive(args.ledger, book.options)
        except LedgerError:
            own = None
        archive = Archive(own) if own is not None and own.is_dir() else None
    rows = document_rows(book, archive)
    if not rows:
        print(f"ledger-tool: sources: {args.ledger} records no documents", file=sys.stderr)
        return 0
    write_rows(rows, args.format)
    bad = [r for r in rows if r.get("file") in ("MISSING", "CHANGED")]
    for r in bad:
        print(f"ledger-tool: sources: document {r['id']!r}: file {r['file'].lower()} "
              f"({r['path']})", file=sys.stderr)
    return 1 if bad else 0


def _documents_instead(ledger: str) -> str:
    """What to do instead of sources add/remove on a table or dataset."""
    return (f"its documents are the rows of {documents_file(ledger)}: edit that file "
            f"(docs/scale.md)")


def run_remove(args: argparse.Namespace) -> int:
    refuse_bulk_table("sources remove", args.ledger, _documents_instead(args.ledger))
    gone = remove_document(args.ledger, args.doc_id, force=args.force, archive=args.sources,
                           sharing=ledgers_around)
    d = gone.document
    print(f"ledger-tool: sources: removed document {d.id!r} ({d.file}:{d.line})", file=sys.stderr)
    for f in gone.files:
        print(f"ledger-tool: sources: removed archived file {f}", file=sys.stderr)
    for f, why in gone.kept:
        print(f"ledger-tool: sources: kept {f}: {why}", file=sys.stderr)
    for entry, quote in gone.citations:
        print(f"ledger-tool: sources: removed entry {entry!r}'s citation {quote!r}",
              file=sys.stderr)
    return 0
