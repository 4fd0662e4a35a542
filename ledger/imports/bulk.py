"""Import records as the bulk table, checked by the bulk rules, written as a
partitioned Parquet dataset (``import --from iati|fts|table ... --to DIR.parquet``).

The records an importer makes (``ledger.imports.common.Record``: journal
fields) become rows of the bulk format of ``ledger.read.table``
(``BULK_COLUMNS``: one row per entry and purpose, a split entry's rows next to
each other) plus the provenance columns ``PROVENANCE_COLUMNS`` documented
there.  Each file's rows are checked by the one column-wise rule engine
(``ledger.read.table._build``, what ``read_bulk`` runs); rows it refuses are
rejects, the others are written, grouped by the year of their date, as
``DIR/year=YYYY/part-N.parquet`` (hive style), file by file, so memory stays
that of one input file and one buffer of rows.  The dataset is written under
a temporary name and renamed when complete: a failed import leaves nothing.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ledger.errors import LedgerError
from ledger.imports.common import Problem, ReadResult, Record
from ledger.phrases.money import MoneyError, parse_amount, plain_decimal
from ledger.read.table import BULK_COLUMNS, PROVENANCE_COLUMNS

COLUMNS = BULK_COLUMNS + PROVENANCE_COLUMNS
DOCUMENTS_FILE = "_documents.csv"     # pyarrow.dataset skips names starting with "_"
ARCHIVE_FOLDER = "_sources"
ROWS_PER_PART = 200_000               # rows buffered before a part file is written


def bulk_rows(records: Iterable[Record], origin: str) -> tuple[dict[str, list[str]], list[int]]:
    """(the bulk columns of ``records``, each row's record index).  Text
    only, as the bulk format is; a split entry gives one row per part."""
    cols: dict[str, list[str]] = {c: [] for c in COLUMNS}
    rec_of: list[int] = []
    for k, rec in enumerate(records):
        f = rec.fields
        parts = [(s["purpose"], s["amount"]) for s in f.get("split") or []] or \
            [(f.get("purpose", ""), f.get("amount", ""))]
        restated = "; ".join(_restated(x) for x in f.get("restated") or [])
        base = {
            "id": f.get("id", ""), "date": str(f.get("date", "")), "funder": f.get("funder", ""),
            "currency": f.get("currency", ""), "status": f.get("status", ""),
            "qualifier": f.get("qualifier", ""), "period": f.get("period", ""),
            "disburses": f.get("disburses", ""), "part_of": f.get("part_of", ""),
            "restates": f.get("restates", ""),
            "sources": ";".join(dict.fromkeys(s["doc"] for s in f.get("source") or [])),
            "restated": restated, "tags": ";".join(f.get("tags") or []),
            "notes": f.get("notes", ""), "recipient": f.get("recipient", ""),
            "location": f.get("location", ""),
            "citations": json.dumps(f.get("source") or [], ensure_ascii=False),
            "origin": f"{origin}: {rec.where}" if rec.where else origin}
        for purpose, amount in parts:
            row = dict(base, purpose=purpose, amount=str(amount))
            for c in COLUMNS:
                cols[c].append(str(row.get(c, "") or ""))
            rec_of.append(k)
    return cols, rec_of


def _restated(phrase: str) -> str:
    """An importer's restatement ("$112.06 million") as the bulk format
    writes it ("USD 112060000"), exactly."""
    try:
        m = parse_amount(str(phrase))
    except MoneyError:
        return str(phrase)     # the rules word what is wrong with it
    return f"{m.currency} {plain_decimal(m.amount)}"


def checked(result: ReadResult, seen_ids: set[str], documents: list[str]):
    """(an Arrow table of the file's good rows, the problems of the rows
    refused) after the bulk rules (citations of ``documents`` only); ids
    already written from another file are refused as duplicates."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from ledger.read.table import _build

    cols, rec_of = bulk_rows(result.records, result.file)
    table = pa.table({c: pa.array(cols[c], pa.string()) for c in COLUMNS})
    problems: list[Problem] = []
    if not table.num_rows:
        return table, problems
    kept: list = []
    _, found = _build(table.select(BULK_COLUMNS), result.file, documents, kept=kept)
    keep = np.ones(table.num_rows, dtype=bool) if not kept or kept[0] is None \
        else np.asarray(kept[0], dtype=bool)
    rec_of_np = np.asarray(rec_of)
    said: dict[int, list[str]] = {}
    for p in found:
        if p.severity != "error":
            continue
        row = p.line - 2
        if 0 <= row < len(rec_of):
            said.setdefault(int(rec_of_np[row]), []).append(
                p.message + (f" (hint: {p.hint})" if p.hint else ""))
        elif not p.line:       # "N more rows with the problem": rows named by the mask
            said.setdefault(-1, []).append(p.message)
    ids = np.asarray(cols["id"], dtype=object)
    again = np.fromiter((i in seen_ids for i in ids), dtype=bool, count=len(ids))
    for r in np.flatnonzero(again & keep):
        said.setdefault(int(rec_of_np[r]), []).append(
            f"duplicate id {ids[r]!r}: an entry of an earlier file has it")
    bad_recs = {k for k in said if k >= 0} | {int(rec_of_np[r]) for r in np.flatnonzero(~keep)}
    keep &= ~np.isin(rec_of_np, np.fromiter(bad_recs, dtype=np.int64, count=len(bad_recs)))
    for k in sorted(bad_recs):
        rec = result.records[k]
        for msg in dict.fromkeys(said.get(k) or ["refused by the rules of the bulk format"]):
            problems.append(Problem(result.file, rec.where, msg))
    for msg in said.get(-1, []):     # the rows themselves are listed above
        problems.append(Problem(result.file, "", msg, "note"))
    seen_ids.update(ids[keep])
    return table.filter(pa.array(keep)), problems


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
    import csv

    with open(folder / DOCUMENTS_FILE, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        keys = ["id", "title", "retrieved", "path", "sha256", "notes"]
        w.writerow(keys)
        for d in documents:
            w.writerow([str(d.get(k, "")) for k in keys])


def temporary_folder(target: Path) -> Path:
    """A new folder beside ``target`` that becomes it when complete."""
    import tempfile

    if target.exists():
        raise LedgerError(f"import: --to {target}: already exists; give a new folder "
                          f"(a dataset is never written over)")
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))


def finish_folder(tmp: Path, target: Path) -> None:
    os.replace(tmp, target)


def abandon(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)


def entry_record(e, where: str) -> Record:
    """An accepted spreadsheet entry as a record of plain bulk values (the
    amount as a number and its currency, the period described)."""
    from ledger.model import ONE_OFF
    from ledger.writer import entry_table

    f = entry_table(e)
    f.update(amount=plain_decimal(e.amount), currency=e.currency, qualifier=e.qualifier,
             period=e.period.describe() if e.period.kind != ONE_OFF else "")
    return Record(where, f)
