"""A cache of the parsed ledger, keyed by the content of its files.

Reading a big journal means parsing TOML and every amount and period phrase;
beancount keeps a pickle of its parsed ledger for the same reason.  Measured
(benchmarks/README.md): pickling ``Entry`` objects does not pay at scale
(unpickling 100,000 frozen dataclasses takes about as long as parsing them),
so the cache keeps the Book (``ledger.book``) itself, in columnar form:

- each of its tables (entries, allocations, citations, links) as an Arrow
  IPC file, read back in a fraction of a second for a million rows;
- the problems (errors and warnings), the options and the documents, pickled.

``load_book(path)`` returns the Book from the cache when the ledger's files
are byte for byte the ones cached (and ledger-tool's own reader is the same
version), and otherwise reads, checks and caches it.

When are the files "the ones cached"?  Hashing every byte costs 0.6 s for
a 263 MB journal, so, as git does for its index, the cache also keeps each
file's ``stat`` (``_signature``): path, size, mtime and ctime in nanoseconds,
inode and device.  When every journal file's stat is what it was when its
bytes were hashed, the stored hash is used without reading the files; any
difference (a file added, removed, renamed, resized, written or touched)
hashes the bytes again, and the bytes decide.  Why that is safe:

- writing a file, or setting its mtime back (``touch -d``, ``os.utime``,
  ``cp -p``, ``rsync -t``), sets its ctime to the current time, and no
  program can set a ctime back (short of setting the system clock back);
  a file replaced by another (a rename, an editor's save) has a new inode;
- a file that changes twice within one tick of the file system's clock
  keeps its times: so a file whose mtime or ctime lies within ``RACY_NS``
  (2 s: FAT's granularity, and more than Linux's coarse clock) of the moment
  it was hashed is never trusted by its stat (git's "racily clean" rule);
  its bytes are hashed every time until it has been quiet that long;
- the stat is taken before the bytes are read and again after: a file that
  changed while being hashed is not trusted either.

What it assumes: a file system with working ctime and inode numbers (local
file systems and NFS do), and a system clock not set back.  Where that
cannot be promised, ``LEDGER_TOOL_CACHE_VERIFY=1`` hashes every byte every
time.  Bulk files
(``.csv``/``.parquet``) are already columnar: ``ledger.read`` reads them
directly.  ``ledger.read.load_frame`` (the base frame of ``rates.normalise`` with the
problems) is kept for the benchmarks and the Python API.

Where: ``$LEDGER_TOOL_CACHE`` if set (``off`` disables the cache), else
``$XDG_CACHE_HOME/ledger-tool`` or ``~/.cache/ledger-tool``; one entry per
ledger path (a new version replaces the old), written atomically.  A cache
that cannot be read or written is ignored: it never changes a result.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from ledger.errors import LedgerError
from ledger.book import Book, Tables
from ledger.cachedir import map_sealed, cache_dir, read_sealed, write_sealed
from ledger.model import Problem
from ledger.read.journal_columns import read_journal_book
from ledger.read.table import _category
from ledger.safe_io import check_file, journal_files, read_bytes
from ledger.versions import installed_version

__all__ = ["CachedLedger", "cache_dir", "journal_key", "load_book", "clear"]

# 4: the Book's tables (ledger.book), one Arrow file each; 5: Categoricals as
# dictionaries; 6: Arrow decimals kept; 7: the journal files' stats in the meta;
# 8: the entries' value_date
FORMAT = 8


def _code_files() -> list[Path]:
    """ledger-tool's own modules whose code may decide what a journal reads
    as: every module of the model layer (a list kept by hand missed the
    shared rules and limits)."""
    return sorted(Path(__file__).resolve().parents[1].rglob("*.py"))


class CachedLedger(NamedTuple):
    frame: Any                      # pandas DataFrame, rates.normalise.ENTRY_COLUMNS
    problems: tuple[Problem, ...]   # errors and warnings, as the reader gives them
    options: dict
    documents: dict
    root: Path
    hit: bool                       # True when read from the cache
    entries: int = 0                # entries read (those with errors left out)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _code_fingerprint() -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT} {sys.version_info[:3]}".encode())
    for f in _code_files():
        h.update(f"\0{f.name}\0".encode())
        try:
            h.update(f.read_bytes())
        except OSError:
            pass
    for mod in ("babel", "pint", "toml_rs", "pandas", "pyarrow"):
        h.update(f"{mod}={installed_version(mod)}".encode())
    return h.digest()


def journal_key(path: str | Path) -> str:
    """A hash of every journal file's name and bytes, and of the reader's code."""
    return _hash_journal(Path(path))[0]


# a file whose mtime or ctime is this close to the moment it was hashed is
# not trusted by its stat (see the module doc)
RACY_NS = 2_000_000_000


def _stat_of(st: os.stat_result) -> tuple:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _hash_journal(path: Path) -> tuple[str, tuple]:
    """(the key: a hash of the reader's code and every journal file's name
    and bytes, the signature: the code's hash and each file's stat, None for
    a file whose stat cannot be trusted)."""


    code = _code_fingerprint()
    h = hashlib.sha256()   # twice blake2b's speed where the CPU has SHA instructions
    h.update(code)
    stats = []
    for f in journal_files(path):
        name = str(f.relative_to(path)) if path.is_dir() else f.name
        before = _stat_of(os.stat(f))
        data = read_bytes(f, inside=path if path.is_dir() else None, what="journal file")
        after = _stat_of(os.stat(f))
        h.update(f"\0{name}\0{len(data)}\0".encode())
        h.update(data)
        quiet = max(after[1], after[2]) < time.time_ns() - RACY_NS
        stats.append((name, after if (before == after and quiet) else None))
    return h.hexdigest(), (code, tuple(stats))


def _signature(path: Path) -> tuple:
    """The code's hash and each journal file's stat now (checked as the
    reader checks them: regular files inside the ledger's folder)."""

    inside = path if path.is_dir() else None
    stats = []
    for f in journal_files(path):
        name = str(f.relative_to(path)) if path.is_dir() else f.name
        check_file(f, inside=inside, what="journal file")
        stats.append((name, _stat_of(os.stat(f))))
    return _code_fingerprint(), tuple(stats)


def _verify_every_time() -> bool:
    return os.environ.get("LEDGER_TOOL_CACHE_VERIFY", "").strip().lower() not in (
        "", "0", "off", "no", "false")


def _slot(path: Path) -> str:
    return hashlib.blake2b(str(path.resolve()).encode(), digest_size=10).hexdigest()


def load_book(path: str | Path, *, use_cache: bool = True, progress=None):
    """The journal at ``path`` as a ``ledger.book.Book``; from the cache when
    its files have not changed, else read (``read_journal_book``) and cached.  Never raises for
    bad input (the problems say what is wrong).  ``progress``: called with a
    short note before each long step."""
    path = Path(path)
    root = path if path.is_dir() else path.parent
    folder = cache_dir() if use_cache and path.exists() else None
    key = signature = None
    if folder is not None:
        try:
            slot = _slot(path)
            meta = _read_meta(folder, slot)
            if meta is not None and not _verify_every_time() \
                    and meta.get("signature") == _signature(path):
                # every file as it was when hashed: the stored hash holds
                got = _read(folder, slot, str(meta.get("key")), root, meta)
                if got is not None:
                    return got
            key, signature = _hash_journal(path)
            if meta is not None and meta.get("key") == key:
                got = _read(folder, slot, key, root, meta)
                if got is not None:
                    if meta.get("signature") != signature:   # same bytes, new stats
                        _write_meta(folder, slot, {**meta, "signature": signature})
                    return got
        except (OSError, LedgerError):   # the reader below says what is wrong
            key = None

    book = read_journal_book(path, progress)
    if folder is not None and key is not None:
        if progress is not None:
            progress("caching the parsed ledger")
        try:
            _write(folder, _slot(path), key, book, signature)
        except Exception as err:  # a cache that cannot be written is skipped, with a note
            print(f"ledger-tool: note: cache not written ({err})", file=sys.stderr)
    return book


# Columns kept as Decimal objects in the frame; stored as text (exact).
_DECIMALS = ("amount", "entry_amount", "years")
# Booleans and the entry index stay numpy columns; other text is text.


_TABLES = ("entries", "allocations", "citations", "links")


def _read_meta(folder: Path, slot: str) -> dict | None:


    data = read_sealed(folder, f"{slot}.meta")   # planted or altered: None
    if data is None:
        return None
    try:
        meta = _MetaUnpickler(io.BytesIO(data)).load()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            ValueError, TypeError):
        return None
    return meta if isinstance(meta, dict) else None


