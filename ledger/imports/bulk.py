"""Import records as the bulk table, checked by the one rule engine, written as a
partitioned Parquet dataset (``import --from iati|fts|table ... --to DIR.parquet``).

The records an importer makes (``ledger.imports.common.Record``: journal
fields) become rows of the bulk format of ``ledger.read.table``
(``BULK_COLUMNS``: one row per entry and purpose, a split entry's rows next to
each other) plus the provenance columns ``PROVENANCE_COLUMNS`` documented
there.  A batch of files' records is checked as the journal imports check
theirs (``ledger.imports.rows.check_records``: the raw form and
``ledger.read.table.check_raw``, the one rule engine); the records it
refuses are rejects, each with its problems, the others are written, grouped by the year of their date, as
``DIR/year=YYYY/part-N.parquet`` (hive style), file by file, so memory stays
that of one input file and one buffer of rows.  The dataset is written under
a temporary name and renamed when complete: a failed import leaves nothing.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.atomic import ctrl_c_held
from ledger.csv_guard import guard
from ledger.errors import LedgerError
from ledger.imports.common import (ReadResult, Record, duplicate_id, first_of_each_id,
                                   import_problem, open_data, read_file)
from ledger.imports.rows import bulk_table, check_records
from ledger.imports.table import record_warning
from ledger.memory import gc_paused
from ledger.phrases.money import plain_decimal
from ledger.read.documents import DATASET_ARCHIVE, DATASET_DOCUMENTS, GUARDED_COLUMN
from ledger.read.table import BULK_COLUMNS, PROVENANCE_COLUMNS
import csv
import tempfile
from ledger.imports.fts import read_fts
from ledger.imports.iati import read_iati
from ledger.model import ONCE
from ledger.writer import entry_table

COLUMNS = BULK_COLUMNS + PROVENANCE_COLUMNS
DOCUMENTS_FILE = DATASET_DOCUMENTS    # what the dataset's reader reads as its documents
REJECTS_FILE = "_rejects.csv"
ARCHIVE_FOLDER = DATASET_ARCHIVE
ROWS_PER_PART = 50_000                # rows buffered before the part files are written
# what ``read_batch`` imports, lazily or not: a worker process's start
WORKER_MODULES = ("ledger.imports.bulk", "lxml.etree", "pyarrow.compute", "pandas")


def checked(results: list[ReadResult], documents: list[str], claimed: list[str] | None = None):
    """(an Arrow table of the good rows of ``results``, the problems of the
    items refused) after the one rule engine, run over all of them at once
    as the journal imports run it (``ledger.imports.rows.check_records``;
    citations of ``documents`` only).  An id given twice is the first
    item's (``first_of_each_id``, as the journal import does); the ids the
    items checked claim, accepted or not, go to ``claimed``."""
    items = [(r.file, (r, rec)) for r in results for rec in r.records]
    first, twice = first_of_each_id([(f, rec) for f, (_, rec) in items])
    recs = [items[k][1] for k in first]
    if claimed is not None:
        claimed.extend(str(rec.fields["id"]) for _, rec in recs if rec.fields.get("id"))
    got = check_records([rec.fields for _, rec in recs],
                        range(1, len(recs) + 1), name="import", documents=documents)
    table = bulk_table(got, [f"{r.file}: {rec.where}" if rec.where else r.file
                             for r, rec in recs])
    problems = [import_problem(recs[k][0].file, recs[k][1].where, msg)
                for k, found in sorted(got.problems.items())
                for msg in dict.fromkeys(p.message + (f" (hint: {p.hint})" if p.hint else "")
                                         for p in found)]
    problems += [record_warning(p, recs[k][0].file, recs[k][1].where)    # what `check` says
                 for k, found in sorted(got.warnings.items()) for p in found]
    return table, twice + problems


class SeenIds:
    """The ids a dataset import has written, for the duplicate check across
    batches: each id's 128-bit digest (two 64-bit SipHash-2-4 values under
    two keys, pandas' ``hash_array``, in C), as two 64-bit halves in
    NumPy arrays sorted by the first, 16 bytes an id (a set of the ids took
    about 100), so that the command's memory stays nearly flat however many
    entries a registry-sized import writes.  Two different ids share a
    digest with a probability of about n² / 2¹²⁹ (1e-25 at ten million)
    for ids not made against these public keys; a crafted pair could at
    worst have an entry refused as a duplicate, named in the rejects,
    never counted twice or dropped unsaid.
    New digests go to a small sorted run merged into the large one when it
    holds an eighth of it, so each batch copies the small run only."""

    MERGE_FLOOR = 1 << 16   # the recent run's least size before a merge

    def __init__(self) -> None:
        self.runs = [_Run(), _Run()]      # the large run, the recent one

    def __len__(self) -> int:
        return sum(len(r.hi) for r in self.runs)

    KEYS = ("ledger-tool-id-1", "ledger-tool-id-2")   # 16 bytes each: SipHash's key

    @staticmethod
    def digest(ids):
        """The digests of ``ids``: one row (first half, second half) each."""
        import numpy as np
        import pandas as pd

        ids = np.asarray(ids, dtype=object)
        return np.column_stack([pd.util.hash_array(ids, hash_key=k, categorize=False)
                                for k in SeenIds.KEYS])

    def holds(self, digests):
        """The mask of ``digests`` already seen."""
        import numpy as np

        order = np.argsort(digests[:, 0], kind="stable")   # sorted keys: a faster search
        ordered = digests[order]
        big, recent = self.runs
        found = np.empty(len(digests), dtype=bool)
        found[order] = big.holds(ordered) | recent.holds(ordered)
        return found

    def add(self, digests, none_held: bool = False) -> None:
        """``digests`` added; ``none_held``: the caller has just asked
        ``holds`` of them (a batch's ids), so the runs are not searched
        again."""
        import numpy as np

        new = digests[np.lexsort((digests[:, 1], digests[:, 0]))]
        if len(new) > 1:     # each once
            new = new[np.r_[True, (new[1:] != new[:-1]).any(axis=1)]]
        big, recent = self.runs
        recent.add(new if none_held else new[~self.holds(new)])
        if len(recent.hi) > max(self.MERGE_FLOOR, len(big.hi) // 8):
            big.add(np.column_stack((recent.hi, recent.lo)))
            self.runs[1] = _Run()


class _Run:
    """Digests (``SeenIds``) sorted by their first half."""

    def __init__(self) -> None:
        import numpy as np

        self.hi = np.empty(0, dtype=np.uint64)
        self.lo = np.empty(0, dtype=np.uint64)

    def holds(self, digests):
        import numpy as np

        hi, lo = digests[:, 0], digests[:, 1]
        left = np.searchsorted(self.hi, hi, "left")
        right = np.searchsorted(self.hi, hi, "right")
        found = np.zeros(len(digests), dtype=bool)
        one = right - left == 1
        found[one] = self.lo[left[one]] == lo[one]
        for k in np.flatnonzero(right - left > 1):     # ids sharing a first half: rare
            found[k] = bool((self.lo[left[k]:right[k]] == lo[k]).any())
        return found

    def add(self, digests) -> None:
        """``digests`` (none held already) added."""
        import numpy as np

        at = np.searchsorted(self.hi, digests[:, 0])
        self.hi = np.insert(self.hi, at, digests[:, 0])
        self.lo = np.insert(self.lo, at, digests[:, 1])


def id_digests(table):
    """The digests (``SeenIds.digest``) of ``table``'s ids, row by row."""
    return SeenIds.digest(table.column("id").to_numpy(zero_copy_only=False))


def without_seen(table, seen_ids: SeenIds, digests=None, claimed=None, paths=()):
    """(``table`` without the entries whose id an earlier batch claimed,
    the problems naming them: one each, at its file and item, as
    ``first_of_each_id`` names a duplicate within a batch); then the ids
    ``claimed`` by this batch's items (digests: accepted or refused by the
    rules, ``read_batch``; else the table's) are added to ``seen_ids``.
    ``digests``: the table's ids' (``id_digests``), when made already;
    ``paths``: the batch's files, to tell an origin's file from its item."""
    import numpy as np
    import pyarrow as pa

    if digests is None:
        digests = id_digests(table)
    again = seen_ids.holds(digests)
    problems = []
    if again.any():     # (Arrow's strings to NumPy load pandas: only then)
        ids = table.column("id").to_numpy(zero_copy_only=False)
        origin = table.column("origin").to_numpy(zero_copy_only=False)
        told: set[str] = set()
        for i in np.flatnonzero(again).tolist():
            if ids[i] in told:       # a split entry's other rows
                continue
            told.add(ids[i])
            file, where = _origin_parts(str(origin[i]), paths)
            problems.append(import_problem(file, where, duplicate_id(str(ids[i]))))
        table = table.filter(pa.array(~again))
        digests = digests[~again]
    if claimed is None:
        seen_ids.add(digests, none_held=True)
    elif len(claimed):
        seen_ids.add(claimed)
    return table, problems


def entry_count(table) -> int:
    """How many entries the rows of ``table`` are (a split entry's rows, one)."""
    import pyarrow.compute as pc

    return pc.count_distinct(table.column("id")).as_py() if table.num_rows else 0


def _origin_parts(origin: str, paths) -> tuple[str, str]:
    """(file, item) of a row's origin ("FILE: ITEM", ``checked``)."""
    for p in paths:
        if origin.startswith(f"{p}: "):
            return p, origin[len(p) + 2:]
    file, _, where = origin.partition(": ")
    return file, where


@gc_paused()   # a batch read: reference counting frees what is dropped
def read_batch(kind: str, paths: list[str], names, hierarchy, claimed: list[str] | None = None,
               newest=None, claims=None):
    """Read and check a batch of IATI or FTS files (in a worker process):
    (the good rows, the problems, the documents of the files read); the
    ids its items claim go to ``claimed`` (``checked``); ``newest``: the
    FTS flows' newest versions, the IATI activities' newest copies, over
    the whole import (``read_fts``, ``read_iati``); ``claims``: the IATI
    entry id starts several activities share, by the first to give them."""
    results = []
    for p in paths:
        if kind == "iati":
            results.append(read_file(read_iati, p, names=names, hierarchy=hierarchy,
                                     newest=newest, claims=claims))
        else:
            results.append(read_file(read_fts, p, names=names, newest=newest))
    problems = [pr for r in results for pr in r.problems]
    good = [r for r in results if not any(getattr(pr, "kind", None) == "error" for pr in r.problems)]
    docs = [dict(r.document, source_file=r.file) for r in good if r.document]
    table, refused = checked(good, [d["id"] for d in docs], claimed)
    return table, problems + refused, docs


@dataclass
class DatasetWriter:
    """The parts of a partitioned dataset, written as rows come in: each
    year's rows buffered up to ``ROWS_PER_PART``, then one Parquet file."""
    folder: Path
    rows: int = 0
    parts: int = 0
    years: dict[str, list] = field(default_factory=dict)
    held: int = 0

    def add(self, table) -> None:
        import pyarrow.compute as pc

        if not table.num_rows:
            return
        year = pc.utf8_slice_codeunits(table.column("date"), 0, 4)
        for y in pc.unique(year).to_pylist():
            part = table.filter(pc.equal(year, y))
            self.years.setdefault(y, []).append(part)
            self.held += part.num_rows
        self.rows += table.num_rows
        if self.held >= ROWS_PER_PART:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        for y, tables in sorted(self.years.items()):
            folder = self.folder / f"year={y}"
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.concat_tables(tables), folder / f"part-{self.parts}.parquet")
            self.parts += 1
        self.years, self.held = {}, 0


