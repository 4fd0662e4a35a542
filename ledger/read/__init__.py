"""Which reader reads a ledger, chosen by the input (never by size alone).

- a folder, or a ``.toml`` file: the TOML journal, read column-wise
  (``ledger.read.journal_columns``); from ``ledger.read.journal_columns.MIN_BYTES``
  on, through ``ledger.read.cache`` (the cached Book, else the column reader);
- ``.csv`` / ``.parquet`` (or a file that starts like one): the bulk format
  of ``ledger.read.table``, its documents in ``NAME.documents.csv`` beside
  it (``ledger.read.documents``);
- anything else: refused with one line saying what a ledger is.

``read_book(path)`` never raises for bad input: problems travel in the
Book.  ``ledger.load(path)`` raises one ``LedgerError`` listing the errors.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ledger.book import Book
from ledger.model import Problem
from ledger.read.cache import CachedLedger, load_book
from ledger.read.dataset import read_dataset_book
from ledger.read.documents import read_bulk_ledger
from ledger.read.journal_columns import read_journal_book, worth_caching
from ledger.read.table import bulk_book, read_bulk_book  # noqa: F401 - bulk_book: a dataset's partitions
from ledger.safe_io import UnsafeFile, archive_parts, check_file, open_checked

__all__ = ["ledger_format", "read_book", "load_frame", "archived_journals", "FORMATS"]

FORMATS = ("journal", "csv", "parquet", "dataset")
_SUFFIXES = {".toml": "journal", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
WHAT_A_LEDGER_IS = ("a ledger is a TOML journal (a .toml file or a folder of them) or a bulk "
                    "table (.csv or .parquet, one row per entry and purpose)")


def ledger_format(path: str | Path) -> tuple[str | None, str]:
    """``(format, '')`` or ``(None, why not)`` for the ledger at ``path``."""
    path = Path(path)
    if not path.exists():
        return None, "no such file or folder"
    if path.is_dir():   # NAME.parquet/: a partitioned dataset (ledger.read.dataset)
        return ("dataset", "") if path.suffix.lower() == ".parquet" else ("journal", "")
    # before any reader opens it: a FIFO, a device or an oversized file is refused
    # for every format (the bulk readers open files in native code)
    try:
        check_file(path, what="ledger file")
    except UnsafeFile as err:
        return None, err.reason
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt:
        return fmt, ""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as err:
        return None, f"cannot read it ({err.strerror or err})"
    if head.startswith(b"PAR1"):
        return "parquet", ""
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").strip()
    names = {c.strip().strip('"').lower() for c in first.split(",")}
    if {"id", "date", "amount"} <= names:
        return "csv", ""
    if b"[[entry]]" in head or b"[[document]]" in head or b"[ledger]" in head:
        return "journal", ""
    return None, f"cannot tell what kind of ledger this is: {WHAT_A_LEDGER_IS}"


_ENTRY_TABLE = re.compile(rb"^[ \t]*\[\[[ \t]*entry[ \t]*\]\]", re.M)
ARCHIVE_HEAD = 1 << 20    # bytes of an archived .toml looked at for [[entry]] tables


def archived_journals(path: Path) -> list[Problem]:
    """A warning for each ``.toml`` file in the ledger folder's source archive
    (``ledger.safe_io.archive_parts``) whose first ARCHIVE_HEAD bytes hold an
    ``[[entry]]`` table: the reader skips the archive, so its entries would
    drop out of every total unsaid."""
    archive = archive_parts(path) if path.is_dir() else None
    folder = path.joinpath(*archive) if archive else None
    if folder is None or not folder.is_dir():
        return []
    shown = "/".join(archive or ())
    out = []
    for f in sorted(folder.rglob("*.toml")):
        if any(part.startswith(".") for part in f.relative_to(folder).parts):
            continue
        try:
            fd = open_checked(f, inside=path, what="archived file")
        except (UnsafeFile, OSError):
            continue
        try:
            head = os.read(fd, ARCHIVE_HEAD)
        except OSError:
            continue
        finally:
            os.close(fd)
        if _ENTRY_TABLE.search(head):
            out.append(Problem(str(f), 0, "", f"holds entries but is in the source archive, "
                                              f"which the ledger does not read: move it out of "
                                              f"{shown}/ to count it", severity="warning",
                               code="archived-journal"))
    return out


def read_book(path: str | Path, *, use_cache: bool = True, progress=None) -> Book:
    """The ledger at ``path`` as a Book, with every problem found; never
    raises for bad input.  ``progress``: called with a short note before each
    long step (big ledgers)."""
    path = Path(path)
    fmt, why = ledger_format(path)
    if fmt is None:
        return Book.from_entries((), problems=[Problem(str(path), 0, "", why, code="not-a-ledger")],
                                 root=path if path.is_dir() else path.parent)
    if fmt in ("csv", "parquet"):   # its documents in NAME.documents.csv, if any
        return read_bulk_ledger(path, fmt)
    if fmt == "dataset":
        return read_dataset_book(path)
    book = (load_book(path, use_cache=use_cache, progress=progress) if worth_caching(path)
            else read_journal_book(path, progress))   # the cache: big enough to be worth it
    archived = archived_journals(path)
    if archived:
        book.problems = (*book.problems, *archived)
    return book


def load_frame(path: str | Path, *, use_cache: bool = True, progress=None) -> CachedLedger:
    """The ledger at ``path`` as the base frame for ``rates.normalise.normalise``,
    with its problems (the Python API, the benchmarks): the Book ``read_book``
    reads, a journal's always through the cache (``use_cache``)."""
    path = Path(path)
    fmt, _ = ledger_format(path)
    if fmt == "journal":
        book = load_book(path, use_cache=use_cache, progress=progress)
        book.problems = (*book.problems, *archived_journals(path))
    else:
        book = read_book(path, use_cache=use_cache, progress=progress)
    return CachedLedger(book.frame(), book.problems, book.options, book.documents,
                        book.root or (path if path.is_dir() else path.parent),
                        getattr(book, "cache_hit", False), len(book))
