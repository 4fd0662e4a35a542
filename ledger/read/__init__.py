"""Which reader reads a ledger, chosen by the input (never by size alone).

- a folder, or a ``.toml`` file: the TOML journal.  Small journals are read
  entry by entry (no pandas needed: ``check`` on a small ledger starts fast);
  from ``ledger.read.journal_columns.MIN_BYTES`` on, through ``ledger.read.cache`` (the
  cached Book, else the column reader, else the entry-by-entry reader that
  words every problem);
- ``.csv`` / ``.parquet`` (or a file that starts like one): the bulk format
  of ``ledger.read.table``;
- anything else: refused with one line saying what a ledger is.

``read_book(path)`` never raises for bad input: problems travel in the
Book.  ``ledger.load(path)`` raises one ``LedgerError`` listing the errors.
"""
from __future__ import annotations

from pathlib import Path

from ledger.book import Book
from ledger.model import Problem

__all__ = ["ledger_format", "read_book", "FORMATS"]

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
    from ledger.safe_io import UnsafeFile, check_file
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


def _root(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def read_book(path: str | Path, *, use_cache: bool = True, progress=None) -> Book:
    """The ledger at ``path`` as a Book, with every problem found; never
    raises for bad input.  ``progress``: called with a short note before each
    long step (big ledgers)."""
    path = Path(path)
    fmt, why = ledger_format(path)
    if fmt is None:
        return Book.from_entries((), problems=[Problem(str(path), 0, "", why, code="not-a-ledger")],
                                 root=_root(path))
    if fmt in ("csv", "parquet"):
        return read_bulk_book(path, fmt)
    if fmt == "dataset":
        from ledger.read.dataset import read_dataset_book
        return read_dataset_book(path)
    from ledger.read.journal_columns import worth_reading_by_columns
    if worth_reading_by_columns(path):
        from ledger.read.cache import load_book
        return load_book(path, use_cache=use_cache, progress=progress)
    from ledger import load_journal
    entries, documents, problems, options = load_journal(path)
    return Book.from_entries(entries, documents, options, problems, _root(path))


def read_bulk_book(path: Path, fmt: str) -> Book:
    """A bulk CSV / Parquet file as a Book (``ledger.read.table``'s checks)."""
    from ledger.read.table import read_table

    fname = str(path)
    try:
        raw = read_table(path)
    except Exception as err:  # pyarrow's message names the row
        return Book.from_entries((), problems=[
            Problem(fname, 0, "", f"cannot read the table: {err}".strip(),
                    code="unreadable-table")], root=_root(path),
            source=fmt)
    return bulk_book(raw, fname, _root(path), fmt)[0]


def bulk_book(raw, fname: str, root, fmt: str, *, links_elsewhere: bool = False):
    """(the Book of a bulk table read by ``read_table``, each entry's first
    row in it).  ``links_elsewhere``: links may name entries of other tables
    (a dataset's partitions): they are not checked here, only kept."""
    import numpy as np
    import pandas as pd
    import pyarrow.compute as pc

    from ledger.model import LINK_KINDS
    from ledger.read.table import _build

    checked = raw
    if links_elsewhere:
        checked = raw.drop_columns([k for k in LINK_KINDS if k in raw.column_names])
        linked = np.zeros(raw.num_rows, dtype=bool)
        for k in LINK_KINDS:
            if k in raw.column_names:
                linked |= pc.not_equal(raw.column(k), "").to_numpy(zero_copy_only=False)
    kept: list = []
    frame, problems = _build(checked, fname, None, kept=kept)
    if frame is None:
        return Book.from_entries((), problems=problems, root=root, source=fmt), np.zeros(0, int)
    keep = kept[0] if kept else None
    if links_elsewhere:
        frame["primary"] = ~(linked if keep is None else linked[keep])
    # per entry: its first row in the file (rows of one entry are next to each other)
    rows = np.arange(raw.num_rows) if keep is None else np.flatnonzero(keep)
    ids = raw.column("id").to_numpy() if "id" in raw.column_names else None
    if ids is not None and len(rows):
        sub = ids[rows]
        first = rows[np.r_[True, sub[1:] != sub[:-1]]]
    else:
        first = rows[:0]
    extras: dict = {}
    names = raw.column_names
    for k in ("disburses", "part_of", "restates"):
        if k in names:
            extras[k] = raw.column(k).to_numpy()[first]
    if "sources" in names and len(first):
        lists = pc.split_pattern(raw.column("sources").take(first), ";")
        docs = pc.utf8_trim_whitespace(pc.list_flatten(lists)).to_numpy(zero_copy_only=False)
        parent = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        ok = docs != ""
        extras["citations"] = pd.DataFrame({
            "entry": parent[ok].astype("int64"), "doc": docs[ok].astype(object),
            "quote": np.full(int(ok.sum()), "", dtype=object),
            "locator": np.full(int(ok.sum()), "", dtype=object)})
    return Book.from_frame(frame, extras, {}, {}, problems, root, source=fmt), first
