"""ledger-tool audit LEDGER --sources DIR: check every figure against its source.

For each entry and citation: the quote is found in the archived document
(line:column), its money phrase says the entry's amount (or a restatement)
with a consistent period and qualifier, and the document's SHA-256 still
matches; restatements are compared with the reference exchange rates; the
sources are cross-checked; money figures in the archive that no entry cites
are listed.  Exit 0 when every citation verifies (no errors), 1 otherwise;
with --strict, warnings fail too.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ledger.errors import LedgerError
from ledger.model import AUDIT, said
from ledger.read import ledger_format
from ledger.read.documents import DATASET_ARCHIVE, DECLARE_THEM, documents_file
from ledger.sources.archive import DEFAULT_ARCHIVE, Archive
from ledger.sources.archive import ledger_archive as own_archive
from ledger.sources.audit import DEFAULT_TOLERANCE, DEFAULT_WINDOW_DAYS, audit
from ledger_tool.common import add_filters, check_locale, filtered, load_ledger, print_capped
from rates.table import load_rates
from reports import audit as render
from reports.filters import whole_entries


def _fraction(text: str):
    try:
        value = Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r} (e.g. 0.05 or 5%)") from None
    if not value.is_finite() or value < 0 or value >= 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 1 (e.g. 0.05 or 5%)")
    return value


def _days(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return n


def register(sub) -> None:
    p = sub.add_parser(
        "audit", description="Verify every figure against the source archive: each quote is found "
                    "in its document (tolerant to line breaks, non-breaking spaces, curly "
                    "quotes and HTML markup) and says the entry's amount; document hashes "
                    "match; restatements agree with the reference rates; sources agree; "
                    "money figures no entry cites are listed.  Exit 0 when every citation "
                    "verifies, 1 otherwise (warnings fail too with --strict).  See docs/audit.md.")
    p.add_argument("ledger", metavar="LEDGER",
                   help="ledger folder or .toml file, a bulk .csv / .parquet file (its "
                        "documents in NAME.documents.csv beside it) or a dataset NAME.parquet/")
    p.add_argument("--sources", metavar="DIR",
                   help="the source archive folder (document paths are relative to it); "
                        "default: the ledger's own 'archive' option, a folder inside the ledger "
                        "(as 'import --from iati|fts' sets it up); a bulk file's sources/ "
                        "beside it; a dataset's _sources/")
    p.add_argument("--tolerance", type=_fraction, default=None, metavar="FRACTION",
                   help="largest accepted deviation of a restatement's implied rate from the "
                        "reference rate (default 0.05, i.e. 5%%)")
    p.add_argument("--window", type=_days, default=None, metavar="DAYS",
                   help="entries of one funder with the same amount this close in time are "
                        "flagged as possible double counting (default 90)")
    p.add_argument("--rates", action="append", metavar="CSV",
                   help="extra rate table(s) for the restatement checks (see docs/rates.md)")
    p.add_argument("--strict", action="store_true", help="warnings fail the audit too (exit 1)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="output on stdout: table (default), csv (one row per finding), json")
    p.add_argument("--locale", default="en_GB", help="locale for amounts (default en_GB)")
    add_filters(p)
    p.set_defaults(func=run)


def ledger_archive(book, where) -> str:
    """The archive the ledger names (``archive = "sources"`` in ``[ledger]``),
    or without the option the ``sources`` folder beside it when there is one
    (where ``sources add`` copies documents).  It must lie inside the ledger
    folder: a ledger file is input like any other, and may not point the
    audit at the rest of the machine."""

    name = str((book.options or {}).get("archive") or "").strip()
    root = Path(book.root) if book.root else Path(where)
    if not name and not ((root if root.is_dir() else root.parent) / DEFAULT_ARCHIVE).is_dir():
        raise LedgerError(f"audit: {where} names no archive (set archive = \"DIR\" in its "
                          f"[ledger] table); give the source archive folder with --sources DIR")
    try:
        return str(own_archive(root, book.options))
    except LedgerError as err:
        raise LedgerError(f"audit: {err}; give the archive explicitly with --sources DIR") from None


def dataset_archive(where) -> str:
    """A dataset's own archive: its ``_sources`` folder, where ``import --to``
    copies the documents (a dataset has no ``[ledger]`` table to name one)."""
    archive = Path(where) / DATASET_ARCHIVE
    if not archive.is_dir():
        raise LedgerError(f"audit: {where} has no {DATASET_ARCHIVE} folder (where import --to "
                          f"copies its documents); give the source archive folder with "
                          f"--sources DIR")
    return str(archive)


def bulk_archive(where, book) -> str:
    """A bulk file's archive: the ``sources`` folder beside it (docs/scale.md);
    without one, the line says what its audit lacks."""
    archive = Path(where).parent / DEFAULT_ARCHIVE
    if archive.is_dir():
        return str(archive)
    declared = documents_file(where)
    if declared.exists():
        raise LedgerError(f"audit: {where} has no {DEFAULT_ARCHIVE} folder beside it (where "
                          f"the files {declared.name} names are kept); give the source "
                          f"archive folder with --sources DIR")
    raise LedgerError(f"audit: {_undeclared(where, len(book.tables.citations))}, their "
                      f"files in a {DEFAULT_ARCHIVE} folder beside it (there is none), or give "
                      f"--sources DIR")


def undeclared_note(where, cited: int) -> str:
    """Why the citations of a bulk file or dataset with no documents file
    cannot be verified (each is then an ``undeclared-document`` error)."""
    return f"ledger-tool: audit: note: {_undeclared(where, cited)}"


def _undeclared(where, cited: int) -> str:
    """The one wording of a bulk file's or dataset's missing documents file,
    in the note and in the error when it has no archive either."""
    return (f"{where} declares no documents (no {documents_file(where).name}): the "
            f"quotes of its {cited:,} citation(s) cannot be verified; {DECLARE_THEM}")


def _audit(args, bulk: bool = False):
    book = load_ledger(args.ledger, quiet_warnings=True)
    sources = args.sources if args.sources is not None else (
        bulk_archive(args.ledger, book) if bulk else ledger_archive(book, args.ledger))
    archive = Archive(sources)               # a missing folder is one clear line
    chosen = whole_entries(filtered(book, args)).entries
    entries = None if len(chosen) == len(book.entries) else chosen
    reference = load_rates(args.rates, root=book.root)   # what the reports convert by
    return audit(book, archive, reference=reference,
                 tolerance=args.tolerance if args.tolerance is not None else DEFAULT_TOLERANCE,
                 window_days=args.window if args.window is not None else DEFAULT_WINDOW_DAYS,
                 entries=entries)


def run(args: argparse.Namespace) -> int:
    args.locale = check_locale(args.locale)   # POSIX and BCP 47 forms as babel names them
    fmt, _ = ledger_format(args.ledger)
    if fmt == "dataset":   # partition by partition; its module loads the dataset's pass
        sources = args.sources if args.sources is not None else dataset_archive(args.ledger)
        result = importlib.import_module("ledger_tool.dataset_audit").dataset_audit(
            args, sources, tolerance=args.tolerance, window_days=args.window)
    else:   # a bulk file: the journal's audit, its documents from NAME.documents.csv
        result = _audit(args, bulk=fmt in ("csv", "parquet"))
    if fmt != "journal" and result.citations and not documents_file(args.ledger).exists():
        print(undeclared_note(args.ledger, len(result.citations)), file=sys.stderr)
    if args.format == "json":
        render.write_json(result)
    elif args.format == "csv":
        render.write_csv(result)
    else:
        sys.stdout.write(render.render_text(result, args.locale))
    sys.stdout.flush()
    if args.format != "table":
        print_capped((f for f in result.findings if f.severity in ("error", "warning")),
                     prefix="ledger-tool: audit: ", line=lambda f: said(f, AUDIT))
    failed = result.failed(strict=args.strict)
    verdict = "FAILED" if failed else "passed"
    print(f"ledger-tool: audit {verdict}: {result.summary()}"
          + (" (--strict: warnings count)" if args.strict else ""), file=sys.stderr)
    return 1 if failed else 0
