"""The order of IATI re-imports decides nothing when the copies are dated:
a file whose activity is older (its @last-updated-datetime) than the copy
the ledger holds, imported after it, is skipped, naming the ledger's
archived copy.  Figures by hand: the newer copy commits 2,000 GBP, the
older 1,000 GBP; the ledger ends with 2,000 either way."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ledger
from ledger.model import NOT_COUNTED as NOT


def _file(path: Path, stamp: str, value: str) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
        f'<iati-activity default-currency="GBP" last-updated-datetime="{stamp}">'
        '<iati-identifier>XM-DAC-1-X</iati-identifier><reporting-org ref="XM-DAC-1">'
        '<narrative>Donor</narrative></reporting-org><transaction ref="1">'
        '<transaction-type code="2"/><transaction-date iso-date="2020-01-01"/>'
        f'<value>{value}</value></transaction></iati-activity>\n</iati-activities>\n',
        encoding="utf-8")
    return path


@pytest.mark.parametrize("newer_first", [True, False])
def test_the_newest_statement_stays_current(tmp_path, run_cli, newer_first):
    old = _file(tmp_path / "old.xml", "2024-01-01T00:00:00Z", "1000")
    new = _file(tmp_path / "new.xml", "2024-06-01T00:00:00Z", "2000")
    book = tmp_path / "book"
    errs = []
    for f in ((new, old) if newer_first else (old, new)):
        code, _, err = run_cli("import", "--from", "iati", f, "-o", book)
        errs.append(err)
    assert [(e.id, e.amount, NOT in e.tags) for e in ledger.load(book).entries] == \
        [("iati-xm-dac-1-x-t-1", Decimal(2000), False)], errs
    if newer_first:
        rejects = (book / "iati.rejects.csv").read_text(encoding="utf-8")
        assert "superseded by the same activity in" in rejects and "sources" in rejects

