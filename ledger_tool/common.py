"""Helpers shared by the sub-commands: loading with problems shown, argument types."""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ledger import read_book
from ledger.errors import LedgerError, UsageError
from ledger.phrases.money import ALWAYS_PUBLISHED
from ledger.read import ledger_format
from ledger.read.folder import (HEAD_BYTES, is_journal_head, ledger_folder_above as folder_above,
                                ledger_folders_above)
from ledger.read.journal import journal_parse
from ledger.atomic import real_path
from ledger.read.documents import BULK_SUFFIX, documents_file
from ledger.read.table import EXPORT_SIGNATURE, LISTING_COLUMN, REQUIRED
from ledger.safe_io import (BULK_SUFFIXES, DEFAULT_ARCHIVE, OPTIONS_FILE, OPTIONS_MAX_BYTES,
                            archive_parts, check_file, is_dataset, open_checked, read_bytes, refuse_ledger,
                            unread_reason)
from ledger.rules.options import OptionError, locale_name
from reports.progress import Progress


def system_allocator() -> None:
    """Arrow's buffers from the C library's allocator instead of Arrow's
    default (mimalloc): the text exports and the report build and drop many
    large string buffers, which mimalloc grows slowly (its system time grows
    with the buffers: benchmarks/README.md, run E and "Faster reports").
    ARROW_DEFAULT_MEMORY_POOL, when set, still decides."""
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        import pyarrow as pa
        pa.set_memory_pool(pa.system_memory_pool())


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a valid date {text!r} (use YYYY-MM-DD)") from None


def add_filters(p: argparse.ArgumentParser) -> None:
    """The entry filters shared by list, balance, report and export."""
    g = p.add_argument_group("filters")
    g.add_argument("--funder", action="append", metavar="ACCOUNT",
                   help="only this funder account or below it (repeatable)")
    g.add_argument("--purpose", action="append", metavar="ACCOUNT",
                   help="only this purpose account or below it (repeatable)")
    g.add_argument("--status", action="append", choices=["pledged", "committed", "disbursed", "spent"],
                   help="only entries with this status (repeatable)")
    g.add_argument("--from", dest="start", type=iso_date, metavar="DATE", help="entries on or after DATE")
    g.add_argument("--to", dest="end", type=iso_date, metavar="DATE", help="entries on or before DATE")


def filtered(book, args):
    """The Book of the entries the filters keep (column-wise); when they keep
    none of a ledger that has some, a warning on stderr names the filters
    (nothing is left out unsaid).  ``reports.filters.select``: the one
    filter of every command (a split entry keeps only its --purpose shares)."""
    from reports.filters import Filters, counted_as_themselves_note, select   # pandas: not loaded for --help

    out = select(book, Filters.of(args))
    if said := counted_as_themselves_note(out):
        print(f"ledger-tool: note: {said}", file=sys.stderr)
    if len(book) and not len(out):
        print(none_match(args, len(book)), file=sys.stderr)
    return out


def none_match(args, entries: int) -> str:
    """The warning when the filters leave none of a ledger's ``entries``."""
    given = [f"--{k} {', '.join(map(str, v))}" for k, v in
             (("funder", args.funder), ("purpose", args.purpose), ("status", args.status))
             if v] + [f"--{k} {v}" for k, v in (("from", args.start), ("to", args.end)) if v]
    return (f"ledger-tool: warning: no entries match the filters ({'; '.join(given)}): "
            f"all {entries} left out")


def refuse_conversion_without_currency(args) -> None:
    """A recorded balance (no --currency) takes no conversion option: say
    which one was given, for a journal and a dataset alike."""
    for name in ("by", "horizon", "rates", "deflator", "base_year"):
        if getattr(args, name):
            raise UsageError(f"--{name.replace('_', '-')} needs --currency (recorded "
                             f"balances are per currency)")
    for name, default in (("valuation", "entry-date"), ("basis", "total")):
        if getattr(args, name) != default:
            raise UsageError(f"--{name} needs --currency (recorded balances are per "
                             f"currency)")


