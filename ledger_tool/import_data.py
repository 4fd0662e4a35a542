"""``ledger-tool import --from iati|fts``: published funding data into a ledger.

Also the ledger scope shared with the spreadsheet import: which files are the
ledger that ``-o`` names (only journal files, never a pyproject.toml or other
TOML lying beside it).
"""
from __future__ import annotations

import contextlib
import csv
import functools
import io
import multiprocessing
import os
import re
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ledger.book import Book
from ledger.atomic import (PartlyWritten, ctrl_c_held, real_path, write_all_atomic, write_atomic,
                           write_new)
from ledger.edit import writing
from ledger.errors import LedgerError
from ledger.imports import bulk
from ledger.memory import gc_paused
from ledger.imports.rows import refused_ids
from ledger.imports.problem import dropped, import_problem, items_of, kind_of, where_of
from ledger.imports.common import (ReadResult, archive_copy, few_collections, finish,
                                   kept_to_the_end, load_names, read_file, replace_entries)
from ledger.imports.fts import (flow_versions, ledger_zeros, newest_versions, read_fts,
                                uncited_document)
from ledger.imports.iati import (activity_facts, activity_stamps, ledger_copies,
                                 newest_activities, read_iati, slug_claims)
from ledger.imports.table import import_table, load_mapping
from ledger.model import IMPORT, said
from ledger.phrases.money import plain_decimal
from ledger.read.dataset import DATASET_OPTIONS
from ledger.read.journal import journal_parse
from ledger.read.folder import ledger_folder_of, unread_in_ledger
from ledger.safe_io import journal_files
from ledger.read.journal_columns import read_files_book
from ledger.safe_io import read_bytes
from ledger.sources.archive import DEFAULT_ARCHIVE, named_archive, read_as_journal
from ledger.text_safety import one_line
from ledger.writer import appended, render, unreadable
from ledger_tool.cmd_init import LEDGER_FILE, SOURCES_FILE, init_ledger
from ledger_tool.common import (CappedMessages, ledger_folder_above, max_messages, print_capped,
                                refuse_ledger_output)
from ledger_tool.import_names import DATA_FILE, SUFFIX
from reports.progress import Progress



# ------------------------------------------------------------------ scope
# file -> its parse_file result, left by is_journal_file for load_scope: each
# journal file is parsed once (toml_rs, nesting checked first), not twice
_PARSED: dict[Path, tuple] = {}


def is_journal_file(path: Path, inside: Path | None = None) -> bool:
    """``ledger.read.journal.journal_parse``'s test, its parse kept."""
    got = journal_parse(path, inside)   # the one test of what a journal file is
    if got is not None:
        _PARSED[path] = got
    return got is not None


def ledger_files(folder: Path, exclude: Path | None = None) -> list[Path]:
    """The journal files directly in ``folder`` (and below it, confined to
    it), other TOML left out."""
    out = []
    for p in journal_files(folder):
        if exclude is not None and p.resolve() == exclude.resolve():
            continue
        if is_journal_file(p, folder):
            out.append(p)
    return out


def with_own_ledger(files: list[Path], out: Path) -> list[Path]:
    """``files`` (the ledger ``--ledger`` names), then the journal files of
    the ledger folder the journal file ``out`` is in, if any, and ``out``
    itself when it exists: the entries written there join that ledger, so
    their ids are checked against it too.  Other files beside ``out`` are
    not a ledger's when ``--ledger`` names the ledger: a stray draft there
    neither adds ids nor stops the import (review30)."""
    root = ledger_folder_above(out)
    own = ledger_files(root) if root is not None else []
    if out.exists():
        own.append(out)
    seen = {f.resolve() for f in files}
    for f in own:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            files.append(f)
    return files


# the reader's problems that leave some of a journal file's entries or
# documents unread (ledger.read.journal): their ids are unknown, so nothing
# is imported.  "unsafe-file" too (a link leading out of the ledger, a file
# over the size cap, a FIFO): check and report refuse the ledger for it, and
# a link out is never followed into a write
UNREAD = frozenset({"binary-file", "not-utf8", "too-deep", "toml-syntax",
                    "unreadable-value", "bad-entries", "bad-documents", "unsafe-file"})


def refuse_unread(problems) -> None:
    """Refuse the import, one line per file, when a journal file of the
    ledger cannot be read whole: an import into it could repeat the ids it
    holds (and appending to it would not mend it)."""
    unread = [p for p in problems if p.severity == "error" and p.code in UNREAD]
    if unread:
        raise LedgerError("\n".join(
            f"import: {p.file}" + (f":{p.line}" if p.line else "") + f": {p.message}; the "
            f"ledger's ids cannot all be read: fix the file, then import again; nothing written"
            for p in unread))


def load_scope(files: list[Path]):
    """(the Book, documents, problems, options) of these journal files read
    together into one Book, as a folder is read (links across files hold);
    () for the Book of a new ledger.  The imports read the ledger from the
    Book's tables (``ledger.imports.rows.ledger_entries``), not as ``Entry``
    objects."""
    if not files:          # a new ledger: nothing to read
        return (), {}, [], {}
    book = read_files_book(files, {f: _PARSED.pop(f) for f in files if f in _PARSED})
    return book, book.documents, list(book.problems), book.options


