"""A tag holding ';' (which separates an entry's tags in the Book and in a
bulk cell) is refused by the tag rule in one line, never read as two tags."""
from __future__ import annotations

from ledger.rules import rows as rr

JOURNAL = '''[[entry]]
id = "two"
date = 2015-01-01
funder = "F"
purpose = "Q"
amount = "£3m"
tags = ["ok", "x;secondary"]

[[entry]]
id = "fine"
date = 2015-01-01
funder = "F"
purpose = "Q"
amount = "£2m"
tags = ["x", "secondary"]
'''


def test_the_rule_refuses_a_separator_in_a_tag():
    assert rr.tag_rule("x;secondary") is rr.TAG_SEPARATOR
    assert rr.tag_rule("x; secondary") is rr.TAG_SEPARATOR
    assert rr.tag_rule("x, secondary") is None
    assert rr.tag_rule("road-safety") is None


def test_check_names_the_line_the_entry_and_the_tag(tmp_path, run_cli):
    j = tmp_path / "j.toml"
    j.write_text(JOURNAL, encoding="utf-8")
    code, out, err = run_cli("check", j)
    assert code == 1 and "Traceback" not in err
    errors = [ln for ln in (out + err).splitlines() if "error:" in ln]
    # line 7: the tags of entry "two"; the other entry is fine
    assert errors == [f"{j}:7: entry 'two': error: tag 'x;secondary' holds ';', which "
                      "separates tags (hint: a tag is one name: write each as a tag of its "
                      "own, or without ';')"]


def test_an_import_refuses_the_row(tmp_path, run_cli):
    # a spreadsheet's tag in double quotes is read whole: "x;y" is one tag
    t = tmp_path / "t.csv"
    t.write_text('id,date,funder,purpose,amount,currency,tags\n'
                 't1,2015-01-01,F,Q,5,GBP,"""x;y"";b"\n'
                 't2,2015-01-01,F,Q,6,GBP,x;y\n', encoding="utf-8")
    out = tmp_path / "o.toml"
    code, _, err = run_cli("import", t, "-o", out)
    assert "Traceback" not in err
    said = [ln for ln in err.splitlines() if "holds ';'" in ln]
    assert len(said) == 1 and "row 2" in said[0] and "entry 't1'" in said[0]
    text = out.read_text(encoding="utf-8")
    assert 'id = "t1"' not in text and 'tags = ["x", "y"]' in text