class _MetaUnpickler(pickle.Unpickler):
    """Reads back only what ``_write`` stores (dicts, tuples, text, numbers,
    dates, Decimals, ``Problem`` and ``Document``): a metadata file that names
    any other class, e.g. one planted in a shared LEDGER_TOOL_CACHE folder to
    run code, is refused (an ``UnpicklingError``: the cache is then a miss)."""

    ALLOWED = {("ledger.model", "Problem"), ("ledger.model", "Document"),
               ("datetime", "date"), ("datetime", "datetime"), ("datetime", "timedelta"),
               ("decimal", "Decimal"), ("builtins", "set"), ("builtins", "frozenset")}

    def find_class(self, module: str, name: str):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"the cache's metadata names {module}.{name}")


def _write_meta(folder: Path, slot: str, meta: dict) -> None:
    try:
        write_sealed(folder, f"{slot}.meta", pickle.dumps(meta, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, LedgerError):   # a cache that cannot be written is skipped
        pass


def _read(folder: Path, slot: str, key: str, root: Path, meta: dict | None = None):
    """The cached Book, or None when the cache does not hold it whole: any
    damage to the cache files (a wrong field, a truncated table) is a miss,
    never a traceback (the cache never changes a result)."""
    try:
        return _read_tables(folder, slot, key, root, meta)
    except Exception:   # noqa: BLE001 - whatever the damage, the journal is read instead
        return None


def _read_tables(folder: Path, slot: str, key: str, root: Path, meta: dict | None = None):

    if meta is None:
        meta = _read_meta(folder, slot)
    if meta is None or meta.get("key") != key:
        return None
    known: dict = meta
    import pyarrow as pa
    import pyarrow.ipc as ipc

    frames = {}
    kept = known.get("tables")
    trusted: dict = kept if isinstance(kept, dict) else {}
    settled = {}
    for name in _TABLES:
        # memory-mapped; its seal checked unless its identity is the one the
        # (sealed) metadata keeps from an earlier check (ledger.cachedir)
        data, settled[name] = map_sealed(folder, f"{slot}.{name}.arrow", trusted.get(name))
        if data is None:   # planted or altered
            return None
        try:
            table = ipc.open_file(pa.py_buffer(data)).read_all()
        except (OSError, pa.ArrowInvalid):
            return None
        if table.schema.metadata is None or table.schema.metadata.get(b"key") != key.encode():
            return None
        frames[name] = _from_arrow(table)
    if None not in settled.values() and settled != trusted:   # checked once, not each run
        known["tables"] = settled
        _write_meta(folder, slot, known)
    book = Book(tables=Tables(*(frames[n] for n in _TABLES)), documents=known["documents"],
                options=known["options"], problems=known["problems"], root=root,
                source="journal")
    book.cache_hit = True
    return book


def _write(folder: Path, slot: str, key: str, book, signature=None) -> None:
    import pyarrow as pa
    import pyarrow.ipc as ipc


    t = book.tables
    for name in _TABLES:
        table = _to_arrow(getattr(t, name)).replace_schema_metadata({b"key": key.encode()})
        sink = pa.BufferOutputStream()
        with ipc.new_file(sink, table.schema) as w:
            w.write_table(table)
        write_sealed(folder, f"{slot}.{name}.arrow", sink.getvalue())
    meta = {"key": key, "signature": signature, "problems": tuple(book.problems),
            "options": book.options, "documents": book.documents, "entries": len(book)}
    write_sealed(folder, f"{slot}.meta", pickle.dumps(meta, protocol=pickle.HIGHEST_PROTOCOL))


def _to_arrow(frame):
    import pandas as pd
    import pyarrow as pa

    cols = {}
    for c in frame.columns:
        s = frame[c]
        arrow = getattr(s.array, "_pa_array", None) if isinstance(
            s.array, pd.arrays.ArrowExtensionArray) else None
        if arrow is not None:   # Arrow decimals (exact) and text stay as they are
            cols[c] = arrow
        elif isinstance(s.dtype, pd.CategoricalDtype):
            # kept as codes + categories: read back without encoding again
            codes = s.cat.codes.to_numpy().astype("int32")
            cats = pa.array(s.cat.categories.to_numpy(dtype=object), pa.string())
            cols[c] = pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), cats)
        elif c in _DECIMALS:
            vals = s.to_numpy(dtype=object)
            cols[c] = pa.array([None if v is None else format(v, "f") for v in vals],
                               pa.string())
        elif s.dtype == object or str(s.dtype) in ("str", "string"):
            cols[c] = pa.array(s.to_numpy(dtype=object), pa.string(), from_pandas=True)
        else:
            cols[c] = pa.array(s.to_numpy())
    return pa.table(cols)


