"""`cite` on an entry whose citations are written inline (``source = {…}``,
``source = [{…}]``, shapes docs/journal.md reads as written): the new
citation joins that value; a ``[[entry.source]]`` table cannot follow it."""
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

[[entry]]
id = "e1"
date = 2020-01-01
funder = "F"
purpose = "P"
amount = "£100"
source = {doc = "d1", quote = "£100"}   # one inline table

[[entry]]
id = "e2"
date = 2020-01-01
funder = "F"
purpose = "Q"
amount = "£200"
source = [{doc = "d1", quote = "£200"}]
notes = "after the citations"
"""


@pytest.mark.parametrize("eid, first", [("e1", {"doc": "d1", "quote": "£100"}),
                                        ("e2", {"doc": "d1", "quote": "£200"})])
def test_cite_adds_to_citations_written_inline(tmp_path, run_cli, eid, first):
    book = tmp_path / "book"
    book.mkdir()
    journal = book / "ledger.toml"
    journal.write_text(LEDGER, encoding="utf-8")
    code, _, err = run_cli("cite", book, eid, "--source", "d2", "--quote", "£100 again")
    assert code == 0 and "Traceback" not in err, err
    data = tomllib.loads(journal.read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in data["entry"]}
    assert entries[eid]["source"] == [first, {"doc": "d2", "quote": "£100 again"}]
    other = "e2" if eid == "e1" else "e1"
    assert tomllib.loads(LEDGER)["entry"][["e1", "e2"].index(other)] == entries[other]
    # only the edited entry's line changed; the comment and the rest kept
    before, after = LEDGER.splitlines(), journal.read_text(encoding="utf-8").splitlines()
    assert [i for i, (x, y) in enumerate(zip(before, after)) if x != y] == \
        [before.index(next(x for x in before if x.startswith("source = ") and
                           f'"{first["quote"]}"' in x))]
    assert len(before) == len(after)
    assert run_cli("check", book)[0] == 0
    code, out, _ = run_cli("list", book, "--format", "csv")
    assert f"{eid}," in out and "d1;d2" in out


@pytest.mark.parametrize("shape", [
    '[entry.source]\ndoc = "d1"\nquote = "£100"\n',          # one table of its own
    'source.doc = "d1"\nsource.quote = "£100"\n',            # dotted keys
])
def test_cite_adds_to_one_citation_written_as_a_table(tmp_path, run_cli, shape):
    book = tmp_path / "book"
    book.mkdir()
    journal = book / "ledger.toml"
    text = LEDGER.replace('source = {doc = "d1", quote = "£100"}   # one inline table\n', shape)
    journal.write_text(text, encoding="utf-8")
    assert tomllib.loads(text)["entry"][0]["source"] == {"doc": "d1", "quote": "£100"}
    assert run_cli("check", book)[0] == 0
    code, _, err = run_cli("cite", book, "e1", "--source", "d2", "--quote", "£100 again")
    assert code == 0, err
    data = tomllib.loads(journal.read_text(encoding="utf-8"))
    assert data["entry"][0]["source"] == [{"doc": "d1", "quote": "£100"},
                                          {"doc": "d2", "quote": "£100 again"}]
    assert data["entry"][1] == tomllib.loads(text)["entry"][1]
    assert run_cli("check", book)[0] == 0
