"""An FTS re-import whose newer statement replaces the splits the user gave
a flow's entry says so, naming the parts it drops, in one line for the
entry: flow 204307 of location 171 / 2020 (the earlier download at version
4, EUR 9,900,001; the later at version 5), split by the user into two
parts.  The figures are read from the raw JSON, never from the importer."""
from __future__ import annotations

from decimal import Decimal

from tests.ledger.imports.test_fts_user_edits31 import (EARLIER, FLOW, LATER, _flows, _import,
                                                        _later_folder)


def test_the_users_splits_a_newer_statement_replaces_are_named(tmp_path, run_cli):
    book = tmp_path / "led"
    _import(run_cli, EARLIER, book)
    was = _flows([EARLIER])[FLOW.removeprefix("fts-")]
    amount = was["originalAmount"]
    assert amount == Decimal(9900001) and was["originalCurrency"] == "EUR"
    health, shelter = Decimal(4900001), amount - Decimal(4900001)
    journal = book / "fts.toml"
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'id = "{FLOW}"\n')
    cut = text.index("  [[entry.source]]", at)
    purpose = text.index("purpose = ", at)
    line = text[purpose:text.index("\n", purpose) + 1]
    splits = (f'  [[entry.split]]\n  purpose = "Health:oPt"\n  amount = "{health}"\n'
              f'  [[entry.split]]\n  purpose = "Shelter:oPt"\n  amount = "{shelter}"\n')
    # the one purpose made two parts of the user's
    text = text[:purpose] + text[purpose + len(line):cut] + splits + text[cut:]
    journal.write_text(text, encoding="utf-8")
    code, _, err = run_cli("check", book)
    assert code == 0, err
    now = _flows(LATER)[FLOW.removeprefix("fts-")]
    assert now["originalAmount"] != amount
    err = _import(run_cli, _later_folder(tmp_path), book)
    said = [ln for ln in err.splitlines() if f"'{FLOW}'" in ln and "split" in ln]
    assert len(said) == 1, err
    assert f"Health:oPt {health}" in said[0] and f"Shelter:oPt {shelter}" in said[0]
