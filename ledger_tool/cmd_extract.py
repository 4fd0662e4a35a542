"""ledger-tool extract DOC...: list the money mentions in source documents,
optionally writing draft journal entries for them."""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path

from ledger.atomic import write_atomic
from ledger.edit import DRAFT_PLACEHOLDER_DATE
from ledger.errors import LedgerError
from ledger.safe_io import open_checked
from ledger.phrases.extract import CSV_COLUMNS, mentions_in
from ledger.phrases.money import (MoneyError, format_amount_phrase, format_money, known_currencies,
                                  parse_amount, plain_decimal)
from ledger.sources.archive import archived_document
from ledger.sources.render import locator_for, original_stem, read_document
from ledger.text_safety import one_line
from ledger_tool.common import (check_locale, ledger_folder_above, print_capped,
                                refuse_ledger_output)
from reports.text import inert


def register(sub) -> None:
    p = sub.add_parser(
        "extract", description="Find every money mention (an amount with a currency) in plain-text, "
                    "HTML or PDF documents, with its line and column, qualifier, period and any "
                    "restatement in brackets.  A web page or PDF is read as its text rendering "
                    "(the one 'sources add' archives: main text, headings kept).  --draft "
                    "writes a draft [[entry]] per mention to a TOML file, citing the "
                    "recorded document's id with its publication date as the entry's date.  "
                    "See docs/phrases.md.")
    p.add_argument("docs", nargs="+", metavar="DOC", help="document files (.txt, .html, ...)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="output format on stdout (default: table)")
    p.add_argument("--locale", default="en_GB",
                   help="locale for amounts in the table (default en_GB)")
    p.add_argument("--draft", metavar="OUT.toml",
                   help="also write draft journal entries (status pledged, with TODOs) to this file")
    p.add_argument("--ledger", metavar="LEDGER",
                   help="the ledger whose recorded documents the drafts cite (their ids and "
                        "publication dates); default: the ledger folder whose archive holds "
                        "the DOC, if any")
    p.add_argument("--force", action="store_true",
                   help="overwrite the --draft file if it exists (an earlier draft: never a "
                        "ledger's journal file, nor a new file in a ledger folder)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    args.locale = check_locale(args.locale)
    if args.ledger is not None and not Path(args.ledger).exists():
        raise LedgerError(f"extract: --ledger {args.ledger}: no such ledger file or folder")
    draft = Path(args.draft) if args.draft else None
    if draft is not None:
        if draft.is_dir():
            raise LedgerError(f"extract: --draft {draft}: is a directory")
        # never a ledger's journal, nor a .toml its folder would read, whatever --force
        # says: the ledger given, the one above the draft, the ones holding the DOCs
        ledgers = [args.ledger] if args.ledger else []
        ledgers += [f for d in args.docs if (f := ledger_folder_above(d, _earlier_draft)) is not None]
        try:   # an earlier draft (outside a ledger) only with --force
            refuse_ledger_output(draft, ledgers, rewritable=_earlier_draft)
        except LedgerError as err:
            raise LedgerError(f"extract: --draft {err}") from None
        if draft.exists() and not args.force:
            raise LedgerError(f"extract: --draft {draft} already exists; "
                              "choose another file or add --force to overwrite it")

    failed = too_large = 0
    results = []   # (SourceText, [Mention])
    for name in args.docs:
        try:
            doc = read_document(name)
        except LedgerError as err:
            print(f"ledger-tool: extract: {err}", file=sys.stderr)
            failed += 1
            continue
        for w in doc.warnings:
            print(f"ledger-tool: extract: warning: {w}", file=sys.stderr)
        if doc.kind in ("html", "pdf") and Path(name).name != doc.path.name:
            how = ("its text rendering" if doc.path.is_file() else
                   "its text rendering, made as 'sources add' makes it")
            print(f"ledger-tool: extract: note: {one_line(name)}: read {how}, {one_line(doc.path.name)} (the "
                  f"text the audit checks quotes against; lines and columns are the "
                  f"rendering's)", file=sys.stderr)
        big: list = []    # figures too large to hold: each said, the rest read
        mentions = mentions_in(doc, too_large=big)
        shown = one_line(str(doc.path))    # a line feed in a name cannot print a line of its own
        for fig in big:
            at = doc.locate(fig.at)
            print(f"ledger-tool: extract: {shown}:{at.line}:{at.column}: {fig.figure}",
                  file=sys.stderr)
        too_large += len(big)
        print_capped((f"{shown}:{m.line}:{m.column}: {' '.join(m.phrase.split())!r}: "
                      "'francs CFA' is XOF (West Africa) or XAF (Central Africa) and the "
                      "document does not say which; the currency is written XOF|XAF: confirm it"
                      for m in mentions if m.cfa_unsettled),
                     prefix="ledger-tool: extract: warning: ")
        print_capped((f"{shown}:{m.line}:{m.column}: {' '.join(m.phrase.split())!r}: "
                      + (f"the period {m.period_unread!r} is not one the ledger can record "
                         "(one-off, a year, over N years, a fiscal year, from a date to a date); "
                         + ("the draft writes it as written, for you to restate"
                            if draft is not None else "restate the figure by hand")
                         if m.unread_rate else
                         f"{m.period_unread!r} is not read here; the journal reads the period "
                         f"{' '.join(m.period_text.split())!r} from the entry's date: check it")
                      for m in mentions if m.period_unread),
                     prefix="ledger-tool: extract: warning: ")
        print_capped((f"{shown}:{m.line}:{m.column}: {' '.join(m.phrase.split())!r}: "
                      f"a line break splits digits at the figure ({m.across_break!r}); it is "
                      f"read as {plain_decimal(m.amount)} {m.currency}: check the amount "
                      "in the document"
                      for m in mentions if m.across_break),
                     prefix="ledger-tool: extract: warning: ")
        print_capped((f"{shown}:{m.line}:{m.column}: {' '.join(m.phrase.split())!r}: "
                      f"read as {plain_decimal(m.amount)} {m.currency}; {m.unsure}"
                      for m in mentions if m.unsure),
                     prefix="ledger-tool: extract: warning: ")
        if not mentions:
            print(f"ledger-tool: extract: {shown}: no money mentions", file=sys.stderr)
        recorded = archived_document(name, args.ledger) if draft is not None else None
        if draft is not None and recorded is None:
            print(f"ledger-tool: extract: note: {one_line(name)} is not a recorded document"
                  + (f" of {args.ledger}" if args.ledger else "") + "; its drafts cite "
                  f"{_slug(doc.path)!r} and need a date (record it with 'ledger-tool sources "
                  "add', or give --ledger)", file=sys.stderr)
        results.append((doc, mentions, recorded))

    mentions = [m for _, ms, _ in results for m in ms]
    if draft is not None:
        try:
            write_atomic(draft, draft_toml(results))
        except OSError as err:
            raise LedgerError(f"extract: cannot write {draft}: {err.strerror or err}") from None
        print(f"ledger-tool: extract: wrote {len(mentions)} draft entr"
              f"{'y' if len(mentions) == 1 else 'ies'} to {draft}", file=sys.stderr)
    # the draft is written first so that a closed pipe on stdout cannot lose it
    if args.format == "csv":
        _write_csv(mentions)
    elif args.format == "json":
        _write_json(mentions)
    else:
        _write_table(mentions, args.locale)
    if failed:
        print(f"ledger-tool: extract: {failed} document(s) could not be read", file=sys.stderr)
    if too_large:
        print(f"ledger-tool: extract: {too_large} figure(s) too large to hold were not read",
              file=sys.stderr)
    return 1 if failed or too_large else 0


# ------------------------------------------------------------------ output
def _money_cell(amount, currency: str, locale: str) -> str:
    if currency not in known_currencies():     # "XOF|XAF": francs CFA not settled
        return f"{plain_decimal(amount)} {currency}"
    return format_money(amount, currency, locale)


def _write_csv(mentions) -> None:
    w = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    for m in mentions:
        w.writerow({k: inert(v) for k, v in m.row().items()})


def _write_json(mentions) -> None:
    out = []
    for m in mentions:
        row = m.row()
        out.append({
            "doc": m.doc, "line": m.line, "column": m.column, "phrase": m.phrase,
            "amount": row["amount"], "currency": m.currency, "qualifier": m.qualifier,
            "per": m.per, "over_years": row["over_years"] or None,
            "fiscal_year": m.fiscal_year or None, "period": m.period.describe(),
            "start": m.start or None, "upper": row["upper"] or None,
            "restated": [{"amount": plain_decimal(r.amount), "currency": r.currency}
                         for r in m.restated],
        })
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _period_cell(m) -> str:
    said = "" if m.period.kind == "one-off" else m.period.describe()
    if m.period_unread:     # not one-off, nor a rate without end: say so where it is read
        return f"{said + ', ' if said else ''}{m.period_unread!r} not read"
    return said


def _write_table(mentions, locale: str) -> None:
    header = ("doc", "line:col", "amount", "qualifier", "period", "restated", "phrase")
    rows = [header]
    for m in mentions:
        rows.append((
            one_line(m.doc), f"{m.line}:{m.column}", _money_cell(m.amount, m.currency, locale)
            + (f" – {_money_cell(m.upper, m.currency, locale)}" if m.upper is not None else ""),
            "" if m.qualifier == "exact" else m.qualifier,
            _period_cell(m),
            ", ".join(_money_cell(r.amount, r.currency, locale) for r in m.restated),
            " ".join(m.phrase.split()),
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    for r in rows:
        cells = [c.ljust(w) for c, w in zip(r, widths)] + [r[-1]]
        print("  ".join(cells).rstrip())


# ------------------------------------------------------------------- draft
def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)   # JSON string escapes are valid TOML


def _drafted_qualifier(m) -> str:
    """The qualifier the draft records: a range's lower bound as 'at least'
    (an entry holds one amount)."""
    return "at least" if m.qualifier == "range" else m.qualifier


def _draft_amount(m) -> str:
    """The amount as written, with its qualifier; a range's lower bound
    with the qualifier ``_drafted_qualifier`` gives it."""
    if m.qualifier == "range":
        said = _drafted_qualifier(m)
        if m.currency not in known_currencies():     # francs CFA to be settled (a TODO says so)
            return f"{said} {plain_decimal(m.amount)} {m.currency}"
        return f"{said} {format_amount_phrase(m.amount, m.currency)}"
    written = " ".join(m.amount_text.split())
    if m.qualifier == "exact" and m.currency in known_currencies() and m.amount > 0:
        try:
            parse_amount(written)
        except MoneyError:   # "five million", sharing "pounds" with the next amount
            return format_amount_phrase(m.amount, m.currency)
    return written


def _slug(path) -> str:
    """The draft's document id for a file not recorded: its stem as a slug."""

    return re.sub(r"[^A-Za-z0-9._-]+", "-", original_stem(path)).strip("-._") or "doc"


DRAFT_HEADER = "# Draft entries written by `ledger-tool extract --draft`."


def _earlier_draft(path: Path) -> bool:
    """``path`` begins as ``draft_toml`` writes a draft (a regular file:
    opening a FIFO met below a folder would hang)."""
    try:
        fd = open_checked(path, what="draft", limit=1 << 62)
    except (LedgerError, OSError):
        return False
    try:
        return os.read(fd, len(DRAFT_HEADER.encode()) + 3).lstrip(b"\xef\xbb\xbf") \
            .startswith(DRAFT_HEADER.encode())
    except OSError:
        return False
    finally:
        os.close(fd)


def draft_toml(results) -> str:
    """Draft ``[[entry]]`` tables, one per mention, to be completed by hand.
    ``results``: (document read, its mentions, the recorded ``Document`` it
    is or None).  A recorded document gives the citation's id and the
    entry's date (its publication date); otherwise they are placeholders."""

    lines = [
        DRAFT_HEADER,
        "# Each entry needs its funder and purpose (marked TODO), a look at its date",
        "# and a check that the figure is a new pledge, not one already in the ledger",
        "# (if it is, cite it there: ledger-tool cite LEDGER ENTRY --source DOC --quote ...).",
    ]

    seen: set[str] = set()
    for doc, mentions, recorded in results:
        doc_id = recorded.id if recorded is not None else _slug(doc.path)
        published = recorded.published if recorded is not None else None
        for n, m in enumerate(mentions, 1):
            ident, k = f"{doc_id}-{n}", 1
            while ident in seen:
                k += 1
                ident = f"{doc_id}-{n}-{k}"
            seen.add(ident)
            if published is not None:
                todo, date = "complete funder and purpose", (
                    f"date = {published.isoformat()}      # the document's publication date: "
                    "change it if the pledge was made on another day")
            else:
                todo, date = "complete date, funder and purpose", (
                    f'date = "{DRAFT_PLACEHOLDER_DATE}"    # TODO: date announced, as a TOML '
                    "date (no quotes)")
            lines += [
                "",
                f"# TODO: {todo} ({one_line(doc.name)}, line {m.line}, column {m.column})",
                "[[entry]]",
                f"id = {_toml_str(ident)}",
                date,
                'funder = ""            # TODO: funder account, e.g. "UK:Home Office"',
                'purpose = ""           # TODO: purpose account, e.g. "Security:Calais port"',
                f"amount = {_toml_str(_draft_amount(m))}",
            ]
            if m.upper is not None:     # a range, or "about" one ("about £5-7m")
                lines.insert(-1, f"# TODO: the source gives a range ({one_line(' '.join(m.phrase.split()))}); "
                                 f"the draft records its lower bound as {_drafted_qualifier(m)!r}")
            if m.across_break:
                lines.insert(-1, f"# TODO: a line break splits digits at the figure "
                                 f"({one_line(_toml_str(m.across_break))}): check the amount in the document")
            if m.cfa_unsettled:
                lines.append("# TODO: 'francs CFA' is XOF (West Africa) or XAF (Central Africa): "
                             "write the code in the amount or restatement")
            if m.period_before:
                lines.append("# the period is stated earlier in the sentence: "
                             "quote it too, or check it by hand")
            if m.period_unread:
                # as written: the journal refuses it until it is restated, rather
                # than the figure being recorded one-off or as a rate without end
                lines.append(f"# TODO: the ledger cannot record the period {one_line(repr(m.period_unread))}: "
                             "restate the amount and period (e.g. a year's total per year)"
                             if m.unread_rate else
                             "# TODO: check the period: the journal reads it from the entry's date")
                lines.append(f"period = {_toml_str(' '.join(m.period_text.split()))}")
            elif m.period.kind != "one-off":
                lines.append(f"period = {_toml_str(m.period.describe())}")
            lines.append('status = "pledged"')
            if m.restated_text:
                items = ", ".join(_toml_str(" ".join(t.split())) for t in m.restated_text)
                lines.append(f"restated = [{items}]")
            lines += [
                "[[entry.source]]",
                f"doc = {_toml_str(doc_id)}",
                f"quote = {_toml_str(m.phrase)}",
                f"locator = {_toml_str(locator_for(doc, m.offset, m.line, m.column))}",
            ]
    return "\n".join(lines) + "\n"
