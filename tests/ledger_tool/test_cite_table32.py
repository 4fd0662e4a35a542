"""``cite`` on an entry whose one citation is a ``[entry.source]`` table or
``source.KEY`` dotted keys keeps every other byte (docs/guarantees.md §3):
the user's comments in the citation and the blank line after it stay; the
citation becomes a ``[[entry.source]]`` table (the only change TOML needs
for a second one to follow) and the new one is added after it."""
from __future__ import annotations

import tomllib

import pytest

LEDGER = """\
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

TABLE = """\
[[entry]]
id = "e1"
date = 2020-01-01
funder = "F"
purpose = "P"
amount = "£6m"
  [entry.source]
  # checked by AB on 3 May: page 2 of the PDF
  doc = "d1"
  quote = "£6m"   # verbatim

# the next pledge
[[entry]]
id = "e2"
date = 2020-01-01
funder = "F"
purpose = "Q"
amount = "£1m"
"""

TABLE_AFTER = TABLE.replace("  [entry.source]\n", "  [[entry.source]]\n").replace(
    '  quote = "£6m"   # verbatim\n',
    '  quote = "£6m"   # verbatim\n  [[entry.source]]\n  doc = "d2"\n  quote = "£6m again"\n')

DOTTED = """\
[[entry]]
id = "e1"
date = 2020-01-01
funder = "F"
purpose = "P"
# checked by AB on 3 May
source.doc = "d1"
source.quote = "£6m"   # verbatim
amount = "£6m"

# the next pledge
[[entry]]
id = "e2"
date = 2020-01-01
funder = "F"
purpose = "Q"
amount = "£1m"
"""

DOTTED_AFTER = DOTTED.replace('source.doc = "d1"\nsource.quote = "£6m"   # verbatim\n', "") \
    .replace('amount = "£6m"\n', 'amount = "£6m"\n  [[entry.source]]\n  doc = "d1"\n'
             '  quote = "£6m"   # verbatim\n  [[entry.source]]\n  doc = "d2"\n'
             '  quote = "£6m again"\n')


@pytest.mark.parametrize("before, after", [(TABLE, TABLE_AFTER), (DOTTED, DOTTED_AFTER)],
                         ids=["table", "dotted"])
def test_cite_keeps_the_comments_of_a_citation_written_as_a_table(tmp_path, run_cli,
                                                                  before, after):
    book = tmp_path / "book"
    book.mkdir()
    (book / "ledger.toml").write_text(LEDGER, encoding="utf-8")
    journal = book / "pledges.toml"
    journal.write_text(before, encoding="utf-8")
    assert tomllib.loads(before)["entry"][0]["source"] == {"doc": "d1", "quote": "£6m"}
    code, _, err = run_cli("cite", book, "e1", "--source", "d2", "--quote", "£6m again")
    assert code == 0 and "Traceback" not in err, err
    assert journal.read_text(encoding="utf-8") == after
    data = tomllib.loads(journal.read_text(encoding="utf-8"))
    assert data["entry"][0]["source"] == [{"doc": "d1", "quote": "£6m"},
                                          {"doc": "d2", "quote": "£6m again"}]
    assert data["entry"][1] == tomllib.loads(before)["entry"][1]
    assert run_cli("check", book)[0] == 0