def write_documents(folder: Path, documents: list[dict[str, Any]]) -> None:

    with open(folder / DOCUMENTS_FILE, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        keys = ["id", "title", "retrieved", "path", "sha256", "notes"]
        w.writerow([*keys, GUARDED_COLUMN])     # its rows' cells read back unguarded
        for d in documents:
            w.writerow([*(guard(str(d.get(k, ""))) for k in keys), "yes"])


def archive(path: Path, folder: Path, document: dict[str, Any]) -> None:
    """The input file copied into the dataset's archive (a folder this import
    made: no link or older copy can be in it; the whole dataset is renamed
    into place when complete)."""
    dest = folder / ARCHIVE_FOLDER
    dest.mkdir(exist_ok=True)

    with open_data(path, "data file") as src, open(dest / document["path"], "wb") as out:
        shutil.copyfileobj(src, out)


# a staging folder holds this (empty) file, and its maker an flock on the
# folder, from just after it is made until it is renamed or removed: a folder
# with it that can be locked is one an import left when it was killed
STAGING_MARK = ".ledger-tool-import-staging"
_staging: dict[Path, int] = {}     # staging folder: its locked descriptor


def temporary_folder(target: Path) -> Path:
    """A new folder beside ``target`` that becomes it when complete; the
    staging folders of ``target`` killed imports left are removed first
    (one line each), and any not provably theirs is named."""

    if target.exists():
        raise LedgerError(f"import: --to {target}: already exists; give a new folder "
                          f"(a dataset is never written over)")
    target.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale(target)
    # Ctrl-C (SIGTERM) held: the folder is made, locked and marked together,
    # and removed on any failure (a signal raising as the hold ends too)
    tmp: Path | None = None
    try:
        with ctrl_c_held():
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
            fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
            fcntl.flock(fd, fcntl.LOCK_EX)
            _staging[tmp] = fd
            (tmp / STAGING_MARK).touch()
    except BaseException:
        if tmp is not None:
            abandon(tmp)
        raise
    return tmp


def _clear_stale(target: Path) -> None:
    pattern = re.compile(re.escape(f".{target.name}.") + r"[A-Za-z0-9_]{8}")
    for name in sorted(os.listdir(target.parent)):
        left = target.parent / name
        if not pattern.fullmatch(name) or left.is_symlink() or not left.is_dir():
            continue
        if not (left / STAGING_MARK).is_file():
            if not left.exists():    # its import finished meanwhile: gone
                continue
            print(f"ledger-tool: import: note: {left}: looks like the staging folder of an "
                  f"import that was killed (or of one still running); remove it if none is",
                  file=sys.stderr)
            continue
        try:
            fd = os.open(left, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:    # its import finished meanwhile: gone
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # a finished import unmarks its folder before renaming and unlocking it
            os.stat(STAGING_MARK, dir_fd=fd)
        except OSError:        # its import is still running, or finished meanwhile
            os.close(fd)
            continue
        try:
            shutil.rmtree(left)
            print(f"ledger-tool: import: note: removed {left}, the staging folder of an "
                  f"import of {target.name} that was killed", file=sys.stderr)
        except OSError as err:
            print(f"ledger-tool: import: note: {left}: the staging folder of an import that "
                  f"was killed; cannot remove it ({err.strerror or err})", file=sys.stderr)
        finally:
            os.close(fd)


def _release(tmp: Path) -> None:
    fd = _staging.pop(tmp, None)
    if fd is not None:
        os.close(fd)


def finish_folder(tmp: Path, target: Path) -> None:
    (tmp / STAGING_MARK).unlink()
    os.replace(tmp, target)
    _release(tmp)


def abandon(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)
    _release(tmp)


def entry_record(e, where: str) -> Record:
    """An accepted spreadsheet entry as a record of plain bulk values (the
    amount as a number and its currency, the period described)."""

    f = entry_table(e)
    f.update(amount=plain_decimal(e.amount), currency=e.currency, qualifier=e.qualifier,
             period=e.period.describe() if e.period != ONCE else "")   # a one-off's own day kept
    return Record(where, f)
