"""ledger-tool sources add|list: record source documents (title, publisher,
dates, URL, SHA-256) in the ledger's sources file, and list them."""
from __future__ import annotations

import argparse
import sys

from ledger.errors import LedgerError


def register(sub) -> None:
    from ledger_tool.common import iso_date

    p = sub.add_parser("sources", help="record and list source documents (archive, hashes)",
                       description="Record source documents in the ledger's sources file "
                                   "(sources.toml in a ledger folder) and list them.  "
                                   "See docs/audit.md.")
    s = p.add_subparsers(dest="action", metavar="ACTION")
    s.required = True
    a = s.add_parser("add", help="record a document: computes its SHA-256, appends a "
                                 "[[document]] table (comments and layout kept)",
                     description="Record FILE as a source document of LEDGER.  Its SHA-256 "
                                 "is computed and a [[document]] table is appended to the "
                                 "ledger's sources file (atomically, comments kept).  A file "
                                 "outside the --sources archive folder is copied into it.  "
                                 "Refuses an id, path or content already recorded.")
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
                   help="the source archive folder (default: the file's folder); "
                        "the recorded path is relative to it")
    a.add_argument("--notes", default="")
    a.set_defaults(func=run_add)

    ls = s.add_parser("list", help="list the recorded documents",
                      description="List the ledger's source documents with how many "
                                  "citations use each; with --sources, whether each file is "
                                  "in the archive and unchanged (SHA-256).")
    ls.add_argument("ledger", metavar="LEDGER")
    ls.add_argument("--sources", metavar="DIR", help="check the files in this archive folder")
    ls.add_argument("--format", choices=["table", "csv", "json"], default="table")
    ls.set_defaults(func=run_list)


def run_add(args: argparse.Namespace) -> int:
    from ledger.sources.archive import add_document

    try:
        doc = add_document(args.ledger, args.file, title=args.title, publisher=args.publisher,
                           published=args.published, url=args.url, retrieved=args.retrieved,
                           doc_id=args.doc_id, archive=args.sources, notes=args.notes)
    except OSError as err:
        raise LedgerError(f"sources add: {err.filename or args.file}: "
                          f"{err.strerror or err}") from None
    print(f"ledger-tool: sources: recorded document {doc.id!r} ({doc.path}, sha256 "
          f"{doc.sha256[:12]}…) in {doc.file}", file=sys.stderr)
    print(doc.id)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from ledger.sources.archive import Archive, document_rows
    from ledger_tool.common import load_ledger
    from reports.text import write_rows

    archive = Archive(args.sources) if args.sources else None
    book = load_ledger(args.ledger, quiet_warnings=True)
    rows = document_rows(book.documents, book.entries, archive)
    if not rows:
        print(f"ledger-tool: sources: {args.ledger} records no documents", file=sys.stderr)
        return 0
    write_rows(rows, args.format)
    bad = [r for r in rows if r.get("file") in ("MISSING", "CHANGED")]
    for r in bad:
        print(f"ledger-tool: sources: document {r['id']!r}: file {r['file'].lower()} "
              f"({r['path']})", file=sys.stderr)
    return 1 if bad else 0
