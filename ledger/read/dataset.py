"""A partitioned Parquet dataset as a ledger, read partition by partition.

A folder ``NAME.parquet/`` holding hive partitions ``year=YYYY/*.parquet``,
each file in the bulk format of ``ledger.read.table`` (``BULK_COLUMNS``; the
rows of one entry together in one file), is a ledger as big as the disk:
the commands that add things up (``check``, ``list``, ``balance``, ``report``,
``export``) never hold more than a few partitions at once.

The work is Dask's: one task per partition file (``run``), on its local
threaded scheduler or, given ``--scheduler ADDRESS`` or the environment
variable ``LEDGER_TOOL_SCHEDULER``, on a ``distributed`` cluster whose
workers see the same path (shared storage).  Each task reads its file with
``read_table`` (the same guard as any bulk file), checks it with the bulk
reader's column-wise rules (``ledger.read.bulk_book``) and hands a Book of
that partition to the caller's function, which returns something small
(partial sums, a chunk of text).

The rules across entries run over the whole dataset at once, on a narrow
table (``id_pass``: each entry's id, currency, qualifier, amount, period and links,
small per row), through ``ledger.rules.across_entries``: ids unique across
partitions, links to entries in other partitions, packages not exceeded.
The probable-duplicate and look-alike rules stay per partition (a probable
duplicate shares its date, so its year).

The amounts' decimal mark is the whole ``amount`` column's
(``amount_rule``: every partition's cells counted first, one
``ledger.phrases.money.convention`` for all), so the dataset reads as one
file of its rows: a "2,5" in one partition is not a decimal comma for
"1,500" in it and a thousands separator in the next.

The dataset's documents are those its ``_documents.csv`` declares
(``ledger.read.documents``; the files in ``_sources/``, its archive): each
partition's citations are checked against them as a journal's are against
its sources.toml.

Its options are those its ``_ledger.toml`` gives in a ``[ledger]`` table
(``dataset_options``): its ``fiscal_year_start``, which ``import --to``
carries from a listing, so that "fiscal year 2017-18" and ``--years
fiscal`` count the ledger's own fiscal years (else 1 April, as a journal
without the option).

``read_dataset_book(path)`` reads the whole dataset into one Book (every
other command; small datasets; the reference the tests compare with).
"""
from __future__ import annotations

import ctypes
import os
import re
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from ledger.book import Book, Tables, not_counted_mask
from ledger.errors import LedgerError
from ledger.model import LINK_KINDS, Problem
from ledger.phrases.money import POINT, Convention, MarkCount, added, convention, decimal_mark
from ledger.read.documents import DATASET_ARCHIVE, read_documents
from ledger.read.table import (MAX_PROBLEMS_PER_RULE, _Ids, bulk_book, decimal_places,
                               plain_amounts, read_table, text_column,
                               unreadable_as_text)
from ledger.rules import BULK_HINTS, across_entries
from ledger.rules.options import option_problem
from ledger.safe_io import UnsafeFile, check_nesting, is_dataset, read_text

__all__ = ["SCHEDULER_ENV", "DATASET_OPTIONS", "dataset_options", "is_dataset",
           "partition_files", "read_dataset_book", "run", "scan"]

SCHEDULER_ENV = "LEDGER_TOOL_SCHEDULER"
CONNECT_TIMEOUT = "10s"
_PARTITION = re.compile(r"^year=([0-9]{4})$")
MAX_PARTITION_FILES = 100_000


def partition_files(path: str | Path) -> tuple[list[Path], list[Problem]]:
    """The dataset's part files in a stable order (year, then name), and the
    problems of its layout: a folder that is not ``year=YYYY``, a file that is
    not ``*.parquet``, a link leading out of the dataset."""
    root = Path(path).resolve()
    files: list[Path] = []
    problems: list[Problem] = []
    for sub in sorted(root.iterdir()):
        if sub.name.startswith((".", "_")):   # _SUCCESS, _common_metadata, .crc files
            continue
        if not sub.is_dir() or not _PARTITION.match(sub.name):
            problems.append(Problem(str(sub), 0, "", "not a partition of the dataset",
                                    "a dataset holds folders year=YYYY with .parquet files",
                                    code="not-a-partition"))
            continue
        for f in sorted(sub.iterdir()):
            if f.name.startswith((".", "_")):
                continue
            real = f.resolve()
            if root not in real.parents:
                problems.append(Problem(str(f), 0, "", "leads out of the dataset",
                                        code="unsafe-file"))
            elif f.suffix.lower() != ".parquet" or not real.is_file():
                problems.append(Problem(str(f), 0, "", "not a .parquet file of the dataset",
                                        code="not-a-partition"))
            else:
                files.append(f)
        if len(files) > MAX_PARTITION_FILES:
            problems.append(Problem(str(root), 0, "", f"more than {MAX_PARTITION_FILES:,} "
                                    f"files", code="too-many-files"))
            break
    return files, problems