def valuation(text: str) -> str:
    """An argparse type: entry-date, yearly-average, as-stated or a date."""
    if text in ("entry-date", "yearly-average", "as-stated"):
        return text
    try:
        iso_date(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"invalid valuation {text!r} (entry-date, yearly-average, as-stated or a "
            f"date YYYY-MM-DD)") from None
    return text


def add_conversion_options(p: argparse.ArgumentParser, needs: str = "") -> None:
    """--valuation, --horizon and --rates, as report and balance --currency
    convert (the same rates, years and horizon); ``needs``: what the help
    says they need, e.g. "--currency"."""
    say = f"with {needs}: " if needs else ""
    p.add_argument("--valuation", type=valuation, default="entry-date",
                   metavar="entry-date|DATE|yearly-average|as-stated",
                   help=f"{say}rates at each entry's date (default), on one DATE, the yearly "
                        f"average, or the source's own restatements")
    p.add_argument("--horizon", metavar="YEAR",
                   help=f"{say}count open-ended 'per year' amounts up to the end of the "
                        f"calendar year YYYY (2017: 31 December 2017), or of the ledger's "
                        f"fiscal year YYYY-YY (its fiscal_year_start, default April: 2017-18 "
                        f"ends 31 March 2018), however the years are grouped; default: the end of the last "
                        f"calendar year any bounded entry of the whole ledger reaches (or its "
                        f"latest entry's year, if later), whatever the filters")
    p.add_argument("--rates", metavar="CSV",
                   help=f"{say}a rate table (CSV) added to the ECB rates: a pair it "
                        f"gives replaces the ECB's from each of its dates to the next "
                        f"(the last to 31 December), in every valuation")


def add_deflator_options(p: argparse.ArgumentParser, needs: str = "") -> None:
    """--deflator FILE --base-year YYYY: constant prices (rates.deflate), each
    year's part deflated, as every command values them."""
    say = f"with {needs}: " if needs else ""
    p.add_argument("--deflator", metavar="CSV",
                   help=f"{say}give the figures at constant prices: a price index CSV "
                        f"(area,year,index[,source]; docs/rates.md); each year's part x "
                        f"index[base year] / index[its year]; needs --base-year")
    p.add_argument("--base-year", type=int, metavar="YYYY",
                   help=f"{say}the year whose prices --deflator gives the figures in")


def add_locale(p: argparse.ArgumentParser) -> None:
    p.add_argument("--locale", default="en_GB", help="locale for amounts and dates (default en_GB)")


def check_locale(name: str) -> str:
    """--locale or the ledger's, as babel names it (POSIX's en_GB.UTF-8 is
    en_GB: ``ledger.rules.options.locale_name``)."""
    try:
        return locale_name(name)
    except OptionError as err:
        raise LedgerError(f"--locale: {err}") from None


# Messages printed one per problem stop after this many, with a count of the
# rest (a million-row junk table would otherwise print a million lines);
# LEDGER_TOOL_MAX_MESSAGES=0 prints them all.
MAX_MESSAGES = 200


def max_messages() -> int:
    text = os.environ.get("LEDGER_TOOL_MAX_MESSAGES", "").strip()
    n = int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else \
        MAX_MESSAGES if not text else -1
    if n < 0:    # "-5" is a mistake, not "no limit" (0 says that)
        raise LedgerError(f"LEDGER_TOOL_MAX_MESSAGES={text[:40]!r}: give a whole number "
                          f"from 0 (no limit) to 999999999999") from None
    return n if n > 0 else 10**12


def capped(items, where: str = "", *, line: Callable[[Any], str] = str) -> list[str]:
    """The first ``max_messages()`` of ``items`` (problems, or lines of
    text), each as ``line`` says it, then one line counting the rest
    (``where``: where all of them are, e.g. a rejects file).  When the cap
    bites the errors (``severity`` "error") come first, in their order,
    then the warnings, then the rest (notes, plain lines): a flood of
    warnings never hides an error, nor notes a warning.  ``items`` may be
    lazy: only the messages shown are held and worded."""
    kept = CappedMessages()
    for p in items:
        kept.add(p)
    return kept.lines(where, line=line)


