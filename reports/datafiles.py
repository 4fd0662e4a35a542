"""The report's whole tables as data files beside the workbook:
``entries.csv``/``entries.parquet`` and ``sources.csv``/``sources.parquet``
(``write_full_tables``), for the rows a sheet leaves out and for other
tools.  Written with pyarrow, atomically; CSV text inert in spreadsheets.
"""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ledger.atomic import atomic_file
from ledger.memory import gc_paused
from ledger.text_safety import show_bidi_arrow, show_bidi_table
from reports.options import Report
from reports.text import FORMULA_PREFIXES, inert_frame


def _arrow_table(frame: pd.DataFrame):
    """Arrow columns of ``frame``: types inferred (Decimal → decimal128, dates →
    date32); a column of mixed Python types (e.g. dates and "") becomes text."""
    arrays = []
    for c in frame.columns:
        col = frame[c]
        try:
            arrays.append(_objects_array(col) if col.dtype == object
                          else pa.array(col, from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays.append(pa.array(col.map(lambda v: None if v is None else str(v)),
                                   type=pa.string()))
    return pa.table(arrays, names=[str(c) for c in frame.columns])


def _objects_array(col: pd.Series):
    """``pa.array(col, from_pandas=True)`` of a column of Python objects,
    each distinct object converted once: the rates are a few thousand
    ``Decimal`` objects shared by a million rows, and Arrow's conversion
    costs ~1 µs a value.  The same objects, in order of first appearance,
    so the type Arrow infers is the same."""
    values = col.to_numpy(dtype=object)
    if len(values) < 2:
        return pa.array(col, from_pandas=True)
    _, first, inverse = np.unique(np.fromiter(map(id, values), dtype=np.uint64,
                                              count=len(values)),
                                  return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order))
    distinct = pa.array(pd.Series(values[first[order]], dtype=object), from_pandas=True)
    return distinct.take(pa.array(place[inverse.reshape(-1)]))


def write_full_tables(report: Report, folder) -> list[Path]:
    """The whole Entries and Sources tables beside the workbook:
    ``entries.csv``/``entries.parquet`` and ``sources.csv``/``sources.parquet``.
    CSV text is inert in spreadsheets (``reports.text.inert_frame``); amounts
    are plain decimals (Arrow decimal columns), dates ISO.  Written with
    pyarrow, atomically."""
    folder = Path(folder)
    with gc_paused():
        written = _write_full_tables(report, folder)
    return written


def _write_full_tables(report: Report, folder: Path) -> list[Path]:
    written = []
    made = report.extra.pop("table files", {})   # taken: closed once copied, /tmp freed
    try:
        for name, frame in (("entries", report.entries), ("sources", report.sources)):
            if name in made:   # its files made before (``table_files``)
                for suffix, data in made[name].items():
                    with atomic_file(folder / f"{name}{suffix}") as fh:
                        _copy(data, fh)
            else:
                with (atomic_file(folder / f"{name}.parquet") as parquet,
                      atomic_file(folder / f"{name}.csv") as text):
                    _write_table(frame, parquet, text)
            written += [folder / f"{name}.csv", folder / f"{name}.parquet"]
    finally:
        for files in made.values():
            for f in files.values():
                f.close()
    return written


def table_files(frame: pd.DataFrame) -> dict[str, IO[bytes]]:
    """The Parquet and CSV files of one whole table (``.parquet``, ``.csv``),
    as ``write_full_tables`` writes them, made before the folder they go to
    exists (``Report.extra["table files"]``): anonymous temporary files (not
    memory: a growing buffer touches twice its size, page by page), gone
    when closed or when the process ends."""
    files: dict[str, IO[bytes]] = {".parquet": tempfile.TemporaryFile(),
                                   ".csv": tempfile.TemporaryFile()}
    try:
        _write_table(frame, files[".parquet"], files[".csv"])
        for f in files.values():
            f.flush()
    except BaseException:
        for f in files.values():
            f.close()
        raise
    return files


def _copy(src: IO[bytes], fh) -> None:
    """``src``'s whole content into ``fh``, by the kernel, read at offsets:
    ``src`` may be shared with a forked process, its own offset untouched."""
    fh.flush()
    offset, size = 0, os.fstat(src.fileno()).st_size
    while offset < size:
        try:
            sent = os.sendfile(fh.fileno(), src.fileno(), offset, size - offset)
        except OSError as err:   # a system whose sendfile writes to sockets only
            if err.errno not in (errno.EINVAL, errno.ENOTSOCK, errno.ENOSYS):
                raise
            sent = fh.write(os.pread(src.fileno(), min(size - offset, 1 << 20), offset))
            fh.flush()
        if not sent:
            raise OSError(errno.EIO, "a table's file was copied short")
        offset += sent


def _write_table(frame: pd.DataFrame, parquet, text) -> None:
    table = show_bidi_table(_arrow_table(frame))   # bidi controls shown, never sent
    pq.write_table(table, parquet)
    pacsv.write_csv(_inert_table(table, frame), text)


def _may_start_with(column, prefixes) -> bool:
    """False when no value of the Arrow text column starts with one of the
    one-byte ``prefixes``: their first bytes, read from the offsets with
    numpy (an anchored regex still reads the strings one by one)."""
    wanted = np.frombuffer("".join(prefixes).encode(), dtype=np.uint8)
    assert len(wanted) == len(prefixes)     # one byte each: ASCII
    for chunk in column.chunks:
        _, offsets, data = chunk.buffers()
        if data is None:
            continue
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        ends = np.frombuffer(offsets, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        ends = ends.astype(np.int64, copy=False)
        starts = ends[:-1][np.diff(ends) > 0]      # the values that are not empty
        if np.isin(np.frombuffer(data, dtype=np.uint8)[starts], wanted).any():
            return True
    return False


def _inert_table(table, frame: pd.DataFrame):
    """``table`` with its text made inert for spreadsheets by
    ``reports.text.inert_frame``, applied only to the rows where some text
    column starts with a formula character (found with one Arrow regex per
    column: ``inert_frame`` on a million rows costs ~10 s, on the few
    candidate rows nothing)."""
    pattern = "^[" + "".join("\\" + c if c in "-\\]^" else c for c in FORMULA_PREFIXES) + "]"
    text_cols = [i for i, f in enumerate(table.schema)
                 if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    mask = None
    for i in text_cols:
        if not _may_start_with(table.column(i), FORMULA_PREFIXES):
            continue
        m = pc.fill_null(pc.match_substring_regex(table.column(i), pattern), False)
        mask = m if mask is None else pc.or_(mask, m)
    if mask is None or not pc.any(mask).as_py():
        return table
    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    fixed = inert_frame(frame.iloc[rows])
    for i in text_cols:
        col = table.column(i)
        # the rows made inert, from the frame's text: their bidi controls shown
        # here (the rest of ``table`` has them shown already)
        new = show_bidi_arrow(pa.array([None if v is None or (isinstance(v, float) and v != v)
                                        else str(v) for v in fixed.iloc[:, i]], type=col.type))
        table = table.set_column(i, table.schema.field(i),
                                 pc.replace_with_mask(col.combine_chunks(), mask, new))
    return table