DATASET_OPTIONS = "_ledger.toml"     # pyarrow.dataset skips names starting with "_"
_DATASET_OPTION_KEYS = ("fiscal_year_start",)
_MAX_OPTIONS_BYTES = 64 * 1024


def dataset_options(root: str | Path) -> tuple[dict, list[Problem]]:
    """(the dataset's options, the problems of its ``_ledger.toml``): its
    archive, and the ``fiscal_year_start`` of its ``[ledger]`` table
    (checked as a journal's); a file that is missing gives the defaults."""
    options: dict = {"archive": DATASET_ARCHIVE}
    path = Path(root) / DATASET_OPTIONS
    if not path.exists() and not path.is_symlink():
        return options, []
    fname = str(path)
    try:
        text = read_text(path, inside=root, what="dataset options file",
                         limit=_MAX_OPTIONS_BYTES)
        check_nesting(text, path)
        table = tomllib.loads(text).get("ledger", {})
    except UnsafeFile as err:
        return options, [Problem(fname, 0, "", err.reason, code="unsafe-file")]
    except (LedgerError, OSError, tomllib.TOMLDecodeError) as err:
        return options, [Problem(fname, 0, "", f"cannot read it: {err}", code="bad-option")]
    if not isinstance(table, dict):
        return options, [Problem(fname, 0, "", "[ledger] must be a table", code="bad-option")]
    problems = []
    for key, value in table.items():
        if key not in _DATASET_OPTION_KEYS:
            problems.append(Problem(fname, 0, "", f"option {key!r} is not read from a "
                                    f"dataset (it reads {', '.join(_DATASET_OPTION_KEYS)})",
                                    severity="warning", code="unknown-option"))
            continue
        value, why = option_problem(key, value)
        if why:
            problems.append(Problem(fname, 0, "", why, code="bad-option"))
        else:
            options[key] = value
    return options, problems


def _year_of(file: Path) -> int:
    found = _PARTITION.match(file.parent.name)
    if found is None:
        raise LedgerError(f"{file}: not inside a year=YYYY folder")
    return int(found.group(1))


def partition_book(file: str | Path, root: str | Path, documents=None,
                   mark_rule: Convention | None = None, options: dict | None = None):
    """(the Book of one part file, each entry's first row, its problems):
    the bulk reader's checks, links left to ``id_pass``, citations checked
    against ``documents`` (the dataset's, by id; None: not checked), the
    amounts read by the dataset's ``mark_rule`` (``amount_rule``; None: the
    file's own); an entry dated outside the partition's year is an error (a
    query by year would miss it)."""
    import numpy as np


    file = Path(file)
    fname = str(file)
    try:
        held = [_read_part(file)]   # handed over: freed once its raw form is made
    except Exception as err:  # noqa: BLE001 - pyarrow's message names the row
        problem = Problem(fname, 0, "", f"cannot read the table: {err}".strip(),
                          code="unreadable-table")
        return Book.from_entries((), root=Path(root)), np.zeros(0, dtype=np.int64), [problem]
    book, first = bulk_book(held, fname, Path(root), "dataset", links_elsewhere=True,
                            documents=documents, mark_rule=mark_rule)
    if options:      # the dataset's (``dataset_options``): its fiscal year start
        book.options = {**(book.options or {}), **options}
    en = book.tables.entries
    said_twice = any(p.code == "duplicate-id" for p in book.problems)
    kept = set(en["id"].astype(str)) if said_twice and len(en) else set()
    # id_pass finds the repeats of an id the Book kept; one the reader left
    # out (repeated apart within the file) is said here
    problems = [p for p in book.problems if p.code != "duplicate-id" or p.entry_id not in kept]
    if len(en):
        years = en["date"].to_numpy().astype("datetime64[Y]").astype(np.int64) + 1970
        wrong = np.flatnonzero(years != _year_of(file))
        for i in wrong[:50].tolist():
            problems.append(Problem(fname, int(first[i]) + 2, str(en["id"].iloc[i]),
                                    f"dated {str(en['date'].iloc[i])[:10]}, in the partition "
                                    f"{file.parent.name}", "move the row to its year's folder",
                                    code="wrong-partition"))
        if len(wrong) > 50:
            problems.append(Problem(fname, 0, "", f"{len(wrong) - 50} more row(s) in the wrong "
                                    f"partition", code="wrong-partition"))
    return book, first, problems


