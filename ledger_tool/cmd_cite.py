"""ledger-tool cite LEDGER ENTRY --source DOC --quote "...": a further citation
for an entry already in the ledger (validated, atomic, keeps the file's bytes)."""
from __future__ import annotations

import argparse

from ledger.edit import add_citation
from ledger_tool.common import refuse_bulk_table, report_edit


def register(sub) -> None:
    p = sub.add_parser(
        "cite", description="Add an [[entry.source]] table to the entry ENTRY: a second document "
                    "that gives the same figure.  The document must be recorded (ledger-tool "
                    "sources add); the whole ledger is validated first and nothing is written "
                    "on any error; the file's comments and layout are kept and the write is "
                    "atomic, as for 'ledger-tool add'.")
    p.add_argument("ledger", metavar="LEDGER", help="journal file or folder")
    p.add_argument("entry", metavar="ENTRY", help="the id of the entry to cite")
    p.add_argument("--source", required=True, metavar="DOC", help="id of a recorded document")
    p.add_argument("--quote", required=True,
                   help="the shortest verbatim phrase of DOC carrying the figure")
    p.add_argument("--locator", default="", help="where in the document, e.g. 'heading: Funding'")
    p.add_argument("--dry-run", action="store_true",
                   help="validate and print the citation on stdout; write nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    refuse_bulk_table("cite", args.ledger, "add the document id to the row's sources "
                                           "column instead")
    result = add_citation(args.ledger, args.entry,
                          {"doc": args.source, "quote": args.quote, "locator": args.locator},
                          dry_run=args.dry_run)
    report_edit("cite", result, f"entry {args.entry!r} now cites {args.source!r}",
                "the citation")
    return 0