def scope(output: str, ledger_arg: str | None, data_name: str):
    """(journal file to write, ledger root folder, journal files of the ledger).
    A missing folder (no .toml suffix) is a new, empty ledger: it is made
    only when something is written into it (``settle_outputs``)."""
    out = Path(output)
    check_output(out, ledger_arg)
    if not out.exists() and out.suffix.lower() != ".toml":
        return out / data_name, out, []
    if out.is_dir():
        return out / data_name, out, ledger_files(out)
    if out.suffix.lower() != ".toml":
        raise LedgerError(f"import: -o {out}: not a .toml journal or a folder")
    if ledger_arg:
        lp = Path(ledger_arg)
        if not lp.exists():
            raise LedgerError(f"import: --ledger {ledger_arg}: no such file or folder")
        files = with_own_ledger(ledger_files(lp) if lp.is_dir() else [lp], out)
        return out, lp if lp.is_dir() else lp.parent, files
    above = ledger_folder_above(out)
    if above is not None:   # the ledger folder its write lock takes: all of its ids
        return out, above, with_own_ledger([], out)
    siblings = ledger_files(out.parent, exclude=out) if out.parent.is_dir() else []
    siblings = [s for s in siblings if s.parent == out.parent]
    files = siblings + ([out] if out.exists() else [])
    return out, out.parent, files


# ------------------------------------------------------------------ run
def inputs(path: str, kind: str) -> list[Path]:
    p = Path(path)
    if p.is_dir():
        # not only regular files: a FIFO or a dangling link is named by the
        # reader's guard (not a regular file), not passed over in silence
        found = sorted(f for f in p.rglob("*") if not f.is_dir()
                       and f.suffix.lower() == SUFFIX[kind]
                       and not any(part.startswith(".") for part in f.relative_to(p).parts))
        if not found:
            raise LedgerError(f"import: {p}: no {SUFFIX[kind]} files in this folder")
        # the folder's files, as the journal reader confines a ledger folder: a link
        # leading out of it is refused, one leading inside is read once
        inside, seen, kept, outside = p.resolve(), set(), [], []
        for f in found:
            real = f.resolve()
            if not real.is_relative_to(inside):
                outside.append(f"import: {f}: a link to {real}, outside the folder {p}: not read")
            elif real not in seen:
                seen.add(real)
                kept.append(f)
        if outside:
            raise LedgerError("\n".join(outside))
        return kept
    if not p.exists():
        raise LedgerError(f"import: {p}: no such file or folder")
    return [p]


def _imported_entries(book, prefix: str) -> Any:
    """The ledger's entries an importer made (ids "fts-...", "iati-..."),
    as a Book, whose tables its reader reads."""
    if not len(book):
        return ()
    ids = book.tables.entries["id"].astype(str)
    mask = ids.str.startswith(prefix).to_numpy(dtype=bool)
    return book.subset(mask) if mask.any() else ()


def _reading(progress: Progress, name: str) -> Callable[[int, Any], None]:
    """The IATI reader's progress callback: every 200 activities of ``name``."""
    def step(n: int, _held: Any) -> None:
        if n % 200 == 0:
            progress.step(f"{name}: {n:,} activities read")
    return step


