"""`cite` edits an entry in place: an inline ``source = {…}  # comment``
keeps its comment and its place; an entry after a multi-line string that
holds a ``[[entry]]`` header is refused in one line naming its own line."""
from __future__ import annotations

import tomllib

HEAD = """\
[ledger]
currency = "GBP"

[[document]]
id = "d1"
title = "D1"
published = 2020-01-01

[[document]]
id = "d2"
title = "D2"
published = 2020-01-01
"""

INLINE = HEAD + """
[[entry]]
id = "b"
date = 2020-01-01
funder = "F"
purpose = "P"
amount = "£100"
source = {doc = "d1", quote = "£100"}  # checked 2024-05-01
tags = ["x"]
"""


def test_cite_keeps_an_inline_sources_comment_and_place(tmp_path, run_cli):
    book = tmp_path / "book"
    book.mkdir()
    journal = book / "ledger.toml"
    journal.write_text(INLINE, encoding="utf-8")
    code, _, err = run_cli("cite", book, "b", "--source", "d2", "--quote", "£100 again")
    assert code == 0, err
    after = journal.read_text(encoding="utf-8").splitlines()
    before = INLINE.splitlines()
    at = before.index('source = {doc = "d1", quote = "£100"}  # checked 2024-05-01')
    assert after[:at] == before[:at] and after[at + 1:] == before[at + 1:]
    assert after[at] == ('source = [{doc = "d1", quote = "£100"}, {doc = "d2", '
                         'quote = "£100 again"}]  # checked 2024-05-01')
    assert tomllib.loads("\n".join(after))["entry"][0]["source"][1]["doc"] == "d2"


TRICK = HEAD + '''
[[entry]]
id = "a"
date = 2020-01-01
funder = "F"
purpose = "P"
amount = "£100"
notes = """
multi
[[entry]]
line"""
source = {doc = "d1", quote = "£100"}

[[entry]]
id = "b"
date = 2020-01-01
funder = "F"
purpose = "Q"
amount = "£200"
source = {doc = "d1", quote = "£200"}
'''


def test_cite_after_a_header_inside_a_multiline_string(tmp_path, run_cli):
    """b's table is found by its place among the entries tomllib reads, not
    by a header-like line inside a's notes."""
    book = tmp_path / "book"
    book.mkdir()
    journal = book / "ledger.toml"
    journal.write_text(TRICK, encoding="utf-8")
    assert run_cli("check", book)[0] == 0
    b_line = TRICK.splitlines().index('id = "b"')       # its [[entry]] line, 1-based
    code, _, err = run_cli("cite", book, "b", "--source", "d2", "--quote", "£200 again")
    assert code == 0, err
    assert f"line {b_line})" in err, err
    want = tomllib.loads(TRICK)
    want["entry"][1]["source"] = [want["entry"][1]["source"],
                                  {"doc": "d2", "quote": "£200 again"}]
    assert tomllib.loads(journal.read_text(encoding="utf-8")) == want
