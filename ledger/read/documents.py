"""The documents of a bulk table or a partitioned dataset: a CSV file of
``[[document]]`` fields, one row a document, as ``import --to DIR.parquet``
writes it (``DIR/_documents.csv``: id, title, retrieved, path, sha256,
notes; the files in ``DIR/_sources/``).

A bulk file ``NAME.csv`` or ``NAME.parquet`` takes its documents from
``NAME.documents.csv`` beside it (the same columns, the archive folder
beside it too); a dataset from its ``_documents.csv``.  The ids its rows
cite are then checked as a journal's are against its sources.toml (an id
declared nowhere is the error ``unknown-document``).  A table or dataset
with no such file declares no documents: its ids cannot be checked, which
``citations_unchecked`` says.

Each row goes through the journal's checks of a ``[[document]]`` table
(``ledger.read.journal``): a slug for an id, dates as YYYY-MM-DD, a path
inside the archive; the file is read only when it is a regular file of
bounded size inside the ledger's folder.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ledger.book import Book
from ledger.csv_guard import unguard
from ledger.model import Document, Problem
from ledger.read.journal import DOCUMENT_FIELDS, _document
from ledger.read.table import read_bulk_book
from ledger.rules.rows import suggest
from ledger.safe_io import UnsafeFile, read_text

__all__ = ["DATASET_ARCHIVE", "DATASET_DOCUMENTS", "GUARDED_COLUMN", "documents_file", "read_documents",
           "citations_unchecked", "read_bulk_ledger"]

DATASET_DOCUMENTS = "_documents.csv"   # pyarrow.dataset skips names starting with "_"
DATASET_ARCHIVE = "_sources"
BULK_SUFFIX = ".documents.csv"
MAX_DOCUMENT_BYTES = 64 << 20
# the column ``import --to`` writes in a dataset's documents: "yes" in a
# row whose cells carry the writer's formula guard, taken off on read (also
# in a NAME.documents.csv the rows are copied to); a row without it (an
# older dataset's, one written by hand) is read as written
GUARDED_COLUMN = "guarded"


def documents_file(ledger: str | Path) -> Path:
    """Where the documents of the bulk table or dataset ``ledger`` are declared."""
    p = Path(ledger)
    if p.is_dir():
        return p / DATASET_DOCUMENTS
    return p.with_name(p.stem + BULK_SUFFIX)


def read_documents(ledger: str | Path) -> tuple[dict[str, Document] | None, list[Problem]]:
    """(the declared documents by id, or None when ``ledger`` has no
    documents file or it cannot be read (the citations are then not
    checked: its one error says why, not one per citation); the problems
    of that file, each at its line)."""
    path = documents_file(ledger)
    if not path.exists() and not path.is_symlink():
        return None, []
    fname = str(path)
    root = Path(ledger) if Path(ledger).is_dir() else Path(ledger).parent
    try:
        text = read_text(path, inside=root, what="documents file", limit=MAX_DOCUMENT_BYTES)
    except UnsafeFile as err:
        at = err.path[len(fname) + 1:] if err.path.startswith(fname + ":") else ""
        return None, [Problem(fname, int(at) if at.isdigit() else 0, "", err.reason,
                              code="unsafe-file")]
    except OSError as err:
        return None, [Problem(fname, 0, "", f"cannot read it: {err}", code="bad-documents")]
    problems: list[Problem] = []
    documents: dict[str, Document] = {}
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        return None, [Problem(fname, 0, "", f"not a CSV file: {err}", code="bad-documents")]
    if not rows:
        return documents, problems
    head = [h.strip() for h in rows[0]]
    marked = GUARDED_COLUMN in head
    for name in head:
        if name not in DOCUMENT_FIELDS and not (marked and name == GUARDED_COLUMN):
            problems.append(Problem(fname, 1, "", f"unknown column {name!r}",
                                    suggest(name, sorted(DOCUMENT_FIELDS)) or
                                    "known columns: " + ", ".join(sorted(DOCUMENT_FIELDS)),
                                    code="unknown-column"))
    for i, name in enumerate(head):
        if name in head[:i]:
            problems.append(Problem(fname, 1, "", f"column {name!r} appears twice",
                                    "keep one column of each name (the first is read)",
                                    code="bad-documents"))
    if "id" not in head:
        problems.append(Problem(fname, 1, "", "missing column 'id'", code="bad-documents"))
        return documents, problems
    known = [(i, h) for i, h in enumerate(head)
             if (h in DOCUMENT_FIELDS or (marked and h == GUARDED_COLUMN)) and h not in head[:i]]
    for line, row in enumerate(rows[1:], 2):   # a quoted line break is not counted
        if not any(cell.strip() for cell in row):
            continue
        fields = {h: row[i].strip() for i, h in known if i < len(row) and row[i].strip()}
        if marked and fields.pop(GUARDED_COLUMN, "") == "yes":
            fields = {h: unguard(v) for h, v in fields.items()}
        doc = _document(fields, fname, line, problems)
        if doc is None:
            continue
        if doc.id in documents:
            problems.append(Problem(fname, line, "", f"duplicate document id {doc.id!r}",
                                    hint=f"first declared at {fname}:{documents[doc.id].line}",
                                    code="duplicate-document"))
            continue
        documents[doc.id] = doc
    return documents, problems


def read_bulk_ledger(path: str | Path, fmt: str | None = None) -> Book:
    """The bulk file ``path`` as a ledger (``read_bulk_book``): its documents
    those of NAME.documents.csv, its citations checked against them, the
    problems of that file first.  Every way of reading one goes through it
    (``ledger.read_book``, ``ledger.read.load_frame``)."""
    documents, problems = read_documents(path)
    book = read_bulk_book(path, fmt, documents)
    if problems:
        book.problems = tuple(problems) + book.problems
    return book


# what a bulk file or dataset with no documents file lacks: said by check and audit
DECLARE_THEM = "declare the documents there (id, title, path, sha256, ...; docs/scale.md)"


def citations_unchecked(ledger: str | Path, cited: int) -> str:
    """The note for a bulk table or dataset whose ``cited`` (> 0) citations
    name documents it declares nowhere: the ids could not be checked."""
    return (f"{cited:,} citation(s) name document ids that {ledger} declares nowhere "
            f"(no {documents_file(ledger).name}): they were not checked; {DECLARE_THEM}")

