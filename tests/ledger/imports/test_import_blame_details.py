"""An error the rules word at an entry of the ledger, which imported
records cause: the records refused are those the rule names in the
problem's details (``details["entries"]``), never those whose id happens
to be a word of its message."""
from __future__ import annotations

from decimal import Decimal
import tomllib
from pathlib import Path

LEDGER = '''[[document]]
id = "doc"
title = "A report"

[[entry]]
id = "z"
date = 2020-01-01
funder = "UK"
purpose = "Health"
amount = "GBP 1000"
status = "pledged"
source = [{doc = "doc", quote = "1000"}]

[[entry]]
id = "x"
date = 2020-03-01
funder = "UK"
purpose = "Health"
amount = "GBP 300"
status = "disbursed"
disburses = "y"
source = [{doc = "doc", quote = "300"}]
'''

# y disburses z, so the ledger's x (which disburses y) would pay z twice:
# y is at fault; 'twice' is a word of that message, and nothing else
ROWS = ("id,date,funder,purpose,amount,currency,status,disburses,doc,quote\n"
        "y,2020-02-01,UK,Health,400,GBP,disbursed,z,doc,400\n"
        "twice,2020-02-02,UK,Education,50,GBP,pledged,,doc,50\n")


def test_the_record_a_rule_names_is_refused_not_a_word_of_its_message(tmp_path: Path, run_cli):
    book = tmp_path / "book"
    book.mkdir()
    (book / "ledger.toml").write_text(LEDGER, encoding="utf-8")
    (tmp_path / "rows.csv").write_text(ROWS, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "rows.csv", "-o", book / "imported.toml")
    assert code == 0, err
    assert "row 2: column 'id': with this record the ledger's entry 'x'" in err
    assert "row 3" not in err, err
    # the ledger keeps its own error (x disburses a missing y): read the file written
    written = tomllib.loads((book / "imported.toml").read_text(encoding="utf-8"))
    assert [e["id"] for e in written["entry"]] == ["twice"]


def test_the_rule_names_the_entries_in_its_details():
    from ledger.rules import across_entries

    ids = ["x", "y", "z"]
    found, _ = across_entries(n=3, ids=ids, place=lambda i: ("f.toml", i + 1),
                              currency=lambda i: "GBP", qualifier=lambda i: "exact",
                              amount=lambda i: Decimal(100),
                              links=[(0, "disburses", "y"), (1, "disburses", "z")],
                              find=lambda ts: [ids.index(t) for t in ts])
    [p] = [p for p in found if p.code == "disburses-disbursement"]
    assert p.entry_id == "x" and p.detail("entries") == ["y", "z"]


PACKAGE = '''[[entry]]
id = "pkg"
date = 2020-01-01
funder = "UK"
purpose = "Health"
amount = "1000 GBP"
status = "committed"

[[entry]]
id = "ph1"
date = 2020-02-01
funder = "UK"
purpose = "Health"
amount = "600 GBP"
status = "committed"
part_of = "pkg"
'''


def test_of_the_records_linked_only_those_the_rule_names_are_refused(tmp_path: Path, run_cli):
    """ph2 pushes the phases of pkg to 600 + 500 = 1100 > 1000; pay1, a
    payment of 100 against pkg, has nothing to do with that rule."""
    book = tmp_path / "book"
    book.mkdir()
    (book / "ledger.toml").write_text(PACKAGE, encoding="utf-8")
    (tmp_path / "rows.csv").write_text(
        "id,date,funder,purpose,amount,currency,status,part_of,disburses\n"
        "ph2,2020-03-01,UK,Health,500,GBP,committed,pkg,\n"
        "pay1,2020-04-01,UK,Health,100,GBP,disbursed,,pkg\n", encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "rows.csv", "-o", book / "imported.toml")
    assert code == 0, err
    assert "row 2: column 'part_of': entry 'ph2'" in err and "row 3: column" not in err, err
    written = tomllib.loads((book / "imported.toml").read_text(encoding="utf-8"))
    assert [e["id"] for e in written["entry"]] == ["pay1"]
    assert run_cli("check", book)[0] == 0
