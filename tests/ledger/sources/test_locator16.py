"""Locators are checked in plain-text and Markdown documents too: a
heading (a line standing alone, or a ``#`` / underlined Markdown heading),
a line and column; a locator the audit cannot check is a note saying so."""
from __future__ import annotations

from tests.conftest import line_col
from tests.ledger.sources.ledger16 import audited, example_with, ledger_of

STATEMENT = (
    "Annual statement\n"
    "\n"
    "Schools\n"
    "\n"
    "The Fund gives £5 million to schools.\n"
    "\n"
    "Roads\n"
    "\n"
    "The Fund gives £7 million to roads.\n"
    "The Fund gives £2 million to bridges.\n"
    "\n"
    "Later\n"
    "\n"
    "The Fund gives £3 million to parks.\n"
    "The Fund gives £4 million to ports.\n"
    "The Fund gives £6 million to docks.\n"
    "The Fund gives £8 million to quays.\n"
)


def _entry(eid: str, amount: str, locator: str, doc: str = "statement") -> str:
    return f'''
[[entry]]
id = "{eid}"
date = 2015-01-01
funder = "Fund"
purpose = "P:{eid}"
amount = "{amount}"
  [[entry.source]]
  doc = "{doc}"
  quote = "{amount}"
  locator = "{locator}"
'''


def _locator_findings(findings, eid):
    return [f for f in findings if f["entry"] == eid and f["code"].startswith("locator-")]


def test_locators_in_a_plain_text_document(tmp_path, run_cli):
    at3 = line_col(STATEMENT, STATEMENT.index("£3 million"))
    at4 = line_col(STATEMENT, STATEMENT.index("£4 million"))
    assert at3 == (14, 16) and at4 == (15, 16)
    entries = "".join([
        _entry("s5", "£5 million", "heading: Schools"),
        _entry("r7", "£7 million", "heading: Schools"),       # it is under Roads
        _entry("b2", "£2 million", "heading: Bridges"),       # no such line
        _entry("p3", "£3 million", "line 14, column 16"),
        _entry("q4", "£4 million", "line 3, column 1"),
        _entry("d6", "£6 million", "paragraph 9"),
        _entry("k8", "£8 million", "page 2"),                 # a text has no pages
    ])
    book = ledger_of(tmp_path, run_cli, {"statement.txt": STATEMENT}, entries)
    figures, findings = audited(run_cli, book)
    assert all(f["verified"] for f in figures.values())
    assert _locator_findings(findings, "s5") == [] and _locator_findings(findings, "p3") == []
    [r7] = _locator_findings(findings, "r7")
    assert r7["severity"] == "warning" and r7["code"] == "locator-mismatch"
    assert "'Roads'" in r7["message"]
    [b2] = _locator_findings(findings, "b2")
    assert b2["code"] == "locator-mismatch" and "'Bridges'" in b2["message"]
    [q4] = _locator_findings(findings, "q4")
    assert q4["code"] == "locator-mismatch" and "line 15, column 16" in q4["message"]
    for eid in ("d6", "k8"):
        [note] = _locator_findings(findings, eid)
        assert (note["severity"], note["code"]) == ("info", "locator-unchecked")


def test_heading_locators_in_markdown(tmp_path, run_cli):
    md = ("# Report\n\n## Schools\n\nThe Fund gives £5 million to schools.\n\n"
          "Roads\n-----\n\nThe Fund gives £7 million to roads.\n")
    entries = (_entry("s5", "£5 million", "heading: Roads", doc="report")
               + _entry("r7", "£7 million", "section: Roads", doc="report"))
    book = ledger_of(tmp_path, run_cli, {"report.md": md}, entries)
    _, findings = audited(run_cli, book)
    [s5] = _locator_findings(findings, "s5")
    assert s5["code"] == "locator-mismatch" and "'Schools'" in s5["message"]
    # an underlined heading is a heading too
    assert _locator_findings(findings, "r7") == []


def test_the_shipped_harbour_locators(run_cli, repo_root):
    _, findings = audited(run_cli, repo_root / "examples" / "harbour")
    assert not [f for f in findings if f["severity"] in ("error", "warning")]
    # "Item 4" names no page, heading, line or column: said, not checked
    assert [(f["entry"], f["code"]) for f in findings if f["code"].startswith("locator-")] == [
        ("porthwen-wall-2024", "locator-unchecked")]


def test_the_seeds_locators(tmp_path, run_cli, example_ledger, seeds_dir):
    raw = (seeds_dir / "001_c33d2c2f8263bd4b.txt").read_text(encoding="utf-8")
    # read by hand: the aid paragraph sits under "Tackling illegal migration…",
    # before "The Port of Calais and the Channel Tunnel"
    aid = raw.index("The UK Government has announced")
    assert raw.index("\nTackling illegal migration and its causes upstream\n") < aid \
        < raw.index("\nThe Port of Calais and the Channel Tunnel\n")
    book = example_with(tmp_path, example_ledger, '''
[[entry]]
id = "bad-locator"
date = 2015-07-30
funder = "UK:DFID"
purpose = "Test:C"
amount = "£217 million"
  [[entry.source]]
  doc = "001_c33d2c2f8263bd4b"
  quote = "aid initiatives totalling £217 million"
  locator = "heading: The Port of Calais and the Channel Tunnel"

[[entry]]
id = "bad-line"
date = 2015-07-30
funder = "UK:DFID"
purpose = "Test:Gap"
amount = "£100 million"
  [[entry.source]]
  doc = "001_c33d2c2f8263bd4b"
  quote = "An additional £100 million in aid"
  locator = "line 3, column 1"
''')
    _, findings = audited(run_cli, book, "--sources", seeds_dir)
    [head] = _locator_findings(findings, "bad-locator")
    assert head["code"] == "locator-mismatch"
    assert "'Tackling illegal migration and its causes upstream'" in head["message"]
    [line] = _locator_findings(findings, "bad-line")
    line_no, col = line_col(raw, raw.index("An additional £100 million in aid"))
    assert line["code"] == "locator-mismatch"
    assert f"line {line_no}, column {col}" in line["message"]
    # the example's own citations carry no locator: nothing said of them
    assert not [f for f in findings if f["code"].startswith("locator-")
                and f["entry"] not in ("bad-locator", "bad-line")]


def test_a_data_files_record_locator_is_not_a_note(tmp_path, run_cli):
    # an FTS or IATI citation names its record ("flow 7 version 2"), not a place in the text
    data = '{"flows": [{"id": 7, "amountUSD": 5000000}]}\n'
    entry = '''
[[entry]]
id = "flow-7"
date = 2015-01-01
funder = "Fund"
purpose = "P"
amount = "$5000000"
  [[entry.source]]
  doc = "fts"
  quote = "5000000"
  locator = "flow 7 version 2"
'''
    book = ledger_of(tmp_path, run_cli, {"fts.json": data}, entry)
    _, findings = audited(run_cli, book)
    assert any(f["entry"] == "flow-7" for f in findings)
    assert _locator_findings(findings, "flow-7") == []