def _narrow(book, first, index: int):
    """The columns the rules across entries read, one row an entry."""
    import pyarrow as pa

    en = book.tables.entries
    amount = en["amount"].array
    arrow = getattr(amount, "_pa_array", None)
    cols = {"file": pa.array([index] * len(en), pa.int32()),
            "line": pa.array(first + 2, pa.int64()),
            "id": pa.array(en["id"].astype(object).to_numpy(), pa.string()),
            "currency": pa.array(en["currency"].astype(object).to_numpy(), pa.string()),
            "qualifier": pa.array(en["qualifier"].astype(object).to_numpy(), pa.string()),
            "amount": (arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow)
            if arrow is not None else pa.array([str(a) for a in amount], pa.string()),
            "period": pa.array(en["period"].astype(object).to_numpy(),
                               pa.string()).dictionary_encode(),
            # the day each starts: N weeks or days count their own dates' years
            "start": pa.array(en["start"].fillna(en["date"]).to_numpy().astype("datetime64[D]")),
            "uncounted": pa.array(not_counted_mask(en["tags"]), pa.bool_())}
    links = book.tables.links
    for k in LINK_KINDS:
        target = [""] * len(en)
        sub = links[links["kind"] == k] if len(links) else links
        for e, t in zip(sub.get("entry", []), sub.get("target", [])):
            target[int(e)] = str(t)
        cols[k] = pa.array(target, pa.string())
    table = pa.table(cols)
    if pa.types.is_decimal(table.schema.field("amount").type):
        table = table.set_column(5, "amount", table.column("amount").cast(pa.string()))
    return table


def id_pass(narrow, files: list[str], rejected=()) -> list[Problem]:
    """``ledger.rules.across_entries`` over every entry of the dataset:
    duplicate ids, links to entries (in any partition), self-links,
    packages exceeded and packages in another currency."""

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc


    n = narrow.num_rows
    if not n:
        return []
    sid = _whole(narrow.column("id"))
    file_of = narrow.column("file").to_numpy()
    line_of = narrow.column("line").to_numpy()
    enc = pc.dictionary_encode(sid)
    code = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    first_of = np.full(len(enc.dictionary), -1, dtype=np.int64)
    first_of[code[::-1]] = np.arange(n - 1, -1, -1)
    again = np.flatnonzero(first_of[code] != np.arange(n))
    duplicates = [(int(i), int(first_of[code[i]])) for i in again.tolist()]
    links, rows_linked = [], []
    for k in LINK_KINDS:
        col = _whole(narrow.column(k))
        rows = np.flatnonzero(pc.not_equal(col, "").to_numpy(zero_copy_only=False))
        if len(rows):
            links += [(int(r), k, t) for r, t in
                      zip(rows.tolist(), col.take(pa.array(rows)).to_pylist())]
            rows_linked.append(rows)
    links.sort(key=lambda x: x[0])
    where = {}
    if links:
        targets = pa.array([t for _, _, t in links], pa.string())
        pos = pc.fill_null(pc.index_in(targets, value_set=sid), -1)
        where = {"targets": pos.to_numpy(zero_copy_only=False).tolist()}
    amounts, cur, qual, periods, starts = (
        _whole(narrow.column(k)) for k in ("amount", "currency", "qualifier", "period", "start"))
    problems, _ = across_entries(
        n=n, ids=_Ids(sid),  # type: ignore[arg-type]  # read lazily, as a sequence
        place=lambda i: (files[int(file_of[i])], int(line_of[i])),
        currency=lambda i: cur[int(i)].as_py(), qualifier=lambda i: qual[int(i)].as_py(),
        amount=lambda i: Decimal(amounts[int(i)].as_py()), links=links,
        period=lambda i: periods[int(i)].as_py(), start=lambda i: starts[int(i)].as_py(),
        find=lambda _t: where.get("targets", []), duplicates=duplicates,
        uncounted=np.flatnonzero(_whole(narrow.column("uncounted")).to_numpy(
            zero_copy_only=False)).tolist(),
        rejected=rejected, hints=BULK_HINTS, check_quotes=False,
        limit=MAX_PROBLEMS_PER_RULE)
    return problems


