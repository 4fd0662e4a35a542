"""Two copies of one IATI activity in the files of one import (a newer
download beside an older one): the activity is taken whole from its newest
statement (the later @last-updated-datetime, else the later file of the
run), each other copy skipped in one line, whatever the batches, with -o
and --to alike; the result passes ``check``.  Expected figures by hand from
the XML below: the newest copy of XX-1-A commits 2000 and disburses 400 +
1000 (linked to the commitment), XX-1-B commits 700: counted 2700 GBP."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pyarrow.dataset as ds
import pytest

import ledger


def _tx(ref: str, code: int, date: str, value: int) -> str:
    return (f'  <transaction ref="{ref}"><transaction-type code="{code}"/>'
            f'<transaction-date iso-date="{date}"/>'
            f'<value value-date="{date}">{value}</value></transaction>\n')


def _activity(ident: str, stamp: str | None, *items: str) -> str:
    at = f' last-updated-datetime="{stamp}"' if stamp else ""
    return (f' <iati-activity default-currency="GBP"{at}>\n'
            f'  <iati-identifier>{ident}</iati-identifier>\n'
            f'  <reporting-org ref="XX-1"><narrative>Donor</narrative></reporting-org>\n'
            + "".join(items) + " </iati-activity>\n")


def _file(path: Path, *acts: str) -> None:
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
                    + "".join(acts) + "</iati-activities>\n", encoding="utf-8")


OLD = ("XX-1-A", _tx("C", 2, "2020-01-01", 1000), _tx("D1", 3, "2020-02-01", 400))
NEW = ("XX-1-A", _tx("C", 2, "2020-01-01", 2000), _tx("D1", 3, "2020-02-01", 400),
       _tx("D2", 3, "2020-03-01", 1000))
OTHER = _activity("XX-1-B", None, _tx("C", 2, "2020-01-01", 700))
EXPECTED = {"iati-xx-1-a-t-c": Decimal(2000), "iati-xx-1-a-t-d1": Decimal(400),
            "iati-xx-1-a-t-d2": Decimal(1000), "iati-xx-1-b-t-c": Decimal(700)}
COUNTED = Decimal(2700)


def _folder(tmp_path: Path, new_first: bool, stamped: bool) -> tuple[Path, str]:
    """a.xml and b.xml, the newer copy in the first or the second; without
    stamps the newer copy is always the later file (b.xml).  Returns the
    folder and the name of the file holding the newer copy."""
    folder = tmp_path / "in"
    folder.mkdir()
    old = _activity(OLD[0], "2024-01-01T00:00:00Z" if stamped else None, *OLD[1:])
    new = _activity(NEW[0], "2024-06-01T00:00:00+01:00" if stamped else None, *NEW[1:])
    first, second = (new, old) if new_first and stamped else (old, new)
    _file(folder / "a.xml", first, OTHER)
    _file(folder / "b.xml", second)
    return folder, "a.xml" if new_first and stamped else "b.xml"


def _skipped(rejects: Path) -> list[dict]:
    with open(rejects, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("new_first,stamped", [(True, True), (False, True), (False, False)])
def test_an_activity_in_two_files_is_taken_from_its_newest_copy(tmp_path, run_cli, monkeypatch,
                                                                new_first, stamped):
    import ledger_tool.import_data as import_data

    folder, newer = _folder(tmp_path, new_first, stamped)
    older = "b.xml" if newer == "a.xml" else "a.xml"
    code, _, err = run_cli("import", "--from", "iati", folder, "-o", tmp_path / "book")
    assert code == 0, err
    book = ledger.load(tmp_path / "book")
    assert {e.id: e.amount for e in book.entries} == EXPECTED
    assert sum(e.amount for e in book.entries if e.is_primary) == COUNTED
    told = _skipped(tmp_path / "book" / "iati.rejects.csv")
    assert [(Path(r["file"]).name, r["where"], r["items"]) for r in told] == \
        [(older, "activity 'XX-1-A'", "2")]
    assert f"superseded by the same activity in {folder / newer}" in told[0]["reason"]
    code, _, err = run_cli("check", tmp_path / "book")
    assert code == 0, err
    # a dataset: one batch; a file a batch; a file a batch in two workers
    for n, (batch, workers) in enumerate([(None, 1), (1, 1), (1, 2)]):
        if batch is not None:
            monkeypatch.setattr(import_data, "BATCH_BYTES", batch)
        monkeypatch.setattr(import_data.os, "sched_getaffinity",
                            lambda _p, w=workers: set(range(w)))
        out = tmp_path / f"d{n}.parquet"
        code, _, err = run_cli("import", "--from", "iati", folder, "--to", out)
        assert code == 0, err
        rows = ds.dataset(out, format="parquet", partitioning="hive").to_table().to_pylist()
        assert {r["id"]: Decimal(r["amount"]) for r in rows} == EXPECTED
        assert [(Path(r["file"]).name, r["items"]) for r in _skipped(out / "_rejects.csv")] == \
            [(older, "2")]
        code, _, err = run_cli("check", out)
        assert code == 0, err
