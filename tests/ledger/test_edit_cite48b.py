"""`cite` adding to an inline ``source = [...]`` changes that value only:
tomlkit's dump rewrote another entry's header ("[[entry]]" as the first's
"[[ entry ]]")."""
from __future__ import annotations

from tests.ledger.test_edit_cite48 import HEAD

TWO = HEAD + """
[[ entry ]]
id = "a"
date = 2020-01-01
funder = "F"
purpose = "P"
amount = "£5"
source = [{doc = "d1", quote = "£5"}]

[[entry]]
id = "b"
date = 2020-01-01
funder = "F"
purpose = "P"
amount = "£7"
source = [{doc = "d1", quote = "£7"}]  # seen
"""


def test_cite_changes_nothing_but_the_cited_entrys_sources(tmp_path, run_cli):
    book = tmp_path / "book"
    book.mkdir()
    journal = book / "ledger.toml"
    journal.write_text(TWO, encoding="utf-8")
    for eid, quote, old in (("b", "£7", '[{doc = "d1", quote = "£7"}]'),
                            ("a", "£5", '[{doc = "d1", quote = "£5"}]')):
        before = journal.read_text(encoding="utf-8")
        code, _, err = run_cli("cite", book, eid, "--source", "d2", "--quote", quote)
        assert code == 0, err
        new = old[:-1] + f', {{doc = "d2", quote = "{quote}"}}]'
        assert journal.read_text(encoding="utf-8") == before.replace(old, new), eid


def test_cite_edits_an_entry_under_a_quoted_header(tmp_path, run_cli):
    """``[["entry"]]`` is the header ``[[entry]]`` (TOML): found, not refused."""
    book = tmp_path / "book"
    book.mkdir()
    journal = book / "ledger.toml"
    text = TWO.replace("[[ entry ]]", '[["entry"]]').replace("[[entry]]", "[[ 'entry' ]]")
    journal.write_text(text, encoding="utf-8")
    code, _, err = run_cli("cite", book, "a", "--source", "d2", "--quote", "£5")
    assert code == 0, err
    assert journal.read_text(encoding="utf-8") == text.replace(
        '[{doc = "d1", quote = "£5"}]', '[{doc = "d1", quote = "£5"}, {doc = "d2", quote = "£5"}]')
