"""ledger-tool import: a spreadsheet of pledges (CSV/XLSX) → journal entries."""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ledger import read_book
from ledger.read import ledger_format
from ledger.book import Book
from ledger.errors import LedgerError
from ledger.atomic import ctrl_c_held
from ledger.imports.rows import refused_ids
from ledger.imports.table import fiscal_day, import_table, load_mapping, valid_fiscal_start
from ledger.rules.options import OptionError
from ledger.text_safety import one_line
from ledger_tool.common import capped, ledger_folder_above
from ledger_tool.import_data import (APRIL, Created, append_entries, check_output, fiscal_start_note,
                                     holding_ledger, is_journal_file, ledger_files, load_scope,
                                     print_warnings, refuse_unread, run_data, run_dataset,
                                     settle_outputs, with_own_ledger)
from ledger_tool.import_names import DATA_FILE, IMPORTED_NAME


def register(sub) -> None:
    p = sub.add_parser(
        "import",
        description="Read a CSV or XLSX table of pledges, one row per entry, and append "
                    "them to a journal file as [[entry]] tables.  Columns are found by "
                    "their header (id, date, funder, purpose, amount, currency, period, "
                    "status, qualifier, source/doc, quote, ...) or named in a mapping "
                    "file.  Rejected rows are listed with row, column and reason and "
                    "written to OUTPUT.rejects.csv (OUTPUT.rejects-2.csv, -3, ... when "
                    "an earlier run's is there: never overwritten).  See docs/interop.md.")
    p.add_argument("file", metavar="FILE", help="a .csv or .xlsx spreadsheet; with --from iati "
                   "an IATI activity .xml file or a folder of them; with --from fts a flows .json")
    p.add_argument("--from", dest="source", choices=["table", "iati", "fts"], default="table",
                   help="what FILE is: a spreadsheet (default), IATI activity XML, or OCHA FTS "
                        "flows JSON (see docs/interop.md)")
    p.add_argument("--names", metavar="NAMES.toml",
                   help="iati/fts: account names for organisation refs, sector and country "
                        "codes ([organisations], [sectors], [countries], ...)")
    p.add_argument("--hierarchy", metavar="N",
                   help="iati: only activities at this hierarchy level (IATI @hierarchy)")
    p.add_argument("--archive", metavar="DIR",
                   help="iati/fts: the source archive folder the file is copied into "
                        "(default: the ledger's archive option, else LEDGER/sources)")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("-o", "--output", metavar="LEDGER",
                     help=f"a .toml journal file (created or appended to) or a ledger folder "
                          f"(entries go to {IMPORTED_NAME} in it; --from iati: "
                          f"{DATA_FILE['iati']}, --from fts: {DATA_FILE['fts']})")
    out.add_argument("--to", dest="dataset", metavar="DIR.parquet",
                     help="instead of a journal: a new Parquet dataset of bulk columns, "
                          "partitioned by year (DIR/year=YYYY/part-N.parquet), written file "
                          "by file with the same rules and rejects (docs/interop.md)")
    p.add_argument("--sheet", metavar="NAME", help="the XLSX sheet to read (default: the first)")
    p.add_argument("--map", dest="mapping", metavar="MAPPING.toml",
                   help="TOML mapping: [columns] field = \"Header\", [defaults], date_format")
    p.add_argument("--ledger", metavar="PATH",
                   help="the ledger to check ids and documents against (default: the output "
                        "folder, or the output file's folder when it holds other journal files); "
                        "the ids of the ledger the output file belongs to are checked too; "
                        "-o only: --to refuses it")
    p.add_argument("-n", "--dry-run", action="store_true",
                   help="check and report, print the TOML on stdout, write nothing")
    p.set_defaults(func=run)


