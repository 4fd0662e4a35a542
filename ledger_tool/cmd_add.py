"""ledger-tool add LEDGER ...: add one entry to a journal file, validated, atomically."""
from __future__ import annotations

import argparse

from ledger.edit import add_entry, draft_entry
from ledger.errors import LedgerError, UsageError
from ledger.model import QUALIFIERS, STATUSES
from ledger_tool.common import iso_date, refuse_bulk_table, report_edit


def register(sub) -> None:
    p = sub.add_parser(
        "add", description="Append one [[entry]] to a journal file.  The whole ledger with the new "
                    "entry is validated first (as by 'ledger-tool check'); on any error nothing "
                    "is written.  The file's comments, order and formatting are kept and the "
                    "write is atomic.  With --from-extract, the entry starts from a draft "
                    "written by 'ledger-tool extract --draft'; options given here override it.")
    p.add_argument("ledger", help="journal file or folder")
    g = p.add_argument_group("the entry")
    g.add_argument("--id", help="unique slug, e.g. uk-calais-2015")
    g.add_argument("--date", type=iso_date, help="date announced or decided (YYYY-MM-DD)")
    g.add_argument("--funder", help="funder account, e.g. 'UK:Home Office'")
    g.add_argument("--purpose", help="purpose account, e.g. 'Security:Calais port'")
    g.add_argument("--amount", help="the amount as the source writes it, e.g. '£7m', 'up to £7 million'")
    g.add_argument("--currency", help="ISO 4217 code when --amount is a plain number")
    g.add_argument("--period", help="e.g. 'over 3 years', 'per year', 'fiscal year 2021-22'")
    g.add_argument("--status", choices=STATUSES, help="default: pledged")
    g.add_argument("--qualifier", choices=QUALIFIERS, help="usually read from the amount phrase")
    g.add_argument("--restated", action="append", metavar="AMOUNT",
                   help="the source's own conversion into another currency (repeatable)")
    g.add_argument("--disburses", metavar="ID", help="id of the pledge this entry pays out")
    g.add_argument("--part-of", dest="part_of", metavar="ID", help="id of the package this is a phase of")
    g.add_argument("--restates", metavar="ID", help="id of the entry this re-announces")
    g.add_argument("--recipient")
    g.add_argument("--location")
    g.add_argument("--tag", action="append", dest="tags", metavar="TAG", help="repeatable")
    g.add_argument("--notes")
    s = p.add_argument_group("the source (repeat --source/--quote/--locator for several)")
    s.add_argument("--source", action="append", metavar="DOC", help="id of a declared [[document]]")
    s.add_argument("--quote", action="append", help="the shortest verbatim phrase carrying the figure")
    s.add_argument("--locator", action="append", help="where in the document, e.g. 'paragraph 9'")
    d = p.add_argument_group("from a draft")
    d.add_argument("--from-extract", dest="draft", metavar="DRAFT.toml",
                   help="start from an entry of a draft written by 'ledger-tool extract --draft'")
    d.add_argument("--pick", metavar="N|ID", help="which draft entry (1-based number or id)")
    p.add_argument("--file", metavar="F", help="journal file of a folder ledger to append to "
                   "(default: pledges.toml, else the last file holding entries)")
    p.add_argument("--dry-run", action="store_true",
                   help="validate and print the entry on stdout; write nothing")
    p.set_defaults(func=run)


SIMPLE = ("id", "date", "funder", "purpose", "amount", "currency", "period", "status",
          "qualifier", "disburses", "part_of", "restates", "recipient", "location", "notes")


def fields_from_args(args: argparse.Namespace) -> dict:
    """The new entry's fields: the draft's (if any), overridden by the options."""

    if args.pick is not None and not args.draft:
        raise UsageError("add: --pick needs --from-extract DRAFT.toml")
    fields: dict = draft_entry(args.draft, args.pick) if args.draft else {}
    for k in SIMPLE:
        v = getattr(args, k)
        if v is not None:
            fields[k] = v
    if args.amount is not None and args.currency is None:
        fields.pop("currency", None)     # a new amount phrase carries its own currency
    if args.restated:
        fields["restated"] = args.restated
    if args.tags:
        fields["tags"] = args.tags
    if args.source or args.quote or args.locator:
        fields["source"] = _citations(args)
    missing = [f"--{k.replace('_', '-')}" for k in ("id", "date", "funder", "amount")
               if not fields.get(k)]
    if not fields.get("purpose") and not fields.get("split"):
        missing.append("--purpose")
    if missing:
        origin = f" (the draft {args.draft} does not give them)" if args.draft else ""
        raise LedgerError(f"add: missing {', '.join(missing)}{origin}")
    return fields


def _citations(args) -> list[dict]:
    docs, quotes, locs = args.source or [], args.quote or [], args.locator or []
    if len(quotes) != len(docs):
        raise UsageError(f"add: give one --quote per --source ({len(docs)} --source, "
                         f"{len(quotes)} --quote)")
    if len(locs) > len(docs):
        raise UsageError("add: more --locator than --source")
    out = []
    for i, (doc, quote) in enumerate(zip(docs, quotes)):
        c = {"doc": doc, "quote": quote}
        if i < len(locs):
            c["locator"] = locs[i]
        out.append(c)
    return out


def run(args: argparse.Namespace) -> int:
    refuse_bulk_table("add", args.ledger, "add appends an [[entry]] to a TOML journal: add a "
                                          "row to the table instead")
    fields = fields_from_args(args)
    result = add_entry(args.ledger, fields, file=args.file, dry_run=args.dry_run)
    report_edit("add", result, f"added entry {fields['id']!r}", f"entry {fields['id']!r}")
    return 0
