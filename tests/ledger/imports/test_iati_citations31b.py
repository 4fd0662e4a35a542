"""An IATI re-import replaces only the citations the importer wrote for the
entry it updates: those of the file the entry came from naming the entry's
own item in the importer's wording.  A user's `cite` of another archived
IATI file, or of the same file worded otherwise, stays (docs/interop.md,
"Your edits of an imported entry stay").  On the real Tearfund and Africa
Educational Trust files; the figures are read from the raw XML."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import ledger
from tests.conftest import FIXTURES
from tests.ledger.imports.test_iati_user_edits31 import TEARFUND, TX, _entry, _import, _later

AET = FIXTURES / "real" / "iati" / "africa-educational-trust.xml"


def _first_value(path: Path, tag: str) -> tuple[str, str]:
    """(the activity id, the text of the first ``tag``'s value) of the file."""
    act = next(ET.parse(path).getroot().iter("iati-activity"))
    return act.findtext("iati-identifier").strip(), act.find(f"{tag}/value").text.strip()


def test_a_users_citation_of_another_iati_file_or_worded_otherwise_stays(tmp_path, run_cli):
    book = tmp_path / "led"
    _import(run_cli, TEARFUND, book)
    _import(run_cli, AET, book)
    docs = list(ledger.load(book).documents)
    aet_doc = next(d for d in docs if d.startswith("iati-africa-educational-trust-"))
    tearfund_doc = next(d for d in docs if d.startswith("iati-tearfund-cd-"))
    aet_activity, aet_budget = _first_value(AET, "budget")
    old_value = next(c.quote for c in _entry(book, TX).sources if c.doc == tearfund_doc)
    old_value = old_value[old_value.index(">") + 1:old_value.rindex("<")]     # the figure alone
    cross = f"activity {aet_activity}, budget #1 (cross-check)"
    mine = "activity GB-CHC-265464-ZAI00598-0, transaction #3 (as I read it)"
    for doc, quote, locator in ((aet_doc, aet_budget, cross), (tearfund_doc, old_value, mine)):
        code, _, err = run_cli("cite", book, TX, "--source", doc, "--quote", quote,
                               "--locator", locator)
        assert code == 0, err
    later = _later(tmp_path)
    err = _import(run_cli, later, book)
    e = _entry(book, TX)
    # the importer's citation: the later file's, with its figure
    value = next(t.find("value").text for k, t in enumerate(
        next(ET.parse(later).getroot().iter("iati-activity")).iter("transaction"), 1) if k == 3)
    assert e.amount == Decimal(value) == Decimal(150995)
    (theirs,) = [c for c in e.sources if c.locator == "activity GB-CHC-265464-ZAI00598-0, "
                 "transaction #3"]
    assert theirs.doc != tearfund_doc and f">{value}<" in theirs.quote
    # the user's two, kept as written, each said to be made for the old figure
    assert [(c.doc, c.quote, c.locator) for c in e.sources if c is not theirs] == [
        (aet_doc, aet_budget, cross), (tearfund_doc, old_value, mine)]
    said = [ln for ln in err.splitlines() if "your citation" in ln and f"'{TX}'" in ln]
    assert len(said) == 2 and all("140995 GBP" in s and "150995 GBP" in s for s in said)
    code, out, err = run_cli("check", book)
    assert code == 0, out + err
