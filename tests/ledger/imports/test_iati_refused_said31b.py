"""What a re-import says of the user's edits to an entry it updates is said
only of the records it writes (or finds unchanged): a record the rules then
refuse (its entry one `check` refuses, left as it is) gets its refusal
alone, not a warning that its amount "is replaced" when nothing is.  On the
real Tearfund file and its later statement."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from tests.ledger.imports.test_iati_user_edits31 import TEARFUND, TX6, _import, _later


def _value(path, k: int) -> Decimal:
    act = next(ET.parse(path).getroot().iter("iati-activity"))
    return Decimal(list(act.iter("transaction"))[k - 1].find("value").text)


def test_a_refused_record_gets_no_warning_of_the_users_edits(tmp_path, run_cli):
    book = tmp_path / "led"
    _import(run_cli, TEARFUND, book)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    figure = _value(TEARFUND, 6)
    at = text.index(f'id = "{TX6}"\n')
    cut = text.index(f'amount = "{figure}"\n', at)
    # an amount its splits no longer add up to: an entry `check` refuses
    text = text[:cut] + 'amount = "£51,700"\n' + text[cut + len(f'amount = "{figure}"\n'):]
    journal.write_text(text, encoding="utf-8")
    later = _later(tmp_path)
    code, _, err = run_cli("import", "--from", "iati", later, "-o", book)
    lines = [ln for ln in err.splitlines() if f"'{TX6}'" in ln]
    assert any("not overwritten" in ln for ln in lines), err
    assert not [ln for ln in lines if "warning:" in ln], err
    assert 'amount = "£51,700"\n' in journal.read_text(encoding="utf-8")
    assert _value(later, 6) == figure      # the statement did not move it