def _from_arrow(table):

    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    out = {}
    for name, col in zip(table.column_names, table.columns):
        if pa.types.is_decimal(col.type):   # exact, as written
            col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
            out[name] = pd.arrays.ArrowExtensionArray(col)
            continue
        if name in _MONEY and col.null_count == 0:
            dec = _arrow_decimals(col)
            if dec is not None:   # exact Arrow decimals, Decimal objects on demand
                out[name] = pd.arrays.ArrowExtensionArray(dec)
                continue
        if pa.types.is_dictionary(col.type):   # a Categorical, as written
            col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
            codes = col.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            cats = pd.Index(pd.array(col.dictionary.to_pylist(), dtype="str"))
            out[name] = pd.Categorical.from_codes(codes, categories=cats)
            continue
        if name in _CATEGORIES and col.null_count == 0:   # codes + sorted categories
            out[name] = _category(col)
            continue
        if name in _DECIMALS:
            # each distinct text becomes a Decimal once
            enc = pc.dictionary_encode(col).combine_chunks()
            uniq = [None if v is None else Decimal(v) for v in enc.dictionary.to_pylist()]
            idx = enc.indices.to_numpy(zero_copy_only=False)
            vals = np.array(uniq + [None], dtype=object)
            idx = np.where(enc.indices.is_null().to_numpy(zero_copy_only=False), len(uniq), idx)
            out[name] = vals[idx.astype(np.int64)]
        elif str(col.type) == "string":
            # Arrow-backed text, zero copy (pandas' "str" dtype copies every value)
            col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
            out[name] = pd.arrays.ArrowExtensionArray(col)
        elif pa.types.is_large_string(col.type):
            # pandas' own "str" columns (stored as they were): back as "str",
            # zero copy, not one Python string per row
            from pandas.core.arrays.string_arrow import ArrowStringArray
            col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
            out[name] = ArrowStringArray(col, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
        else:
            out[name] = col.to_numpy()
    return pd.DataFrame(out, copy=False)


# amounts (one per row, mostly distinct) come back as Arrow decimals; the
# few-valued text columns as Categoricals, as ledger.read.table gives them
_MONEY = ("amount", "entry_amount")
_CATEGORIES = ("funder", "purpose", "status", "qualifier", "period", "currency",
               "period_kind")


def _arrow_decimals(col):
    """Plain decimal text -> decimal128 at the column's largest number of
    places; None when it does not fit (then Decimal objects are made)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    try:
        dot = pc.find_substring(col, ".")
        places = pc.max(pc.if_else(pc.greater_equal(dot, 0),
                                   pc.subtract(pc.subtract(pc.utf8_length(col), dot), 1),
                                   0)).as_py() or 0
        if places > 18:
            return None
        return pc.cast(col, pa.decimal128(38, int(places)))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def clear() -> int:
    """Remove every cached ledger and the stored rate series
    (``rates.table``); returns how many files were removed."""

    folder = cache_dir()
    n = 0
    if folder is not None and folder.is_dir():
        for f in list(folder.glob("*.meta")) + list(folder.glob("*.arrow")):
            f.unlink(missing_ok=True)
            n += 1
        for d in folder.glob("rates-*"):
            if d.is_dir():
                n += sum(1 for _ in d.iterdir())
                shutil.rmtree(d, ignore_errors=True)
    return n
