"""Two activities whose identifiers slug alike ("XM-DAC-1-A/B",
"XM-DAC-1-A-B") in two files of a folder, the first with values that still
make no entry (only incoming funds, a negative commitment, an unknown
currency): it claims no id start, so the second keeps the plain one, in a
folder import (-o, and --to in one batch or a file a batch) as file by
file.  Expected by hand: the only entry is "iati-xm-dac-1-a-b-t-1",
2,000 GBP."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow.dataset as ds
import pytest

import ledger

PLAIN = "iati-xm-dac-1-a-b-t-1"


def _activity(aid: str, value: str, code: str = "2", currency: str = "GBP") -> str:
    return (f'<iati-activity default-currency="{currency}"><iati-identifier>{aid}'
            f'</iati-identifier><reporting-org ref="XM-DAC-1"><narrative>Donor</narrative>'
            f'</reporting-org><transaction ref="1"><transaction-type code="{code}"/>'
            f'<transaction-date iso-date="2020-01-01"/><value>{value}</value></transaction>'
            f'</iati-activity>\n')


def _file(path: Path, act: str) -> None:
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
                    + act + "</iati-activities>\n", encoding="utf-8")


FIRST = {
    "incoming funds": _activity("XM-DAC-1-A/B", "1000", code="1"),
    "negative commitment": _activity("XM-DAC-1-A/B", "-1000"),
    "unknown currency": _activity("XM-DAC-1-A/B", "1000", currency="XQQ"),
}


@pytest.mark.parametrize("case", list(FIRST))
def test_an_activity_making_no_entry_claims_no_id(tmp_path, run_cli, monkeypatch, case):
    import ledger_tool.import_data as import_data

    folder = tmp_path / "in"
    folder.mkdir()
    _file(folder / "a.xml", FIRST[case])
    _file(folder / "b.xml", _activity("XM-DAC-1-A-B", "2000"))
    for f in sorted(folder.iterdir()):
        run_cli("import", "--from", "iati", f, "-o", tmp_path / "each")
    code, _, err = run_cli("import", "--from", "iati", folder, "-o", tmp_path / "book")
    assert code == 0, err
    for book in (tmp_path / "each", tmp_path / "book"):
        assert [(e.id, e.amount, e.currency) for e in ledger.load(book).entries] == \
            [(PLAIN, Decimal(2000), "GBP")]
    for n, batch in enumerate([None, 1]):
        if batch is not None:
            monkeypatch.setattr(import_data, "BATCH_BYTES", batch)
        out = tmp_path / f"d{n}.parquet"
        code, _, err = run_cli("import", "--from", "iati", folder, "--to", out)
        assert code == 0, err
        table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
        assert table.column("id").to_pylist() == [PLAIN]
