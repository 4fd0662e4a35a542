"""An FTS entry the user renamed and cited first by a citation of the
user's own (the FTS file with a locator in the user's words) is still the
flow its importer's citation names (``importer_citation``): a newer
version updates it in place, never adds the flow again.  Figures from the
raw JSON."""
from __future__ import annotations

from decimal import Decimal

import ledger
from tests.ledger.imports.test_fts_rename47 import FLOW, _citing, _import, _renamed, _revised


def test_a_renamed_flow_citing_the_users_source_first_is_updated_in_place(tmp_path, run_cli):
    book = _renamed(tmp_path, run_cli, f"my-{FLOW}")
    journal = book / "fts.toml"
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'id = "my-{FLOW}"')
    src = text.rindex("\n", 0, text.index("[[entry.source]]", at)) + 1
    (doc,) = {c.doc for e in _citing(book) for c in e.sources}
    own = f'[[entry.source]]\ndoc = "{doc}"\nquote = "{FLOW}"\nlocator = "my reading"\n'
    indent = text[src:text.index("[[entry.source]]", at)]
    journal.write_text(text[:src] + "".join(indent + ln + "\n" for ln in own.splitlines())
                       + text[src:], encoding="utf-8")
    later, amount = _revised(tmp_path)
    err = _import(run_cli, later, book)
    assert "0 new, 1 updated" in err and f"updated my-{FLOW}" in err
    (e,) = _citing(book)
    assert e.id == f"my-{FLOW}" and e.amount == amount and e.sources[0].locator == "my reading"
    counted = [x for x in ledger.load(book).entries if x.id == f"fts-{FLOW}"]
    assert counted == [] and sum((x.amount for x in _citing(book)), Decimal(0)) == amount


def test_a_users_copy_of_a_flow_is_left_as_it_is_and_said(tmp_path, run_cli):
    book = _renamed(tmp_path, run_cli, f"fts-{FLOW}", "my-copy")
    first = {e.id: e.amount for e in _citing(book)}
    later, amount = _revised(tmp_path)
    err = _import(run_cli, later, book)
    assert "0 new, 1 updated" in err
    (said,) = [ln for ln in err.splitlines() if "'my-copy'" in ln]
    assert f"as entry 'fts-{FLOW}' does" in said and "counted twice" in said
    got = {e.id: e for e in _citing(book)}
    assert got[f"fts-{FLOW}"].amount == amount and got["my-copy"].amount == first["my-copy"]
    assert not any(t.startswith("not-counted") for t in got["my-copy"].tags)