@few_collections()
def run_data(args) -> int:
    kind = args.source
    target, root, files = scope(args.output, args.ledger, DATA_FILE[kind])
    names = load_names(args.names)
    entries, documents, problems, options = load_scope(files)
    refuse_unread(problems)
    errs = [p for p in problems if p.severity == "error"]
    if errs:
        print(f"ledger-tool: import: warning: the ledger already has {len(errs)} error(s) "
              f"(run 'ledger-tool check {root}'); importing anyway", file=sys.stderr)
    if args.archive:      # the user's own choice
        archive = Path(args.archive)
    else:                 # the ledger's: inside its folder (files are copied there)
        try:
            archive = named_archive(root, str(options.get("archive") or "sources"))
        except LedgerError as err:
            raise LedgerError(f"import: {err}; give the archive with --archive DIR") from None
    check_folder(archive, f"--archive {archive}" if args.archive else f"the source archive {archive}")
    progress = Progress("import")        # on a terminal only
    results = []
    paths = inputs(args.file, kind)
    untrusted: list[str] = []
    held = ledger_copies(entries, documents, _ledger_archive(root, options, archive), untrusted) \
        if kind == "iati" and entries else None
    # only the archived downloads giving a flow of this import are read (``wanted``)
    zeros = functools.partial(ledger_zeros, entries, documents,
                              _ledger_archive(root, options, archive), untrusted) \
        if kind == "fts" and documents else None
    newest, claims = _newest(kind, paths, hierarchy=args.hierarchy, held=held, zeros=zeros)
    for msg in untrusted:
        print(f"ledger-tool: import: warning: {msg}", file=sys.stderr)
    for i, p in enumerate(paths, 1):
        if len(paths) > 1:
            print(f"ledger-tool: import: reading {p} ({i}/{len(paths)})", file=sys.stderr)
        if kind == "iati":
            # activities read again: the ledger's iati- entries, by their citations
            results.append(read_file(read_iati, p, names=names, hierarchy=args.hierarchy,
                                     progress=_reading(progress, p.name),
                                     entries=_imported_entries(entries, "iati-"),
                                     newest=newest, claims=claims))
        else:
            # FTS versions and parent flows: the ledger's fts- entries' tags and figures
            results.append(read_file(read_fts, p, names=names,
                                     entries=_imported_entries(entries, "fts-"), newest=newest))
    progress.step("checking the entries")
    with gc_paused():    # frozen before the collector runs again: no pass over it all
        result = finish(results, name=str(paths[0] if len(paths) == 1 else args.file),
                        entries=entries, documents=documents, held=refused_ids(problems))
        kept_to_the_end()
    progress.done()
    _refuse_archived_as_journal(results, archive, root)

    _print_problems(result.problems, "" if args.dry_run else "the rejects file")
    file_errors = [pr for pr in result.problems if kind_of(pr) == "error"]
    n_new, n_upd = len(result.new), len(result.updated)
    rejected = [pr for pr in result.problems if kind_of(pr) == "reject"]
    skipped = [pr for pr in result.problems if kind_of(pr) == "skip"]
    n_rejected, n_skipped = (sum(map(items_of, rejected)), sum(map(items_of, skipped)))
    n_warned = sum(kind_of(pr) == "warning" for pr in result.problems)
    summary = (f"{n_new} new, {n_upd} updated, {len(result.unchanged)} unchanged, "
               f"{n_rejected} rejected, {n_skipped} skipped by rule"
               + (f", {len(file_errors)} file(s) unreadable" if file_errors else "")
               + (f", {n_warned} warning(s)" if n_warned else ""))
    for old, _, new in result.updated:
        print(f"ledger-tool: import: updated {new.id} ({old.file}:{old.line}): "
              f"{_changes(old, new)}", file=sys.stderr)
    # FTS downloads no entry cites whose copies of 0 decide flows: recorded too, so a
    # later import remembers the 0 as this one did (``ledger_zeros``)
    kept = _uncited(results, documents, result.documents)
    for r, d in kept:
        print(f"ledger-tool: import: note: {r.file}: no entry cites it, but it gives "
              f"{len(r.zeros):,} flow{'' if len(r.zeros) == 1 else 's'} as 0 where the import "
              f"leaves {'it' if len(r.zeros) == 1 else 'them'}: "
              f"{'would be ' if args.dry_run else ''}archived and recorded as document "
              f"{d['id']!r}, cited by no entry, so that an older copy imported later is not "
              f"counted again", file=sys.stderr)
    # a document of this import the ledger cites but does not declare (a write
    # killed between its renames, before this order): declared again
    for r, d in _cited_undeclared(results, entries, documents, result.documents):
        print(f"ledger-tool: import: note: {r.file}: the ledger's entries cite it as "
              f"{d['id']!r} but do not declare it (an interrupted write?); recorded again",
              file=sys.stderr)
        kept.append((r, d))
    docs = result.documents + [d for _, d in kept]
    text = render(result.new, docs) if (result.new or docs) else ""
    if args.dry_run:
        sys.stdout.write(text)
        for old, table, _ in result.updated:
            sys.stdout.write(f"\n# would replace the entry at {one_line(str(old.file))}:{old.line}\n"
                             + render([table]))
        print(f"ledger-tool: import: dry run: {summary}; nothing written", file=sys.stderr)
        return 1 if file_errors or (not n_new and not n_upd and not result.unchanged
                                    and not kept) else 0
    if file_errors:     # all or nothing: a broken file stops the whole import
        print(f"ledger-tool: import: {summary}", file=sys.stderr)
        raise LedgerError(f"import: nothing written: {len(file_errors)} file(s) could not be "
                          f"read; fix or remove them and run the import again")
    made = Created()      # undone if any write fails: nothing half-written
    with made.undone_on_failure():
        if rejected or skipped or n_new or n_upd or kept:
            rejects_path = settle_outputs(target, root, bool(n_new or n_upd or kept),
                                          _rejects_csv(result.problems)
                                          if rejected or skipped else None, made=made)
        if n_new or n_upd or kept:
            try:
                for r in results:      # archive first: entries never cite a missing copy
                    if r.document and r.document["id"] in {d["id"] for d in docs}:
                        made.missing_folders((archive / r.document["path"]).parent)
                        made.new_file(archive / r.document["path"])
                        archive_copy(Path(r.file), archive, r.document)
                # one key per real file: the entries' spelling and -o's may differ
                # (relative, absolute, a link), and two keys would write it twice
                spelt: dict[Path, Path] = {}
                changes: dict[Path, dict[int, str | dict[str, Any]]] = {}
                for old, table, _ in result.updated:
                    key = spelt.setdefault(real_path(old.file), Path(old.file))
                    changes.setdefault(key, {})[old.line] = table
                anew: list[str] = []
                files = {f: replace_entries(f, ch, anew) for f, ch in changes.items()}
                if text:    # in the same write as the updates: every file or none
                    key = spelt.get(real_path(target), target)
                    # first: it declares the documents the updates elsewhere cite, so a
                    # kill between two renames never leaves a citation of a missing one
                    files = {key: journal_appended(
                        target, files.get(key), f"# Imported by `ledger-tool import --from "
                                                f"{kind} {one_line(Path(args.file).name)}`\n",
                        text), **{f: b for f, b in files.items() if f != key}}
                with ctrl_c_held():   # written, then kept: no Ctrl-C between the two
                    write_all_atomic(files, inside={f: root for f in changes})
                    made.keep()
                for msg in anew:
                    print(f"ledger-tool: import: warning: {msg}", file=sys.stderr)
            except (OSError, UnicodeDecodeError) as err:
                filename = getattr(err, "filename", None)
                where = f" {filename}" if filename else ""
                raise LedgerError(f"import: cannot write{where}: "
                                  f"{getattr(err, 'strerror', None) or err}; nothing written"
                                  ) from None
    if rejected or skipped:
        print(f"ledger-tool: import: rejected and skipped items listed in {rejects_path}",
              file=sys.stderr)
    print(f"ledger-tool: import: {summary}" + (f"; written to {one_line(str(target))}" if n_new or kept else ""),
          file=sys.stderr)
    if not n_new and not n_upd and not result.unchanged:
        if not kept:
            raise LedgerError(f"import: nothing imported from {args.file}")
        print(f"ledger-tool: import: nothing imported from {args.file}: no entry made; its "
              f"copies of 0 recorded (as said above)", file=sys.stderr)
    return 0


