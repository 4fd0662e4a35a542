"""extract --draft: a document's file name (and the phrase, the split
digits, the unread period) go into the draft's ``# TODO`` comments inert
(``ledger.text_safety.one_line``): a line break in the name cannot add an
entry of its choosing to the draft."""
from __future__ import annotations

import tomllib

import pytest

EVIL = ('\n[[entry]]\nid = "evil"\ndate = 2015-01-01\nfunder = "Evil:Funder"\n'
        'purpose = "Evil:Purpose"\namount = "999000000 GBP"\n#')


@pytest.mark.parametrize("brk", ["\n", "\r", "\x0b", "\x0c", "\x85", "\u2028"])
def test_a_documents_name_cannot_add_an_entry_to_the_draft(run_cli, tmp_path, brk):
    doc = tmp_path / f"s{EVIL.replace(chr(10), brk)}.txt"
    doc.write_text("The council pledged £5 million to the harbour.\n", encoding="utf-8")
    draft = tmp_path / "draft.toml"
    code, _, err = run_cli("extract", doc, "--draft", draft)
    assert code == 0, err
    entries = tomllib.loads(draft.read_text(encoding="utf-8"))["entry"]
    assert [e["amount"] for e in entries] == ["£5 million"]
    assert "evil" not in {e["id"] for e in entries}
    todo = [ln for ln in draft.read_text(encoding="utf-8").splitlines() if "# TODO: complete" in ln]
    assert len(todo) == 1 and "999000000" in todo[0]      # the name, shown escaped