class CappedMessages:
    """Messages as they come, for ``capped``: held only while the cap could
    still show them (the first errors, the first of the rest), the others
    counted."""

    def __init__(self) -> None:
        self.cap = max_messages()
        self.held: list = []               # in their order
        self.taken = [0, 0, 0]             # held, by rank
        self.count = 0

    def add(self, item) -> None:
        self.count += 1
        rank = _rank(item)
        if self.taken[rank] < self.cap:
            self.taken[rank] += 1
            self.held.append(item)

    def lines(self, where: str = "", *, line: Callable[[Any], str] = str) -> list[str]:
        """The messages ``capped`` prints, then the line counting the rest."""
        n = self.cap
        if self.count <= n:    # nothing cut: all of them, in their order
            return [line(p) for p in self.held]
        shown = sorted(self.held, key=_rank)[:n]     # stable: each rank in its order
        tail = f"... and {self.count - n:,} more message(s) not shown"
        tail += f" (all of them are in {where})" if where else \
            " (set LEDGER_TOOL_MAX_MESSAGES=0 to see them all)"
        return [line(p) for p in shown] + [tail]


def _rank(item) -> int:
    """Which come first when the cap cuts: errors, warnings, then the rest."""
    return {"error": 0, "warning": 1}.get(getattr(item, "severity", ""), 2)


def print_capped(items, where: str = "", prefix: str = "", *,
                 line: Callable[[Any], str] = str) -> None:
    for text in capped(items, where, line=line):
        print(f"{prefix}{text}", file=sys.stderr)


def load_ledger(path: str, quiet_warnings: bool = False, *, label: str = "ledger-tool"):
    """Load a ledger in any format (``ledger.read_book``) as a Book; on errors
    raise one LedgerError listing all of them.  Progress on long reads goes
    to stderr when it is a terminal."""

    progress = Progress(label)
    book = read_book(path, progress=progress.step)
    if progress.steps:
        progress.done()
    errs = book.errors
    if errs:
        raise LedgerError("\n".join(capped(errs))
                          + f"\n{len(errs)} error(s) in {path}; run 'ledger-tool check {path}'")
    if not quiet_warnings:
        print_capped(book.problems)
    return book


def rate_fallbacks(book) -> tuple[list[str], list[str]]:
    """Entries in a currency with no published exchange rates (the ECB's nor
    the ledger's rates.csv), said before a report needs them: (notes on those
    a conversion values by their own restatement, warnings for those it
    cannot convert at all)."""
    # the currencies, without building tables a small journal has not needed
    made = getattr(book, "_entries", None)
    codes = ({e.currency for e in made} if made is not None else
             set(book.tables.entries["currency"].astype(str).unique()))
    if codes <= ALWAYS_PUBLISHED:      # no need to load the rate tables (and pandas)
        return [], []
    from rates import ecb
    from reports.notes import restated_facts, restated_said

    try:   # every currency has the ECB's rates: no need to read them (0.1 s)
        if codes <= ecb.published():
            return [], []
    except LedgerError:
        pass   # said by whatever reads the rates

    stated, warns = restated_facts(book, codes)
    return restated_said(stated), warns


def refuse_bulk_table(command: str, ledger: str, instead: str) -> None:
    """The edits (add, cite, sources add/remove) write TOML journals; a bulk
    table or a partitioned dataset (a folder, where a TOML file written would
    stop it being read) is refused in one line saying what to do ``instead``."""

    fmt, _ = ledger_format(ledger)
    if fmt in ("csv", "parquet", "dataset"):
        kind = "a partitioned Parquet dataset" if fmt == "dataset" else f"a bulk table ({fmt})"
        raise LedgerError(f"{command}: {ledger} is {kind}; {instead}")


