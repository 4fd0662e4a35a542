"""Two activities whose identifiers slug alike ("XM-DAC-1-A/B",
"XM-DAC-1-A-B") in two files of a folder: the plain entry id start goes to
the first activity the import makes entries of, as importing the files one
by one gives it -- not to one the import then skips (another hierarchy
level with --hierarchy, only 0 values, a copy older than another file's
whose first copy makes nothing).  Folder ids with -o and --to (one batch,
a file a batch, two workers) equal the file-by-file ids; the expected ids
by hand: the activity imported alone takes "iati-xm-dac-1-a-b"."""
from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds
import pytest

import ledger

PLAIN = "iati-xm-dac-1-a-b-t-1"


def _activity(aid: str, values: list[str], extra: str = "") -> str:
    items = "".join(f'<transaction ref="{k}"><transaction-type code="2"/>'
                    f'<transaction-date iso-date="2020-0{k}-01"/><value>{v}</value></transaction>'
                    for k, v in enumerate(values, 1))
    return (f'<iati-activity default-currency="GBP" {extra}><iati-identifier>{aid}'
            f'</iati-identifier><reporting-org ref="XM-DAC-1"><narrative>Donor</narrative>'
            f'</reporting-org>{items}</iati-activity>\n')


def _file(path: Path, *acts: str) -> None:
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
                    + "".join(acts) + "</iati-activities>\n", encoding="utf-8")


CASES = {
    # a.xml's activity is at level 2: --hierarchy 1 skips it
    "hierarchy": ([[_activity("XM-DAC-1-A/B", ["1000"], 'hierarchy="2"')],
                   [_activity("XM-DAC-1-A-B", ["2000"], 'hierarchy="1"')]], ["--hierarchy", "1"]),
    # a.xml's activity has only a value of 0: no entry
    "zero": ([[_activity("XM-DAC-1-A/B", ["0"])], [_activity("XM-DAC-1-A-B", ["2000"])]], []),
    # a.xml's copy of A/B (older, value 0) is dropped for c.xml's
    "older copy": ([[_activity("XM-DAC-1-A/B", ["0"], 'last-updated-datetime="2024-01-01T00:00:00Z"')],
                    [_activity("XM-DAC-1-A-B", ["2000"])],
                    [_activity("XM-DAC-1-A/B", ["1500"],
                               'last-updated-datetime="2024-06-01T00:00:00Z"')]], []),
}


def _ids_of_book(path: Path) -> set[str]:
    return {e.id for e in ledger.load(path).entries}


@pytest.mark.parametrize("case", list(CASES))
def test_a_folder_gives_the_ids_its_files_give_one_by_one(tmp_path, run_cli, monkeypatch, case):
    import ledger_tool.import_data as import_data

    files, options = CASES[case]
    folder = tmp_path / "in"
    folder.mkdir()
    for k, acts in enumerate(files):
        _file(folder / f"{'abc'[k]}.xml", *acts)
    one_by_one = tmp_path / "each"
    for f in sorted(folder.iterdir()):
        code, _, err = run_cli("import", "--from", "iati", f, "-o", one_by_one, *options)
        assert code in (0, 1), err      # a file that gives nothing imports nothing
    expected = _ids_of_book(one_by_one)
    assert PLAIN in expected and len(expected) == len(files) - 1   # one file adds nothing
    code, _, err = run_cli("import", "--from", "iati", folder, "-o", tmp_path / "book", *options)
    assert code == 0, err
    assert _ids_of_book(tmp_path / "book") == expected
    # a dataset: one batch; a file a batch; a file a batch in two workers
    for n, (batch, workers) in enumerate([(None, 1), (1, 1), (1, 2)]):
        if batch is not None:
            monkeypatch.setattr(import_data, "BATCH_BYTES", batch)
        monkeypatch.setattr(import_data.os, "sched_getaffinity",
                            lambda _p, w=workers: set(range(w)))
        out = tmp_path / f"d{n}.parquet"
        code, _, err = run_cli("import", "--from", "iati", folder, "--to", out, *options)
        assert code == 0, err
        table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
        assert set(table.column("id").to_pylist()) == expected