def _cited_undeclared(results, entries, documents, recorded: list[dict]
                      ) -> list[tuple[Any, dict]]:
    """(reading, its ``[[document]]``) of the input files whose document the
    ledger's entries cite but neither the ledger nor this import declares."""
    if not isinstance(entries, Book) or not len(entries):
        return []
    cited = set(entries.tables.citations["doc"].tolist())
    known = set(documents) | {d["id"] for d in recorded}
    out = []
    for r in results:
        d = r.document
        if d and d["id"] in cited and d["id"] not in known:
            known.add(d["id"])
            out.append((r, d))
    return out


def _uncited(results, documents, cited: list[dict]) -> list[tuple[Any, dict]]:
    """(reading, its ``[[document]]``) of the FTS files no entry of the
    import cites and the ledger does not have, whose copies of 0 decide
    flows (``fts.uncited_document``), each once."""
    known = set(documents) | {d["id"] for d in cited}
    out = []
    for r in results:
        d = uncited_document(r)
        if d is not None and d["id"] not in known:
            known.add(d["id"])
            out.append((r, d))
    return out


def run_dataset(args) -> int:
    """``_run_dataset``, SIGTERM stopping it as Ctrl-C does (its staging
    folder removed, its workers ended)."""
    with _sigterm_as_ctrl_c():
        return _run_dataset(args)


@few_collections()
def _run_dataset(args) -> int:
    """``import ... --to DIR.parquet``: the input files read in batches (in
    worker processes, one per core, a few batches in flight: memory stays
    that of a few batches), each batch's records made bulk rows and checked
    by the bulk rules, the good rows written to a partitioned Parquet
    dataset as they come (``ledger.imports.bulk``); the rejected and skipped
    items go to ``DIR/_rejects.csv`` as they come, the messages are capped."""
    kind = args.source
    target = Path(args.dataset)
    if args.dry_run:
        raise LedgerError("import: --to writes a dataset: --dry-run is for journals")
    if getattr(args, "ledger", None):
        # a dataset is checked within itself only: taking --ledger without its
        # checks (ids, same figures, FTS/IATI versions) would be a silent promise
        raise LedgerError(f"import: --to writes a new dataset checked within itself, not "
                          f"against a ledger: --ledger {args.ledger} is for -o (import into "
                          f"the ledger with -o, or leave out --ledger); nothing written")
    if target.suffix.lower() != ".parquet":   # else no command would read it as a dataset
        raise LedgerError(f"import: --to {target}: a dataset's folder name ends in .parquet "
                          f"(e.g. {target.with_suffix('.parquet').name}); -o writes a journal")
    try:     # a ledger would read the dataset's _ledger.toml as one of its journal files
        refuse_ledger_output(target, dataset=True)
    except LedgerError as err:
        raise LedgerError(f"import: --to {err}; nothing written") from None
    cap = max_messages()    # a bad cap is one line before any folder is made
    tmp = bulk.temporary_folder(target)
    sink = _ProblemSink(tmp / bulk.REJECTS_FILE)
    documents: list[dict] = []
    seen = bulk.SeenIds()
    writer = bulk.DatasetWriter(tmp)
    entries = 0
    listed_from = ""     # a listing's fiscal year start, which the dataset keeps
    try:
        if kind == "table":
            table, problems, docs, listed_from = _spreadsheet(args)
            batches = iter([(table, None, None, _Told(problems, cap), docs, (args.file,))])
        else:
            batches = _batches(kind, args, cap)
        for table, digests, claimed, found, docs, paths in batches:
            table, again = bulk.without_seen(table, seen, digests, claimed, paths)
            sink.merge(found)
            sink.add(again)
            writer.add(table)
            entries += bulk.entry_count(table)
            used = {d for v in table.column("sources").unique().to_pylist()
                    for d in v.split(";")} if table.num_rows else set()
            for d in docs:
                if d["id"] in used:
                    src = d.pop("source_file", None)
                    documents.append(d)
                    if src:
                        bulk.archive(Path(src), tmp, d)
        writer.flush()
        bulk.write_documents(tmp, documents)
        if listed_from:
            write_new(tmp / DATASET_OPTIONS, dataset_options_text(listed_from))
        sink.close()
        rejects_at, written = f"{target / bulk.REJECTS_FILE}", None
        if sink.errors or not writer.rows:
            # an unreadable file: nothing written, as -o writes nothing; all
            # refused: the rejects beside where the dataset would be
            rejects = (tmp / bulk.REJECTS_FILE).read_bytes() \
                if sink.dropped and not sink.errors else None
            bulk.abandon(tmp)
            written = settle_outputs(target, target.parent, False, rejects.decode("utf-8")) \
                if rejects else None
            rejects_at = str(written) if written else ""
        else:
            bulk.finish_folder(tmp, target)
            fiscal_start_note(listed_from, args.file, "dataset")
    except BaseException:
        sink.close()
        bulk.abandon(tmp)
        raise
    sink.print(rejects_at)
    if written:
        print(f"ledger-tool: import: rejected and skipped items listed in {written}",
              file=sys.stderr)
    if sink.errors:
        raise LedgerError(f"import: nothing written: {sink.errors} file(s) could not be "
                          f"read; fix or remove them and run the import again")
    if not writer.rows:
        raise LedgerError(f"import: nothing imported from {args.file}")
    if sink.dropped:
        print(f"ledger-tool: import: rejected and skipped items listed in "
              f"{target / bulk.REJECTS_FILE}", file=sys.stderr)
    print(f"ledger-tool: import: {entries:,} entries ({writer.rows:,} rows) in "
          f"{writer.parts} part file(s), {sink.items['reject']} rejected, "
          f"{sink.items['skip']} skipped by rule"
          + (f", {sink.warnings:,} warning(s)" if sink.warnings else "")
          + f"; written to {one_line(str(target))}", file=sys.stderr)
    return 0