def report_edit(command: str, result, done: str, what: str) -> None:
    """What an edit of a journal did (``ledger.edit.AddResult``): its
    warnings, then ``done`` with the file and line; a dry run prints the
    text it would add on stdout and says that ``what`` is valid."""
    for w in result.warnings:
        print(f"ledger-tool: {command}: {w}", file=sys.stderr)
    if result.written:
        print(f"ledger-tool: {command}: {done} ({result.path}, line {result.line})",
              file=sys.stderr)
    else:
        sys.stdout.write(result.text)
        print(f"ledger-tool: {command}: dry run: {what} is valid and would go to "
              f"{result.path} (line {result.line}); nothing written", file=sys.stderr)


def ledger_folder_above(path: str | os.PathLike,
                        ours: Callable[[Path], bool] | None = None) -> Path | None:
    """The nearest ledger folder above ``path`` (``ledger.read.folder.is_ledger_folder``:
    what ``check`` reads as one ledger), or None."""
    found = folder_above(path, ours)
    return found if found is None else _as_written(found)


def _as_written(found: Path) -> Path:
    """The absolute ``found`` relative to the working folder when below it, as
    the user would write it."""
    return Path(os.path.relpath(found)) if found.is_relative_to(os.getcwd()) else found


def _head(p: Path) -> bytes:
    """The first bytes of the regular file ``p``, whatever its size (an
    output over the size cap is looked into, not taken as safe to replace)."""
    try:
        fd = open_checked(p, what="existing output", limit=1 << 62)
    except (LedgerError, OSError):
        return b""
    try:
        return os.read(fd, 1 << 16)
    except OSError:
        return b""
    finally:
        os.close(fd)


def _columns(head: bytes) -> set[str]:
    """The column names of a CSV file's first line (``head``), lower case."""
    first = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[:1]
    return {c.strip().lower() for c in next(csv.reader(first), [])}


def _our_table(names: set[str]) -> bool:
    """Columns of an export or a listing: an output, which --force may replace
    (the reader refuses either as a ledger)."""
    return LISTING_COLUMN in names or set(EXPORT_SIGNATURE) <= names


def reads_as_bulk_ledger(path: str | os.PathLike) -> bool:
    """``path`` is an existing bulk table the reader would read as a ledger: a
    .csv or .parquet file (or one starting like one, ``ledger_format``'s
    sniffing) with the reader's required columns (``ledger.read.table.REQUIRED``),
    not an export's or a listing's.  A Parquet file whose schema cannot be
    read is one too (it cannot be inspected, so it is not replaced).  A file
    reporting no size is not read (empty; or /proc's, as a link to
    /proc/kmsg, which reading would consume)."""
    p = Path(path)
    try:
        if check_file(p, what="table", limit=1 << 62).st_size == 0:
            return False
    except LedgerError:
        return False
    head = _head(p)
    if p.suffix.lower() in (".parquet", ".pq") or head.startswith(b"PAR1"):
        import pyarrow.parquet as pq   # only for an existing .parquet output

        try:
            names = {n.lower() for n in pq.read_schema(p).names}
        except (OSError, ValueError):   # pyarrow's ArrowInvalid is a ValueError
            return True
    elif p.suffix.lower() == ".csv" or {"id", "date", "amount"} <= _columns(head):
        names = _columns(head)
    else:
        return False
    return all(c in names for c in REQUIRED) and not _our_table(names)


def _journal_output(p: Path, rewritable: Callable[[Path], bool] | None) -> bool:
    """``p`` is an existing TOML journal (``journal_parse``, the one test)
    holding entries or documents, or one that cannot be read (too big, a
    syntax error): a one-file ledger, never replaced.  Not an earlier output
    of ours: one ``rewritable`` says the command wrote (extract's draft), an
    export's or a listing's table."""
    if not p.is_file():
        return False
    if p.suffix.lower() != ".toml" and ledger_format(p)[0] != "journal":
        return False
    got = journal_parse(p)
    if got is None or (rewritable is not None and rewritable(p)):
        return False
    if got[1] is None:   # cannot be inspected: a ledger's, unless our own table
        return not _our_table(_columns(_head(p)))
    return bool({"entry", "document"} & set(got[1]))