def _targets(output: str, ledger_arg: str | None):
    """(journal file to write, ledger path or list of journal files to check
    against, or None).  Only journal files count: a pyproject.toml or other
    TOML beside them is not part of the ledger (ledger_tool.import_data)."""
    out = Path(output)
    check_output(out, ledger_arg)
    if not out.exists() and out.suffix.lower() != ".toml" and not ledger_arg:
        return out / IMPORTED_NAME, None           # a new ledger folder, made when writing
    if out.is_dir():
        return out / IMPORTED_NAME, ledger_files(out)
    if out.suffix.lower() != ".toml":
        if out.exists():
            raise LedgerError(f"import: -o {out}: not a .toml journal or a folder")
        raise LedgerError(f"import: -o {out}: give a .toml file or an existing ledger folder")
    if ledger_arg:
        lp = Path(ledger_arg)
        if ledger_format(lp)[0] != "journal":     # a bulk table or dataset: read as it is
            return out, lp
        # the ids of the ledger the file belongs to are checked too
        return out, with_own_ledger(ledger_files(lp) if lp.is_dir() else [lp], out)
    if ledger_folder_above(out) is not None:   # the folder its write lock takes: all its ids
        return out, with_own_ledger([], out)
    folder = out.parent
    others = [p for p in folder.glob("*.toml") if p.resolve() != out.resolve()
              and is_journal_file(p)]
    if others:
        return out, others + ([out] if out.exists() else [])
    return out, (out if out.exists() else None)


def run(args) -> int:
    if args.output:   # before the write lock, which would make the folder
        refuse_dataset_name(Path(args.output))
    return _run(args)


def refuse_dataset_name(out: Path) -> None:
    """``-o X.parquet``: a folder of that name is read as a Parquet dataset
    (``ledger.read.ledger_format``), so journals written there would be
    refused by every reader; the dataset is ``--to``'s.  So is a new folder
    on the way (``-o X/n.parquet/imp.toml`` makes ``X/n.parquet``)."""
    if out.suffix.lower() == ".parquet" and (out.is_dir() or not out.exists()):
        raise LedgerError(f"import: -o {one_line(str(out))}: a folder named .parquet is read "
                          f"as a Parquet dataset, not a ledger of journals; give --to "
                          f"{one_line(str(out))} for a dataset, or -o a .toml file or another "
                          f"folder name; nothing written")
    for parent in out.parents:
        if parent.exists():
            break
        if parent.suffix.lower() == ".parquet":
            raise LedgerError(f"import: -o {one_line(str(out))}: it would make the folder "
                              f"{one_line(str(parent))}, which is read as a Parquet dataset; "
                              f"give its folder another name; nothing written")


