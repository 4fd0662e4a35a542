"""ledger-tool's core: the pledge ledger, its journal files and checks.

    >>> import ledger, rates
    >>> book = ledger.load("examples/calais")      # a journal, or bulk .csv / .parquet
    >>> frame = rates.to_frame(book, currency="GBP")   # valued: rates takes the Book

``load`` is the one entry point: every command and the Python API read a
ledger through it, whatever its format (``ledger.read`` chooses the
reader by the input), and get a ``ledger.book.Book``.
"""
from __future__ import annotations

from pathlib import Path

from ledger.book import Book
from ledger.errors import LedgerError
from ledger.model import Document, Entry, Problem

__all__ = ["Book", "Entry", "Ledger", "load", "read_book", "load_journal", "LedgerError"]


def Ledger(entries, documents: dict[str, Document] | None = None, options: dict | None = None,
           root: Path | None = None, problems: tuple[Problem, ...] = ()) -> Book:
    """A Book over ``Entry`` objects (the older constructor, kept for the API)."""
    return Book.from_entries(entries, documents or {}, options or {}, problems, root)


def load_journal(path: str | Path, parsed: dict | None = None):
    """Read and check a TOML journal entry by entry without raising for bad input.

    Returns ``(entries, documents, problems, options)``; ``problems`` holds
    errors and warnings from reading and from the cross-entry checks.
    ``parsed``: TOML already parsed (``ledger.read.journal.read_journal``).
    """
    from ledger.rules.checks import check_all
    from ledger.read.journal import read_journal
    from ledger.memory import gc_paused

    j = read_journal(path, parsed)
    problems = list(j.problems)
    with gc_paused():   # the checks make many short-lived objects, none cyclic
        problems.extend(check_all(j.entries, j.documents, j.rejected))
    return j.entries, j.documents, problems, j.options


def read_book(path: str | Path, *, use_cache: bool = True, progress=None) -> Book:
    """The ledger at ``path`` (journal file or folder, bulk CSV or Parquet)
    as a Book with every problem found; never raises for bad input.
    (``ledger.imports`` is the package of readers of published data.)"""
    from ledger.read import read_book
    return read_book(path, use_cache=use_cache, progress=progress)


def load(path: str | Path, *, use_cache: bool = True, progress=None) -> Book:
    """Load a ledger (any format, see ``read_book``); raise ``LedgerError``
    listing every error if there are any.  Warnings stay in ``Book.problems``."""
    book = read_book(path, use_cache=use_cache, progress=progress)
    errs = book.errors
    if errs:
        raise LedgerError(f"{len(errs)} problem(s) in {path}:\n" + "\n".join(str(p) for p in errs))
    return book