class _ProblemSink:
    """An import's problems as they come, none held: the rejected, skipped
    and unreadable ones written to a CSV file (as ``_rejects_csv`` writes
    them); the messages, in the two groups ``_print_problems`` prints, held
    only as far as the cap shows them (``CappedMessages``).  A batch's
    problems come summed up (``_Told``), made where the batch was read."""

    def __init__(self, path: Path):
        self.fh = open(path, "w", encoding="utf-8", newline="")
        csv.writer(self.fh).writerow(REJECTS_HEADER)
        self.shown = {True: CappedMessages(), False: CappedMessages()}   # by: dropped
        self.items = {"reject": 0, "skip": 0}
        self.counted: set = set()   # the items named (a spreadsheet's rows), counted once
        self.errors = self.dropped = self.warnings = 0

    def add(self, problems) -> None:
        self.merge(_Told(problems, self.shown[True].cap))

    def merge(self, told: _Told) -> None:
        """A batch's problems (``_Told``) added after those before it, as if
        one by one."""
        self.fh.write(told.rows)
        for kind, n in told.items.items():
            self.items[kind] += n
        for kind, item, n in told.named:
            if (kind, item) not in self.counted:
                self.counted.add((kind, item))
                self.items[kind] += n
        self.warnings += told.warnings
        self.dropped += told.dropped
        self.errors += told.errors
        for out, got in told.shown.items():
            mine = self.shown[out]
            for pr in got.held:
                mine.add(pr)
            mine.count += got.count - len(got.held)

    def close(self) -> None:
        if not self.fh.closed:
            self.fh.close()

    def print(self, rejects: str) -> None:
        for out, where in ((True, rejects), (False, "")):
            for line in self.shown[out].lines(where, line=_line):
                print(f"ledger-tool: import: {line}", file=sys.stderr)


class _Told:
    """A batch's problems summed up as ``_ProblemSink`` tells them, where
    the batch is read (a worker process), so that the command's own process
    neither receives nor handles them one at a time: the rejects file's rows
    as CSV text, the counts, and the messages the cap can show (the first
    ``cap`` of each rank, in order: ``CappedMessages``), the rest counted."""

    def __init__(self, problems, cap: int):
        buf = io.StringIO()
        rows = csv.writer(buf)
        self.items = {"reject": 0, "skip": 0}
        self.named: list[tuple[str, Any, int]] = []   # (kind, item, items): counted once
        self.errors = self.dropped = self.warnings = 0
        self.shown = {True: CappedMessages(), False: CappedMessages()}   # by: dropped
        for capped_messages in self.shown.values():
            capped_messages.cap = cap
        for pr in problems:
            out, kind = bool(dropped(pr)), kind_of(pr)
            if kind in self.items:
                item = pr.detail("item")
                if item is None:
                    self.items[kind] += items_of(pr)
                else:
                    self.named.append((kind, item, items_of(pr)))
            self.warnings += kind == "warning"
            if out or kind == "error":
                self.dropped += 1
                self.errors += kind == "error"
                rows.writerow(_reject_row(pr))
            self.shown[out].add(pr)
        self.rows = buf.getvalue()


BATCH_BYTES = 8_000_000     # input read and checked together (one run of the bulk rules)


def _batches(kind: str, args, cap: int):
    """(good rows, their ids' digests or None, the digests of the ids its
    items claim or None (``bulk.without_seen``), problems told (``_Told``),
    documents, its files) per batch of input files, in order."""
    names = load_names(args.names)
    paths = inputs(args.file, kind)
    batches: list[list[str]] = [[]]
    size = 0
    for p in paths:
        if size >= BATCH_BYTES:
            batches.append([])
            size = 0
        batches[-1].append(str(p))
        # a dangling link or a file gone: the reader's guard names it, as -o does
        with contextlib.suppress(OSError):
            size += p.stat().st_size
    workers = min(len(os.sched_getaffinity(0)), len(batches))
    if workers < 2:
        newest, claims = _newest(kind, paths, hierarchy=args.hierarchy)
        for b in batches:
            yield _read_batch(kind, b, names, args.hierarchy, cap, newest, claims)
        return
    context = multiprocessing.get_context("forkserver")
    # the workers' modules imported once, in the server they are forked from,
    # not again by each worker (this one: ``_read_batch``)
    context.set_forkserver_preload([*bulk.WORKER_MODULES, __name__])
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_die_with,
                               initargs=(os.getpid(),))
    try:
        newest, claims = _newest(kind, paths, pool, args.hierarchy)
        pending = []
        for b in batches:
            pending.append(pool.submit(_read_batch, kind, b, names, args.hierarchy, cap, newest,
                                       claims))
            if len(pending) > 2 * workers:      # a few batches in flight, not the folder
                yield pending.pop(0).result()
        for f in pending:
            yield f.result()
    except BaseException:    # Ctrl-C, SIGTERM, a failure: no waiting for batches in flight
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _die_with(pid: int) -> None:
    """A pool worker's initializer: the worker exits when the process ``pid``
    (the import) ends, however it ends (kill -9 included): its parent is the
    forkserver, which lives as long as any worker does."""
    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            os._exit(1)
        except (AttributeError, OSError):     # no pidfd: asked every second
            while True:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    os._exit(1)
                except OSError:
                    pass
                time.sleep(1)
        select.select([fd], [], [])      # readable once the process has ended
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="die-with-import").start()