def give_back_memory() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``;
    elsewhere nothing): a partition's Book is freed into the heap of the
    thread that built it, where Arrow's own allocator, which the rules
    across entries use, cannot reuse it (benchmarks/README.md)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _whole(column):
    """A column as one array: its one chunk as it is (``combine_chunks``
    copies even one), else the chunks joined."""
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def _one_table(narrows: list):
    """The partitions' narrow tables as one contiguous table; ``narrows`` is
    emptied so that the parts are let go before the rules run on it (the
    rules then hold one copy of the ids, not the parts and a joined copy)."""
    import pyarrow as pa

    table = pa.concat_tables(narrows)
    narrows.clear()
    return table.combine_chunks()


# ----------------------------------------------------------------- running

def scheduler_address(given: str | None = None) -> str | None:
    """``--scheduler`` or ``LEDGER_TOOL_SCHEDULER`` (None: this machine)."""
    text = (given or os.environ.get(SCHEDULER_ENV, "")).strip()
    return text or None


def run(func: Callable, items: list, *, scheduler: str | None = None,
        workers: int | None = None) -> list:
    """``func(item)`` for every item as Dask tasks, results in order: on the
    local threaded scheduler (at most ``workers`` partitions at once), or on
    the distributed cluster at ``scheduler``."""
    import dask

    tasks = [dask.delayed(func, pure=False)(item) for item in items]
    if not tasks:
        return []
    if scheduler:
        from distributed import Client
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            raise LedgerError(f"cannot reach the Dask scheduler {scheduler}: "
                              f"{str(err).splitlines()[0] if str(err) else type(err).__name__} "
                              f"(start one: docs/scale.md)") from None
        with client:
            return client.gather(client.compute(tasks))
    return list(dask.compute(*tasks, scheduler="threads",
                             num_workers=workers or min(2, os.cpu_count() or 1)))


def _task(item):
    """One partition: (problems, entries, narrow table, the function's
    result, its citations)."""
    index, file, root, func, args, documents, mark_rule, options = item
    book, first, problems = partition_book(file, root, documents, mark_rule, options)
    narrow = _narrow(book, first, index)
    errors = any(p.severity == "error" for p in problems)
    result = None if errors or func is None else func(book, *args)
    return problems, len(book), narrow, result, len(book.tables.citations)


class Scan:
    """What one pass over the dataset found: ``problems`` (every partition's
    and the rules across entries), ``entries``, ``results`` (the function's,
    one per partition, in order; None for a partition with errors),
    ``files``, ``documents`` (declared, by id; None: no _documents.csv),
    ``citations`` (how many the entries make)."""

    def __init__(self, files, problems, entries, results, documents=None, citations=0):
        self.files, self.problems, self.entries, self.results = files, problems, entries, results
        self.documents, self.citations = documents, citations

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def scan(path: str | Path, func: Callable | None = None, args: tuple = (), *,
         scheduler: str | None = None, sink: Callable | None = None) -> Scan:
    """Check every partition and run ``func(book, *args)`` on each clean one
    (a module-level function: a cluster's workers import it).  One pass, a
    few partitions at a time (``BATCH`` here, the heap given back after
    each batch); with ``sink``, each result goes to ``sink(result)`` in the
    dataset's order as soon as its batch is done and is not kept (text
    written out chunk by chunk)."""

    root = Path(path)
    files, problems = partition_files(root)
    documents, said = read_documents(root)
    problems.extend(said)
    options, said = dataset_options(root)
    problems.extend(said)
    names = [str(f) for f in files]
    address = scheduler_address(scheduler)
    mark_rule = amount_rule(files, root, address)
    # the Document records go to each partition (a report's Sources sheet names them)
    items = [(i, str(f), str(root), func, args, documents, mark_rule, options)
             for i, f in enumerate(files)]
    # a few partitions at a time, the heap trimmed after each batch; on a
    # cluster without ``sink``, every partition at once (each worker has its own)
    batch = len(items) if sink is None and address else BATCH
    entries, citations, narrows, results = 0, 0, [], []
    for start in range(0, len(items), max(batch, 1)):
        for probs, n, narrow, result, cited in run(_task, items[start:start + batch],
                                                   scheduler=address):
            problems.extend(probs)
            entries += n
            citations += cited
            narrows.append(narrow)
            if sink is not None and result is not None:
                sink(result)
            else:
                results.append(result)
        give_back_memory()
    if narrows:
        problems.extend(id_pass(_one_table(narrows), names))
    if not files and not problems:
        problems.append(Problem(str(root), 0, "", "the dataset holds no .parquet file",
                                code="empty-dataset"))
    return Scan(names, problems, entries, results, documents, citations)


BATCH = 4   # partitions in flight when results are written out as they come


