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

__all__ = ["Book", "Entry", "Ledger", "load", "read_book", "LedgerError"]


def Ledger(entries, documents: dict[str, Document] | None = None, options: dict | None = None,
           root: Path | None = None, problems: tuple[Problem, ...] = ()) -> Book:
    """A Book over ``Entry`` objects (the older constructor, kept for the API)."""
    return Book.from_entries(entries, documents or {}, options or {}, problems, root)


# The readers are imported when first called, not with the package: every
# command imports ``ledger.errors``, hence this module, before it parses its
# arguments, and the reading stack (TOML, phrases, rules) would triple the
# start-up of ``ledger-tool --help``.  ``ledger.read`` never imports this
# module back.

def read_book(path: str | Path, *, use_cache: bool = True, progress=None) -> Book:
    """The ledger at ``path`` (journal file or folder, bulk CSV or Parquet)
    as a Book with every problem found; never raises for bad input."""
    from ledger.read import read_book as read
    return read(path, use_cache=use_cache, progress=progress)


def load(path: str | Path, *, use_cache: bool = True, progress=None) -> Book:
    """Load a ledger (any format, see ``read_book``); raise ``LedgerError``
    listing every error if there are any.  Warnings stay in ``Book.problems``."""
    book = read_book(path, use_cache=use_cache, progress=progress)
    errs = book.errors
    if errs:
        raise LedgerError(f"{len(errs)} problem(s) in {path}:\n" + "\n".join(str(p) for p in errs))
    return book