@contextlib.contextmanager
def _sigterm_as_ctrl_c():
    """SIGTERM in the block stops the command as Ctrl-C does: its clean-up
    runs, one line, a non-zero exit.  A no-op outside the main thread."""
    def stop(signum, frame):
        raise KeyboardInterrupt
    try:
        old = signal.signal(signal.SIGTERM, stop)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _refuse_archived_as_journal(results: list[ReadResult], archive: Path, root: Path) -> None:
    """A data file's archived copy where the ledger reads its files (a
    ``flows.toml`` archived in the ledger folder itself) would be read as a
    journal: refused, as ``sources add`` refuses it, before anything is written."""
    for r in results:
        if r.document and read_as_journal(archive / r.document["path"], root):
            raise LedgerError(
                f"import: {r.file}: archived as {archive / r.document['path']} it would be "
                f"read as part of the ledger {root} (a .toml file where the ledger reads its "
                f"journal files); nothing written: archive it in a folder the ledger does not "
                f'read (--archive DIR, or archive = "{DEFAULT_ARCHIVE}" in its ledger.toml), '
                f"or name the data file .json or .xml")


def _ledger_archive(root: Path, options: dict, archive: Path) -> list[Path]:
    """The folders the ledger's documents' paths may be relative to: the
    import's archive (``--archive DIR``, where earlier imports given it put
    their files), then the ledger's own (its archive option)."""
    try:
        own = named_archive(root, str(options.get("archive") or "sources"))
    except LedgerError:
        return [archive]
    return [archive] if Path(archive).resolve() == own.resolve() else [archive, own]