@holding_ledger
def _run(args) -> int:
    if args.dataset:
        return run_dataset(args)
    if args.source != "table":
        return run_data(args)
    target, ledger_path = _targets(args.output, args.ledger)
    if args.ledger and not Path(args.ledger).exists():
        raise LedgerError(f"import: --ledger {args.ledger}: no such file or folder")
    mapping = load_mapping(args.mapping) if args.mapping else None
    entries: Book | tuple = ()
    documents: dict = {}
    problems: Sequence = ()
    options: dict | None = None      # the ledger's options; None: no ledger yet
    if isinstance(ledger_path, list) or (ledger_path is not None and ledger_path.exists()):
        if isinstance(ledger_path, list):
            entries, documents, problems, options = load_scope(ledger_path)
        else:
            book = read_book(ledger_path)
            entries, documents, problems = book, book.documents, book.problems
            options = book.options
        refuse_unread(problems)
        errs = [p for p in problems if p.severity == "error"]
        if errs:
            where = target.parent if isinstance(ledger_path, list) else ledger_path
            print(f"ledger-tool: import: warning: {where} already has {len(errs)} "
                  f"error(s) (run 'ledger-tool check {where}'); importing anyway",
                  file=sys.stderr)
    has = _fiscal_start_of(options) if options is not None else None
    # a new ledger: a folder made (missing, or existing and empty) or a new
    # journal file alone: it takes the listing's fiscal year start
    empty_folder = ledger_path == [] and target.parent.is_dir() \
        and not any(target.parent.iterdir())
    new_file = ledger_path is None and not target.exists() and target.parent.exists()
    new_ledger = (options is None and not target.parent.exists()) or empty_folder or new_file
    if empty_folder:
        has = None
    # a journal file outside a ledger counts fiscal years from April: a
    # listing's fiscal year of another start is refused there too
    result = import_table(args.file, sheet=args.sheet, mapping=mapping, entries=entries,
                          documents=documents, held=refused_ids(problems),
                          fiscal_year_start=has or (None if new_ledger else APRIL))
    for msg in result.warnings:
        print(f"ledger-tool: import: warning: {msg}", file=sys.stderr)
    carried = _fiscal_start_said(result.fiscal_year_start, has, new_ledger, args.file, target)
    shown = capped(result.messages(), "the rejects file" if not args.dry_run else "")
    for msg in shown:
        print(f"ledger-tool: import: {msg}", file=sys.stderr)
    print_warnings(result.warned, result.record_warning)
    if result.ignored:
        print(f"ledger-tool: import: note: columns not imported: "
              f"{', '.join(repr(c) for c in result.ignored)}", file=sys.stderr)

    n_ok, n_bad = len(result.entries), len({r.line for r in result.rejects})
    warned = f", {len(result.warned)} warning(s)" if result.warned else ""
    if args.dry_run:
        sys.stdout.write(result.text)
        print(f"ledger-tool: import: dry run: {n_ok} entr{'y' if n_ok == 1 else 'ies'} "
              f"would be written to {one_line(str(target))}, {n_bad} row(s) rejected{warned}", file=sys.stderr)
        return 1 if n_ok == 0 else 0
    header = f"# Imported by `ledger-tool import {one_line(Path(args.file).name)}`\n"
    if new_file and carried and carried != APRIL:   # a one-file ledger's options: [ledger]
        header = f'[ledger]\nfiscal_year_start = "{carried}"\n\n' + header
    made = Created()      # undone if the journal cannot be written: nothing half-written
    with made.undone_on_failure():
        if n_ok or n_bad:
            from reports.text import inert_frame   # pandas: only for a rejects file

            rejects_path = settle_outputs(target, target.parent, bool(n_ok), inert_frame(
                result.rejects_frame()).to_csv(index=False) if n_bad else None,
                fiscal_year_start=carried, empty_folder=empty_folder, made=made)
        if n_ok:
            with ctrl_c_held():   # written, then kept: no Ctrl-C between the two
                append_entries(target, header, result.text)
                made.keep()
    if n_bad:
        print(f"ledger-tool: import: {n_bad} row(s) rejected; written to {one_line(str(rejects_path))}",
              file=sys.stderr)
    if n_ok == 0:
        raise LedgerError(f"import: nothing imported from {args.file} "
                          f"({result.rows} row(s), {n_bad} rejected)")
    print(f"ledger-tool: import: {n_ok} entr{'y' if n_ok == 1 else 'ies'} written to {one_line(str(target))}"
          + (f" ({len(result.documents)} new document(s) declared)" if result.documents else "")
          + warned, file=sys.stderr)
    return 0


def _fiscal_start_of(options: dict) -> str:
    """MM-DD: the day a ledger's fiscal years start (its options')."""
    try:
        return fiscal_day(options.get("fiscal_year_start"))
    except OptionError:      # the ledger's own problem, which `check` names
        return str(options.get("fiscal_year_start"))


def _fiscal_start_said(listed_from: str, has: str | None, new_ledger: bool, file: str,
                       target: Path) -> str | None:
    """The fiscal year start to give the new ledger (the one the rows were
    listed from: a listing's or an export's fiscal_year_start column), or
    None; for a ledger that has another, or a journal file that is not in
    a ledger, a warning: the entries keep their dates, but ``--years fiscal``
    counts the years from that ledger's day."""
    if not listed_from:
        return None
    if new_ledger:
        fiscal_start_note(listed_from, file)
        return listed_from
    where = target.parent if has is not None else target
    here = has or APRIL
    if not valid_fiscal_start(here):
        # the ledger's own option is bad (`check` names it): no day to compare
        print(f"ledger-tool: import: warning: {file} was listed from a ledger whose fiscal "
              f"year starts on {listed_from}; {where}'s fiscal_year_start {here!r} is invalid "
              f"(not a month and day, MM-DD): its fiscal years cannot be counted until it is "
              f"fixed (e.g. fiscal_year_start = \"{listed_from}\")", file=sys.stderr)
    elif listed_from != here:
        print(f"ledger-tool: import: warning: {file} was listed from a ledger whose fiscal "
              f"year starts on {listed_from}; {where}'s starts on {here}: its entries keep "
              f"their dates, but its fiscal years (`balance --by fiscal-year`, "
              f"`--years fiscal`) start on {here}"
              + ("" if has is not None else f" (give fiscal_year_start = \"{listed_from}\" in "
                 f"the [ledger] table of {where})"), file=sys.stderr)
    return None