def _amount_cells(file: str | Path):
    """A part file's ``amount`` column as the reader takes it (None: it has
    none, or cannot be read: the pass says what is wrong with it)."""
    import pyarrow.parquet as pq

    try:
        return text_column(pq.read_table(file, columns=["amount"]).column(0))
    except (KeyError, OSError, ValueError, NotImplementedError):   # (pyarrow's, a nested type)
        return None


def _read_part(file: str | Path):
    """``read_table`` of a part file, a column it cannot read as text (a
    list, struct or map; bytes not UTF-8) named in its refusal, also when
    pyarrow's own reader refuses a nested column."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return read_table(file)
    except pa.ArrowNotImplementedError as err:
        said = [why for f in pq.read_schema(file)
                if (why := unreadable_as_text(f.name, pa.chunked_array([], type=f.type)))]
        raise ValueError("; ".join(said) if said else str(err)) from err


def _mark_count(item) -> MarkCount:
    """One part file's amount cells counted for the decimal-mark rule, the
    first telling cell named at its file and line."""
    file, root = item
    cells = _amount_cells(file)
    if cells is None or not len(cells):
        return MarkCount()
    root = Path(root).resolve()
    name = str(Path(file).relative_to(root)) if Path(file).is_relative_to(root) else str(file)
    return decimal_mark(cells, POINT, counted=True,
                        where=lambda i: f"{name} line {i + 2}: {cells[i].as_py()!r}").tally


def amount_rule(files, root: str | Path, scheduler: str | None = None) -> Convention:
    """The decimal-mark rule of the dataset's whole ``amount`` column: the
    partitions' counts added (one small task per file, where ``run`` runs
    them) and decided once, as for one file of its rows."""
    counts = run(_mark_count, [(str(f), str(root)) for f in files], scheduler=scheduler)
    return convention(added(counts), POINT)


def amount_places(path: str | Path) -> int:
    """The largest number of decimal places of any partition's amounts (its
    ``amount`` column alone read, a file at a time, by the dataset's
    ``amount_rule``): one bulk file of the dataset's rows reads every amount
    at it (``ledger.read.table``), a partition at its own; ``at_places``
    gives a partition's Book the whole's."""
    import pyarrow.compute as pc

    files, _ = partition_files(Path(path))
    mark = amount_rule(files, Path(path)).mark if files else POINT
    places = 0
    for f in files:
        cells = _amount_cells(f)
        if cells is None:
            continue
        amounts, plain = plain_amounts(cells, mark)
        places = max(places, decimal_places(pc.filter(amounts, plain)))
    return places


def at_places(book: Book, places: int) -> Book:
    """``book`` with its amounts at ``places`` decimal places where it reads
    them at fewer (exact: only zeros are added), as one bulk file of the
    dataset's rows reads them (``amount_places``): the exports write them as written."""
    import pandas as pd
    import pyarrow as pa

    wide = pd.ArrowDtype(pa.decimal128(38, places))

    def wider(frame):
        if frame is None:
            return None
        cols = {c: frame[c].astype(wide) for c, t in frame.dtypes.items()
                if isinstance(t, pd.ArrowDtype) and pa.types.is_decimal(t.pyarrow_dtype)
                and t.pyarrow_dtype.scale < places}
        return frame.assign(**cols) if cols else frame

    t = book.tables
    out = Book(tables=Tables(wider(t.entries), wider(t.allocations), t.citations, t.links),
               documents=book.documents, options=book.options, problems=book.problems,
               root=book.root, source=book.source, frame=wider(book._frame))
    out.whole = out if book.whole is book else book.whole
    return out


def read_dataset_book(path: str | Path) -> Book:
    """The whole dataset as one Book (its partitions' rows in order, checked
    as one bulk table): for the commands that need every entry at once."""
    import pyarrow as pa
    import pyarrow.compute as pc


    root = Path(path)
    files, problems = partition_files(root)
    documents, said = read_documents(root)
    tables = []
    for f in files:
        try:
            tables.append(_read_part(f))
        except Exception as err:  # noqa: BLE001 - pyarrow's message names the row
            problems.append(Problem(str(f), 0, "", f"cannot read the table: {err}".strip(),
                                    code="unreadable-table"))
    options, said_options = dataset_options(root)
    said = said + said_options
    if problems or not tables:
        return Book.from_entries((), documents, options, problems=said + (problems or [Problem(
            str(root), 0, "", "the dataset holds no .parquet file", code="empty-dataset")]),
            root=root)
    raw = pa.concat_tables(tables, promote_options="permissive")
    raw = pa.table({c: pc.fill_null(raw.column(c), "") for c in raw.column_names})
    book, _ = bulk_book(raw, str(root), root, "dataset", documents=documents)
    book.options = options
    book.problems = tuple(said) + book.problems
    return book