def _newest(kind: str, paths: list[Path], pool=None, hierarchy: str | None = None,
            held: dict[Path, set[str]] | None = None, zeros=None):
    """What several files of one import give, each taken from its newest
    statement whatever file or batch gives it: an FTS flow's newest
    version, an IATI activity's newest copy; and the IATI activities'
    entry id starts that several activities share, each given to the
    first that makes entries (at ``hierarchy``, its newest copy:
    ``slug_claims``); None, None for one file.  Each file's ids and
    versions are read by ``pool``'s workers when given.  ``held``: the
    archived IATI files the ledger's entries cite, with the activities of
    each (``ledger_copies``): a copy of the import older than the ledger's
    is not its current statement, whichever was imported first.  ``zeros``:
    the copies of 0 the ledger's archived FTS files give (``ledger_zeros``
    called with the flow ids the import's files give, ``wanted``),
    remembered as a copy of 0 within the import is."""
    if len(paths) < 2 and not (kind == "iati" and held) and not (kind == "fts" and zeros):
        return None, None
    def each(read) -> list:
        return [read(p) for p in paths] if pool is None else \
            list(pool.map(read, [str(p) for p in paths], chunksize=max(1, len(paths) // 64)))
    if kind == "fts":
        facts = each(flow_versions)
        found = zeros(wanted=set().union(*(f[0] for f in facts))) if zeros else None
        if len(paths) < 2 and not found:
            return None, None
        return newest_versions(paths, facts, found), None
    facts = each(activity_facts)
    stamps = [f[0] for f in facts]
    given = set().union(*stamps)
    older = [(p, acts & given) for p, acts in (held or {}).items() if acts & given]
    # the ledger's copies first: a copy of the import is kept when it is as new
    newest = newest_activities([p for p, _ in older] + paths, [
        {a: t for a, t in activity_stamps(p).items() if a in acts} for p, acts in older]
        + stamps)
    return newest, slug_claims(paths, [f[1] for f in facts], newest, hierarchy) \
        if len(paths) > 1 else None


def _read_batch(kind: str, paths: list[str], names, hierarchy, cap: int, newest=None,
                claims=None):
    """``bulk.read_batch`` (in a worker process), with what the command's
    own process would otherwise do row by row and problem by problem: (the
    good rows, their ids' digests (``bulk.SeenIds``), the digests of the
    ids its items claim, the problems told (``_Told``), the documents, the
    files)."""
    claimed: list[str] = []
    table, problems, docs = bulk.read_batch(kind, paths, names, hierarchy, claimed, newest,
                                            claims)
    return (table, bulk.id_digests(table), bulk.SeenIds.digest(claimed), _Told(problems, cap),
            docs, paths)


def _spreadsheet(args):
    """(good rows, problems, documents, the fiscal year start the rows were
    listed from or "") of a spreadsheet import into a new dataset: a
    listing's fiscal labels are read with its own start, which the dataset
    keeps, as a new ledger does (``fiscal_start_note``)."""
    path = Path(args.file)
    got = import_table(path, sheet=args.sheet,
                       mapping=load_mapping(args.mapping) if args.mapping else None)
    for msg in got.warnings:       # the listing's fiscal year start column, as -o says them
        print(f"ledger-tool: import: warning: {msg}", file=sys.stderr)
    # by row, each naming its entry, said as the journal import says them
    # (ImportResult.messages: "row N: column 'C': entry 'id': ...")
    refused = [import_problem(str(path), f"row {r.line}"
                              + (f": column {r.column!r}" if r.column else ""), r.message,
                              item=r.line)     # a row of two reasons is one rejected
               for r in got.named_rejects()]
    result = ReadResult(str(path), [bulk.entry_record(e, f"row {e.line}") for e in got.entries],
                        refused, None, "", got.rows)
    table, more = bulk.checked([result], [d["id"] for d in got.documents])
    return table, refused + more, list(got.documents), got.fiscal_year_start


def _print_problems(problems, rejects: str) -> None:
    """The import's problems on stderr, capped (LEDGER_TOOL_MAX_MESSAGES),
    errors first when cut: the rejected and skipped items, all listed in
    ``rejects`` (the rejects file, when one is written), then the rest,
    each with one line counting what is not shown."""
    print_capped((pr for pr in problems if dropped(pr)), rejects, "ledger-tool: import: ",
                 line=_line)
    print_capped((pr for pr in problems if not dropped(pr)), "", "ledger-tool: import: ",
                 line=_line)


def print_warnings(problems, said_as: Callable[[Any], Any] | None = None) -> None:
    """The imported records' warnings on stderr, capped (LEDGER_TOOL_MAX_MESSAGES);
    ``said_as``: each one's import problem, made for those shown only."""
    print_capped(problems, "", "ledger-tool: import: ",
                 line=lambda pr: _line(said_as(pr) if said_as else pr))


def _line(pr) -> str:
    """An import problem as its message line says it."""
    tag = {"note": "note: ", "skip": "skipped: ", "warning": "warning: "}.get(kind_of(pr), "")
    return f"{tag}{said(pr, IMPORT)}"


REJECTS_HEADER = ["file", "where", "kind", "items", "reason"]


def _reject_row(pr) -> list:
    """A rejected, skipped or unreadable item as a row of the rejects file."""
    from reports.text import inert
    return [inert(pr.file), inert(where_of(pr)), kind_of(pr), items_of(pr), inert(pr.message)]


def _output_journal(out: Path) -> Path:
    return out if out.suffix.lower() == ".toml" else out / "x.toml"


def holding_ledger(run: Callable[[Any], int]) -> Callable[[Any], int]:
    """``run(args)`` holding the write lock of the ledger that ``-o`` writes
    into (``ledger.atomic.ledger_lock``) from reading it to the last write:
    an ``add`` meanwhile waits rather than being undone by the import's
    rename."""
    @functools.wraps(run)
    def locked(args) -> int:
        out = getattr(args, "output", None)
        if not out or getattr(args, "dry_run", False):
            return run(args)
        journal = _output_journal(Path(out))
        with writing(ledger_folder_of(journal, getattr(args, "ledger", None)), journal):
            return run(args)
    return locked


def check_output(out: Path, ledger_arg: str | None) -> None:
    """Refuse an ``-o`` the ledger would not read (a hidden file or folder,
    its source archive: ``ledger.safe_io.unread_in_ledger``, the rule
    ``add --file`` follows), then a folder that cannot be made."""
    try:   # the one check of every write: never a ledger's data (import -o appends)
        refuse_ledger_output(out, [ledger_arg] if ledger_arg else [], append=True)
    except LedgerError as err:
        raise LedgerError(f"import: -o {err}; nothing written") from None
    unread = unread_in_ledger(_output_journal(out), ledger_arg)
    if unread is not None:
        raise LedgerError(f"import: -o {out}: {unread[1]}, so the entries written there would "
                          f"not be part of the ledger {unread[0]}; nothing written")
    check_folder(out.parent, f"-o {out}")


def check_folder(folder: Path, label: str) -> None:
    """Refuse, before anything is read or written, a folder that cannot be
    made: a file in its place or above it (``label``: the option, for the
    message)."""
    for p in (folder, *folder.parents):
        if p.exists():
            if not p.is_dir():
                raise LedgerError(f"import: {label}: {p} is not a folder")
            return


def _changes(old, new) -> str:
    out = []
    for f in ("date", "funder", "purpose", "amount", "currency", "status", "period", "splits",
              "restated", "links", "recipient", "location", "sources"):
        a, b = getattr(old, f), getattr(new, f)
        if a != b:
            if f in ("splits", "links", "sources", "restated"):
                out.append(f"{f} changed")
            elif f == "amount":   # as written, whatever the places the ledger's column keeps
                out.append(f"{f} {plain_decimal(a)} -> {plain_decimal(b)}")
            elif f == "period":   # as the journal writes it ("over 3 years")
                out.append(f"{f} {a.describe()} -> {b.describe()}")
            else:
                out.append(f"{f} {a} -> {b}")
    return ", ".join(out) or "notes or tags changed"


def _rejects_csv(problems) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(REJECTS_HEADER)
    for pr in problems:
        if dropped(pr) or kind_of(pr) == "error":
            w.writerow(_reject_row(pr))
    return buf.getvalue()


# ------------------------------------------------------------------ writing (both imports)
APRIL = "04-01"     # a ledger's fiscal year start when it gives none (as `init`)


def fiscal_start_note(listed_from: str, file: str, what: str = "ledger") -> None:
    """The note that a new ledger or dataset (``what``) takes the fiscal
    year start of the ledger ``file`` was listed from (its fiscal_year_start
    column), when that is not 1 April."""
    if listed_from and listed_from != APRIL:
        print(f"ledger-tool: import: note: the new {what}'s fiscal year starts on "
              f"{listed_from}, as in the ledger {file} was listed from", file=sys.stderr)


def dataset_options_text(fiscal_year_start: str) -> str:
    """A dataset's ``_ledger.toml`` (``ledger.read.dataset.dataset_options``)."""
    return f'[ledger]\nfiscal_year_start = "{fiscal_year_start}"   # MM-DD\n'


class Created:
    """What one import run made (files, folders), removed when the run
    fails: a failed import leaves nothing half-written (no new ledger
    folder, no rejects file of a run that wrote no entries, no archive copy
    nothing cites; the journals are written all or none by
    ``ledger.atomic.write_all_atomic``)."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.folders: list[Path] = []
        self.said: list[str] = []     # what it made, said once kept (not before a failure)

    def missing_folders(self, folder: Path) -> None:
        """``folder`` and its parents that do not exist yet (about to be made)."""
        for p in (folder, *folder.parents):
            if p.exists():
                break
            self.folders.append(p)

    def new_file(self, path: Path) -> None:
        """``path`` when it does not exist yet (about to be written)."""
        if not path.exists() and not path.is_symlink():
            self.files.append(path)

    def keep(self) -> None:
        """The journal is written: what this run made stays, whatever comes
        after (a Ctrl-C then must not take a written journal's archive copy
        or its ledger's options away)."""
        self.files.clear()
        self.folders.clear()
        for line in self.said:
            print(line, file=sys.stderr)
        self.said.clear()

    @contextlib.contextmanager
    def undone_on_failure(self):
        try:
            yield self
        except PartlyWritten:    # journals written cite what this run made: kept
            self.keep()           # and said
            raise
        except BaseException:
            self.undo()
            raise

    def undo(self) -> None:
        for path in reversed(self.files):
            with contextlib.suppress(OSError):
                path.unlink()
        # the folders this run made, deepest first, each only when left empty
        for path in sorted(set(self.folders), key=lambda p: -len(p.parts)):
            with contextlib.suppress(OSError):
                path.rmdir()


def _init_ledger(folder: Path, made: Created | None, **options) -> None:
    """``init_ledger``, with what it makes noted in ``made``."""
    if made is not None:
        made.missing_folders(folder / DEFAULT_ARCHIVE)
        for name in (LEDGER_FILE, SOURCES_FILE):
            made.new_file(folder / name)
    init_ledger(folder, **options)


def _say(made: Created | None, line: str) -> None:
    """``line`` on stderr once what ``made`` holds is kept (now without one)."""
    if made is None:
        print(line, file=sys.stderr)
    else:
        made.said.append(line)


def settle_outputs(target: Path, folder: Path, imported: bool, rejects: str | None,
                   fiscal_year_start: str | None = None,
                   empty_folder: bool = False, made: Created | None = None) -> Path | None:
    """Make the new ledger ``folder`` (missing, or existing and empty:
    ``empty_folder``) when something is imported into it
    (its fiscal year starting on ``fiscal_year_start``, else 1 April), and
    write the ``rejects`` CSV text, if any, beside the journal file ``target``
    (OUTPUT.rejects.csv), or beside the folder when nothing is imported into a
    new one (it is then not made).  One rejects file per run: an earlier run's
    is never overwritten (-2, -3, ...).  Returns the rejects file written.
    ``made``: where what is made here is noted, for the run to undo if it fails."""
    path = target.with_name(target.stem + ".rejects.csv")
    options = {"fiscal_year_start": fiscal_year_start} if fiscal_year_start else {}
    if empty_folder and imported:
        _init_ledger(folder, made, **options)
        _say(made, f"ledger-tool: import: made the empty folder {folder} a new ledger")
    elif not folder.exists():
        if imported:
            _init_ledger(folder, made, **options)
            _say(made, f"ledger-tool: import: created the new ledger {folder}")
        else:
            path = folder.with_name(folder.name + ".rejects.csv")
    if rejects is None:
        return None
    try:
        written = write_new(path, rejects)
    except OSError as err:
        raise LedgerError(f"import: cannot write {path}: {err.strerror or err}") from None
    if made is not None:
        made.files.append(written)
    return written


def append_entries(target: Path, header: str, text: str) -> None:
    """``header`` and the rendered entries appended to the journal file
    ``target`` (read through the guard; made when missing), atomically; the
    result is parsed first, and refused in one line if it would not read."""
    try:
        write_atomic(target, journal_appended(target, None, header, text))
    except OSError as err:
        raise LedgerError(f"import: cannot write {target}: {err.strerror or err}; nothing "
                          f"written") from None


def journal_appended(target: Path, now: bytes | None, header: str, text: str) -> bytes:
    """The journal file ``target`` with ``header`` and the rendered entries
    appended as ``add`` appends (``ledger.writer.appended``: its BOM and line
    ends kept) after ``now`` (its new bytes), else the file's (read through
    the guard; none when missing).  The result is parsed first: one that
    would not read is refused in one line (``LedgerError``)."""
    old = now if now is not None else \
        read_bytes(target, what="journal file") if target.exists() else None
    new = appended(old, header + text)
    try:
        bad = unreadable(new.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        bad = new[:err.start].count(b"\n") + 1, f"not valid UTF-8 (byte {err.start})"
    if bad is not None:
        inline = _inline_entries((old or b"").decode("utf-8-sig", "replace"))
        if inline is not None:
            line, key = inline
            raise LedgerError(f"import: {target}:{line}: the file gives an inline array "
                              f"({key} = [...]), which appended [[{key}]] tables cannot "
                              f"follow; write it as [[{key}]] tables and import again; "
                              f"nothing written")
        raise LedgerError(f"import: {target}:{bad[0]}: with the entries appended the file "
                          f"would not read ({bad[1]}); nothing written")
    return new


def _inline_entries(text: str) -> tuple[int, str] | None:
    """(line, "entry" or "document") where the journal ``text`` gives its
    entries or documents as an array value (``entry = [...]``), not as
    tables; else None."""
    m = re.search(r"(?m)^[ \t]*(entry|document)[ \t]*=", text)
    return None if m is None else (text.count("\n", 0, m.start()) + 1, m.group(1))
