"""A field the IATI importer never writes, added by the user to an entry a
re-import updates, stays as the user wrote it, byte for byte (a restated
"$2,450,000", not the ledger's "$2.45 million"), and when the statement
moves the entry's figure the import says the restated was made for the old
one.  On the real Tearfund file and its later statement (budget #2's value
changed); the figures are read from the raw XML."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from tests.ledger.imports.test_iati_user_edits31 import (BUDGET, TEARFUND, _after, _entry,
                                                         _import, _later)


def _budget2(path) -> Decimal:
    act = next(ET.parse(path).getroot().iter("iati-activity"))
    return Decimal(list(act.iter("budget"))[1].find("value").text)


def test_a_users_restated_stays_as_written_and_is_said_when_the_figure_moves(
        tmp_path, run_cli):
    book = tmp_path / "led"
    _import(run_cli, TEARFUND, book)
    journal = book / "iati.toml"
    line = 'restated = ["$2,450,000"]  # the annual report\'s dollars\n'
    journal.write_text(_after(journal.read_text(encoding="utf-8"), BUDGET, line),
                       encoding="utf-8")
    before = _budget2(TEARFUND)
    later = _later(tmp_path)
    err = _import(run_cli, later, book)
    e = _entry(book, BUDGET)
    assert e.amount == _budget2(later) == Decimal(1600000) != before
    assert [(m.amount, m.currency) for m in e.restated] == [(Decimal(2450000), "USD")]
    assert journal.read_text(encoding="utf-8").count(line) == 1
    (said,) = [ln for ln in err.splitlines() if "your restated" in ln]
    assert f"'{BUDGET}'" in said and "2450000 USD" in said
    assert f"{before} GBP" in said and "1600000 GBP" in said
    # the same file again: nothing moves, nothing said, no byte changed
    text = journal.read_bytes()
    err = _import(run_cli, later, book)
    assert "your restated" not in err and journal.read_bytes() == text