def _own_data(path: Path, ledger: Path) -> str | None:
    """Why ``path`` is the bulk table or dataset ``ledger``'s own data (the
    table itself, its documents table), or None."""
    if ledger.is_dir() and not is_dataset(ledger):
        return None
    real = real_path(path)
    if real == real_path(ledger):
        return f"is the ledger {ledger} itself"
    if real == real_path(documents_file(ledger)):
        return f"is the documents table of the ledger {ledger}"
    return None


def not_a_file(path: Path) -> str | None:
    """What ``path`` (a link followed) is when it exists and is neither a
    regular file nor a folder: "a character device", "a FIFO"...; None
    otherwise."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):   # absent, a dangling link, a name the system refuses
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return ("a character device" if stat.S_ISCHR(mode) else "a block device"
            if stat.S_ISBLK(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a socket"
            if stat.S_ISSOCK(mode) else "a special file")


# what a user may type for standard output; export writes there as for -o -
STDOUT_NAMES = ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def _a_stream(path: Path) -> bool:
    """``path`` is or leads to an open file of a process (/dev/stdout is a
    link to /proc/self/fd/1): the atomic write would replace the link itself,
    /dev/stdout of every process, when the stream is a regular file."""
    p = Path(os.path.abspath(path))
    try:
        for _ in range(40):     # each link on the way, not only where it ends
            if real_path(p.parent).is_relative_to("/proc"):
                return True
            if not p.is_symlink():
                return False
            p = Path(os.path.abspath(os.path.join(real_path(p.parent), os.readlink(p))))
    except (OSError, LedgerError):
        return False
    return False


def refuse_ledger_output(path: str | os.PathLike, ledgers: Iterable[str | os.PathLike] = (),
                         *, dataset: bool = False, folder: bool = False, append: bool = False,
                         rewritable: Callable[[Path], bool] | None = None) -> None:
    """The one check of every command that writes (report, export, extract
    --draft, import -o/--to): refuse (``LedgerError``, one line naming
    ``path`` and why), whatever --force says, an output that would overwrite
    a ledger's own data or be read as part of a ledger.  Made on ``path`` as
    written and on where it leads (a folder on the way may be a link):

    - ``path`` itself a ledger: a TOML journal (``_journal_output``; not for
      ``append``, import -o's journal, nor one ``rewritable`` says the command
      wrote itself, extract's earlier draft), a bulk table
      (``reads_as_bulk_ledger``) or the documents table beside one, a
      partitioned dataset or a file in one;
    - for each of ``ledgers`` and every ledger folder above ``path``
      (``ledger_folders_above``, not only the nearest), each once: the ledger itself, its documents
      table, one of its journal files or a new .toml file it would read, a
      document in its source archive (``ledger.safe_io.refuse_ledger``; for
      ``append`` only the archive); for a ``folder`` output, one holding the
      ledger or a journal file of it; for a ``dataset`` folder, one where the
      ledger reads files (its ``_ledger.toml`` would be read as one of the
      ledger's journal files);
    - ``path`` an existing device, FIFO or socket (``not_a_file``): a write
      replaces it with a file (as root, ``-o /dev/null --force`` would
      replace /dev/null).
    """
    if _a_stream(Path(path)):
        raise LedgerError(f"{path}: leads to a process's open file under /proc (standard "
                          f"output, a pipe); ledger-tool writes an output only as a file or "
                          f"folder of its own (only export writes to standard output: export -o -)")
    if (what := not_a_file(Path(path))) is not None:
        raise LedgerError(f"{path}: is {what}, not a regular file; ledger-tool writes an "
                          f"output only as a file or folder of its own (choose another output)")
    done: set[Path] = set()
    typed = Path(os.path.abspath(path))
    for where in dict.fromkeys((typed, real_path(typed))):
        _refuse_at(path, where, ledgers, done, dataset=dataset, folder=folder, append=append,
                   rewritable=rewritable)


def _refuse_at(path, where: Path, ledgers, done: set[Path], *, dataset: bool, folder: bool,
               append: bool, rewritable: Callable[[Path], bool] | None) -> None:
    """``refuse_ledger_output`` for the output at ``where`` (``path`` as
    written, or where it leads); ``done``: the ledgers already checked."""
    p = Path(path)
    inside = next((d for d in where.parents if is_dataset(d)), None)
    if (inside is not None or is_dataset(where)) and not dataset:   # one of its partitions
        what = (f"inside the partitioned dataset {inside}, it would be read as part of it"
                if inside is not None else "is a partitioned Parquet dataset (a ledger)")
        raise LedgerError(f"{path}: {what}; ledger-tool never writes into a ledger (choose "
                          f"another output)")
    # every ledger folder above, not only the nearest: an outer one's archive
    # may hold a folder that is a ledger folder of its own (archived journals)
    for ledger in itertools.chain(ledgers, map(_as_written, ledger_folders_above(where, rewritable))):
        lp = Path(ledger)
        if not lp.exists() or real_path(lp) in done:
            continue
        done.add(real_path(lp))
        if dataset:
            if not lp.is_dir():
                continue
            root, real = real_path(ledger), real_path(path)
            if real == root or not real.is_relative_to(root):
                continue
            rel = (*real.relative_to(root).parts, "_ledger.toml")
            if unread_reason(rel, archive_parts(root)) is None:
                raise LedgerError(f"{path}: inside the ledger folder {ledger}, its "
                                  f"_ledger.toml would be read as one of the ledger's "
                                  f"journal files; choose a folder outside the ledger")
            continue
        if not folder and (why := _own_data(p, lp)) is not None:
            raise LedgerError(f"{path}: {why}; ledger-tool never overwrites a ledger's data "
                              f"(choose another output)")
        refuse_ledger(path, ledger, folder=folder, append=append)
    if dataset or folder:
        return
    for ledger in _one_file_ledgers_around(where):   # their archives beside them
        # the output itself is judged above (_journal_output, with ``rewritable``)
        if real_path(ledger) not in done and real_path(ledger) != real_path(where):
            done.add(real_path(ledger))
            refuse_ledger(path, ledger, append=append)
    why = None
    if reads_as_bulk_ledger(where):
        why = "is a bulk table ledger (its rows are read as entries)"
    elif (table := _bulk_beside(where)) is not None:
        why = f"is the documents table of the bulk table ledger {table}"
    elif not append and _journal_output(where, rewritable):
        why = "holds journal entries (a ledger), or cannot be read to tell"
    if why is not None:
        raise LedgerError(f"{path}: {why}; ledger-tool never overwrites a ledger's data "
                          f"(choose another output)")


def ledgers_around(files: Iterable[str | os.PathLike], skip: set[Path] | None = None
                   ) -> Iterator[Path]:
    """Every ledger whose source archive may hold one of ``files``, as
    ``refuse_ledger_output`` finds them to protect it, around each file as
    written and where it leads (a folder on the way may be a link): the
    ledger folders above it (``ledger_folders_above``) and the one-file
    ledgers beside them (``_one_file_ledgers_around``).  Lazily, each once;
    none whose real path is in ``skip`` (the ledger's own files), which is
    not read.  ``sources remove`` keeps an archived file any of them records."""
    done = set(skip or ())
    for f in files:
        typed = Path(os.path.abspath(f))
        for where in dict.fromkeys((typed, real_path(typed))):
            for ledger in ledger_folders_above(where):
                if (real := real_path(ledger)) not in done:
                    done.add(real)
                    yield ledger
            yield from _one_file_ledgers_around(where, done)


def _one_file_ledgers_around(where: Path, skip: set[Path] | None = None) -> Iterable[Path]:
    """The one-file ledgers (a journal, ``is_journal_head``, or a bulk table)
    in the folders above ``where`` whose source archive beside them may hold
    it: ``sources/``, or a journal's own ``archive`` option (named in its
    text; a big journal's is read from its head by ``safe_io.archive_parts``;
    in ``where``'s own folder, one that may be ``"."``).
    A .toml file counts only holding records (``_keeps_records``: not an
    empty one, a tool's config).  ``refuse_ledger`` then decides, as for the
    ledger given: any of them, not only that one, keeps its documents.
    ``skip``: real paths not to read, and where those read are added."""
    if not (where.exists() or where.is_symlink()):
        return      # refuse_ledger protects an existing document only
    for d in where.parents:
        rel = where.relative_to(d).parts
        # in the file's own folder, an archive "." (a one-file ledger's folder)
        first = rel[0] if len(rel) > 1 else ""
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for n in names:
            f, low = d / n, n.lower()
            if n.startswith(".") or not f.is_file():
                continue
            if low.endswith(".toml"):
                if n != OPTIONS_FILE and _may_name(f, first) and _unseen(f, skip) \
                        and _keeps_records(f, d):
                    yield f
            elif low.endswith(BULK_SUFFIXES) and first == DEFAULT_ARCHIVE \
                    and _unseen(f, skip) and reads_as_bulk_ledger(f):
                yield f


def _unseen(f: Path, skip: set[Path] | None) -> bool:
    """``f`` not in ``skip`` (real paths) yet, and now added; True without one."""
    if skip is None:
        return True
    real = real_path(f)
    if real in skip:
        return False
    skip.add(real)
    return True


def _may_name(journal: Path, first: str) -> bool:
    """The journal's archive may start with the folder ``first``: the default
    ``sources`` unless it names another, or a name its text holds (a big
    journal's, any: ``safe_io.archive_parts`` reads its head); ``first``
    empty: its archive may be its own folder, an ``archive`` key it holds.  Only a
    regular file reporting a size is read (not /proc's, as a link to
    /proc/kmsg: reading would consume it)."""
    if first == DEFAULT_ARCHIVE:
        return True
    try:
        st = check_file(journal, what="journal file")
        if st.st_size > OPTIONS_MAX_BYTES:
            return True
        raw = read_bytes(journal, limit=OPTIONS_MAX_BYTES) if st.st_size else b""
    except (LedgerError, OSError):
        return False
    return (first or "archive").encode() in raw or b"\\" in raw


def _keeps_records(journal: Path, folder: Path) -> bool:
    """The .toml file ``journal`` in ``folder`` is a one-file ledger: a journal
    (``is_journal_head``) holding an [[entry]] or a [[document]], or one that
    cannot be read to tell; not an empty or comment-only TOML file (a tool's
    config).  One over HEAD_BYTES whose head is a journal's counts from its
    head alone; one whose head is another table's is parsed whole, as it may
    be broken after its head, which ``journal_parse`` counts."""
    try:
        size = check_file(journal, what="journal file").st_size
    except LedgerError:
        size = -1
    if size == 0:
        return False      # an empty file (or /proc's, never read)
    # a small one: is_journal_head would parse it whole too, so once here
    if not 0 < size <= HEAD_BYTES and is_journal_head(journal, folder):
        return True       # not parsed whole: a journal's head is one's (none has only options)
    got = journal_parse(journal, folder)
    if got is None:
        return False
    if got[1] is None:    # cannot be parsed: the careful side, unless only blank
        return not (got[2] and all(p.code == "empty-file" for p in got[2]))
    return bool({"entry", "document"} & set(got[1]))


def _bulk_beside(p: Path) -> Path | None:
    """The bulk table ledger whose documents table (NAME.documents.csv,
    ``ledger.read.documents.documents_file``) the existing file ``p`` is."""
    if not p.is_file() or not p.name.endswith(BULK_SUFFIX):
        return None
    stem = p.name[:-len(BULK_SUFFIX)]
    return next((t for ext in (".csv", ".parquet", ".pq")
                 if documents_file(t := p.with_name(stem + ext)) == p and reads_as_bulk_ledger(t)),
                None)
