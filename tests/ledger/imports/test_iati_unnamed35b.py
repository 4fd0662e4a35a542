"""Items without a ref known again on re-import (docs/interop.md, "Ids and
re-import"), the review of fix35: an identical repeat counted once as on a
fresh import; pairing on what the importer recorded (its citation's quote),
not on what the user or --names may change; a moved item keeping its own
entry; fresh ids no ref can take.  Expected figures from the raw XML
(ElementTree: ``count_once`` and ``_transactions``), never the importer's.
"""
from __future__ import annotations

import ledger
from tests.ledger.imports.test_iati_real import count_once, counted_in_ledger
from tests.ledger.imports.test_iati_unnamed35 import TEARFUND, _check, _import, _items


def test_a_budget_repeated_identically_counts_once_on_re_import_as_fresh(tmp_path, run_cli):
    """Tearfund's budget #2 given twice, identically: a re-import over the
    ledger of the file without the repeat counts what a fresh import of the
    newer file counts, and that is the file's count once (the repeat adds
    nothing)."""
    act = "GB-CHC-265464-ZAI00598-0"
    text = TEARFUND.read_text(encoding="utf-8")
    _, _, spans = _items(text, act, "budget")
    a, b = spans[1]
    newer = tmp_path / "v2" / TEARFUND.name
    newer.parent.mkdir()
    newer.write_text(text[:b] + text[a:b] + text[b:], encoding="utf-8")
    assert count_once(newer) == count_once(TEARFUND)
    book, fresh = tmp_path / "led", tmp_path / "fresh"
    _import(run_cli, TEARFUND, book)
    _import(run_cli, newer, book)
    _import(run_cli, newer, fresh)
    _check(run_cli, book)
    assert counted_in_ledger(ledger.load(book)) == count_once(newer) == \
        counted_in_ledger(ledger.load(fresh))
    # again: nothing changes
    before = (book / "iati.toml").read_bytes()
    err = _import(run_cli, newer, book)
    assert (book / "iati.toml").read_bytes() == before and ", 0 updated," in err
